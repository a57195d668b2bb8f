import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "../kit";
import { TYPES, UNKNOWN, asBoolean, field, readService, show } from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

/**
 * Without the deployment circuit breaker, a release whose tasks never become healthy is retried
 * forever (the deployment never fails); without `rollback`, it fails but the broken task definition
 * stays in place. Judges `aws:ecs/service:Service` (also HealthyFargateService's, and the one awsx
 * creates in a real preview, which carries the args' settings) and the args of awsx's
 * FargateService when it has them (offline, where awsx renders no child).
 */
export const deploymentCircuitBreakerRollback: ResourceValidationPolicy = {
    name: "deployment-circuit-breaker-rollback",
    description: "ECS services deployed by the ECS controller must enable the deployment circuit breaker with rollback.",
    enforcementLevel: "mandatory",
    validateResource: resourceRule([TYPES.service, TYPES.awsxFargateService], {}, (ctx) => {
        const s = readService(ctx.type, ctx.props);
        if (!s) return;
        if (s.controller === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: "deploymentController.type" });
        if (s.controller !== "ECS") return; // CODE_DEPLOY and EXTERNAL deployments have their own rollback
        const fix = "Set `deploymentCircuitBreaker: { enable: true, rollback: true }` on the service";
        if (s.circuitBreaker === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: "deploymentCircuitBreaker" });
        if (s.circuitBreaker === undefined) {
            return ctx.report.violation(ctx.subject, {
                path: "deploymentCircuitBreaker",
                found: "unset",
                problem:
                    "Without the circuit breaker a release whose tasks never become healthy is retried forever: the deployment never fails and `pulumi up` waits or reports success on a broken service",
                fix,
            });
        }
        for (const key of ["enable", "rollback"] as const) {
            const raw = field(s.circuitBreaker, key);
            const value = asBoolean(raw);
            if (value === UNKNOWN) {
                ctx.report.undecided(ctx.subject, { path: `deploymentCircuitBreaker.${key}` });
            } else if (value !== true) {
                ctx.report.violation(ctx.subject, {
                    path: `deploymentCircuitBreaker.${key}`,
                    found: show(raw),
                    problem:
                        key === "enable"
                            ? "The circuit breaker is switched off: failing tasks are replaced forever and the deployment never fails"
                            : "The circuit breaker fails the deployment but leaves the broken task definition running instead of rolling back to the last one that worked",
                    fix,
                });
            }
        }
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(deploymentCircuitBreakerRollback, {
    checks: `\`deploymentCircuitBreaker.enable\` and \`.rollback\` are \`true\` on every service using the
ECS deployment controller (CODE_DEPLOY and EXTERNAL are skipped): \`aws:ecs/service:Service\` (also
the one awsx creates in a real preview) and awsx FargateService args (offline) — never the empty
inputs a real preview shows for the awsx component.`,
    rationale: `Without the circuit breaker a release whose tasks never become healthy is retried forever;
without rollback the deployment fails but the broken task definition stays.`,
    config: `none.`,
    remediation: `\`deploymentCircuitBreaker: { enable: true, rollback: true }\`.`,
    examples: `Fails:
\`\`\`ts
new aws.ecs.Service("api", { deploymentCircuitBreaker: { enable: true, rollback: false } });
\`\`\`
Passes:
\`\`\`ts
new aws.ecs.Service("api", { deploymentCircuitBreaker: { enable: true, rollback: true } });
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: deploymentCircuitBreakerRollback, metadata };
