/**
 * The child process's side of {@link runProgramIsolated}: runs one program with
 * {@link runProgramOffline} and reports exactly one message on file descriptor 3 (never on stdout,
 * which is the program's): the run, its failure, a timeout naming what is still pending, or that
 * the process ended early (`process.exit` called by the program, or nothing left to wait for).
 * Writes are synchronous, so a message is complete even when the process exits right after.
 */
import * as fs from "fs";
import { runProgramOffline } from "./program-runner";
import type { ChildOptions } from "./isolated";
import { registeredLine, writeChildMessage } from "./run-channel";
import type { ChildMessage } from "./run-channel";

const RESULT_FD = 3;
let sent = false;
/** Resources already sent as they registered (run-channel.ts). */
let registered = 0;
let pending: () => string[] = () => [];

function send(message: ChildMessage): void {
    if (sent) return;
    sent = true;
    // Line by line (run-channel.ts): a large run is never one string, nor one Buffer.
    writeChildMessage(
        message,
        (text) => {
            writeAll(text);
        },
        registered,
    );
}

/** `fs.writeSync` may write part of a large buffer to a pipe: write the rest until all is written. */
function writeAll(text: string): void {
    const buffer = Buffer.from(text);
    for (let written = 0; written < buffer.length;) written += fs.writeSync(RESULT_FD, buffer, written);
}

const options: ChildOptions = JSON.parse(process.argv[2]);
const realExit = process.exit.bind(process);
let exitCalledWith: number | undefined;
process.exit = ((code?: number) => {
    exitCalledWith = Number(code ?? process.exitCode ?? 0);
    return realExit(code);
}) as typeof process.exit;
process.on("exit", (code) => send({ kind: "exited", code, calledByProgram: exitCalledWith !== undefined, pending: pending() }));

// The bound starts once the SDK is loaded and the mocks are installed, when the program starts;
// the parent bounds the start-up itself (see isolated.ts).
function startTimer(): void {
    setTimeout(() => {
        send({ kind: "timeout", pending: pending() });
        realExit(0);
    }, options.timeoutMs).unref();
}

runProgramOffline({
    ...options,
    onStart: (probe) => {
        pending = probe;
        startTimer();
    },
    // Each resource goes as it registers, so the check can analyze it while the program runs.
    onResource: (resource) => {
        if (sent) return;
        writeAll(registeredLine(resource));
        registered++;
    },
}).then(
    (run) => {
        send({ kind: "result", run });
        realExit(0);
    },
    (e: Error) => {
        send({ kind: "error", message: e?.name === "ProgramRunError" ? e.message : `The program failed: ${e?.message ?? String(e)}` });
        realExit(0);
    },
);
