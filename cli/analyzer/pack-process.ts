/**
 * The policy pack child process: spawning it like the CLI's `pulumi-analyzer-policy` shim,
 * reading the port it announces, keeping its output for error messages, and ending it cleanly.
 */
import { type ChildProcess, spawn } from "child_process";
import * as path from "path";
import { formatSeconds } from "@healthy-fargate/domain";
import { trackChildProcess } from "./child-processes";
import { ioSafeTimeout } from "./io-safe-timer";

/** How to launch one pack. */
export interface PackProcessOptions {
    /** Pack directory; becomes the child's cwd (the CLI sets the plugin's pwd to it). */
    packDir: string;
    /** Absolute path of `@pulumi/pulumi/cmd/run-policy-pack`. */
    runPolicyPack: string;
    /** First argument of run-policy-pack; see engine-server.ts for why it is unused today. */
    engineAddress: string;
    /** `-key=value` arguments from PulumiPolicy.yaml `runtime.options`. */
    extraArgs: string[];
    /** Full environment of the child. */
    env: NodeJS.ProcessEnv;
    /** The node binary; the CLI's shim runs whatever `node` is on PATH. */
    nodePath: string;
    /** Give up (and kill the child) if no port was printed by then. */
    timeoutMs: number;
    /** Live copy of the child's output, e.g. to forward policy `console.log`s to a terminal. */
    onOutput?: (stream: "stdout" | "stderr", text: string) => void;
}

/** The pack failed before it started serving: compile error, missing module, crash, timeout. */
export class PolicyPackBootError extends Error {
    constructor(
        message: string,
        /** Everything the pack wrote to stderr (the TS compiler errors end up here). */
        public readonly stderr: string,
        public readonly stdout: string,
        public readonly exitCode: number | null,
        public readonly signal: NodeJS.Signals | null,
        /** Pid of the failed child (already killed, or exited), `undefined` if it never spawned. */
        public readonly pid: number | undefined,
    ) {
        super(message);
        this.name = "PolicyPackBootError";
    }
}

/** A pack process that printed its port. */
export interface RunningPackProcess {
    port: number;
    pid: number;
    /** Output seen so far (bounded to the most recent part). */
    stderr(): string;
    stdout(): string;
    /** Exit status once the process ended, `undefined` while it runs. */
    exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
    /** Resolves once the process ended and its output is drained. */
    exited: Promise<void>;
    /** Terminates the process and waits until it is reaped. Safe to call twice. */
    kill(graceMs?: number): Promise<void>;
}

/** Preloaded in the pack's process: see the file. Plain JavaScript, next to this module in the sources and in `bin/`. */
const DEFER_SDK_MODULES = path.join(__dirname, "defer-sdk-modules.js");

/** Output kept per stream; enough for any compile error, bounded for chatty packs. */
const MAX_KEPT_OUTPUT = 256 * 1024;

class OutputBuffer {
    private text = "";
    append(chunk: string): void {
        this.text += chunk;
        if (this.text.length > MAX_KEPT_OUTPUT) {
            this.text = this.text.slice(this.text.length - MAX_KEPT_OUTPUT);
        }
    }
    toString(): string {
        return this.text;
    }
}

/**
 * Spawns `node run-policy-pack <engine-address> . [-k=v...]` in the pack directory and resolves
 * once the pack printed its port. Like the CLI, the first stdout line must be the port.
 */
export function launchPackProcess(opts: PackProcessOptions): Promise<RunningPackProcess> {
    return launchPluginProcess({
        what: `policy pack at "${opts.packDir}"`,
        nodePath: opts.nodePath,
        cwd: opts.packDir,
        env: opts.env,
        // The one addition to the CLI's command line: the SDK's rarely used npm modules load on first use (defer-sdk-modules.js).
        args: ["--require", DEFER_SDK_MODULES, opts.runPolicyPack, opts.engineAddress, ".", ...opts.extraArgs],
        timeoutMs: opts.timeoutMs,
        onOutput: opts.onOutput,
    });
}

/** How to launch any Node.js plugin that announces its gRPC port on stdout (a policy pack, a provider). */
export interface PluginProcessOptions extends Pick<PackProcessOptions, "nodePath" | "env" | "timeoutMs" | "onOutput"> {
    /** What it is, for messages: `policy pack at "<dir>"`. */
    what: string;
    /** Arguments after the node binary (the script first). */
    args: string[];
    /** Working directory of the child. */
    cwd: string;
}

/**
 * Spawns a plugin and resolves once it printed its port. Like the CLI, the first stdout line must be
 * the port (pkg/resource/plugin/plugin.go reads it the same way for analyzers and providers).
 */
export function launchPluginProcess(opts: PluginProcessOptions): Promise<RunningPackProcess> {
    const child = spawn(opts.nodePath, opts.args, {
        cwd: opts.cwd,
        env: opts.env,
        stdio: ["ignore", "pipe", "pipe"],
    });
    trackChildProcess(child);
    const output: PluginOutput = { stderr: new OutputBuffer(), stdout: new OutputBuffer() };
    const running = supervise(child, output, opts);
    return awaitPort(child, running, output, opts);
}

interface PluginOutput {
    stderr: OutputBuffer;
    /** Everything after the port line. */
    stdout: OutputBuffer;
}

/** The handle of a started plugin process: its output so far, its exit, and how to stop it. */
function supervise(child: ChildProcess, output: PluginOutput, opts: PluginProcessOptions): Omit<RunningPackProcess, "port"> {
    let exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const exited = new Promise<void>((resolve) => {
        // 'close' rather than 'exit': it fires after stdio drained, so stderr is complete.
        child.once("close", (code, signal) => {
            exitStatus = { code, signal };
            resolve();
        });
    });
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
        output.stderr.append(chunk);
        opts.onOutput?.("stderr", chunk);
    });
    const hasExited = () => exitStatus !== undefined || child.exitCode !== null || child.signalCode !== null;
    return {
        pid: child.pid ?? -1,
        stderr: () => output.stderr.toString(),
        stdout: () => output.stdout.toString(),
        exitStatus: () => exitStatus,
        exited,
        kill: async (graceMs = 2000) => {
            if (child.pid === undefined) return; // never started, nothing to reap
            if (hasExited()) return exited;
            child.kill("SIGTERM");
            const escalation = setTimeout(() => child.kill("SIGKILL"), graceMs);
            await exited;
            clearTimeout(escalation);
        },
    };
}

/** The port of a port line (`12345`), or undefined for anything else. */
function portOf(line: string): number | undefined {
    const port = /^\d+$/.test(line) ? Number(line) : NaN;
    return Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
}

/**
 * Resolves with the plugin's port once its first stdout line arrived; rejects with a
 * {@link PolicyPackBootError} (its output attached) when the line is not a port, the process ends
 * first, or the start-up limit passes.
 */
function awaitPort(
    child: ChildProcess,
    running: Omit<RunningPackProcess, "port">,
    output: PluginOutput,
    opts: PluginProcessOptions,
): Promise<RunningPackProcess> {
    return new Promise<RunningPackProcess>((resolve, reject) => {
        let settled = false;
        let firstLine = "";
        const fail = (message: string) => {
            if (settled) return;
            settled = true;
            timer.cancel();
            const status = running.exitStatus();
            const stdout = output.stdout.toString() || firstLine;
            const stderr = output.stderr.toString();
            reject(
                new PolicyPackBootError(
                    `${opts.what} failed to start: ${message}` + describeOutput(stderr, stdout),
                    stderr,
                    stdout,
                    status?.code ?? null,
                    status?.signal ?? null,
                    child.pid,
                ),
            );
        };
        // Not starved by a busy event loop: a port line that arrived in time wins (io-safe-timer.ts).
        const timer = ioSafeTimeout(opts.timeoutMs, () => {
            fail(
                `its start-up did not finish within ${formatSeconds(opts.timeoutMs / 1000)} (no port announced within ${opts.timeoutMs} ms)`,
            );
            // The error is already reported; reap the child in the background.
            void running.kill(0);
        });
        const passOn = (text: string) => {
            output.stdout.append(text);
            opts.onOutput?.("stdout", text);
        };
        child.stdout!.setEncoding("utf8");
        child.stdout!.on("data", (chunk: string) => {
            if (settled) return passOn(chunk);
            const newline = chunk.indexOf("\n");
            firstLine += newline < 0 ? chunk : chunk.slice(0, newline);
            if (newline < 0) return;
            if (chunk.length > newline + 1) passOn(chunk.slice(newline + 1));
            const port = portOf(firstLine.trim());
            if (port === undefined) {
                // The CLI fails the same way: a pack must not print before @pulumi/policy's port line.
                void running.kill(0);
                return fail(`it wrote a non-numeric port to stdout ('${firstLine.trim()}')`);
            }
            settled = true;
            timer.cancel();
            resolve({ ...running, port });
        });
        child.once("error", (err) => fail(`could not spawn ${opts.nodePath}: ${err.message}`));
        void running.exited.then(() => {
            const status = running.exitStatus()!;
            fail(status.signal ? `the process was killed by ${status.signal}` : `the process exited with code ${status.code}`);
        });
    });
}

/** Removes terminal colour codes, which Node adds to inspected errors under FORCE_COLOR. */
export function stripAnsi(text: string): string {
    return text.replace(/\u001b\[[0-9;]*m/g, "");
}

function describeOutput(stderr: string, stdout: string): string {
    let text = "";
    if (stderr.trim()) {
        text += `\n--- stderr ---\n${stripAnsi(stderr).trimEnd()}`;
    }
    if (stdout.trim()) {
        text += `\n--- stdout ---\n${stripAnsi(stdout).trimEnd()}`;
    }
    return text || "\n(it wrote nothing to stderr or stdout)";
}
