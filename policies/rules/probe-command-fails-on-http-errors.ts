import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type ProbeProblemId, analyzeProbeCommand } from "../domain/index";
import { type ResourceContext, containersToJudge, resourceRule } from "../kit";
import { CONTRACT_FIELD, TYPES, UNKNOWN, asArray, field, hasAncestorType, isUnknown, readHealthContract, show } from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

/**
 * Problems of a runnable command that make its verdict wrong: it passes while the app answers with
 * errors (or asks another host), or it can never pass as written. The problems that make a command no
 * health check at all (`NONE`, not a list, empty, wrong first word, no program) belong to
 * container-health-check-required and are left out here, so nothing is reported twice.
 */
const OWN_PROBLEMS: readonly ProbeProblemId[] = [
    "curl-without-fail",
    "failure-masked",
    "always-healthy",
    "remote-target",
    "port-check-only",
    "always-unhealthy",
    "exec-form-single-string",
    "shell-syntax-in-exec-form",
];

export interface ProbeCommandFailsOnHttpErrorsConfig {
    /** Accept TCP-only checks (`nc -z localhost 8080`) for servers that do not speak HTTP. */
    allowPortCheckOnly: boolean;
}

export const PROBE_COMMAND_FAILS_ON_HTTP_ERRORS_DEFAULTS: ProbeCommandFailsOnHttpErrorsConfig = { allowPortCheckOnly: true };

function judge(
    ctx: ResourceContext<ProbeCommandFailsOnHttpErrorsConfig>,
    path: string,
    command: unknown,
    who: string,
    fixPrefix = "",
): void {
    const list = asArray(command);
    if (list === UNKNOWN || (Array.isArray(list) && list.some(isUnknown))) {
        ctx.report.undecided(ctx.subject, { path });
        return;
    }
    const analysis = analyzeProbeCommand(command);
    if (analysis.form === "unknown") return ctx.report.undecided(ctx.subject, { path });
    for (const problem of analysis.problems) {
        if (!OWN_PROBLEMS.includes(problem.id)) continue;
        if (problem.id === "port-check-only" && ctx.config.allowPortCheckOnly) continue;
        ctx.report.violation(ctx.subject, {
            path,
            found: show(command),
            problem: `${who} [${problem.id}]: ${problem.message}`,
            fix: `${fixPrefix}${problem.fix}`,
        });
    }
}

/**
 * A probe that cannot fail keeps a broken task in service; one that asks another host replaces
 * healthy tasks when that host is down.
 */
export const probeCommandFailsOnHttpErrors: ResourceValidationPolicy = {
    name: "probe-command-fails-on-http-errors",
    description:
        "Container health check commands must fail when the app answers with an HTTP error and must probe this container on localhost, not another host.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowPortCheckOnly: {
                type: "boolean",
                default: PROBE_COMMAND_FAILS_ON_HTTP_ERRORS_DEFAULTS.allowPortCheckOnly,
                description: "Accept TCP-only checks (nc -z) for servers that do not speak HTTP; set false to require an HTTP request.",
            },
        },
    },
    validateResource: resourceRule(
        [TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService, TYPES.healthyFargateService],
        PROBE_COMMAND_FAILS_ON_HTTP_ERRORS_DEFAULTS,
        (ctx) => {
            if (ctx.type === TYPES.healthyFargateService) {
                const read = readHealthContract(ctx.props);
                if (read.status === "unknown") ctx.report.undecided(ctx.subject, { path: CONTRACT_FIELD });
                if (read.status !== "ok") return;
                judge(
                    ctx,
                    `${CONTRACT_FIELD}.probe.command`,
                    read.contract.command,
                    "The component's container health check",
                    "Rebuild the contract with `buildHealthContract` (its commands always use `-f` and localhost) instead of editing `probe.command`. ",
                );
                return;
            }
            // HealthyFargateService builds its container's command from the contract judged above.
            if (ctx.type === TYPES.taskDefinition && hasAncestorType(ctx.urn, [TYPES.healthyFargateService])) return;
            for (const c of containersToJudge(ctx) ?? []) {
                if (c.healthCheck === UNKNOWN) {
                    ctx.report.undecided(ctx.subject, { path: `${c.path}.healthCheck` });
                    continue;
                }
                if (!c.healthCheck) continue; // container-health-check-required
                judge(ctx, `${c.path}.healthCheck.command`, field(c.healthCheck, "command"), `Container '${c.name}'`);
            }
        },
    ),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(probeCommandFailsOnHttpErrors, {
    checks: `every container health check command (raw task definitions, awsx container args,
HealthyFargateService's contract) with \`analyzeProbeCommand\`, and reports its problems
\`curl-without-fail\` (curl without \`-f\`/\`--fail\`/\`--fail-with-body\`), \`failure-masked\` (\`|| true\`,
\`; exit 0\`), \`always-healthy\`, \`remote-target\` (a host other than localhost), and commands that
cannot work as written: \`always-unhealthy\`, \`exec-form-single-string\` (\`["CMD", "curl -f …"]\`),
\`shell-syntax-in-exec-form\` (\`$PORT\`, \`||\` in \`CMD\`); \`port-check-only\` (\`nc -z\`) when
\`allowPortCheckOnly\` is false. The problems that make a command no health check at all (\`NONE\`,
not a list, empty, wrong first word, no program) are left to \`container-health-check-required\`, so
nothing is reported twice. Programs the analyzer cannot judge (a script, an unknown binary) pass.`,
    rationale: `\`curl\` exits 0 on HTTP 500 and 404 unless given \`-f\`, so a broken app stays "healthy";
a probe of another host kills every task when that host is down. So does a probe that ends in
\`|| true\` or \`; exit 0\`.`,
    config: `\`allowPortCheckOnly\` (boolean, default true): accept TCP-only checks for servers that
do not speak HTTP; set false to require an HTTP request.`,
    remediation: `\`curl -fsS\` (or \`wget\`, which fails on 4xx/5xx by itself) against \`localhost\`, no \`|| true\`.`,
    examples: `Fails:
\`\`\`ts
healthCheck: { command: ["CMD-SHELL", "curl http://localhost:8080/health/live || true"] }
\`\`\`
Passes:
\`\`\`ts
healthCheck: { command: ["CMD", "curl", "-fsS", "-o", "/dev/null", "--max-time", "4", "http://localhost:8080/health/live"] }
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: probeCommandFailsOnHttpErrors, metadata };
