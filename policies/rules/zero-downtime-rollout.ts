import type { ResourceValidationPolicy } from "@pulumi/policy";
import { ECS_SERVICE, checkZeroDowntimeRollout } from "../domain/index";
import { PACK_CONFIG_NAMESPACE, type StackConfigBooleanRead, readStackConfigBoolean, resourceRule } from "../kit";
import { TYPES, UNKNOWN, asNumberValue, defaultDesiredCount, readService, show } from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

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

/** A setting that keeps the policy from deciding whether the stack is production-like. */
interface ConfigError {
    path: string;
    found: string;
    problem: string;
    fix: string;
}

/** Whether the stack is production-like, and which setting says so; or the setting that is broken. */
export type ProductionLikeVerdict = { productionLike: boolean; because: string } | { configError: ConfigError };

const STACK_CONFIG_KEY = `${PACK_CONFIG_NAMESPACE}:productionLike`;

/**
 * Whether `stack` is production-like: the policy config `productionLike: true` (every stack), else
 * the stack's own config `healthy-fargate:productionLike` (read from `PULUMI_CONFIG`, see
 * kit/stack-config.ts), else the stack name against `productionStackPattern`. A pattern that is no
 * JavaScript regular expression, or a stack setting that is neither true nor false, is a config
 * error — reported, never a silently disabled policy. (The CLI validates the policy config only
 * against the schema's `type: string`; a JSON-schema `format: "regex"` would be checked by the CLI's
 * validator, gojsonschema in pkg/resource/analyzer/config.go, with Go's regexp syntax, which differs
 * from the JavaScript syntax the pack uses, and the offline check's validator ignores formats.)
 */
export function productionLikeVerdict(
    stack: string | undefined,
    config: ZeroDowntimeRolloutConfig,
    stackSetting: StackConfigBooleanRead = readStackConfigBoolean(PACK_CONFIG_NAMESPACE, "productionLike"),
): ProductionLikeVerdict {
    let pattern: RegExp | undefined;
    if (typeof config.productionStackPattern === "string") {
        try {
            pattern = new RegExp(config.productionStackPattern);
        } catch (error) {
            return {
                configError: {
                    path: "productionStackPattern (policy config)",
                    found: show(config.productionStackPattern),
                    problem: `The policy cannot tell which stacks are production-like: the pattern is no JavaScript regular expression (${error instanceof Error ? error.message : String(error)})`,
                    fix: `Correct \`productionStackPattern\` in the policy config (default ${JSON.stringify(ZERO_DOWNTIME_ROLLOUT_DEFAULTS.productionStackPattern)}), or set \`${STACK_CONFIG_KEY}\` in the stack's config`,
                },
            };
        }
    }
    if (stackSetting.status === "invalid") {
        return {
            configError: {
                path: `${STACK_CONFIG_KEY} (stack config)`,
                found: stackSetting.reason,
                problem: "The policy cannot tell whether this stack is production-like",
                fix: `Set \`${STACK_CONFIG_KEY}\` to true or false in the stack's config (\`pulumi config set ${STACK_CONFIG_KEY} true\`)`,
            },
        };
    }
    if (config.productionLike === true) return { productionLike: true, because: "policy config `productionLike`" };
    if (stackSetting.status === "set") return { productionLike: stackSetting.value, because: `stack config \`${STACK_CONFIG_KEY}\`` };
    if (stack === undefined || !pattern) return { productionLike: false, because: "no stack name" };
    return { productionLike: pattern.test(stack), because: `\`productionStackPattern\`` };
}

/** Whether the stack is production-like under `config` (and the stack config the CLI passed); `false` when a setting is broken. */
export function isProductionLike(stack: string | undefined, config: ZeroDowntimeRolloutConfig): boolean {
    const verdict = productionLikeVerdict(stack, config);
    return "productionLike" in verdict && verdict.productionLike;
}

const FIELD_OF = {
    desiredCount: "desiredCount",
    minimumHealthyPercent: "deploymentMinimumHealthyPercent",
    maximumPercent: "deploymentMaximumPercent",
} as const;

/**
 * In production-like stacks a deployment (or a crashed task) must never leave nothing serving:
 * at least two tasks, no old task stopped before its replacement is healthy, and room to start one.
 */
export const zeroDowntimeRollout: ResourceValidationPolicy = {
    name: "zero-downtime-rollout",
    description:
        "In production-like stacks, ECS services must run at least two tasks and replace them without stopping any before their successors are healthy.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            productionLike: {
                type: "boolean",
                default: ZERO_DOWNTIME_ROLLOUT_DEFAULTS.productionLike,
                description:
                    "Apply the policy to every stack (a stack can also declare itself with the stack config `healthy-fargate:productionLike`).",
            },
            productionStackPattern: {
                type: "string",
                default: ZERO_DOWNTIME_ROLLOUT_DEFAULTS.productionStackPattern,
                description:
                    "JavaScript regular expression; stacks whose name matches are production-like, unless their config `healthy-fargate:productionLike` says otherwise.",
            },
            minDesiredCount: {
                type: "integer",
                minimum: 1,
                default: ZERO_DOWNTIME_ROLLOUT_DEFAULTS.minDesiredCount,
                description: "Fewest tasks a production-like service may run.",
            },
        },
    },
    validateResource: resourceRule([TYPES.service, TYPES.awsxFargateService], ZERO_DOWNTIME_ROLLOUT_DEFAULTS, (ctx) => {
        const s = readService(ctx.type, ctx.props);
        if (!s) return;
        const verdict = productionLikeVerdict(ctx.stack, ctx.config);
        if ("configError" in verdict) return ctx.report.violation(ctx.subject, verdict.configError);
        if (!verdict.productionLike) return;
        if (s.controller === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: "deploymentController.type" });
        if (s.controller !== "ECS") return;
        const raw = { desiredCount: s.desiredCount, minimumHealthyPercent: s.minimumHealthyPercent, maximumPercent: s.maximumPercent };
        const desired = asNumberValue(raw.desiredCount);
        const min = asNumberValue(raw.minimumHealthyPercent);
        const max = asNumberValue(raw.maximumPercent);
        for (const [key, value] of [
            ["desiredCount", desired],
            ["minimumHealthyPercent", min],
            ["maximumPercent", max],
        ] as const) {
            if (value === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: FIELD_OF[key] });
        }
        const findings = checkZeroDowntimeRollout(
            {
                desiredCount: typeof desired === "number" ? desired : defaultDesiredCount(s.kind),
                ...(typeof min === "number" ? { minimumHealthyPercent: min } : {}),
                ...(typeof max === "number" ? { maximumPercent: max } : {}),
            },
            { minDesiredCount: ctx.config.minDesiredCount },
        );
        for (const f of findings) {
            const value = raw[f.field];
            // Unset: ECS applies its defaults (the domain's AWS-default constants; awsx's desired count differs).
            const fallback = f.field === "desiredCount" ? defaultDesiredCount(s.kind) : ECS_SERVICE[f.field].awsDefault;
            ctx.report.violation(ctx.subject, {
                path: FIELD_OF[f.field],
                found: `${show(value)}${value === undefined ? ` (default ${fallback})` : ""} in production-like stack '${ctx.stack ?? "?"}' (${verdict.because})`,
                problem: f.message.replace(
                    /`(desiredCount|minimumHealthyPercent|maximumPercent)`/g,
                    (_m, k: keyof typeof FIELD_OF) => `\`${FIELD_OF[k]}\``,
                ),
                fix: f.fix.replace(
                    /`(desiredCount|minimumHealthyPercent|maximumPercent)`/g,
                    (_m, k: keyof typeof FIELD_OF) => `\`${FIELD_OF[k]}\``,
                ),
            });
        }
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(zeroDowntimeRollout, {
    levelNote: `, in production-like stacks only`,
    checks: `\`desiredCount\` ≥ \`minDesiredCount\` (unset = the provider's 0; awsx's FargateService
defaults to 1, and the service awsx creates carries it),
\`deploymentMinimumHealthyPercent\` ≥ 100 (unset = 100) and room to deploy
(\`deploymentMaximumPercent\` lets ECS start at least one extra task), via \`checkZeroDowntimeRollout\`.
A stack is production-like when, in this order: the policy config \`productionLike\` is true (every
stack); else the **stack's own config** \`healthy-fargate:productionLike\` says \`true\` or \`false\`
(read from \`PULUMI_CONFIG\`, which the Pulumi CLI — and the offline check — hands the pack with the
stack's config; in this project it is declared in \`Pulumi.yaml\`, and any project may set it in its
stack file: \`pulumi config set healthy-fargate:productionLike true\`); else its name (from the URN)
matches \`productionStackPattern\`. The message names which of the three decided. A
\`productionStackPattern\` that is no JavaScript regular expression, or a stack setting that is
neither \`true\` nor \`false\`, is reported as a violation at the policy's level on every service it
judges (the CLI's schema check cannot catch the pattern: it would test Go's regexp syntax), never a
silently disabled policy.`,
    rationale: `One task, or a minimum healthy percent below 100, leaves nothing (or too little) serving
while tasks are replaced or after a crash; 100/100 lets no deployment progress.`,
    config: `\`productionLike\` (boolean, default false); \`productionStackPattern\` (string, a
JavaScript regular expression, default \`^(prod|production|live)([-_.].*)?$\`: matches \`prod\`,
\`production-eu\`, \`live_2\`, not \`prodigy\`); \`minDesiredCount\` (integer, default 2). Stack config:
\`healthy-fargate:productionLike\` (\`true\`/\`false\`).`,
    remediation: `Two or more tasks at 100 % minimum healthy and 200 % maximum.`,
    examples: `Fails:
\`\`\`ts
new aws.ecs.Service("api", { desiredCount: 1, deploymentMinimumHealthyPercent: 50 });  // stack "prod"
\`\`\`
Passes:
\`\`\`ts
new aws.ecs.Service("api", { desiredCount: 2, deploymentMinimumHealthyPercent: 100, deploymentMaximumPercent: 200 });
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: zeroDowntimeRollout, metadata };
