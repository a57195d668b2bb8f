/**
 * `AwsCalls`: which errors are retried, how long it backs off (exponential, full jitter), and
 * that the deadline, the per-call timeout and the budget stop a run. The client is a plain
 * object whose `send` plays a script; the clock and the sleeps are fake.
 */
import * as assert from "node:assert/strict";
import { AwsCalls, isRetryable } from "../../cli/doctor/calls";
import { CallBudgetError, CallTimeoutError, DeadlineError, UnexpectedResponseError } from "../../cli/doctor/errors";
import { sdkError } from "./mocks";

const OK = { services: [], failures: [] };

/** A client whose n-th `send` resolves or rejects with `script[n]` (the last entry repeats). */
function scripted(script: (object | Error | "hang")[]) {
    let n = 0;
    return {
        sent: () => n,
        send: (_command: unknown, options?: { abortSignal?: AbortSignal }) => {
            const step = script[Math.min(n++, script.length - 1)];
            if (step === "hang")
                return new Promise((_, reject) => options?.abortSignal?.addEventListener("abort", () => reject(new Error("aborted"))));
            return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
        },
    };
}

function fakeTime(start = 0) {
    let t = start;
    const sleeps: number[] = [];
    return {
        now: () => new Date(t),
        sleep: async (ms: number) => {
            sleeps.push(ms);
            t += ms;
        },
        sleeps,
        advance: (ms: number) => {
            t += ms;
        },
    };
}

const command = () => ({});

describe("doctor calls: retries, backoff, timeouts, budget", () => {
    it("retries throttling with exponential backoff and full jitter (base 500 ms), then succeeds", async () => {
        const time = fakeTime();
        const calls = new AwsCalls({ ...time, random: () => 0.5 });
        const throttled = sdkError("ThrottlingException", "Rate exceeded");
        const client = scripted([throttled, throttled, throttled, OK]);
        assert.deepEqual(await calls.send("ECS.DescribeServices", client, command), OK);
        assert.deepEqual(time.sleeps, [250, 500, 1000]);
        assert.deepEqual(calls.stats, { total: 4, byApi: { "ECS.DescribeServices": 4 }, retries: 3 });
    });

    it("retries 5xx and dropped connections with the shorter base (100 ms); gives up after maxAttempts with the attempts in the error", async () => {
        const time = fakeTime();
        const calls = new AwsCalls({ ...time, random: () => 0.5, maxAttempts: 3 });
        const client = scripted([
            sdkError("InternalFailure", "boom", 503),
            Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", $metadata: {} }),
        ]);
        await assert.rejects(
            calls.send("ECS.ListTasks", client, command),
            (err: any) => err.code === "ECONNRESET" && err.$metadata.attempts === 3,
        );
        assert.deepEqual(time.sleeps, [50, 100]);
    });

    it("does not retry what a retry cannot fix: access denied, a timeout, a malformed answer", () => {
        assert.equal(isRetryable(sdkError("AccessDeniedException", "no")), false);
        assert.equal(isRetryable(new CallTimeoutError("ECS.ListTasks", undefined, 1000)), false);
        assert.equal(isRetryable(new UnexpectedResponseError("ECS.ListTasks", "taskArns is missing")), false);
        assert.equal(isRetryable(sdkError("TooManyRequestsException", "slow down", 429)), true);
    });

    it("an answer of the wrong shape is an UnexpectedResponseError naming the field, and is not retried", async () => {
        const calls = new AwsCalls(fakeTime());
        const client = scripted([{ taskArns: "x" }]);
        await assert.rejects(
            calls.send("ECS.ListTasks", client, command),
            /^UnexpectedResponseError: unexpected response from ECS\.ListTasks: taskArns expected array, received string$/,
        );
        assert.equal(client.sent(), 1);
    });

    it("a call that never answers ends at the per-call timeout", async () => {
        const calls = new AwsCalls({ callTimeoutMs: 20 });
        const client = scripted(["hang"]);
        await assert.rejects(
            calls.send("ECS.DescribeTasks", client, command),
            (err: Error) =>
                err instanceof CallTimeoutError && err.message === "ECS.DescribeTasks did not answer within 20ms (endpoint unknown)",
        );
    });

    it("the deadline: no call starts after it, and no backoff pause outlasts it (the last real error is kept)", async () => {
        const time = fakeTime(1_000);
        const calls = new AwsCalls({ ...time, deadline: new Date(1_600), random: () => 0.99 });
        const throttled = sdkError("ThrottlingException", "Rate exceeded");
        // Pauses would be ~495 ms, then ~990 ms: the second does not fit in what is left.
        await assert.rejects(
            calls.send("ECS.DescribeServices", scripted([throttled]), command),
            (err: Error) => err.name === "ThrottlingException",
        );
        assert.deepEqual(time.sleeps, [495]);
        time.advance(1_000);
        await assert.rejects(calls.send("ECS.DescribeServices", scripted([OK]), command), DeadlineError);
    });

    it("the budget: the call past it is not sent", async () => {
        const calls = new AwsCalls({ ...fakeTime(), maxCalls: 2 });
        const client = scripted([OK]);
        await calls.send("ECS.DescribeServices", client, command);
        await calls.send("ECS.DescribeServices", client, command);
        await assert.rejects(
            calls.send("ECS.DescribeServices", client, command),
            (err: Error) =>
                err instanceof CallBudgetError && /budget of 2 calls is used up, so ECS\.DescribeServices was not called/.test(err.message),
        );
        assert.equal(client.sent(), 2);
    });
});
