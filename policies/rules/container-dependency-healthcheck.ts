import type { ResourceValidationPolicy } from "@pulumi/policy";
import { containersToJudge, resourceRule } from "../kit";
import { TYPES, UNKNOWN, asString, field, show } from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

/**
 * `dependsOn` conditions ECS cannot satisfy stop a task from ever starting: `HEALTHY` needs a health
 * check on the named container, `COMPLETE`/`SUCCESS` need a container that may exit (not essential),
 * and the named container must exist.
 */
export const containerDependencyHealthcheck: ResourceValidationPolicy = {
    name: "container-dependency-healthcheck",
    description:
        "Container dependencies must be satisfiable: a HEALTHY dependency needs a health check on the named container, COMPLETE and SUCCESS need a non-essential one, and the container must exist.",
    enforcementLevel: "mandatory",
    validateResource: resourceRule([TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService], {}, (ctx) => {
        const containers = containersToJudge(ctx);
        if (!containers) return;
        for (const c of containers) {
            if (c.dependsOn === UNKNOWN) {
                ctx.report.undecided(ctx.subject, { path: `${c.path}.dependsOn` });
                continue;
            }
            (c.dependsOn ?? []).forEach((dep, i) => {
                const path = `${c.path}.dependsOn[${i}]`;
                const name = asString(field(dep, "containerName"));
                const conditionRaw = asString(field(dep, "condition"));
                if (name === UNKNOWN || conditionRaw === UNKNOWN) return ctx.report.undecided(ctx.subject, { path });
                if (name === undefined) return;
                const condition = (conditionRaw ?? "").toUpperCase();
                const target = containers.find((x) => x.name === name);
                if (!target) {
                    return ctx.report.violation(ctx.subject, {
                        path: `${path}.containerName`,
                        found: show(name),
                        problem: `Container '${c.name}' depends on '${name}', which this task definition does not define: ECS rejects the task definition`,
                        fix: `Name one of ${containers.map((x) => `'${x.name}'`).join(", ")} or add container '${name}'`,
                    });
                }
                if (condition === "HEALTHY") {
                    if (target.healthCheck === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: `${target.path}.healthCheck` });
                    if (target.healthCheck === undefined) {
                        ctx.report.violation(ctx.subject, {
                            path: `${path}.condition`,
                            found: `"HEALTHY" on '${name}', which has no healthCheck`,
                            problem: `Container '${c.name}' waits for '${name}' to be HEALTHY, but '${name}' has no health check, so it never becomes HEALTHY and the task never starts`,
                            fix: `Add a \`healthCheck\` to container '${name}', or depend on it with condition "START"`,
                        });
                    }
                } else if (condition === "COMPLETE" || condition === "SUCCESS") {
                    if (target.essential === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: `${target.path}.essential` });
                    if (target.essential) {
                        ctx.report.violation(ctx.subject, {
                            path: `${path}.condition`,
                            found: `${JSON.stringify(condition)} on essential container '${name}'`,
                            problem: `${condition} waits for '${name}' to exit, but '${name}' is essential (its exit stops the whole task): ECS rejects this dependency`,
                            fix: `Set \`essential: false\` on '${name}' (an init container that runs and exits), or use condition "START" or "HEALTHY"`,
                        });
                    }
                }
            });
        }
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(containerDependencyHealthcheck, {
    checks: `each \`dependsOn\` entry names a container of the task definition; \`HEALTHY\` names one
with a health check; \`COMPLETE\`/\`SUCCESS\` name a non-essential one.`,
    rationale: `A container never becomes HEALTHY without a health check, so the task never starts; ECS
rejects exit conditions on essential containers and unknown container names.`,
    config: `none.`,
    remediation: `Add the health check, make init containers \`essential: false\`, or use \`START\`.`,
    examples: `Fails:
\`\`\`ts
[{ name: "app", dependsOn: [{ containerName: "proxy", condition: "HEALTHY" }] }, { name: "proxy", image: "envoy" }]
\`\`\`
Passes:
\`\`\`ts
[{ name: "app", dependsOn: [{ containerName: "proxy", condition: "HEALTHY" }] },
 { name: "proxy", image: "envoy", healthCheck: { command: ["CMD", "curl", "-f", "http://localhost:9901/ready"] } }]
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: containerDependencyHealthcheck, metadata };
