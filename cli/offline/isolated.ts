/**
 * Runs a program in a child Node.js process (`child.ts`), so that nothing the program does can
 * hang or mis-exit the check: `process.exit(0|1)`, an unhandled rejection, a never-resolving
 * promise or an endless loop end the child, not the check; the program loads its own
 * `@pulumi/pulumi` in a fresh process; its console and `pulumi.log` output (the child's stdout and
 * stderr) go to {@link IsolatedRunOptions.onOutput} — the check's stderr — never to the check's
 * stdout; and the check's event loop stays free (for the policy pack's start-up timer).
 */
import { spawn } from "child_process";
import * as path from "path";
import { compileCacheEnv } from "../analyzer/compile-cache";
import { ProgramRunError } from "./errors";
import { CHECK_ROOT } from "./program-runner";
import { prepareProgram } from "./prepare";
import type { OfflineRun, RunOptions } from "./program-runner";
import { createChannelReader } from "./run-channel";
import type { ChildMessage } from "./run-channel";

/** Default bound of a program run: generous (a large program takes seconds) but finite. */
export const DEFAULT_PROGRAM_TIMEOUT_MS = 300_000;
/**
 * The child's own timer starts when the program starts and reports what it still waits for. The
 * parent kills the child after the timeout plus this grace: a child whose event loop never frees
 * (an endless synchronous loop) or whose start-up (loading the SDK on a loaded machine) hangs.
 */
const KILL_GRACE_MS = 60_000;

export interface IsolatedRunOptions extends Omit<RunOptions, "onStart"> {
    /** The run fails (exit 2) when the program has not finished after this long. */
    timeoutMs: number;
    /** The program's own output (stdout and stderr); default: the check's stderr. */
    onOutput?(text: string): void;
}

export type ChildOptions = Omit<IsolatedRunOptions, "onOutput" | "onResource">;

export type { ChildMessage } from "./run-channel";

function waitingFor(pending: string[]): string {
    if (!pending.length) return "nothing Pulumi knows of (a promise, timer or Output of the program's own that never settles)";
    return pending.length > 10 ? `${pending.slice(0, 10).join(", ")} and ${pending.length - 10} more` : pending.join(", ");
}

/** What V8 prints when a heap reaches its limit ("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"). */
const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit/;

const OUT_OF_MEMORY_MESSAGE =
    "The program's process ran out of memory (V8's heap limit): the run keeps every resource the program registers until it ends, " +
    "as `pulumi preview` does (about 100 KB per resource). Raise the limit for the program's process with " +
    "NODE_OPTIONS=--max-old-space-size=<MB> (e.g. 8192), which the check passes on to it.";

/** How much of the child's stderr is kept for {@link failureOf}: enough for V8's fatal-error lines. */
const STDERR_TAIL_CHARS = 8 * 1024;

/** The ProgramRunError message for a child that reported no run (see {@link ChildMessage}). */
export function failureOf(
    message: ChildMessage | undefined,
    timeoutMs: number,
    exit: { code: number | null; signal: string | null; stderrTail?: string },
): string {
    const seconds = Math.round(timeoutMs / 1000);
    switch (message?.kind) {
        case "error":
            return message.message;
        case "timeout":
            return `The program did not finish within ${seconds} s — still waiting for: ${waitingFor(message.pending)}.`;
        case "exited":
            return message.calledByProgram
                ? `The program called process.exit(${message.code}) before it finished: a Pulumi program must not exit the process (the check cannot tell what it would have registered).`
                : `The program ended before it finished (exit code ${message.code}): it was still waiting for ${waitingFor(message.pending)}.`;
        default:
            if (OUT_OF_MEMORY.test(exit.stderrTail ?? "")) return OUT_OF_MEMORY_MESSAGE;
            return exit.signal === "SIGKILL"
                ? `The program did not finish within ${seconds} s and did not respond (an endless loop that never yields?); it was stopped.`
                : `The program's process ended unexpectedly (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`}) without reporting a result.`;
    }
}

/** Runs the program in a child process; rejects with ProgramRunError (message = the text after `error: program: `). */
export function runProgramIsolated(options: IsolatedRunOptions): Promise<OfflineRun> {
    // Everything that can be refused before the program runs is refused here, before a process starts.
    try {
        prepareProgram(options);
    } catch (e) {
        return Promise.reject(e);
    }
    const { onOutput, onResource, ...rest } = options;
    const childOptions: ChildOptions = {
        ...rest,
        programDir: path.resolve(options.programDir),
        displayDir: options.displayDir ?? process.cwd(),
    };
    const output =
        onOutput ??
        ((text: string) => {
            process.stderr.write(text);
        });
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(__dirname, "child-bootstrap.js"), JSON.stringify(childOptions)], {
            cwd: CHECK_ROOT,
            // A cache of its own: it runs under another V8 flag than the pack (compile-cache.ts).
            env: { ...process.env, ...compileCacheEnv(process.env, "program") },
            stdio: ["ignore", "pipe", "pipe", "pipe"],
        });
        const channel = createChannelReader(onResource);
        child.stdout!.setEncoding("utf8").on("data", output);
        let stderrTail = "";
        child.stderr!.setEncoding("utf8").on("data", (text: string) => {
            stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS);
            output(text);
        });
        (child.stdio[3] as NodeJS.ReadableStream).setEncoding("utf8").on("data", (d: string) => {
            channel.push(d);
        });
        const killer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs + KILL_GRACE_MS);
        // The child never outlives the check (e.g. one that exits on SIGINT/SIGTERM while the program runs).
        const killChild = () => {
            child.kill("SIGKILL");
        };
        process.once("exit", killChild);
        child.on("error", (e) => {
            clearTimeout(killer);
            process.off("exit", killChild);
            reject(new ProgramRunError(`Could not start the program's process: ${e.message}`));
        });
        child.on("close", (code, signal) => {
            clearTimeout(killer);
            process.off("exit", killChild);
            // A broken or incomplete channel is reported below as an unexpected end.
            const message = channel.message();
            if (message?.kind === "result") resolve(message.run);
            else reject(new ProgramRunError(failureOf(message, options.timeoutMs, { code, signal, stderrTail })));
        });
    });
}
