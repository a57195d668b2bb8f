/**
 * The catalogue as data: every entry has a realistic example that it (and no earlier entry)
 * matches, so an entry shadowed by a broader one above it, or added without an example, fails.
 * Plus the small pure helpers: durations and rollback recognition.
 */
import * as assert from "node:assert/strict";
import { CATALOGUE, CAUSES, classify, isRoutineStop } from "../../cli/doctor/catalogue";
import { summarizeHealthCheck } from "../../cli/doctor/diagnose";
import { parseDuration } from "../../cli/doctor/duration";
import { isRollbackDeployment } from "../../cli/doctor/rollout";
import { CAUSE_CODES, type ObservationKind } from "../../cli/doctor/types";

const TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";

/** Entry id → where the text comes from and a message of that shape. */
const EXAMPLES: Record<string, [ObservationKind, string]> = {
    "scaling-activity": ["task", "Scaling activity initiated by (deployment ecs-svc/2741928374650192837)"],
    "stopped-by-user": ["task", "Task stopped by user"],
    "breaker-deployment-failed": [
        "event",
        "(service web) (deployment ecs-svc/4470237516214734908) deployment failed: tasks failed to start.",
    ],
    "breaker-rolling-back": ["event", "(service web) rolling back to deployment ecs-svc/1869548734021546632."],
    "breaker-rollout-reason": ["deployment", "ECS deployment circuit breaker: tasks failed to start."],
    "deployment-config-no-room": [
        "event",
        "(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.",
    ],
    "start-backoff": [
        "event",
        "(service web) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
    ],
    "rollout-stalled": ["deployment", "ecs-svc/1 (web:7) has been IN_PROGRESS for 45 min: running 1/2, pending 1, failed tasks 0"],
    // `health-check` texts are what `summarizeHealthCheck` makes of a probe (see below).
    "probe-uses-curl": ["health-check", "CMD-SHELL curl (interval 30s, timeout 5s, retries 3, startPeriod 10s)"],
    "probe-uses-wget": ["health-check", "CMD wget (interval 30s, timeout 5s, retries 3, startPeriod 10s)"],
    "probe-needs-shell": ["health-check", "CMD-SHELL healthcheck (interval 30s, timeout 5s, retries 3, startPeriod 10s)"],
    "probe-no-start-period": ["health-check", "CMD node (interval 30s, timeout 5s, retries 3, startPeriod 0s)"],
    "container-health-stop": ["task", "Task failed container health checks"],
    "container-unhealthy": ["container", "health status UNHEALTHY"],
    "elb-404": [
        "event",
        `(service web) (port 8080) is unhealthy in (target-group ${TG}) due to (reason Health checks failed with these codes: [404]).`,
    ],
    "elb-5xx": [
        "event",
        `(service web) (port 8080) is unhealthy in (target-group ${TG}) due to (reason Health checks failed with these codes: [503]).`,
    ],
    "elb-timeout": ["event", `(service web) (port 8080) is unhealthy in (target-group ${TG}) due to (reason Request timed out).`],
    "elb-stop": ["task", `Task failed ELB health checks in (target-group ${TG})`],
    "elb-unhealthy-event": [
        "event",
        `(service web) (port 8080) is unhealthy in (target-group ${TG}) due to (reason Health checks failed).`,
    ],
    "elb-target": ["target", "Target.FailedHealthChecks: Health checks failed"],
    "ecr-auth": [
        "task",
        'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.eu-west-1.amazonaws.com/": dial tcp 52.94.1.1:443: i/o timeout',
    ],
    "secrets-denied": [
        "task",
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/web-execution/x is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:eu-west-1:123456789012:parameter/prod/web/redis-url",
    ],
    "secrets-missing": [
        "task",
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    ],
    "secrets-network": [
        "task",
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/web/db from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded",
    ],
    secrets: ["task", "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed"],
    "pull-not-found": [
        "task",
        "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/web:1.9.0: docker.io/library/web:1.9.0: not found",
    ],
    "pull-denied": [
        "task",
        "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.9.0: unexpected status from HEAD request: 403 Forbidden",
    ],
    "pull-timeout": [
        "task",
        'CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://prod-eu-west-1-starport-layer-bucket.s3.eu-west-1.amazonaws.com/…": dial tcp 52.218.1.1:443: i/o timeout',
    ],
    pull: ["task", "CannotPullContainerError: Error response from daemon: toomanyrequests: You have reached your pull rate limit."],
    "oom-killed": ["container", "OutOfMemoryError: Container killed due to memory usage"],
    "fargate-size": [
        "event",
        "(service web) failed to launch a task with (error ClientException: No Fargate configuration exists for given values: 512 CPU, 8192 memory.)",
    ],
    "exec-format": [
        "container",
        'CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/server": exec format error',
    ],
    placement: [
        "task",
        "CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed",
    ],
    "redis-url-scheme": [
        "log",
        "redis.exceptions.ValueError: Redis URL must specify one of the following schemes (redis://, rediss://, unix://)",
    ],
    "heap-oom": ["log", "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"],
    "essential-exited": ["task", "Essential container in task exited"],
};

describe("doctor catalogue", () => {
    for (const entry of CATALOGUE) {
        it(`${entry.id} matches its example and no earlier entry does`, () => {
            const example = EXAMPLES[entry.id];
            assert.ok(example, `entry ${entry.id} has no example in this test`);
            const [kind, text] = example;
            assert.equal(classify(kind, text)?.entry.id, entry.id);
        });
    }

    it("health-check texts are the domain's reading of real probes (the examples above included)", () => {
        const hc = (command: string[]) => ({ command, interval: 30, timeout: 5, retries: 3, startPeriod: 10 });
        assert.equal(
            summarizeHealthCheck(hc(["CMD-SHELL", "curl -f http://localhost:8080/healthz || exit 1"])),
            EXAMPLES["probe-uses-curl"][1],
        );
        assert.equal(
            summarizeHealthCheck(hc(["CMD", "wget", "-q", "-O", "/dev/null", "http://localhost:8080/healthz"])),
            EXAMPLES["probe-uses-wget"][1],
        );
        assert.equal(summarizeHealthCheck(hc(["CMD-SHELL", "/app/healthcheck"])), EXAMPLES["probe-needs-shell"][1]);
        // Unset timings are the AWS defaults: startPeriod 0 is "no start period".
        assert.equal(summarizeHealthCheck({ command: ["CMD", "node", "/app/probe.js"] }), EXAMPLES["probe-no-start-period"][1]);
        // A path that mentions curl does not make a wget probe a curl one …
        assert.equal(
            classify("health-check", summarizeHealthCheck(hc(["CMD-SHELL", "wget -qO- http://localhost:8080/no-curl || exit 1"])))?.entry
                .id,
            "probe-uses-wget",
        );
        // … and an exec-form `sh -c` needs a shell as much as CMD-SHELL does.
        assert.equal(
            classify("health-check", summarizeHealthCheck(hc(["CMD", "sh", "-c", "/app/healthcheck"])))?.entry.id,
            "probe-needs-shell",
        );
    });

    it("ids are unique, every cause code has a meaning, title and fix", () => {
        assert.equal(new Set(CATALOGUE.map((e) => e.id)).size, CATALOGUE.length);
        for (const code of CAUSE_CODES) {
            assert.ok(CAUSES[code].title && CAUSES[code].meaning && CAUSES[code].fix, code);
        }
    });

    it("only deliberate stops are routine", () => {
        assert.equal(isRoutineStop("Scaling activity initiated by (deployment ecs-svc/1)"), true);
        assert.equal(isRoutineStop("Task failed container health checks"), false);
        assert.equal(isRoutineStop(undefined), false);
    });

    it("parses durations and rejects bare numbers", () => {
        assert.equal(parseDuration("90s", "--since"), 90_000);
        assert.equal(parseDuration("1h30m", "--since"), 5_400_000);
        assert.equal(parseDuration("2h", "--since"), 7_200_000);
        assert.throws(() => parseDuration("15", "--timeout"), /`--timeout` must be a duration such as 90s/);
        assert.throws(() => parseDuration("15 m", "--timeout"), /must be a duration/);
    });

    it("recognises a rollback deployment by the id an event names or by the time it was created", () => {
        const at = new Date("2026-11-25T12:00:00Z");
        const events = [{ createdAt: at, message: "(service web) rolling back to deployment ecs-svc/111." }];
        assert.equal(isRollbackDeployment({ id: "ecs-svc/111", createdAt: new Date(0) }, events), true);
        assert.equal(isRollbackDeployment({ id: "ecs-svc/222", createdAt: new Date(at.getTime() + 30_000) }, events), true);
        assert.equal(isRollbackDeployment({ id: "ecs-svc/333", createdAt: new Date(at.getTime() + 600_000) }, events), false);
    });
});
