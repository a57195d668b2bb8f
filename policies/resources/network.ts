/**
 * Subnets and their way out: which route table a subnet uses (its `aws:ec2/routeTableAssociation`,
 * else its VPC's main route table) and where that table's default route (`0.0.0.0/0`) goes — a NAT
 * gateway, an internet gateway, something else, or nowhere. awsx `ec2:Vpc` components are read from
 * their children in a real preview and from their args and outputs offline, following awsx's
 * own construction (pulumi-awsx `awsx/ec2/vpc.ts`): public subnets route to the internet gateway,
 * private ones to a NAT gateway unless `natGateways.strategy` is `None` (default `OnePerAz`),
 * isolated ones nowhere.
 */
import type { PolicyResource } from "@pulumi/policy";
import { ancestorOfType, propertyDependencies } from "./stack";
import { knownIds, resourceById } from "./security-groups";
import { NET_TYPES } from "./types-network";
import { UNKNOWN, type Unknown, asArray, asString, field, isUnknown, rawProps } from "./values";

export type InternetPath = "nat" | "igw" | "none" | "other";

export interface SubnetView {
    /** The reference the workload used (an id), or the subnet resource's name when it was found through dependencies. */
    label: string;
    resource?: PolicyResource;
    /** The awsx Vpc (offline: by its outputs) the subnet belongs to. */
    awsxVpc?: PolicyResource;
    awsxKind?: "public" | "private" | "isolated";
    cidr: string | Unknown | undefined;
    /** The VPC: a resource in the stack (aws:ec2/vpc or awsx:ec2:Vpc), or an id. */
    vpc: PolicyResource | string | Unknown | undefined;
}

export type SubnetsRead = { subnets: SubnetView[]; exact: boolean } | { undecided: string };

const AWSX_SUBNET_OUTPUTS: Array<[string, SubnetView["awsxKind"]]> = [
    ["publicSubnetIds", "public"],
    ["privateSubnetIds", "private"],
    ["isolatedSubnetIds", "isolated"],
];

function subnetOfResource(subnet: PolicyResource, label: string, resources: readonly PolicyResource[]): SubnetView {
    const props = rawProps(subnet.props);
    const vpcRef = asString(field(props, "vpcId"));
    const vpc =
        typeof vpcRef === "string"
            ? (resourceById(resources, [NET_TYPES.vpc], vpcRef) ?? vpcRef)
            : (propertyDependencies(subnet, "vpcId").find((r) => r.type === NET_TYPES.vpc) ?? vpcRef);
    return { label, resource: subnet, cidr: asString(field(props, "cidrBlock")), vpc, ...awsxOwner(subnet) };
}

function awsxOwner(subnet: PolicyResource): Pick<SubnetView, "awsxVpc"> {
    const owner = ancestorOfType(subnet, [NET_TYPES.awsxVpc]);
    return owner ? { awsxVpc: owner } : {};
}

/** Offline: an awsx Vpc whose synthesized outputs list the subnet id. */
function subnetOfAwsxOutputs(id: string, resources: readonly PolicyResource[]): SubnetView | undefined {
    for (const vpc of resources.filter((r) => r.type === NET_TYPES.awsxVpc)) {
        const props = rawProps(vpc.props);
        for (const [key, kind] of AWSX_SUBNET_OUTPUTS) {
            const ids = asArray(field(props, key));
            if (Array.isArray(ids) && ids.includes(id)) return { label: id, awsxVpc: vpc, awsxKind: kind, cidr: undefined, vpc };
        }
    }
    return undefined;
}

/** The subnets a workload's `networkConfiguration.subnets` names (`holder`'s `networkConfiguration` explains unknown ones). */
export function resolveSubnets(values: unknown, holder: PolicyResource, resources: readonly PolicyResource[]): SubnetsRead {
    const list = asArray(values);
    const subnets: SubnetView[] = [];
    let unknownEntries = list === UNKNOWN ? 1 : 0;
    for (const v of Array.isArray(list) ? list : []) {
        const ref = asString(v);
        if (ref === UNKNOWN) {
            unknownEntries++;
            continue;
        }
        if (typeof ref !== "string") continue;
        const resource = resourceById(resources, [NET_TYPES.subnet], ref);
        const view = resource ? subnetOfResource(resource, ref, resources) : subnetOfAwsxOutputs(ref, resources);
        if (!view) return { undecided: `subnet ${ref} is not managed in this stack` };
        subnets.push(view);
    }
    if (unknownEntries === 0) return { subnets, exact: true };
    const deps = propertyDependencies(holder, "networkConfiguration");
    const direct = deps.filter((r) => r.type === NET_TYPES.subnet);
    const viaAwsx = deps
        .filter((r) => r.type === NET_TYPES.awsxVpc)
        .flatMap((vpc) => resources.filter((r) => r.type === NET_TYPES.subnet && ancestorOfType(r, [NET_TYPES.awsxVpc]) === vpc));
    const candidates = [...new Set([...direct, ...viaAwsx])].filter((s) => !subnets.some((k) => k.resource === s));
    if (candidates.length === 0)
        return { undecided: `\`networkConfiguration.subnets\` of '${holder.name}' is not known yet and no subnet of this stack feeds it` };
    return {
        subnets: [...subnets, ...candidates.map((s) => subnetOfResource(s, s.name, resources))],
        exact: direct.length === unknownEntries && viaAwsx.length === 0,
    };
}

/** A route table's routes to `0.0.0.0/0`: inline `routes` and `aws:ec2/route:Route` resources. */
function defaultRoutes(
    table: PolicyResource,
    resources: readonly PolicyResource[],
): Array<{ holder: PolicyResource; route: unknown; property: string }> | { undecided: string } {
    const out: Array<{ holder: PolicyResource; route: unknown; property: string }> = [];
    const inline = asArray(field(rawProps(table.props), "routes"));
    if (inline === UNKNOWN) return { undecided: `\`routes\` of route table '${table.name}' is not known yet` };
    for (const r of inline ?? []) {
        const cidr = field(r, "cidrBlock");
        if (isUnknown(cidr)) return { undecided: `a route of '${table.name}' has an unknown destination` };
        if (cidr === "0.0.0.0/0") out.push({ holder: table, route: r, property: "routes" });
    }
    for (const route of resources.filter((r) => r.type === NET_TYPES.route)) {
        const p = rawProps(route.props);
        const ref = asString(field(p, "routeTableId"));
        const belongs =
            typeof ref === "string" ? knownIds(table).includes(ref) : propertyDependencies(route, "routeTableId").includes(table);
        if (!belongs) continue;
        const cidr = field(p, "destinationCidrBlock");
        if (isUnknown(cidr)) return { undecided: `the destination of route '${route.name}' is not known yet` };
        if (cidr === "0.0.0.0/0") out.push({ holder: route, route: p, property: "gatewayId" });
    }
    return out;
}

/** Where one default route leads. */
function targetOf(entry: {
    holder: PolicyResource;
    route: unknown;
    property: string;
}): { path: InternetPath; why: string } | { undecided: string } {
    const r = entry.route;
    const name = `route ${entry.holder.type === NET_TYPES.route ? `'${entry.holder.name}'` : `of '${entry.holder.name}'`}`;
    if (field(r, "natGatewayId") !== undefined) return { path: "nat", why: `${name} goes to a NAT gateway` };
    const gateway = field(r, "gatewayId");
    if (typeof gateway === "string" && !isUnknown(gateway)) {
        if (gateway.startsWith("igw-")) return { path: "igw", why: `${name} goes to internet gateway ${gateway}` };
        const igw = resourceById(propertyDependencies(entry.holder, entry.property), [NET_TYPES.internetGateway], gateway);
        return igw
            ? { path: "igw", why: `${name} goes to internet gateway '${igw.name}'` }
            : { path: "other", why: `${name} goes to gateway ${gateway}` };
    }
    if (gateway !== undefined) {
        const deps = propertyDependencies(entry.holder, entry.property);
        if (deps.some((d) => d.type === NET_TYPES.internetGateway))
            return {
                path: "igw",
                why: `${name} goes to internet gateway '${deps.find((d) => d.type === NET_TYPES.internetGateway)!.name}'`,
            };
        return { undecided: `the gateway of ${name} is not known yet` };
    }
    for (const key of [
        "transitGatewayId",
        "networkInterfaceId",
        "vpcPeeringConnectionId",
        "vpcEndpointId",
        "carrierGatewayId",
        "coreNetworkArn",
        "localGatewayId",
    ]) {
        if (field(r, key) !== undefined) return { path: "other", why: `${name} goes to ${key.replace(/Id$|Arn$/, "")}` };
    }
    return { path: "none", why: `${name} has no target` };
}

/** The route table a subnet resource uses: its association, else its VPC's main route table. */
function routeTableOf(
    subnet: PolicyResource,
    resources: readonly PolicyResource[],
): PolicyResource | { none: string } | { undecided: string } {
    for (const assoc of resources.filter((r) => r.type === NET_TYPES.routeTableAssociation)) {
        const p = rawProps(assoc.props);
        const ref = asString(field(p, "subnetId"));
        const belongs = typeof ref === "string" ? knownIds(subnet).includes(ref) : propertyDependencies(assoc, "subnetId").includes(subnet);
        if (!belongs) continue;
        const tableRef = asString(field(p, "routeTableId"));
        const table =
            typeof tableRef === "string"
                ? resourceById(resources, [NET_TYPES.routeTable, NET_TYPES.defaultRouteTable], tableRef)
                : propertyDependencies(assoc, "routeTableId").find(
                      (r) => r.type === NET_TYPES.routeTable || r.type === NET_TYPES.defaultRouteTable,
                  );
        return (
            table ?? {
                undecided: `route table ${String(tableRef === UNKNOWN ? "(unknown)" : tableRef)} of '${assoc.name}' is not managed in this stack`,
            }
        );
    }
    const view = subnetOfResource(subnet, subnet.name, resources);
    if (typeof view.vpc !== "object" || view.vpc === null)
        return { undecided: `the VPC of subnet '${subnet.name}' is not managed in this stack, so its main route table is unknown` };
    const vpc = view.vpc;
    for (const main of resources.filter((r) => r.type === NET_TYPES.mainRouteTableAssociation || r.type === NET_TYPES.defaultRouteTable)) {
        const key = main.type === NET_TYPES.defaultRouteTable ? "defaultRouteTableId" : "vpcId";
        if (!propertyDependencies(main, key).includes(vpc) && !knownIds(vpc).includes(String(field(rawProps(main.props), key)))) continue;
        if (main.type === NET_TYPES.defaultRouteTable) return main;
        const tableRef = asString(field(rawProps(main.props), "routeTableId"));
        const table =
            typeof tableRef === "string"
                ? resourceById(resources, [NET_TYPES.routeTable], tableRef)
                : propertyDependencies(main, "routeTableId").find((r) => r.type === NET_TYPES.routeTable);
        if (table) return table;
    }
    return {
        none: `subnet '${subnet.name}' has no route table association, and the main route table of its VPC '${vpc.name}' has only the local route`,
    };
}

export type PathRead = { path: InternetPath; why: string; routeTable?: PolicyResource } | { undecided: string };

/** Where traffic to the internet from a subnet goes. */
export function internetPathOf(subnet: SubnetView, resources: readonly PolicyResource[]): PathRead {
    if (!subnet.resource) return awsxArgsPath(subnet);
    const table = routeTableOf(subnet.resource, resources);
    if ("none" in table) return { path: "none", why: table.none };
    if ("undecided" in table) return table;
    const routes = defaultRoutes(table, resources);
    if ("undecided" in routes) return routes;
    if (routes.length === 0) return { path: "none", why: `route table '${table.name}' has no route to 0.0.0.0/0`, routeTable: table };
    const target = targetOf(routes[0]);
    return "undecided" in target ? target : { ...target, routeTable: table };
}

/** Offline awsx Vpc: the path its args give a subnet of this kind. */
function awsxArgsPath(subnet: SubnetView): PathRead {
    const vpc = subnet.awsxVpc;
    if (!vpc) return { undecided: `subnet ${subnet.label} is not managed in this stack` };
    const strategy = asString(field(field(rawProps(vpc.props), "natGateways"), "strategy"));
    if (strategy === UNKNOWN) return { undecided: `\`natGateways.strategy\` of awsx Vpc '${vpc.name}' is not known yet` };
    const where = `${subnet.awsxKind} subnet ${subnet.label} of awsx Vpc '${vpc.name}'`;
    if (subnet.awsxKind === "public") return { path: "igw", why: `${where} routes to the VPC's internet gateway` };
    if (subnet.awsxKind === "isolated") return { path: "none", why: `${where} has no route out (isolated)` };
    if ((strategy ?? "OnePerAz").toLowerCase() === "none")
        return { path: "none", why: `${where} has no NAT gateway (\`natGateways.strategy: "None"\`)` };
    return { path: "nat", why: `${where} routes to a NAT gateway (\`natGateways.strategy: ${JSON.stringify(strategy ?? "OnePerAz")}\`)` };
}

/** The VPC's IPv4 CIDR, when known. */
export function vpcCidrOf(vpc: SubnetView["vpc"]): string | undefined {
    if (typeof vpc !== "object" || vpc === null) return undefined;
    const props = rawProps(vpc.props);
    const cidr = asString(field(props, "cidrBlock")) ?? (vpc.type === NET_TYPES.awsxVpc ? "10.0.0.0/16" : undefined); // awsx's default CIDR
    return typeof cidr === "string" ? cidr : undefined;
}

/** The known subnet CIDRs of a set of subnets, or `undefined` when one is not known; and the VPC CIDR they lie in. */
export function subnetAddresses(subnets: SubnetView[]): { cidrs?: string[]; within?: string } {
    const cidrs = subnets.map((s) => s.cidr);
    const within = subnets.map((s) => vpcCidrOf(s.vpc)).find((c): c is string => c !== undefined);
    if (cidrs.every((c): c is string => typeof c === "string")) return { cidrs, ...(within ? { within } : {}) };
    return within ? { within } : {};
}
