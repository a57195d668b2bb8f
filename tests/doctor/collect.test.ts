/**
 * The reads: paging and batching, best-effort degradation of optional calls, read-only calls,
 * and the exit code 2 paths of an unreadable service (through `main`, with mocked clients).
 */
import * as assert from "node:assert/strict";
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { defaultMaxAttempts } from "../../cli/doctor/calls";
import { createClients } from "../../cli/doctor/clients";
import { collect } from "../../cli/doctor/collect";
import { diagnose } from "../../cli/doctor/diagnose";
import { main } from "../../cli/doctor/main";
import { codes, diagnoseStory, healthyWith, NOW, TWO_HOURS_AGO } from "./helpers";
import { mockStory, sdkError } from "./mocks";
import { CLUSTER, HEALTHY_DEPLOYMENT, rollbackStory, SERVICE, stoppedTask, StoryError } from "./stories";

/** Runs `main` with the mocked clients and captures its output. */
async function runMain(mocks: ReturnType<typeof mockStory>, args: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await main(args, {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
        clients: () => mocks.clients,
        now: () => NOW,
        sleep: async () => {},
    });
    return { code, stdout, stderr };
}

describe("doctor collect", () => {
    let mocks: ReturnType<typeof mockStory> | undefined;
    afterEach(() => mocks?.restore());

    it("follows ListTasks nextToken and describes 250 stopped tasks in batches of at most 100", async () => {
        const tasks = Array.from({ length: 250 }, (_, i) =>
            stoppedTask(NOW, `t${String(i).padStart(3, "0")}`, {
                startedBy: HEALTHY_DEPLOYMENT,
                revision: 7,
                minutesAgo: 20,
                stoppedReason: "Task failed container health checks",
            }),
        );
        mocks = mockStory(healthyWith({ tasks }));
        const snapshot = await collect(mocks.clients, { cluster: CLUSTER, service: SERVICE }, { since: TWO_HOURS_AGO, now: () => NOW });

        const listed = mocks.ecs.commandCalls(ListTasksCommand).filter((c) => c.args[0].input.desiredStatus === "STOPPED");
        assert.deepEqual(
            listed.map((c) => c.args[0].input.nextToken),
            [undefined, "100", "200"],
        );
        const batches = mocks.ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks!.length);
        // 252 stopped (the baseline's 2 routine stops included) and the 2 running tasks, described together.
        assert.deepEqual(batches, [100, 100, 54]);
        assert.equal(snapshot.tasks.filter((t) => t.lastStatus === "STOPPED").length, 252);

        const diagnosis = diagnose(snapshot);
        assert.match(diagnosis.causes[0].message, /250 tasks/);
        // Evidence is capped at 5 tasks; the message still counts all of them.
        assert.equal(diagnosis.causes[0].evidence.filter((e) => e.kind === "task").length, 5);
    });

    it("stops paging at maxTaskPages and says so", async () => {
        const tasks = Array.from({ length: 150 }, (_, i) =>
            stoppedTask(NOW, `p${i}`, {
                startedBy: HEALTHY_DEPLOYMENT,
                revision: 7,
                minutesAgo: 20,
                stoppedReason: "Task failed container health checks",
            }),
        );
        mocks = mockStory(healthyWith({ tasks }));
        const snapshot = await collect(
            mocks.clients,
            { cluster: CLUSTER, service: SERVICE },
            { since: TWO_HOURS_AGO, now: () => NOW, maxTaskPages: 1 },
        );
        assert.ok(snapshot.notes.includes("only the first 100 stopped tasks were read"));
    });

    it("lists tasks by the service's name when --service is an ARN (ListTasks takes a name only)", async () => {
        mocks = mockStory(healthyWith({}));
        const arn = `arn:aws:ecs:eu-west-1:123456789012:service/${CLUSTER}/${SERVICE}`;
        const snapshot = await collect(mocks.clients, { cluster: CLUSTER, service: arn }, { since: TWO_HOURS_AGO, now: () => NOW });
        const names = mocks.ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input.serviceName);
        assert.deepEqual(names, [SERVICE, SERVICE]);
        assert.equal(snapshot.tasks.length, 4);
    });

    it("clients make one attempt per send; the doctor's calls retry 5 times unless AWS_MAX_ATTEMPTS says otherwise", async () => {
        const clients = createClients({ region: "eu-west-1" });
        assert.equal(await clients.ecs.config.maxAttempts(), 1);
        assert.equal(await clients.elb!.config.maxAttempts(), 1);
        assert.equal(await clients.logs!("us-east-1").config.maxAttempts(), 1);
        clients.destroy?.();
        assert.equal(defaultMaxAttempts({}), 5);
        assert.equal(defaultMaxAttempts({ AWS_MAX_ATTEMPTS: "2" }), 2);
        assert.equal(defaultMaxAttempts({ AWS_MAX_ATTEMPTS: "zero" }), 5);
    });

    it("sends only Describe*/List*/Get* calls", async () => {
        const { sent } = await diagnoseStory(rollbackStory(NOW));
        assert.ok(sent.length > 5);
        for (const name of sent) assert.match(name, /^(Describe|List|Get)\w+Command$/);
        assert.ok(
            sent.includes("DescribeTargetHealthCommand") &&
                sent.includes("GetLogEventsCommand") &&
                sent.includes("DescribeServiceDeploymentsCommand"),
        );
    });

    it("a failing target-health read and log read become notes; the diagnosis is still made", async () => {
        const story = rollbackStory(NOW);
        story.targetHealth = new StoryError(
            "AccessDenied",
            "User is not authorized to perform: elasticloadbalancing:DescribeTargetHealth",
            403,
        );
        mocks = mockStory(story);
        mocks.logs.on(GetLogEventsCommand).rejects(sdkError("AccessDeniedException", "not authorized to perform: logs:GetLogEvents"));
        const snapshot = await collect(mocks.clients, { cluster: CLUSTER, service: SERVICE }, { since: TWO_HOURS_AGO, now: () => NOW });
        const diagnosis = diagnose(snapshot);

        assert.deepEqual(codes(diagnosis), ["circuit-breaker-rollback", "container-health-check-failed"]);
        assert.ok(
            diagnosis.notes.some(
                (n) => n.startsWith("target health of arn:aws:elasticloadbalancing") && n.includes("AccessDenied: User is not authorized"),
            ),
        );
        assert.ok(
            diagnosis.notes.some((n) =>
                n.startsWith("logs of web in task 0f9c5d1e2a3b4c5d6e7f8a9b0c1d2e3f (/ecs/web) unavailable: AccessDeniedException"),
            ),
        );
        assert.equal(mocks.elb.commandCalls(DescribeTargetHealthCommand).length, 1);
    });

    it("falls back to DescribeServices deployments when the service-deployment API is unknown", async () => {
        const story = rollbackStory(NOW);
        story.serviceDeployments = new StoryError("UnknownOperationException", "Unknown operation ListServiceDeployments");
        const { diagnosis } = await diagnoseStory(story);
        assert.deepEqual(diagnosis.serviceDeployments, []);
        assert.ok(diagnosis.notes.some((n) => n.includes("service deployments") && n.includes("UnknownOperationException")));
        // The rollback is still found from the deployments and events.
        assert.deepEqual(codes(diagnosis), ["circuit-breaker-rollback", "container-health-check-failed"]);
    });

    it("exit 2 when throttling outlasts the retries, with a message saying so", async () => {
        mocks = mockStory(rollbackStory(NOW));
        mocks.ecs.on(DescribeServicesCommand).rejects(sdkError("ThrottlingException", "Rate exceeded", 400, 1));
        const out = await runMain(mocks, ["diagnose", "--cluster", CLUSTER, "--service", SERVICE, "--format", "json"]);
        assert.equal(out.code, 2);
        assert.equal(mocks.ecs.commandCalls(DescribeServicesCommand).length, 5);
        assert.match(
            out.stderr,
            /throttled by AWS and still throttled after retries \(ThrottlingException: Rate exceeded \(after 5 attempts\)\)/,
        );
        assert.deepEqual(JSON.parse(out.stdout).error.reason, "throttled");
    });

    it("exit 2 for missing credentials, rejected credentials and a missing service", async () => {
        mocks = mockStory(rollbackStory(NOW));
        const args = ["diagnose", "--cluster", CLUSTER, "--service", SERVICE];
        mocks.ecs
            .on(DescribeServicesCommand)
            .rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
        let out = await runMain(mocks, args);
        assert.equal(out.code, 2);
        assert.match(out.stderr, /no AWS credentials found/);

        mocks.ecs
            .on(DescribeServicesCommand)
            .rejects(sdkError("UnrecognizedClientException", "The security token included in the request is invalid."));
        out = await runMain(mocks, args);
        assert.equal(out.code, 2);
        assert.match(out.stderr, /AWS rejected the credentials/);

        mocks.restore();
        mocks = mockStory(rollbackStory(NOW));
        out = await runMain(mocks, ["diagnose", "--cluster", CLUSTER, "--service", "api"]);
        assert.equal(out.code, 2);
        assert.match(out.stderr, /cannot read service api in cluster prod: MISSING/);
    });

    it("exit 1 with the causes, exit 0 when healthy, 64 for bad arguments", async () => {
        mocks = mockStory(rollbackStory(NOW));
        const failed = await runMain(mocks, ["diagnose", "--cluster", CLUSTER, "--service", SERVICE, "--format", "json"]);
        assert.equal(failed.code, 1);
        assert.deepEqual(
            JSON.parse(failed.stdout).causes.map((c: { code: string }) => c.code),
            ["circuit-breaker-rollback", "container-health-check-failed"],
        );
        mocks.restore();

        mocks = mockStory(healthyWith({}));
        const healthy = await runMain(mocks, ["diagnose", "--cluster", CLUSTER, "--service", SERVICE]);
        assert.equal(healthy.code, 0);
        assert.match(healthy.stdout, /^web \(cluster prod, eu-west-1\): HEALTHY/);

        const bad = await runMain(mocks, ["diagnose", "--cluster", CLUSTER, "--service", SERVICE, "--since", "15"]);
        assert.equal(bad.code, 64);
        assert.match(bad.stderr, /`--since` must be a duration/);
    });
});
