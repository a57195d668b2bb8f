/**
 * Running the checked program, bounded in time. The one place the check calls the program
 * runner (cli/offline): the lead's plan moves the run into a child process
 * (`runProgramIsolated`), which replaces the call below.
 */
import { formatSeconds } from "../../components/format-seconds";
import { ioSafeTimeout } from "../analyzer";
import { ProgramRunError, runProgramOffline } from "../offline/program-runner";
import type { OfflineRun, RunOptions } from "../offline/program-runner";
import { CheckError, RAISE_TIMEOUT_HINT } from "./errors";

/**
 * Runs the program under mocks; rejects with a `CheckError("program", …)` when it fails or does
 * not finish within `timeoutMs` (a promise or Output that never resolves, a timer that keeps it
 * busy). In-process, a program stuck in a synchronous loop cannot be interrupted: the child
 * process of `runProgramIsolated` can.
 */
export async function runProgram(options: RunOptions & { timeoutMs: number }): Promise<OfflineRun> {
    let timer: { cancel(): void } | undefined;
    const expired = new Promise<never>((_, reject) => {
        timer = ioSafeTimeout(options.timeoutMs, () => reject(new CheckError("program",
            `the program did not finish within ${formatSeconds(options.timeoutMs / 1000)}: something it waits for never resolves ` +
            `(a promise, an Output, a data source) or it keeps running (a timer); ${RAISE_TIMEOUT_HINT}.`)));
    });
    try {
        return await Promise.race([runProgramOffline(options), expired]);
    } catch (e) {
        if (e instanceof CheckError) throw e;
        throw new CheckError("program", e instanceof ProgramRunError ? e.message : (e as Error)?.stack ?? String(e));
    } finally {
        timer?.cancel();
    }
}
