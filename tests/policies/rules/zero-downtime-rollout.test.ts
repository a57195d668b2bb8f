import * as assert from "assert";
import { isProductionLike, zeroDowntimeRollout as policy, ZERO_DOWNTIME_ROLLOUT_DEFAULTS } from "../../../policies/rules/zero-downtime-rollout";
import { TYPES } from "../../../policies/resources";
import { runResource, undecided, violations } from "../harness";
import { U, serviceProps, set } from "../fixtures";

describe("zero-downtime-rollout", () => {
    const run = (props: Record<string, unknown>, stack = "prod", config?: Record<string, unknown>) =>
        runResource(policy, { type: TYPES.service, name: "api-service", props, stack, config });

    it("passes two tasks at 100/200 in production", () => {
        assert.deepStrictEqual(run(serviceProps()), []);
    });

    it("rejects a single task in a production stack", () => {
        const [v, ...rest] = run(set(serviceProps(), "desiredCount", 1), "production-eu");
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.match(v.message, /'api-service' \(aws:ecs\/service:Service\) `desiredCount`: found 1 in production-like stack 'production-eu'\. `desiredCount` is 1: with fewer than 2 tasks.*Fix: Set `desiredCount` to at least 2\./);
    });

    it("rejects minimum healthy below 100, naming the provider field", () => {
        const [v] = run(set(serviceProps(), "deploymentMinimumHealthyPercent", 50));
        assert.match(v.message, /`deploymentMinimumHealthyPercent`: found 50 in production-like stack 'prod'\. `deploymentMinimumHealthyPercent` is 50: a deployment may stop 1 of 2 task\(s\)/);
    });

    it("rejects 100/100, which lets no deployment progress", () => {
        const [v] = run(set(serviceProps(), "deploymentMaximumPercent", 100));
        assert.match(v.message, /`deploymentMaximumPercent`: found 100.*deployments never progress.*Raise `deploymentMaximumPercent` to at least 150/);
    });

    it("treats an unset desiredCount as the provider default 0", () => {
        const [v] = run(set(serviceProps(), "desiredCount", undefined));
        assert.match(v.message, /found unset \(default 0\)/);
    });

    it("does not apply to other stacks unless productionLike is set", () => {
        const single = set(serviceProps(), "desiredCount", 1);
        assert.deepStrictEqual(run(single, "dev"), []);
        assert.deepStrictEqual(run(single, "prodigy"), []);
        assert.strictEqual(run(single, "dev", { productionLike: true }).length, 1);
        assert.strictEqual(run(single, "staging", { productionStackPattern: "^staging$" }).length, 1);
        assert.strictEqual(isProductionLike("x", { ...ZERO_DOWNTIME_ROLLOUT_DEFAULTS, productionStackPattern: "(" }), false, "an invalid pattern matches nothing");
    });

    it("reports an unknown desiredCount as undecided", () => {
        const ds = run(set(serviceProps(), "desiredCount", U));
        assert.strictEqual(violations(ds).length, 0);
        assert.match(undecided(ds)[0].message, /`desiredCount`: cannot verify/);
    });

    describe("awsx FargateService", () => {
        const awsx = (props: Record<string, unknown>) => runResource(policy, { type: TYPES.awsxFargateService, name: "worker", props, stack: "prod" });

        it("judges the component's args, with awsx's default of one task", () => {
            const [v, ...rest] = violations(awsx({}));
            assert.strictEqual(rest.length, 0);
            assert.match(v.message, /'worker' \(awsx:ecs:FargateService\) `desiredCount`/);
            assert.deepStrictEqual(awsx({ desiredCount: 2 }), []);
        });

        it("does not report the same setting again on the service awsx creates", () => {
            const child = runResource(policy, { type: TYPES.service, name: "worker", props: set(serviceProps(), "desiredCount", 1), stack: "prod", parentTypes: [TYPES.awsxFargateService] });
            assert.deepStrictEqual(child, []);
        });
    });
});
