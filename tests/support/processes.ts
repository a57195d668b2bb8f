/**
 * Looking at processes from tests (Linux /proc): is a pid alive, which are its children.
 */
import * as fs from "fs";

/** Whether `pid` exists (a zombie counts as existing until it is reaped). */
export function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ESRCH") return false;
        throw e;
    }
}

/** Child pids of `pid`; empty once it has ended. */
export function childPids(pid: number): number[] {
    try {
        return fs
            .readdirSync(`/proc/${pid}/task`)
            .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
        return [];
    }
}
