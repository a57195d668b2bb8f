import * as assert from "assert";
import { livenessProbeShallow as policy } from "../../../policies/rules/liveness-probe-shallow";
import { probeCommand } from "../../../policies/domain";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram, offline } from "../awsx-worlds";
import { runStack, undecided, violations, assertFinding } from "../harness";
import { TYPES } from "../../../policies/resources";
import {
    U,
    appContainer,
    awsxServiceProps,
    baselineStack,
    componentPreviewStack,
    contract,
    set,
    targetGroupProps,
    taskDefinitionProps,
} from "../fixtures";

describe("liveness-probe-shallow", () => {
    it("passes shallow liveness probes (and /health, which is ambiguous and not in the defaults)", () => {
        assert.deepStrictEqual(runStack(policy, baselineStack()), []);
        assert.deepStrictEqual(runStack(policy, baselineStack({ tg: set(targetGroupProps(), "healthCheck.path", "/health") })), []);
    });

    it("rejects a container probe of a readiness endpoint", () => {
        const td = taskDefinitionProps([
            set(appContainer(), "healthCheck.command", probeCommand("wget", { port: 8080, path: "/health/ready", timeoutSeconds: 4 })),
        ]);
        const [v, ...rest] = runStack(policy, baselineStack({ td }));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assertFinding(v, {
            resource: "api-task",
            type: "aws:ecs/taskDefinition:TaskDefinition",
            path: "containerDefinitions[app].healthCheck.command",
            undecided: false,
        });
        assert.match(v.message, /found probe of "\/health\/ready"/);
        assert.match(v.message, /Fix: Serve a liveness endpoint/);
    });

    it("rejects an ALB probe of a status endpoint of a target group attached to a service", () => {
        const [v] = runStack(policy, baselineStack({ tg: set(targetGroupProps(), "healthCheck.path", "/actuator/health/") }));
        assertFinding(v, { resource: "api-tg", type: "aws:lb/targetGroup:TargetGroup", path: "healthCheck.path", undecided: false });
        assert.match(v.message, /found "\/actuator\/health\/"/);
    });

    it("rejects a readiness probe in awsx container args offline, and in the task definition awsx creates in a real preview", () => {
        const readyz = probeCommand("curl", { port: 8080, path: "/readyz", timeoutSeconds: 4 });
        const [v, ...rest] = runStack(policy, [
            {
                key: "svc",
                type: TYPES.awsxFargateService,
                name: "web",
                props: awsxServiceProps(set(appContainer(), "healthCheck.command", readyz)),
            },
        ]);
        assert.strictEqual(rest.length, 0);
        assertFinding(v, {
            resource: "web",
            type: "awsx:ecs:FargateService",
            path: "taskDefinitionArgs.container.healthCheck.command",
            undecided: false,
        });
        assert.match(v.message, /found probe of "\/readyz"/);
        assertBothWorlds(policy, awsxProgramWith("taskDefinitionArgs.container.healthCheck.command", readyz), [
            "liveness-probe-shallow mandatory decided awsx:ecs:FargateService::web",
        ]);
        assertBothWorlds(policy, compliantAwsxProgram(), []);
    });

    it("rejects a deep path on an awsx ApplicationLoadBalancer's default target group, in both worlds", () => {
        assertBothWorlds(policy, awsxProgramWith("alb:defaultTargetGroup.healthCheck.path", "/health/ready"), [
            "liveness-probe-shallow mandatory decided awsx:lb:ApplicationLoadBalancer::web",
        ]);
        const offlineOnly = runStack(policy, offline(awsxProgramWith("alb:defaultTargetGroup.healthCheck.path", "/health/ready")));
        assertFinding(offlineOnly[0], {
            resource: "web",
            type: "awsx:lb:ApplicationLoadBalancer",
            path: "defaultTargetGroup.healthCheck.path",
            undecided: false,
        });
        assert.match(offlineOnly[0].message, /found "\/health\/ready"/);
    });

    it("ignores the path of a TCP target group health check", () => {
        const tg = set(set(targetGroupProps(), "healthCheck.path", "/ready"), "healthCheck.protocol", "TCP");
        assert.deepStrictEqual(runStack(policy, baselineStack({ tg })), []);
    });

    it("uses the configured deep paths", () => {
        const stack = baselineStack({ tg: set(targetGroupProps(), "healthCheck.path", "/ready") });
        assert.deepStrictEqual(runStack(policy, stack, { config: { deepPaths: [] } }), []);
        const custom = baselineStack();
        assert.strictEqual(runStack(policy, custom, { config: { deepPaths: ["/health/live"] } }).length, 2, "container and ALB");
    });

    it("rejects a contract whose liveness path is the readiness path", () => {
        const c = set(contract(), "probe.readinessPath", "/health/live");
        const [v] = runStack(policy, componentPreviewStack(c));
        assertFinding(v, { path: "healthContract.probe.livenessPath", undecided: false });
        assert.match(v.message, /found "\/health\/live"\..*is also the readiness path/);
        assert.deepStrictEqual(runStack(policy, componentPreviewStack()), []);
    });

    it("reports unknown containers as undecided, except under HealthyFargateService", () => {
        const ds = runStack(policy, baselineStack({ td: taskDefinitionProps([], { containerDefinitions: U }) }));
        assert.strictEqual(violations(ds).length, 0);
        assertFinding(undecided(ds)[0], { path: "containerDefinitions", undecided: true });
    });
});
