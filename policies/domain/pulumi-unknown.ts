/**
 * The value Pulumi's engine uses for an output that is not known yet (a preview's computed value):
 * `unknownValue` in @pulumi/pulumi's `runtime/rpc` (sdk/nodejs/runtime/rpc.ts), the same string the
 * engine's `plugin.UnknownStringValue` sends over gRPC. The one definition of it in this project
 * (`tests/analyzer/property-values.test.ts` compares it with the SDK's).
 */
export const PULUMI_UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
