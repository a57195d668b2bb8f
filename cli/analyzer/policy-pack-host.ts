/**
 * Runs a real CrossGuard policy pack the way the Pulumi CLI does, without the CLI.
 *
 * Boot (CLI: `NewPolicyAnalyzer` + the `pulumi-analyzer-policy` shim):
 *   node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> . [-k=v ...]   (cwd = pack dir)
 * run-policy-pack (cmd/run-policy-pack/run.js) always registers ts-node with type-checking, then
 * requires the pack directory, i.e. its package.json `main`: a `.ts` main is type-checked at
 * every start (a type error fails the boot), a compiled `.js` main goes through no TypeScript.
 * The pack's `new PolicyPack(...)` starts the Analyzer gRPC server and prints its port as the
 * first stdout line.
 *
 * Then, like the CLI: `GetAnalyzerInfo`, reconcile config (schema defaults < pack initial config
 * < user config), `Configure`, optionally `ConfigureStack`, and `Analyze`/`AnalyzeStack` calls,
 * which may run concurrently over the one HTTP/2 connection.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
    AnalyzerStackConfigureRequest,
    type AnalyzeResponse,
    ConfigureAnalyzerRequest,
    PolicyConfig,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { type PolicyPackInfo, toPolicyPackInfo } from "./analyzer-info";
import { enforcementLevelToProto, type PolicyDiagnostic, toPolicyDiagnostics } from "./diagnostics";
import { compileCacheEnv } from "./compile-cache";
import { type EngineLogMessage, type EngineServer, startEngineServer } from "./engine-server";
import { loadPolicyPackProject, type PolicyPackProject, resolveRunPolicyPack, runtimeOptionArgs } from "./pack-project";
import { formatSeconds } from "@healthy-fargate/domain";
import { type IoSafeTimer, ioSafeTimeout } from "./io-safe-timer";
import { launchPackProcess, type RunningPackProcess, stripAnsi } from "./pack-process";
import { parsePolicyFailure, type PolicyFailure } from "./policy-failure";
import {
    loadPolicyPackConfigFile,
    parsePolicyPackConfig,
    type PolicyConfigLayerEntry,
    type PolicyPackConfigInput,
    reconcilePolicyPackConfig,
    type ResolvedPolicyConfig,
    warmUpConfigValidator,
} from "./policy-config";
import {
    buildAnalyzeRequest,
    buildAnalyzeStackRequest,
    type ResourceToAnalyze,
    type StackResourceToAnalyze,
    type UrnContext,
} from "./requests";

/** The stack a pack runs for; becomes env vars and a `ConfigureStack` call, as in the CLI. */
export interface StackContext {
    project?: string;
    stack?: string;
    organization?: string;
    dryRun?: boolean;
    /** Stack config (`project:key` to string value); also exported as PULUMI_CONFIG. */
    config?: Record<string, string>;
    /** Keys of `config` that are secrets (ConfigureStack `configSecretKeys`, as the CLI sends them). */
    secretKeys?: string[];
    /** Stack tags, visible to policies as `args.stackTags`. */
    tags?: Record<string, string>;
}

/** Options of {@link startPolicyPack}. */
export interface StartPolicyPackOptions {
    /** Directory holding PulumiPolicy.yaml and the pack's package.json. */
    packDir: string;
    /**
     * Start-up limit: spawn to port, and then each start-up RPC (GetAnalyzerInfo, ConfigureStack,
     * Configure). Default 60 000 ms: a TypeScript pack is type-checked by ts-node at every start.
     */
    timeoutMs?: number;
    /**
     * User policy config, same shape as a `--policy-pack-config` file; or a function that builds
     * it from the pack's metadata (called once `GetAnalyzerInfo` answered, before `Configure`),
     * e.g. to set an option only where the pack declares it. A function may throw to refuse.
     */
    config?: PolicyPackConfigInput | ((info: PolicyPackInfo) => PolicyPackConfigInput);
    /** Path of a `--policy-pack-config` JSON file; exclusive with `config`. */
    configFile?: string;
    /** Stack context; without it the pack runs as under `pulumi policy` commands (no stack). */
    stack?: StackContext;
    /**
     * Route the pack's `pulumi.log.*` to an in-process Engine server (see engine-server.ts).
     * Off by default because the CLI does not do it; logs then go to the pack's stdout/stderr.
     */
    captureEngineLogs?: boolean;
    /** Node binary for the pack; default: the one running this process. */
    nodePath?: string;
    /** Extra environment for the pack, on top of this process's environment. */
    env?: NodeJS.ProcessEnv;
    /** Limit per RPC after start-up, in ms (per call overridable); default none (a policy may legitimately be slow). */
    callTimeoutMs?: number;
    /** Live copy of the pack's output (policy console output, warnings). */
    onOutput?: (stream: "stdout" | "stderr", text: string) => void;
}

/** Start-up timings, for benchmarks. */
export interface StartupTimings {
    /** Spawn until the pack printed its port (node + ts-node compile + pack load). */
    bootMs: number;
    /** Spawn until info fetched and config applied: when `startPolicyPack` resolves. */
    readyMs: number;
}

/** An RPC to a running pack failed; `stderr` holds the pack's recent error output. */
export class PolicyPackRpcError extends Error {
    constructor(
        message: string,
        public readonly method: string,
        public readonly code: grpc.status | undefined,
        public readonly stderr: string,
        /** Set when a policy threw (the pack names it in the error details). */
        public readonly policyFailure?: PolicyFailure,
    ) {
        super(message);
        this.name = "PolicyPackRpcError";
    }

    /** The call did not answer within its limit (it was cancelled). */
    get timedOut(): boolean {
        return this.code === grpc.status.DEADLINE_EXCEEDED;
    }
}

/** Per-call options of `analyze`/`analyzeStack`. */
export interface CallOptions {
    /** Limit for this call in ms, instead of the host's `callTimeoutMs`. */
    timeoutMs?: number;
}

/** User config as given at start: parsed layers, or a function of the pack's metadata. */
type UserConfigSource = Record<string, PolicyConfigLayerEntry> | ((info: PolicyPackInfo) => PolicyPackConfigInput) | undefined;

/** Environment variables that would make the pack talk to an engine we did not start. */
const INHERITED_ENGINE_VARS = ["PULUMI_NODEJS_ENGINE", "PULUMI_NODEJS_MONITOR"];

/** grpc message size limits used by Pulumi on both sides (400 MB). */
const MAX_RPC_MESSAGE_SIZE = 400 * 1024 * 1024;

/**
 * Starts a policy pack, fetches its metadata and applies its configuration. Rejects with a
 * `PolicyPackBootError` (including the pack's stderr) if the pack does not come up in time.
 */
export async function startPolicyPack(options: StartPolicyPackOptions): Promise<PolicyPackHost> {
    const started = Date.now();
    if (options.config && options.configFile) {
        throw new Error("pass either config or configFile, not both");
    }
    const project = loadPolicyPackProject(options.packDir);
    const runPolicyPack = resolveRunPolicyPack(project.dir);
    const engine = options.captureEngineLogs ? await startEngineServer() : undefined;

    const processPromise = launchPackProcess({
        packDir: project.dir,
        runPolicyPack,
        // run-policy-pack discards this argument; without our engine there is no address to give.
        engineAddress: engine?.address ?? "127.0.0.1:0",
        extraArgs: runtimeOptionArgs(project.runtimeOptions),
        env: packEnvironment(options, engine),
        nodePath: options.nodePath ?? process.execPath,
        timeoutMs: options.timeoutMs ?? 60_000,
        onOutput: options.onOutput,
    });

    // Work that does not need the pack happens while it boots (it takes ~1 s).
    let userConfig: UserConfigSource;
    let packProcess: RunningPackProcess;
    try {
        warmUpConfigValidator();
        userConfig = options.configFile
            ? loadPolicyPackConfigFile(options.configFile)
            : typeof options.config === "function"
              ? options.config
              : options.config
                ? parsePolicyPackConfig(options.config)
                : undefined;
    } catch (e) {
        // Do not leave the pack running when our own input is bad.
        void processPromise.then(
            (p) => p.kill(),
            () => undefined,
        );
        await engine?.close();
        throw e;
    }
    try {
        packProcess = await processPromise;
    } catch (e) {
        await engine?.close();
        throw e;
    }
    const bootMs = Date.now() - started;

    const host = new PolicyPackHost(project, packProcess, engine, options);
    try {
        // The start-up limit also bounds each of the first RPCs.
        await host.initialize(userConfig, options.stack, options.timeoutMs ?? 60_000);
    } catch (e) {
        await host.close();
        throw e;
    }
    host.timings = { bootMs, readyMs: Date.now() - started };
    return host;
}

function packEnvironment(options: StartPolicyPackOptions, engine: EngineServer | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...compileCacheEnv(), ...options.env };
    for (const name of INHERITED_ENGINE_VARS) {
        delete env[name];
    }
    if (engine) {
        env["PULUMI_NODEJS_ENGINE"] = engine.address;
    }
    // The CLI's constructEnv: stack identity for the Node SDK and in general, config as JSON.
    const stack = options.stack;
    if (stack) {
        const set = (name: string, value: string | undefined) => {
            if (value) {
                env[name] = value;
            }
        };
        set("PULUMI_NODEJS_ORGANIZATION", stack.organization);
        set("PULUMI_NODEJS_PROJECT", stack.project);
        set("PULUMI_NODEJS_STACK", stack.stack);
        set("PULUMI_NODEJS_DRY_RUN", String(stack.dryRun ?? false));
        set("PULUMI_ORGANIZATION", stack.organization);
        set("PULUMI_PROJECT", stack.project);
        set("PULUMI_STACK", stack.stack);
        set("PULUMI_DRY_RUN", String(stack.dryRun ?? false));
        // Go's constructConfig: the config map as JSON, also when it is empty.
        if (stack.config) {
            env["PULUMI_CONFIG"] = JSON.stringify(stack.config);
        }
    }
    return env;
}

/** A running policy pack. Create with {@link startPolicyPack}; always {@link close} it. */
export class PolicyPackHost {
    /** Pack metadata, fetched at start. */
    info!: PolicyPackInfo;
    /** The config last sent with `Configure` (after reconciliation). */
    config: Record<string, ResolvedPolicyConfig> = {};
    /** Start-up timings. */
    timings: StartupTimings = { bootMs: 0, readyMs: 0 };

    private readonly client: AnalyzerClient;
    private readonly urnContext: UrnContext;
    private closing: Promise<void> | undefined;
    /** While starting: the limit of each start-up RPC. */
    private startCallTimeoutMs: number | undefined;

    /** @internal Use {@link startPolicyPack}. */
    constructor(
        private readonly project: PolicyPackProject,
        private readonly packProcess: RunningPackProcess,
        private readonly engine: EngineServer | undefined,
        private readonly options: StartPolicyPackOptions,
    ) {
        this.client = new AnalyzerClient(`127.0.0.1:${packProcess.port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_RPC_MESSAGE_SIZE,
            "grpc.max_send_message_length": MAX_RPC_MESSAGE_SIZE,
        });
        this.urnContext = { stack: options.stack?.stack ?? "stack", project: options.stack?.project ?? "project" };
    }

    /** Process id of the pack. */
    get pid(): number {
        return this.packProcess.pid;
    }

    /** Messages the pack logged via `pulumi.log` (only with `captureEngineLogs`). */
    get engineLogs(): readonly EngineLogMessage[] {
        return this.engine?.logs ?? [];
    }

    /** Recent stderr and post-port stdout of the pack. */
    get output(): { stdout: string; stderr: string } {
        return { stdout: this.packProcess.stdout(), stderr: this.packProcess.stderr() };
    }

    /** @internal The CLI's start-up sequence after the port is known. */
    async initialize(userConfig: UserConfigSource, stack: StackContext | undefined, callTimeoutMs: number): Promise<void> {
        this.startCallTimeoutMs = callTimeoutMs;
        try {
            const [info] = await Promise.all([this.getAnalyzerInfo(), stack ? this.configureStack(stack) : Promise.resolve()]);
            this.info = info;
            await this.applyConfig(typeof userConfig === "function" ? parsePolicyPackConfig(userConfig(info)) : userConfig);
        } finally {
            this.startCallTimeoutMs = undefined;
        }
    }

    /** `GetAnalyzerInfo`: pack name, version, policies, config schemas, initial config. */
    async getAnalyzerInfo(): Promise<PolicyPackInfo> {
        const response = await this.unary("GetAnalyzerInfo", this.client.getAnalyzerInfo.bind(this.client), new Empty());
        return toPolicyPackInfo(response, this.project.version);
    }

    /** `GetPluginInfo`: the version of @pulumi/policy serving the pack. */
    async getPluginInfo(options: CallOptions = {}): Promise<{ version: string }> {
        const response = await this.unary("GetPluginInfo", this.client.getPluginInfo.bind(this.client), new Empty(), options.timeoutMs);
        return { version: response.getVersion() };
    }

    /**
     * Reconfigures the pack as if the CLI ran with `config` as its `--policy-pack-config`:
     * schema defaults, then the pack's initial config, then `config` (omit it for the defaults).
     * Not cumulative: each call starts again from the defaults. Returns the applied config.
     */
    async configure(config?: PolicyPackConfigInput): Promise<Record<string, ResolvedPolicyConfig>> {
        return this.applyConfig(config ? parsePolicyPackConfig(config) : undefined);
    }

    /**
     * `Analyze` for one resource (its inputs). Diagnostics without a URN are attributed to the
     * resource, as the engine does.
     */
    async analyze(resource: ResourceToAnalyze, options: CallOptions = {}): Promise<PolicyDiagnostic[]> {
        const request = buildAnalyzeRequest(resource, this.urnContext);
        const response = await this.unary("Analyze", this.client.analyze.bind(this.client), request, options.timeoutMs);
        return this.diagnosticsOf(response).map((d) => ({ ...d, urn: d.urn ?? request.getUrn() }));
    }

    /** `AnalyzeStack` over all resources (their outputs) and their dependency graph. */
    async analyzeStack(resources: Iterable<StackResourceToAnalyze>, options: CallOptions = {}): Promise<PolicyDiagnostic[]> {
        const request = buildAnalyzeStackRequest(resources, this.urnContext);
        const response = await this.unary("AnalyzeStack", this.client.analyzeStack.bind(this.client), request, options.timeoutMs);
        return this.diagnosticsOf(response);
    }

    /**
     * Runs only `policy` from now on (every other policy `disabled`, its own config kept), e.g.
     * to find out which policy does not finish on a resource. `configure()` undoes it.
     */
    async isolatePolicy(policy: string): Promise<void> {
        const only: Record<string, ResolvedPolicyConfig> = {};
        for (const p of this.info.policies) {
            const current = this.config[p.name] ?? { enforcementLevel: p.enforcementLevel };
            only[p.name] = {
                ...current,
                enforcementLevel: p.name === policy ? (current.enforcementLevel ?? p.enforcementLevel) : "disabled",
            };
        }
        await this.sendConfigure(only);
    }

    /** Closes the connection and ends the pack process (SIGTERM, then SIGKILL). Idempotent. */
    close(): Promise<void> {
        this.closing ??= (async () => {
            this.client.close();
            await this.packProcess.kill();
            await this.engine?.close();
        })();
        return this.closing;
    }

    private async applyConfig(
        userConfig: Record<string, PolicyConfigLayerEntry> | undefined,
    ): Promise<Record<string, ResolvedPolicyConfig>> {
        const resolved = reconcilePolicyPackConfig(this.info.policies, this.info.initialConfig, userConfig);
        // The CLI skips Configure for an empty config (a pack without policies).
        if (Object.keys(resolved).length > 0) {
            await this.sendConfigure(resolved);
        }
        this.config = resolved;
        return resolved;
    }

    private async sendConfigure(config: Record<string, ResolvedPolicyConfig>): Promise<void> {
        const request = new ConfigureAnalyzerRequest();
        const map = request.getPolicyconfigMap();
        for (const [name, entry] of Object.entries(config)) {
            if (!entry.enforcementLevel) {
                // Go: `invalid enforcement level ""` - config for a name that is no policy.
                throw new Error(`invalid policy config for "${name}": no enforcement level (is "${name}" a policy of ${this.info.name}?)`);
            }
            // Properties are always sent (possibly empty): @pulumi/policy reads them unconditionally.
            map.set(
                name,
                new PolicyConfig()
                    .setEnforcementlevel(enforcementLevelToProto(entry.enforcementLevel))
                    .setProperties(Struct.fromJavaScript((entry.properties ?? {}) as Parameters<typeof Struct.fromJavaScript>[0])),
            );
        }
        await this.unary("Configure", this.client.configure.bind(this.client), request);
    }

    private async configureStack(stack: StackContext): Promise<void> {
        const request = new AnalyzerStackConfigureRequest()
            .setStack(stack.stack ?? "")
            .setProject(stack.project ?? "")
            .setOrganization(stack.organization ?? "")
            .setDryRun(stack.dryRun ?? false);
        for (const [key, value] of Object.entries(stack.config ?? {})) {
            request.getConfigMap().set(key, value);
        }
        request.setConfigSecretKeysList(stack.secretKeys ?? []);
        for (const [key, value] of Object.entries(stack.tags ?? {})) {
            request.getTagsMap().set(key, value);
        }
        try {
            await this.unary("ConfigureStack", this.client.configureStack.bind(this.client), request);
        } catch (e) {
            // Older packs do not implement it; the CLI carries on in that case.
            if (!(e instanceof PolicyPackRpcError && e.code === grpc.status.UNIMPLEMENTED)) {
                throw e;
            }
        }
    }

    private diagnosticsOf(response: AnalyzeResponse): PolicyDiagnostic[] {
        return toPolicyDiagnostics(response.getDiagnosticsList(), this.project.version);
    }

    /**
     * Promisified unary call with an optional limit and pack-aware error messages. The limit is
     * our own timer rather than a gRPC deadline, so that an answer that arrived while this
     * process's event loop was busy still wins (io-safe-timer.ts).
     */
    private unary<Req, Res>(
        method: string,
        call: (
            req: Req,
            metadata: grpc.Metadata,
            options: Partial<grpc.CallOptions>,
            callback: (error: grpc.ServiceError | null, response: Res) => void,
        ) => grpc.ClientUnaryCall,
        request: Req,
        timeoutMs = this.startCallTimeoutMs ?? this.options.callTimeoutMs,
    ): Promise<Res> {
        if (this.closing) {
            return Promise.reject(new PolicyPackRpcError(`${method}: the policy pack host is closed`, method, undefined, ""));
        }
        return new Promise<Res>((resolve, reject) => {
            let settled = false;
            let timer: IoSafeTimer | undefined;
            const pending = call(request, new grpc.Metadata(), {}, (error, response) => {
                timer?.cancel();
                if (settled) return;
                settled = true;
                if (error) void this.describeFailure(method, error).then(reject);
                else resolve(response);
            });
            if (timeoutMs === undefined || settled) return;
            timer = ioSafeTimeout(timeoutMs, () => {
                settled = true;
                pending.cancel();
                const pack = `policy pack '${this.info?.name ?? this.project.dir}'`;
                reject(
                    new PolicyPackRpcError(
                        `${method} did not answer within ${formatSeconds(timeoutMs / 1000)} (${timeoutMs} ms) in ${pack}`,
                        method,
                        grpc.status.DEADLINE_EXCEEDED,
                        this.packProcess.stderr(),
                    ),
                );
            });
        });
    }

    private async describeFailure(method: string, error: grpc.ServiceError): Promise<PolicyPackRpcError> {
        const pack = `policy pack '${this.info?.name ?? this.project.dir}'`;
        if (error.code === grpc.status.UNAVAILABLE && !this.closing) {
            // The connection usually drops a moment before the exit is observed; wait briefly so
            // a crash is reported as a crash, with its stderr.
            await Promise.race([this.packProcess.exited, new Promise((r) => setTimeout(r, 500))]);
        }
        const exit = this.packProcess.exitStatus();
        const stderr = this.packProcess.stderr();
        if (exit) {
            const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
            return new PolicyPackRpcError(
                `${method} failed: ${pack} ${how}` + (stderr.trim() ? `\n--- pack stderr ---\n${stripAnsi(stderr).trimEnd()}` : ""),
                method,
                error.code,
                stderr,
            );
        }
        const policyFailure = parsePolicyFailure(error.details ?? "", this.project.dir);
        return new PolicyPackRpcError(
            `${method} failed in ${pack}: ${error.details || error.message}`,
            method,
            error.code,
            stderr,
            policyFailure,
        );
    }
}
