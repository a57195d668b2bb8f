/**
 * Runs fuzz cases with a hard time bound (issue 16): a case that never returns (a catastrophic
 * regex, an endless loop) fails in seconds naming the function and its input, instead of hanging
 * the suite until mocha's timeout. A `performance.now()` around a synchronous call cannot do that:
 * it only measures a call that returns.
 *
 * The cases run in ONE worker thread, reused from case to case (loading the pack takes seconds; a
 * case takes milliseconds). The main thread posts a case and blocks on a shared flag with
 * `Atomics.wait(…, budget)`, so `run` stays synchronous (fast-check properties need no change);
 * when the bound passes, the worker is terminated (V8 stops even a `while (true) {}`) and the next
 * case starts a fresh one. Workers are `unref`ed: one stuck by a bug never keeps the process alive.
 */
import * as assert from "assert";
import * as path from "path";
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from "worker_threads";

/**
 * Per-case bound of the fuzz. A normal case takes well under 50 ms; a loaded 2-core machine (7
 * engineers, GC pauses) can stretch that several-fold, never to seconds. A catastrophic regex or a
 * quadratic loop over a 64 KiB value takes seconds to minutes, or never returns: 2 s catches those
 * and stays clear of load noise (it bounds one case, not the suite).
 */
export const CASE_BUDGET_MS = 2000;

/** How long a fresh worker may take to load the targets (ts-node compiling the pack on a loaded machine). */
const STARTUP_BOUND_MS = 180_000;

interface Live {
    worker: Worker;
    port: MessagePort;
    signal: Int32Array;
    exited: Promise<number>;
}

/** `value` as JSON (or its type), cut to `max` characters: enough to find the case, never a 64 KiB dump. */
export function shorten(value: unknown, max = 120): string {
    let text: string;
    try {
        text = JSON.stringify(value) ?? String(value);
    } catch {
        text = `a ${typeof value}`;
    }
    return text.length > max ? `${text.slice(0, max - 3)}... (${text.length} chars)` : text;
}

export class CaseRunner {
    private live?: Live;
    /** Workers started so far (one per kill plus the first): the test of the runner reads it. */
    starts = 0;
    /** The exit of the last worker terminated for a case over the bound: resolves with its exit code. */
    lastKill?: Promise<number>;

    /**
     * @param targetsModule absolute path of a TypeScript module whose exported functions are the cases' targets
     * @param budgetMs how long one case may take, in ms
     */
    constructor(
        private readonly targetsModule: string,
        readonly budgetMs: number,
    ) {}

    /**
     * Runs `target(input)` in the worker and returns its result; fails naming `label`, the target and
     * the (shortened) input when it does not return within the budget, and rethrows what it throws.
     */
    run<T>(target: string, input: unknown, label: string): T {
        const live = this.live ?? this.start();
        Atomics.store(live.signal, 0, 0);
        live.port.postMessage({ target, input });
        if (Atomics.wait(live.signal, 0, 0, this.budgetMs) === "timed-out") {
            this.kill();
            assert.fail(
                `${label}: did not return within ${this.budgetMs} ms — a pathological regex or an endless loop ` +
                    `(target \`${target}\`, input ${shorten(input)}); its worker was terminated`,
            );
        }
        const answer = this.receive(live) as { ok: boolean; value?: T; error?: string };
        if (!answer.ok) throw new Error(`${label} (target \`${target}\`, input ${shorten(input)}) threw: ${answer.error}`);
        return answer.value as T;
    }

    /** Terminates the worker, if any; resolves once it has exited. */
    async close(): Promise<void> {
        const live = this.live;
        this.live = undefined;
        if (live) {
            await live.worker.terminate();
            live.port.close();
        }
    }

    private start(): Live {
        const { port1, port2 } = new MessageChannel();
        const flag = new SharedArrayBuffer(4);
        const worker = new Worker(path.join(__dirname, "case-worker.js"), {
            workerData: { port: port2, flag, targetsModule: this.targetsModule },
            transferList: [port2],
        });
        worker.unref();
        const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
        const live: Live = { worker, port: port1, signal: new Int32Array(flag), exited };
        this.starts++;
        if (Atomics.wait(live.signal, 0, 0, STARTUP_BOUND_MS) === "timed-out") {
            void worker.terminate();
            assert.fail(`the case worker did not load ${this.targetsModule} within ${STARTUP_BOUND_MS} ms`);
        }
        const ready = this.receive(live) as { ready: boolean; error?: string };
        if (!ready.ready) {
            void worker.terminate();
            assert.fail(`the case worker could not load ${this.targetsModule}: ${ready.error}`);
        }
        this.live = live;
        return live;
    }

    private kill(): void {
        const live = this.live;
        this.live = undefined;
        if (!live) return;
        // terminate() stops the thread's JavaScript at once, wherever it is; the promise settles on exit.
        void live.worker.terminate();
        live.port.close();
        this.lastKill = live.exited;
    }

    /** The answer the worker posted before raising the flag (the port delivers it in order). */
    private receive(live: Live): unknown {
        for (let i = 0; i < 1000; i++) {
            const got = receiveMessageOnPort(live.port);
            if (got) return got.message;
            Atomics.wait(live.signal, 0, 1, 1); // not there yet: wait a millisecond (flag stays 1)
        }
        return assert.fail("the case worker raised its flag without an answer");
    }
}
