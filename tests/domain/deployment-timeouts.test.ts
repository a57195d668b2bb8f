import { strict as assert } from "assert";
import { type HealthContractInput, buildHealthContract } from "../../policies/domain/health-contract";
import { MAX_WAITED_UPDATE_MINUTES, deploymentTimeouts, waitedUpdateProblem } from "../../policies/domain/deployment-timeouts";
import { healthContractInput } from "../support/health-contract-input";

const base = healthContractInput({ startup: { expectedSeconds: 20, worstCaseSeconds: 60 } });
const contract = (change: Partial<HealthContractInput>) => buildHealthContract({ ...base, ...change });

describe("deploymentTimeouts", () => {
    it("never goes below the provider's own 20 minutes for a short deployment", () => {
        const c = contract({});
        const t = deploymentTimeouts(c.timeline, c.timings);
        assert.deepEqual([t.createMinutes, t.updateMinutes, t.deleteMinutes], [20, 20, 20]);
        assert.equal(t.coveredSeconds, Math.max(c.timeline.rollingDeploymentWithBakeSeconds, c.timeline.rollbackCompleteSeconds));
    });

    it("covers a blue/green bake with room: (deployment + bake) × 1.5 + 5 min", () => {
        const c = contract({ strategy: "blue-green", bakeTimeMinutes: 120 });
        const t = deploymentTimeouts(c.timeline, c.timings);
        const covered = c.timeline.rollingDeploymentWithBakeSeconds;
        assert.ok(covered > 120 * 60);
        assert.equal(t.updateMinutes, Math.ceil((covered * 1.5 + 300) / 60));
        assert.equal(t.createMinutes, t.updateMinutes);
        assert.match(t.basis, /a deployment with bake \(\d+ s\) × 1.5 \+ 5 min/);
    });

    it("covers the rollback of a bad release when that is the longer path (one task, slow worst-case start)", () => {
        const c = contract({ desiredCount: 1, startup: { expectedSeconds: 10, worstCaseSeconds: 280 } });
        assert.ok(c.timeline.rollbackCompleteSeconds > c.timeline.rollingDeploymentWithBakeSeconds, "the rollback is the longer path here");
        const t = deploymentTimeouts(c.timeline, c.timings);
        assert.equal(t.coveredSeconds, c.timeline.rollbackCompleteSeconds);
        assert.equal(t.updateMinutes, Math.max(20, Math.ceil((c.timeline.rollbackCompleteSeconds * 1.5 + 300) / 60)));
        assert.match(t.basis, /^a failed release rolled back/);
    });

    it("ignores a breaker that can never trip (Infinity) instead of waiting forever", () => {
        const c = contract({});
        const t = deploymentTimeouts({ ...c.timeline, rollbackCompleteSeconds: Infinity }, c.timings);
        assert.ok(Number.isFinite(t.updateMinutes));
    });
});

describe("waitedUpdateProblem", () => {
    it("accepts the reference stack's 10-minute bake", () => {
        const c = contract({ strategy: "blue-green", bakeTimeMinutes: 10, desiredCount: 4 });
        assert.equal(waitedUpdateProblem(c.timeline, c.timings, 10), undefined);
    });

    it("rejects a 24 h bake and names the largest bake that fits in 12 h", () => {
        const c = contract({ strategy: "blue-green", bakeTimeMinutes: 1440 });
        const problem = waitedUpdateProblem(c.timeline, c.timings, 1440);
        assert.ok(problem);
        assert.match(problem.problem, /would wait up to \d+ min .* longer than the 12 h that credentials of one IAM role session last/);
        // The bake it names fits, one minute more does not.
        const fits = contract({ strategy: "blue-green", bakeTimeMinutes: problem.maxBakeTimeMinutes });
        assert.ok(deploymentTimeouts(fits.timeline, fits.timings).updateMinutes <= MAX_WAITED_UPDATE_MINUTES);
        const over = contract({ strategy: "blue-green", bakeTimeMinutes: problem.maxBakeTimeMinutes + 1 });
        assert.ok(waitedUpdateProblem(over.timeline, over.timings, problem.maxBakeTimeMinutes + 1));
    });
});
