/**
 * Turning SDK errors into sentences a person can act on. The doctor exits 2 with one of these
 * when it cannot read the service at all; optional reads use `describeError` in their notes.
 */

/** Why the service could not be read. */
export type UnreadableReason =
    | "credentials"
    | "access-denied"
    | "not-found"
    | "throttled"
    | "region"
    | "network"
    | "timeout"
    | "deadline"
    | "budget"
    | "bad-response"
    | "controller"
    | "other";

/** The command could not do its job (exit code 2); `message` says why and what to do. */
export class CannotRunError extends Error {
    constructor(
        readonly reason: string,
        message: string,
        readonly cause?: unknown,
    ) {
        super(message);
        this.name = new.target.name;
    }
}

/** The service itself could not be read: no diagnosis is possible (exit code 2). */
export class ServiceUnreadableError extends CannotRunError {
    constructor(
        readonly reason: UnreadableReason,
        message: string,
        cause?: unknown,
    ) {
        super(reason, message, cause);
    }
}

/**
 * A call the doctor gave up on for a reason of its own (time, budget, a malformed answer), as
 * opposed to an error AWS returned. `api` is `ECS.DescribeServices`, `Logs.FilterLogEvents`, …
 */
export class CallError extends Error {
    constructor(
        readonly api: string,
        message: string,
    ) {
        super(message);
        this.name = new.target.name;
    }
}

/** One call did not answer within the per-call timeout (`--call-timeout`). */
export class CallTimeoutError extends CallError {
    constructor(
        api: string,
        readonly endpoint: string | undefined,
        readonly timeoutMs: number,
    ) {
        super(api, `${api} did not answer within ${formatMs(timeoutMs)} (endpoint ${endpoint ?? "unknown"})`);
    }
}

/** The run's own time limit (`--timeout`) was reached before the call could be made or answered. */
export class DeadlineError extends CallError {
    constructor(api: string) {
        super(api, `the run's time limit (--timeout) was reached before ${api} answered`);
    }
}

/** The run's AWS-call budget (`--max-calls`) is used up. */
export class CallBudgetError extends CallError {
    constructor(
        api: string,
        readonly maxCalls: number,
    ) {
        super(api, `the AWS-call budget of ${maxCalls} calls is used up, so ${api} was not called (raise --max-calls)`);
    }
}

/** An answer that is not the shape the API documents: wrong types, missing fields, not JSON. */
export class UnexpectedResponseError extends CallError {
    constructor(
        api: string,
        readonly detail: string,
    ) {
        super(api, `unexpected response from ${api}: ${detail}`);
    }
}

/** `1500` → `1.5s`, `10000` → `10s`, `250` → `250ms`. */
export function formatMs(ms: number): string {
    return ms < 1000 ? `${ms}ms` : `${Math.round(ms / 100) / 10}s`;
}

interface SdkErrorLike {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number; attempts?: number };
}

const CREDENTIALS_REJECTED = new Set([
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "ExpiredToken",
    "ExpiredTokenException",
    "IncompleteSignature",
    "MissingAuthenticationToken",
]);
const THROTTLED = new Set([
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
]);

/** True for the SDK's throttling errors (after its own retries gave up). */
export function isThrottled(err: unknown): boolean {
    const e = err as SdkErrorLike;
    return THROTTLED.has(e?.name ?? "") || e?.$metadata?.httpStatusCode === 429;
}

/** `ThrottlingException: Rate exceeded` plus the attempt count when the SDK reports one. */
export function describeError(err: unknown): string {
    const e = err as SdkErrorLike;
    if (!e || typeof e !== "object") return String(err);
    if (err instanceof CallError) return err.message;
    const attempts = e.$metadata?.attempts && e.$metadata.attempts > 1 ? ` (after ${e.$metadata.attempts} attempts)` : "";
    const name = e.name && e.name !== "Error" ? `${e.name}: ` : "";
    return `${name}${e.message ?? ""}${attempts}`.trim();
}

/**
 * Classifies a failure of the one read the doctor cannot do without (DescribeServices).
 * The message names the fix: which credentials, which permission, which name.
 */
export function unreadable(err: unknown, what: string): ServiceUnreadableError {
    if (err instanceof ServiceUnreadableError) return err;
    if (err instanceof CallError) return new ServiceUnreadableError(callErrorReason(err), `cannot read ${what}: ${err.message}`, err);
    const e = (err ?? {}) as SdkErrorLike;
    const name = e.name ?? "";
    const text = describeError(err);
    if (name === "CredentialsProviderError" || /Could not load credentials/i.test(e.message ?? "")) {
        return new ServiceUnreadableError(
            "credentials",
            `cannot read ${what}: no AWS credentials found (environment, shared config/SSO profile, web identity, container or instance role): ${text}`,
            err,
        );
    }
    if (CREDENTIALS_REJECTED.has(name)) {
        return new ServiceUnreadableError(
            "credentials",
            `cannot read ${what}: AWS rejected the credentials (${text}); refresh them or check the profile`,
            err,
        );
    }
    if (name === "AccessDeniedException" || name === "AccessDenied") {
        return new ServiceUnreadableError(
            "access-denied",
            `cannot read ${what}: access denied (${text}); the doctor needs ecs:Describe*/List* (and optionally elasticloadbalancing:DescribeTargetHealth, logs:GetLogEvents)`,
            err,
        );
    }
    if (name === "ClusterNotFoundException" || name === "ServiceNotFoundException") {
        return new ServiceUnreadableError(
            "not-found",
            `cannot read ${what}: not found (${text}); check --cluster, --service and --region`,
            err,
        );
    }
    if (isThrottled(err)) {
        return new ServiceUnreadableError(
            "throttled",
            `cannot read ${what}: throttled by AWS and still throttled after retries (${text}); try again later or raise AWS_MAX_ATTEMPTS`,
            err,
        );
    }
    if (/Region is missing/i.test(e.message ?? "")) {
        return new ServiceUnreadableError("region", `cannot read ${what}: no region configured; pass --region or set AWS_REGION`, err);
    }
    if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket hang up/i.test(`${e.code ?? ""} ${e.message ?? ""}`)) {
        return new ServiceUnreadableError("network", `cannot read ${what}: the ECS endpoint is unreachable (${text})`, err);
    }
    return new ServiceUnreadableError("other", `cannot read ${what}: ${text}`, err);
}

function callErrorReason(err: CallError): UnreadableReason {
    if (err instanceof CallTimeoutError) return "timeout";
    if (err instanceof DeadlineError) return "deadline";
    if (err instanceof CallBudgetError) return "budget";
    return "bad-response";
}
