import * as assert from "assert";
import { fargateTaskSizeValid as policy } from "../../../policies/rules/fargate-task-size-valid";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram } from "../awsx-worlds";
import { runResource, undecided, violations, assertFinding } from "../harness";
import { U, taskDefinitionProps } from "../fixtures";

describe("fargate-task-size-valid", () => {
    const run = (extra: Record<string, unknown>, parentTypes?: string[]) =>
        runResource(policy, { type: TYPES.taskDefinition, name: "api-task", props: taskDefinitionProps(undefined, extra), parentTypes });

    it("passes a size from the table, in either spelling", () => {
        assert.deepStrictEqual(run({}), []);
        assert.deepStrictEqual(run({ cpu: "1 vCPU", memory: "2 GB" }), []);
        assert.deepStrictEqual(run({ cpu: 16384, memory: 122880 }), []);
    });

    it("rejects memory the cpu does not offer, naming resource, field, values and the fix", () => {
        const [v, ...rest] = violations(run({ cpu: "8192", memory: "18432" }));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assertFinding(v, { resource: "api-task", type: "aws:ecs/taskDefinition:TaskDefinition", path: "memory", undecided: false });
        assert.match(v.message, /found cpu "8192", memory "18432"/);
        assert.match(v.message, /memory 18432 MiB is not offered with cpu 8192 on Fargate/);
        assert.match(v.message, /Fix: For cpu 8192 use 16384–61440 in steps of 4096 MiB/);
    });

    it("rejects a cpu value Fargate does not have", () => {
        const [v] = violations(run({ cpu: "300", memory: "1024" }));
        assertFinding(v, { path: "cpu", undecided: false });
        assert.match(v.message, /found cpu "300".*cpu 300 is not a Fargate task size/);
    });

    it("rejects a Fargate task definition without cpu", () => {
        const [v] = violations(run({ cpu: undefined }));
        assertFinding(v, { path: "cpu", undecided: false });
        assert.match(v.message, /found cpu unset, memory "1024" \(cpu unset\)/);
    });

    it("ignores EC2 task definitions", () => {
        assert.deepStrictEqual(run({ requiresCompatibilities: ["EC2"], cpu: "300" }), []);
    });

    it("reports an unknown memory as undecided at advisory level, not as a violation", () => {
        const ds = run({ memory: U });
        assert.strictEqual(violations(ds).length, 0);
        const [u] = undecided(ds);
        assert.strictEqual(u.enforcementLevel, "advisory");
        assertFinding(u, { resource: "api-task", type: "aws:ecs/taskDefinition:TaskDefinition", path: "memory", undecided: true });
    });

    it("reports unknown requiresCompatibilities as undecided", () => {
        assert.strictEqual(undecided(run({ requiresCompatibilities: U })).length, 1);
        assert.strictEqual(undecided(run({ requiresCompatibilities: ["FARGATE", U] })).length, 1);
    });

    it("stays quiet on an unknown value of a HealthyFargateService child (the component is judged)", () => {
        assert.deepStrictEqual(run({ memory: U }, [TYPES.healthyFargateService]), []);
    });

    describe("awsx components, offline (args) and in a real preview (children)", () => {
        const container = { name: "worker", image: "node:22", essential: true };
        const service = (args: Record<string, unknown>) =>
            runResource(policy, { type: TYPES.awsxFargateService, name: "worker", props: { taskDefinitionArgs: { container, ...args } } });
        const taskDefinition = (args: Record<string, unknown>) =>
            runResource(policy, { type: TYPES.awsxFargateTaskDefinition, name: "worker-td", props: { container, ...args } });
        const FINDING = "fargate-task-size-valid mandatory decided awsx:ecs:FargateService::web";

        it("rejects an explicit pair awsx registers as is (8 vCPU in 1 GiB steps), in both worlds", () => {
            const [v, ...rest] = violations(service({ cpu: "8192", memory: "17408" }));
            assert.strictEqual(rest.length, 0);
            assertFinding(v, { resource: "worker", type: "awsx:ecs:FargateService", path: "taskDefinitionArgs.memory", undecided: false });
            assert.match(v.message, /found cpu "8192", memory "17408"/);
            assert.strictEqual(violations(taskDefinition({ cpu: "256", memory: "4096" })).length, 1);
            const program = awsxProgramWith("taskDefinitionArgs.memory", "17408");
            program.services[0].args.taskDefinitionArgs.cpu = "8192";
            assertBothWorlds(policy, program, [FINDING]);
            assertBothWorlds(policy, compliantAwsxProgram(), []);
        });

        it("judges the size awsx computes from the containers when the args give none (awsx picks 17 GiB for 8 vCPU)", () => {
            const [v] = violations(service({ container: { ...container, cpu: 8192, memory: 17408 } }));
            assertFinding(v, { path: "taskDefinitionArgs.memory", undecided: false });
            assert.match(
                v.message,
                /found cpu "8192", memory "17408" \(cpu and memory computed by awsx from the containers' sizes\)\..*Fix: .*set `taskDefinitionArgs.cpu` and `taskDefinitionArgs.memory` explicitly/,
            );
            // Only cpu given: awsx computes the memory from the containers (none: 0.5 GiB), a pair Fargate rejects.
            assert.match(violations(service({ cpu: "8192" }))[0].message, /found cpu "8192", memory "512" \(memory computed by awsx/);
            assert.deepStrictEqual(service({ container: { ...container, cpu: 256, memory: 512 } }), []);
            assert.deepStrictEqual(taskDefinition({}), []);
            // The same program in a real preview: the task definition awsx creates carries the computed pair.
            const program = awsxProgramWith("taskDefinitionArgs.cpu", undefined);
            program.services[0].args.taskDefinitionArgs.memory = undefined;
            Object.assign(program.services[0].args.taskDefinitionArgs.container, { cpu: 8192, memory: 17408 });
            assertBothWorlds(policy, program, [FINDING]);
        });

        it("reports container sizes above every size awsx knows (awsx refuses the program)", () => {
            const [v] = violations(service({ container: { ...container, cpu: 40960, memory: 2048 } }));
            assertFinding(v, { path: "taskDefinitionArgs.container", undecided: false });
            assert.match(v.message, /found container cpu\/memory above every Fargate size/);
        });

        it("judges nothing on the empty inputs a real preview shows for the components", () => {
            assert.deepStrictEqual(runResource(policy, { type: TYPES.awsxFargateService, props: {} }), []);
            assert.deepStrictEqual(runResource(policy, { type: TYPES.awsxFargateTaskDefinition, props: {} }), []);
        });
    });
});
