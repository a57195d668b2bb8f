import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "../kit";
import { TYPES, UNKNOWN, asArray, asBoolean, field, isUnknown, readService, show } from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

export interface DeploymentAlarmsConfiguredConfig {
    /** Also require `alarms.rollback: true`. */
    requireRollback: boolean;
}

export const DEPLOYMENT_ALARMS_CONFIGURED_DEFAULTS: DeploymentAlarmsConfiguredConfig = { requireRollback: true };

/**
 * The circuit breaker only sees tasks that fail to start or fail health checks. A release that
 * starts fine but serves errors passes it; deployment alarms (error rate, latency) catch that and
 * roll back.
 */
export const deploymentAlarmsConfigured: ResourceValidationPolicy = {
    name: "deployment-alarms-configured",
    description: "ECS services should watch CloudWatch alarms during deployments and roll back when one fires.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            requireRollback: {
                type: "boolean",
                default: DEPLOYMENT_ALARMS_CONFIGURED_DEFAULTS.requireRollback,
                description: "Also require `alarms.rollback: true`.",
            },
        },
    },
    validateResource: resourceRule([TYPES.service, TYPES.awsxFargateService], DEPLOYMENT_ALARMS_CONFIGURED_DEFAULTS, (ctx) => {
        const s = readService(ctx.type, ctx.props);
        if (!s) return;
        if (s.controller === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: "deploymentController.type" });
        if (s.controller !== "ECS") return;
        const fix =
            "Set `alarms: { alarmNames: [<5xx-rate alarm>, <latency alarm>], enable: true, rollback: true }` with alarms on the service's own error rate and latency";
        if (s.alarms === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: "alarms" });
        if (s.alarms === undefined) {
            return ctx.report.violation(ctx.subject, {
                path: "alarms",
                found: "unset",
                problem:
                    "No deployment alarms: a release whose tasks start and pass health checks but serve errors or slow responses completes and stays",
                fix,
            });
        }
        const names = asArray(field(s.alarms, "alarmNames"));
        if (names === UNKNOWN || (Array.isArray(names) && names.some(isUnknown)))
            ctx.report.undecided(ctx.subject, { path: "alarms.alarmNames" });
        else if (!names || names.length === 0) {
            ctx.report.violation(ctx.subject, {
                path: "alarms.alarmNames",
                found: show(field(s.alarms, "alarmNames")),
                problem: "No alarm is watched during deployments",
                fix,
            });
        }
        for (const key of ctx.config.requireRollback ? ["enable", "rollback"] : ["enable"]) {
            const raw = field(s.alarms, key);
            const value = asBoolean(raw);
            if (value === UNKNOWN) ctx.report.undecided(ctx.subject, { path: `alarms.${key}` });
            else if (value !== true) {
                ctx.report.violation(ctx.subject, {
                    path: `alarms.${key}`,
                    found: show(raw),
                    problem:
                        key === "enable"
                            ? "Deployment alarms are configured but not enabled"
                            : "A firing alarm fails the deployment but does not roll it back",
                    fix,
                });
            }
        }
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(deploymentAlarmsConfigured, {
    checks: `services using the ECS deployment controller (also the one awsx creates, and awsx
FargateService args offline) set \`alarms\` with at least one alarm name, \`enable: true\` and (with
\`requireRollback\`) \`rollback: true\`.`,
    rationale: `The circuit breaker only sees tasks that fail to start or fail health checks; a release
that starts fine but serves errors completes and stays unless an alarm rolls it back.`,
    config: `\`requireRollback\` (boolean, default true).`,
    remediation: `Alarms on the service's 5xx rate and latency, watched during deployments. On the service:
\`alarms: { alarmNames, enable: true, rollback: true }\`.`,
    examples: `Fails:
\`\`\`ts
new aws.ecs.Service("api", { /* no alarms */ });
\`\`\`
Passes:
\`\`\`ts
new aws.ecs.Service("api", { alarms: { alarmNames: [errorRate.name], enable: true, rollback: true } });
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: deploymentAlarmsConfigured, metadata };
