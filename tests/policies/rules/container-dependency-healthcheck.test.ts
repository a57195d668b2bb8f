import * as assert from "assert";
import { containerDependencyHealthcheck as policy } from "../../../policies/rules/container-dependency-healthcheck";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith } from "../awsx-worlds";
import { runResource, undecided, violations, assertFinding } from "../harness";
import { U, appContainer, set, taskDefinitionProps } from "../fixtures";

describe("container-dependency-healthcheck", () => {
    const sidecar = (extra: Record<string, unknown> = {}) => ({
        name: "proxy",
        image: "envoy",
        essential: true,
        healthCheck: { command: ["CMD", "true"] },
        ...extra,
    });
    const run = (containers: Record<string, unknown>[]) =>
        runResource(policy, { type: TYPES.taskDefinition, name: "api-task", props: taskDefinitionProps(containers) });
    const dependsOn = (containerName: unknown, condition: unknown) => set(appContainer(), "dependsOn", [{ containerName, condition }]);

    it("passes HEALTHY on a container with a health check, and COMPLETE on a non-essential one", () => {
        assert.deepStrictEqual(run([dependsOn("proxy", "HEALTHY"), sidecar()]), []);
        assert.deepStrictEqual(run([dependsOn("migrate", "SUCCESS"), { name: "migrate", image: "app", essential: false }]), []);
    });

    it("reports the same finding offline (awsx args) and in a real preview (the task definition awsx creates)", () => {
        const program = awsxProgramWith("taskDefinitionArgs.container.dependsOn", [{ containerName: "proxy", condition: "HEALTHY" }]);
        const container = program.services[0].args.taskDefinitionArgs.container;
        program.services[0].args.taskDefinitionArgs = {
            ...program.services[0].args.taskDefinitionArgs,
            container: undefined,
            containers: { web: container, proxy: { image: "envoyproxy/envoy:v1.31", essential: true } },
        };
        assertBothWorlds(policy, program, ["container-dependency-healthcheck mandatory decided awsx:ecs:FargateService::web"]);
        program.services[0].args.taskDefinitionArgs.containers.proxy.healthCheck = { command: ["CMD", "true"] };
        assertBothWorlds(policy, program, []);
    });

    it("rejects HEALTHY on a container without a health check", () => {
        const [v, ...rest] = run([dependsOn("proxy", "HEALTHY"), sidecar({ healthCheck: undefined })]);
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assertFinding(v, {
            resource: "api-task",
            type: "aws:ecs/taskDefinition:TaskDefinition",
            path: "containerDefinitions[app].dependsOn[0].condition",
            undecided: false,
        });
        assert.match(v.message, /found "HEALTHY" on 'proxy', which has no healthCheck/);
    });

    it("rejects COMPLETE on an essential container and a missing container", () => {
        assert.match(run([dependsOn("proxy", "COMPLETE"), sidecar()])[0].message, /found "COMPLETE" on essential container 'proxy'/);
        assertFinding(run([dependsOn("nope", "START")])[0], {
            path: "containerDefinitions[app].dependsOn[0].containerName",
            undecided: false,
        });
        assert.match(run([dependsOn("nope", "START")])[0].message, /found "nope"/);
    });

    it("reports unknown dependencies as undecided", () => {
        const ds = run([dependsOn(U, "HEALTHY"), sidecar()]);
        assert.strictEqual(violations(ds).length, 0);
        assertFinding(undecided(ds)[0], { path: "containerDefinitions[app].dependsOn[0]", undecided: true });
    });
});
