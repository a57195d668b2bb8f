/**
 * The ECS doctor as a library: read a service (`collect`), explain it (`diagnose`, pure),
 * follow a deployment (`waitForRollout`). The CLI (`main.ts`) and the `RolloutVerification`
 * resource are thin layers over these.
 */
export * from "./types";
export { CATALOGUE, CAUSES, classify, type CatalogueEntry, type CauseInfo } from "./catalogue";
export { collect, readService, type ServiceRef, type CollectOptions } from "./collect";
export { AwsReader, readerOf, type DoctorClients } from "./aws-reader";
export { AwsCalls, isRetryable, type CallPolicy, type CallStats } from "./calls";
export { RESPONSES, checkResponse, type ApiName } from "./responses";
export { createClients, type ClientOptions } from "./clients";
export { diagnose, type DiagnoseOptions } from "./diagnose";
export {
    CallBudgetError,
    CallError,
    CallTimeoutError,
    CannotRunError,
    DeadlineError,
    ServiceUnreadableError,
    UnexpectedResponseError,
    type UnreadableReason,
} from "./errors";
export { formatDiagnosis, formatWaitResult } from "./format-text";
export { chooseDeployment, judgeRollout, isRollbackDeployment, type FollowedDeployment, type RolloutVerdict } from "./rollout";
export { MIN_POLL_MS, waitForRollout, type WaitOptions, type WaitResult, type WaitOutcome, type Progress } from "./wait";
export { formatDuration, parseDuration, parseDurationWithin, type DurationBounds } from "./duration";
export { scanCluster, PROBLEM_STATUSES, type ScanOptions, type ScanProgress, type ScanResult, type ScanRow } from "./scan";
export { formatScan, formatScanMarkdown } from "./format-scan";
export { mapLimit } from "./concurrency";
export { readStartup, appContainer, type StartupData, type StartupReadOptions, type TaskLog } from "./startup-read";
export {
    analyzeStartup,
    contractFor,
    defaultProbePattern,
    liveSettings,
    type StartupOptions,
    type StartupReport,
    type Phase,
    type StartupFinding,
} from "./startup";
export { formatStartup } from "./format-startup";
export {
    runSmoke,
    joinUrl,
    CERTIFICATE_WARNING_DAYS,
    type SmokeTarget,
    type SmokeReport,
    type SmokePathResult,
    type TlsCertificate,
} from "./smoke";
export { discoverSmokeTarget, pathPatternMatches, type DiscoveredTarget, type SmokeDiscoveryOptions } from "./smoke-discover";
export { formatSmoke } from "./format-smoke";
export { verifyRollout, RolloutFailedError, SmokeFailedError, type SmokeSpec, type VerifyRolloutArgs, type VerifyResult } from "./verify";
