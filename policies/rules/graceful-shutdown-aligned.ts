import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TARGET_GROUP, validateHealthTimings } from "../domain/index";
import { containersToJudge, resourceRule } from "../kit";
import { CONTRACT_FIELD, TARGET_GROUP_TYPES, TYPES, isUnknown, readHealthContract, readTargetGroup, show } from "../resources";

export interface GracefulShutdownAlignedConfig {
    /** Deregistration delays above this many seconds are reported (unset = AWS's 300 s). */
    maxDeregistrationDelaySeconds: number;
}

export const GRACEFUL_SHUTDOWN_ALIGNED_DEFAULTS: GracefulShutdownAlignedConfig = { maxDeregistrationDelaySeconds: 120 };

const OWN_FINDINGS = ["stop-timeout-above-fargate-max", "deregistration-delay-above-budget"];

/**
 * Stopping a task behind an ALB: the target drains for `deregistrationDelay`, then SIGTERM, then
 * SIGKILL after `stopTimeout`. Fargate caps `stopTimeout` at 120 s; a long drain (AWS's default is
 * 300 s) delays every batch of every deployment.
 */
export const gracefulShutdownAligned: ResourceValidationPolicy = {
    name: "graceful-shutdown-aligned",
    description: "Container stop timeouts must fit Fargate's 120-second limit and target group deregistration delays must stay within the shutdown budget.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            maxDeregistrationDelaySeconds: {
                type: "number", minimum: 0, default: GRACEFUL_SHUTDOWN_ALIGNED_DEFAULTS.maxDeregistrationDelaySeconds,
                description: "Largest accepted deregistration delay in seconds; an unset delay counts as AWS's default of 300 s.",
            },
        },
    },
    validateResource: resourceRule([TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService, ...TARGET_GROUP_TYPES, TYPES.healthyFargateService], GRACEFUL_SHUTDOWN_ALIGNED_DEFAULTS, ctx => {
        const max = ctx.config.maxDeregistrationDelaySeconds;
        const judge = (values: { stopTimeout?: unknown; deregistrationDelay?: unknown }, pathOf: (f: string) => string) => {
            for (const [f, v] of Object.entries(values)) {
                if (isUnknown(v)) ctx.report.undecided(ctx.subject, { path: pathOf(f) });
            }
            const known = Object.fromEntries(Object.entries(values).filter(([, v]) => !isUnknown(v)));
            const result = validateHealthTimings(known, { maxDeregistrationDelaySeconds: max });
            for (const f of result.findings.filter(x => OWN_FINDINGS.includes(x.id))) {
                const raw = (values as Record<string, unknown>)[f.field];
                ctx.report.violation(ctx.subject, {
                    path: pathOf(f.field),
                    found: `${show(raw)}${raw === undefined ? ` (AWS default ${TARGET_GROUP.deregistrationDelay.awsDefault} s)` : ""}`,
                    problem: f.message, fix: f.fix,
                });
            }
        };
        if (ctx.type === TYPES.healthyFargateService) {
            const read = readHealthContract(ctx.props);
            if (read.status === "unknown") ctx.report.undecided(ctx.subject, { path: CONTRACT_FIELD });
            if (read.status !== "ok") return;
            const t = read.contract.timings;
            judge({ stopTimeout: t.stopTimeout, deregistrationDelay: t.deregistrationDelay ?? TARGET_GROUP.deregistrationDelay.awsDefault }, f => `${CONTRACT_FIELD}.timings.${f}`);
            return;
        }
        if (TARGET_GROUP_TYPES.includes(ctx.type)) {
            const tg = readTargetGroup(ctx.props);
            if (isUnknown(tg.deregistrationDelay)) {
                if (!ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: "deregistrationDelay" });
                return;
            }
            // Unset means AWS's 300 s: judge the effective value, report it as unset.
            const effective = tg.deregistrationDelay ?? TARGET_GROUP.deregistrationDelay.awsDefault;
            const result = validateHealthTimings({ deregistrationDelay: effective }, { maxDeregistrationDelaySeconds: max });
            for (const f of result.findings.filter(x => x.field === "deregistrationDelay" && (x.id === "deregistration-delay-above-budget" || x.id === "value-out-of-range"))) {
                ctx.report.violation(ctx.subject, {
                    path: "deregistrationDelay",
                    found: tg.deregistrationDelay === undefined ? `unset (AWS default ${TARGET_GROUP.deregistrationDelay.awsDefault} s)` : show(tg.deregistrationDelay),
                    problem: f.message, fix: f.fix,
                });
            }
            return;
        }
        for (const c of containersToJudge(ctx, { fargateOnly: true }) ?? []) {
            if (c.stopTimeout === undefined) continue;
            judge({ stopTimeout: c.stopTimeout }, f => `${c.path}.${f}`);
        }
    }),
};
