/**
 * Recognising a policy that threw inside a pack.
 *
 * @pulumi/policy (server.js, `makeAnalyzeRpcFun`/`makeAnalyzeStackRpcFun`) catches an exception
 * of a policy's `validateResource`/`validateStack` (other than its own "unknown during preview"
 * and "not applicable" signals) and fails the whole RPC with the gRPC details
 * `Error validating resource with policy '<name>' from policy pack '<pack>@v<version>':\n<stack>`
 * (protoutil.js `asGrpcError` keeps the stack; the same words for stack policies). The Pulumi CLI
 * then aborts the preview. This module turns those details back into the policy, its message
 * and where it was thrown.
 */

/** A policy's exception, as the pack reported it. */
export interface PolicyFailure {
    /** Name of the policy that threw. */
    policy: string;
    /** `<pack>@v<version>` as the pack names itself. */
    pack: string;
    /** First line of the exception (`Error: ` dropped; other error names kept). */
    message: string;
    /** First stack frame in the pack's own code (`rules/x.ts:12:7`, relative to the pack), if any. */
    location: string | undefined;
}

const FAILURE = /^Error validating resource with policy '([^']+)' from policy pack '([^']*)':\n([\s\S]*)$/;

/** Parses gRPC error details; `undefined` when they are not a policy's exception. */
export function parsePolicyFailure(details: string, packDir?: string): PolicyFailure | undefined {
    const match = FAILURE.exec(details);
    if (!match) return undefined;
    const [, policy, pack, stack] = match;
    const lines = stack.split("\n");
    const message = (lines[0] ?? "").replace(/^Error: /, "").trim() || "(no message)";
    return { policy, pack, message, location: packFrame(lines.slice(1), packDir) };
}

/** The first `at …` frame outside node_modules, shortened to a path relative to the pack. */
function packFrame(frames: string[], packDir: string | undefined): string | undefined {
    for (const frame of frames) {
        const file = /\(?((?:\/|[A-Za-z]:\\)[^():]+:\d+:\d+)\)?\s*$/.exec(frame.trim())?.[1];
        if (!file || file.includes("node_modules")) continue;
        return packDir && file.startsWith(packDir + "/") ? file.slice(packDir.length + 1) : file;
    }
    return undefined;
}
