import type { StackValidationPolicy } from "@pulumi/policy";
import { type PartialTimings, validateHealthTimings } from "../domain/index";
import { type StackContext, stackRule } from "../kit";
import { type ServiceGraph, UNKNOWN, asNumberValue, field, serviceGraphs, show } from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

export interface GracePeriodCoversStartupConfig {
    /** Grace periods above this delay failure detection for no benefit. */
    maxGracePeriodSeconds: number;
}

export const GRACE_PERIOD_COVERS_STARTUP_DEFAULTS: GracePeriodCoversStartupConfig = { maxGracePeriodSeconds: 900 };

/** Finding ids of `validateHealthTimings` this policy owns (ranges belong to health-check-ranges-valid). */
const OWN_FINDINGS = ["grace-period-too-short", "grace-period-too-long", "container-probe-kills-slow-start"];

type Probe = Record<string, unknown> | undefined;

/** Container probes to judge: each essential container's health check; from the contract when the containers are unknown. */
function containerProbes(g: ServiceGraph): Array<{ path: string; probe: Probe }> | { undecided: string } {
    if (g.containers.status === "unknown") {
        const c = g.contract?.timings.container;
        if (c && c !== UNKNOWN) return [{ path: "healthContract.timings.container", probe: c }];
        return { undecided: `the containers of the service's task definition are unknown (\`${g.containers.field}\`)` };
    }
    if (g.containers.status !== "ok") return [{ path: "", probe: undefined }];
    const probes: Array<{ path: string; probe: Probe }> = [];
    for (const c of g.containers.containers) {
        if (c.essential === false) continue;
        if (c.healthCheck === UNKNOWN) return { undecided: `\`${c.path}.healthCheck\` is unknown` };
        if (c.healthCheck) probes.push({ path: `${c.path}.healthCheck`, probe: c.healthCheck });
    }
    return probes.length > 0 ? probes : [{ path: "", probe: undefined }];
}

/** The ALB probe of the first attachment (`{}` = AWS defaults), `undefined` when not load-balanced. */
function albProbe(g: ServiceGraph): { probe: Probe; where: string } | { undecided: string } | undefined {
    if (g.attachments === UNKNOWN) return { undecided: g.attachmentsUnknownReason ?? "`loadBalancers` is unknown" };
    const a = g.attachments[0];
    if (!a) return undefined;
    const fromContract = () => {
        const alb = g.contract?.timings.alb;
        return alb && alb !== UNKNOWN ? { probe: alb, where: "healthContract.timings.alb" } : undefined;
    };
    if (a.targetGroup.status !== "found" || !a.targetGroupView) {
        return (
            fromContract() ?? {
                undecided:
                    a.targetGroup.status === "unknown"
                        ? a.targetGroup.reason
                        : a.targetGroup.status === "external"
                          ? `target group ${a.targetGroup.reference} is not managed in this stack`
                          : `the target group of \`${a.path}\` is not set`,
            }
        );
    }
    const hc = a.targetGroupView.healthCheck;
    const name = a.targetGroupLabel ?? `target group '${a.targetGroup.resource.name}'`;
    if (hc === UNKNOWN) return fromContract() ?? { undecided: `the health check of ${name} is unknown` };
    return { probe: hc ?? {}, where: `${name} healthCheck${hc ? "" : " (AWS defaults)"}` };
}

function judge(ctx: StackContext<GracePeriodCoversStartupConfig>, g: ServiceGraph): void {
    const subject = ctx.subject(g.resource);
    const grace = g.view.healthCheckGracePeriodSeconds;
    if (grace === UNKNOWN) return ctx.report.undecided(subject, { path: "healthCheckGracePeriodSeconds" });
    const containers = containerProbes(g);
    if ("undecided" in containers)
        return ctx.report.undecided(subject, { path: "healthCheckGracePeriodSeconds", reason: containers.undecided });
    const alb = albProbe(g);
    if (alb && "undecided" in alb) return ctx.report.undecided(subject, { path: "healthCheckGracePeriodSeconds", reason: alb.undecided });
    const worst = asNumberValue(g.contract?.worstCaseStartupSeconds);
    for (const { path, probe } of containers) {
        const timings: PartialTimings = {
            ...(probe ? { container: probe } : {}),
            ...(alb ? { alb: alb.probe } : {}),
            healthCheckGracePeriodSeconds: grace,
        };
        const result = validateHealthTimings(timings, {
            maxGracePeriodSeconds: ctx.config.maxGracePeriodSeconds,
            loadBalanced: alb !== undefined,
            ...(typeof worst === "number" ? { worstCaseStartupSeconds: worst } : {}),
        });
        if (result.undecided.length > 0 && result.undecided.some((f) => f === "healthCheckGracePeriodSeconds" || isUnknownIn(timings, f))) {
            ctx.report.undecided(subject, {
                path: "healthCheckGracePeriodSeconds",
                reason: `${result.undecided.map((f) => `\`${f}\``).join(", ")} cannot be read`,
            });
            continue;
        }
        // No start-up declared: nothing given is wrong, and nothing may be invented; say what to declare.
        for (const u of result.unjudged) ctx.report.undecided(subject, { path: u.field, reason: `${u.message} ${u.fix}` });
        for (const f of result.findings.filter((x) => OWN_FINDINGS.includes(x.id))) {
            const onContainer = f.field.startsWith("container.");
            ctx.report.violation(subject, {
                path: onContainer ? `${path}.${f.field.slice("container.".length)}` : f.field,
                found: onContainer
                    ? show(field(probe, f.field.slice("container.".length)))
                    : `${show(grace)}${grace === undefined ? " (AWS default 0)" : ""}${alb ? `, ALB probe from ${alb.where}` : ""}${path ? `, container probe ${path}` : ""}`,
                problem: f.message,
                fix: f.fix,
            });
        }
    }
}

function isUnknownIn(t: PartialTimings, dotted: string): boolean {
    const [head, tail] = dotted.split(".");
    const v = tail === undefined ? (t as Record<string, unknown>)[head] : field((t as Record<string, unknown>)[head], tail);
    return v === UNKNOWN || asNumberValue(v) === UNKNOWN;
}

/**
 * ECS ignores failing ELB and container health checks for `healthCheckGracePeriodSeconds` after a
 * task starts. Shorter than start-up plus the ALB's healthy window, and ECS replaces tasks that are
 * still starting: every deployment fails and the circuit breaker rolls it back.
 */
export const gracePeriodCoversStartup: StackValidationPolicy = {
    name: "grace-period-covers-startup",
    description:
        "The ECS service health check grace period must cover the container start period plus the ALB's time to see a new target healthy, without delaying failure detection needlessly.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxGracePeriodSeconds: {
                type: "number",
                minimum: 0,
                default: GRACE_PERIOD_COVERS_STARTUP_DEFAULTS.maxGracePeriodSeconds,
                description:
                    "Grace periods above this many seconds are reported: a task broken from the start is only replaced after that long.",
            },
        },
    },
    validateStack: stackRule(GRACE_PERIOD_COVERS_STARTUP_DEFAULTS, (ctx) => {
        for (const g of serviceGraphs(ctx.resources)) judge(ctx, g);
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(gracePeriodCoversStartup, {
    levelNote: ` (stack policy)`,
    checks: `each service's \`healthCheckGracePeriodSeconds\` (unset = AWS's 0) against the start-up
the program **declares** — HealthyFargateService's worst-case start-up, else the essential
container's health check \`startPeriod\` — via \`validateHealthTimings\` and \`albGraceNeededSeconds\`:
ECS replaces a task only when its target is reported unhealthy, so a start-up of \`S\` seconds needs
no grace period while fewer than \`unhealthyThreshold\` ALB checks can fail before it
(\`ceil(S / interval) < unhealthyThreshold\`: the target turns healthy on its first pass), and
otherwise \`S + healthyThreshold × interval\` (AWS defaults when the target group has no health check
block; for an awsx ApplicationLoadBalancer's default target group the same, from its
\`defaultTargetGroup\` args offline and from the target group awsx creates in a real preview). When
no start-up is declared (no \`startPeriod\`, no container health check) nothing is
invented: the policy reports \`[undecided]\` (advisory) with the longest start-up the service survives
(\`toleratedStartupSeconds\`) and what to declare. Also: container probes that cannot tolerate the
worst-case start-up (the longer of start period and grace period, plus retries × interval), and
grace periods above \`maxGracePeriodSeconds\`. A service without a load balancer needs no grace
period: failures inside the container's start period do not count.`,
    rationale: `ECS replaces tasks whose ELB or container checks fail after the grace period: a grace
period shorter than start-up kills every new task and the circuit breaker rolls each release back.
A very long one delays replacing tasks that are broken from the start.`,
    config: `\`maxGracePeriodSeconds\` (number, default 900).`,
    remediation: `Declare the start-up (\`startPeriod\`) and set \`healthCheckGracePeriodSeconds\` to the
start-up plus the ALB window (the message gives the number).`,
    examples: `Fails:
\`\`\`ts
new aws.ecs.Service("api", { loadBalancers: [/* … */] /* no healthCheckGracePeriodSeconds */ });  // startPeriod 60
\`\`\`
Passes:
\`\`\`ts
new aws.ecs.Service("api", { loadBalancers: [/* … */], healthCheckGracePeriodSeconds: 90 });   // 60 + 2 × 10 ≤ 90
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: gracePeriodCoversStartup, metadata };
