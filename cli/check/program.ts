/**
 * Running the checked program, bounded in time. The one place the check calls the program
 * runner (cli/offline): the lead's plan moves the run into a child process
 * (`runProgramIsolated`), which replaces the call below.
 */
import { formatSeconds } from "../../components/format-seconds";
import { ioSafeTimeout } from "../analyzer";
import type { OfflineRun, RunOptions } from "../offline/program-runner";
import { CheckError, RAISE_TIMEOUT_HINT } from "./errors";

type ProgramRunner = typeof import("../offline/program-runner");

/**
 * Runs the program under mocks; rejects with a `CheckError("program", …)` when it fails or does
 * not finish within `timeoutMs` (a promise or Output that never resolves, a timer that keeps it
 * busy). In-process, a program stuck in a synchronous loop cannot be interrupted: the child
 * process of `runProgramIsolated` can.
 */
export async function runProgram(options: RunOptions & { timeoutMs: number }): Promise<OfflineRun> {
    const runner: ProgramRunner = require("../offline/program-runner");
    let timer: { cancel(): void } | undefined;
    const expired = new Promise<never>((_, reject) => {
        timer = ioSafeTimeout(options.timeoutMs, () => reject(new CheckError("program",
            `the program did not finish within ${formatSeconds(options.timeoutMs / 1000)}: something it waits for never resolves ` +
            `(a promise, an Output, a data source) or it keeps running (a timer); ${RAISE_TIMEOUT_HINT}.`)));
    });
    try {
        return await Promise.race([runner.runProgramOffline(options), expired]);
    } catch (e) {
        if (e instanceof CheckError) throw e;
        throw new CheckError("program", e instanceof runner.ProgramRunError ? e.message : (e as Error)?.stack ?? String(e));
    } finally {
        timer?.cancel();
    }
}
