/**
 * A minimal `pulumirpc.Engine` server that collects the log messages a policy pack sends.
 *
 * The CLI passes its own engine address as the first argument of run-policy-pack, but
 * run-policy-pack drops it (`argv._.shift()` in cmd/run-policy-pack/index.js); @pulumi/pulumi's
 * `log.*` only talks to an engine when PULUMI_NODEJS_ENGINE is set, which the CLI does not do for
 * analyzers. So under the CLI, pack logs go to the pack's stdout/stderr. The host therefore only
 * starts this server on request (`captureEngineLogs`), and then sets PULUMI_NODEJS_ENGINE so the
 * pack's `pulumi.log.*` calls arrive here as structured messages.
 */
import type * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { engineServiceDefinition, grpcJs } from "./grpc-module";
import {
    GetRootResourceResponse,
    type LogRequest,
    LogSeverity,
    RequirePulumiVersionResponse,
    SetRootResourceResponse,
} from "@pulumi/pulumi/proto/engine_pb";

/** One message a pack logged through `pulumi.log`. */
export interface EngineLogMessage {
    severity: "debug" | "info" | "warning" | "error";
    message: string;
    urn: string | undefined;
}

/** A running engine server. */
export interface EngineServer {
    /** `127.0.0.1:<port>`, for argv and PULUMI_NODEJS_ENGINE. */
    address: string;
    /** Messages received so far, in arrival order. */
    logs: EngineLogMessage[];
    close(): Promise<void>;
}

const severityNames: Record<LogSeverity, EngineLogMessage["severity"]> = {
    [LogSeverity.DEBUG]: "debug",
    [LogSeverity.INFO]: "info",
    [LogSeverity.WARNING]: "warning",
    [LogSeverity.ERROR]: "error",
};

/** Starts the server on an ephemeral loopback port. */
export async function startEngineServer(): Promise<EngineServer> {
    const logs: EngineLogMessage[] = [];
    let rootResource = "";
    const server = new (grpcJs().Server)();
    server.addService(engineServiceDefinition(), {
        log: (call: grpc.ServerUnaryCall<LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
            const req = call.request;
            logs.push({
                severity: severityNames[req.getSeverity()] ?? "info",
                message: req.getMessage(),
                urn: req.getUrn() || undefined,
            });
            callback(null, new Empty());
        },
        // The remaining methods are what a language runtime expects of an engine; a policy pack
        // never registers resources, so trivial answers suffice.
        getRootResource: (_call: unknown, callback: grpc.sendUnaryData<GetRootResourceResponse>) => {
            callback(null, new GetRootResourceResponse().setUrn(rootResource));
        },
        setRootResource: (
            call: grpc.ServerUnaryCall<{ getUrn(): string }, SetRootResourceResponse>,
            callback: grpc.sendUnaryData<SetRootResourceResponse>,
        ) => {
            rootResource = call.request.getUrn();
            callback(null, new SetRootResourceResponse());
        },
        startDebugging: (_call: unknown, callback: grpc.sendUnaryData<Empty>) => callback(null, new Empty()),
        requirePulumiVersion: (_call: unknown, callback: grpc.sendUnaryData<RequirePulumiVersionResponse>) => {
            callback(null, new RequirePulumiVersionResponse());
        },
    });
    const port = await new Promise<number>((resolve, reject) => {
        server.bindAsync("127.0.0.1:0", grpcJs().ServerCredentials.createInsecure(), (err, boundPort) => {
            if (err) {
                reject(err);
            } else {
                resolve(boundPort);
            }
        });
    });
    return {
        address: `127.0.0.1:${port}`,
        logs,
        close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}
