/**
 * The host's per-call limits and start options, against a real JavaScript pack
 * (tests/fixtures/packs/faulty-pack) started through run-policy-pack.
 */
import * as assert from "assert";
import * as path from "path";
import { PolicyPackRpcError, startPolicyPack } from "../../cli/analyzer";

const FAULTY_PACK = path.join(__dirname, "..", "fixtures", "packs", "faulty-pack");
const logGroup = { type: "aws:cloudwatch/logGroup:LogGroup", name: "logs", properties: {} };

describe("policy pack host: limits and start options", function () {
    this.timeout(200_000);

    it("an answer that arrived while this process's event loop was busy past the limit still wins", async () => {
        const host = await startPolicyPack({ packDir: FAULTY_PACK, timeoutMs: 150_000 });
        try {
            const answer = host.getPluginInfo({ timeoutMs: 200 });
            // The pack answers in milliseconds; this process only looks after 10 s, long past the limit.
            const until = Date.now() + 10_000;
            while (Date.now() < until) {
                /* busy, like a program running in-process */
            }
            assert.match((await answer).version, /^\d+\.\d+\.\d+/);
        } finally {
            await host.close();
        }
    });

    it("a call that does not answer within its limit is cancelled with a timeout error naming the method and the pack", async () => {
        const host = await startPolicyPack({
            packDir: FAULTY_PACK,
            timeoutMs: 150_000,
            config: { all: "disabled", "waits-on-log-groups": "mandatory" },
        });
        try {
            await assert.rejects(
                host.analyze(logGroup, { timeoutMs: 1000 }),
                (e: unknown) =>
                    e instanceof PolicyPackRpcError &&
                    e.timedOut &&
                    e.message === "Analyze did not answer within 1 s (1000 ms) in policy pack 'faulty-pack'",
            );
            // The pack still serves other calls; isolating a policy that finishes makes the same call answer.
            await host.isolatePolicy("passes-everything");
            assert.deepStrictEqual(await host.analyze(logGroup, { timeoutMs: 30_000 }), []);
        } finally {
            await host.close();
        }
    });

    it("builds the config from the pack's metadata when given a function, and refuses what it throws", async () => {
        const seen: string[] = [];
        const host = await startPolicyPack({
            packDir: FAULTY_PACK,
            timeoutMs: 150_000,
            config: (info) => {
                seen.push(...info.policies.map((p) => p.name));
                return { all: "disabled", "passes-everything": "advisory" };
            },
        });
        try {
            assert.ok(seen.includes("loops-on-target-groups"), JSON.stringify(seen));
            assert.strictEqual(host.config["passes-everything"]?.enforcementLevel, "advisory");
            assert.strictEqual(host.config["throws-on-task-definitions"]?.enforcementLevel, "disabled");
        } finally {
            await host.close();
        }
        await assert.rejects(
            startPolicyPack({
                packDir: FAULTY_PACK,
                timeoutMs: 150_000,
                config: () => {
                    throw new Error("refused");
                },
            }),
            /refused/,
        );
    });
});
