/**
 * Bad input and faults (issue 14) and the doctor items of issue 16: never hang, never crash
 * with a stack, never tell a wrong story. `main` runs in-process with real SDK clients (real
 * serialization, signing and parsing) against the loopback endpoint, which plays each fault:
 * hung calls, malformed or empty bodies, wrong field types, throttling bursts, 5xx, refused
 * connections. Timeouts here are short and configured; no assertion measures time.
 */
import * as assert from "node:assert/strict";
import { refusedUrl, runMainOn, startFakeAws, type FakeAws } from "./fake-aws";
import {
    codeDeployStory,
    CLUSTER,
    deployment,
    event,
    FAILED_DEPLOYMENT,
    healthyStory,
    minutesAgo,
    rollbackStory,
    SERVICE,
    service,
    td,
    type Story,
} from "./stories";
import { storyApi } from "./story-api";

const ARGS = ["--cluster", CLUSTER, "--service", SERVICE];

/** Runs `main` against `url`; `fast` skips the backoff pauses (the retries still happen). */
const run = (url: string, args: string[], fast = true) => runMainOn(url, args, { realTime: !fast });

/** The healthy story's service as JSON on the wire, with `patch` applied. */
function describeServicesBody(patch: Record<string, unknown>): string {
    const svc = healthyStory(new Date()).service;
    return JSON.stringify({ services: [{ ...JSON.parse(JSON.stringify(svc)), deployments: [], events: [], ...patch }], failures: [] });
}

/** The rollback story caught mid-deployment: web:7 IN_PROGRESS, so `wait` keeps polling. */
function inProgressStory(now: Date): Story {
    const story = rollbackStory(now);
    story.service = service(
        [
            deployment({
                id: FAILED_DEPLOYMENT,
                taskDefinition: td(7),
                rolloutState: "IN_PROGRESS",
                runningCount: 1,
                pendingCount: 1,
                createdAt: minutesAgo(now, 2),
            }),
            deployment({ id: "ecs-svc/1869548734021546632", status: "ACTIVE", taskDefinition: td(6), createdAt: minutesAgo(now, 300) }),
        ],
        [event(now, 1, "(service web) has started 1 tasks: (task 5f2c8a1b9d7e4f3a2b1c0d9e8f7a6b5c).")],
    );
    return story;
}

describe("doctor faults: bounded, validated, honest (issue 16 items 9–11, issue 14 faults)", () => {
    let fake: FakeAws | undefined;
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });

    describe("never hangs (issue 16 item 9)", () => {
        it("DescribeServices accepted but never answered: exit 2 naming the API and the endpoint", async () => {
            fake = await startFakeAws(storyApi(healthyStory(new Date())));
            fake.hang("ECS.DescribeServices");
            const out = await run(fake.url, ["diagnose", ...ARGS, "--call-timeout", "300ms", "--format", "json"]);
            assert.equal(out.code, 2);
            assert.match(
                out.stderr,
                /cannot read service web in cluster prod: ECS\.DescribeServices did not answer within 300ms \(endpoint http:\/\/127\.0\.0\.1:\d+\/\)/,
            );
            assert.equal(JSON.parse(out.stdout).error.reason, "timeout");
            // A timeout is not retried: the endpoint had its chance.
            assert.equal(fake.calls.length, 1);
        });

        it("wait: a hung first read is exit 2 too, not a wait forever", async () => {
            fake = await startFakeAws(storyApi(healthyStory(new Date())));
            fake.hang("ECS.DescribeServices");
            const out = await run(fake.url, ["wait", ...ARGS, "--call-timeout", "300ms"]);
            assert.equal(out.code, 2);
            assert.match(out.stderr, /ECS\.DescribeServices did not answer within 300ms/);
        });

        it("a hung optional read (target health) becomes a note; the diagnosis is still made", async () => {
            fake = await startFakeAws(storyApi(rollbackStory(new Date())));
            fake.hang("ELBv2.DescribeTargetHealth");
            const out = await run(fake.url, ["diagnose", ...ARGS, "--call-timeout", "300ms", "--format", "json"]);
            assert.equal(out.code, 1);
            const diagnosis = JSON.parse(out.stdout);
            assert.equal(diagnosis.status, "rolled-back");
            assert.ok(
                diagnosis.notes.some((n: string) =>
                    /target health of .* unavailable: ELBv2\.DescribeTargetHealth did not answer within 300ms/.test(n),
                ),
                diagnosis.notes.join("\n"),
            );
        });

        it("wait --timeout bounds the whole run, the final diagnosis included (the calls are cut at the run's deadline)", async () => {
            fake = await startFakeAws(storyApi(inProgressStory(new Date())));
            // Every read of the final diagnosis hangs; the per-call timeout (30s) is longer than the run,
            // so only the run's own deadline can end them.
            for (const op of ["ECS.ListServiceDeployments", "ECS.ListTasks", "ELBv2.DescribeTargetHealth"]) fake.hang(op);
            const out = await run(
                fake.url,
                ["wait", ...ARGS, "--timeout", "3s", "--interval", "1s", "--call-timeout", "30s", "--format", "json"],
                false,
            );
            assert.equal(out.code, 1, out.stderr);
            const result = JSON.parse(out.stdout);
            assert.equal(result.outcome, "timed-out");
            const notes = result.diagnosis.notes.join("\n");
            assert.match(notes, /the run's time limit \(--timeout\) was reached before ECS\.ListTasks answered/);
            assert.doesNotMatch(notes, /did not answer within 30s/);
        });
    });

    describe("no stack traces, no wrong stories (issue 16 item 10)", () => {
        it("--since 200000000d is a usage error (64), not a RangeError", async () => {
            const out = await run("http://127.0.0.1:9", ["diagnose", ...ARGS, "--since", "200000000d"]);
            assert.equal(out.code, 64);
            assert.match(out.stderr, /`--since` must be at most 30d: ECS keeps only the last 100 service events/);
            assert.doesNotMatch(out.stderr, /RangeError|at \w+ \(/);
        });

        it('a field of the wrong type (deployments: "x"): exit 2, unexpected response naming the field', async () => {
            fake = await startFakeAws(storyApi(healthyStory(new Date())));
            fake.answerRaw("ECS.DescribeServices", describeServicesBody({ deployments: "x" }));
            const out = await run(fake.url, ["diagnose", ...ARGS, "--format", "json"]);
            assert.equal(out.code, 2);
            assert.match(
                out.stderr,
                /unexpected response from ECS\.DescribeServices: services\[0\]\.deployments expected array, received string/,
            );
            assert.equal(JSON.parse(out.stdout).error.reason, "bad-response");
        });

        it("a number holding text, a timestamp that is not one: exit 2, one line, no stack", async () => {
            fake = await startFakeAws(storyApi(healthyStory(new Date())));
            fake.answerRaw("ECS.DescribeServices", describeServicesBody({ desiredCount: "two" }), { n: 1 });
            let out = await run(fake.url, ["diagnose", ...ARGS]);
            assert.equal(out.code, 2);
            assert.equal(
                out.stderr,
                "doctor: cannot read service web in cluster prod: unexpected response from ECS.DescribeServices: services[0].desiredCount expected number, received string\n",
            );
            // A timestamp the SDK itself cannot parse: its message, without its "Deserialization error" hint or a stack.
            fake.answerRaw("ECS.DescribeServices", describeServicesBody({ createdAt: "yesterday" }), { n: 1 });
            out = await run(fake.url, ["diagnose", ...ARGS]);
            assert.equal(out.code, 2);
            assert.equal(
                out.stderr,
                "doctor: cannot read service web in cluster prod: unexpected response from ECS.DescribeServices: Expected real number, got implicit NaN\n",
            );
        });

        it('an empty 200 body is an unexpected response, not "no such service"', async () => {
            fake = await startFakeAws(storyApi(healthyStory(new Date())));
            fake.answerRaw("ECS.DescribeServices", "");
            const out = await run(fake.url, ["diagnose", ...ARGS]);
            assert.equal(out.code, 2);
            assert.match(out.stderr, /unexpected response from ECS\.DescribeServices: services is missing/);
            assert.doesNotMatch(out.stderr, /no such service|MISSING/);
        });

        it("malformed and truncated JSON: exit 2, the body is not valid JSON", async () => {
            fake = await startFakeAws(storyApi(healthyStory(new Date())));
            fake.answerRaw("ECS.DescribeServices", '{"services": [{"serviceName": "we', { n: 1 });
            fake.answerRaw("ECS.DescribeServices", "<html>502 Bad Gateway</html>", { n: 1 });
            for (const expected of [/Unterminated string in JSON/, /Unexpected token '<'/]) {
                const out = await run(fake.url, ["diagnose", ...ARGS]);
                assert.equal(out.code, 2);
                assert.match(out.stderr, /unexpected response from ECS\.DescribeServices: the body is not valid JSON/);
                assert.match(out.stderr, expected);
            }
        });

        it("an optional read with the wrong shape becomes a note naming the API and field", async () => {
            fake = await startFakeAws(storyApi(healthyStory(new Date())));
            fake.answerRaw("ECS.ListTasks", JSON.stringify({ taskArns: "arn:aws:ecs:…" }));
            const out = await run(fake.url, ["diagnose", ...ARGS, "--format", "json"]);
            assert.equal(out.code, 0);
            const diagnosis = JSON.parse(out.stdout);
            assert.ok(
                diagnosis.notes.includes(
                    "stopped tasks unavailable: unexpected response from ECS.ListTasks: taskArns expected array, received string",
                ),
                diagnosis.notes.join("\n"),
            );
        });

        it("events with missing fields are read without a crash", async () => {
            const story = healthyStory(new Date());
            story.service.events = [
                {},
                { message: "(service web) has reached a steady state." },
                { createdAt: new Date() },
                ...(story.service.events ?? []),
            ];
            fake = await startFakeAws(storyApi(story));
            const out = await run(fake.url, ["diagnose", ...ARGS, "--format", "json"]);
            assert.equal(out.code, 0, out.stderr);
            assert.equal(JSON.parse(out.stdout).status, "healthy");
        });
    });

    describe("services without ECS deployments (issue 16 item 11)", () => {
        it("CODE_DEPLOY: diagnose names the controller, what it still reads and where the outcome is", async () => {
            fake = await startFakeAws(storyApi(codeDeployStory(new Date())));
            const json = await run(fake.url, ["diagnose", ...ARGS, "--format", "json"]);
            assert.equal(json.code, 0, json.stderr);
            const diagnosis = JSON.parse(json.stdout);
            assert.equal(diagnosis.controller, "CODE_DEPLOY");
            assert.equal(diagnosis.status, "healthy");
            assert.match(
                diagnosis.controllerNote,
                /deployed by CodeDeploy .* the doctor reads its task sets, service events, stopped tasks, target health and logs instead/,
            );
            assert.match(diagnosis.controllerNote, /aws deploy get-deployment --deployment-id d-7BXK2M9QZ/);
            assert.deepEqual(
                diagnosis.taskSets.map((t: { status: string; stabilityStatus: string }) => [t.status, t.stabilityStatus]),
                [["PRIMARY", "STEADY_STATE"]],
            );

            const text = await run(fake.url, ["diagnose", ...ARGS]);
            assert.match(text.stdout, /\ndeployments: none from ECS; deployed by CodeDeploy/);
            assert.match(
                text.stdout,
                /\n {2}task set PRIMARY {2}ecs-svc\/9081726354647382910 web:7 +running 2\/2 {2}pending 0 {2}STEADY_STATE {2}\(d-7BXK2M9QZ\)/,
            );
            assert.doesNotMatch(text.stdout, /SUPERSEDED|\?/);
        });

        it("CODE_DEPLOY: wait cannot follow it and says so (exit 2, status unsupported), never SUPERSEDED … ?", async () => {
            fake = await startFakeAws(storyApi(codeDeployStory(new Date())));
            const out = await run(fake.url, ["wait", ...ARGS, "--format", "json"]);
            assert.equal(out.code, 2);
            assert.match(out.stderr, /cannot follow a deployment of service web: it is deployed by CodeDeploy/);
            assert.match(out.stderr, /`doctor diagnose` still explains what ECS saw/);
            assert.equal(JSON.parse(out.stdout).status, "unsupported");
        });

        it("EXTERNAL, mid-deployment with a failing task: in progress, the failure diagnosed, the controller named", async () => {
            const now = new Date();
            const story = codeDeployStory(now, "EXTERNAL");
            story.service.taskSets = [
                ...story.service.taskSets!.map((t) => ({ ...t, status: "ACTIVE" })),
                {
                    id: "ecs-svc/5550001112223334445",
                    status: "PRIMARY",
                    taskDefinition: td(8),
                    computedDesiredCount: 2,
                    runningCount: 0,
                    pendingCount: 2,
                    stabilityStatus: "STABILIZING",
                },
            ];
            story.tasks.push(...rollbackStory(now).tasks.filter((t) => t.lastStatus === "STOPPED"));
            story.taskDefinitions.push(...rollbackStory(now).taskDefinitions);
            fake = await startFakeAws(storyApi(story));
            const out = await run(fake.url, ["diagnose", ...ARGS, "--format", "json"]);
            assert.equal(out.code, 1);
            const diagnosis = JSON.parse(out.stdout);
            assert.equal(diagnosis.status, "in-progress");
            assert.deepEqual(
                diagnosis.causes.map((c: { code: string }) => c.code),
                ["container-health-check-failed"],
            );
            assert.match(diagnosis.controllerNote, /external controller \(deploymentController EXTERNAL\)/);
        });

        it("a service scaled to zero, with no task at all, is read as it is: healthy, nothing to explain", async () => {
            const story = healthyStory(new Date());
            story.tasks = [];
            story.service = { ...story.service, desiredCount: 0, runningCount: 0 };
            story.service.deployments = story.service.deployments!.map((d) => ({ ...d, desiredCount: 0, runningCount: 0 }));
            fake = await startFakeAws(storyApi(story));
            const out = await run(fake.url, ["diagnose", ...ARGS, "--format", "json"]);
            assert.equal(out.code, 0, out.stderr);
            assert.deepEqual([JSON.parse(out.stdout).status, JSON.parse(out.stdout).causes], ["healthy", []]);
        });

        it("an ECS service that lists no deployment is judged by its counts and says why", async () => {
            const story = healthyStory(new Date());
            story.service.deployments = [];
            fake = await startFakeAws(storyApi(story));
            const out = await run(fake.url, ["diagnose", ...ARGS, "--format", "json"]);
            assert.equal(out.code, 0);
            assert.match(JSON.parse(out.stdout).controllerNote, /^ECS lists no deployment for this service/);
        });
    });

    describe("AWS faults (issue 14)", () => {
        it("connection refused: exit 2, the endpoint is unreachable (after retries)", async () => {
            const out = await run(await refusedUrl(), ["diagnose", ...ARGS, "--format", "json"]);
            assert.equal(out.code, 2);
            assert.match(
                out.stderr,
                /cannot read service web in cluster prod: the ECS endpoint is unreachable \(.*ECONNREFUSED.*\(after 5 attempts\)\)/,
            );
            assert.equal(JSON.parse(out.stdout).error.reason, "network");
        });

        it("unknown cluster: exit 2, not found, naming the flags to check", async () => {
            fake = await startFakeAws(storyApi(healthyStory(new Date())));
            const out = await run(fake.url, ["diagnose", "--cluster", "staging", "--service", SERVICE]);
            assert.equal(out.code, 2);
            assert.match(
                out.stderr,
                /cannot read service web in cluster staging: not found \(ClusterNotFoundException: Cluster not found\.\); check --cluster, --service and --region/,
            );
        });

        it("throttling bursts (ThrottlingException, HTTP 429) and a 503 are retried with backoff; --verbose counts them", async () => {
            fake = await startFakeAws(storyApi(healthyStory(new Date())));
            fake.throttle("ECS.DescribeServices", 2);
            fake.throttle("ECS.ListTasks", 2, 429);
            fake.throttle("ELBv2.DescribeTargetHealth", 1, 503);
            const out = await run(fake.url, ["diagnose", ...ARGS, "--verbose"]);
            assert.equal(out.code, 0, out.stderr);
            assert.match(
                out.stderr,
                /^AWS calls: 11 \(ECS\.DescribeServices 3, .*ECS\.ListTasks 4.*ELBv2\.DescribeTargetHealth 2.*\), 5 retries$/m,
            );
        });

        it("--max-calls: calls past the budget are not made; optional reads say so", async () => {
            fake = await startFakeAws(storyApi(rollbackStory(new Date())));
            const out = await run(fake.url, ["diagnose", ...ARGS, "--max-calls", "3", "--format", "json"]);
            assert.equal(fake.calls.length, 3);
            const diagnosis = JSON.parse(out.stdout);
            assert.ok(
                diagnosis.notes.some((n: string) => n.includes("the AWS-call budget of 3 calls is used up")),
                diagnosis.notes.join("\n"),
            );
        });
    });
});
