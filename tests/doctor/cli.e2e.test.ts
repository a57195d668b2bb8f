/**
 * End to end: the CLI run as a user runs it (`node -r ts-node/register/transpile-only
 * cli/doctor/main.ts …`, what `npm run doctor` does) against a loopback server speaking the
 * real wire protocols, with fake credentials in the environment and the SDK's own
 * AWS_ENDPOINT_URL_* variables pointing at the server.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { ECSClient } from "@aws-sdk/client-ecs";
import { collect } from "../../cli/doctor/collect";
import * as fs from "node:fs";
import * as os from "node:os";
import { clusterOf } from "./cluster-stories";
import { fakeAwsEnv, runNode, startFakeAws, type FakeAws } from "./fake-aws";
import { startAppServer, type AppServer } from "./smoke-server";
import { albStory, startupStory } from "./startup-story";
import { createTestCa } from "./tls-fixtures";
import { CLUSTER, healthyStory, REGION, rollbackStory, SERVICE } from "./stories";
import { clusterApi, storyApi } from "./story-api";

const ROOT = path.resolve(__dirname, "../..");

/** Runs the CLI the way `npm run doctor` does. */
function runCli(args: string[], env: NodeJS.ProcessEnv) {
    return runNode(["-r", "ts-node/register/transpile-only", "cli/doctor/main.ts", ...args], { cwd: ROOT, env });
}

const SERVICE_ARGS = ["--cluster", CLUSTER, "--service", SERVICE];

describe("doctor CLI end to end (loopback AWS)", () => {
    let fake: FakeAws | undefined;
    let app: AppServer | undefined;
    afterEach(async () => {
        await fake?.close();
        await app?.close();
        fake = undefined;
        app = undefined;
    });

    it("healthy service: exit 0, JSON status healthy, signed with the environment's credentials", async () => {
        fake = await startFakeAws(storyApi(healthyStory(new Date())));
        const out = await runCli(["diagnose", ...SERVICE_ARGS, "--format", "json"], fakeAwsEnv(fake));
        assert.equal(out.code, 0, out.stderr);
        const diagnosis = JSON.parse(out.stdout);
        assert.equal(diagnosis.status, "healthy");
        assert.deepEqual(diagnosis.causes, []);
        assert.deepEqual(diagnosis.notes, []);
        assert.equal(diagnosis.region, REGION);

        // Six reads for a settled two-task service; nothing more is needed to call it healthy.
        assert.deepEqual(fake.calls.map((c) => c.op).sort(), [
            "ECS.DescribeServices",
            "ECS.DescribeTasks",
            "ECS.ListServiceDeployments",
            "ECS.ListTasks",
            "ECS.ListTasks",
            "ELBv2.DescribeTargetHealth",
        ]);
        assert.match(
            fake.calls[0].authorization ?? "",
            /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLEDOCTOR\/\d{8}\/eu-west-1\/ecs\/aws4_request/,
        );
    });

    it("the seed's rollback story: exit 1, causes circuit-breaker-rollback and container-health-check-failed", async () => {
        fake = await startFakeAws(storyApi(rollbackStory(new Date())));
        const out = await runCli(["diagnose", ...SERVICE_ARGS, "--format", "json"], fakeAwsEnv(fake));
        assert.equal(out.code, 1, out.stderr);
        const diagnosis = JSON.parse(out.stdout);
        assert.equal(diagnosis.status, "rolled-back");
        assert.deepEqual(
            diagnosis.causes.map((c: { code: string }) => c.code),
            ["circuit-breaker-rollback", "container-health-check-failed"],
        );
        const probe = diagnosis.causes[1];
        assert.equal(probe.policy, "probe-tool-present-in-image");
        assert.ok(probe.evidence.some((e: { kind: string; text: string }) => e.kind === "log" && e.text.includes("listening on :8080")));
        assert.equal(diagnosis.serviceDeployments[0].circuitBreaker.failureCount, 3);
        // Read-only, over every protocol the doctor speaks.
        for (const call of fake.calls) assert.match(call.op, /^(ECS|ELBv2|Logs)\.(Describe|List|Get)\w+$/);
        assert.ok(
            fake.calls.some((c) => c.op === "Logs.GetLogEvents" && c.input.logStreamName === "ecs/web/0f9c5d1e2a3b4c5d6e7f8a9b0c1d2e3f"),
        );
    });

    it("text output of the rollback names the cause, the fix and the policy", async () => {
        fake = await startFakeAws(storyApi(rollbackStory(new Date())));
        const out = await runCli(["diagnose", ...SERVICE_ARGS], fakeAwsEnv(fake));
        assert.equal(out.code, 1, out.stderr);
        assert.match(out.stdout, /^web \(cluster prod, eu-west-1\): ROLLED BACK\n/);
        assert.match(out.stdout, /\n2\. container-health-check-failed\n/);
        assert.match(out.stdout, /policy that catches it before deploy: probe-tool-present-in-image/);
    });

    it("wait: exit 1 on the rollback story, exit 0 on the healthy one", async () => {
        fake = await startFakeAws(storyApi(rollbackStory(new Date())));
        const failed = await runCli(["wait", ...SERVICE_ARGS, "--interval", "1s", "--timeout", "1m"], fakeAwsEnv(fake));
        assert.equal(failed.code, 1, failed.stderr);
        assert.match(failed.stdout, /^web: ROLLED BACK: the newest deployment ecs-svc\/7313962135946478021 \(web:6\) is a rollback/);
        await fake.close();

        fake = await startFakeAws(storyApi(healthyStory(new Date())));
        const ok = await runCli(["wait", ...SERVICE_ARGS, "--interval", "1s", "--timeout", "1m", "--format", "json"], fakeAwsEnv(fake));
        assert.equal(ok.code, 0, ok.stderr);
        assert.equal(JSON.parse(ok.stdout).outcome, "succeeded");
    });

    it("throttling: the SDK retries and the read succeeds", async () => {
        fake = await startFakeAws(storyApi(healthyStory(new Date())));
        fake.throttle("ECS.DescribeServices", 2);
        const ecs = new ECSClient({
            region: REGION,
            endpoint: fake.url,
            maxAttempts: 3,
            credentials: { accessKeyId: "AKIDEXAMPLEDOCTOR", secretAccessKey: "doctor-test-secret" },
        });
        const snapshot = await collect({ ecs }, { cluster: CLUSTER, service: SERVICE }, { since: new Date(Date.now() - 3_600_000) });
        assert.equal(snapshot.service.serviceName, SERVICE);
        assert.equal(fake.calls.filter((c) => c.op === "ECS.DescribeServices").length, 3);
    });

    it("throttling that outlasts the retries: exit 2 with a clear message", async () => {
        fake = await startFakeAws(storyApi(healthyStory(new Date())));
        fake.throttle("ECS.DescribeServices", 1_000);
        const out = await runCli(["diagnose", ...SERVICE_ARGS], fakeAwsEnv(fake, { AWS_MAX_ATTEMPTS: "2" }));
        assert.equal(out.code, 2);
        assert.match(
            out.stderr,
            /throttled by AWS and still throttled after retries \(ThrottlingException: Rate exceeded \(after 2 attempts\)\)/,
        );
        assert.equal(fake.calls.filter((c) => c.op === "ECS.DescribeServices").length, 2);
    });

    it("no credentials anywhere: exit 2 naming the credential chain", async () => {
        fake = await startFakeAws(storyApi(healthyStory(new Date())));
        const env = fakeAwsEnv(fake);
        delete env.AWS_ACCESS_KEY_ID;
        delete env.AWS_SECRET_ACCESS_KEY;
        const out = await runCli(["diagnose", ...SERVICE_ARGS], env);
        assert.equal(out.code, 2);
        assert.match(out.stderr, /no AWS credentials found/);
        assert.equal(fake.calls.length, 0);
    });

    it("bad arguments: exit 64 with the usage", async () => {
        const out = await runCli(["diagnose", "--cluster", CLUSTER], { ...process.env });
        assert.equal(out.code, 64);
        assert.match(out.stderr, /`--cluster` and `--service` are required\.\nusage:/);
    });

    it("startup: measured phases and a finding (exit 1), calls counted with --verbose", async () => {
        fake = await startFakeAws(storyApi(startupStory(new Date(), { slowest: 52 })));
        const out = await runCli(["startup", ...SERVICE_ARGS, "--verbose"], fakeAwsEnv(fake));
        assert.equal(out.code, 1, out.stderr);
        assert.match(out.stdout, /\napp start → first healthy probe +20 /);
        assert.match(out.stdout, /\n {2}- slower-than-worst-case: /);
        assert.match(out.stderr, /^AWS calls: 12 \(ECS\.DescribeServices 1, ECS\.ListTasks 2, ECS\.DescribeTasks 1, /m);
    });

    it("smoke over HTTPS, discovered from the service, trusting the test CA through NODE_EXTRA_CA_CERTS", async () => {
        const ca = createTestCa();
        const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "doctor-ca-")), "ca.pem");
        try {
            fs.writeFileSync(caFile, ca.caPem);
            app = await startAppServer(ca.issue(new Date(Date.now() - 86_400_000), new Date(Date.now() + 30 * 86_400_000)));
            const story = healthyStory(new Date());
            story.alb = albStory({ dnsName: "localhost", port: app.port, protocol: "HTTPS" });
            fake = await startFakeAws(storyApi(story));
            const out = await runCli(["smoke", ...SERVICE_ARGS, "--requests", "2"], fakeAwsEnv(fake, { NODE_EXTRA_CA_CERTS: caFile }));
            assert.equal(out.code, 0, out.stdout + out.stderr);
            assert.match(
                out.stdout,
                new RegExp(`^smoke https://localhost:${app.port} \\(matcher 200-399, 2 requests per path\\): PASSED\n`),
            );
            assert.match(
                out.stdout,
                /\ncertificate: CN=localhost \(issuer CN=healthy-fargate doctor test CA\), valid to .*, (29|30) days left\n/,
            );
        } finally {
            ca.dispose();
            fs.rmSync(path.dirname(caFile), { recursive: true, force: true });
        }
    });

    it("scan: one JSON object for the cluster, exit 1 for the rolled-back services", async () => {
        fake = await startFakeAws(clusterApi(clusterOf(new Date(), 10)));
        const out = await runCli(["scan", "--cluster", CLUSTER, "--format", "json"], fakeAwsEnv(fake));
        assert.equal(out.code, 1, out.stderr);
        const scan = JSON.parse(out.stdout);
        assert.deepEqual(scan.summary, { total: 10, healthy: 8, "rolled-back": 2 });
        assert.equal(out.stderr, "");
    });

    it("wait against an endpoint that stops answering: exit 1 within its --timeout, naming what did not answer", async () => {
        const story = rollbackStory(new Date());
        story.service.deployments = story.service.deployments!.map((d) =>
            d.status === "PRIMARY" ? { ...d, rolloutState: "IN_PROGRESS", runningCount: 1 } : d,
        );
        story.service.events = [];
        fake = await startFakeAws(storyApi(story));
        fake.hang("ECS.ListTasks");
        // 8s: polling stops after 6s, leaving 2s (a quarter) for the final diagnosis, whose reads each get 1s.
        const out = await runCli(
            ["wait", ...SERVICE_ARGS, "--timeout", "8s", "--interval", "1s", "--call-timeout", "1s"],
            fakeAwsEnv(fake),
        );
        assert.equal(out.code, 1, out.stderr);
        assert.match(
            out.stdout,
            /^web: deployment ecs-svc\/7313962135946478021 \(web:6\) TIMED OUT: deployment ecs-svc\/7313962135946478021 did not finish within 6s\n/,
        );
        assert.match(
            out.stdout,
            /stopped tasks unavailable: ECS\.ListTasks did not answer within 1s \(endpoint http:\/\/127\.0\.0\.1:\d+\/\)/,
        );
    });
});
