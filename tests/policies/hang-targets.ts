/**
 * Test-only targets for the case runner's own test (case-runner.test.ts): a function that returns,
 * one that throws, and one that never returns, run through the same worker as the fuzz cases.
 */

/** Returns its input: the worker answers and stays alive. */
export function echo(input: unknown): unknown {
    return input;
}

/** Throws: the runner rethrows it naming the case. */
export function throws(input: { message: string }): never {
    throw new Error(input.message);
}

/** Never returns (what a catastrophic regex or an endless loop does): the runner must terminate it. */
export function neverReturns(_input: unknown): void {
    for (;;) {
        // spin: no await, no I/O, nothing the event loop could interrupt
    }
}
