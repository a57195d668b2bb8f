import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { TARGET_GROUP, validateHealthTimings } from "../domain/index";
import { type StackContext, stackRule } from "../kit";
import {
    CONTRACT_FIELD,
    TARGET_GROUP_TYPES,
    TYPES,
    type TaskDefinitionSource,
    UNKNOWN,
    ancestorOfType,
    isJudgedInStack,
    isUnknown,
    rawProps,
    readHealthContract,
    readTargetGroupOf,
    show,
    taskDefinitionSources,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

export interface GracefulShutdownAlignedConfig {
    /** Deregistration delays above this many seconds are reported (unset = AWS's 300 s). */
    maxDeregistrationDelaySeconds: number;
}

export const GRACEFUL_SHUTDOWN_ALIGNED_DEFAULTS: GracefulShutdownAlignedConfig = { maxDeregistrationDelaySeconds: 120 };

const OWN_FINDINGS = ["stop-timeout-above-fargate-max", "deregistration-delay-above-budget"];

type Ctx = StackContext<GracefulShutdownAlignedConfig>;

/** Reports the policy's findings of `validateHealthTimings` on `values`, each at `pathOf(field)`; unknown values as undecided. */
type Subject = ReturnType<Ctx["subject"]>;

function judgeValues(
    ctx: Ctx,
    subject: Subject,
    values: { stopTimeout?: unknown; deregistrationDelay?: unknown },
    pathOf: (f: string) => string,
): void {
    for (const [f, v] of Object.entries(values)) {
        if (isUnknown(v)) ctx.report.undecided(subject, { path: pathOf(f) });
    }
    const known = Object.fromEntries(Object.entries(values).filter(([, v]) => !isUnknown(v)));
    const result = validateHealthTimings(known, { maxDeregistrationDelaySeconds: ctx.config.maxDeregistrationDelaySeconds });
    for (const f of result.findings.filter((x) => OWN_FINDINGS.includes(x.id))) {
        const raw = (values as Record<string, unknown>)[f.field];
        ctx.report.violation(subject, { path: pathOf(f.field), found: show(raw), problem: f.message, fix: f.fix });
    }
}

/**
 * The drain of a target group, or of the default target group of an awsx ApplicationLoadBalancer's
 * args (offline; in a real preview the target group awsx creates is judged). Unset means AWS's 300 s:
 * the effective value is judged and reported as unset.
 */
function judgeTargetGroup(ctx: Ctx, resource: PolicyResource, prefix: string): void {
    const subject = ctx.subject(resource);
    const delay = readTargetGroupOf(resource.type, rawProps(resource.props)).deregistrationDelay;
    if (isUnknown(delay)) {
        // A HealthyFargateService's target group is judged through the contract.
        if (!ancestorOfType(resource, [TYPES.healthyFargateService]))
            ctx.report.undecided(subject, { path: `${prefix}deregistrationDelay` });
        return;
    }
    const effective = delay ?? TARGET_GROUP.deregistrationDelay.awsDefault;
    const result = validateHealthTimings(
        { deregistrationDelay: effective },
        { maxDeregistrationDelaySeconds: ctx.config.maxDeregistrationDelaySeconds },
    );
    const own = (id: string) => id === "deregistration-delay-above-budget" || id === "value-out-of-range";
    for (const f of result.findings.filter((x) => x.field === "deregistrationDelay" && own(x.id))) {
        ctx.report.violation(subject, {
            path: `${prefix}deregistrationDelay`,
            found: delay === undefined ? `unset (AWS default ${TARGET_GROUP.deregistrationDelay.awsDefault} s)` : show(delay),
            problem: f.message,
            fix: f.fix,
        });
    }
}

/** `stopTimeout` of every container of a Fargate task definition (raw, awsx child, or awsx args). */
function judgeStopTimeouts(ctx: Ctx, source: TaskDefinitionSource): void {
    const subject = ctx.subject(source.resource);
    const td = source.view;
    if (td.fargate === UNKNOWN || td.containers.status === "unknown") {
        const path = td.fargate === UNKNOWN ? "requiresCompatibilities" : td.containers.status === "unknown" ? td.containers.field : "";
        if (!source.component) ctx.report.undecided(subject, { path });
        return;
    }
    if (!td.fargate || td.containers.status !== "ok") return;
    for (const c of td.containers.containers) {
        if (c.stopTimeout !== undefined) judgeValues(ctx, subject, { stopTimeout: c.stopTimeout }, (f) => `${c.path}.${f}`);
    }
}

function judgeContract(ctx: Ctx, component: PolicyResource): void {
    const subject = ctx.subject(component);
    const read = readHealthContract(rawProps(component.props));
    if (read.status === "unknown") ctx.report.undecided(subject, { path: CONTRACT_FIELD });
    if (read.status !== "ok") return;
    const t = read.contract.timings;
    const values = {
        stopTimeout: t.stopTimeout,
        deregistrationDelay: t.deregistrationDelay ?? TARGET_GROUP.deregistrationDelay.awsDefault,
    };
    judgeValues(ctx, subject, values, (f) => `${CONTRACT_FIELD}.timings.${f}`);
}

/**
 * Stopping a task behind an ALB: the target drains for `deregistrationDelay`, then SIGTERM, then
 * SIGKILL after `stopTimeout`. Fargate caps `stopTimeout` at 120 s; a long drain (AWS's default is
 * 300 s) delays every batch of every deployment. A stack policy because an awsx
 * ApplicationLoadBalancer with all defaults (`{}`) looks the same offline and in a real preview:
 * only the presence of its children tells whether its args or its target group is to be judged.
 */
export const gracefulShutdownAligned: StackValidationPolicy = {
    name: "graceful-shutdown-aligned",
    description:
        "Container stop timeouts must fit Fargate's 120-second limit and target group deregistration delays must stay within the shutdown budget.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            maxDeregistrationDelaySeconds: {
                type: "number",
                minimum: 0,
                default: GRACEFUL_SHUTDOWN_ALIGNED_DEFAULTS.maxDeregistrationDelaySeconds,
                description: "Largest accepted deregistration delay in seconds; an unset delay counts as AWS's default of 300 s.",
            },
        },
    },
    validateStack: stackRule(GRACEFUL_SHUTDOWN_ALIGNED_DEFAULTS, (ctx) => {
        for (const r of ctx.resources) {
            if (TARGET_GROUP_TYPES.includes(r.type)) judgeTargetGroup(ctx, r, "");
            else if (r.type === TYPES.awsxApplicationLoadBalancer) {
                if (isJudgedInStack(r, ctx.resources)) judgeTargetGroup(ctx, r, "defaultTargetGroup.");
            } else if (r.type === TYPES.healthyFargateService) judgeContract(ctx, r);
        }
        for (const source of taskDefinitionSources(ctx.resources)) judgeStopTimeouts(ctx, source);
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(gracefulShutdownAligned, {
    checks: `container \`stopTimeout\` ≤ 120 s (Fargate's maximum) and target group
\`deregistrationDelay\` ≤ \`maxDeregistrationDelaySeconds\` — an unset delay counts as AWS's 300 s —
via \`validateHealthTimings\`; also the HealthyFargateService contract's timings, and the
\`defaultTargetGroup\` of an awsx ApplicationLoadBalancer without children (\`{}\` = AWS's 300 s). A
stack policy, because an ALB with all defaults has the same empty inputs offline and in a real
preview: only its children tell which one to judge.`,
    rationale: `Stopping a task drains its target for the deregistration delay, then sends SIGTERM and
SIGKILLs after \`stopTimeout\`. Fargate documents 120 s as its maximum; AWS's default 300 s drain adds five
minutes to every deployment batch.`,
    config: `\`maxDeregistrationDelaySeconds\` (number, default 120).`,
    remediation: `Deregistration delay = the longest request (15–30 s for an API); stopTimeout = the app's
shutdown time plus a margin.`,
    examples: `Fails:
\`\`\`ts
new aws.lb.TargetGroup("api", { port: 8080, protocol: "HTTP", targetType: "ip" });  // 300 s drain
\`\`\`
Passes:
\`\`\`ts
new aws.lb.TargetGroup("api", { port: 8080, protocol: "HTTP", targetType: "ip", deregistrationDelay: 15 });
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: gracefulShutdownAligned, metadata };
