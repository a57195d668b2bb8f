/**
 * The healthy-fargate component provider (provider/) started as the Pulumi CLI starts a
 * source-based plugin, and spoken to over the ResourceProvider gRPC protocol:
 * - the nodejs language host's `RunPlugin` runs `node <@pulumi/pulumi/cmd/run-plugin> <plugin dir>
 *   <args…>` in the working directory of the deployment (pulumi/pulumi
 *   sdk/nodejs/cmd/pulumi-language-nodejs/main.go); the engine passes its own address as the
 *   first argument of a provider (pkg/resource/plugin/provider_plugin.go). Here: a temporary
 *   directory holding only a Python program's `Pulumi.yaml` (no `node_modules`, no `tsconfig.json`,
 *   so run-plugin type-checks the plugin with its default compiler options, as it would there), and
 *   a minimal engine server (cli/analyzer/engine-server.ts) that collects the plugin's logs;
 * - `Construct` needs a resource monitor: {@link startMonitor} serves Pulumi's own `MockMonitor`
 *   (the one `pulumi.runtime.setMocks` uses) over gRPC, with the offline check's placeholder
 *   outputs, and records every registration the plugin makes.
 *
 * One plugin per mocha run (run-plugin type-checks the plugin and the analyzer builds a TypeScript
 * program: tens of seconds on a loaded machine), ended by a root-level `after` hook.
 */
import * as grpc from "@grpc/grpc-js";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { ConstructRequest, type ConstructResponse, GetSchemaRequest } from "@pulumi/pulumi/proto/provider_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import { SupportsFeatureResponse } from "@pulumi/pulumi/proto/resource_pb";
import { type EngineServer, startEngineServer } from "../../cli/analyzer/engine-server";
import { type RunningPackProcess, launchPluginProcess } from "../../cli/analyzer/pack-process";
import { invokeResult, resourceOutputs } from "../../cli/offline/placeholder-outputs";
import { REPO_ROOT } from "./spawn-node";

import * as rpc from "@pulumi/pulumi/runtime/rpc";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped on purpose: the tests reach its private members
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");

export const PROVIDER_DIR = path.join(REPO_ROOT, "provider");
/** Generous: the plugin type-checks its sources with ts-node before it announces its port. */
const START_TIMEOUT_MS = 8 * 60_000;

export interface ProviderPlugin {
    /** The program's directory the plugin runs in (a Python program's). */
    programDir: string;
    process: RunningPackProcess;
    engine: EngineServer;
    client: ResourceProviderClient;
    /** The package schema from `GetSchema`, parsed. */
    schema(): Promise<PackageSchema>;
}

/** The parts of a Pulumi package schema the tests read. */
export interface PackageSchema {
    name: string;
    version: string;
    resources: Record<string, ResourceSchema>;
    types: Record<string, TypeSchema>;
}
export interface PropertySchema {
    type?: string;
    $ref?: string;
    plain?: boolean;
    optional?: boolean;
    description?: string;
    items?: PropertySchema;
    additionalProperties?: PropertySchema;
}
export interface ResourceSchema {
    isComponent: boolean;
    description?: string;
    inputProperties: Record<string, PropertySchema>;
    requiredInputs: string[];
    properties: Record<string, PropertySchema>;
    required: string[];
}
export interface TypeSchema {
    type: string;
    properties?: Record<string, PropertySchema>;
    required?: string[];
    enum?: { name: string; value: string | number; description?: string }[];
}

/** Starts the plugin as the CLI does, in a new temporary Python program directory. */
export async function startProviderPlugin(): Promise<ProviderPlugin> {
    const programDir = fs.mkdtempSync(path.join(os.tmpdir(), "hf-python-program-"));
    fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), "name: python-program\nruntime: python\n");
    const engine = await startEngineServer();
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TS_NODE_")));
    const child = await launchPluginProcess({
        what: `component provider at "${PROVIDER_DIR}"`,
        nodePath: process.execPath,
        cwd: programDir,
        env,
        timeoutMs: START_TIMEOUT_MS,
        args: [require.resolve("@pulumi/pulumi/cmd/run-plugin"), PROVIDER_DIR, engine.address],
    });
    const client = new ResourceProviderClient(`127.0.0.1:${child.port}`, grpc.credentials.createInsecure());
    let schema: Promise<PackageSchema> | undefined;
    return {
        programDir,
        process: child,
        engine,
        client,
        schema: () =>
            (schema ??= new Promise((resolve, reject) =>
                client.getSchema(new GetSchemaRequest(), (err, res) =>
                    err ? reject(err) : resolve(JSON.parse(res!.getSchema()) as PackageSchema),
                ),
            )),
    };
}

/** Ends the plugin and its engine server, and removes its program directory. */
export async function stopProviderPlugin(running: ProviderPlugin): Promise<void> {
    running.client.close();
    await running.process.kill();
    await running.engine.close();
    fs.rmSync(running.programDir, { recursive: true, force: true });
}

let plugin: Promise<ProviderPlugin> | undefined;

/** The plugin the tests share, started on first use. */
export function providerPlugin(): Promise<ProviderPlugin> {
    return (plugin ??= startProviderPlugin());
}

// Under mocha: a root-level hook (registered once, when a test file first imports this module)
// ends the shared plugin, so that mocha can exit.
if (typeof after === "function") {
    after(async () => {
        const running = await plugin?.catch(() => undefined);
        if (running) await stopProviderPlugin(running);
    });
}

/** One registration the plugin made with the resource monitor. */
export interface Registration {
    type: string;
    name: string;
    urn: string;
    parent: string;
    custom: boolean;
    inputs: Record<string, any>;
    /** The state the monitor answered with (inputs and placeholder outputs), as AnalyzeStack sees a resource. */
    outputs: Record<string, any>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

export interface MonitorServer {
    address: string;
    registrations: Registration[];
    close(): Promise<void>;
}

/** Pulumi's MockMonitor on a loopback port, with placeholder outputs and data-source answers. */
export async function startMonitor(project: string, stack: string): Promise<MonitorServer> {
    const monitor = new MockMonitor({
        newResource: (args: { type: string; name: string; inputs: Record<string, unknown> }) =>
            resourceOutputs(args.type, args.name, args.inputs),
        call: (args: { token: string; inputs: Record<string, unknown> }) => invokeResult(args.token, args.inputs) ?? {},
    });
    monitor.newUrn = (parent: string, type: string, name: string) => {
        const qualified = parent ? `${parent.split("::")[2]}$${type}` : type;
        return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
    };
    const registrations: Registration[] = [];
    const unary = (method: string) => (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) =>
        monitor[method](call.request, callback);
    const server = new grpc.Server();
    server.addService(ResourceMonitorService, {
        supportsFeature: (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<SupportsFeatureResponse>) => {
            // As Pulumi's mocks: everything but output values, so registrations carry plain values.
            callback(null, new SupportsFeatureResponse().setHassupport(call.request.getId() !== "outputValues"));
        },
        invoke: unary("invoke"),
        readResource: unary("readResource"),
        registerResource: (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => {
            const req = call.request;
            monitor.registerResource(req, (err: unknown, res: any) => {
                if (!err) registrations.push(registrationOf(req, res));
                callback(err as grpc.ServiceError | null, res);
            });
        },
        registerResourceOutputs: (_call: unknown, callback: grpc.sendUnaryData<Empty>) => callback(null, new Empty()),
    });
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return {
        address: `127.0.0.1:${port}`,
        registrations,
        close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}

function registrationOf(req: any, res: any): Registration {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        propertyDependencies[key] = deps.getUrnsList();
    });
    return {
        type: req.getType(),
        name: req.getName(),
        urn: res.getUrn(),
        parent: req.getParent(),
        custom: req.getCustom(),
        inputs: req.getObject()?.toJavaScript() ?? {},
        outputs: res.getObject()?.toJavaScript() ?? {},
        dependencies: req.getDependenciesList(),
        propertyDependencies,
    };
}

/** A value as the engine sends it to `Construct` when the provider accepts outputs: an output value. */
export function outputValue(value: unknown, options: { secret?: boolean; dependencies?: string[] } = {}): Record<string, unknown> {
    return {
        [rpc.specialSigKey]: rpc.specialOutputValueSig,
        value,
        secret: options.secret ?? false,
        dependencies: options.dependencies ?? [],
    };
}

export interface ConstructCall {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** Input name → URNs it depends on (the engine's `inputDependencies`). */
    inputDependencies?: Record<string, string[]>;
    project: string;
    stack: string;
    config?: Record<string, string>;
}

/** Calls `Construct` as the engine does for a remote component; resolves with the response or the gRPC error. */
export function construct(
    client: ResourceProviderClient,
    monitorAddress: string,
    c: ConstructCall,
): Promise<{ response?: ConstructResponse; error?: grpc.ServiceError }> {
    const req = new ConstructRequest()
        .setProject(c.project)
        .setStack(c.stack)
        .setDryrun(true)
        .setParallel(4)
        .setMonitorendpoint(monitorAddress)
        .setType(c.type)
        .setName(c.name)
        .setParent(`urn:pulumi:${c.stack}::${c.project}::pulumi:pulumi:Stack::${c.project}-${c.stack}`)
        .setInputs(Struct.fromJavaScript(c.inputs as any));
    for (const [key, value] of Object.entries(c.config ?? {})) req.getConfigMap().set(key, value);
    for (const [key, urns] of Object.entries(c.inputDependencies ?? {})) {
        req.getInputdependenciesMap().set(key, new ConstructRequest.PropertyDependencies().setUrnsList(urns));
    }
    return new Promise((resolve) => client.construct(req, (error, response) => resolve(error ? { error } : { response })));
}
