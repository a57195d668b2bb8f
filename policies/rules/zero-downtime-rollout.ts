import type { ResourceValidationPolicy } from "@pulumi/policy";
import { checkZeroDowntimeRollout } from "../domain/index";
import { isAwsxServiceChild, resourceRule } from "../kit";
import { TYPES, UNKNOWN, asNumberValue, defaultDesiredCount, readService, show } from "../resources";

export interface ZeroDowntimeRolloutConfig {
    /** Treat every stack as production-like. */
    productionLike: boolean;
    /** Stacks whose name matches this regular expression are production-like. */
    productionStackPattern: string;
    /** Fewest tasks a production-like service may run. */
    minDesiredCount: number;
}

export const ZERO_DOWNTIME_ROLLOUT_DEFAULTS: ZeroDowntimeRolloutConfig = {
    productionLike: false,
    productionStackPattern: "^(prod|production|live)([-_.].*)?$",
    minDesiredCount: 2,
};

/** Whether the stack is production-like under `config`. An invalid pattern matches nothing. */
export function isProductionLike(stack: string | undefined, config: ZeroDowntimeRolloutConfig): boolean {
    if (config.productionLike === true) return true;
    if (stack === undefined || typeof config.productionStackPattern !== "string") return false;
    try {
        return new RegExp(config.productionStackPattern).test(stack);
    } catch {
        return false;
    }
}

const FIELD_OF = { desiredCount: "desiredCount", minimumHealthyPercent: "deploymentMinimumHealthyPercent", maximumPercent: "deploymentMaximumPercent" } as const;

/**
 * In production-like stacks a deployment (or a crashed task) must never leave nothing serving:
 * at least two tasks, no old task stopped before its replacement is healthy, and room to start one.
 */
export const zeroDowntimeRollout: ResourceValidationPolicy = {
    name: "zero-downtime-rollout",
    description: "In production-like stacks, ECS services must run at least two tasks and replace them without stopping any before their successors are healthy.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            productionLike: { type: "boolean", default: ZERO_DOWNTIME_ROLLOUT_DEFAULTS.productionLike, description: "Apply the policy to every stack." },
            productionStackPattern: { type: "string", default: ZERO_DOWNTIME_ROLLOUT_DEFAULTS.productionStackPattern, description: "Regular expression; stacks whose name matches are production-like." },
            minDesiredCount: { type: "integer", minimum: 1, default: ZERO_DOWNTIME_ROLLOUT_DEFAULTS.minDesiredCount, description: "Fewest tasks a production-like service may run." },
        },
    },
    validateResource: resourceRule([TYPES.service, TYPES.awsxFargateService], ZERO_DOWNTIME_ROLLOUT_DEFAULTS, ctx => {
        if (isAwsxServiceChild(ctx)) return;
        if (!isProductionLike(ctx.stack, ctx.config)) return;
        const s = readService(ctx.type, ctx.props);
        if (!s) return;
        if (s.controller === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: "deploymentController.type" });
        if (s.controller !== "ECS") return;
        const raw = { desiredCount: s.desiredCount, minimumHealthyPercent: s.minimumHealthyPercent, maximumPercent: s.maximumPercent };
        const desired = asNumberValue(raw.desiredCount);
        const min = asNumberValue(raw.minimumHealthyPercent);
        const max = asNumberValue(raw.maximumPercent);
        for (const [key, value] of [["desiredCount", desired], ["minimumHealthyPercent", min], ["maximumPercent", max]] as const) {
            if (value === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: FIELD_OF[key] });
        }
        const findings = checkZeroDowntimeRollout({
            desiredCount: typeof desired === "number" ? desired : defaultDesiredCount(s.kind),
            ...(typeof min === "number" ? { minimumHealthyPercent: min } : {}),
            ...(typeof max === "number" ? { maximumPercent: max } : {}),
        }, { minDesiredCount: ctx.config.minDesiredCount });
        for (const f of findings) {
            const value = raw[f.field];
            ctx.report.violation(ctx.subject, {
                path: FIELD_OF[f.field],
                found: `${show(value)}${value === undefined ? ` (default ${f.field === "desiredCount" ? defaultDesiredCount(s.kind) : f.field === "minimumHealthyPercent" ? 100 : 200})` : ""} in production-like stack '${ctx.stack ?? "?"}'`,
                problem: f.message.replace(/`(desiredCount|minimumHealthyPercent|maximumPercent)`/g, (_m, k: keyof typeof FIELD_OF) => `\`${FIELD_OF[k]}\``),
                fix: f.fix.replace(/`(desiredCount|minimumHealthyPercent|maximumPercent)`/g, (_m, k: keyof typeof FIELD_OF) => `\`${FIELD_OF[k]}\``),
            });
        }
    }),
};
