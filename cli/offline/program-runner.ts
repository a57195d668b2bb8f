/**
 * Runs a Pulumi TypeScript/JavaScript program in-process under Pulumi's own mocks
 * (`pulumi.runtime.setMocks`), with a stack's configuration, as `pulumi preview` runs it
 * (`isDryRun()` true), and captures every resource registration: type, name, URN, parent,
 * provider, inputs (as the engine hands them to an analyzer), outputs, dependencies, property
 * dependencies and options. No Pulumi CLI, no cloud credentials, nothing external runs.
 *
 * One program per process: Pulumi's runtime state is global. The check runs it in a child
 * process (`isolated.ts`); {@link runProgramOffline} is the in-process form (tests).
 */
import * as path from "path";
import type * as PulumiSdk from "@pulumi/pulumi";
import { DEFAULT_PLACEMENT, type Placement } from "./placeholder-outputs";
import type { ProjectFile } from "./project";
import { skipDynamicProviderSerialization } from "./dynamic-providers";
import { type ProgramEntry, resolveEntry } from "./entry";
import { prepareProgram } from "./prepare";
import { installModuleResolution, registerTypeScript } from "./module-loading";
import { installRecordingMocks, type Recorder } from "./recording-monitor";
import { neutraliseImageBuilds } from "./image-builds";
import { validateCapturedResources } from "./registration-checks";
import { describeProgramFailure } from "./failures";
import { SOURCE_POSITIONS_ENV, ownFileFilter, resourceCaptureStack, type SourcePosition } from "./source-positions";

export { ProgramRunError } from "./errors";
export { readProjectFile, validateStackName } from "./project";
export type { ProjectFile } from "./project";
export { loadStackConfig } from "./stack-config";
export { prepareProgram } from "./prepare";
export { installRecordingMocks } from "./recording-monitor";
export type { Recorder } from "./recording-monitor";

export interface CapturedResource {
    urn: string;
    type: string;
    name: string;
    /** true for provider-managed resources, false for components. */
    custom: boolean;
    /** true for components built by a provider plugin (awsx): their children are not rendered offline. */
    remote: boolean;
    parent?: string;
    provider?: string;
    id?: string;
    /**
     * Inputs as the engine hands them to an analyzer: plain JSON, secrets as
     * `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}` where they
     * are, unknowns as the sentinel `"04da6b54-80e4-46f7-96ec-b56ff0331ba9"`, resource references
     * as the resource's ID (custom) or URN (component). See wire-values.ts.
     */
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    options: { protect?: boolean; ignoreChanges?: string[]; deleteBeforeReplace?: boolean; retainOnDelete?: boolean };
    /** Where the program's own files construct it (`source-positions.ts`); absent when no frame of the program's files is on the stack. */
    source?: SourcePosition;
}

export interface OfflineRun {
    project: string;
    stack: string;
    programDir: string;
    resources: CapturedResource[];
    stackOutputs: Record<string, unknown>;
    /** Data-source tokens the offline run had no answer for (their results are unknown). */
    unknownInvokes: string[];
    /** Things a reader should know: placeholders for secrets, remote components, … */
    notes: string[];
    placement: Placement;
    /** The file the program starts from (added: the language host's resolution of `main`). */
    entryFile?: string;
}

export interface RunOptions {
    programDir: string;
    stack: string;
    /** Where modules are resolved from when the program's own node_modules do not have them (default: the check's packages). */
    fallbackModuleDirs?: string[];
    /** Directory that paths in messages are relative to (default: the current directory). */
    displayDir?: string;
    /** Called once the mocks are installed with a probe of what the run still waits for (resources, data sources). */
    onStart?(pending: () => string[]): void;
    /**
     * Told of each resource as it is registered, while the program still runs: its inputs are final
     * then; its outputs are attached after the run, on the same object.
     */
    onResource?(resource: CapturedResource): void;
}

/** The check's own package root: its node_modules are the fallback for programs without their own. */
export const CHECK_ROOT = path.resolve(__dirname, "..", "..");

/** Resolves the program's entry file from `main` the way the Pulumi CLI and its Node.js language host do. */
export function resolveProgramEntry(programDir: string, project: ProjectFile): string {
    return resolveEntry(programDir, project).file;
}

/**
 * Resolves when `promise` does, rejects with the first uncaught exception or unhandled rejection
 * seen meanwhile (a failed `apply`, a rejected promise the program does not await): as the
 * language host, which fails the program on either.
 */
async function failOnUncaught<T>(promise: Promise<T>): Promise<T> {
    let failure: { error: unknown } | undefined;
    let fail: (e: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => {
        fail = reject;
    });
    const handler = (e: unknown) => {
        failure ??= { error: e };
        fail(e);
    };
    process.on("unhandledRejection", handler);
    process.on("uncaughtException", handler);
    try {
        const result = await Promise.race([promise, failed]);
        // A rejection nobody handles is reported after the microtasks of this turn: give it two turns.
        for (let turn = 0; turn < 2 && !failure; turn++) await new Promise((resolve) => setImmediate(resolve));
        if (failure) throw failure.error;
        return result;
    } finally {
        // Later echoes of the same failure (Pulumi's stack resource re-rejects it) are not crashes.
        setImmediate(() => {
            process.off("unhandledRejection", handler);
            process.off("uncaughtException", handler);
        });
    }
}

/** Runs the program of `programDir` with stack `stack` under mocks and returns what it registered. */
export async function runProgramOffline(options: RunOptions): Promise<OfflineRun> {
    const { programDir, project, stackName, runtimeOptions, stackConfig, entry } = prepareProgram(options);
    const { config, secretKeys, notes } = stackConfig;
    const placement: Placement = { ...DEFAULT_PLACEMENT, region: config["aws:region"] ?? DEFAULT_PLACEMENT.region };
    const fallbackDirs = options.fallbackModuleDirs ?? [CHECK_ROOT];

    const loading = installModuleResolution(entry.pwd, fallbackDirs);
    const pulumi: typeof PulumiSdk = require(loading.sdkDir);
    const settings = require(path.join(loading.sdkDir, "runtime", "settings"));
    const recorder = await installRecordingMocks(pulumi, settings, project.name, stackName, {
        placement,
        dryRun: true,
        onResource: options.onResource,
    });
    options.onStart?.(() => recorder.pending());
    pulumi.runtime.setAllConfig(config, secretKeys);
    neutraliseImageBuilds(loading.sdkDir, notes);
    // An ES-module program is compiled in the loader thread: its source positions come from the maps
    // Node keeps while its source-map support is on. CommonJS programs map their own (ts-node's inline maps).
    if (entry.isModule) process.setSourceMapsEnabled(true);
    registerTypeScript(
        {
            pwd: entry.pwd,
            isModule: entry.isModule,
            tsconfig: runtimeOptions.tsconfig,
            fallbackDirs,
            sdkDir: loading.sdkDir,
            missing: loading.missing,
        },
        runtimeOptions.typescript,
    );

    const displayDir = options.displayDir ?? process.cwd();
    let stackOutputs: Record<string, unknown>;
    try {
        stackOutputs = await runEntry(entry, loading.sdkDir, notes);
    } catch (e) {
        throw describeProgramFailure(e, { pulumi, entryFile: entry.file, programDir, displayDir, missing: loading.missing });
    }

    recorder.attachOutputs();
    validateCapturedResources(recorder.resources);
    notes.push(...recorder.notes, ...runNotes(recorder));
    return {
        project: project.name,
        stack: stackName,
        programDir,
        resources: recorder.resources,
        stackOutputs: plain(stackOutputs),
        unknownInvokes: [...recorder.unknownInvokes],
        notes,
        placement,
        entryFile: entry.file,
    };
}

/**
 * Runs the entry in the program's directory inside the SDK's stack resource, until every RPC is
 * answered, with the SDK's costly diagnostics made cheap for the run (each undone after it).
 */
async function runEntry(entry: ProgramEntry, sdkDir: string, notes: string[]): Promise<Record<string, unknown>> {
    const settings = require(path.join(sdkDir, "runtime", "settings"));
    const stackModule = require(path.join(sdkDir, "runtime", "stack"));
    const previousCwd = process.cwd();
    const restoreDebuggable = untrackedSdkPromises(sdkDir);
    const restoreSerialization = skipDynamicProviderSerialization(sdkDir, notes);
    const restoreStackTraces = cheapCaptureStackTraces(path.join(sdkDir, "resource.js"), ownFileFilter([path.join(CHECK_ROOT, "cli")]));
    try {
        process.chdir(entry.pwd);
        const outputs = await failOnUncaught(
            (async () => {
                const result = await stackModule.runInPulumiStack(() => loadProgram(entry.program, entry.isModule));
                await settings.waitForRPCs();
                return result;
            })(),
        );
        return outputs ?? {};
    } finally {
        process.chdir(previousCwd);
        restoreStackTraces();
        restoreDebuggable();
        restoreSerialization();
    }
}

/** What the reader must know about the run: remote components not rendered, data sources not answered. */
function runNotes(recorder: Recorder): string[] {
    const notes: string[] = [];
    const remote = recorder.resources.filter((r) => r.remote);
    if (remote.length) {
        notes.push(
            `${remote.length} remote component(s) (${[...new Set(remote.map((r) => r.type))].join(", ")}) are built by their provider plugin; offline, only their inputs are checked and their children are not rendered.`,
        );
    }
    if (recorder.unknownInvokes.size)
        notes.push(
            `Data sources without an offline answer returned unknown results (findings that depend on them are undecided): ${[...recorder.unknownInvokes].join(", ")}.`,
        );
    return notes;
}

// Indirect eval keeps a real `import()`: compiled to CommonJS, a literal `import()` in this file would become `require()`,
// which cannot load the ES-module programs the language host loads with `import()`.
const dynamicImport: (url: string) => Promise<any> = (0, eval)("u => import(u)");

/**
 * Loads the program as `sdk/nodejs/cmd/run/run.ts` does: `import()` for ES modules (a default
 * export replaces the named ones), `require` otherwise; an exported function is called and its
 * result awaited. (A CommonJS `exports.default` function is not called, as by the language host.)
 */
async function loadProgram(program: string, isModule: boolean): Promise<unknown> {
    let exported: any;
    if (isModule) {
        exported = await dynamicImport(require("url").pathToFileURL(program).href);
        if (Object.getOwnPropertyDescriptor(exported, "default") !== undefined) {
            if (Object.keys(exported).length !== 1)
                throw new Error("expected entrypoint module to have either a default export or named exports but not both");
            exported = exported.default;
        }
    } else {
        const fs = require("fs");
        exported = require(fs.statSync(program).isDirectory() && !program.endsWith("/") ? `${program}/` : program);
    }
    return exported instanceof Function ? exported() : exported;
}

/**
 * Pulumi's SDK reads `new Error().stack` for every resource (its source position) and for every
 * internal promise (leak diagnostics): thousands of stack traces per program, each source-mapped
 * by ts-node's `source-map-support` hook — half of the run time of a 100-service program. So while
 * the program runs, a stack of a message-less plain `Error` (those captures) is formatted cheaply:
 * a resource's capture (the first frame is in the SDK's `resource.js`) keeps only the frame of
 * its construction in the program's own files (`source-positions.ts`: what SARIF results point
 * at), every other capture is not formatted at all. Every other error keeps its full,
 * source-mapped stack, so a program's own exception still says where it was thrown.
 * `HEALTHY_FARGATE_SOURCE_POSITIONS=off` records no positions (SARIF results then point at line 1
 * of the entry file; bench/source-positions-bench.ts compares both). Returns the function that
 * restores the previous formatter.
 */
function cheapCaptureStackTraces(resourceModule: string, isOwnFile: (file: string) => boolean): () => void {
    const previous = Error.prepareStackTrace;
    const positions = process.env[SOURCE_POSITIONS_ENV] !== "off";
    Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
        if (error instanceof Error && error.constructor === Error && error.message === "") {
            return positions && frames[0]?.getFileName() === resourceModule
                ? resourceCaptureStack(frames, resourceModule, isOwnFile)
                : "Error";
        }
        if (previous) return previous(error, frames);
        return `${String(error)}${frames.map((frame) => `\n    at ${frame}`).join("")}`;
    };
    return () => {
        Error.prepareStackTrace = previous;
    };
}

/**
 * The SDK's `debuggablePromise` (`runtime/debuggable.js`) wraps every internal promise for the
 * leak report it prints as the process exits: three properties, `new Error().stack`, a context
 * string, and a `then` chain (a promise, a reaction and two closures) that lives as long as the
 * promise is pending. At a program's peak, when its synchronous part has constructed every
 * resource and none is registered yet, all of them are pending: ~86 per resource, a quarter of
 * the program's live heap (100 services: 205 → 153 MB after a full collection at that point;
 * 300 services' check 22 → 17 s, bench/check-bench.ts). While the program runs, that function
 * hands back the promise itself, which resolves and rejects exactly as the wrapper did.
 *
 * What is given up is that report only: it is printed on stderr after the run was sent, and the
 * offline verdict never depended on it. With `PULUMI_DEBUG_PROMISE_LEAKS` set nothing changes, so
 * the report is there, with its stacks. Returns the function that restores the SDK's own.
 */
function untrackedSdkPromises(sdkDir: string): () => void {
    if (process.env["PULUMI_DEBUG_PROMISE_LEAKS"]) return () => undefined;
    const debuggable = require(path.join(sdkDir, "runtime", "debuggable"));
    const original = debuggable.debuggablePromise;
    if (typeof original !== "function") return () => undefined;
    debuggable.debuggablePromise = <T>(promise: Promise<T>): Promise<T> => promise;
    return () => {
        debuggable.debuggablePromise = original;
    };
}

/** Stack outputs as plain JSON-able data (Outputs already resolved by the stack resource). */
function plain(value: unknown): Record<string, unknown> {
    try {
        return JSON.parse(JSON.stringify(value ?? {}));
    } catch {
        return {};
    }
}
