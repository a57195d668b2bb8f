/**
 * Policy pack engine: runs a CrossGuard policy pack like the Pulumi CLI and analyzes resources
 * with it.
 *
 * ```ts
 * const pack = await startPolicyPack({ packDir: "policies", config: { all: "mandatory" } });
 * try {
 *     const diagnostics = await pack.analyze({ type: "aws:s3/bucket:Bucket", name: "b", properties: { acl: "public-read" } });
 * } finally {
 *     await pack.close();
 * }
 * ```
 */
export { startPolicyPack, PolicyPackHost, PolicyPackRpcError } from "./policy-pack-host";
export type { StartPolicyPackOptions, StackContext, StartupTimings, CallOptions } from "./policy-pack-host";
export { PolicyPackBootError } from "./pack-process";
export { parsePolicyFailure } from "./policy-failure";
export type { PolicyFailure } from "./policy-failure";
export { trackChildProcess, trackedChildPids, stopTrackedChildren } from "./child-processes";
export { ioSafeTimeout } from "./io-safe-timer";
export type { IoSafeTimer } from "./io-safe-timer";
export { unknownConfigNames } from "./config-names";
export type { PolicyPackInfo, PolicyInfo } from "./analyzer-info";
export { toPolicyDiagnostic, toPolicyDiagnostics, ENFORCEMENT_LEVELS } from "./diagnostics";
export type { PolicyDiagnostic, EnforcementLevel } from "./diagnostics";
export {
    loadPolicyPackConfigFile,
    loadPolicyPackConfigDocument,
    parsePolicyPackConfig,
    parsePolicyPackConfigDocument,
    reconcilePolicyPackConfig,
    PolicyConfigValidationError,
} from "./policy-config";
export type {
    PolicyPackConfigInput,
    PolicyConfigInput,
    PolicyConfigLayerEntry,
    PolicyPackConfigDocument,
    ResolvedPolicyConfig,
    PolicyConfigSchema,
    PolicyDefaults,
} from "./policy-config";
export type { ResourceToAnalyze, StackResourceToAnalyze, ResourceOptionsInput, ProviderInput } from "./requests";
export {
    secret,
    unknown,
    SecretValue,
    UnknownValue,
    UNKNOWN_VALUE,
    SECRET_SIG,
    SPECIAL_SIG_KEY,
    encodeProperties,
} from "./property-values";
export type { PropertyMap, PropertyValue } from "./property-values";
export type { EngineLogMessage } from "./engine-server";
