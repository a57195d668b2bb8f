/**
 * The progress display of `wait`. On a terminal one status line is redrawn in place and new
 * service events scroll above it; elsewhere (CI logs, pipes) every change is a plain line, since
 * carriage returns and escape codes turn a log file into noise.
 */
import { formatProgress } from "./format-text";
import type { ScanProgress } from "./scan";
import type { Progress } from "./wait";

/** Where progress goes: stderr, so stdout stays the result alone (JSON stays parseable). */
export interface ProgressStream {
    readonly isTTY?: boolean;
    write(text: string): unknown;
}

/** Returns an `onProgress` callback for `waitForRollout` and a `done` to end the display. */
export function createProgressDisplay(stream: ProgressStream): { onProgress: (p: Progress) => void; done: () => void } {
    const tty = stream.isTTY === true;
    let last = "";
    let drawn = false;
    return {
        onProgress(p) {
            const line = formatProgress(p);
            // The elapsed clock changes every poll; only the rest decides whether a plain line is new.
            const key = line.replace(/\s+\d+:\d\d$/, "");
            if (tty) {
                if (drawn) stream.write("\r\x1b[2K");
                for (const e of p.newEvents) stream.write(`${e.at?.slice(11, 19) ?? ""}  ${e.text}\n`);
                stream.write(line);
                drawn = true;
                return;
            }
            for (const e of p.newEvents) stream.write(`${e.at ?? ""} event: ${e.text}\n`);
            if (key !== last) stream.write(`${line}\n`);
            last = key;
        },
        done() {
            if (tty && drawn) stream.write("\n");
        },
    };
}

/**
 * The scan's progress: on a terminal one line redrawn in place (`scanned 37/200 services · 3
 * problems · 112 AWS calls`) and cleared at the end; elsewhere nothing (CI logs get the report).
 */
export function createScanProgress(stream: ProgressStream): { onProgress: (p: ScanProgress) => void; done: () => void } {
    const tty = stream.isTTY === true;
    let drawn = false;
    return {
        onProgress(p) {
            if (!tty) return;
            const problems = `${p.problems} problem${p.problems === 1 ? "" : "s"}`;
            stream.write(`\r\x1b[2Kscanned ${p.done}/${p.total} services · ${problems} · ${p.calls} AWS calls`);
            drawn = true;
        },
        done() {
            if (drawn) stream.write("\r\x1b[2K");
            drawn = false;
        },
    };
}
