/**
 * The analysis stage of the check (cli/check/analyze.ts) against a real pack whose policies fail
 * in every way a policy can (tests/fixtures/packs/faulty-pack, plain JavaScript, started through
 * run-policy-pack like every pack): each failure becomes one `CheckError` naming the policy and
 * the resource; and resources are analyzed as the program registers them. The hangs are endless,
 * so the short limits here decide nothing about speed: the calls that do finish take milliseconds.
 */
import * as assert from "assert";
import * as path from "path";
import { type PolicyPackHost, startPolicyPack } from "../../cli/analyzer";
import type { CapturedResource, OfflineRun } from "../../cli/offline/program-runner";
import { ANALYZED_WHILE_RUNNING, analyzeRun, startAnalysis } from "../../cli/check/analyze";
import { CheckError } from "../../cli/check/errors";

const FAULTY_PACK = path.join(__dirname, "..", "fixtures", "packs", "faulty-pack");
const LIMIT_MS = 3000;

function resource(type: string, name: string): CapturedResource {
    return {
        urn: `urn:pulumi:dev::fixture::${type}::${name}`,
        type,
        name,
        custom: true,
        remote: false,
        inputs: { name },
        outputs: {},
        dependencies: [],
        propertyDependencies: {},
        options: {},
    };
}

const RUN: OfflineRun = {
    project: "fixture",
    stack: "dev",
    programDir: "/nowhere",
    stackOutputs: {},
    unknownInvokes: [],
    notes: [],
    placement: { region: "eu-central-1", accountId: "123456789012", availabilityZones: [] } as any,
    resources: [
        resource("aws:iam/role:Role", "exec"),
        resource("aws:cloudwatch/logGroup:LogGroup", "logs"),
        resource("aws:ecs/taskDefinition:TaskDefinition", "web"),
        resource("aws:lb/targetGroup:TargetGroup", "web-tg"),
        resource("aws:ecs/service:Service", "web"),
    ],
};

/** A fresh faulty-pack running only `policy` (the others disabled). */
function startOnly(policy: string): () => Promise<PolicyPackHost> {
    return () => startPolicyPack({ packDir: FAULTY_PACK, timeoutMs: 120_000, config: { all: "disabled", [policy]: "mandatory" } });
}

async function analysisError(policy: string): Promise<CheckError> {
    const start = startOnly(policy);
    const host = await start();
    try {
        await analyzeRun(host, RUN, LIMIT_MS, start);
    } catch (e) {
        assert.ok(e instanceof CheckError, `expected a CheckError, got ${(e as Error)?.stack ?? e}`);
        return e;
    } finally {
        await host.close();
    }
    throw new assert.AssertionError({ message: `the analysis with ${policy} succeeded` });
}

describe("check analysis: failing policies", function () {
    this.timeout(240_000);

    it("a policy that passes: the diagnostics come back", async () => {
        const start = startOnly("passes-everything");
        const host = await start();
        try {
            assert.deepStrictEqual(await analyzeRun(host, RUN, LIMIT_MS, start), []);
        } finally {
            await host.close();
        }
    });

    it("a policy that throws: its name, the resource, the exception and where it was thrown", async () => {
        const error = await analysisError("throws-on-task-definitions");
        assert.strictEqual(error.stage, "policy throws-on-task-definitions");
        assert.strictEqual(
            error.message,
            "policy throws-on-task-definitions: threw on 'web' (aws:ecs/taskDefinition:TaskDefinition): " +
                "TypeError: containerDefinitions.map is not a function (thrown at index.js:22:23)",
        );
    });

    it("a policy that reports its own crash with the kit's `policy error:` marker fails the check like an exception", async () => {
        const error = await analysisError("reports-policy-error-on-services");
        assert.strictEqual(
            error.message,
            "policy reports-policy-error-on-services: failed on 'web' (aws:ecs/service:Service): cannot read loadBalancers. " +
                "The policy could not judge this resource.",
        );
    });

    it("a policy stuck in a synchronous loop: named, with the resource it was stuck on", async () => {
        const error = await analysisError("loops-on-target-groups");
        assert.strictEqual(error.stage, "policy loops-on-target-groups");
        assert.match(
            error.message,
            /^policy loops-on-target-groups: did not finish on 'web-tg' \(aws:lb\/targetGroup:TargetGroup\) within 3 s/,
        );
        assert.match(error.message, /run alone on it, it did not finish within 3 s either; raise the limit with --timeout/);
    });

    it("a policy whose promise never resolves: named, with the resource", async () => {
        const error = await analysisError("waits-on-log-groups");
        assert.match(
            error.message,
            /^policy waits-on-log-groups: did not finish on 'logs' \(aws:cloudwatch\/logGroup:LogGroup\) within 3 s/,
        );
    });

    it("a stack policy that never resolves: named, on the stack", async () => {
        const error = await analysisError("waits-on-the-stack");
        assert.match(error.message, /^policy waits-on-the-stack: did not finish on the stack \(validateStack\) within 3 s/);
    });
});

describe("check analysis: while the program runs", function () {
    this.timeout(240_000);

    /** Resolves once `done()` holds, checking every 20 ms: ends as soon as it holds, whatever the machine's speed. */
    async function until(done: () => boolean): Promise<void> {
        while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
    }

    it("resources added before the run ends are analyzed as they come, once the pack is ready, and not again at the end", async () => {
        const start = startOnly("passes-everything");
        const analyzed: string[] = [];
        const hostPromise = start().then((host) => {
            const analyze = host.analyze.bind(host);
            host.analyze = (resource, options) => {
                analyzed.push(resource.name);
                return analyze(resource, options);
            };
            return host;
        });
        const analysis = startAnalysis(hostPromise, LIMIT_MS, start);
        // Registered while the pack is still starting: they wait for it.
        for (const r of RUN.resources.slice(0, 3)) analysis.add(r);
        const host = await hostPromise;
        try {
            await until(() => analyzed.length === 3);
            for (const r of RUN.resources.slice(3)) analysis.add(r);
            await until(() => analyzed.length === RUN.resources.length);
            assert.deepStrictEqual(await analysis.finish(host, RUN), []);
            assert.deepStrictEqual(
                analyzed,
                RUN.resources.map((r) => r.name),
                "each resource once, in order, before the run ended",
            );
        } finally {
            await host.close();
        }
    });

    it(`at most ${ANALYZED_WHILE_RUNNING} resources are analyzed while the program runs; the others once it ended`, async () => {
        const start = startOnly("passes-everything");
        let analyzed = 0;
        const hostPromise = start().then((host) => {
            const analyze = host.analyze.bind(host);
            host.analyze = (resource, options) => {
                analyzed++;
                return analyze(resource, options);
            };
            return host;
        });
        const many = Array.from({ length: ANALYZED_WHILE_RUNNING + 5 }, (_, i) => resource("aws:s3/bucket:Bucket", `b${i}`));
        const analysis = startAnalysis(hostPromise, LIMIT_MS, start);
        for (const r of many) analysis.add(r);
        const host = await hostPromise;
        try {
            await until(() => analyzed >= ANALYZED_WHILE_RUNNING);
            // Calls start synchronously as others end: without the limit, the next ones would have started by now.
            await new Promise((resolve) => setImmediate(resolve));
            assert.equal(analyzed, ANALYZED_WHILE_RUNNING);
            assert.deepStrictEqual(await analysis.finish(host, { ...RUN, resources: many }), []);
            assert.equal(analyzed, many.length);
        } finally {
            await host.close();
        }
    });

    it("a policy that throws while the program runs is reported when the run ends, as after it", async () => {
        const start = startOnly("throws-on-task-definitions");
        const hostPromise = start();
        const analysis = startAnalysis(hostPromise, LIMIT_MS, start);
        for (const r of RUN.resources) analysis.add(r);
        const host = await hostPromise;
        try {
            await assert.rejects(analysis.finish(host, RUN), (e: unknown) => {
                assert.ok(e instanceof CheckError, String(e));
                assert.match(e.message, /^policy throws-on-task-definitions: threw on 'web' \(aws:ecs\/taskDefinition:TaskDefinition\)/);
                return true;
            });
        } finally {
            await host.close();
        }
    });
});
