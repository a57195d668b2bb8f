/**
 * VPC reachability facts: IPv4 CIDR containment, what a security group rule admits, and the
 * ready-to-paste rule a finding proposes.
 *
 * Facts relied on (Amazon VPC User Guide, "Security group rules"; AWS provider docs):
 * - Security groups are stateful and allow-only: traffic flows when an ingress rule of the
 *   receiver's group admits it AND an egress rule of the sender's group lets it out (responses are
 *   always allowed). A rule's source/destination is a CIDR, a prefix list or another security
 *   group (members of that group); `self` means the group itself.
 * - Protocol `-1` (or `all`) means every protocol and every port (`fromPort`/`toPort` are ignored);
 *   `tcp` (protocol number 6) covers `fromPort`..`toPort`.
 * - A new security group made by the AWS provider has NO egress rule: AWS adds "allow all" on
 *   creation and the provider removes it (pulumi-aws `aws.ec2.SecurityGroup` docs, "NOTE on Egress
 *   rules"). A group with neither inline `egress` nor separate egress rules lets nothing out.
 *
 * Pure: no Pulumi, no I/O, never throws.
 */

/** An IPv4 CIDR as a 32-bit base and a prefix length. */
export interface Ipv4Cidr {
    base: number;
    prefix: number;
}

/** Parses `a.b.c.d/n` (a bare address is `/32`); `undefined` for anything else (IPv6 included). */
export function parseIpv4Cidr(text: unknown): Ipv4Cidr | undefined {
    if (typeof text !== "string") return undefined;
    const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?\s*$/.exec(text);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = m[5] === undefined ? 32 : Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const address = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { base: (address & mask) >>> 0, prefix };
}

/** True when `outer` contains all of `inner`; `undefined` when either is not an IPv4 CIDR. */
export function cidrContains(outer: unknown, inner: unknown): boolean | undefined {
    const o = parseIpv4Cidr(outer);
    const i = parseIpv4Cidr(inner);
    if (!o || !i) return undefined;
    if (o.prefix > i.prefix) return false;
    const mask = o.prefix === 0 ? 0 : (0xffffffff << (32 - o.prefix)) >>> 0;
    return (i.base & mask) >>> 0 === o.base;
}

/** The protocol of a security group rule: every protocol, TCP, or another one. */
export type RuleProtocol = "all" | "tcp" | "other";

export function ruleProtocol(protocol: unknown): RuleProtocol {
    const p = String(protocol ?? "")
        .trim()
        .toLowerCase();
    if (p === "-1" || p === "all") return "all";
    if (p === "tcp" || p === "6") return "tcp";
    return "other";
}

/** Whether a rule with `protocol`/`fromPort`/`toPort` (numbers already parsed) lets TCP `port` through. */
export function ruleCoversTcpPort(protocol: unknown, fromPort: number | undefined, toPort: number | undefined, port: number): boolean {
    const kind = ruleProtocol(protocol);
    if (kind === "all") return true;
    if (kind !== "tcp" || fromPort === undefined) return false;
    const to = toPort ?? fromPort;
    return fromPort <= port && port <= to;
}

/** A TypeScript identifier for a resource's variable, from its Pulumi name (`platform-postgres` → `platformPostgres`). */
export function identifierOf(resourceName: string): string {
    const words = resourceName.split(/[^A-Za-z0-9]+/).filter(Boolean);
    const id = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() : w.charAt(0).toUpperCase()) + w.slice(1)).join("");
    return /^[A-Za-z_]/.test(id) ? id : `sg${id}`;
}

/** One side of a proposed rule: a security group (by its variable) or a CIDR. */
export type RulePeer = { securityGroup: string } | { cidr: string };

/**
 * The `aws.vpc.SecurityGroupIngressRule` (or `…EgressRule`) that admits TCP `port` between `group`
 * and `peer`, as TypeScript to paste; security groups are named by the variables holding them.
 */
export function securityGroupRuleSnippet(args: {
    direction: "ingress" | "egress";
    name: string;
    group: string;
    peer: RulePeer;
    port: number;
    description: string;
}): string {
    const kind = args.direction === "ingress" ? "SecurityGroupIngressRule" : "SecurityGroupEgressRule";
    const peer =
        "securityGroup" in args.peer
            ? `referencedSecurityGroupId: ${args.peer.securityGroup}.id`
            : `cidrIpv4: ${JSON.stringify(args.peer.cidr)}`;
    return `new aws.vpc.${kind}(${JSON.stringify(args.name)}, { securityGroupId: ${args.group}.id, ${peer}, ipProtocol: "tcp", fromPort: ${args.port}, toPort: ${args.port}, description: ${JSON.stringify(args.description)} });`;
}

/** Default ports of data store engines (RDS and ElastiCache defaults). */
export function defaultPortOf(engine: string | undefined, type: "rds" | "cache"): number | undefined {
    const e = (engine ?? "").toLowerCase();
    if (type === "cache") return e === "memcached" ? 11211 : 6379;
    if (/postgres/.test(e)) return 5432;
    if (/mysql|mariadb/.test(e)) return 3306;
    if (/sqlserver/.test(e)) return 1433;
    if (/oracle/.test(e)) return 1521;
    if (/^db2/.test(e)) return 50000;
    return undefined;
}

/**
 * The host a connection setting names, lower case: the host of a URL of any scheme
 * (`postgres://u:p@db.x:5432/app`, `rediss://master.x.cache.amazonaws.com:6379`), or a bare
 * `host[:port]`. `undefined` for values that name no host (free text, paths, numbers).
 */
export function connectionHost(value: string): string | undefined {
    const text = value.trim();
    const url = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9+.-]*:)?\/\/([^/?#]*)/.exec(text);
    const authority = url ? url[1] : /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(text) ? text : undefined;
    if (authority === undefined) return undefined;
    const hostPort = authority.slice(authority.lastIndexOf("@") + 1).split(",")[0];
    const host = hostPort.startsWith("[") ? hostPort.slice(1, hostPort.indexOf("]")) : hostPort.split(":")[0];
    return /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(host) ? host.toLowerCase() : undefined;
}
