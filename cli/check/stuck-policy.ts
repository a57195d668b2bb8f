/**
 * Which policy did not finish, on which resource.
 *
 * When an `Analyze` call does not answer in time, the pack does not say which policy was
 * running, and with a policy stuck in a synchronous loop the whole pack process stops: the calls
 * it had already finished stay unanswered too (their answers were never flushed), so "the first
 * call that did not answer" is not necessarily the stuck one. The check therefore asks a fresh
 * pack process (the stuck one is stopped):
 * 1. which resource: if the first pack still answered after the timeout, every unanswered call
 *    is stuck on its own and the first one is taken; otherwise the unanswered calls are repeated
 *    one at a time until one does not finish (its answer cannot be held up by another call);
 * 2. which policy: on that resource, each policy that could run is enabled alone and the call
 *    repeated; the one that does not finish is named.
 * Each repeated call is bounded by the shorter of the limit and {@link PROBE_LIMIT_MS}. Nothing
 * here fails the check differently: the original timeout is reported either way, with as much
 * as the probes could confirm.
 */
import { formatSeconds } from "@healthy-fargate/domain";
import { PolicyPackRpcError } from "../analyzer";
import type { PolicyPackHost, StackResourceToAnalyze } from "../analyzer";
import { analyzeResource, describeTarget, type Target } from "./analyze-requests";
import { CheckError, RAISE_TIMEOUT_HINT } from "./errors";

/** A fresh pack process with the same options as the first. */
export type StartPack = () => Promise<PolicyPackHost>;

/** The analysis that timed out. */
export interface FailureContext {
    /** The pack that did not answer (closed here). */
    host: PolicyPackHost;
    stackResources: StackResourceToAnalyze[];
    timeoutMs: number;
    startPack: StartPack;
}

/** How long a repeated call may take while looking for the stuck policy. */
const PROBE_LIMIT_MS = 30_000;
/** How long the first pack has to answer a trivial call to count as still serving. */
const ALIVE_LIMIT_MS = 5_000;

/** The error for calls that did not answer within the limit, naming the policy when it can. */
export async function describeTimeout(unfinished: Target[], context: FailureContext): Promise<CheckError> {
    const limit = formatSeconds(context.timeoutMs / 1000);
    const probeMs = Math.min(context.timeoutMs, PROBE_LIMIT_MS);
    const serving = await context.host.getPluginInfo({ timeoutMs: ALIVE_LIMIT_MS }).then(
        () => true,
        () => false,
    );
    await context.host.close(); // a pack stuck in a loop would keep a core busy
    const found = await probe(unfinished, serving, probeMs, context).catch(() => undefined);
    const target = found?.target ?? unfinished[0];
    const others = unfinished.length > 1 ? ` (${unfinished.length - 1} other call(s) did not answer either)` : "";
    if (found?.policy) {
        return new CheckError(
            `policy ${found.policy}`,
            `did not finish on ${describeTarget(target)} within ${limit}${others}; ` +
                `run alone on it, it did not finish within ${formatSeconds(probeMs / 1000)} either; ${RAISE_TIMEOUT_HINT}.`,
        );
    }
    return new CheckError(
        "policy pack",
        `policy pack '${context.host.info.name}' did not finish analyzing ${describeTarget(target)} ` +
            `within ${limit}${others}; no single policy stayed stuck on it when run alone; ${RAISE_TIMEOUT_HINT}.`,
    );
}

async function probe(unfinished: Target[], serving: boolean, probeMs: number, context: FailureContext) {
    let pack = await context.startPack();
    try {
        let target: Target | undefined = unfinished[0];
        if (!serving && unfinished.length > 1) {
            target = await firstStuck(pack, unfinished, probeMs, context);
            if (!target) return undefined;
            await pack.close(); // stuck now
            pack = await context.startPack();
        }
        return { target, policy: await stuckPolicy(pack, target, probeMs, context) };
    } finally {
        await pack.close();
    }
}

function call(pack: PolicyPackHost, target: Target, timeoutMs: number, context: FailureContext): Promise<boolean> {
    const request =
        target.kind === "stack"
            ? pack.analyzeStack(context.stackResources, { timeoutMs })
            : analyzeResource(pack, target.resource, timeoutMs);
    return request.then(
        () => false,
        (e: unknown) => {
            if (e instanceof PolicyPackRpcError && e.timedOut) return true;
            throw e;
        },
    );
}

/** The first of `targets` whose call does not finish when sent alone. */
async function firstStuck(
    pack: PolicyPackHost,
    targets: Target[],
    timeoutMs: number,
    context: FailureContext,
): Promise<Target | undefined> {
    for (const target of targets) {
        if (await call(pack, target, timeoutMs, context)) return target;
    }
    return undefined;
}

/** The first policy that, enabled alone, does not finish on `target`. */
async function stuckPolicy(pack: PolicyPackHost, target: Target, timeoutMs: number, context: FailureContext): Promise<string | undefined> {
    const kind = target.kind === "stack" ? "stack" : "resource";
    const candidates = context.host.info.policies.filter(
        (p) => p.policyType === kind && context.host.config[p.name]?.enforcementLevel !== "disabled",
    );
    for (const policy of candidates) {
        await pack.isolatePolicy(policy.name);
        if (await call(pack, target, timeoutMs, context)) return policy.name;
    }
    return undefined;
}
