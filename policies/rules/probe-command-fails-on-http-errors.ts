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

/** Why this policy exists and how to fix a violation, in general terms (reports and docs read it: policies/metadata.ts). */
export const metadata = ruleMetadata(probeCommandFailsOnHttpErrors, {
    rationale:
        "A probe that exits 0 on HTTP errors (curl without -f, `|| true`, `; exit 0`) keeps broken tasks in service, and one that requests another host replaces healthy tasks when that host is down.",
    remediation:
        "Request the container's own liveness path on localhost with a command whose exit status follows the HTTP status (curl -fsS, wget, or the component's generated probe).",
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: probeCommandFailsOnHttpErrors, metadata };
