import * as assert from "assert";
import { livenessProbeShallow as policy } from "../../../policies/rules/liveness-probe-shallow";
import { probeCommand } from "../../../policies/domain";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram, offline } from "../awsx-worlds";
import { runStack, undecided, violations } from "../harness";
import { TYPES } from "../../../policies/resources";
import { U, appContainer, awsxServiceProps, baselineStack, componentPreviewStack, contract, set, targetGroupProps, taskDefinitionProps } from "../fixtures";

describe("liveness-probe-shallow", () => {
    it("passes shallow liveness probes (and /health, which is ambiguous and not in the defaults)", () => {
        assert.deepStrictEqual(runStack(policy, baselineStack()), []);
        assert.deepStrictEqual(runStack(policy, baselineStack({ tg: set(targetGroupProps(), "healthCheck.path", "/health") })), []);
    });

    it("rejects a container probe of a readiness endpoint", () => {
        const td = taskDefinitionProps([set(appContainer(), "healthCheck.command", probeCommand("wget", { port: 8080, path: "/health/ready", timeoutSeconds: 4 }))]);
        const [v, ...rest] = runStack(policy, baselineStack({ td }));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.match(v.message, /'api-task' \(aws:ecs\/taskDefinition:TaskDefinition\) `containerDefinitions\[app\]\.healthCheck\.command`: found probe of "\/health\/ready"\. Container 'app' is replaced when its health check fails/);
        assert.match(v.message, /Fix: Serve a liveness endpoint/);
    });

    it("rejects an ALB probe of a status endpoint of a target group attached to a service", () => {
        const [v] = runStack(policy, baselineStack({ tg: set(targetGroupProps(), "healthCheck.path", "/actuator/health/") }));
        assert.match(v.message, /'api-tg' \(aws:lb\/targetGroup:TargetGroup\) `healthCheck\.path`: found "\/actuator\/health\/"\. Service 'api-service' replaces tasks/);
    });

    it("rejects a readiness probe in awsx container args offline, and in the task definition awsx creates in a real preview", () => {
        const readyz = probeCommand("curl", { port: 8080, path: "/readyz", timeoutSeconds: 4 });
        const [v, ...rest] = runStack(policy, [{ key: "svc", type: TYPES.awsxFargateService, name: "web", props: awsxServiceProps(set(appContainer(), "healthCheck.command", readyz)) }]);
        assert.strictEqual(rest.length, 0);
        assert.match(v.message, /'web' \(awsx:ecs:FargateService\) `taskDefinitionArgs\.container\.healthCheck\.command`: found probe of "\/readyz"/);
        assertBothWorlds(policy, awsxProgramWith("taskDefinitionArgs.container.healthCheck.command", readyz), ["liveness-probe-shallow mandatory decided awsx:ecs:FargateService::web"]);
        assertBothWorlds(policy, compliantAwsxProgram(), []);
    });

    it("rejects a deep path on an awsx ApplicationLoadBalancer's default target group, in both worlds", () => {
        assertBothWorlds(policy, awsxProgramWith("alb:defaultTargetGroup.healthCheck.path", "/health/ready"), ["liveness-probe-shallow mandatory decided awsx:lb:ApplicationLoadBalancer::web"]);
        const offlineOnly = runStack(policy, offline(awsxProgramWith("alb:defaultTargetGroup.healthCheck.path", "/health/ready")));
        assert.match(offlineOnly[0].message, /'web' \(awsx:lb:ApplicationLoadBalancer\) `defaultTargetGroup\.healthCheck\.path`: found "\/health\/ready"\. Service 'web' replaces tasks/);
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
        assert.match(v.message, /`healthContract\.probe\.livenessPath`: found "\/health\/live"\..*is also the readiness path/);
        assert.deepStrictEqual(runStack(policy, componentPreviewStack()), []);
    });

    it("reports unknown containers as undecided, except under HealthyFargateService", () => {
        const ds = runStack(policy, baselineStack({ td: taskDefinitionProps([], { containerDefinitions: U }) }));
        assert.strictEqual(violations(ds).length, 0);
        assert.match(undecided(ds)[0].message, /`containerDefinitions`: cannot verify/);
    });
});
