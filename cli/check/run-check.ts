/**
 * The offline policy check: runs a Pulumi program under mocks and the policy pack exactly as the
 * CLI does (run-policy-pack + gRPC Analyzer), then builds the report.
 *
 * Order: everything that can fail on the user's input is read first (project, stack config,
 * policy config file), before any process starts; then the pack starts while the program runs;
 * then every resource is analyzed. Each of the three stages is bounded by `timeoutMs`.
 */
import * as fs from "fs";
import * as path from "path";
import {
    PolicyConfigValidationError,
    PolicyPackBootError,
    PolicyPackRpcError,
    loadPolicyPackConfigDocument,
    startPolicyPack,
    unknownConfigNames,
} from "../analyzer";
import type { PolicyPackConfigDocument, PolicyPackConfigInput, PolicyPackHost, PolicyPackInfo, StartPolicyPackOptions } from "../analyzer";
import { ProgramRunError } from "../offline/errors";
import { prepareProgram } from "../offline/prepare";
import type { OfflineRun } from "../offline/program-runner";
import { analyzesWhileRunning, startAnalysis } from "./analyze";
import { bundledPackDir } from "./args";
import { CheckError, RAISE_TIMEOUT_HINT } from "./errors";
import { runProgram } from "./program";
import { buildReport } from "./report";
import type { CheckReport } from "./report";

/** Where modules a program lacks (typescript, ts-node) are resolved from: the check's own installation. */
const CHECK_ROOT = path.resolve(__dirname, "..", "..");

export interface CheckOptions {
    programDir: string;
    stack: string;
    packDir: string;
    policyPackConfigFile?: string;
    /** Limit of each stage (pack start-up, program run, analysis), in ms. */
    timeoutMs: number;
}

/** What the check reads before starting anything; each part fails with a message of its own. */
interface Preflight {
    programDir: string;
    project: string;
    /** The stack part of `--stack` (`org/project/dev` → `dev`), which names the config file. */
    stackName: string;
    entryFile: string;
    /** Stack config for the pack's PULUMI_CONFIG: encrypted values left out (see packStack). */
    packConfig: Record<string, string>;
    withheldSecrets: string[];
    policyConfig: PolicyPackConfigDocument;
}

function preflight(options: CheckOptions): Preflight {
    let prepared: ReturnType<typeof prepareProgram>;
    try {
        // Stack name, Pulumi.yaml, runtime, config types, entry: refused as `pulumi preview` refuses them.
        prepared = prepareProgram({ programDir: options.programDir, stack: options.stack });
    } catch (e) {
        throw new CheckError("program", e instanceof ProgramRunError ? e.message : ((e as Error)?.stack ?? String(e)));
    }
    const { config, secretKeys } = prepared.stackConfig;
    // The CLI decrypts secrets for the pack; offline they are placeholders, which a policy must not
    // mistake for the value: the pack sees those keys as unset, and the report says so.
    const packConfig = Object.fromEntries(Object.entries(config).filter(([key]) => !secretKeys.includes(key)));
    let policyConfig: PolicyPackConfigDocument = { config: {}, environments: [] };
    try {
        if (options.policyPackConfigFile) policyConfig = loadPolicyPackConfigDocument(options.policyPackConfigFile);
    } catch (e) {
        throw new CheckError("policy pack config", (e as Error).message);
    }
    return {
        programDir: prepared.programDir,
        project: prepared.project.name,
        stackName: prepared.stackName,
        entryFile: prepared.entry.file,
        packConfig,
        withheldSecrets: secretKeys,
        policyConfig,
    };
}

/**
 * The pack's config, built once the pack told its policies: unknown policy or option names are
 * refused; the program's directory is filled in for policies that declare a `programDirectory`
 * option (they read the program's Dockerfiles) unless the user set it — other packs get nothing.
 */
function policyConfigFor(info: PolicyPackInfo, pre: Preflight): PolicyPackConfigInput {
    const problems = unknownConfigNames(info.name, info.policies, pre.policyConfig.config);
    if (problems.length > 0) throw new PolicyConfigValidationError(problems);
    const config: PolicyPackConfigInput = {};
    for (const [name, entry] of Object.entries(pre.policyConfig.config)) {
        config[name] = { ...(entry.enforcementLevel ? { enforcementLevel: entry.enforcementLevel } : {}), ...(entry.properties ?? {}) };
    }
    for (const policy of info.policies.filter((p) => p.configSchema?.properties["programDirectory"])) {
        const given = config[policy.name];
        const entry = typeof given === "object" ? given : given ? { enforcementLevel: given } : {};
        if (entry["programDirectory"] === undefined) config[policy.name] = { ...entry, programDirectory: pre.programDir };
    }
    return config;
}

function packOptions(options: CheckOptions, pre: Preflight): StartPolicyPackOptions {
    return {
        packDir: path.resolve(options.packDir),
        timeoutMs: options.timeoutMs,
        config: (info) => policyConfigFor(info, pre),
        // As the CLI starts an analyzer for `pulumi preview` (constructEnv, ConfigureStack).
        stack: { project: pre.project, stack: pre.stackName, dryRun: true, config: pre.packConfig },
    };
}

/**
 * Builds the bundled pack if it is this repository's source checkout (its build.js is there) and its
 * sources changed; an installed pack ships compiled, and other packs run as they are, like under the CLI.
 */
function ensureOwnPackBuilt(packDir: string): void {
    const ownPackDir = bundledPackDir();
    if (path.resolve(packDir) !== ownPackDir || !fs.existsSync(path.join(ownPackDir, "build.js"))) return;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the pack's own build script, by path
    const build = require(path.join(ownPackDir, "build.js")) as {
        ensurePackBuilt(options: { log(message: string): void }): unknown;
        PackBuildError: new (...args: unknown[]) => Error;
    };
    try {
        build.ensurePackBuilt({ log: (message) => process.stderr.write(`${message}\n`) });
    } catch (e) {
        throw e instanceof build.PackBuildError ? new CheckError("policy pack", e.message) : e;
    }
}

async function startPack(options: StartPolicyPackOptions): Promise<PolicyPackHost> {
    try {
        return await startPolicyPack(options);
    } catch (e) {
        if (e instanceof PolicyConfigValidationError) throw new CheckError("policy pack config", e.message);
        const timedOut =
            (e instanceof PolicyPackRpcError && e.timedOut) ||
            (e instanceof PolicyPackBootError && /did not finish within/.test(e.message));
        const message = `${e instanceof PolicyPackRpcError ? "start-up: " : ""}${(e as Error).message}`;
        throw new CheckError("policy pack", timedOut ? `${message}\n(${RAISE_TIMEOUT_HINT})` : message);
    }
}

function notesFor(pre: Preflight): string[] {
    const notes: string[] = [];
    if (pre.withheldSecrets.length > 0) {
        notes.push(
            `Encrypted config (${pre.withheldSecrets.join(", ")}) is not passed to the policy pack: it cannot be decrypted offline, so a policy reading it sees it as unset.`,
        );
    }
    if (pre.policyConfig.environments.length > 0) {
        notes.push(
            `The policy config names ESC environments (${pre.policyConfig.environments.join(", ")}): they cannot be opened offline, so their variables and policy config are not applied.`,
        );
    }
    return notes;
}

export async function runCheck(options: CheckOptions): Promise<{ report: CheckReport; entryFile: string }> {
    const started = Date.now();
    const pre = preflight(options);
    ensureOwnPackBuilt(options.packDir);
    const startOptions = packOptions(options, pre);
    const packStartMs = Date.now() - started;
    const hostPromise = startPack(startOptions).then((host) => ({ host, readyMs: Date.now() - started }));
    hostPromise.catch(() => undefined); // handled below; avoid an unhandled rejection while the program runs
    // Resources are analyzed as the program registers them, once the pack is ready (analyze.ts).
    const analysis = startAnalysis(
        hostPromise.then(({ host }) => host),
        options.timeoutMs,
        () => startPack(startOptions),
    );

    let run: OfflineRun;
    try {
        run = await runProgram({
            programDir: pre.programDir,
            stack: options.stack,
            fallbackModuleDirs: [CHECK_ROOT],
            timeoutMs: options.timeoutMs,
            onResource: analyzesWhileRunning() ? (resource) => analysis.add(resource) : undefined,
        });
        run.entryFile ??= pre.entryFile;
    } catch (e) {
        await hostPromise.then(
            ({ host }) => host.close(),
            () => undefined,
        );
        throw e;
    }
    const programMs = Date.now() - started;
    const { host, readyMs } = await hostPromise;
    try {
        const analyzeStarted = Date.now();
        const diagnostics = await analysis.finish(host, run);
        const analyzeMs = Date.now() - analyzeStarted;
        const timings = {
            packStartMs,
            packPortMs: packStartMs + host.timings.bootMs,
            packReadyMs: readyMs,
            programMs,
            analyzeMs,
            totalMs: Date.now() - started,
        };
        return {
            report: buildReport({ run, info: host.info, levels: host.config, diagnostics, notes: notesFor(pre), timings }),
            entryFile: run.entryFile,
        };
    } finally {
        await host.close();
    }
}
