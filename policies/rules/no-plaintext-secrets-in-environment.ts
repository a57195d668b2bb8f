import type { ResourceValidationPolicy } from "@pulumi/policy";
import { classifyEnvironmentEntry } from "../domain/index";
import { containersToJudge, resourceRule } from "../kit";
import { TYPES, UNKNOWN, environmentEntries } from "../resources";

/**
 * Plain `environment` values are part of the task definition: anyone who may describe it (console,
 * `DescribeTaskDefinition`, CI logs of the diff) reads them. Credentials belong in `secrets`.
 */
export const noPlaintextSecretsInEnvironment: ResourceValidationPolicy = {
    name: "no-plaintext-secrets-in-environment",
    description: "Container environment variables must not hold credentials; credentials must come from Secrets Manager or SSM Parameter Store through the container's secrets.",
    enforcementLevel: "mandatory",
    validateResource: resourceRule([TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService], {}, ctx => {
        // (A HealthyFargateService refuses credentials in `environment` before it registers anything.)
        for (const c of containersToJudge(ctx) ?? []) {
            const entries = environmentEntries(c);
            if (entries === UNKNOWN) {
                ctx.report.undecided(ctx.subject, { path: `${c.path}.environment` });
                continue;
            }
            for (const entry of entries) {
                if (entry.name === UNKNOWN) {
                    ctx.report.undecided(ctx.subject, { path: entry.path });
                    continue;
                }
                // An unknown value is judged by its name (the domain's rule 3).
                const finding = classifyEnvironmentEntry(entry.name, entry.value === UNKNOWN ? undefined : entry.value);
                if (!finding) continue;
                ctx.report.violation(ctx.subject, {
                    path: entry.path,
                    found: `\`${entry.name}\` in plain \`environment\` of container '${c.name}' [${finding.id}]`,
                    problem: finding.message,
                    fix: finding.fix,
                });
            }
        }
    }),
};
