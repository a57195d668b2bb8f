import * as assert from "assert";
import { containerHealthCheckRequired as policy } from "../../../policies/rules/container-health-check-required";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram } from "../awsx-worlds";
import { runResource, undecided, violations, assertFinding } from "../harness";
import { U, appContainer, awsxServiceProps, contract, set, taskDefinitionProps } from "../fixtures";

describe("container-health-check-required", () => {
    const runTd = (containers: Record<string, unknown>[], config?: Record<string, unknown>, parentTypes?: string[]) =>
        runResource(policy, { type: TYPES.taskDefinition, name: "api-task", props: taskDefinitionProps(containers), config, parentTypes });

    it("passes an essential container with a health check", () => {
        assert.deepStrictEqual(runTd([appContainer()]), []);
    });

    it("rejects an essential container without a health check", () => {
        const [v, ...rest] = runTd([set(appContainer(), "healthCheck", undefined)]);
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assertFinding(v, {
            resource: "api-task",
            type: "aws:ecs/taskDefinition:TaskDefinition",
            path: "containerDefinitions[app].healthCheck",
            undecided: false,
        });
        assert.match(v.message, /found unset/);
        assert.match(v.message, /Fix: Add `healthCheck: \{ command: \["CMD", "curl"/);
    });

    it("accepts a non-essential container without one, and honours exemptContainers", () => {
        assert.deepStrictEqual(runTd([appContainer(), { name: "init", image: "busybox", essential: false }]), []);
        const router = { name: "log_router", image: "fluent-bit" };
        assert.strictEqual(runTd([appContainer(), router]).length, 1);
        assert.deepStrictEqual(runTd([appContainer(), router], { exemptContainers: ["log_router"] }), []);
    });

    it("rejects a switched-off or malformed command", () => {
        const [off] = runTd([set(appContainer(), "healthCheck.command", ["NONE"])]);
        assert.match(
            off.message,
            /found \["NONE"\]\. Essential container 'app' has no working health check: `\["NONE"\]` disables the container health check/,
        );
        const [bad] = runTd([set(appContainer(), "healthCheck.command", ["curl", "http://localhost:8080/"])]);
        assert.match(bad.message, /starts with "curl"; the first element must be `CMD`, `CMD-SHELL` or `NONE`/);
        assert.deepStrictEqual(
            runTd([set(appContainer(), "healthCheck.command", ["CMD", "curl", "http://localhost:8080/"])]),
            [],
            "how well it probes is another policy's business",
        );
    });

    it("judges awsx container args offline and the task definition awsx creates in a real preview: the same finding", () => {
        const [v] = runResource(policy, {
            type: TYPES.awsxFargateService,
            name: "web",
            props: awsxServiceProps(set(appContainer(), "healthCheck", undefined)),
        });
        assertFinding(v, {
            resource: "web",
            type: "awsx:ecs:FargateService",
            path: "taskDefinitionArgs.container.healthCheck",
            undecided: false,
        });
        assert.match(v.message, /found unset/);
        const [child] = runTd([set(appContainer(), "healthCheck", undefined)], undefined, [
            TYPES.awsxFargateService,
            TYPES.awsxFargateTaskDefinition,
        ]);
        assertFinding(child, { path: "containerDefinitions[app].healthCheck", undecided: false });
        assert.match(child.message, /found unset/);
        assertBothWorlds(policy, awsxProgramWith("taskDefinitionArgs.container.healthCheck", undefined), [
            "container-health-check-required mandatory decided awsx:ecs:FargateService::web",
        ]);
        assertBothWorlds(policy, compliantAwsxProgram(), []);
        assert.deepStrictEqual(
            runResource(policy, { type: TYPES.awsxFargateService, name: "web", props: {} }),
            [],
            "the empty inputs of a real preview",
        );
    });

    it("judges the HealthyFargateService contract's command", () => {
        assert.deepStrictEqual(runResource(policy, { type: TYPES.healthyFargateService, props: { healthContract: contract() } }), []);
        const [v] = runResource(policy, {
            type: TYPES.healthyFargateService,
            name: "api",
            props: { healthContract: set(contract(), "probe.command", ["NONE"]) },
        });
        assertFinding(v, {
            resource: "api",
            type: "healthy-fargate:ecs:HealthyFargateService",
            path: "healthContract.probe.command",
            undecided: false,
        });
        assert.match(v.message, /found \["NONE"\]/);
    });

    it("reports unknown containers or commands as undecided", () => {
        const ds = runResource(policy, {
            type: TYPES.taskDefinition,
            name: "api-task",
            props: taskDefinitionProps([], { containerDefinitions: U }),
        });
        assert.strictEqual(violations(ds).length, 0);
        assertFinding(undecided(ds)[0], { path: "containerDefinitions", undecided: true });
        const awsx = runResource(policy, {
            type: TYPES.awsxFargateService,
            props: awsxServiceProps(set(appContainer(), "healthCheck", U)),
        });
        assertFinding(undecided(awsx)[0], { path: "taskDefinitionArgs.container.healthCheck", undecided: true });
    });
});
