/**
 * Running the checked program, bounded in time: the one place the check calls the program
 * runner (cli/offline). The program runs in a child process (`runProgramIsolated`): whatever it
 * does — an endless loop, `process.exit`, a promise that never resolves — ends or stops the
 * child, never the check, and the check's event loop stays free for the pack's start-up.
 */
import { ProgramRunError } from "../offline/errors";
import { runProgramIsolated } from "../offline/isolated";
import type { OfflineRun, RunOptions } from "../offline/program-runner";
import { CheckError, RAISE_TIMEOUT_HINT } from "./errors";

/**
 * Runs the program under mocks; rejects with a `CheckError("program", …)` when it fails or does
 * not finish within `timeoutMs` (the child says what it still waits for).
 */
export async function runProgram(options: RunOptions & { timeoutMs: number }): Promise<OfflineRun> {
    try {
        // The child is SIGKILLed when the check exits, however it exits (isolated.ts).
        return await runProgramIsolated(options);
    } catch (e) {
        if (!(e instanceof ProgramRunError)) throw new CheckError("program", (e as Error)?.stack ?? String(e));
        const slow = /did not finish within/.test(e.message);
        throw new CheckError("program", slow ? `${e.message} (${RAISE_TIMEOUT_HINT})` : e.message);
    }
}
