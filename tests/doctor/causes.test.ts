/**
 * One case per cause code: the healthy baseline plus the message shapes ECS really produces
 * (docs "ECS deployment failures"), read through mocked SDK clients, diagnosed, and checked
 * for code, verbatim evidence, fix and policy.
 */
import * as assert from "node:assert/strict";
import { causeOf, codes, diagnoseStory, healthyWith, NOW, texts } from "./helpers";
import {
    event,
    FAILED_DEPLOYMENT,
    HEALTHY_DEPLOYMENT,
    minutesAgo,
    rollbackStory,
    stoppedTask,
    TARGET_GROUP,
    taskDefinition,
} from "./stories";

const stopped = (id: string, o: Omit<Parameters<typeof stoppedTask>[2], "startedBy" | "revision" | "minutesAgo">) =>
    stoppedTask(NOW, id, { startedBy: HEALTHY_DEPLOYMENT, revision: 7, minutesAgo: 20, ...o });

describe("doctor causes", () => {
    it("baseline: a healthy service whose old tasks were replaced (Scaling activity) has no cause", async () => {
        const { diagnosis, sent } = await diagnoseStory(healthyWith({}));
        assert.equal(diagnosis.status, "healthy");
        assert.deepEqual(diagnosis.causes, []);
        assert.deepEqual(diagnosis.notes, []);
        // Routine stops are not failures, so their logs are not even read.
        assert.ok(!sent.includes("GetLogEventsCommand"));
    });

    it("circuit-breaker-rollback + container-health-check-failed: the seed's curl-less image", async () => {
        const { diagnosis } = await diagnoseStory(rollbackStory(NOW));
        assert.equal(diagnosis.status, "rolled-back");
        assert.deepEqual(codes(diagnosis), ["circuit-breaker-rollback", "container-health-check-failed"]);

        const rollback = causeOf(diagnosis, "circuit-breaker-rollback");
        assert.match(rollback.message, /deployment ecs-svc\/4470237516214734908 \(web:7\) failed after 3 failed tasks/);
        assert.match(rollback.message, /the service now runs web:6/);
        assert.ok(texts(rollback).includes(`(service web) (deployment ${FAILED_DEPLOYMENT}) deployment failed: tasks failed to start.`));
        assert.ok(texts(rollback).some((t) => t.includes("ROLLBACK_SUCCESSFUL") && t.includes("3/3 failed tasks")));
        assert.equal(rollback.policy, undefined);

        const probe = causeOf(diagnosis, "container-health-check-failed");
        assert.match(probe.message, /3 tasks \(3 of ecs-svc\/4470237516214734908 \(web:7\)\)/);
        assert.equal(probe.policy, "probe-tool-present-in-image");
        assert.match(probe.fix, /`curl`/);
        const task = probe.evidence.find((e) => e.kind === "task")!;
        assert.equal(task.text, "Task failed container health checks");
        assert.equal(task.deploymentId, FAILED_DEPLOYMENT);
        assert.ok(probe.evidence.some((e) => e.kind === "container" && e.text === "health status UNHEALTHY" && e.exitCode === 143));
        assert.ok(
            texts(probe).includes(
                "web:7 web: CMD-SHELL curl -f http://localhost:8080/healthz || exit 1 (interval 30s, timeout 5s, retries 3, startPeriod 10s)",
            ),
        );
        assert.ok(texts(probe).includes(`{"level":"info","msg":"listening on :8080"}`));
    });

    it("container-health-check-failed: the fix follows the program the probe runs, not words in its URL", async () => {
        const story = healthyWith({
            tasks: [stopped("w1", { stoppedReason: "Task failed container health checks", exitCode: 143, health: "UNHEALTHY" })],
        });
        story.taskDefinitions = [
            taskDefinition(6),
            taskDefinition(7, ["CMD-SHELL", "wget -qO- http://localhost:8080/curl-free/health || exit 1"]),
        ];
        const probe = causeOf((await diagnoseStory(story)).diagnosis, "container-health-check-failed");
        assert.match(probe.fix, /The probe runs `wget`/);
        assert.equal(probe.policy, "probe-tool-present-in-image");
        // The evidence still shows the command verbatim.
        assert.ok(
            texts(probe).includes(
                "web:7 web: CMD-SHELL wget -qO- http://localhost:8080/curl-free/health || exit 1 (interval 30s, timeout 5s, retries 3, startPeriod 10s)",
            ),
        );
    });

    it("elb-health-check-failed with 503s points at a deep probe (liveness-probe-shallow)", async () => {
        const { diagnosis } = await diagnoseStory(
            healthyWith({
                tasks: [stopped("e1", { stoppedReason: `Task failed ELB health checks in (target-group ${TARGET_GROUP})` })],
                events: [
                    event(
                        NOW,
                        21,
                        `(service web) (port 8080) is unhealthy in (target-group ${TARGET_GROUP}) due to (reason Health checks failed with these codes: [503]).`,
                    ),
                ],
            }),
        );
        const elb = causeOf(diagnosis, "elb-health-check-failed");
        assert.deepEqual(codes(diagnosis), ["elb-health-check-failed"]);
        assert.equal(elb.policy, "liveness-probe-shallow");
        assert.ok(texts(elb).includes(`Task failed ELB health checks in (target-group ${TARGET_GROUP})`));
        assert.equal(diagnosis.status, "unhealthy");
    });

    it("elb-health-check-failed from target health 404 points at the probe path (probe-paths-aligned)", async () => {
        const story = healthyWith({});
        story.targetHealth = {
            [TARGET_GROUP]: [
                {
                    Target: { Id: "10.0.1.23", Port: 8080 },
                    HealthCheckPort: "8080",
                    TargetHealth: {
                        State: "unhealthy",
                        Reason: "Target.ResponseCodeMismatch",
                        Description: "Health checks failed with these codes: [404]",
                    },
                },
            ],
        };
        const elb = causeOf((await diagnoseStory(story)).diagnosis, "elb-health-check-failed");
        assert.equal(elb.policy, "probe-paths-aligned");
        assert.deepEqual(texts(elb), [
            "target 10.0.1.23:8080 unhealthy in web-tg: Target.ResponseCodeMismatch: Health checks failed with these codes: [404]",
        ]);
    });

    it("elb-health-check-failed with timeouts points at the grace period", async () => {
        const { diagnosis } = await diagnoseStory(
            healthyWith({
                events: [
                    event(
                        NOW,
                        21,
                        `(service web) (port 8080) is unhealthy in (target-group ${TARGET_GROUP}) due to (reason Request timed out).`,
                    ),
                ],
            }),
        );
        assert.equal(causeOf(diagnosis, "elb-health-check-failed").policy, "grace-period-covers-startup");
    });

    it("secrets-unavailable: execution role denied, with the task definition's secrets as evidence", async () => {
        const reason =
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: " +
            "unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: User: " +
            "arn:aws:sts::123456789012:assumed-role/web-execution/8f2c is not authorized to perform: secretsmanager:GetSecretValue " +
            "on resource: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/web/db-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action";
        const { diagnosis } = await diagnoseStory(
            healthyWith({ tasks: [stopped("s1", { stoppedReason: reason, stopCode: "TaskFailedToStart" })] }),
        );
        const cause = causeOf(diagnosis, "secrets-unavailable");
        assert.equal(cause.policy, "execution-role-can-read-secrets");
        assert.match(cause.fix, /execution role/);
        assert.ok(cause.evidence.some((e) => e.kind === "task" && e.text === reason && e.stopCode === "TaskFailedToStart"));
        assert.ok(
            texts(cause).some((t) =>
                t.includes("web.DATABASE_URL ← arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/web/db-AbCdEf"),
            ),
        );
    });

    it("secrets-unavailable: a missing SSM parameter is a naming fix, not a permission policy", async () => {
        const reason =
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: " +
            "unable to retrieve secrets from ssm: service call has been retried 1 time(s): InvalidParameters: ssm parameter names: /prod/web/redis-url";
        const cause = causeOf(
            (await diagnoseStory(healthyWith({ tasks: [stopped("s2", { stoppedReason: reason, stopCode: "TaskFailedToStart" })] })))
                .diagnosis,
            "secrets-unavailable",
        );
        assert.equal(cause.policy, undefined);
        assert.match(cause.fix, /does not exist/);
    });

    it("image-pull-failed: a tag that does not exist", async () => {
        const reason =
            "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " +
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.9.0: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.9.0: not found";
        const { diagnosis } = await diagnoseStory(
            healthyWith({ tasks: [stopped("p1", { stoppedReason: reason, stopCode: "TaskFailedToStart" })] }),
        );
        assert.deepEqual(codes(diagnosis), ["image-pull-failed"]);
        assert.match(causeOf(diagnosis, "image-pull-failed").fix, /tag does not exist/);
    });

    it("essential-container-exited: exit 1 with the app's last words naming a scheme-less Redis URL", async () => {
        const { diagnosis, sent } = await diagnoseStory(
            healthyWith({
                tasks: [
                    stopped("x1", {
                        stoppedReason: "Essential container in task exited",
                        stopCode: "EssentialContainerExited",
                        exitCode: 1,
                    }),
                ],
                logs: {
                    "/ecs/web|ecs/web/x1": [
                        "Booting web 1.7.0",
                        "TypeError: Invalid protocol",
                        "    at new RedisClient (/app/node_modules/@redis/client/dist/lib/client/index.js:212:19)",
                    ],
                },
            }),
        );
        const cause = causeOf(diagnosis, "essential-container-exited");
        assert.equal(cause.policy, "redis-url-has-scheme");
        assert.ok(cause.evidence.some((e) => e.kind === "container" && e.exitCode === 1 && e.text === "exited with code 1"));
        assert.ok(cause.evidence.some((e) => e.kind === "log" && e.text === "TypeError: Invalid protocol" && e.container === "web"));
        assert.ok(sent.includes("GetLogEventsCommand"));
    });

    it("out-of-memory wins over the generic essential-container-exited of the same task", async () => {
        const { diagnosis } = await diagnoseStory(
            healthyWith({
                tasks: [
                    stopped("m1", {
                        stoppedReason: "Essential container in task exited",
                        stopCode: "EssentialContainerExited",
                        exitCode: 137,
                        containerReason: "OutOfMemoryError: Container killed due to memory usage",
                    }),
                ],
            }),
        );
        assert.deepEqual(codes(diagnosis), ["out-of-memory"]);
        const evidence = causeOf(diagnosis, "out-of-memory").evidence.find((e) => e.kind === "container")!;
        assert.equal(evidence.exitCode, 137);
        assert.equal(evidence.text, "OutOfMemoryError: Container killed due to memory usage");
    });

    it("deployment-stuck: IN_PROGRESS for 45 minutes with ECS backing off", async () => {
        const { diagnosis } = await diagnoseStory(
            healthyWith({
                primary: {
                    rolloutState: "IN_PROGRESS",
                    rolloutStateReason: "ECS deployment ecs-svc/2741928374650192837 in progress.",
                    createdAt: minutesAgo(NOW, 45),
                    runningCount: 1,
                },
                events: [
                    event(
                        NOW,
                        5,
                        "(service web) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
                    ),
                ],
            }),
        );
        assert.equal(diagnosis.status, "stuck");
        const stuck = causeOf(diagnosis, "deployment-stuck");
        assert.equal(stuck.policy, "deployment-circuit-breaker-rollback");
        assert.ok(texts(stuck).some((t) => /has been IN_PROGRESS for 45 min: running 1\/2/.test(t)));
    });

    it("deployment-stuck is not reported for a young deployment", async () => {
        const { diagnosis } = await diagnoseStory(
            healthyWith({ primary: { rolloutState: "IN_PROGRESS", createdAt: minutesAgo(NOW, 5), runningCount: 1 } }),
        );
        assert.equal(diagnosis.status, "in-progress");
        assert.deepEqual(diagnosis.causes, []);
    });

    it("task-placement-failed: the task quota", async () => {
        const text =
            "(service web) was unable to place a task. Reason: You've reached the limit on the number of tasks you can run concurrently. For more information, see the Troubleshooting section.";
        const { diagnosis } = await diagnoseStory(healthyWith({ events: [event(NOW, 3, text)] }));
        assert.deepEqual(codes(diagnosis), ["task-placement-failed"]);
        assert.deepEqual(texts(causeOf(diagnosis, "task-placement-failed")), [text]);
    });

    it("task-placement-failed: an invalid Fargate size names fargate-task-size-valid", async () => {
        const text =
            "(service web) failed to launch a task with (error ClientException: No Fargate configuration exists for given values: 512 CPU, 8192 memory.)";
        const cause = causeOf((await diagnoseStory(healthyWith({ events: [event(NOW, 3, text)] }))).diagnosis, "task-placement-failed");
        assert.equal(cause.policy, "fargate-task-size-valid");
    });

    it("unknown stop reasons and events are kept verbatim, never dropped", async () => {
        const { diagnosis } = await diagnoseStory(
            healthyWith({
                tasks: [
                    stopped("u1", {
                        stoppedReason: "Task stopped because the widget frobnicator is unavailable",
                        stopCode: "TaskFailedToStart",
                    }),
                    stopped("u2", { stoppedReason: "Your Spot Task was interrupted.", stopCode: "SpotInterruption", exitCode: 3 }),
                ],
                events: [event(NOW, 2, "(service web) failed to frobnicate the widget.")],
            }),
        );
        const unknown = causeOf(diagnosis, "unrecognized-failure");
        assert.ok(texts(unknown).includes("Task stopped because the widget frobnicator is unavailable"));
        assert.ok(texts(unknown).includes("(service web) failed to frobnicate the widget."));
        // With a crashed container, an unknown reason is an exited container, still verbatim.
        const exited = causeOf(diagnosis, "essential-container-exited");
        assert.ok(texts(exited).includes("Your Spot Task was interrupted."));
    });

    it("a repeated event is folded into one piece of evidence with a count", async () => {
        const text = `(service web) (port 8080) is unhealthy in (target-group ${TARGET_GROUP}) due to (reason Health checks failed with these codes: [503]).`;
        const { diagnosis } = await diagnoseStory(
            healthyWith({ events: [event(NOW, 3, text), event(NOW, 8, text), event(NOW, 13, text)] }),
        );
        const evidence = causeOf(diagnosis, "elb-health-check-failed").evidence;
        assert.equal(evidence.length, 1);
        assert.equal(evidence[0].repeated, 3);
    });

    it("failures from before a settled, newer deployment are history, not causes", async () => {
        const old = stoppedTask(NOW, "old1", {
            startedBy: "ecs-svc/1869548734021546632",
            revision: 6,
            minutesAgo: 50,
            stoppedReason: "Task failed container health checks",
        });
        const { diagnosis } = await diagnoseStory(healthyWith({ tasks: [old] }));
        assert.equal(diagnosis.status, "healthy");
        assert.equal(diagnosis.since, minutesAgo(NOW, 40).toISOString());
    });
});
