/**
 * `doctor startup`: phases measured from task timestamps, events and log lines, set beside the
 * declared budget (service tags or flags) and the live settings, and a recommendation turned
 * into a contract by the domain's own `buildHealthContract`. `main` runs in-process with real SDK
 * clients against the loopback endpoint.
 */
import * as assert from "node:assert/strict";
import { contractFor } from "../../cli/doctor/startup";
import { runMainOn, startFakeAws, type FakeAws } from "./fake-aws";
import { CLUSTER, SERVICE, StoryError } from "./stories";
import { startupStory } from "./startup-story";
import { storyApi } from "./story-api";

const ARGS = ["startup", "--cluster", CLUSTER, "--service", SERVICE];

const run = (url: string, args: string[]) => runMainOn(url, args);

const phase = (report: any, id: string) => report.phases.find((p: { id: string }) => p.id === id);

describe("doctor startup", () => {
    let fake: FakeAws | undefined;
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });

    it("one task slower than the declared worst case: exit 1, measured phases, a recommendation the domain turns into a contract", async () => {
        const story = startupStory(new Date(), { slowest: 52 });
        fake = await startFakeAws(storyApi(story));
        const out = await run(fake.url, [...ARGS, "--format", "json"]);
        assert.equal(out.code, 1, out.stderr);
        const report = out.json();
        assert.deepEqual(report.declared, { expectedSeconds: 20, worstCaseSeconds: 40, source: "tags" });
        assert.deepEqual(report.tasks, { measured: 20, running: 2, stopped: 18, taskDefinitions: ["web:7"] });
        assert.equal(phase(report, "first-healthy-probe").stats.n, 20);
        assert.equal(phase(report, "first-healthy-probe").stats.max, 52);
        assert.equal(phase(report, "provisioning").stats.n, 20);
        assert.equal(phase(report, "alb-healthy").stats.n, 20);
        assert.equal(phase(report, "steady-state").stats.n, 1);
        assert.deepEqual(
            report.findings.map((f: { id: string }) => f.id),
            ["slower-than-worst-case"],
        );

        const r = report.recommendation;
        assert.equal(r.ok, true);
        assert.equal(r.worstCaseSeconds, 80); // 52 × 1.5 = 78 → 80
        assert.match(r.how, /^expected = p50 \(\d+ s\) and worst case = slowest \(52 s\) × 1\.5, rounded up to 5 s, over 20 starts$/);
        // The same domain function the component uses, on the live service's shape.
        assert.equal(r.contract.timings.healthCheckGracePeriodSeconds, 100);
        assert.equal(r.contract.timings.container.startPeriod, 80);
        assert.equal(r.contract.timings.deregistrationDelay, 15);
        assert.equal(report.declaredContract.timeline.newTaskHealthySeconds, 65);
        // Reads: one per API, one FilterLogEvents per wave of tasks started together (5 waves of 4).
        assert.deepEqual(
            fake.calls
                .map((c) => c.op)
                .filter((op, i, all) => all.indexOf(op) === i)
                .sort(),
            [
                "ECS.DescribeServices",
                "ECS.DescribeTaskDefinition",
                "ECS.DescribeTasks",
                "ECS.ListTasks",
                "ELBv2.DescribeTargetGroupAttributes",
                "ELBv2.DescribeTargetGroups",
                "Logs.FilterLogEvents",
            ],
        );
        assert.equal(fake.calls.filter((c) => c.op === "Logs.FilterLogEvents").length, 5);
        assert.ok(fake.calls.filter((c) => c.op === "Logs.FilterLogEvents").every((c) => c.input.logStreamNames.length === 4));
    });

    it("text: the phases table, the finding, the recommendation and both contracts", async () => {
        fake = await startFakeAws(storyApi(startupStory(new Date(), { slowest: 52 })));
        const out = await run(fake.url, ARGS);
        assert.match(out.stdout, /^web \(cluster prod, eu-west-1\): start-up of 20 tasks \(2 running, 18 stopped; web:7\)\n/);
        assert.match(out.stdout, /\ndeclared budget: expected 20 s, worst case 40 s \(service tags healthy-fargate:startup-\*\)\n/);
        assert.match(out.stdout, /\napp start → first healthy probe +20 +\d+ s +\d+ s +\d+ s +52 s +expected 20 s, worst 40 s\n/);
        assert.match(
            out.stdout,
            /\n {2}- slower-than-worst-case: the slowest measured start-up \(52 s\) exceeds the declared worst case \(40 s\)/,
        );
        assert.match(out.stdout, /\nrecommendation: startup: \{ expectedSeconds: \d+, worstCaseSeconds: 80 \}\n/);
        assert.match(out.stdout, /\ngrace period +60 s +100 s\n/);
    });

    it("within the budget: exit 0, no finding", async () => {
        fake = await startFakeAws(storyApi(startupStory(new Date())));
        const out = await run(fake.url, [...ARGS, "--format", "json"]);
        assert.equal(out.code, 0, out.stderr);
        assert.deepEqual(out.json().findings, []);
        assert.ok(phase(out.json(), "first-healthy-probe").stats.max <= 40);
    });

    it("fewer than 5 samples: says so, no recommendation", async () => {
        fake = await startFakeAws(storyApi(startupStory(new Date(), { tasks: 4 })));
        const out = await run(fake.url, ARGS);
        assert.equal(out.code, 0);
        assert.match(out.stdout, /\nno recommendation: 4 samples, fewer than the 5 needed for a recommendation\n/);
        assert.doesNotMatch(out.stdout, /\s+recommended\n/);
    });

    it("live settings that kill the slowest start (grace period 0): exit 1 naming the check that kills it", async () => {
        const story = startupStory(new Date(), { slowest: 38 });
        story.service.healthCheckGracePeriodSeconds = 0;
        fake = await startFakeAws(storyApi(story));
        const report = (await run(fake.url, [...ARGS, "--format", "json"])).json();
        const finding = report.findings.find((f: { id: string }) => f.id === "live-settings-kill-slowest-start");
        // Measured to the first passing probe: 38 s of start-up shows as 40 s (probes every 10 s).
        const slowest = phase(report, "first-healthy-probe").stats.max;
        assert.equal(slowest, 40);
        assert.match(
            finding.message,
            /^with the live settings \(grace period 0 s\) a task that answers after 40 s — the slowest measured — is killed by the ALB health check at 20 s$/,
        );
    });

    it("no budget in tags: says how to declare one; --expected/--worst declare it (and go together)", async () => {
        fake = await startFakeAws(storyApi(startupStory(new Date(), { tags: false })));
        const none = await run(fake.url, ARGS);
        assert.match(
            none.stdout,
            /\ndeclared budget: none \(no healthy-fargate:startup-\* tags on the service; pass --expected and --worst\)\n/,
        );
        const flags = await run(fake.url, [...ARGS, "--expected", "15s", "--worst", "30s", "--format", "json"]);
        assert.deepEqual(flags.json().declared, { expectedSeconds: 15, worstCaseSeconds: 30, source: "flags" });
        const half = await run(fake.url, [...ARGS, "--expected", "15s"]);
        assert.equal(half.code, 64);
        assert.match(half.stderr, /`--expected` and `--worst` go together/);
    });

    it("logs unreadable: the phases AWS reports are still measured, start-up itself is not, and it says why", async () => {
        const story = startupStory(new Date());
        fake = await startFakeAws({
            ...storyApi(story),
            "Logs.FilterLogEvents": () => {
                throw new StoryError("AccessDeniedException", "User is not authorized to perform: logs:FilterLogEvents");
            },
        });
        const out = await run(fake.url, [...ARGS, "--format", "json"]);
        assert.equal(out.code, 0);
        const report = out.json();
        assert.equal(phase(report, "provisioning").stats.n, 20);
        assert.equal(phase(report, "first-healthy-probe").stats, undefined);
        assert.equal(report.recommendation.ok, false);
        assert.ok(report.verdicts.includes("no successful probe request was found in the logs, so start-up itself was not measured"));
        assert.ok(report.notes.some((n: string) => n.includes("AccessDeniedException")));
    });

    it("--probe-pattern measures to the line it matches", async () => {
        fake = await startFakeAws(storyApi(startupStory(new Date(), { slowest: 52 })));
        const out = await run(fake.url, [...ARGS, "--probe-pattern", "listening on", "--format", "json"]);
        const report = out.json();
        assert.equal(report.probe.custom, true);
        // "listening" is logged half a second after the app is up: the slowest is 52.5 s.
        assert.equal(phase(report, "first-healthy-probe").stats.max, 52.5);
    });

    it("contractFor is buildHealthContract over the live service (port, tool, path, matcher, shape)", () => {
        const story = startupStory(new Date());
        const data = {
            cluster: CLUSTER,
            collectedAt: new Date(),
            service: story.service,
            tasks: [],
            container: "web",
            logs: [],
            notes: [],
            taskDefinitions: { [story.taskDefinitions[0].taskDefinitionArn!]: story.taskDefinitions[0] },
            targetGroup: story.alb!.targetGroups[0],
            deregistrationDelaySeconds: 15,
        };
        const c = contractFor(data, { expectedSeconds: 20, worstCaseSeconds: 40 });
        assert.deepEqual([c.probe.tool, c.probe.port, c.probe.livenessPath, c.probe.matcher], ["curl", 8080, "/health/live", "200-399"]);
        assert.deepEqual([c.deployment.desiredCount, c.deployment.minimumHealthyPercent, c.deployment.maximumPercent], [2, 100, 200]);
    });
});
