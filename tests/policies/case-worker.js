// Entry of the worker thread that runs timed fuzz cases (case-runner.ts). Plain JavaScript: a worker
// has its own module system, so it registers ts-node (transpile-only, as .mocharc does for the main
// thread) before it loads the TypeScript module of targets. Each message names an exported function of
// that module and its input; the answer goes back on the port, then the shared flag wakes the main
// thread, which waits for it synchronously with a time bound (Atomics.wait).
"use strict";
const { workerData } = require("worker_threads");
require("ts-node/register/transpile-only");

const { port, flag, targetsModule } = workerData;
const signal = new Int32Array(flag);

function answer(message) {
    try {
        port.postMessage(message);
    } catch (error) {
        // A result that cannot be cloned (a function, a class instance with one) is the target's bug.
        port.postMessage({ ok: false, error: `the result cannot be sent back: ${error && error.message}` });
    }
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
}

let targets;
try {
    targets = require(targetsModule);
} catch (error) {
    answer({ ready: false, error: String((error && error.stack) || error) });
}
if (targets) {
    port.on("message", ({ target, input }) => {
        try {
            const fn = targets[target];
            if (typeof fn !== "function") throw new Error(`${targetsModule} exports no function \`${target}\``);
            answer({ ok: true, value: fn(input) });
        } catch (error) {
            answer({ ok: false, error: String((error && error.stack) || error) });
        }
    });
    answer({ ready: true });
}
