import * as assert from "assert";
import { fargateTaskSizeValid as policy } from "../../../policies/rules/fargate-task-size-valid";
import { TYPES } from "../../../policies/resources";
import { runResource, undecided, violations } from "../harness";
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
        assert.match(v.message, /'api-task' \(aws:ecs\/taskDefinition:TaskDefinition\) `memory`: found cpu "8192", memory "18432"\./);
        assert.match(v.message, /memory 18432 MiB is not offered with cpu 8192 on Fargate/);
        assert.match(v.message, /Fix: For cpu 8192 use 16384–61440 in steps of 4096 MiB/);
    });

    it("rejects a cpu value Fargate does not have", () => {
        const [v] = violations(run({ cpu: "300", memory: "1024" }));
        assert.match(v.message, /`cpu`: found cpu "300".*cpu 300 is not a Fargate task size/);
    });

    it("rejects a Fargate task definition without cpu", () => {
        const [v] = violations(run({ cpu: undefined }));
        assert.match(v.message, /`cpu`: found cpu unset, memory "1024" \(cpu unset\)/);
    });

    it("ignores EC2 task definitions", () => {
        assert.deepStrictEqual(run({ requiresCompatibilities: ["EC2"], cpu: "300" }), []);
    });

    it("reports an unknown memory as undecided at advisory level, not as a violation", () => {
        const ds = run({ memory: U });
        assert.strictEqual(violations(ds).length, 0);
        const [u] = undecided(ds);
        assert.strictEqual(u.enforcementLevel, "advisory");
        assert.match(u.message, /^\[undecided\] 'api-task' \(aws:ecs\/taskDefinition:TaskDefinition\) `memory`: cannot verify/);
    });

    it("reports unknown requiresCompatibilities as undecided", () => {
        assert.strictEqual(undecided(run({ requiresCompatibilities: U })).length, 1);
        assert.strictEqual(undecided(run({ requiresCompatibilities: ["FARGATE", U] })).length, 1);
    });

    it("stays quiet on an unknown value of a HealthyFargateService child (the component is judged)", () => {
        assert.deepStrictEqual(run({ memory: U }, [TYPES.healthyFargateService]), []);
    });

    describe("awsx components (remote: their task definition is not rendered offline)", () => {
        const container = { name: "worker", image: "node:22", essential: true };
        const service = (args: Record<string, unknown>) =>
            runResource(policy, { type: TYPES.awsxFargateService, name: "worker", props: { taskDefinitionArgs: { container, ...args } } });
        const taskDefinition = (args: Record<string, unknown>) =>
            runResource(policy, { type: TYPES.awsxFargateTaskDefinition, name: "worker-td", props: { container, ...args } });

        it("rejects an explicit pair awsx would register as is (8 vCPU in 1 GiB steps)", () => {
            const [v, ...rest] = violations(service({ cpu: "8192", memory: "17408" }));
            assert.strictEqual(rest.length, 0);
            assert.match(v.message, /'worker' \(awsx:ecs:FargateService\) `taskDefinitionArgs.memory`: found cpu "8192", memory "17408"/);
            assert.strictEqual(violations(taskDefinition({ cpu: "256", memory: "4096" })).length, 1);
        });

        it("passes a valid explicit pair", () => {
            assert.deepStrictEqual(service({ cpu: "1024", memory: "2048" }), []);
        });

        it("leaves sizing to awsx (and its child's judgement) when cpu or memory is not given", () => {
            assert.deepStrictEqual(service({ cpu: "8192" }), []);
            assert.deepStrictEqual(taskDefinition({}), []);
        });
    });
});
