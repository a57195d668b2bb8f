import * as assert from "assert";
import { deploymentCircuitBreakerRollback as policy } from "../../../policies/rules/deployment-circuit-breaker-rollback";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram } from "../awsx-worlds";
import { runResource, undecided, violations, assertFinding } from "../harness";
import { U, serviceProps, set } from "../fixtures";

describe("deployment-circuit-breaker-rollback", () => {
    const run = (props: Record<string, unknown>) => runResource(policy, { type: TYPES.service, name: "api-service", props });

    it("passes enable + rollback", () => {
        assert.deepStrictEqual(run(serviceProps()), []);
    });

    it("rejects a missing circuit breaker", () => {
        const [v, ...rest] = run(set(serviceProps(), "deploymentCircuitBreaker", undefined));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assertFinding(v, { resource: "api-service", type: "aws:ecs/service:Service", path: "deploymentCircuitBreaker", undecided: false });
        assert.match(v.message, /found unset/);
    });

    it("rejects rollback: false", () => {
        const [v] = run(set(serviceProps(), "deploymentCircuitBreaker.rollback", false));
        assertFinding(v, { path: "deploymentCircuitBreaker.rollback", undecided: false });
        assert.match(v.message, /found false/);
    });

    it("ignores CODE_DEPLOY and EXTERNAL controllers", () => {
        assert.deepStrictEqual(
            run(set(set(serviceProps(), "deploymentCircuitBreaker", undefined), "deploymentController", { type: "CODE_DEPLOY" })),
            [],
        );
    });

    it("reports unknown values as undecided", () => {
        const ds = run(set(serviceProps(), "deploymentCircuitBreaker.enable", U));
        assert.strictEqual(violations(ds).length, 0);
        assertFinding(undecided(ds)[0], { path: "deploymentCircuitBreaker.enable", undecided: true });
        assert.strictEqual(undecided(run(set(serviceProps(), "deploymentCircuitBreaker", U))).length, 1);
    });

    describe("awsx FargateService, offline (args) and in a real preview (children)", () => {
        const FINDING = "deployment-circuit-breaker-rollback mandatory decided awsx:ecs:FargateService::web";

        it("reports a missing or half-set breaker once, in both worlds", () => {
            assertBothWorlds(policy, awsxProgramWith("deploymentCircuitBreaker", undefined), [FINDING]);
            assertBothWorlds(policy, awsxProgramWith("deploymentCircuitBreaker.rollback", false), [FINDING]);
            assertBothWorlds(policy, compliantAwsxProgram(), []);
        });

        it("never fires on the empty inputs a real preview shows for the component; judges the service awsx creates", () => {
            assert.deepStrictEqual(runResource(policy, { type: TYPES.awsxFargateService, name: "web", props: {} }), []);
            const [v, ...rest] = runResource(policy, {
                type: TYPES.service,
                name: "web",
                props: set(serviceProps(), "deploymentCircuitBreaker", undefined),
                parentTypes: [TYPES.awsxFargateService],
            });
            assert.strictEqual(rest.length, 0);
            assertFinding(v, { resource: "web", type: "aws:ecs/service:Service", path: "deploymentCircuitBreaker", undecided: false });
            assert.match(v.message, /found unset/);
        });
    });
});
