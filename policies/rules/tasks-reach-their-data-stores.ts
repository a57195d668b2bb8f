import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { type RulePeer, connectionHost, defaultPortOf, identifierOf, securityGroupRuleSnippet } from "../domain/index";
import { type StackContext, stackRule } from "../kit";
import {
    DATA_STORE_TYPES,
    type DataStoreView,
    type GroupSet,
    type PeerSide,
    TYPES,
    type TaskDefinitionSource,
    UNKNOWN,
    type Workload,
    admitsTcp,
    asNumberValue,
    asString,
    containerSettings,
    dataStoreOfHost,
    dataStores,
    field,
    loadBalancersOf,
    propertyDependencies,
    rawProps,
    resolveGroups,
    resolveSubnets,
    sourcesOfProperty,
    subnetAddresses,
    targetGroupOf,
    workloads,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

type Ctx = StackContext<object>;

/** How a workload is wired to a data store, for the message. */
type Links = Map<DataStoreView, string>;

const STORED_VALUE_TYPES: readonly string[] = [TYPES.ssmParameter, TYPES.secretVersion];

/** Data stores the values of `holder[property]` came from, directly or through an SSM parameter or secret version. */
function storesFeeding(holder: PolicyResource, property: string, stores: DataStoreView[]): DataStoreView[] {
    const direct = sourcesOfProperty(holder, property, [...DATA_STORE_TYPES, ...STORED_VALUE_TYPES]);
    const viaStored = direct
        .filter((r) => STORED_VALUE_TYPES.includes(r.type))
        .flatMap((r) => ["value", "insecureValue", "secretString"].flatMap((p) => propertyDependencies(r, p)));
    return stores.filter((s) => direct.includes(s.resource) || viaStored.includes(s.resource));
}

/** The data stores a task definition's containers are wired to, with the evidence. */
function linkedStores(source: TaskDefinitionSource, stores: DataStoreView[], resources: readonly PolicyResource[]): Links {
    const links: Links = new Map();
    for (const s of storesFeeding(source.resource, source.containersProperty, stores))
        links.set(s, "its outputs feed the container definitions");
    const read = source.view.containers;
    if (read.status !== "ok") return links;
    for (const c of read.containers) {
        const settings = containerSettings(source, c, resources);
        if (settings === UNKNOWN) continue;
        for (const setting of settings) {
            if (setting.value === UNKNOWN) {
                for (const s of storesFeeding(setting.holder, setting.property, stores))
                    if (!links.has(s)) links.set(s, `${setting.where} comes from it`);
                continue;
            }
            const host = connectionHost(setting.value);
            const store = host ? dataStoreOfHost(host, stores, setting) : undefined;
            if (store) links.set(store, `${setting.where} names its endpoint`);
        }
    }
    return links;
}

function portOf(store: DataStoreView): number | typeof UNKNOWN | undefined {
    if (store.port !== undefined) return store.port;
    const cache = store.resource.type !== TYPES.rdsInstance && store.resource.type !== TYPES.rdsCluster;
    return defaultPortOf(typeof store.engine === "string" ? store.engine : undefined, cache ? "cache" : "rds");
}

/** Security groups of one side that are all known and in the stack, or why not. */
function known(set: GroupSet, whose: string): PolicyResource[] | { undecided: string } {
    if (set.unresolved > 0) return { undecided: `the security groups of ${whose} are not known yet` };
    if (set.external.length > 0) return { undecided: `security group ${set.external[0]} of ${whose} is not managed in this stack` };
    if (set.groups.length === 0)
        return {
            undecided: `no security group is set for ${whose}, so the VPC's default group (whose rules are not in the program) applies`,
        };
    return set.groups;
}

function snippet(
    direction: "ingress" | "egress",
    group: PolicyResource,
    peer: RulePeer,
    port: number,
    name: string,
    description: string,
): string {
    return securityGroupRuleSnippet({ direction, name, group: identifierOf(group.name), peer, port, description });
}

interface Side {
    name: string;
    groups: PolicyResource[];
    addresses: Omit<PeerSide, "groups">;
}

/** One direction of one connection: `from` must be let out on `port` and `to` must let it in. */
function judgeConnection(ctx: Ctx, w: Workload, path: string, from: Side, to: Side, port: number, why: string): void {
    const subject = ctx.subject(w.resource);
    const checks: Array<{ direction: "ingress" | "egress"; groups: PolicyResource[]; other: Side; verb: string }> = [
        {
            direction: "ingress",
            groups: to.groups,
            other: from,
            verb: `no ingress rule of ${to.name}'s security groups admits ${from.name}`,
        },
        {
            direction: "egress",
            groups: from.groups,
            other: to,
            verb: `no egress rule of ${from.name}'s security groups lets traffic out to ${to.name}`,
        },
    ];
    for (const check of checks) {
        const verdict = admitsTcp(
            check.groups,
            check.direction,
            port,
            { groups: check.other.groups, ...check.other.addresses },
            ctx.resources,
        );
        if ("undecided" in verdict) {
            ctx.report.undecided(subject, { path, reason: verdict.undecided });
            continue;
        }
        if (verdict.admitted) continue;
        const group = check.groups[0];
        const peerGroup = check.other.groups[0];
        const rule = snippet(
            check.direction,
            group,
            { securityGroup: identifierOf(peerGroup.name) },
            port,
            `${group.name}-${check.direction === "ingress" ? "from" : "to"}-${peerGroup.name}`,
            `${from.name} to ${to.name} on ${port}`,
        );
        ctx.report.violation(subject, {
            path,
            found: `${from.name} → ${to.name} on TCP ${port} (${why}): ${check.verb} (${verdict.checked} ${check.direction} rule(s) checked)`,
            problem: `Security groups drop the connection silently: ${check.direction === "ingress" ? "the connection times out" : "the tasks cannot open it"}, so the app fails to start or to serve (the seed outage's "verify security group rules allow ECS-to-RDS communication")`,
            fix: `Add the rule (\`${identifierOf(group.name)}\` and \`${identifierOf(peerGroup.name)}\` stand for the security groups '${group.name}' and '${peerGroup.name}'): \`${rule}\``,
        });
    }
}

function taskSide(ctx: Ctx, w: Workload): Side | { undecided: string } {
    if (w.awsxDefaultNetwork)
        return {
            undecided:
                "awsx creates the task security group itself (no `networkConfiguration`); it is judged in a real preview, where it exists",
        };
    const groups = known(
        resolveGroups(w.securityGroups, w.resource, "networkConfiguration", ctx.resources),
        `the tasks of '${w.resource.name}'`,
    );
    if ("undecided" in groups) return groups;
    const subnets = resolveSubnets(w.subnets, w.resource, ctx.resources);
    return { name: `the tasks of '${w.resource.name}'`, groups, addresses: "undecided" in subnets ? {} : subnetAddresses(subnets.subnets) };
}

function judgeStore(ctx: Ctx, w: Workload, tasks: Side, store: DataStoreView, why: string): void {
    const port = portOf(store);
    const path = "networkConfiguration.securityGroups";
    if (port === UNKNOWN || port === undefined)
        return ctx.report.undecided(ctx.subject(w.resource), { path, reason: `the port of '${store.resource.name}' is not known` });
    if (store.securityGroups === UNKNOWN && propertyDependencies(store.resource, store.securityGroupsProperty).length === 0) {
        return ctx.report.undecided(ctx.subject(w.resource), {
            path,
            reason: `the security groups of '${store.resource.name}' are not known yet`,
        });
    }
    const groups = known(
        resolveGroups(store.securityGroups, store.resource, store.securityGroupsProperty, ctx.resources),
        `'${store.resource.name}'`,
    );
    if ("undecided" in groups) return ctx.report.undecided(ctx.subject(w.resource), { path, reason: groups.undecided });
    const within = tasks.addresses.within;
    judgeConnection(ctx, w, path, tasks, { name: `'${store.resource.name}'`, groups, addresses: within ? { within } : {} }, port, why);
}

/** The load balancers in front of the workload must reach its tasks on the container port. */
function judgeLoadBalancers(ctx: Ctx, w: Workload, tasks: Side): void {
    if (w.loadBalancers === UNKNOWN || w.kind !== "aws") return; // awsx args: the ALB's groups are awsx's own, judged in a real preview
    for (const lb of w.loadBalancers) {
        const path = `loadBalancers[${lb.index}]`;
        const found = targetGroupOf(w.resource, lb.targetGroupArn, lb.index, w.loadBalancers.length, ctx.resources);
        const port = asNumberValue(lb.containerPort);
        if (found.status !== "found" || port === undefined) continue; // probe-paths-aligned reports target groups it cannot follow
        if (port === UNKNOWN) {
            ctx.report.undecided(ctx.subject(w.resource), { path: `${path}.containerPort` });
            continue;
        }
        const lbs = loadBalancersOf(found.resource, ctx.resources);
        if (lbs.length === 0) {
            ctx.report.undecided(ctx.subject(w.resource), {
                path,
                reason: `no load balancer of this stack forwards to target group '${found.resource.name}'`,
            });
            continue;
        }
        for (const balancer of lbs) {
            if (
                asString(field(rawProps(balancer.props), "loadBalancerType")) === "network" &&
                field(rawProps(balancer.props), "securityGroups") === undefined
            )
                continue;
            const groups = known(
                resolveGroups(field(rawProps(balancer.props), "securityGroups"), balancer, "securityGroups", ctx.resources),
                `load balancer '${balancer.name}'`,
            );
            if ("undecided" in groups) {
                ctx.report.undecided(ctx.subject(w.resource), { path, reason: groups.undecided });
                continue;
            }
            const within = tasks.addresses.within;
            judgeConnection(
                ctx,
                w,
                path,
                { name: `load balancer '${balancer.name}'`, groups, addresses: within ? { within } : {} },
                tasks,
                port,
                `target group '${found.resource.name}' sends traffic and health checks to container port ${port}`,
            );
        }
    }
}

/**
 * Security groups are the silent deploy-breaker: the task starts, cannot reach its database (or the
 * ALB cannot reach the task), times out, and ECS replaces it forever.
 */
export const tasksReachTheirDataStores: StackValidationPolicy = {
    name: "tasks-reach-their-data-stores",
    description:
        "The security groups of every ECS service must let its tasks reach each data store they are wired to, and let its load balancer reach the tasks on the container port, in both the ingress and the egress direction.",
    enforcementLevel: "mandatory",
    validateStack: stackRule({}, (ctx) => {
        const stores = dataStores(ctx.resources);
        for (const w of workloads(ctx.resources)) {
            const source = w.taskDefinition && !("undecided" in w.taskDefinition) ? w.taskDefinition : undefined;
            const links = source ? linkedStores(source, stores, ctx.resources) : new Map<DataStoreView, string>();
            const hasLoadBalancer = w.loadBalancers !== UNKNOWN && w.loadBalancers.length > 0;
            if (links.size === 0 && !hasLoadBalancer) continue;
            const tasks = taskSide(ctx, w);
            if ("undecided" in tasks) {
                ctx.report.undecided(ctx.subject(w.resource), { path: "networkConfiguration", reason: tasks.undecided });
                continue;
            }
            for (const [store, why] of links) judgeStore(ctx, w, tasks, store, why);
            judgeLoadBalancers(ctx, w, tasks);
        }
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(tasksReachTheirDataStores, {
    levelNote: ` (stack policy)`,
    checks: `for every ECS service (\`aws:ecs/service:Service\`: raw, HealthyFargateService's, the one
awsx creates in a real preview; offline, \`awsx:ecs:FargateService\` args with a
\`networkConfiguration\`):

- the **data stores its tasks are wired to** — RDS instances and clusters, ElastiCache replication
  groups, clusters and serverless caches — found by host (a URL of any scheme or a bare \`host[:port]\`
  in an \`environment\` value, or in the SSM parameter or secret version behind a \`secrets\` entry,
  matched against the store's endpoint outputs), or by property dependencies (the store's outputs,
  directly or through an SSM parameter or secret version, feed the container definitions: how a
  preview links them while endpoints are unknown);
- each store's security groups (\`vpcSecurityGroupIds\`, \`securityGroupIds\`) must **admit** the
  tasks' security groups (\`networkConfiguration.securityGroups\`), their subnets' CIDRs (or a CIDR that
  contains the VPC's), \`self\`, on the store's port (\`port\`, else the engine's default: 5432, 3306,
  6379, 11211, …); and the tasks' groups must **let the connection out** (egress to the store's group,
  or to a CIDR containing the VPC's or \`0.0.0.0/0\`);
- for each \`loadBalancers[]\` attachment, the load balancers forwarding to its target group
  (listeners' \`defaultActions\` and listener rules' \`actions\`, followed to \`loadBalancerArn\`) must
  reach the tasks on the container port: ingress on the tasks' groups from the load balancer's
  groups, egress on the load balancer's groups to the tasks. NLBs without security groups are skipped.

Rules are read from inline \`ingress\`/\`egress\` of \`aws:ec2/securityGroup:SecurityGroup\`,
\`aws:ec2/securityGroupRule:SecurityGroupRule\` and \`aws:vpc/securityGroupIngressRule\`/\`…EgressRule\`,
linked by id (a group's \`id\` or the last segment of its ARN) and, while unknown in a preview, by
property dependencies; protocol \`-1\` covers every port (\`domain/network.ts\`). A group with no egress
rule lets nothing out: the AWS provider removes the allow-all rule AWS adds on creation
(pulumi-aws \`aws.ec2.SecurityGroup\` docs). \`[undecided]\`: a security group, subnet, route or port
not known yet or not managed in this stack, a store without security groups (the VPC's default
group, whose rules are not in the program), awsx without \`networkConfiguration\` offline (awsx makes
the group itself; judged in a real preview, where it exists), a rule whose CIDR covers part of the
VPC while the subnets' CIDRs are unknown. Inline and separate rules on one group are combined (the
provider warns that mixing them makes them overwrite each other on later updates).`,
    rationale: `Security groups drop what they do not admit, silently: the app's connection to its
database times out (the seed outage: "verify security group rules allow ECS-to-RDS
communication"), the ALB's health checks time out, and ECS replaces the tasks until the circuit
breaker rolls the deployment back.`,
    config: `none.`,
    remediation: `The finding shows the rule to add, ready to paste, with the security groups' variables
named after their resources:
\`new aws.vpc.SecurityGroupIngressRule("db-from-api-tasks", { securityGroupId: db.id, referencedSecurityGroupId: apiTasks.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432, … })\`.`,
    examples: `Fails:
\`\`\`ts
const dbSg = new aws.ec2.SecurityGroup("db", { vpcId });               // no rule admits the tasks
const db = new aws.rds.Instance("db", { vpcSecurityGroupIds: [dbSg.id], /* … */ });
// service: networkConfiguration: { securityGroups: [tasksSg.id], … }, environment DATABASE_HOST: db.address
\`\`\`
Passes:
\`\`\`ts
new aws.vpc.SecurityGroupIngressRule("db-from-tasks", { securityGroupId: dbSg.id, referencedSecurityGroupId: tasksSg.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: tasksReachTheirDataStores, metadata };
