/**
 * `wait`: a rollback is a failure (the blind spot of waiting for steady state), success
 * returns at once, a timeout is a stuck deployment. The clock is fake: `sleep` advances it, so
 * nothing here depends on real time.
 */
import * as assert from "node:assert/strict";
import { DescribeServicesCommand, type Service } from "@aws-sdk/client-ecs";
import { AwsReader } from "../../cli/doctor/aws-reader";
import { main } from "../../cli/doctor/main";
import { createProgressDisplay } from "../../cli/doctor/progress";
import { judgeRollout } from "../../cli/doctor/rollout";
import { verifyRollout, RolloutFailedError } from "../../cli/doctor/verify";
import { waitForRollout, type Progress } from "../../cli/doctor/wait";
import { NOW } from "./helpers";
import { mockStory, sdkError } from "./mocks";
import {
    type Story,
    CLUSTER,
    deployment,
    event,
    FAILED_DEPLOYMENT,
    minutesAgo,
    PREVIOUS_DEPLOYMENT,
    ROLLBACK_DEPLOYMENT,
    rollbackStory,
    service,
    SERVICE,
    td,
} from "./stories";

const REF = { cluster: CLUSTER, service: SERVICE };

/** The states of a deployment of web:7 that the circuit breaker rolls back to web:6. */
const states = {
    started: service(
        [
            deployment({
                id: FAILED_DEPLOYMENT,
                taskDefinition: td(7),
                rolloutState: "IN_PROGRESS",
                runningCount: 0,
                pendingCount: 2,
                createdAt: minutesAgo(NOW, 25),
            }),
            deployment({ id: PREVIOUS_DEPLOYMENT, status: "ACTIVE", taskDefinition: td(6), createdAt: minutesAgo(NOW, 300) }),
        ],
        [
            event(
                NOW,
                1,
                `(service web) has started 2 tasks: (task 5f2c8a1b9d7e4f3a2b1c0d9e8f7a6b5c) (task 9b1e7c3d5f2a4b6c8d0e1f3a5b7c9d1e).`,
            ),
        ],
    ),
    failing: service(
        [
            deployment({
                id: FAILED_DEPLOYMENT,
                taskDefinition: td(7),
                rolloutState: "IN_PROGRESS",
                runningCount: 1,
                pendingCount: 1,
                failedTasks: 2,
                createdAt: minutesAgo(NOW, 25),
            }),
            deployment({ id: PREVIOUS_DEPLOYMENT, status: "ACTIVE", taskDefinition: td(6), createdAt: minutesAgo(NOW, 300) }),
        ],
        [event(NOW, 0.5, "(service web) has stopped 1 running tasks: (task 5f2c8a1b9d7e4f3a2b1c0d9e8f7a6b5c).")],
    ),
    rollingBack: service(
        [
            deployment({ id: ROLLBACK_DEPLOYMENT, taskDefinition: td(6), rolloutState: "IN_PROGRESS", runningCount: 0, createdAt: NOW }),
            deployment({
                id: FAILED_DEPLOYMENT,
                status: "ACTIVE",
                taskDefinition: td(7),
                rolloutState: "FAILED",
                rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
                failedTasks: 3,
                createdAt: minutesAgo(NOW, 25),
            }),
        ],
        [event(NOW, 0, `(service web) rolling back to deployment ${PREVIOUS_DEPLOYMENT}.`)],
    ),
    /** After the rollback: one deployment, running = desired — "stable" to a steady-state waiter. */
    settledOnOld: service(
        [deployment({ id: ROLLBACK_DEPLOYMENT, taskDefinition: td(6), createdAt: NOW })],
        [event(NOW, 0, `(service web) rolling back to deployment ${PREVIOUS_DEPLOYMENT}.`)],
    ),
    completed: service(
        [deployment({ id: FAILED_DEPLOYMENT, taskDefinition: td(7), createdAt: minutesAgo(NOW, 25) })],
        [event(NOW, 0, "(service web) has reached a steady state.")],
    ),
};

/** A fake clock: `sleep` moves it forward, so a 15 minute timeout takes no real time. */
function fakeClock() {
    let t = NOW.getTime();
    const sleeps: number[] = [];
    return {
        now: () => new Date(t),
        sleep: async (ms: number) => {
            sleeps.push(ms);
            t += ms;
        },
        sleeps,
    };
}

/** Mocks the rollback story (tasks, logs…) but answers DescribeServices with `sequence`, repeating the last. */
function mockSequence(sequence: (Service | Error)[], patch: (story: Story) => void = () => {}) {
    const story = rollbackStory(NOW);
    patch(story);
    const mocks = mockStory(story);
    let stub = mocks.ecs.on(DescribeServicesCommand);
    for (const s of sequence.slice(0, -1)) stub = s instanceof Error ? stub.rejectsOnce(s) : stub.resolvesOnce({ services: [s] });
    const last = sequence[sequence.length - 1];
    if (last instanceof Error) stub.rejects(last);
    else stub.resolves({ services: [last] });
    return mocks;
}

describe("doctor wait", () => {
    let mocks: ReturnType<typeof mockStory> | undefined;
    afterEach(() => mocks?.restore());

    it("a circuit-breaker rollback is a failure, reported as soon as the deployment is FAILED", async () => {
        mocks = mockSequence([states.started, states.failing, states.rollingBack, states.settledOnOld]);
        const clock = fakeClock();
        const progress: Progress[] = [];
        const result = await waitForRollout(mocks.clients, REF, {
            timeoutMs: 15 * 60_000,
            pollMs: 5_000,
            onProgress: (p) => progress.push(p),
            ...clock,
        });

        assert.equal(result.outcome, "rolled-back");
        assert.equal(result.deployment?.id, FAILED_DEPLOYMENT);
        assert.match(
            result.reason,
            /failed \(ECS deployment circuit breaker: tasks failed to start\.\); ECS rolled back to ecs-svc\/7313962135946478021 \(web:6\)/,
        );
        // Three polls to the outcome (no waiting for the rollback to settle), then one read for the diagnosis.
        assert.deepEqual(clock.sleeps, [5_000, 5_000]);
        assert.equal(mocks.ecs.commandCalls(DescribeServicesCommand).length, 4);
        assert.deepEqual(
            progress.map((p) => p.deployment?.failedTasks),
            [0, 2, 3],
        );
        assert.deepEqual(
            result.diagnosis?.causes.map((c) => c.code),
            ["circuit-breaker-rollback", "container-health-check-failed"],
        );
    });

    it("a rollback to the same task definition (mutable tag, forced redeployment) is a rollback, not a deployment to follow", () => {
        const followed = { id: FAILED_DEPLOYMENT, taskDefinition: td(7) };
        const rolledBackToSame = service(
            [deployment({ id: ROLLBACK_DEPLOYMENT, taskDefinition: td(7), rolloutState: "IN_PROGRESS", runningCount: 0, createdAt: NOW })],
            [event(NOW, 0, `(service web) rolling back to deployment ${PREVIOUS_DEPLOYMENT}.`)],
        );
        assert.equal(judgeRollout(rolledBackToSame, followed).state, "rolled-back");
        // Without a rollback, a newer deployment of the same task definition is followed instead.
        const redeployed = service([deployment({ id: ROLLBACK_DEPLOYMENT, taskDefinition: td(7), createdAt: NOW })], []);
        assert.deepEqual(judgeRollout(redeployed, followed), {
            state: "switch",
            to: { id: ROLLBACK_DEPLOYMENT, taskDefinition: td(7), createdAt: NOW },
        });
    });

    it("rejects a poll interval under 1s (a tight DescribeServices loop): exit 64, and a RangeError from the library", async () => {
        mocks = mockStory(rollbackStory(NOW));
        let stderr = "";
        const code = await main(["wait", "--cluster", CLUSTER, "--service", SERVICE, "--interval", "0s"], {
            stdout: { write: () => true },
            stderr: { write: (t: string) => (stderr += t) },
            clients: () => mocks!.clients,
            ...fakeClock(),
        });
        assert.equal(code, 64);
        assert.match(stderr, /`--interval` must be at least 1s/);
        assert.equal(mocks.ecs.commandCalls(DescribeServicesCommand).length, 0);
        await assert.rejects(waitForRollout(mocks.clients, REF, { timeoutMs: 60_000, pollMs: 0, ...fakeClock() }), RangeError);
    });

    it("a rollback that already settled on the old task definition is still a failure (not 'stable')", async () => {
        // What `aws ecs wait services-stable` sees last: one deployment, running = desired.
        const verdict = judgeRollout(states.settledOnOld, { id: FAILED_DEPLOYMENT, taskDefinition: td(7) });
        assert.equal(verdict.state, "rolled-back");

        mocks = mockSequence([states.started, states.settledOnOld]);
        const result = await waitForRollout(mocks.clients, REF, { timeoutMs: 15 * 60_000, pollMs: 5_000, ...fakeClock() });
        assert.equal(result.outcome, "rolled-back");
        assert.match(result.reason, /was rolled back; the service runs web:6 again/);
    });

    it("started after the rollback finished: the newest deployment is the rollback, so it fails at once", async () => {
        mocks = mockStory(rollbackStory(NOW));
        const clock = fakeClock();
        const result = await waitForRollout(mocks.clients, REF, { timeoutMs: 60_000, pollMs: 5_000, ...clock });
        assert.equal(result.outcome, "rolled-back");
        assert.match(result.reason, /is a rollback/);
        assert.deepEqual(clock.sleeps, []);
        assert.deepEqual(
            result.diagnosis?.causes.map((c) => c.code),
            ["circuit-breaker-rollback", "container-health-check-failed"],
        );
    });

    it("success returns as soon as the deployment is PRIMARY, COMPLETED and running = desired (exit 0)", async () => {
        mocks = mockSequence([states.started, states.failing, states.completed]);
        const clock = fakeClock();
        let stdout = "";
        let stderr = "";
        const code = await main(["wait", "--cluster", CLUSTER, "--service", SERVICE, "--interval", "5s", "--format", "json"], {
            stdout: { write: (t: string) => (stdout += t) },
            stderr: { isTTY: false, write: (t: string) => (stderr += t) },
            clients: () => mocks!.clients,
            ...clock,
        });
        assert.equal(code, 0);
        const result = JSON.parse(stdout);
        assert.equal(result.outcome, "succeeded");
        assert.equal(result.diagnosis, undefined);
        assert.equal(mocks.ecs.commandCalls(DescribeServicesCommand).length, 3);
        // Plain lines off a terminal: one per change, events as their own lines.
        const lines = stderr.trim().split("\n");
        assert.ok(
            lines.includes(
                `${minutesAgo(NOW, 1).toISOString()} event: (service web) has started 2 tasks: (task 5f2c8a1b9d7e4f3a2b1c0d9e8f7a6b5c) (task 9b1e7c3d5f2a4b6c8d0e1f3a5b7c9d1e).`,
            ),
        );
        assert.ok(lines.some((l) => l.startsWith(`${FAILED_DEPLOYMENT} web:7  running 1/2  pending 1  failed 2  IN_PROGRESS`)));
        assert.ok(!stderr.includes("\r"));
    });

    it("exits 1 with the diagnosis when the deployment rolled back (text)", async () => {
        mocks = mockSequence([states.started, states.rollingBack, states.settledOnOld]);
        let stdout = "";
        const code = await main(["wait", "--cluster", CLUSTER, "--service", SERVICE], {
            stdout: { write: (t: string) => (stdout += t) },
            stderr: { write: () => true },
            clients: () => mocks!.clients,
            ...fakeClock(),
        });
        assert.equal(code, 1);
        assert.match(stdout, /^web: deployment ecs-svc\/4470237516214734908 \(web:7\) ROLLED BACK: /);
        assert.match(stdout, /container-health-check-failed/);
    });

    it("a deployment still IN_PROGRESS at the timeout is timed-out with a deployment-stuck cause", async () => {
        // Still failing tasks, but no rollback has happened (no service-deployment record of one).
        mocks = mockSequence([states.failing], (story) => {
            story.serviceDeployments = [];
        });
        const clock = fakeClock();
        const result = await waitForRollout(mocks.clients, REF, { timeoutMs: 60_000, pollMs: 25_000, ...clock });
        assert.equal(result.outcome, "timed-out");
        assert.deepEqual(clock.sleeps, [25_000, 25_000, 10_000]);
        assert.ok(result.diagnosis?.causes.some((c) => c.code === "deployment-stuck"));
        assert.equal(result.diagnosis?.status, "stuck");
        // The diagnosis runs on the wait's clock, not the machine's.
        assert.equal(result.diagnosis?.checkedAt, new Date(NOW.getTime() + 60_000).toISOString());
    });

    it("rides out a throttled poll (the call is retried, then the poll), and gives up (exit 2 path) after repeated ones", async () => {
        const throttled = sdkError("ThrottlingException", "Rate exceeded", 400, 1);
        // One throttled answer: the call's own retry absorbs it.
        mocks = mockSequence([states.started, throttled, states.completed]);
        let clock = fakeClock();
        let aws = new AwsReader(mocks.clients, { now: clock.now, sleep: clock.sleep, random: () => 0.5 });
        const ok = await waitForRollout(aws, REF, { timeoutMs: 60_000, pollMs: 5_000, ...clock });
        assert.equal(ok.outcome, "succeeded");
        assert.equal(aws.stats.byApi["ECS.DescribeServices"], 3);
        assert.equal(aws.stats.retries, 1);
        mocks.restore();

        // Throttled for longer than a call retries: the poll fails, is noted and tried again.
        mocks = mockSequence([states.started, throttled, throttled, states.completed]);
        clock = fakeClock();
        aws = new AwsReader(mocks.clients, { now: clock.now, sleep: clock.sleep, random: () => 0.5, maxAttempts: 1 });
        const noted = await waitForRollout(aws, REF, { timeoutMs: 60_000, pollMs: 5_000, ...clock });
        assert.equal(noted.outcome, "succeeded");
        assert.ok(noted.notes.some((n) => n.includes("a poll failed and was retried: ThrottlingException")));
        mocks.restore();

        mocks = mockSequence([states.started, throttled]);
        clock = fakeClock();
        aws = new AwsReader(mocks.clients, { now: clock.now, sleep: clock.sleep, random: () => 0.5 });
        await assert.rejects(
            waitForRollout(aws, REF, { timeoutMs: 60_000, pollMs: 5_000, maxFailedPolls: 3, ...clock }),
            (err: Error & { reason?: string }) => err.reason === "throttled" && /after 5 attempts/.test(err.message),
        );
        // 1 first read + 3 polls × 5 attempts.
        assert.equal(aws.stats.byApi["ECS.DescribeServices"], 16);
    });

    it("RolloutVerification's check: the expected task definition is not deployed any more", async () => {
        mocks = mockStory(rollbackStory(NOW));
        await assert.rejects(
            verifyRollout(
                { cluster: CLUSTER, serviceName: SERVICE, taskDefinitionArn: td(8), timeout: "1m", pollInterval: "1s" },
                mocks.clients,
            ),
            (err: Error) =>
                err instanceof RolloutFailedError &&
                err.result.outcome === "rolled-back" &&
                /no deployment runs web:8; the PRIMARY deployment ecs-svc\/7313962135946478021 runs web:6/.test(err.message),
        );
        // Following web:7 (FAILED, not PRIMARY) is a rollback too, with the diagnosis in the message.
        await assert.rejects(
            verifyRollout(
                { cluster: CLUSTER, serviceName: SERVICE, taskDefinitionArn: td(7), timeout: "1m", pollInterval: "1s" },
                mocks.clients,
            ),
            (err: Error) =>
                err instanceof RolloutFailedError &&
                err.result.outcome === "rolled-back" &&
                /container-health-check-failed/.test(err.message),
        );
    });

    it("on a terminal, the status line is redrawn in place and events scroll above it", () => {
        const writes: string[] = [];
        const display = createProgressDisplay({ isTTY: true, write: (t: string) => writes.push(t) });
        const followed = { id: FAILED_DEPLOYMENT, taskDefinition: td(7) };
        const base = { service: SERVICE, followed, newEvents: [], elapsedMs: 65_000 };
        display.onProgress({
            ...base,
            deployment: {
                id: FAILED_DEPLOYMENT,
                status: "PRIMARY",
                taskDefinition: td(7),
                desired: 2,
                running: 0,
                pending: 2,
                failedTasks: 0,
                rolloutState: "IN_PROGRESS",
            },
        });
        display.onProgress({
            ...base,
            newEvents: [{ at: NOW.toISOString(), text: "(service web) has started 1 tasks" }],
            primaryId: ROLLBACK_DEPLOYMENT,
        });
        display.done();
        assert.deepEqual(writes, [
            `${FAILED_DEPLOYMENT} web:7  running 0/2  pending 2  failed 0  IN_PROGRESS  1:05`,
            "\r\x1b[2K",
            "12:00:00  (service web) has started 1 tasks\n",
            `${FAILED_DEPLOYMENT} web:7  no longer listed  PRIMARY is ${ROLLBACK_DEPLOYMENT}  1:05`,
            "\n",
        ]);
    });
});
