/**
 * `doctor scan`: a row per service, the cheap path for healthy services, the full diagnosis for
 * the others, partial failures that degrade a row (never the scan), and its outputs. `main` runs
 * in-process with real SDK clients against the loopback endpoint.
 */
import * as assert from "node:assert/strict";
import { mapLimit } from "../../cli/doctor/concurrency";
import { clusterOf } from "./cluster-stories";
import { runMainOn, startFakeAws, type FakeAws } from "./fake-aws";
import { CLUSTER, StoryError } from "./stories";
import { clusterApi } from "./story-api";

const run = (url: string, args: string[], tty = false) => runMainOn(url, args, { tty });

const SCAN = ["scan", "--cluster", CLUSTER];

describe("doctor scan", () => {
    let fake: FakeAws | undefined;
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });

    it("10 services, 2 rolled back: exit 1, one JSON object, full diagnosis only where needed", async () => {
        fake = await startFakeAws(clusterApi(clusterOf(new Date(), 10)));
        const out = await run(fake.url, [...SCAN, "--format", "json"]);
        assert.equal(out.code, 1, out.stderr);
        const scan = JSON.parse(out.stdout);
        assert.equal(scan.services.length, 10);
        assert.deepEqual(scan.summary, { total: 10, healthy: 8, "rolled-back": 2 });
        const rolledBack = scan.services.filter((r: { status: string }) => r.status === "rolled-back");
        assert.deepEqual(
            rolledBack.map((r: { service: string }) => r.service),
            ["svc-004", "svc-009"],
        );
        for (const r of rolledBack) {
            assert.deepEqual(r.causes, ["circuit-breaker-rollback", "container-health-check-failed"]);
            assert.equal(r.depth, "full");
            assert.equal(r.lastDeployment, `${r.service}:7 FAILED, rolled back to ${r.service}:6`);
            assert.ok(r.lastFailureAt);
        }
        assert.ok(
            scan.services.filter((r: { status: string }) => r.status === "healthy").every((r: { depth: string }) => r.depth === "quick"),
        );
        // One ListServices, one DescribeServices for all ten; the rest is the two deep diagnoses.
        assert.equal(scan.calls.byApi["ECS.ListServices"], 1);
        assert.equal(scan.calls.byApi["ECS.DescribeServices"], 1);
        assert.equal(scan.calls.total, fake.calls.length);
    });

    it("text: problem rows first, the command for details; markdown: a table", async () => {
        fake = await startFakeAws(clusterApi(clusterOf(new Date(), 5)));
        const text = await run(fake.url, SCAN);
        assert.equal(text.code, 1);
        const lines = text.stdout.split("\n");
        assert.match(lines[0], /^cluster prod \(eu-west-1\): 5 services — 4 healthy, 1 ROLLED BACK$/);
        assert.match(lines[3], /^service +status +tasks +last deployment +causes +last failure$/);
        assert.match(
            lines[4],
            /^svc-004 +ROLLED BACK +2\/2 +svc-004:7 FAILED, rolled back to svc-004:6 +circuit-breaker-rollback, container-health-check-failed +\d+ min ago$/,
        );
        assert.match(lines[5], /^svc-000 +healthy +2\/2 +svc-000:7 COMPLETED +- +-$/);
        assert.match(text.stdout, /\ndetails: doctor diagnose --cluster prod --service svc-004\n$/);

        const md = await run(fake.url, [...SCAN, "--format", "markdown"]);
        assert.match(md.stdout, /^### cluster prod/);
        assert.match(
            md.stdout,
            /\n\| service \| status \| tasks \| last deployment \| causes \| last failure \|\n\|---\|---\|---\|---\|---\|---\|\n\| svc-004 \| \*\*ROLLED BACK\*\* \|/,
        );
    });

    it("an empty cluster: exit 0, says so", async () => {
        fake = await startFakeAws(clusterApi([]));
        const out = await run(fake.url, SCAN);
        assert.equal(out.code, 0);
        assert.match(out.stdout, /^cluster prod \(eu-west-1\): 0 services\n[\s\S]*\nno services in cluster prod\n$/);
    });

    it("an unknown cluster: exit 2, not found", async () => {
        fake = await startFakeAws(clusterApi(clusterOf(new Date(), 2)));
        const out = await run(fake.url, ["scan", "--cluster", "staging", "--format", "json"]);
        assert.equal(out.code, 2);
        assert.match(out.stderr, /cannot read the services of cluster staging: not found \(ClusterNotFoundException/);
        assert.equal(JSON.parse(out.stdout).error.reason, "not-found");
    });

    it("AccessDenied on Logs and target health degrades those rows and says so; the scan goes on", async () => {
        const stories = clusterOf(new Date(), 5);
        for (const s of stories) {
            s.targetHealth = new StoryError(
                "AccessDenied",
                "User is not authorized to perform: elasticloadbalancing:DescribeTargetHealth",
                403,
            );
            s.logs = {};
        }
        fake = await startFakeAws(clusterApi(stories));
        const out = await run(fake.url, [...SCAN, "--format", "json"]);
        assert.equal(out.code, 1);
        const row = JSON.parse(out.stdout).services.find((r: { service: string }) => r.service === "svc-004");
        assert.deepEqual(row.causes, ["circuit-breaker-rollback", "container-health-check-failed"]);
        assert.ok(
            row.notes.some((n: string) => n.includes("AccessDenied")),
            row.notes.join("\n"),
        );
    });

    it("a DescribeServices batch with a malformed answer: its ten rows are unreadable, the others judged; exit 2", async () => {
        fake = await startFakeAws(clusterApi(clusterOf(new Date(), 20, () => "healthy")));
        fake.answerRaw("ECS.DescribeServices", '{"services": 42}', { n: 1 });
        const out = await run(fake.url, [...SCAN, "--concurrency", "1", "--format", "json"]);
        assert.equal(out.code, 2);
        const scan = JSON.parse(out.stdout);
        assert.deepEqual(scan.summary, { total: 20, unreadable: 10, healthy: 10 });
        const bad = scan.services.find((r: { status: string }) => r.status === "unreadable");
        assert.match(
            bad.notes[0],
            /^DescribeServices failed: unexpected response from ECS\.DescribeServices: services expected array, received number$/,
        );
    });

    it("a throttling burst is ridden out; the call budget stops further reads and the rows say so", async () => {
        fake = await startFakeAws(clusterApi(clusterOf(new Date(), 10)));
        fake.throttle("ECS.DescribeServices", 3);
        const ok = await run(fake.url, [...SCAN, "--format", "json"]);
        assert.equal(JSON.parse(ok.stdout).calls.retries, 3);
        assert.equal(JSON.parse(ok.stdout).summary["rolled-back"], 2);

        const limited = await run(fake.url, [...SCAN, "--max-calls", "4", "--format", "json"]);
        const scan = JSON.parse(limited.stdout);
        assert.equal(scan.calls.total, 4);
        assert.ok(scan.services.some((r: { notes: string[] }) => r.notes.some((n) => n.includes("AWS-call budget of 4 calls is used up"))));
    });

    it("a terminal gets a progress line, cleared at the end; a pipe gets none", async () => {
        fake = await startFakeAws(clusterApi(clusterOf(new Date(), 3)));
        const tty = await run(fake.url, SCAN, true);
        assert.match(tty.stderr, /\r\x1b\[2Kscanned 3\/3 services · 0 problems · \d+ AWS calls\r\x1b\[2K$/);
        const piped = await run(fake.url, SCAN, false);
        assert.equal(piped.stderr, "");
    });

    it("mapLimit keeps at most `limit` calls in flight and returns results in order", async () => {
        let inFlight = 0;
        let most = 0;
        const results = await mapLimit([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
            most = Math.max(most, ++inFlight);
            await new Promise((resolve) => setImmediate(resolve));
            inFlight--;
            return n * 10;
        });
        assert.deepEqual(results, [50, 10, 40, 20, 30, 0, 60]);
        assert.equal(most, 3);
    });
});
