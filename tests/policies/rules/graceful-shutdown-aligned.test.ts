import * as assert from "assert";
import { gracefulShutdownAligned as policy } from "../../../policies/rules/graceful-shutdown-aligned";
import { TYPES } from "../../../policies/resources";
import { runResource, undecided, violations } from "../harness";
import { U, appContainer, awsxServiceProps, contract, set, targetGroupProps, taskDefinitionProps } from "../fixtures";

describe("graceful-shutdown-aligned", () => {
    const runTg = (props: Record<string, unknown>, config?: Record<string, unknown>) => runResource(policy, { type: TYPES.lbTargetGroup, name: "api-tg", props, config });
    const runTd = (container: Record<string, unknown>) => runResource(policy, { type: TYPES.taskDefinition, name: "api-task", props: taskDefinitionProps([container]) });

    it("passes a 15 s drain and a 15 s stop timeout", () => {
        assert.deepStrictEqual(runTg(targetGroupProps()), []);
        assert.deepStrictEqual(runTd(appContainer()), []);
        assert.deepStrictEqual(runResource(policy, { type: TYPES.healthyFargateService, props: { healthContract: contract() } }), []);
    });

    it("rejects an unset deregistration delay (AWS default 300 s)", () => {
        const [v, ...rest] = runTg(set(targetGroupProps(), "deregistrationDelay", undefined));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "advisory");
        assert.match(v.message, /'api-tg' \(aws:lb\/targetGroup:TargetGroup\) `deregistrationDelay`: found unset \(AWS default 300 s\)\. `deregistrationDelay` is 300 s.*Fix: Set `deregistrationDelay` to your longest request time \(≤ 120 s\)/);
    });

    it("uses the configured budget", () => {
        const tg = set(targetGroupProps(), "deregistrationDelay", 60);
        assert.deepStrictEqual(runTg(tg), []);
        assert.match(runTg(tg, { maxDeregistrationDelaySeconds: 30 })[0].message, /found 60\..*≤ 30 s/);
    });

    it("rejects a stopTimeout above Fargate's 120 s", () => {
        const [v] = runTd(set(appContainer(), "stopTimeout", 300));
        assert.match(v.message, /`containerDefinitions\[app\]\.stopTimeout`: found 300\. `stopTimeout` is 300 s, above Fargate's documented maximum of 120 s/);
        const [awsx] = runResource(policy, { type: TYPES.awsxFargateService, name: "web", props: awsxServiceProps(set(appContainer(), "stopTimeout", 121)) });
        assert.match(awsx.message, /`taskDefinitionArgs\.container\.stopTimeout`: found 121/);
    });

    it("reports unknown values as undecided", () => {
        const ds = runTg(set(targetGroupProps(), "deregistrationDelay", U));
        assert.strictEqual(violations(ds).length, 0);
        assert.match(undecided(ds)[0].message, /`deregistrationDelay`: cannot verify/);
        assert.strictEqual(undecided(runTd(set(appContainer(), "stopTimeout", U))).length, 1);
    });
});
