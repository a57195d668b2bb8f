import { strict as assert } from "assert";
import fc from "fast-check";
import { healthContractInput } from "../support/health-contract-input";
import {
    MAX_COVERABLE_STARTUP_SECONDS,
    assertBudget,
    buildHealthContract,
    recommendStartupBudget,
    simulateTaskStart,
    summarizeSamples,
} from "../../policies/domain";

describe("start-up measurement: statistics and recommended budget", () => {
    it("nearest-rank percentiles: every statistic is a measured value", () => {
        assert.deepEqual(summarizeSamples([30, 10, 20, 40, 50]), { n: 5, min: 10, p50: 30, p95: 50, max: 50 });
        // 20 samples 1..20: p50 is the 10th, p95 the 19th.
        assert.deepEqual(summarizeSamples(Array.from({ length: 20 }, (_, i) => 20 - i)), { n: 20, min: 1, p50: 10, p95: 19, max: 20 });
        assert.equal(summarizeSamples([]), undefined);
        assert.deepEqual(summarizeSamples([Number.NaN, 7, Infinity]), { n: 1, min: 7, p50: 7, p95: 7, max: 7 });
    });

    it("recommends expected = p50 and worst = max × 1.5, rounded up to 5 s", () => {
        const r = recommendStartupBudget([12, 14, 15, 18, 21, 26, 34]);
        assert.ok(r.ok);
        assert.equal(r.expectedSeconds, 20); // p50 18 → 20
        assert.equal(r.worstCaseSeconds, 55); // 34 × 1.5 = 51 → 55
        assert.equal(r.how, "expected = p50 (18 s) and worst case = slowest (34 s) × 1.5, rounded up to 5 s, over 7 starts");
    });

    it("too few samples: no recommendation, and it says how many it had", () => {
        assert.deepEqual(recommendStartupBudget([10, 11, 12, 13]), {
            ok: false,
            samples: 4,
            reason: "4 samples, fewer than the 5 needed for a recommendation",
        });
        assert.deepEqual(recommendStartupBudget([]), {
            ok: false,
            samples: 0,
            reason: "0 samples, fewer than the 5 needed for a recommendation",
        });
    });

    it("a worst case beyond what a container probe covers is capped, and says so", () => {
        const r = recommendStartupBudget([2000, 2100, 2200, 2300, 2400]);
        assert.ok(r.ok && r.capped);
        assert.equal(r.worstCaseSeconds, MAX_COVERABLE_STARTUP_SECONDS);
        assert.match(r.how, /capped at 3300 s, the most a container probe can cover/);
    });

    it("property: the recommendation is a valid component budget whose contract lets every measured start survive", () => {
        fc.assert(
            fc.property(fc.array(fc.double({ min: 0.1, max: 2000, noNaN: true }), { minLength: 5, maxLength: 60 }), (samples) => {
                const r = recommendStartupBudget(samples);
                assert.ok(r.ok);
                assert.ok(r.worstCaseSeconds >= r.expectedSeconds && r.expectedSeconds >= r.stats.p50);
                assert.equal(r.expectedSeconds % 5, 0);
                assert.doesNotThrow(() =>
                    assertBudget({ startup: { expectedSeconds: r.expectedSeconds, worstCaseSeconds: r.worstCaseSeconds } }),
                );
                if (r.capped) return;
                // The same domain function the components use derives the timings; the slowest start survives them.
                const contract = buildHealthContract(
                    healthContractInput({ startup: { expectedSeconds: r.expectedSeconds, worstCaseSeconds: r.worstCaseSeconds } }),
                );
                const t = contract.timings;
                const outcome = simulateTaskStart({
                    startupSeconds: r.stats.max,
                    alb: t.alb,
                    containerProbe: t.container,
                    healthCheckGracePeriodSeconds: t.healthCheckGracePeriodSeconds,
                });
                assert.equal(outcome.killed, undefined);
            }),
        );
    });
});
