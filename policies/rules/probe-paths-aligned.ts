import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { type ProbeEndpoint, probePathAndPort, sameProbePath } from "../domain/index";
import { type StackContext, stackRule } from "../kit";
import {
    type AttachmentGraph,
    CONTRACT_FIELD,
    type ServiceGraph,
    TYPES,
    UNKNOWN,
    asArray,
    asNumberValue,
    field,
    isHttpTargetGroup,
    isUnknown,
    rawProps,
    readHealthContract,
    serviceGraphs,
    show,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

/** `target` is `undefined` when the command makes no local HTTP request we can read (TCP check, script). */
type Probe = { target: ProbeEndpoint | undefined; where: string } | { undecided: string } | undefined;

/** The container probe of `containerName`: from the task definition, else from the contract of the enclosing component. */
function containerProbe(g: ServiceGraph, containerName: string): Probe {
    const fromContract = (): Probe => {
        const c = g.contract;
        if (!c || c.containerName !== containerName || !Array.isArray(c.command) || c.command.some(isUnknown)) return undefined;
        return { target: probePathAndPort(c.command), where: `health contract of '${g.component?.name}'` };
    };
    if (g.containers.status === "unknown")
        return fromContract() ?? { undecided: `the containers of the service's task definition are unknown (\`${g.containers.field}\`)` };
    if (g.containers.status !== "ok") return undefined;
    const container = g.containers.containers.find((c) => c.name === containerName);
    if (!container) return undefined; // ECS rejects a load balancer naming a missing container
    if (container.healthCheck === UNKNOWN) return { undecided: `\`${container.path}.healthCheck\` is unknown` };
    if (!container.healthCheck) return undefined; // container-health-check-required reports it
    const command = asArray(field(container.healthCheck, "command"));
    if (command === UNKNOWN || (Array.isArray(command) && command.some(isUnknown)))
        return { undecided: `\`${container.path}.healthCheck.command\` is unknown` };
    const td = g.taskDefinition.status === "found" ? `task definition '${g.taskDefinition.resource.name}'` : "its task definition";
    return { target: probePathAndPort(command), where: `${td} \`${container.path}.healthCheck.command\`` };
}

/** The ALB probe of an attachment: path and port, AWS defaults applied; from the contract when the target group is unknown. */
function albProbe(g: ServiceGraph, a: AttachmentGraph): { path: string; port: string; where: string } | { undecided: string } | undefined {
    const fromContract = () => {
        const c = g.contract;
        if (!c || typeof c.livenessPath !== "string") return undefined;
        return { path: c.livenessPath, port: "traffic-port", where: `health contract of '${g.component?.name}'` };
    };
    if (a.targetGroup.status === "unknown") return fromContract() ?? { undecided: a.targetGroup.reason };
    if (a.targetGroup.status === "external")
        return fromContract() ?? { undecided: `target group ${a.targetGroup.reference} is not managed in this stack` };
    if (a.targetGroup.status !== "found" || !a.targetGroupView) return undefined;
    const tg = a.targetGroupView;
    const name = a.targetGroupLabel ?? `target group '${a.targetGroup.resource.name}'`;
    const http = isHttpTargetGroup(tg);
    if (tg.healthCheck === UNKNOWN || tg.path === UNKNOWN || tg.port === UNKNOWN || http === UNKNOWN) {
        return fromContract() ?? { undecided: `the health check of ${name} is unknown` };
    }
    if (tg.healthCheckEnabled === false) return undefined;
    if (!http) return undefined; // TCP checks have no path
    return {
        path: tg.path,
        port: tg.port,
        where: `${name} \`healthCheck.path\`${tg.pathIsDefault ? ' (no path set: AWS probes "/")' : ""}`,
    };
}

function judgeAttachment(ctx: StackContext<object>, g: ServiceGraph, a: AttachmentGraph): void {
    const subject = ctx.subject(g.resource);
    const path = a.path;
    if (isUnknown(a.containerName)) {
        ctx.report.undecided(subject, { path: `${path}.containerName` });
        return;
    }
    if (typeof a.containerName !== "string") return;
    const container = containerProbe(g, a.containerName);
    const alb = albProbe(g, a);
    if (container && "undecided" in container) return ctx.report.undecided(subject, { path, reason: container.undecided });
    if (alb && "undecided" in alb) return ctx.report.undecided(subject, { path, reason: alb.undecided });
    if (!container || !alb || !container.target) return;
    const probe = container.target;
    if (!sameProbePath(probe.path, alb.path)) {
        ctx.report.violation(subject, {
            path: `${path}`,
            found: `ALB probes ${JSON.stringify(alb.path)} (${alb.where}), container '${a.containerName}' probes ${JSON.stringify(probe.path)} (${container.where})`,
            problem:
                "The two health checks that can replace a task probe different paths: one can pass while the other fails, so ECS kills tasks the ALB still routes to, or keeps tasks the ALB has dropped",
            fix: `Probe one shallow liveness path from both: set the target group's \`healthCheck.path\` to ${JSON.stringify(probe.path)}, or change the container command to request ${JSON.stringify(alb.path)}`,
        });
    }
    const containerPort = asNumberValue(a.containerPort);
    // awsx computes the attachment's port from the target group (its `port`): reported at the mapping.
    const portPath = path.startsWith("loadBalancers[") ? `${path}.containerPort` : path;
    const albPort = alb.port === "traffic-port" ? containerPort : asNumberValue(alb.port);
    if (albPort === UNKNOWN) return ctx.report.undecided(subject, { path: portPath });
    if (typeof albPort === "number" && probe.port !== undefined && probe.port !== albPort) {
        ctx.report.violation(subject, {
            path: portPath,
            found: `ALB probes port ${albPort}${alb.port === "traffic-port" ? " (traffic-port)" : ""}, container '${a.containerName}' probes port ${probe.port} (${container.where})`,
            problem: "The health checks probe different ports, so they test different listeners",
            fix: `Make the container command request port ${albPort}, or set the target group's \`healthCheck.port\` to "traffic-port" with the container port ${probe.port}`,
        });
    }
}

/** The contract's own command must request its liveness path on its port (what the component's children are built from). */
function judgeContract(ctx: StackContext<object>, component: PolicyResource): void {
    const subject = ctx.subject(component);
    const read = readHealthContract(rawProps(component.props));
    if (read.status === "unknown") return ctx.report.undecided(subject, { path: CONTRACT_FIELD });
    if (read.status !== "ok") return;
    const c = read.contract;
    if (c.command === UNKNOWN || c.livenessPath === UNKNOWN || (Array.isArray(c.command) && c.command.some(isUnknown))) {
        return ctx.report.undecided(subject, { path: `${CONTRACT_FIELD}.probe` });
    }
    if (!Array.isArray(c.command) || typeof c.livenessPath !== "string") return;
    const target = probePathAndPort(c.command);
    if (!target) return;
    const port = asNumberValue(c.port);
    if (!sameProbePath(target.path, c.livenessPath) || (typeof port === "number" && target.port !== undefined && port !== target.port)) {
        ctx.report.violation(subject, {
            path: `${CONTRACT_FIELD}.probe.command`,
            found: `request of ${JSON.stringify(target.path)} on port ${show(target.port)} vs livenessPath ${JSON.stringify(c.livenessPath)} on port ${show(c.port)}`,
            problem:
                "The contract's container command does not request its own liveness path and port, so the container and the ALB (which probes `livenessPath`) disagree",
            fix: "Rebuild the contract with `buildHealthContract` instead of editing `probe.command` by hand",
        });
    }
}

/**
 * The seed outage: the ALB probed `/health` while the container probed `/health/live`. Follows each
 * service's `loadBalancers[]` to its target group and container and compares what they request.
 */
export const probePathsAligned: StackValidationPolicy = {
    name: "probe-paths-aligned",
    description:
        "The ALB target group health check and the container health check of each load-balanced container must probe the same path and port.",
    enforcementLevel: "mandatory",
    validateStack: stackRule({}, (ctx) => {
        for (const g of serviceGraphs(ctx.resources)) {
            if (g.attachments === UNKNOWN) {
                const reason = g.attachmentsUnknownReason;
                ctx.report.undecided(ctx.subject(g.resource), { path: "loadBalancers", ...(reason ? { reason } : {}) });
                continue;
            }
            for (const a of g.attachments) judgeAttachment(ctx, g, a);
        }
        for (const component of ctx.resources.filter((r) => r.type === TYPES.healthyFargateService)) judgeContract(ctx, component);
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(probePathsAligned, {
    levelNote: ` (stack policy)`,
    checks: `for each \`aws:ecs/service:Service\` (also the one awsx creates) and the args of each
awsx FargateService (offline), follows \`loadBalancers[].targetGroupArn\` — or, for awsx,
\`portMappings[].targetGroup\` — and \`containerName\` to the target group's health check (path, with
AWS's default \`/\` when there is no health check block — so also the default target group of an awsx
ApplicationLoadBalancer without \`defaultTargetGroup.healthCheck\`; port, \`traffic-port\` =
\`containerPort\`) and to that container's health check command (the local URL it requests, via
\`probePathAndPort\`), and compares path and port. For a HealthyFargateService, checks that the
contract's command requests its \`livenessPath\` on its port, and uses the contract when a child's
value is unknown in a preview. When an awsx ApplicationLoadBalancer feeds a FargateService's args
but no target group reference was rendered, the attachment is undecided.`,
    rationale: `When the ALB and the container probe different paths or ports, one can fail while the other passes,
and ECS replaces tasks that serve traffic. The seed outage: the ALB probed \`/health\` while the
container probed \`/health/live\`; one
passed while the other failed, and ECS kept replacing tasks that served traffic.`,
    config: `none.`,
    remediation: `Probe one shallow liveness path on the traffic port from both.`,
    examples: `Fails:
\`\`\`ts
healthCheck: { path: "/health" }                          // target group
command: ["CMD", "curl", "-f", "http://localhost:8080/health/live"]  // container
\`\`\`
Passes:
\`\`\`ts
healthCheck: { path: "/health/live", port: "traffic-port" }
command: ["CMD", "curl", "-f", "http://localhost:8080/health/live"]
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: probePathsAligned, metadata };
