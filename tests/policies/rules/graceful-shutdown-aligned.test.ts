import * as assert from "assert";
import { gracefulShutdownAligned as policy } from "../../../policies/rules/graceful-shutdown-aligned";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram } from "../awsx-worlds";
import { runStack, undecided, violations, assertFinding } from "../harness";
import {
    U,
    appContainer,
    awsxServiceProps,
    componentPreviewStack,
    contract,
    set,
    targetGroupProps,
    taskDefinitionProps,
} from "../fixtures";

describe("graceful-shutdown-aligned", () => {
    const runTg = (props: Record<string, unknown>, config?: Record<string, unknown>) =>
        runStack(policy, [{ key: "tg", type: TYPES.lbTargetGroup, name: "api-tg", props }], { config });
    const runTd = (container: Record<string, unknown>) =>
        runStack(policy, [{ key: "td", type: TYPES.taskDefinition, name: "api-task", props: taskDefinitionProps([container]) }]);

    it("passes a 15 s drain and a 15 s stop timeout", () => {
        assert.deepStrictEqual(runTg(targetGroupProps()), []);
        assert.deepStrictEqual(runTd(appContainer()), []);
        assert.deepStrictEqual(
            runStack(policy, [{ key: "c", type: TYPES.healthyFargateService, name: "api", props: { healthContract: contract() } }]),
            [],
        );
        assert.deepStrictEqual(runStack(policy, componentPreviewStack()), []);
    });

    it("rejects an unset deregistration delay (AWS default 300 s)", () => {
        const [v, ...rest] = runTg(set(targetGroupProps(), "deregistrationDelay", undefined));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "advisory");
        assertFinding(v, { resource: "api-tg", type: "aws:lb/targetGroup:TargetGroup", path: "deregistrationDelay", undecided: false });
        assert.match(v.message, /found unset \(AWS default 300 s\)/);
    });

    it("uses the configured budget", () => {
        const tg = set(targetGroupProps(), "deregistrationDelay", 60);
        assert.deepStrictEqual(runTg(tg), []);
        assert.match(runTg(tg, { maxDeregistrationDelaySeconds: 30 })[0].message, /found 60\..*≤ 30 s/);
    });

    it("rejects a stopTimeout above Fargate's 120 s", () => {
        const [v] = runTd(set(appContainer(), "stopTimeout", 300));
        assertFinding(v, { path: "containerDefinitions[app].stopTimeout", undecided: false });
        assert.match(v.message, /found 300/);
        const [awsx] = runStack(policy, [
            { key: "svc", type: TYPES.awsxFargateService, name: "web", props: awsxServiceProps(set(appContainer(), "stopTimeout", 121)) },
        ]);
        assertFinding(awsx, { path: "taskDefinitionArgs.container.stopTimeout", undecided: false });
        assert.match(awsx.message, /found 121/);
    });

    describe("awsx, offline (args) and in a real preview (children)", () => {
        const DRAIN = "graceful-shutdown-aligned advisory decided awsx:lb:ApplicationLoadBalancer::web";

        it("judges the default target group of an ApplicationLoadBalancer with all defaults (300 s drain) in both worlds", () => {
            const program = compliantAwsxProgram();
            program.albs[0].args = {};
            assertBothWorlds(policy, program, [DRAIN]);
            const [v] = runStack(policy, [{ key: "alb", type: TYPES.awsxApplicationLoadBalancer, name: "web", props: {} }]);
            assertFinding(v, {
                resource: "web",
                type: "awsx:lb:ApplicationLoadBalancer",
                path: "defaultTargetGroup.deregistrationDelay",
                undecided: false,
            });
            assert.match(v.message, /found unset \(AWS default 300 s\)/);
            assertBothWorlds(policy, awsxProgramWith("alb:defaultTargetGroup.deregistrationDelay", 600), [DRAIN]);
            assertBothWorlds(policy, compliantAwsxProgram(), []);
        });

        it("judges stop timeouts in both worlds", () => {
            assertBothWorlds(policy, awsxProgramWith("taskDefinitionArgs.container.stopTimeout", 180), [
                "graceful-shutdown-aligned advisory decided awsx:ecs:FargateService::web",
            ]);
        });

        it("does not read an ALB whose children are in the stack as all defaults", () => {
            const alb = { key: "alb", type: TYPES.awsxApplicationLoadBalancer, name: "web", props: {} };
            assert.deepStrictEqual(
                runStack(policy, [alb, { key: "tg", type: TYPES.lbTargetGroup, name: "web", parent: "alb", props: targetGroupProps() }]),
                [],
            );
        });
    });

    it("reports unknown values as undecided", () => {
        const ds = runTg(set(targetGroupProps(), "deregistrationDelay", U));
        assert.strictEqual(violations(ds).length, 0);
        assertFinding(undecided(ds)[0], { path: "deregistrationDelay", undecided: true });
        assert.strictEqual(undecided(runTd(set(appContainer(), "stopTimeout", U))).length, 1);
        assert.strictEqual(
            undecided(
                runStack(policy, [{ key: "alb", type: TYPES.awsxApplicationLoadBalancer, name: "web", props: { defaultTargetGroup: U } }]),
            ).length,
            1,
        );
    });
});
