/**
 * The analysis: every captured resource through `Analyze`, the whole stack through
 * `AnalyzeStack`, each call bounded, and every way it can fail turned into one clear error.
 *
 * - A policy that throws: @pulumi/policy fails the call naming the policy (policy-failure.ts);
 *   the Pulumi CLI aborts the preview, the check exits 2 with `error: policy <name>: …`.
 * - A policy that reports an error of its own (a message with the pack kit's `policy error:`
 *   marker, POLICY_ERROR_MARKER in policies/kit/report.ts): treated the same way, so a crashing
 *   policy can never pass as a note.
 * - A call that does not answer in time: the pack does not say which policy was running; the
 *   check finds out with a fresh pack process (stuck-policy.ts).
 */
import type { PolicyDiagnostic, PolicyPackHost } from "../analyzer";
import { PolicyPackRpcError } from "../analyzer";
import type { CapturedResource, OfflineRun } from "../offline/program-runner";
import { POLICY_ERROR_MARKER, isPolicyErrorMessage } from "@healthy-fargate/policies/kit/report";
import { analyzeResource, describeTarget, resourceTarget, type Target, toStackResources } from "./analyze-requests";
import { CheckError } from "./errors";
import { describeTimeout } from "./stuck-policy";
import type { FailureContext, StartPack } from "./stuck-policy";

/**
 * Set to `on`, the analysis starts only once the program ended, as before the check streamed it:
 * to measure the policies' own time (bench/check-bench.ts) or to rule the order out when debugging.
 */
export const ANALYZE_AFTER_RUN_ENV = "HEALTHY_FARGATE_ANALYZE_AFTER_RUN";

/** Whether resources are analyzed while the program runs (the default) — see {@link ANALYZE_AFTER_RUN_ENV}. */
export function analyzesWhileRunning(env: NodeJS.ProcessEnv = process.env): boolean {
    return env[ANALYZE_AFTER_RUN_ENV] !== "on";
}

/**
 * Calls in flight at once over the one HTTP/2 connection: enough that the pack never waits for
 * the next request, few enough that neither process holds thousands of decoded requests.
 */
const IN_FLIGHT = 64;

/**
 * How many resources are analyzed while the program still runs; the others wait for its end.
 * Analysis during the run shortens a small program's check (the pack is otherwise idle until the
 * program ends: the dev stack's analysis after the run 0.42 → 0.18 s, 100 services' check
 * ~6.45 → ~6.05 s), but for thousands of resources it competes with the program's process for
 * the CPU (2 cores here) and holds memory while the program is at its peak: 2,000 services
 * (21,006 resources) all analyzed during the run took 153 s and 3,855 MiB, after the run 130 s
 * and 3,626 MiB (bench/check-bench.ts, same code, one run each).
 */
export const ANALYZED_WHILE_RUNNING = 2_000;

/** The analysis of one run, fed while the program runs (see {@link startAnalysis}). */
export interface Analysis {
    /** A resource the program registered: its `Analyze` call starts once the pack is ready. */
    add(resource: CapturedResource): void;
    /** The run is complete (outputs attached): the remaining `Analyze` calls, then `AnalyzeStack`. */
    finish(host: PolicyPackHost, run: OfflineRun): Promise<PolicyDiagnostic[]>;
}

/**
 * Starts an analysis that calls `Analyze` for each resource as it is added (up to
 * {@link ANALYZED_WHILE_RUNNING}, the rest after the run), once `hostPromise` gives the pack: as
 * the engine calls it for each resource as the program registers it, while the program still
 * runs (pulumi/pulumi `pkg/resource/deploy/step_generator.go`: each registration is "sent off to
 * any Analyzers before being operated on", `analyzeAll`). `AnalyzeStack` comes last, with every
 * resource's state (`AnalyzeResources`, same file). A failed call stops new ones (a stuck pack
 * would make each wait for its limit); the failure is reported by `finish`, after the program
 * ended (a program that fails is reported as such instead).
 */
export function startAnalysis(hostPromise: Promise<PolicyPackHost>, timeoutMs: number, startPack: StartPack): Analysis {
    const resources: CapturedResource[] = [];
    const results: Array<PromiseSettledResult<PolicyDiagnostic[]> | undefined> = [];
    let host: PolicyPackHost | undefined;
    let next = 0;
    let inFlight = 0;
    let failed = false;
    let settled: (() => void) | undefined;
    let runEnded = false;
    const idle = () => inFlight === 0 && (failed || next === resources.length);
    const pump = () => {
        const limit = runEnded ? resources.length : Math.min(resources.length, ANALYZED_WHILE_RUNNING);
        while (host && !failed && inFlight < IN_FLIGHT && next < limit) {
            const i = next++;
            inFlight++;
            analyzeResource(host, resources[i]!, timeoutMs)
                .then(
                    (value) => {
                        results[i] = { status: "fulfilled", value };
                    },
                    (reason: unknown) => {
                        results[i] = { status: "rejected", reason };
                        failed = true;
                    },
                )
                .finally(() => {
                    inFlight--;
                    pump();
                    if (idle()) settled?.();
                });
        }
    };
    hostPromise.then(
        (ready) => {
            host = ready;
            pump();
        },
        () => undefined, // the caller awaits hostPromise itself and reports a pack that did not start
    );
    return {
        add: (resource) => {
            resources.push(resource);
            pump();
        },
        finish: async (ready, run) => {
            host = ready;
            runEnded = true;
            // The run's resources are the ones added, in order (run-channel.ts); a run that was not
            // streamed (or not wholly) gets its missing calls now.
            for (const resource of run.resources.slice(resources.length)) resources.push(resource);
            pump();
            if (!idle()) await new Promise<void>((resolve) => (settled = resolve));
            return concludeAnalysis(run, results, {
                host: ready,
                stackResources: toStackResources(run.resources),
                timeoutMs,
                startPack,
            });
        },
    };
}

/** Analyzes the run's resources and stack; rejects with a `CheckError` naming what failed. */
export function analyzeRun(host: PolicyPackHost, run: OfflineRun, timeoutMs: number, startPack: StartPack): Promise<PolicyDiagnostic[]> {
    return startAnalysis(Promise.resolve(host), timeoutMs, startPack).finish(host, run);
}

/** After every `Analyze` call: its failures, else `AnalyzeStack`, and policy errors refused. */
async function concludeAnalysis(
    run: OfflineRun,
    resourceResults: Array<PromiseSettledResult<PolicyDiagnostic[]> | undefined>,
    context: FailureContext,
): Promise<PolicyDiagnostic[]> {
    const failed = run.resources.flatMap((r, i) => {
        const result = resourceResults[i];
        return result?.status === "rejected" ? [{ target: resourceTarget(r), error: result.reason }] : [];
    });
    if (failed.length > 0) throw await describeFailure(failed, context);
    // The one big AnalyzeStack request is built last, when the Analyze requests are gone.
    let stackDiagnostics: PolicyDiagnostic[];
    try {
        stackDiagnostics = await context.host.analyzeStack(context.stackResources, { timeoutMs: context.timeoutMs });
    } catch (error) {
        throw await describeFailure([{ target: { kind: "stack" }, error }], context);
    }
    const diagnostics = [...resourceResults.flatMap((r) => (r?.status === "fulfilled" ? r.value : [])), ...stackDiagnostics];
    rejectPolicyErrors(diagnostics, run.resources);
    return diagnostics;
}

/** The most telling error among the failed calls: a policy's exception, a dead pack, then timeouts. */
async function describeFailure(failed: Array<{ target: Target; error: unknown }>, context: FailureContext): Promise<CheckError> {
    for (const { target, error } of failed) {
        const failure = error instanceof PolicyPackRpcError ? error.policyFailure : undefined;
        if (failure) {
            const where = failure.location ? ` (thrown at ${failure.location})` : "";
            return new CheckError(`policy ${failure.policy}`, `threw on ${describeTarget(target)}: ${failure.message}${where}`);
        }
    }
    const other = failed.find((f) => !(f.error instanceof PolicyPackRpcError && f.error.timedOut));
    if (other) return new CheckError("policy pack", (other.error as Error)?.message ?? String(other.error));
    return describeTimeout(
        failed.map((f) => f.target),
        context,
    );
}

/**
 * A report carrying the pack kit's policy-error marker means a policy crashed and caught it
 * itself: the check refuses it like an exception (exit 2), never as a passing note.
 */
function rejectPolicyErrors(diagnostics: PolicyDiagnostic[], resources: CapturedResource[]): void {
    const crashed = diagnostics.find((d) => isPolicyErrorMessage(d.message));
    if (!crashed) return;
    const resource = resources.find((r) => r.urn === crashed.urn);
    const where = resource ? describeTarget({ kind: "resource", resource }) : (crashed.urn ?? describeTarget({ kind: "stack" }));
    const line = crashed.message.split("\n").find((l) => l.startsWith(`${POLICY_ERROR_MARKER} `)) ?? crashed.message;
    // The kit's line is `policy error: <resource>: <what happened>`; the resource is said once, here.
    const detail = line.slice(POLICY_ERROR_MARKER.length).trim();
    const what = detail.startsWith(`${where}: `) ? detail.slice(where.length + 2) : detail;
    throw new CheckError(`policy ${crashed.policyName}`, `failed on ${where}: ${what}`);
}
