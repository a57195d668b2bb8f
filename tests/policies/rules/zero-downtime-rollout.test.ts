import * as assert from "assert";
import {
    isProductionLike,
    zeroDowntimeRollout as policy,
    ZERO_DOWNTIME_ROLLOUT_DEFAULTS,
} from "../../../policies/rules/zero-downtime-rollout";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram } from "../awsx-worlds";
import { runResource, undecided, violations, assertFinding } from "../harness";
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
        assertFinding(v, { resource: "api-service", type: "aws:ecs/service:Service", path: "desiredCount", undecided: false });
        assert.match(v.message, /found 1 in production-like stack 'production-eu' \(`productionStackPattern`\)/);
    });

    it("rejects minimum healthy below 100, naming the provider field", () => {
        const [v] = run(set(serviceProps(), "deploymentMinimumHealthyPercent", 50));
        assertFinding(v, { path: "deploymentMinimumHealthyPercent", undecided: false });
        assert.match(v.message, /found 50 in production-like stack 'prod' \(`productionStackPattern`\)/);
    });

    it("rejects 100/100, which lets no deployment progress", () => {
        const [v] = run(set(serviceProps(), "deploymentMaximumPercent", 100));
        assertFinding(v, { path: "deploymentMaximumPercent", undecided: false });
        assert.match(v.message, /found 100.*deployments never progress.*Raise `deploymentMaximumPercent` to at least 150/);
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
    });

    describe("stack config `healthy-fargate:productionLike` (PULUMI_CONFIG, as the CLI passes it to the pack)", () => {
        const single = set(serviceProps(), "desiredCount", 1);
        const withStackConfig = <T>(config: Record<string, unknown> | string | undefined, f: () => T): T => {
            const before = process.env.PULUMI_CONFIG;
            if (config === undefined) delete process.env.PULUMI_CONFIG;
            else process.env.PULUMI_CONFIG = typeof config === "string" ? config : JSON.stringify(config);
            try {
                return f();
            } finally {
                if (before === undefined) delete process.env.PULUMI_CONFIG;
                else process.env.PULUMI_CONFIG = before;
            }
        };

        it("turns the policy on for a stack named dev, and says why", () => {
            const [v, ...rest] = withStackConfig({ "healthy-fargate:productionLike": "true", "aws:region": "eu-west-1" }, () =>
                run(single, "dev"),
            );
            assert.strictEqual(rest.length, 0);
            assert.strictEqual(v.enforcementLevel, "mandatory");
            assert.match(v.message, /found 1 in production-like stack 'dev' \(stack config `healthy-fargate:productionLike`\)/);
            assert.ok(isProductionLike("dev", ZERO_DOWNTIME_ROLLOUT_DEFAULTS) === false, "outside the env var nothing is production-like");
        });

        it("turns it off for a stack whose name matches the pattern; the pattern stays the fallback", () => {
            assert.deepStrictEqual(
                withStackConfig({ "healthy-fargate:productionLike": "false" }, () => run(single, "prod")),
                [],
            );
            assert.strictEqual(withStackConfig({ "healthy-fargate:vpcCidr": "10.0.0.0/16" }, () => run(single, "prod")).length, 1);
            // The old `namespace:config:key` spelling the SDK also accepts.
            assert.strictEqual(withStackConfig({ "healthy-fargate:config:productionLike": "true" }, () => run(single, "dev")).length, 1);
            // The policy config `productionLike: true` covers every stack, whatever the stack says.
            assert.strictEqual(
                withStackConfig({ "healthy-fargate:productionLike": "false" }, () => run(single, "dev", { productionLike: true })).length,
                1,
            );
        });

        it("reports a stack setting that is neither true nor false, at the policy's level, naming the key", () => {
            const [v, ...rest] = withStackConfig({ "healthy-fargate:productionLike": "yes" }, () => run(serviceProps(), "dev"));
            assert.strictEqual(rest.length, 0);
            assert.strictEqual(v.enforcementLevel, "mandatory");
            assertFinding(v, { path: "healthy-fargate:productionLike (stack config)", undecided: false });
            assert.match(v.message, /found `healthy-fargate:productionLike` is "yes", not true or false/);
            assert.match(withStackConfig("{not json", () => run(serviceProps(), "dev"))[0].message, /PULUMI_CONFIG is not valid JSON/);
        });
    });

    it("reports an invalid productionStackPattern as a config error instead of silently matching nothing", () => {
        for (const stack of ["prod", "dev"]) {
            const [v, ...rest] = run(serviceProps(), stack, { productionStackPattern: "(prod" });
            assert.strictEqual(rest.length, 0, stack);
            assert.strictEqual(v.enforcementLevel, "mandatory");
            assertFinding(v, { path: "productionStackPattern (policy config)", undecided: false });
            assert.match(v.message, /found "\(prod"/);
        }
        assert.strictEqual(isProductionLike("prod", { ...ZERO_DOWNTIME_ROLLOUT_DEFAULTS, productionStackPattern: "(" }), false);
        // A lookahead is valid JavaScript (the CLI's Go-regexp format check would reject it): accepted here.
        assert.strictEqual(run(set(serviceProps(), "desiredCount", 1), "prod-eu", { productionStackPattern: "^prod(?=-)" }).length, 1);
    });

    it("reports an unknown desiredCount as undecided", () => {
        const ds = run(set(serviceProps(), "desiredCount", U));
        assert.strictEqual(violations(ds).length, 0);
        assertFinding(undecided(ds)[0], { path: "desiredCount", undecided: true });
    });

    describe("awsx FargateService, offline (args) and in a real preview (children)", () => {
        it("applies awsx's default of one task in both worlds", () => {
            assertBothWorlds(
                policy,
                awsxProgramWith("desiredCount", undefined),
                ["zero-downtime-rollout mandatory decided awsx:ecs:FargateService::web"],
                { stack: "prod" },
            );
            assertBothWorlds(policy, awsxProgramWith("desiredCount", undefined), [], { stack: "dev" });
            assertBothWorlds(policy, compliantAwsxProgram(), [], { stack: "prod" });
            const [v] = runResource(policy, {
                type: TYPES.awsxFargateService,
                name: "worker",
                props: { taskDefinitionArgs: {} },
                stack: "prod",
            });
            assertFinding(v, { resource: "worker", type: "awsx:ecs:FargateService", path: "desiredCount", undecided: false });
            assert.match(v.message, /found unset \(default 1\)/);
        });

        it("never fires on the empty inputs a real preview shows for the component", () => {
            assert.deepStrictEqual(runResource(policy, { type: TYPES.awsxFargateService, name: "web", props: {}, stack: "prod" }), []);
        });
    });
});
