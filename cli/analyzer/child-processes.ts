/**
 * The child processes this process started (policy packs, a program run), so that none outlives
 * it: they are killed when this process exits, and {@link stopTrackedChildren} stops them on a
 * signal before the CLI exits with 128 + the signal's number.
 */
import type { ChildProcess } from "child_process";

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function hasExited(child: ChildProcess): boolean {
    return child.exitCode !== null || child.signalCode !== null;
}

/** Registers `child` until it exits. Call it right after `spawn`. */
export function trackChildProcess(child: ChildProcess): void {
    live.add(child);
    child.once("exit", () => live.delete(child));
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        // Synchronous by necessity: nothing asynchronous runs in an 'exit' handler.
        process.once("exit", () => {
            for (const c of live) c.kill("SIGKILL");
        });
    }
}

/** Pids of the tracked children that are still running. */
export function trackedChildPids(): number[] {
    return [...live].filter((c) => !hasExited(c) && c.pid !== undefined).map((c) => c.pid!);
}

/**
 * Sends SIGTERM to every tracked child, waits up to `graceMs` for them to exit, then SIGKILLs
 * what is left. Resolves once every child exited (a SIGKILLed child is reaped promptly).
 */
export async function stopTrackedChildren(graceMs = 2000): Promise<void> {
    const children = [...live].filter((c) => !hasExited(c));
    const exited = children.map(
        (c) =>
            new Promise<void>((resolve) => {
                if (hasExited(c)) resolve();
                else c.once("exit", () => resolve());
            }),
    );
    for (const c of children) c.kill("SIGTERM");
    const escalation = setTimeout(() => {
        for (const c of children) if (!hasExited(c)) c.kill("SIGKILL");
    }, graceMs);
    await Promise.all(exited);
    clearTimeout(escalation);
}
