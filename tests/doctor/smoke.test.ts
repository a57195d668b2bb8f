/**
 * `doctor smoke` against a loopback app over HTTP and HTTPS (certificates from a CA generated
 * here with openssl): 200, 503 on ready only, a wrong matcher, a slow route (timeout), a refused
 * connection, redirects, an expired and an expiring certificate; and the front door discovered
 * from ECS/ELBv2 on the loopback AWS endpoint.
 */
import * as assert from "node:assert/strict";
import { AwsReader } from "../../cli/doctor/aws-reader";
import { runSmoke, type SmokeTarget } from "../../cli/doctor/smoke";
import { discoverSmokeTarget, pathPatternMatches } from "../../cli/doctor/smoke-discover";
import { SmokeFailedError, verifyRollout } from "../../cli/doctor/verify";
import { loopbackClients, refusedUrl, runMainOn, startFakeAws, type FakeAws } from "./fake-aws";
import { startAppServer, type AppServer } from "./smoke-server";
import { CLUSTER, healthyStory, SERVICE, td } from "./stories";
import { albStory } from "./startup-story";
import { storyApi } from "./story-api";
import { createTestCa, type TestCa } from "./tls-fixtures";

const DAY = 86_400_000;
const base = (url: string, o: Partial<SmokeTarget> = {}): SmokeTarget => ({
    url,
    paths: ["/health/live"],
    matcher: "200-399",
    requests: 3,
    timeoutMs: 5_000,
    followRedirects: false,
    ...o,
});

const run = (args: string[], awsUrl = "http://127.0.0.1:9") => runMainOn(awsUrl, args);

describe("doctor smoke", () => {
    let app: AppServer | undefined;
    let fake: FakeAws | undefined;
    let ca: TestCa;
    before(() => {
        ca = createTestCa();
    });
    after(() => ca.dispose());
    afterEach(async () => {
        await app?.close();
        await fake?.close();
        app = undefined;
        fake = undefined;
    });

    it("200 on every request: passed, latency p50/p95, exit 0", async () => {
        app = await startAppServer();
        const out = await run(["smoke", "--url", app.url, "--paths", "/health/live,/health/status", "--requests", "4", "--format", "json"]);
        assert.equal(out.code, 0, out.stderr);
        const report = JSON.parse(out.stdout);
        assert.equal(report.ok, true);
        assert.deepEqual(
            report.paths.map((p: any) => [p.path, p.passed, p.statuses]),
            [
                ["/health/live", 4, { 200: 4 }],
                ["/health/status", 4, { 200: 4 }],
            ],
        );
        assert.equal(report.paths[0].latencyMs.n, 4);
        assert.equal(app.requests.length, 8);
        assert.match(app.requests[0].userAgent ?? "", /^healthy-fargate-doctor-smoke/);
    });

    it("503 on ready only: that path fails, exit 1, the text says which", async () => {
        app = await startAppServer();
        const out = await run(["smoke", "--url", app.url, "--paths", "/health/live,/health/ready", "--requests", "2"]);
        assert.equal(out.code, 1);
        assert.match(out.stdout, /^smoke http:\/\/127\.0\.0\.1:\d+ \(matcher 200-399, 2 requests per path\): FAILED\n/);
        assert.match(out.stdout, /\nok {4}\/health\/live {2}2\/2 {2}status 200 ×2 {2}p50 \d+ ms {2}p95 \d+ ms\n/);
        assert.match(out.stdout, /\nFAIL {2}\/health\/ready {2}0\/2 {2}status 503 ×2 /);
    });

    it("a matcher the answer does not meet fails; an invalid matcher is a usage error", async () => {
        app = await startAppServer();
        const report = await runSmoke(base(app.url, { matcher: "204" }));
        assert.equal(report.ok, false);
        assert.deepEqual(report.paths[0].statuses, { 200: 3 });
        const bad = await run(["smoke", "--url", app.url, "--paths", "/health/live", "--matcher", "2xx"]);
        assert.equal(bad.code, 64);
        assert.match(bad.stderr, /`--matcher`: "2xx" is not a status code or a range of codes/);
    });

    it("a route that never answers: each request ends at the timeout", async () => {
        app = await startAppServer();
        const report = await runSmoke(base(app.url, { paths: ["/slow"], requests: 2, timeoutMs: 200 }));
        assert.equal(report.ok, false);
        assert.deepEqual(report.paths[0].errors, { "no answer within 200ms": 2 });
        assert.equal(report.paths[0].latencyMs, undefined);
    });

    it("connection refused", async () => {
        const report = await runSmoke(base(await refusedUrl(), { requests: 1 }));
        assert.deepEqual(report.paths[0].errors, { "connection refused (ECONNREFUSED)": 1 });
    });

    it("redirects are judged as they are, and followed only when asked (at most 5)", async () => {
        app = await startAppServer();
        const asIs = await runSmoke(base(app.url, { paths: ["/moved"], matcher: "200", requests: 1 }));
        assert.deepEqual([asIs.ok, asIs.paths[0].statuses], [false, { 302: 1 }]);
        const followed = await runSmoke(base(app.url, { paths: ["/moved"], matcher: "200", requests: 1, followRedirects: true }));
        assert.deepEqual([followed.ok, followed.paths[0].statuses], [true, { 200: 1 }]);
        const loop = await runSmoke(base(app.url, { paths: ["/loop"], requests: 1, followRedirects: true }));
        assert.deepEqual(loop.paths[0].errors, { "more than 5 redirects": 1 });
    });

    it("HTTPS: a trusted certificate with time left passes and is reported; one expiring in 5 days warns", async () => {
        app = await startAppServer(ca.issue(new Date(Date.now() - DAY), new Date(Date.now() + 365 * DAY)));
        const good = await runSmoke(base(app.url, { ca: ca.caPem }));
        assert.equal(good.ok, true);
        assert.ok(good.tls!.daysLeft >= 363 && good.tls!.daysLeft <= 365);
        assert.match(good.tls!.issuer, /CN=healthy-fargate doctor test CA/);
        assert.deepEqual(good.warnings, []);
        await app.close();

        app = await startAppServer(ca.issue(new Date(Date.now() - DAY), new Date(Date.now() + 5 * DAY + 3_600_000)));
        const expiring = await runSmoke(base(app.url, { ca: ca.caPem }));
        assert.equal(expiring.ok, true);
        assert.deepEqual(expiring.warnings, [`the TLS certificate expires in 5 days (${expiring.tls!.validTo.slice(0, 10)}): renew it`]);
    });

    it("HTTPS: an expired certificate fails every request, with its date; an untrusted one fails too", async () => {
        app = await startAppServer(ca.issue(new Date("2020-01-01T00:00:00Z"), new Date("2020-01-02T00:00:00Z")));
        const expired = await runSmoke(base(app.url, { ca: ca.caPem, requests: 2 }));
        assert.equal(expired.ok, false);
        assert.deepEqual(expired.paths[0].errors, { "certificate has expired (CERT_HAS_EXPIRED)": 2 });
        assert.deepEqual(expired.warnings, ["the TLS certificate expired on 2020-01-02"]);
        // Without the test CA, Node's own roots do not trust it.
        const untrusted = await runSmoke(base(app.url, { requests: 1 }));
        assert.equal(untrusted.ok, false);
        assert.match(Object.keys(untrusted.paths[0].errors)[0], /not trusted|expired/);
    });

    it("--cluster/--service: the front door is discovered from ECS and ELBv2 (listener, rule, health-check path, matcher)", async () => {
        app = await startAppServer();
        const story = healthyStory(new Date());
        story.alb = albStory({ dnsName: "127.0.0.1", port: app.port, protocol: "HTTP" });
        fake = await startFakeAws(storyApi(story));
        const out = await run(["smoke", "--cluster", CLUSTER, "--service", SERVICE, "--requests", "2", "--format", "json"], fake.url);
        assert.equal(out.code, 0, out.stderr);
        const report = JSON.parse(out.stdout);
        assert.equal(report.url, `http://127.0.0.1:${app.port}`);
        assert.equal(report.matcher, "200-399");
        assert.deepEqual(
            report.paths.map((p: { path: string }) => p.path),
            ["/health/live"],
        );
        assert.deepEqual(report.notes, [`found through HTTP listener :${app.port} of 127.0.0.1, rule priority 20`]);
        assert.deepEqual(
            fake.calls.map((c) => c.op),
            [
                "ECS.DescribeServices",
                "ELBv2.DescribeTargetGroups",
                "ELBv2.DescribeLoadBalancers",
                "ELBv2.DescribeListeners",
                "ELBv2.DescribeRules",
            ],
        );
    });

    it("a rule with a host header over HTTPS: sent as Host and SNI, so the certificate for that name is checked", async () => {
        app = await startAppServer(ca.issue(new Date(Date.now() - DAY), new Date(Date.now() + 90 * DAY)));
        const story = healthyStory(new Date());
        story.alb = albStory({
            dnsName: "127.0.0.1",
            port: app.port,
            protocol: "HTTPS",
            hostHeader: "localhost",
            pathPatterns: ["/health/*"],
        });
        fake = await startFakeAws(storyApi(story));
        const aws = new AwsReader(loopbackClients(fake.url));
        const found = await discoverSmokeTarget(aws, { cluster: CLUSTER, service: SERVICE });
        assert.deepEqual(found.target, {
            url: `https://127.0.0.1:${app.port}`,
            paths: ["/health/live"],
            matcher: "200-399",
            hostHeader: "localhost",
        });
        const report = await runSmoke({ ...found.target, requests: 1, timeoutMs: 5_000, followRedirects: false, ca: ca.caPem });
        assert.equal(report.ok, true);
        assert.equal(app.requests[0].host, "localhost");
    });

    it("discovery says when the health-check path is not routed to the service, and when there is no load balancer", async () => {
        const story = healthyStory(new Date());
        story.alb = albStory({ pathPatterns: ["/api/*"] });
        fake = await startFakeAws(storyApi(story));
        const found = await discoverSmokeTarget(new AwsReader(loopbackClients(fake.url)), { cluster: CLUSTER, service: SERVICE });
        assert.match(
            found.notes[1],
            /the health-check path \/health\/live does not match the rule's path patterns \(\/api\/\*\): the ALB sends it elsewhere; pass --paths/,
        );
        assert.equal(pathPatternMatches("/api/*", "/api/health"), true);
        assert.equal(pathPatternMatches("/api/*", "/health/live"), false);
        await fake.close();

        const bare = healthyStory(new Date());
        bare.service.loadBalancers = [];
        fake = await startFakeAws(storyApi(bare));
        const out = await run(["smoke", "--cluster", CLUSTER, "--service", SERVICE], fake.url);
        assert.equal(out.code, 2);
        assert.match(out.stderr, /^doctor: service web has no load balancer to smoke-test through; pass --url\n$/);
    });

    it("RolloutVerification's smoke step without a url discovers the load balancer after the rollout completed", async () => {
        app = await startAppServer();
        const story = healthyStory(new Date());
        story.alb = albStory({ dnsName: "127.0.0.1", port: app.port, protocol: "HTTP" });
        fake = await startFakeAws(storyApi(story));
        const args = { cluster: CLUSTER, serviceName: SERVICE, taskDefinitionArn: td(7), timeout: "1m", pollInterval: "1s" };
        const result = await verifyRollout({ ...args, smoke: { requests: 1 } }, loopbackClients(fake.url));
        assert.equal(result.outcome, "succeeded");
        assert.equal(result.smoke?.ok, true);
        assert.deepEqual(
            app.requests.map((r) => r.path),
            ["/health/live"],
        );
        await assert.rejects(
            verifyRollout({ ...args, smoke: { paths: ["/health/ready"], requests: 1 } }, loopbackClients(fake.url)),
            (err: Error) => err instanceof SmokeFailedError && err.report.paths[0].statuses[503] === 1,
        );
    });
});
