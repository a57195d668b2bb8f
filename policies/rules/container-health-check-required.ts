import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type ProbeProblemId, analyzeProbeCommand } from "../domain/index";
import { containersToJudge, resourceRule } from "../kit";
import { CONTRACT_FIELD, TYPES, UNKNOWN, asArray, field, isUnknown, readHealthContract, show } from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

/**
 * Problems that make a command no health check at all. (How well a runnable command probes —
 * `curl` without `-f`, a port-only check — is left to the probe-command policies.)
 */
const NOT_A_HEALTH_CHECK: readonly ProbeProblemId[] = [
    "health-check-disabled",
    "command-not-a-list",
    "command-invalid",
    "command-empty",
    "non-string-element",
    "unknown-command-form",
    "missing-executable",
];

/** The first problem that makes `command` no health check, if any; "unknown" when it is not known yet. */
function notAHealthCheck(command: unknown): { message: string; fix: string } | "unknown" | undefined {
    const analysis = analyzeProbeCommand(command);
    if (analysis.form === "unknown") return "unknown";
    return analysis.problems.find((p) => NOT_A_HEALTH_CHECK.includes(p.id));
}

export interface ContainerHealthCheckRequiredConfig {
    /** Container names exempt from the rule (e.g. sidecars such as "log_router"). */
    exemptContainers: string[];
}

export const CONTAINER_HEALTH_CHECK_REQUIRED_DEFAULTS: ContainerHealthCheckRequiredConfig = { exemptContainers: [] };

/**
 * ECS monitors only the task definition's health check (never the Dockerfile HEALTHCHECK): an
 * essential container without one is "healthy" while hung, and nothing replaces it.
 */
export const containerHealthCheckRequired: ResourceValidationPolicy = {
    name: "container-health-check-required",
    description: "Every essential container of a Fargate task definition must define a container health check command.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            exemptContainers: {
                type: "array",
                items: { type: "string" },
                default: CONTAINER_HEALTH_CHECK_REQUIRED_DEFAULTS.exemptContainers,
                description: "Names of essential containers that may run without a health check (e.g. log routers).",
            },
        },
    },
    validateResource: resourceRule(
        [TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService, TYPES.healthyFargateService],
        CONTAINER_HEALTH_CHECK_REQUIRED_DEFAULTS,
        (ctx) => {
            if (ctx.type === TYPES.healthyFargateService) {
                // The component's container runs exactly the contract's command.
                const read = readHealthContract(ctx.props);
                if (read.status === "unknown") ctx.report.undecided(ctx.subject, { path: CONTRACT_FIELD });
                if (read.status !== "ok") return;
                const command = read.contract.command;
                if (command === UNKNOWN || (Array.isArray(command) && command.some(isUnknown))) {
                    ctx.report.undecided(ctx.subject, { path: `${CONTRACT_FIELD}.probe.command` });
                    return;
                }
                const problem = notAHealthCheck(command);
                if (problem === "unknown") return ctx.report.undecided(ctx.subject, { path: `${CONTRACT_FIELD}.probe.command` });
                if (problem) {
                    ctx.report.violation(ctx.subject, {
                        path: `${CONTRACT_FIELD}.probe.command`,
                        found: show(command),
                        problem: `The component's container health check is not runnable: ${problem.message}`,
                        fix: "Set `probe.tool` to a tool the image contains; the component generates the command",
                    });
                }
                return;
            }
            // (Invalid JSON or no containers give nothing to judge: AWS rejects those with its own error.)
            for (const c of containersToJudge(ctx, { fargateOnly: true }) ?? []) {
                if (ctx.config.exemptContainers.includes(c.name)) continue;
                if (c.essential === UNKNOWN) {
                    ctx.report.undecided(ctx.subject, { path: `${c.path}.essential` });
                    continue;
                }
                if (!c.essential) continue;
                if (c.healthCheck === UNKNOWN) {
                    ctx.report.undecided(ctx.subject, { path: `${c.path}.healthCheck` });
                    continue;
                }
                if (c.healthCheck === undefined) {
                    ctx.report.violation(ctx.subject, {
                        path: `${c.path}.healthCheck`,
                        found: "unset",
                        problem: `Essential container '${c.name}' has no health check: ECS never sees it as unhealthy, so a hung process keeps running and deployments cannot tell a broken release`,
                        fix: `Add \`healthCheck: { command: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://localhost:<port>/health/live"], interval: 10, timeout: 5, retries: 3, startPeriod: <start-up seconds> }\` to '${c.name}' (use a tool the image contains), or list it in \`exemptContainers\``,
                    });
                    continue;
                }
                const command = field(c.healthCheck, "command");
                const list = asArray(command);
                if (list === UNKNOWN || (Array.isArray(list) && list.some(isUnknown))) {
                    ctx.report.undecided(ctx.subject, { path: `${c.path}.healthCheck.command` });
                    continue;
                }
                const problem = notAHealthCheck(command);
                if (problem === "unknown") {
                    ctx.report.undecided(ctx.subject, { path: `${c.path}.healthCheck.command` });
                } else if (problem) {
                    ctx.report.violation(ctx.subject, {
                        path: `${c.path}.healthCheck.command`,
                        found: show(command),
                        problem: `Essential container '${c.name}' has no working health check: ${problem.message}`,
                        fix: problem.fix,
                    });
                }
            }
        },
    ),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(containerHealthCheckRequired, {
    checks: `every essential container (\`essential\` defaults to true) of a Fargate task definition
(also the one awsx creates), awsx container args (offline) and HealthyFargateService's contract has a \`healthCheck\` with a runnable
command (\`["CMD", …]\` or \`["CMD-SHELL", "…"]\`; \`["NONE"]\`, a plain string or an empty list count as missing), via \`analyzeProbeCommand\`. How well a runnable command probes (\`curl\` without \`-f\`, a port-only check) is left to the probe-command policies.`,
    rationale: `ECS monitors only the task definition's health check, never the Dockerfile
\`HEALTHCHECK\`: without one a hung process is never replaced and a broken release looks healthy.`,
    config: `\`exemptContainers\` (string[], default \`[]\`): essential containers allowed to run without
a health check (log routers and similar sidecars).`,
    remediation: `Add a health check that requests the app's liveness endpoint on localhost with a tool the
image contains (\`curl -f\`, \`wget\`, or a \`node\`/\`python3\` one-liner for slim images).`,
    examples: `Fails:
\`\`\`ts
containerDefinitions: JSON.stringify([{ name: "app", image, essential: true }])
\`\`\`
Passes:
\`\`\`ts
containerDefinitions: JSON.stringify([{ name: "app", image, essential: true,
    healthCheck: { command: ["CMD", "curl", "-fsS", "-o", "/dev/null", "--max-time", "4", "http://localhost:8080/health/live"],
                   interval: 10, timeout: 5, retries: 3, startPeriod: 60 } }])
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: containerHealthCheckRequired, metadata };
