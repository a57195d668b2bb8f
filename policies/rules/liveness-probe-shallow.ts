import type { StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_DEEP_HEALTH_PATHS, isDeepHealthPath, probePathAndPort, sameProbePath } from "../domain/index";
import { type StackContext, stackRule } from "../kit";
import {
    CONTRACT_FIELD,
    TYPES,
    UNKNOWN,
    asArray,
    field,
    isHttpTargetGroup,
    isUnknown,
    readHealthContract,
    serviceGraphs,
    taskDefinitionSources,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

export interface LivenessProbeShallowConfig {
    /** Paths that check dependencies; a probe that can replace tasks must not request them. */
    deepPaths: string[];
}

export const LIVENESS_PROBE_SHALLOW_DEFAULTS: LivenessProbeShallowConfig = { deepPaths: [...DEFAULT_DEEP_HEALTH_PATHS] };

type Ctx = StackContext<LivenessProbeShallowConfig>;

function shallowProbeFix(path: string): string {
    return `Serve a liveness endpoint that only answers "the process can serve" (e.g. "/health/live", checking no database or upstream) and probe it instead of ${JSON.stringify(path)}; report dependency state on the readiness path, which nothing that kills tasks should probe`;
}

/** Container health checks that request a dependency-checking path. */
function judgeContainerProbes(ctx: Ctx, deep: readonly string[]): void {
    // Container probes, in every task definition: raw ones (also those awsx creates in a real
    // preview), and awsx args offline, where awsx renders no child (taskDefinitionSources).
    for (const source of taskDefinitionSources(ctx.resources)) {
        const r = source.resource;
        const td = source.view;
        if (td.containers.status === "unknown") {
            // A child of HealthyFargateService is judged through its contract (judgeContractLiveness).
            if (!source.component) ctx.report.undecided(ctx.subject(r), { path: td.containers.field });
            continue;
        }
        if (td.containers.status !== "ok") continue;
        for (const c of td.containers.containers) {
            if (!c.healthCheck) continue;
            if (c.healthCheck === UNKNOWN) {
                ctx.report.undecided(ctx.subject(r), { path: `${c.path}.healthCheck` });
                continue;
            }
            const command = asArray(field(c.healthCheck, "command"));
            if (command === UNKNOWN || (Array.isArray(command) && command.some(isUnknown))) {
                ctx.report.undecided(ctx.subject(r), { path: `${c.path}.healthCheck.command` });
                continue;
            }
            const probe = probePathAndPort(command);
            if (probe && isDeepHealthPath(probe.path, deep)) {
                ctx.report.violation(ctx.subject(r), {
                    path: `${c.path}.healthCheck.command`,
                    found: `probe of ${JSON.stringify(probe.path)}`,
                    problem: `Container '${c.name}' is replaced when its health check fails, and ${JSON.stringify(probe.path)} is a dependency-checking endpoint: one database or upstream blip fails every task at once and ECS restarts the whole service`,
                    fix: shallowProbeFix(probe.path),
                });
            }
        }
    }
}

/** ALB health checks of services' target groups that request a dependency-checking path. */
function judgeAlbProbes(ctx: Ctx, deep: readonly string[]): void {
    // ALB probes of target groups attached to ECS services (ECS replaces tasks the ALB reports unhealthy).
    for (const g of serviceGraphs(ctx.resources)) {
        if (g.attachments === UNKNOWN) continue; // probe-paths-aligned reports it
        for (const a of g.attachments) {
            if (a.targetGroup.status !== "found" || !a.targetGroupView) continue;
            const tg = a.targetGroupView;
            // An awsx ApplicationLoadBalancer (offline) stands for the default target group of its args.
            const prefix = a.targetGroup.resource.type === TYPES.awsxApplicationLoadBalancer ? "defaultTargetGroup." : "";
            const path = `${prefix}healthCheck.path`;
            if (tg.path === UNKNOWN) {
                if (!g.contract) ctx.report.undecided(ctx.subject(a.targetGroup.resource), { path });
                continue;
            }
            // A TCP health check requests no path (an unknown protocol is judged by the path).
            if (tg.healthCheckEnabled === false || isHttpTargetGroup(tg) === false || !isDeepHealthPath(tg.path, deep)) continue;
            ctx.report.violation(ctx.subject(a.targetGroup.resource), {
                path,
                found: JSON.stringify(tg.path),
                problem: `Service '${g.resource.name}' replaces tasks this ALB health check reports unhealthy, and ${JSON.stringify(tg.path)} is a dependency-checking endpoint: one dependency blip takes every task out of the load balancer and restarts them all`,
                fix: shallowProbeFix(tg.path),
            });
        }
    }
}

/** A HealthyFargateService whose contract's liveness path checks dependencies (or is the readiness path). */
function judgeContractLiveness(ctx: Ctx, deep: readonly string[]): void {
    // HealthyFargateService: the contract's liveness path is what both probes request.
    for (const r of ctx.resources.filter((x) => x.type === TYPES.healthyFargateService)) {
        const read = readHealthContract(ctx.props(r));
        if (read.status === "unknown") ctx.report.undecided(ctx.subject(r), { path: CONTRACT_FIELD });
        if (read.status !== "ok") continue;
        const { livenessPath, readinessPath } = read.contract;
        if (livenessPath === UNKNOWN) {
            ctx.report.undecided(ctx.subject(r), { path: `${CONTRACT_FIELD}.probe.livenessPath` });
            continue;
        }
        if (typeof livenessPath !== "string") continue;
        const isReadiness = typeof readinessPath === "string" && sameProbePath(livenessPath, readinessPath);
        if (isReadiness || isDeepHealthPath(livenessPath, deep)) {
            ctx.report.violation(ctx.subject(r), {
                path: `${CONTRACT_FIELD}.probe.livenessPath`,
                found: JSON.stringify(livenessPath),
                problem: `Both the ALB and the container probe the liveness path, and ${JSON.stringify(livenessPath)} ${isReadiness ? "is also the readiness path" : "is a dependency-checking endpoint"}: one dependency blip restarts every task`,
                fix: shallowProbeFix(livenessPath),
            });
        }
    }
}

/**
 * Both the container health check and the ALB health check of an ECS service replace tasks that
 * fail them. When either requests an endpoint that checks the database or another dependency, a
 * dependency blip fails every task at once and ECS restarts the whole service: an outage caused by
 * the health check.
 */
export const livenessProbeShallow: StackValidationPolicy = {
    name: "liveness-probe-shallow",
    description:
        "Health checks that can replace tasks (container and ALB checks of ECS services) must probe a shallow liveness path, not a readiness or status endpoint that checks dependencies.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            deepPaths: {
                type: "array",
                items: { type: "string" },
                default: LIVENESS_PROBE_SHALLOW_DEFAULTS.deepPaths,
                description:
                    "Paths treated as dependency-checking (compared without query string and trailing slash, case-insensitively). Set to [] to switch the path heuristic off.",
            },
        },
    },
    validateStack: stackRule(LIVENESS_PROBE_SHALLOW_DEFAULTS, (ctx) => {
        const deep = ctx.config.deepPaths.filter((p): p is string => typeof p === "string");
        judgeContainerProbes(ctx, deep);
        judgeAlbProbes(ctx, deep);
        judgeContractLiveness(ctx, deep);
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(livenessProbeShallow, {
    levelNote: ` (stack policy)`,
    checks: `container health check URLs of every task definition (raw task definitions, the ones
awsx creates, awsx container args offline), ALB health check paths (HTTP/HTTPS checks) of target
groups attached to ECS services (also the default target group of an awsx ApplicationLoadBalancer),
and HealthyFargateService's \`livenessPath\` (also: it must
differ from \`readinessPath\`) against a list of dependency-checking paths (\`isDeepHealthPath\`:
query string, trailing slash and case ignored).`,
    rationale: `Both checks replace tasks that fail them. A probe of an endpoint that checks the database
fails every task at once when the database blips, and ECS restarts the whole service.`,
    config: `\`deepPaths\` (string[], default \`["/ready", "/readyz", "/readiness", "/health/ready",
"/health/readiness", "/status", "/health/status", "/health/deep", "/health/dependencies",
"/actuator/health"]\`). \`/health\` is deliberately absent: it is the most common name of a shallow
endpoint. \`/actuator/health\` is present: Spring Boot aggregates database and other indicators
into it (use \`/actuator/health/liveness\`). Set \`[]\` to switch the heuristic off.`,
    remediation: `Serve a liveness endpoint that checks no dependency and probe it; keep dependency state on
the readiness path, which nothing that kills tasks probes.`,
    examples: `Fails:
\`\`\`ts
healthCheck: { path: "/health/ready" }
\`\`\`
Passes:
\`\`\`ts
healthCheck: { path: "/health/live" }
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: livenessProbeShallow, metadata };
