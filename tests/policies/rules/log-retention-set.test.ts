import * as assert from "assert";
import { logRetentionSet as policy } from "../../../policies/rules/log-retention-set";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram } from "../awsx-worlds";
import { runResource, undecided, violations, assertFinding } from "../harness";
import { U, appContainer, logGroupProps, set, taskDefinitionProps } from "../fixtures";

describe("log-retention-set", () => {
    const runLg = (props: Record<string, unknown>) => runResource(policy, { type: TYPES.logGroup, name: "api-logs", props });

    it("passes a log group with 30 days", () => {
        assert.deepStrictEqual(runLg(logGroupProps()), []);
    });

    it("rejects a log group without retention", () => {
        const [v, ...rest] = runLg(set(logGroupProps(), "retentionInDays", undefined));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "advisory");
        assertFinding(v, { resource: "api-logs", type: "aws:cloudwatch/logGroup:LogGroup", path: "retentionInDays", undecided: false });
        assert.match(v.message, /found unset/);
    });

    it("rejects a value CloudWatch does not accept", () => {
        assert.match(
            runLg(set(logGroupProps(), "retentionInDays", 10))[0].message,
            /found 10\. `retentionInDays` is 10, which CloudWatch rejects/,
        );
    });

    it("rejects awslogs-create-group", () => {
        const container = set(appContainer(), "logConfiguration.options.awslogs-create-group", "true");
        const [v] = runResource(policy, { type: TYPES.taskDefinition, name: "api-task", props: taskDefinitionProps([container]) });
        assertFinding(v, { path: "containerDefinitions[app].logConfiguration.options.awslogs-create-group", undecided: false });
        assert.match(v.message, /found "true"/);
        assert.deepStrictEqual(runResource(policy, { type: TYPES.taskDefinition, props: taskDefinitionProps([appContainer()]) }), []);
    });

    describe("awsx, offline (args) and in a real preview (the log group awsx creates)", () => {
        const FINDING = "log-retention-set advisory decided awsx:ecs:FargateService::web";

        it("reports the log group awsx creates without a retention, in both worlds", () => {
            assertBothWorlds(policy, awsxProgramWith("taskDefinitionArgs.logGroup", undefined), [FINDING]);
            assertBothWorlds(policy, awsxProgramWith("taskDefinitionArgs.logGroup.args.retentionInDays", 10), [FINDING]);
            assertBothWorlds(policy, compliantAwsxProgram(), []);
            // No log group created: skipped, or an existing one.
            assertBothWorlds(policy, awsxProgramWith("taskDefinitionArgs.logGroup", { skip: true }), []);
            assertBothWorlds(policy, awsxProgramWith("taskDefinitionArgs.logGroup", { existing: { name: "/ecs/shared" } }), []);
        });

        it("names the awsx arg and the fix", () => {
            const [v] = runResource(policy, {
                type: TYPES.awsxFargateService,
                name: "web",
                props: { taskDefinitionArgs: { container: appContainer() } },
            });
            assertFinding(v, {
                resource: "web",
                type: "awsx:ecs:FargateService",
                path: "taskDefinitionArgs.logGroup.args.retentionInDays",
                undecided: false,
            });
            assert.match(
                v.message,
                /found unset \(awsx creates the task's log group without a retention\)\..*With awsx: `taskDefinitionArgs\.logGroup: \{ args: \{ retentionInDays: 30 \} \}`/,
            );
            const [u] = runResource(policy, {
                type: TYPES.awsxFargateTaskDefinition,
                name: "td",
                props: { container: appContainer(), logGroup: U },
            });
            assertFinding(u, { resource: "td", type: "awsx:ecs:FargateTaskDefinition", path: "logGroup", undecided: true });
            assert.deepStrictEqual(
                runResource(policy, { type: TYPES.awsxFargateService, props: {} }),
                [],
                "the empty inputs of a real preview",
            );
        });
    });

    it("reports an unknown retention as undecided", () => {
        const ds = runLg(set(logGroupProps(), "retentionInDays", U));
        assert.strictEqual(violations(ds).length, 0);
        assertFinding(undecided(ds)[0], { path: "retentionInDays", undecided: true });
    });
});
