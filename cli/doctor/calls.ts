/**
 * How the doctor calls AWS: every call bounded in time (per call and per run), retried on
 * throttling, 5xx and dropped connections with exponential backoff and full jitter, counted
 * against a budget, and its answer checked against the shape the doctor reads (`responses.ts`).
 *
 * Why not the SDK's own retries: they are invisible to the caller, so a run could neither count
 * its calls (`--verbose`, the scan's budget) nor stop at its own `--timeout` (a `wait --timeout 5s`
 * once took 84 s, and an endpoint that accepts a connection and never answers hung forever).
 * Clients from `createClients` therefore make one attempt per `send`, and the retry policy is
 * this file's: the backoff follows the SDK's standard mode (base 100 ms, 500 ms for throttling,
 * capped at 20 s, full jitter: the constants and `DefaultRetryBackoffStrategy` of the installed
 * `@smithy/core` retry submodule), the attempts honour `AWS_MAX_ATTEMPTS`.
 */
import { CallBudgetError, CallTimeoutError, DeadlineError, isThrottled, UnexpectedResponseError } from "./errors";
import { checkResponse, type ApiName } from "./responses";

/** Limits of one run's AWS calls. */
export interface CallPolicy {
    /** Longest wait for one answer. @default 10 000 ms */
    readonly callTimeoutMs?: number;
    /** Attempts per call, retries included. @default AWS_MAX_ATTEMPTS when set, else 5 */
    readonly maxAttempts?: number;
    /** Calls (attempts) allowed in the whole run. @default 1000 */
    readonly maxCalls?: number;
    /** When the run must be over (`--timeout`); calls are cut short to end by then. @default - none */
    readonly deadline?: Date;
    /** @default () => new Date() */
    readonly now?: () => Date;
    /** @default setTimeout */
    readonly sleep?: (ms: number) => Promise<void>;
    /** Jitter source in [0, 1). @default Math.random */
    readonly random?: () => number;
    /** Told of every attempt (progress lines, `--verbose`). */
    readonly onCall?: (api: ApiName, stats: CallStats) => void;
}

/** What a run has called so far. */
export interface CallStats {
    /** Attempts sent, retries included. */
    total: number;
    /** Attempts per API. */
    byApi: Partial<Record<ApiName, number>>;
    /** Attempts that were retries. */
    retries: number;
}

/** What this file uses of an SDK command: the middleware stack, to learn the endpoint a request goes to. */
interface SdkCommand {
    middlewareStack?: {
        add(
            middleware: (next: (args: FinalizeArgs) => Promise<unknown>) => (args: FinalizeArgs) => Promise<unknown>,
            options: object,
        ): void;
    };
}
interface FinalizeArgs {
    request?: { protocol?: string; hostname?: string; port?: number; path?: string };
}

/** Anything with the SDK's `send(command, { abortSignal })`. */
export interface SendsCommands {
    // The SDK clients' own signatures are generic over each command; `any` is what lets every client match.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_CALLS = 1_000;
const DEFAULT_MAX_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 100;
const THROTTLED_BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 20_000;
const NETWORK_ERROR = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|socket hang up/i;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `AWS_MAX_ATTEMPTS` when it is a positive integer, else 5 (a diagnosis makes bursts of calls). */
export function defaultMaxAttempts(env: NodeJS.ProcessEnv = process.env): number {
    const n = Number(env.AWS_MAX_ATTEMPTS);
    return Number.isInteger(n) && n >= 1 ? n : DEFAULT_MAX_ATTEMPTS;
}

interface SdkErrorLike {
    name?: string;
    message?: string;
    code?: string;
    $fault?: string;
    $response?: unknown;
    $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** Worth another attempt: throttling, a server error, a dropped or refused connection. */
export function isRetryable(err: unknown): boolean {
    if (err instanceof CallTimeoutError || err instanceof UnexpectedResponseError) return false;
    const e = (err ?? {}) as SdkErrorLike;
    const status = e.$metadata?.httpStatusCode ?? 0;
    return isThrottled(err) || status === 429 || status >= 500 || NETWORK_ERROR.test(`${e.code ?? ""} ${e.message ?? ""}`);
}

/**
 * The SDK could not read a 2xx answer (not JSON, truncated, a number field holding text): that is
 * the endpoint's fault, not ours, so it becomes an `UnexpectedResponseError`.
 */
function asUnexpectedResponse(api: ApiName, err: unknown): unknown {
    const e = (err ?? {}) as SdkErrorLike;
    const status = e.$metadata?.httpStatusCode ?? 0;
    if (!e.$response || e.$fault || status < 200 || status > 299) return err;
    const detail = (e.message ?? String(err)).split("\n")[0].trim();
    const what = e.name === "SyntaxError" ? `the body is not valid JSON (${detail})` : detail;
    return new UnexpectedResponseError(api, what);
}

/** Makes the SDK calls of one run (see the file comment). One per run: it holds the count. */
export class AwsCalls {
    readonly stats: CallStats = { total: 0, byApi: {}, retries: 0 };
    private readonly now: () => Date;
    private readonly sleep: (ms: number) => Promise<void>;

    constructor(readonly policy: CallPolicy = {}) {
        this.now = policy.now ?? (() => new Date());
        this.sleep = policy.sleep ?? defaultSleep;
    }

    /** Milliseconds left before the run's deadline (Infinity without one). */
    remainingMs(): number {
        return this.policy.deadline ? this.policy.deadline.getTime() - this.now().getTime() : Infinity;
    }

    /**
     * Sends the command `make()` builds (a fresh one per attempt) and returns the checked answer.
     * @throws CallTimeoutError, DeadlineError, CallBudgetError, UnexpectedResponseError, or the
     *   SDK's error after the last attempt.
     */
    async send<T>(api: ApiName, client: SendsCommands, make: () => object): Promise<T> {
        const maxAttempts = this.policy.maxAttempts ?? defaultMaxAttempts();
        for (let attempt = 1; ; attempt++) {
            this.admit(api, attempt);
            try {
                return checkResponse(api, await this.attempt<T>(api, client, make()));
            } catch (raw) {
                const err = asUnexpectedResponse(api, raw);
                const delay = this.backoffMs(attempt, err);
                if (attempt >= maxAttempts || !isRetryable(err) || delay >= this.remainingMs()) throw withAttempts(err, attempt);
                await this.sleep(delay);
            }
        }
    }

    /** Checks the deadline and the budget, then counts the attempt. */
    private admit(api: ApiName, attempt: number): void {
        if (this.remainingMs() <= 0) throw new DeadlineError(api);
        const maxCalls = this.policy.maxCalls ?? DEFAULT_MAX_CALLS;
        if (this.stats.total >= maxCalls) throw new CallBudgetError(api, maxCalls);
        this.stats.total++;
        this.stats.byApi[api] = (this.stats.byApi[api] ?? 0) + 1;
        if (attempt > 1) this.stats.retries++;
        this.policy.onCall?.(api, this.stats);
    }

    /** Full jitter over an exponentially growing window. */
    private backoffMs(attempt: number, err: unknown): number {
        const base = isThrottled(err) ? THROTTLED_BACKOFF_BASE_MS : BACKOFF_BASE_MS;
        const window = Math.min(BACKOFF_CAP_MS, base * 2 ** (attempt - 1));
        return Math.floor((this.policy.random ?? Math.random)() * window);
    }

    /** One attempt, aborted when the call timeout (or the run's deadline, if sooner) passes. */
    private async attempt<T>(api: ApiName, client: SendsCommands, command: object): Promise<T> {
        const callTimeout = this.policy.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
        const remaining = this.remainingMs();
        const limit = Math.max(1, Math.min(callTimeout, remaining));
        let endpoint: string | undefined;
        (command as SdkCommand).middlewareStack?.add(
            (next) => async (args) => {
                const r = args.request;
                if (r?.hostname) endpoint = `${r.protocol}//${r.hostname}${r.port ? `:${r.port}` : ""}${r.path ?? ""}`;
                return next(args);
            },
            { step: "finalizeRequest", name: "doctorEndpointOf", priority: "low" },
        );

        const controller = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
                // Settle first: the abort makes the send reject too, and the race must see the timeout.
                reject(limit < callTimeout ? new DeadlineError(api) : new CallTimeoutError(api, endpoint, callTimeout));
                controller.abort();
            }, limit);
        });
        const sent = client.send(command, { abortSignal: controller.signal });
        sent.catch(() => undefined); // after a timeout its rejection (AbortError) is expected and unread
        try {
            return await Promise.race([sent, expired]);
        } finally {
            clearTimeout(timer);
        }
    }
}

/** Records the attempts on an SDK error, so its message can say "(after N attempts)". */
function withAttempts(err: unknown, attempts: number): unknown {
    const e = err as SdkErrorLike;
    if (e && typeof e === "object" && e.$metadata) e.$metadata.attempts = Math.max(e.$metadata.attempts ?? 0, attempts);
    return err;
}
