import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    type ApiNeed,
    apiNeedsOf,
    arnLocation,
    endpointSnippet,
    identifierOf,
    parseSecretSource,
    reachesInternet,
    registryOfImage,
} from "../domain/index";
import { type StackContext, imageBuilds, imageSourceOf, stackRule } from "../kit";
import {
    type EndpointView,
    type ImageBuildView,
    type PeerSide,
    type SubnetView,
    TYPES,
    type TaskDefinitionSource,
    UNKNOWN,
    type Workload,
    admitsTcp,
    asString,
    endpointsOfSubnet,
    field,
    internetPathOf,
    rawProps,
    resolveGroups,
    resolveSubnets,
    secretEntries,
    subnetAddresses,
    workloads,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

type Ctx = StackContext<object>;

interface Needs {
    needs: ApiNeed[];
    internetOnly: string[];
}

/** What the task must reach: its images' registries, its secrets' services, CloudWatch Logs. */
function needsOf(source: TaskDefinitionSource, builds: ImageBuildView[]): Needs | { undecided: string } {
    const read = source.view.containers;
    if (read.status === "unknown") return { undecided: "the containers (images, secrets, log configuration) are not known yet" };
    if (read.status !== "ok") return { needs: [], internetOnly: [] };
    const ecrImages: string[] = [];
    const internetOnly: string[] = [];
    let secretsManager = false,
        ssm = false,
        awslogs = false;
    for (const c of read.containers) {
        const image = imageSourceOf(field(c.raw, "image"), source.resource, source.containersProperty, builds);
        if (image.kind === "undecided") return { undecided: image.reason };
        const build = image.kind === "build" ? image.build : undefined;
        const reference = build
            ? (build.references[0] ?? (build.resource.type === TYPES.awsxEcrImage ? "<awsx ECR image>" : undefined))
            : (image as { reference: string }).reference;
        if (reference === undefined) return { undecided: `the registry image build '${build?.resource.name}' pushes to is not known` };
        const registry = reference === "<awsx ECR image>" ? { kind: "ecr" as const, host: "ecr" } : registryOfImage(reference);
        if (registry?.kind === "ecr") ecrImages.push(reference);
        else if (registry) internetOnly.push(`image ${JSON.stringify(reference)} (${registry.host} has no VPC endpoint)`);
        const secrets = secretEntries(c);
        if (secrets === UNKNOWN) return { undecided: `\`${c.path}.secrets\` is not known yet` };
        for (const s of secrets) {
            const kind = parseSecretSource(s.valueFrom).kind;
            if (kind === "secretsmanager") secretsManager = true;
            else if (kind === "ssm-parameter-arn" || kind === "ssm-parameter-name") ssm = true;
        }
        if (c.logConfiguration === UNKNOWN) return { undecided: `\`${c.path}.logConfiguration\` is not known yet` };
        if (c.logConfiguration && asString(field(c.logConfiguration, "logDriver")) === "awslogs") awslogs = true;
    }
    return { needs: apiNeedsOf({ ecrImages, secretsManager, ssm, awslogs }), internetOnly };
}

/** Whether an endpoint serves a need from this subnet. */
function serves(e: EndpointView, need: ApiNeed, subnet: SubnetView, table: PolicyResource | undefined): boolean | "unknown" {
    if (e.api === UNKNOWN || e.type === UNKNOWN) return "unknown";
    if (e.api !== need.api || e.type !== need.endpointType.toLowerCase()) return false;
    if (need.endpointType === "Interface") return e.privateDns === UNKNOWN ? "unknown" : e.privateDns;
    if (e.routeTables.all) return true;
    if (
        table &&
        (e.routeTables.resources.includes(table) ||
            e.routeTables.ids.some((id) =>
                [
                    String(field(rawProps(table.props), "id")),
                    String(field(rawProps(table.props), "arn"))
                        .split("/")
                        .pop(),
                ].includes(id),
            ))
    )
        return true;
    return e.routeTables.unknown || !table ? "unknown" : false;
}

type SubnetVerdict = { ok: string; endpoints: EndpointView[] } | { missing: string[]; why: string } | { undecided: string };

function judgeSubnet(ctx: Ctx, subnet: SubnetView, assignPublicIp: boolean, needs: Needs): SubnetVerdict {
    const path = internetPathOf(subnet, ctx.resources);
    if ("undecided" in path) return path;
    const internet = reachesInternet(path.path, assignPublicIp);
    if (internet === true) return { ok: path.why, endpoints: [] };
    if (internet === "unknown") return { undecided: `${path.why}; whether that reaches the internet is not known` };
    const why = `${path.why}${path.path === "igw" ? ", and the tasks get no public IP (`assignPublicIp` is false)" : ""}`;
    const endpoints = endpointsOfSubnet(subnet, ctx.resources);
    if ("undecided" in endpoints) return endpoints;
    const missing = [...needs.internetOnly];
    const used: EndpointView[] = [];
    for (const need of needs.needs) {
        const answers = endpoints.map((e) => ({ e, served: serves(e, need, subnet, path.routeTable) }));
        const hit = answers.find((a) => a.served === true);
        if (hit) {
            used.push(hit.e);
            continue;
        }
        if (answers.some((a) => a.served === "unknown"))
            return { undecided: `whether a VPC endpoint of the subnet's VPC serves ${need.api} is not known yet` };
        const offDns =
            need.endpointType === "Interface" &&
            endpoints.some((e) => e.api === need.api && e.type === "interface" && e.privateDns === false);
        missing.push(
            `${need.api} ${need.why}${offDns ? " (its endpoint has `privateDnsEnabled` off, so the default service name does not resolve to it)" : ""}`,
        );
    }
    return missing.length > 0 ? { missing, why } : { ok: why, endpoints: used };
}

/** Security groups of an interface endpoint that are all known, or why not. */
function endpointGroups(ctx: Ctx, e: EndpointView): PolicyResource[] | { undecided: string } {
    if (e.securityGroups === "awsx-auto") return []; // awsx's own group admits 443 from the VPC
    if (!e.securityGroups)
        return { undecided: `interface endpoint ${e.where} has no security group set, so the VPC's default group applies` };
    const set = resolveGroups(e.securityGroups.values, e.securityGroups.holder, e.securityGroups.property, ctx.resources);
    if (set.unresolved > 0 || set.external.length > 0) return { undecided: `the security groups of endpoint ${e.where} are not known` };
    return set.groups;
}

/** The tasks' security groups must let HTTPS out (to the internet, or to the endpoints they use). */
function judgeHttpsOut(ctx: Ctx, w: Workload, tasks: PolicyResource[], to: PeerSide, where: string): void {
    const out = admitsTcp(tasks, "egress", 443, to, ctx.resources);
    if ("undecided" in out)
        return ctx.report.undecided(ctx.subject(w.resource), { path: "networkConfiguration.securityGroups", reason: out.undecided });
    if (out.admitted) return;
    const rule = `new aws.vpc.SecurityGroupEgressRule("tasks-https", { securityGroupId: ${identifierOf(tasks[0].name)}.id, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 })`;
    ctx.report.violation(ctx.subject(w.resource), {
        path: "networkConfiguration.securityGroups",
        found: `no egress rule of the tasks' security groups (${tasks.map((g) => `'${g.name}'`).join(", ")}) lets HTTPS (TCP 443) out to ${where}`,
        problem:
            "The task cannot call ECR, Secrets Manager or CloudWatch Logs: it never starts (CannotPullContainerError, ResourceInitializationError)",
        fix: `Add an egress rule: \`${rule}\``,
    });
}

/** Each interface endpoint the tasks use must admit HTTPS from them. */
function judgeEndpointIngress(ctx: Ctx, w: Workload, tasks: PolicyResource[], from: Omit<PeerSide, "groups">, e: EndpointView): void {
    const groups = endpointGroups(ctx, e);
    if ("undecided" in groups)
        return ctx.report.undecided(ctx.subject(w.resource), { path: "networkConfiguration", reason: groups.undecided });
    if (groups.length === 0) return;
    const inbound = admitsTcp(groups, "ingress", 443, { groups: tasks, ...from }, ctx.resources);
    if ("undecided" in inbound)
        return ctx.report.undecided(ctx.subject(w.resource), { path: "networkConfiguration", reason: inbound.undecided });
    if (inbound.admitted) return;
    ctx.report.violation(ctx.subject(w.resource), {
        path: "networkConfiguration.securityGroups",
        found: `interface endpoint ${e.where} (${String(e.api)}), whose security groups admit no HTTPS (TCP 443) from the tasks`,
        problem: "The endpoint's security group drops the task's calls to the AWS API: the task never starts",
        fix: "Admit TCP 443 from the tasks' security group (or the VPC's CIDR) on the endpoint's security group",
    });
}

/** HTTPS from the tasks to what serves them: out of the tasks' groups, into the endpoints' groups. */
function judgeHttps(ctx: Ctx, w: Workload, subnets: SubnetView[], endpoints: EndpointView[], viaInternet: boolean): void {
    const set = resolveGroups(w.securityGroups, w.resource, "networkConfiguration", ctx.resources);
    if (set.unresolved > 0 || set.external.length > 0 || set.groups.length === 0) return; // tasks-reach-their-data-stores reports unknown task groups
    const addresses = subnetAddresses(subnets);
    const interfaces = endpoints.filter((e) => e.type === "interface");
    const viaEndpoints = interfaces.flatMap((e) => {
        const g = endpointGroups(ctx, e);
        return "undecided" in g ? [] : g;
    });
    judgeHttpsOut(
        ctx,
        w,
        set.groups,
        viaInternet
            ? { groups: [], cidrs: ["0.0.0.0/0"] }
            : { groups: viaEndpoints, ...(addresses.within ? { within: addresses.within } : {}) },
        viaInternet ? "the internet" : "the VPC endpoints",
    );
    for (const e of interfaces) judgeEndpointIngress(ctx, w, set.groups, addresses, e);
}

function regionOf(resources: readonly PolicyResource[]): string {
    for (const r of resources) {
        const loc = arnLocation(field(rawProps(r.props), "arn"));
        if (loc?.region) return loc.region;
    }
    return "<region>";
}

function judgeWorkload(ctx: Ctx, w: Workload, builds: ImageBuildView[]): void {
    const subject = ctx.subject(w.resource);
    if (w.awsxDefaultNetwork)
        return ctx.report.undecided(subject, {
            path: "networkConfiguration",
            reason: "awsx places the tasks in subnets of the account's default VPC (no `networkConfiguration`), which this stack does not manage: their routes cannot be read (in a real preview neither)",
        });
    if (!w.taskDefinition) return;
    if ("undecided" in w.taskDefinition)
        return ctx.report.undecided(subject, { path: "taskDefinition", reason: w.taskDefinition.undecided });
    const needs = needsOf(w.taskDefinition, builds);
    if ("undecided" in needs) return ctx.report.undecided(subject, { path: w.taskDefinition.containersProperty, reason: needs.undecided });
    const subnets = resolveSubnets(w.subnets, w.resource, ctx.resources);
    if ("undecided" in subnets) return ctx.report.undecided(subject, { path: "networkConfiguration.subnets", reason: subnets.undecided });
    if (w.assignPublicIp === UNKNOWN) return ctx.report.undecided(subject, { path: "networkConfiguration.assignPublicIp" });
    const verdicts = subnets.subnets.map((s) => ({ s, v: judgeSubnet(ctx, s, w.assignPublicIp as boolean, needs) }));
    const failing = verdicts.filter((x) => "missing" in x.v);
    const doubtful = verdicts.filter((x) => "undecided" in x.v);
    if (failing.length > 0 && (subnets.exact || failing.length === verdicts.length)) {
        const first = failing[0].v as { missing: string[]; why: string };
        const region = regionOf(ctx.resources);
        const fixes = needs.needs
            .filter((n) => first.missing.some((m) => m.startsWith(`${n.api} `)))
            .map((n) => endpointSnippet(n, region));
        return ctx.report.violation(subject, {
            path: "networkConfiguration.subnets",
            found: `${failing.map((x) => `subnet ${x.s.label}`).join(", ")}: ${first.why}; the tasks cannot reach ${first.missing.join("; ")}`,
            problem:
                "The task never starts: the image pull, the secrets fetch or the log stream times out (CannotPullContainerError, ResourceInitializationError: unable to pull secrets or registry auth)",
            fix: `Give the subnets a route to a NAT gateway (or run them with \`assignPublicIp: true\` in public subnets), or add the missing VPC endpoints${fixes.length > 0 ? `: ${fixes.map((f) => `\`${f}\``).join(" ")}` : ""}${needs.internetOnly.length > 0 ? "; images outside ECR need the internet (or copy them to ECR, e.g. with a pull-through cache)" : ""}`,
        });
    }
    if (failing.length > 0 || doubtful.length > 0) {
        const reason =
            doubtful.length > 0
                ? (doubtful[0].v as { undecided: string }).undecided
                : "some of the subnets that may feed the service reach the APIs and some do not";
        return ctx.report.undecided(subject, { path: "networkConfiguration.subnets", reason });
    }
    const viaInternet = verdicts.every((x) => "ok" in x.v && x.v.endpoints.length === 0);
    judgeHttps(
        ctx,
        w,
        subnets.subnets,
        verdicts.flatMap((x) => ("ok" in x.v ? x.v.endpoints : [])),
        viaInternet,
    );
}

/**
 * Tasks in subnets without a way out cannot pull their image, fetch their secrets or ship their logs:
 * they never start, and the deployment hangs or rolls back.
 */
export const tasksReachAwsApis: StackValidationPolicy = {
    name: "tasks-reach-aws-apis",
    description:
        "Tasks must reach the AWS APIs they start with (ECR for their image, Secrets Manager or SSM for their secrets, CloudWatch Logs for awslogs): through a NAT gateway, an internet gateway with a public IP, or VPC endpoints.",
    enforcementLevel: "mandatory",
    validateStack: stackRule({}, (ctx) => {
        const builds = imageBuilds(ctx.resources);
        for (const w of workloads(ctx.resources)) judgeWorkload(ctx, w, builds);
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(tasksReachAwsApis, {
    levelNote: ` (stack policy)`,
    checks: `for every ECS service (as in [tasks-reach-their-data-stores](#tasks-reach-their-data-stores)),
what its task needs before the app runs (\`apiNeedsOf\`, \`domain/aws-api-access.ts\`): for images in
private ECR (\`<account>.dkr.ecr.<region>.amazonaws.com/…\`, or built by \`awsx:ecr:Image\`) the
\`ecr.api\` and \`ecr.dkr\` interface endpoints and the \`s3\` gateway endpoint; \`secretsmanager\` for
Secrets Manager secrets, \`ssm\` for SSM parameters, \`logs\` for the awslogs driver; images from any
other registry (Docker Hub, public.ecr.aws, ghcr.io, …) have no endpoint and need the internet.
Then each subnet of \`networkConfiguration.subnets\`: its route table (its
\`aws:ec2/routeTableAssociation\`, else the VPC's main one: \`aws:ec2/mainRouteTableAssociation\`,
\`aws:ec2/defaultRouteTable\`, or only the local route) and that table's \`0.0.0.0/0\` route (inline
\`routes\` or \`aws:ec2/route:Route\`): a NAT gateway reaches the internet; an internet gateway only with
\`assignPublicIp: true\`; no default route reaches nothing. Without the internet, every need must be
served by an endpoint of the subnet's VPC (\`aws:ec2/vpcEndpoint\`; interface endpoints with
\`privateDnsEnabled: true\` — the provider's default is false — and the S3 gateway endpoint on the
subnet's route table, also through \`aws:ec2/vpcEndpointRouteTableAssociation\`). Finally the tasks'
security groups must let HTTPS (TCP 443) out, to \`0.0.0.0/0\` through NAT or to the endpoints, and each
interface endpoint's security groups must admit 443 from the tasks.

awsx \`ec2:Vpc\`: in a real preview its children (subnets, route tables, routes, endpoints) are judged
like raw resources — while subnet ids are unknown, every subnet of the awsx Vpc feeding
\`networkConfiguration\` is a candidate and the policy decides when all candidates agree; offline its
args and outputs: a subnet in \`privateSubnetIds\` routes to a NAT gateway unless
\`natGateways.strategy\` is \`"None"\` (awsx's default is \`OnePerAz\`), \`publicSubnetIds\` to the internet
gateway, \`isolatedSubnetIds\` nowhere; \`vpcEndpointSpecs\` as awsx builds them (type defaults to
gateway; \`vpcEndpointStrategy: "Auto"\` turns on private DNS and associates gateway endpoints with
every route table). \`[undecided]\`: a subnet, route table or VPC not managed in this stack, a
default route to a transit gateway, peering or network interface (a firewall or proxy may lead on),
unknown routes or endpoints, an image whose registry is not known, awsx without
\`networkConfiguration\` (awsx picks the default VPC's subnets, which the stack does not manage — in
a real preview too).

No \`kms\` endpoint is required: Secrets Manager, SSM and ECR call KMS on the caller's behalf (the
\`kms:Decrypt\` permission is checked by \`execution-role-can-read-secrets\`).`,
    rationale: `Since Fargate platform 1.4.0 every call a task makes before its app starts goes through its
ENI. Without a way out the image pull or the secrets fetch times out: \`CannotPullContainerError\` or
\`ResourceInitializationError: unable to pull secrets or registry auth\`, and the deployment never
reaches steady state.`,
    config: `none.`,
    remediation: `A NAT gateway route for the private subnets (\`natGateways: { strategy: "Single" }\` with
awsx), public subnets with \`assignPublicIp: true\`, or the endpoints the finding lists (ready to
paste), plus egress 443 from the tasks. The endpoints a task may need: \`ecr.api\`, \`ecr.dkr\`, the S3 gateway,
\`secretsmanager\`, \`ssm\` and \`logs\`, with private DNS.`,
    examples: `Fails:
\`\`\`ts
const vpc = new awsx.ec2.Vpc("main", { natGateways: { strategy: "None" } });
new aws.ecs.Service("api", { networkConfiguration: { subnets: vpc.privateSubnetIds, securityGroups: [sg.id] }, /* ECR image, awslogs */ });
\`\`\`
Passes:
\`\`\`ts
const vpc = new awsx.ec2.Vpc("main", { natGateways: { strategy: "Single" } });
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: tasksReachAwsApis, metadata };
