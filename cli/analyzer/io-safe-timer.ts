/**
 * A timeout that a busy event loop cannot turn into a false alarm.
 *
 * When something keeps this process's event loop busy (a program running in-process, a big
 * synchronous step), two things go wrong with a plain `setTimeout` limit on another process:
 * the request may not even have been sent (gRPC writes on later ticks), and an answer that did
 * arrive in time is delivered after the expired timer runs (timers phase before poll phase).
 * So the limit here counts only time in which this process could actually wait:
 * - a heartbeat measures how long the loop was stalled (beats that came late), and a timer that
 *   expires after a stall is re-armed for the stalled time;
 * - an expired timer then lets the loop turn twice (each `setImmediate` runs after a poll phase,
 *   where pending I/O is delivered) before calling `onExpire`, unless `cancel()` came first.
 */

export interface IoSafeTimer {
    /** Stops the timer; `onExpire` will not be called. Safe to call more than once. */
    cancel(): void;
}

const BEAT_MS = 100;
/** A beat later than this counts as a stall (ordinary timer jitter does not). */
const STALL_THRESHOLD_MS = 50;

let stalledMs = 0;
let lastBeat = 0;
let activeTimers = 0;
let heartbeat: NodeJS.Timeout | undefined;

/** Total stall time so far, including a stall in progress that no beat has measured yet. */
function stalledSoFar(): number {
    const pending = Date.now() - lastBeat - BEAT_MS;
    return stalledMs + (pending > STALL_THRESHOLD_MS ? pending : 0);
}

function startHeartbeat(): void {
    if (activeTimers++ > 0) return;
    lastBeat = Date.now();
    heartbeat = setInterval(() => {
        const late = Date.now() - lastBeat - BEAT_MS;
        if (late > STALL_THRESHOLD_MS) stalledMs += late;
        lastBeat = Date.now();
    }, BEAT_MS);
    heartbeat.unref();
}

function stopHeartbeat(): void {
    if (--activeTimers > 0) return;
    clearInterval(heartbeat);
    heartbeat = undefined;
}

/** Calls `onExpire` once `ms` of waiting this process was able to do have passed, and pending I/O was delivered. */
export function ioSafeTimeout(ms: number, onExpire: () => void): IoSafeTimer {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    startHeartbeat();
    const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        stopHeartbeat();
    };
    const arm = (delay: number) => {
        const stalledBefore = stalledSoFar();
        timer = setTimeout(() => {
            const stalled = stalledSoFar() - stalledBefore;
            if (stalled > 0) return arm(stalled);
            setImmediate(() =>
                setImmediate(() => {
                    if (done) return;
                    finish();
                    onExpire();
                }),
            );
        }, delay);
    };
    arm(ms);
    return { cancel: finish };
}
