/**
 * The offline policy check: runs a Pulumi program under mocks and the policy pack exactly as the
 * CLI does (run-policy-pack + gRPC Analyzer), then builds the report.
 *
 * Time goes to three places, overlapped here: the pack's start-up (ts-node type-checks the pack),
 * the program's run (transpile-only), and the Analyze round trips (sent concurrently).
 */
import * as fs from "fs";
import * as path from "path";
import { PolicyConfigValidationError, PolicyPackBootError, loadPolicyPackConfigFile, startPolicyPack } from "../analyzer";
import type { PolicyPackConfigInput, StackResourceToAnalyze } from "../analyzer";
import type { OfflineRun } from "../offline/program-runner";
import { ProgramRunError } from "../offline/errors";
import type { CheckReport } from "./report";

// The program runner and the report are loaded after the pack was spawned (see runCheck): every
// module loaded before the spawn (each one transpiled by ts-node) delays the critical path.
type ProgramRunner = typeof import("../offline/isolated");

const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface CheckOptions {
    programDir: string;
    stack: string;
    packDir: string;
    policyPackConfigFile?: string;
}

/** Raised when the program, its config or the pack cannot be run: the CLI exits 2 with the message. */
export class CheckSetupError extends Error {
    constructor(readonly stage: "program" | "policy pack" | "policy pack config", message: string) {
        super(`${stage}: ${message}`);
        this.name = "CheckSetupError";
    }
}

/** Policies that read files of the program (Dockerfiles) and the config key telling them where it is. */
const PROGRAM_DIRECTORY_KEYS: Record<string, string> = { "probe-tool-present-in-image": "programDirectory", "app-receives-sigterm": "programDirectory" };

/**
 * The user's `--policy-pack-config` (read here, so that a missing or malformed file is reported as
 * such before any work), with the checked program's directory filled in for policies that read its
 * files — unless the user set it. (Under the CLI the pack's default, the pack's parent directory,
 * is this repository.)
 */
function userPolicyConfig(file: string | undefined, programDir: string): PolicyPackConfigInput {
    const config: PolicyPackConfigInput = {};
    for (const [name, entry] of Object.entries(file ? loadPolicyPackConfigFile(file) : {})) {
        config[name] = { ...(entry.enforcementLevel ? { enforcementLevel: entry.enforcementLevel } : {}), ...(entry.properties ?? {}) };
    }
    for (const [policy, key] of Object.entries(PROGRAM_DIRECTORY_KEYS)) {
        const given = config[policy];
        const entry = typeof given === "object" ? given : given ? { enforcementLevel: given } : {};
        if (entry[key] === undefined) config[policy] = { ...entry, [key]: programDir };
    }
    return config;
}

export async function runCheck(options: CheckOptions): Promise<{ report: CheckReport; entryFile: string }> {
    const started = Date.now();
    const programDir = path.resolve(options.programDir);
    // Stack name, Pulumi.yaml, runtime, config types: refused before anything starts (the pack included).
    try {
        (require("../offline/prepare") as typeof import("../offline/prepare")).prepareProgram({ programDir, stack: options.stack });
    } catch (e) {
        throw new CheckSetupError("program", e instanceof ProgramRunError ? e.message : (e as Error).stack ?? String(e));
    }
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map(f => path.join(programDir, f)).find(f => fs.existsSync(f));
    if (!projectFile) {
        throw new CheckSetupError("program", `No Pulumi.yaml in ${programDir}: --program must be a Pulumi project directory.`);
    }
    // The project name for the pack's stack context (PULUMI_PROJECT, as the CLI sets it); the
    // program runner validates the file properly.
    const project = /^name:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(projectFile, "utf8"))?.[1];

    let config: PolicyPackConfigInput;
    try {
        config = userPolicyConfig(options.policyPackConfigFile, programDir);
    } catch (e) {
        throw new CheckSetupError("policy pack config", (e as Error).message);
    }

    // The pack boots (ts-node type-checks it: the longest step, ~3 s) while the program runs.
    const hostPromise = startPolicyPack({
        packDir: path.resolve(options.packDir),
        config,
        stack: { project, stack: options.stack, dryRun: true },
    }).then(host => ({ host, readyMs: Date.now() - started }));
    hostPromise.catch(() => undefined); // handled below; avoid an unhandled rejection while the program runs

    const runner: ProgramRunner = require("../offline/isolated");
    let run: OfflineRun;
    let entryFile: string;
    try {
        // The program runs in a child process (its output goes to stderr), bounded in time.
        run = await runner.runProgramIsolated({ programDir, stack: options.stack, fallbackModuleDirs: [REPO_ROOT], timeoutMs: runner.DEFAULT_PROGRAM_TIMEOUT_MS });
        entryFile = run.entryFile ?? programDir;
    } catch (e) {
        await hostPromise.then(({ host }) => host.close(), () => undefined);
        throw new CheckSetupError("program", e instanceof ProgramRunError ? e.message : (e as Error).stack ?? String(e));
    }
    const programMs = Date.now() - started;

    let host;
    let readyMs: number;
    try {
        ({ host, readyMs } = await hostPromise);
    } catch (e) {
        const err = e as Error;
        const stage = err instanceof PolicyConfigValidationError || (/config/i.test(err.message) && !(err instanceof PolicyPackBootError))
            ? "policy pack config" : "policy pack";
        throw new CheckSetupError(stage, err.message);
    }

    try {
        const analyzeStarted = Date.now();
        // All Analyze calls and the AnalyzeStack call go out at once over the one HTTP/2
        // connection: the pack answers them back to back, with no round trip in between.
        const resourceDiagnosticsPromise = Promise.all(run.resources.map(r => host.analyze({
            type: r.type, name: r.name, urn: r.urn, properties: r.inputs as any,
            options: { parent: r.parent, protect: r.options.protect, ignoreChanges: r.options.ignoreChanges, deleteBeforeReplace: r.options.deleteBeforeReplace },
        })));
        const stackResources: StackResourceToAnalyze[] = run.resources.map(r => ({
            type: r.type, name: r.name, urn: r.urn,
            // Remote components (awsx) have no rendered children offline: their inputs stand for their state.
            properties: { ...r.inputs, ...r.outputs } as any,
            parent: r.parent, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
            options: { parent: r.parent, protect: r.options.protect, ignoreChanges: r.options.ignoreChanges },
        }));
        const [resourceDiagnostics, stackDiagnostics] = await Promise.all([resourceDiagnosticsPromise, host.analyzeStack(stackResources)]);
        const analyzeMs = Date.now() - analyzeStarted;
        const { buildReport }: typeof import("./report") = require("./report");
        const report = buildReport({
            run, info: host.info, levels: host.config, diagnostics: [...resourceDiagnostics.flat(), ...stackDiagnostics],
            timings: { programMs, packReadyMs: readyMs, analyzeMs, totalMs: Date.now() - started },
        });
        return { report, entryFile };
    } finally {
        await host.close();
    }
}
