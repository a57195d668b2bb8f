/**
 * VPC endpoints a subnet can use: `aws:ec2/vpcEndpoint:VpcEndpoint` resources of the subnet's VPC
 * (provider defaults: `vpcEndpointType` "Gateway", `privateDnsEnabled` false), gateway route-table
 * associations, and — offline — the `vpcEndpointSpecs` of an awsx Vpc, read as awsx builds them
 * (pulumi-awsx `awsx/ec2/vpc.ts`): the type defaults to gateway; with `vpcEndpointStrategy: "Auto"`
 * interface endpoints get private DNS and a security group admitting 443 from the VPC, gateway
 * endpoints every route table of the VPC; with "Legacy" (the default) the spec is used as written.
 */
import type { PolicyResource } from "@pulumi/policy";
import { apiOfServiceName } from "../domain/index";
import { type SubnetView } from "./network";
import { knownIds } from "./security-groups";
import { propertyDependencies } from "./stack";
import { NET_TYPES } from "./types-network";
import { UNKNOWN, type Unknown, asArray, asBoolean, asString, field, rawProps } from "./values";

export interface EndpointView {
    /** For messages: `'ecr-api' (aws:ec2/vpcEndpoint:VpcEndpoint)` or `vpcEndpointSpecs[0] of awsx Vpc 'main'`. */
    where: string;
    resource?: PolicyResource;
    api: string | Unknown;
    type: "interface" | "gateway" | "other" | Unknown;
    privateDns: boolean | Unknown;
    /** Gateway endpoints: the route tables associated (resources or ids), or every table of the VPC. */
    routeTables: { resources: PolicyResource[]; ids: string[]; all: boolean; unknown: boolean };
    /** Interface endpoints: the security group references and who holds them; `undefined` = the VPC's default group. */
    securityGroups?: { values: unknown; holder: PolicyResource; property: string } | "awsx-auto";
}

function typeOf(value: unknown): EndpointView["type"] {
    const t = asString(value);
    if (t === UNKNOWN) return UNKNOWN;
    const lower = (t ?? "Gateway").toLowerCase();
    return lower === "interface" || lower === "gateway" ? lower : "other";
}

function tablesOf(holder: PolicyResource, values: unknown, property: string): EndpointView["routeTables"] {
    const list = asArray(values);
    const out = { resources: [] as PolicyResource[], ids: [] as string[], all: false, unknown: list === UNKNOWN };
    for (const v of Array.isArray(list) ? list : []) {
        const id = asString(v);
        if (typeof id === "string") out.ids.push(id);
        else if (id === UNKNOWN) out.unknown = true;
    }
    if (out.unknown)
        out.resources.push(
            ...propertyDependencies(holder, property).filter(
                (r) => r.type === NET_TYPES.routeTable || r.type === NET_TYPES.defaultRouteTable,
            ),
        );
    return out;
}

function rawEndpoint(r: PolicyResource, resources: readonly PolicyResource[]): EndpointView {
    const p = rawProps(r.props);
    const service = asString(field(p, "serviceName"));
    const view: EndpointView = {
        where: `'${r.name}' (${r.type})`,
        resource: r,
        api: service === UNKNOWN ? UNKNOWN : (apiOfServiceName(service)?.api ?? String(service)),
        type: typeOf(field(p, "vpcEndpointType")),
        privateDns: asBoolean(field(p, "privateDnsEnabled")) ?? false, // the provider's default
        routeTables: tablesOf(r, field(p, "routeTableIds"), "routeTableIds"),
        ...(field(p, "securityGroupIds") !== undefined
            ? { securityGroups: { values: field(p, "securityGroupIds"), holder: r, property: "securityGroupIds" } }
            : {}),
    };
    for (const a of resources.filter((x) => x.type === NET_TYPES.vpcEndpointRouteTableAssociation)) {
        const ap = rawProps(a.props);
        const ep = asString(field(ap, "vpcEndpointId"));
        if (!(typeof ep === "string" ? knownIds(r).includes(ep) : propertyDependencies(a, "vpcEndpointId").includes(r))) continue;
        const table = asString(field(ap, "routeTableId"));
        if (typeof table === "string") view.routeTables.ids.push(table);
        else view.routeTables.resources.push(...propertyDependencies(a, "routeTableId"));
    }
    return view;
}

function awsxSpecs(vpc: PolicyResource): EndpointView[] | Unknown {
    const props = rawProps(vpc.props);
    const specs = asArray(field(props, "vpcEndpointSpecs"));
    if (specs === UNKNOWN) return UNKNOWN;
    const auto = asString(field(props, "vpcEndpointStrategy")) === "Auto";
    return (specs ?? []).map((spec, i) => {
        const service = asString(field(spec, "serviceName"));
        const type = typeOf(field(spec, "vpcEndpointType"));
        const dns = asBoolean(field(spec, "privateDnsEnabled"));
        const groups = field(spec, "securityGroupIds");
        return {
            where: `\`vpcEndpointSpecs[${i}]\` of awsx Vpc '${vpc.name}'`,
            api: service === UNKNOWN ? UNKNOWN : (apiOfServiceName(service)?.api ?? String(service)),
            type,
            privateDns: dns ?? (auto && type === "interface"),
            routeTables: {
                ...tablesOf(vpc, field(spec, "routeTableIds"), "vpcEndpointSpecs"),
                all: auto && type === "gateway" && field(spec, "routeTableIds") === undefined,
            },
            ...(groups !== undefined
                ? { securityGroups: { values: groups, holder: vpc, property: "vpcEndpointSpecs" } }
                : auto && type === "interface"
                  ? { securityGroups: "awsx-auto" as const }
                  : {}),
        };
    });
}

/** The VPC endpoints of the subnet's VPC; undecided when the VPC cannot be told. */
export function endpointsOfSubnet(subnet: SubnetView, resources: readonly PolicyResource[]): EndpointView[] | { undecided: string } {
    const vpc = subnet.vpc;
    if (vpc === UNKNOWN || vpc === undefined) return { undecided: `the VPC of subnet ${subnet.label} is not known` };
    const vpcIds =
        typeof vpc === "string"
            ? [vpc]
            : [...knownIds(vpc), ...[asString(field(rawProps(vpc.props), "vpcId"))].filter((v): v is string => typeof v === "string")];
    const holders = typeof vpc === "string" ? [] : [vpc, ...(subnet.awsxVpc ? [subnet.awsxVpc] : [])];
    const out: EndpointView[] = [];
    for (const r of resources.filter((x) => x.type === NET_TYPES.vpcEndpoint)) {
        const ref = asString(field(rawProps(r.props), "vpcId"));
        const inVpc =
            typeof ref === "string"
                ? vpcIds.includes(ref)
                : propertyDependencies(r, "vpcId").some((d) => holders.includes(d) || holders.includes(d.parent as PolicyResource));
        if (inVpc) out.push(rawEndpoint(r, resources));
    }
    if (subnet.awsxVpc && !subnet.resource) {
        const specs = awsxSpecs(subnet.awsxVpc);
        if (specs === UNKNOWN) return { undecided: `\`vpcEndpointSpecs\` of awsx Vpc '${subnet.awsxVpc.name}' is not known yet` };
        out.push(...specs);
    }
    return out;
}
