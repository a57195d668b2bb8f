/**
 * Turning SDK errors into sentences a person can act on. The doctor exits 2 with one of these
 * when it cannot read the service at all; optional reads use `describeError` in their notes.
 */

/** Why the service could not be read. */
export type UnreadableReason = "credentials" | "access-denied" | "not-found" | "throttled" | "region" | "network" | "other";

/** The service itself could not be read: no diagnosis is possible (exit code 2). */
export class ServiceUnreadableError extends Error {
    constructor(readonly reason: UnreadableReason, message: string, readonly cause?: unknown) {
        super(message);
        this.name = "ServiceUnreadableError";
    }
}

interface SdkErrorLike {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number; attempts?: number };
}

const CREDENTIALS_REJECTED = new Set([
    "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
    "ExpiredToken", "ExpiredTokenException", "IncompleteSignature", "MissingAuthenticationToken",
]);
const THROTTLED = new Set(["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException"]);

/** True for the SDK's throttling errors (after its own retries gave up). */
export function isThrottled(err: unknown): boolean {
    const e = err as SdkErrorLike;
    return THROTTLED.has(e?.name ?? "") || e?.$metadata?.httpStatusCode === 429;
}

/** `ThrottlingException: Rate exceeded` plus the attempt count when the SDK reports one. */
export function describeError(err: unknown): string {
    const e = err as SdkErrorLike;
    if (!e || typeof e !== "object") return String(err);
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
    const e = (err ?? {}) as SdkErrorLike;
    const name = e.name ?? "";
    const text = describeError(err);
    if (name === "CredentialsProviderError" || /Could not load credentials/i.test(e.message ?? "")) {
        return new ServiceUnreadableError("credentials", `cannot read ${what}: no AWS credentials found (environment, shared config/SSO profile, web identity, container or instance role): ${text}`, err);
    }
    if (CREDENTIALS_REJECTED.has(name)) {
        return new ServiceUnreadableError("credentials", `cannot read ${what}: AWS rejected the credentials (${text}); refresh them or check the profile`, err);
    }
    if (name === "AccessDeniedException" || name === "AccessDenied") {
        return new ServiceUnreadableError("access-denied", `cannot read ${what}: access denied (${text}); the doctor needs ecs:Describe*/List* (and optionally elasticloadbalancing:DescribeTargetHealth, logs:GetLogEvents)`, err);
    }
    if (name === "ClusterNotFoundException" || name === "ServiceNotFoundException") {
        return new ServiceUnreadableError("not-found", `cannot read ${what}: not found (${text}); check --cluster, --service and --region`, err);
    }
    if (isThrottled(err)) {
        return new ServiceUnreadableError("throttled", `cannot read ${what}: throttled by AWS and still throttled after retries (${text}); try again later or raise AWS_MAX_ATTEMPTS`, err);
    }
    if (/Region is missing/i.test(e.message ?? "")) {
        return new ServiceUnreadableError("region", `cannot read ${what}: no region configured; pass --region or set AWS_REGION`, err);
    }
    if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket hang up/i.test(`${e.code ?? ""} ${e.message ?? ""}`)) {
        return new ServiceUnreadableError("network", `cannot read ${what}: the ECS endpoint is unreachable (${text})`, err);
    }
    return new ServiceUnreadableError("other", `cannot read ${what}: ${text}`, err);
}
