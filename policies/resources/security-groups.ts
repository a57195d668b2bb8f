/**
 * Security groups and their rules as a stack declares them: inline `ingress`/`egress` of
 * `aws:ec2/securityGroup:SecurityGroup`, `aws:ec2/securityGroupRule:SecurityGroupRule`, and
 * `aws:vpc/securityGroupIngressRule`/`…EgressRule`. References (a group's id in a list, a rule's
 * `securityGroupId`, its source group) are followed by id — a group's `id` or the last segment of
 * its ARN (`…:security-group/sg-0abc`) — and, when unknown in a preview, by property dependencies.
 * The verdict ({@link admitsTcp}) is decided by the domain's rule arithmetic (domain/network.ts).
 */
import type { PolicyResource } from "@pulumi/policy";
import { cidrContains, parseIpv4Cidr, ruleCoversTcpPort, ruleProtocol } from "../domain/index";
import { propertyDependencies } from "./stack";
import { NET_TYPES } from "./types-network";
import { UNKNOWN, type Unknown, asArray, asBoolean, asNumberValue, asString, field, isUnknown, rawProps } from "./values";

/** The ids a resource is known by: its `id` output, and the last segment of its ARN. */
export function knownIds(resource: PolicyResource): string[] {
    const props = rawProps(resource.props);
    const ids: string[] = [];
    const id = field(props, "id");
    if (typeof id === "string") ids.push(id);
    const arn = field(props, "arn");
    if (typeof arn === "string" && arn.includes("/")) ids.push(arn.slice(arn.lastIndexOf("/") + 1));
    return ids;
}

/** The resource of one of `types` known by id `reference`. */
export function resourceById(
    resources: readonly PolicyResource[],
    types: readonly string[],
    reference: string,
): PolicyResource | undefined {
    return resources.find((r) => types.includes(r.type) && knownIds(r).includes(reference));
}

/** Security groups a list of references names: resolved groups, ids outside the stack, and how many could not be followed. */
export interface GroupSet {
    groups: PolicyResource[];
    external: string[];
    unresolved: number;
}

/**
 * Resolves a list of security group references (`values`), written in `holder.props[property]`.
 * Unknown entries are matched to the security groups among the property dependencies.
 */
export function resolveGroups(values: unknown, holder: PolicyResource, property: string, resources: readonly PolicyResource[]): GroupSet {
    const list = asArray(values);
    const fromDeps = () => [...new Set(propertyDependencies(holder, property).filter((r) => r.type === NET_TYPES.securityGroup))];
    if (list === UNKNOWN) {
        const deps = fromDeps();
        return { groups: deps, external: [], unresolved: deps.length === 0 ? 1 : 0 };
    }
    const out: GroupSet = { groups: [], external: [], unresolved: 0 };
    let unknownEntries = 0;
    for (const v of list ?? []) {
        const ref = asString(v);
        if (ref === UNKNOWN) {
            unknownEntries++;
            continue;
        }
        if (typeof ref !== "string") continue;
        const group = resourceById(resources, [NET_TYPES.securityGroup], ref);
        if (group) out.groups.push(group);
        else out.external.push(ref);
    }
    if (unknownEntries > 0) {
        const deps = fromDeps().filter((g) => !out.groups.includes(g));
        if (deps.length === 0) out.unresolved += unknownEntries;
        else out.groups.push(...deps);
    }
    return out;
}

/** Who a rule lets in (ingress) or out to (egress). */
export type Peer =
    { group: PolicyResource } | { groupId: string } | { cidr: string } | { self: true } | { prefixList: true } | { unknown: string };

export interface SgRule {
    protocol: unknown;
    fromPort: number | Unknown | undefined;
    toPort: number | Unknown | undefined;
    peers: Peer[];
    /** Where the rule is written, for messages: `'api-tasks' ingress[0]`, `'db-from-api' (aws:vpc/securityGroupIngressRule:…)`. */
    where: string;
}

function groupPeers(
    values: unknown,
    holder: PolicyResource,
    property: string,
    resources: readonly PolicyResource[],
    exclude?: PolicyResource,
): Peer[] {
    const list = asArray(values);
    if (list === undefined) return [];
    const set = resolveGroups(values, holder, property, resources);
    const peers: Peer[] = set.groups.filter((g) => g !== exclude).map((group) => ({ group }));
    peers.push(...set.external.map((groupId) => ({ groupId })));
    if (set.unresolved > 0) peers.push({ unknown: `a security group referenced in \`${property}\` of '${holder.name}' is not known yet` });
    return peers;
}

function cidrPeers(values: unknown, where: string): Peer[] {
    const list = asArray(values);
    if (list === UNKNOWN) return [{ unknown: `the CIDR blocks of ${where} are not known yet` }];
    return (list ?? []).map((v) => (isUnknown(v) ? { unknown: `a CIDR block of ${where} is not known yet` } : { cidr: String(v) }));
}

function hasItems(value: unknown): boolean {
    const list = asArray(value);
    return list === UNKNOWN || (Array.isArray(list) && list.length > 0);
}

/** Inline rules of a security group (`ingress`/`egress` lists). */
function inlineRules(sg: PolicyResource, direction: "ingress" | "egress", resources: readonly PolicyResource[]): SgRule[] | Unknown {
    const list = asArray(field(rawProps(sg.props), direction));
    if (list === UNKNOWN) return UNKNOWN;
    return (list ?? []).map((rule, i) => {
        const where = `'${sg.name}' \`${direction}[${i}]\``;
        const peers: Peer[] = [
            ...cidrPeers(field(rule, "cidrBlocks"), where),
            ...groupPeers(field(rule, "securityGroups"), sg, direction, resources, sg),
        ];
        if (asBoolean(field(rule, "self")) === true) peers.push({ self: true });
        if (hasItems(field(rule, "prefixListIds"))) peers.push({ prefixList: true });
        return {
            protocol: field(rule, "protocol"),
            fromPort: asNumberValue(field(rule, "fromPort")),
            toPort: asNumberValue(field(rule, "toPort")),
            peers,
            where,
        };
    });
}

/** True when a standalone rule's `securityGroupId` names `sg`; UNKNOWN when it cannot be told. */
function ruleBelongsTo(rule: PolicyResource, sg: PolicyResource): boolean | Unknown {
    const ref = asString(field(rawProps(rule.props), "securityGroupId"));
    if (typeof ref === "string") return knownIds(sg).includes(ref);
    if (propertyDependencies(rule, "securityGroupId").includes(sg)) return true;
    return ref === UNKNOWN && propertyDependencies(rule, "securityGroupId").length === 0 ? UNKNOWN : false;
}

/** A standalone rule resource as an {@link SgRule}, or `undefined` when it is of the other direction. */
function standaloneRule(rule: PolicyResource, direction: "ingress" | "egress", resources: readonly PolicyResource[]): SgRule | undefined {
    const p = rawProps(rule.props);
    const where = `'${rule.name}' (${rule.type})`;
    if (rule.type === NET_TYPES.securityGroupRule) {
        const type = asString(field(p, "type"));
        if (type !== direction) return undefined;
        const peers: Peer[] = [...cidrPeers(field(p, "cidrBlocks"), where)];
        const source = field(p, "sourceSecurityGroupId");
        if (source !== undefined) peers.push(...groupPeers([source], rule, "sourceSecurityGroupId", resources));
        if (asBoolean(field(p, "self")) === true) peers.push({ self: true });
        if (hasItems(field(p, "prefixListIds"))) peers.push({ prefixList: true });
        return {
            protocol: field(p, "protocol"),
            fromPort: asNumberValue(field(p, "fromPort")),
            toPort: asNumberValue(field(p, "toPort")),
            peers,
            where,
        };
    }
    const wanted = direction === "ingress" ? NET_TYPES.securityGroupIngressRule : NET_TYPES.securityGroupEgressRule;
    if (rule.type !== wanted) return undefined;
    const peers: Peer[] = [];
    const cidr = field(p, "cidrIpv4");
    if (cidr !== undefined) peers.push(...cidrPeers([cidr], where));
    const referenced = field(p, "referencedSecurityGroupId");
    if (referenced !== undefined) peers.push(...groupPeers([referenced], rule, "referencedSecurityGroupId", resources));
    if (field(p, "prefixListId") !== undefined) peers.push({ prefixList: true });
    return {
        protocol: field(p, "ipProtocol"),
        fromPort: asNumberValue(field(p, "fromPort")),
        toPort: asNumberValue(field(p, "toPort")),
        peers,
        where,
    };
}

const STANDALONE_RULE_TYPES: readonly string[] = [
    NET_TYPES.securityGroupRule,
    NET_TYPES.securityGroupIngressRule,
    NET_TYPES.securityGroupEgressRule,
];

/** Every rule of `sg` in one direction; `unknown` lists what could not be read. */
export function rulesOf(
    sg: PolicyResource,
    direction: "ingress" | "egress",
    resources: readonly PolicyResource[],
): { rules: SgRule[]; unknown: string[] } {
    const unknown: string[] = [];
    const inline = inlineRules(sg, direction, resources);
    const rules: SgRule[] = [];
    if (inline === UNKNOWN) unknown.push(`\`${direction}\` of '${sg.name}' is not known yet`);
    else rules.push(...inline);
    for (const r of resources) {
        if (!STANDALONE_RULE_TYPES.includes(r.type)) continue;
        const belongs = ruleBelongsTo(r, sg);
        if (belongs === false) continue;
        const rule = standaloneRule(r, direction, resources);
        if (!rule) continue;
        if (belongs === UNKNOWN) unknown.push(`the security group of rule '${r.name}' is not known yet`);
        else rules.push(rule);
    }
    return { rules, unknown };
}

/** The other side of a connection: its security groups, and its addresses (CIDRs, or unknown within a VPC CIDR). */
export interface PeerSide {
    groups: PolicyResource[];
    /** Known CIDRs of the peer's subnets; `undefined` when unknown. */
    cidrs?: string[];
    /** A CIDR the peer's addresses are known to lie in (its VPC's), when `cidrs` is unknown. */
    within?: string;
}

export type Admission = { admitted: true; by: string } | { admitted: false; checked: number } | { undecided: string };

function peerMatches(peer: Peer, owner: PolicyResource, other: PeerSide): boolean | string {
    if ("group" in peer) return other.groups.includes(peer.group);
    if ("self" in peer) return other.groups.includes(owner);
    if ("groupId" in peer) return other.groups.some((g) => knownIds(g).includes(peer.groupId));
    if ("prefixList" in peer) return false;
    if ("unknown" in peer) return peer.unknown;
    if (parseIpv4Cidr(peer.cidr) === undefined) return false; // IPv6 or malformed: not an IPv4 path
    if (other.cidrs) return other.cidrs.length > 0 && other.cidrs.every((c) => cidrContains(peer.cidr, c) === true);
    if (cidrContains(peer.cidr, "0.0.0.0/0")) return true;
    if (other.within && cidrContains(peer.cidr, other.within)) return true;
    return other.within && cidrContains(other.within, peer.cidr)
        ? `rule CIDR ${peer.cidr} covers part of ${other.within}, and the peer's subnets are not known`
        : false;
}

/**
 * Whether any of `groups` lets TCP `port` in from (ingress) or out to (egress) `other`. Decided when
 * a rule admits it, or when every rule is known and none does; undecided otherwise.
 */
export function admitsTcp(
    groups: PolicyResource[],
    direction: "ingress" | "egress",
    port: number,
    other: PeerSide,
    resources: readonly PolicyResource[],
): Admission {
    const doubts: string[] = [];
    let checked = 0;
    for (const sg of groups) {
        const { rules, unknown } = rulesOf(sg, direction, resources);
        doubts.push(...unknown);
        for (const rule of rules) {
            checked++;
            if (isUnknown(rule.protocol) || rule.fromPort === UNKNOWN || rule.toPort === UNKNOWN) {
                doubts.push(`the protocol or ports of ${rule.where} are not known yet`);
                continue;
            }
            const all = ruleProtocol(rule.protocol) === "all";
            if (!ruleCoversTcpPort(rule.protocol, all ? undefined : rule.fromPort, all ? undefined : rule.toPort, port)) continue;
            for (const peer of rule.peers) {
                const match = peerMatches(peer, sg, other);
                if (match === true) return { admitted: true, by: rule.where };
                if (typeof match === "string") doubts.push(match);
            }
        }
    }
    return doubts.length > 0 ? { undecided: doubts[0] } : { admitted: false, checked };
}
