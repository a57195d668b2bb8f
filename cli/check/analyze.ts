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
 * Calls in flight at once over the one HTTP/2 connection: enough that the pack never waits for
 * the next request, few enough that neither process holds thousands of decoded requests.
 */
const IN_FLIGHT = 64;

/** Analyzes the run's resources and stack; rejects with a `CheckError` naming what failed. */
export async function analyzeRun(
    host: PolicyPackHost,
    run: OfflineRun,
    timeoutMs: number,
    startPack: StartPack,
): Promise<PolicyDiagnostic[]> {
    const stackResources = toStackResources(run.resources);
    const context: FailureContext = { host, stackResources, timeoutMs, startPack };
    const resourceResults = await settleEach(run.resources, IN_FLIGHT, (r) => analyzeResource(host, r, timeoutMs));
    const failed = resourceResults.flatMap((result, i) =>
        result?.status === "rejected" ? [{ target: resourceTarget(run.resources[i]), error: result.reason }] : [],
    );
    if (failed.length > 0) throw await describeFailure(failed, context);
    // The one big AnalyzeStack request is built last, when the Analyze requests are gone.
    let stackDiagnostics: PolicyDiagnostic[];
    try {
        stackDiagnostics = await host.analyzeStack(stackResources, { timeoutMs });
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
 * `Promise.allSettled(items.map(call))` with at most `limit` calls pending at a time, results in
 * order. After the first failure no further call starts (a stuck pack would make each wait for
 * its limit): those items' results stay `undefined`.
 */
async function settleEach<T, R>(
    items: T[],
    limit: number,
    call: (item: T) => Promise<R>,
): Promise<Array<PromiseSettledResult<R> | undefined>> {
    const results: Array<PromiseSettledResult<R> | undefined> = new Array(items.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (next < items.length && !failed) {
            const i = next++;
            results[i] = await call(items[i]).then(
                (value) => ({ status: "fulfilled", value }),
                (reason: unknown) => {
                    failed = true;
                    return { status: "rejected", reason };
                },
            );
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
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
