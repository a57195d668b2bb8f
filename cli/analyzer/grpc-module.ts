/**
 * `@grpc/grpc-js` and the Analyzer client, loaded on first use rather than when the check's modules
 * load: the check spawns the policy pack and the program's process first and needs gRPC only once
 * the pack announced its port. Loading it eagerly put ~100 ms in front of both spawns, on the
 * critical path of every run (`bench/check-bench.ts`). Types come from the usual imports.
 */
import type * as Grpc from "@grpc/grpc-js";
import type { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";

let grpcModule: typeof Grpc | undefined;

/** The `@grpc/grpc-js` module (loaded on the first call). */
export function grpcJs(): typeof Grpc {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose (see the file comment)
    return (grpcModule ??= require("@grpc/grpc-js") as typeof Grpc);
}

/** The generated Analyzer client class (loads `@grpc/grpc-js` with it). */
export function analyzerClientClass(): typeof AnalyzerClient {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose (see the file comment)
    return (require("@pulumi/pulumi/proto/analyzer_grpc_pb") as { AnalyzerClient: typeof AnalyzerClient }).AnalyzerClient;
}

/** The generated Engine service definition, for the engine server that collects a pack's logs. */
export function engineServiceDefinition(): typeof EngineService {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose (see the file comment)
    return (require("@pulumi/pulumi/proto/engine_grpc_pb") as { EngineService: typeof EngineService }).EngineService;
}
