/**
 * The fuzz's per-case time bound (issue 16): a case that never returns fails within the budget
 * naming the case, instead of hanging until mocha's timeout, and leaves no worker behind.
 */
import * as assert from "assert";
import * as path from "path";
import { CASE_BUDGET_MS, CaseRunner, shorten } from "./case-runner";

describe("the fuzz's case runner: a per-case bound that catches a case that never returns", function () {
    // Far below mocha's 600 s of the fuzz: a hang would fail here, not wait.
    this.timeout(120_000);
    const runner = new CaseRunner(path.join(__dirname, "hang-targets.ts"), CASE_BUDGET_MS);
    after(() => runner.close());

    it("reuses one worker across cases that return", () => {
        for (let i = 0; i < 5; i++) assert.deepStrictEqual(runner.run("echo", { i }, `echo ${i}`), { i });
        assert.strictEqual(runner.starts, 1);
    });

    it("rethrows what a case throws, naming the case", () => {
        assert.throws(
            () => runner.run("throws", { message: "boom" }, "a throwing case"),
            /a throwing case \(target `throws`.*threw: Error: boom/,
        );
        assert.strictEqual(runner.starts, 1, "a throw does not cost the worker");
    });

    it("fails a case that never returns after the budget, naming it and its shortened input, and terminates its worker", async () => {
        const input = { props: "x".repeat(70_000) };
        const started = Date.now();
        assert.throws(
            () => runner.run("neverReturns", input, "endless-loop-policy on aws:ecs/taskDefinition:TaskDefinition"),
            (error: Error) => {
                assert.match(
                    error.message,
                    new RegExp(`^endless-loop-policy on aws:ecs/taskDefinition:TaskDefinition: did not return within ${CASE_BUDGET_MS} ms`),
                );
                assert.match(error.message, /target `neverReturns`, input \{"props":"xxx.*\.\.\. \(70012 chars\)\)/);
                assert.ok(error.message.length < 400, "the input is shortened, not dumped");
                return true;
            },
        );
        const waited = Date.now() - started;
        assert.ok(waited >= CASE_BUDGET_MS - 50, `failed after ${waited} ms, before the budget`);
        // The stuck worker is gone: its exit settles (terminate() stops even `for (;;) {}`).
        assert.ok(runner.lastKill, "the runner terminated the worker");
        assert.strictEqual(typeof (await runner.lastKill), "number");
        // The next case gets a fresh worker; the one after reuses it.
        assert.deepStrictEqual(runner.run("echo", "after", "echo after the kill"), "after");
        assert.deepStrictEqual(runner.run("echo", "again", "echo again"), "again");
        assert.strictEqual(runner.starts, 2);
    });

    it("shortens inputs to a readable size", () => {
        assert.strictEqual(shorten({ a: 1 }), '{"a":1}');
        assert.match(shorten("y".repeat(500)), /^"y+\.\.\. \(502 chars\)$/);
        assert.ok(shorten("y".repeat(500)).length < 140);
    });
});
