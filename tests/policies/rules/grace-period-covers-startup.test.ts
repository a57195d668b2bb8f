import * as assert from "assert";
import { gracePeriodCoversStartup as policy } from "../../../policies/rules/grace-period-covers-startup";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram, offline } from "../awsx-worlds";
import { runStack, undecided, violations, assertFinding } from "../harness";
import {
    U,
    appContainer,
    baselineStack,
    componentPreviewStack,
    contract,
    serviceProps,
    set,
    targetGroupProps,
    taskDefinitionProps,
} from "../fixtures";

describe("grace-period-covers-startup", () => {
    it("passes a grace period covering start period + ALB window (60 + 20 ≤ 90)", () => {
        assert.deepStrictEqual(runStack(policy, baselineStack()), []);
    });

    it("rejects an unset grace period (AWS default 0) on a load-balanced service", () => {
        const [v, ...rest] = runStack(policy, baselineStack({ service: set(serviceProps(), "healthCheckGracePeriodSeconds", undefined) }));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assertFinding(v, {
            resource: "api-service",
            type: "aws:ecs/service:Service",
            path: "healthCheckGracePeriodSeconds",
            undecided: false,
        });
        assert.match(
            v.message,
            /found unset \(AWS default 0\), ALB probe from target group 'api-tg' healthCheck, container probe containerDefinitions\[app\]\.healthCheck/,
        );
        assert.match(
            v.message,
            /is 0 s \(unset: AWS uses 0\), shorter than the start-up \(60 s, the container start period\) plus the ALB's healthy window \(20 s\) = 80 s/,
        );
        assert.match(v.message, /Fix: Set `healthCheckGracePeriodSeconds` to at least 80 s\./);
    });

    it("uses AWS's ALB defaults when the target group has no health check block", () => {
        // interval 30, unhealthy 2, healthy 5: 60 s start-up fails 2 checks → 5 × 30 = 150 s window.
        const [v] = runStack(policy, baselineStack({ tg: set(targetGroupProps(), "healthCheck", undefined) }));
        assert.match(v.message, /healthy window \(150 s\) = 210 s/);
        assert.match(v.message, /healthCheck \(AWS defaults\)/);
    });

    it("invents no start-up: without a start period it reports undecided (advisory) and says what to declare", () => {
        const td = taskDefinitionProps([set(appContainer(), "healthCheck.startPeriod", undefined)]);
        const ds = runStack(policy, baselineStack({ td, service: set(serviceProps(), "healthCheckGracePeriodSeconds", undefined) }));
        assert.strictEqual(violations(ds).length, 0, JSON.stringify(ds));
        const [u] = undecided(ds);
        assert.strictEqual(u.enforcementLevel, "advisory");
        assertFinding(u, {
            resource: "api-service",
            type: "aws:ecs/service:Service",
            path: "healthCheckGracePeriodSeconds",
            undecided: true,
        });
        assert.match(u.message, /The program declares no start-up time/);
        assert.match(u.message, /survives a start-up of up to 20 s/);
        assert.match(u.message, /Declare the app's worst-case start-up as the container health check's `startPeriod`/);
        // Declared (startPeriod 15 s, under the ALB's own 20 s unhealthy window): no grace period needed.
        assert.deepStrictEqual(
            runStack(
                policy,
                baselineStack({
                    td: taskDefinitionProps([set(appContainer(), "healthCheck.startPeriod", 15)]),
                    service: set(serviceProps(), "healthCheckGracePeriodSeconds", undefined),
                }),
            ),
            [],
        );
    });

    it("rejects a grace period above the configured maximum", () => {
        const stack = baselineStack({ service: set(serviceProps(), "healthCheckGracePeriodSeconds", 600) });
        assert.deepStrictEqual(runStack(policy, stack), []);
        const [v] = runStack(policy, stack, { config: { maxGracePeriodSeconds: 300 } });
        assert.match(v.message, /found 600.*is 600 s \(above 300 s\)/);
    });

    it("needs no grace period for a service without a load balancer (the container's start period covers start-up)", () => {
        const service = { ...set(serviceProps(), "loadBalancers", undefined), healthCheckGracePeriodSeconds: 30 };
        assert.deepStrictEqual(runStack(policy, baselineStack({ service })), []);
        assert.deepStrictEqual(runStack(policy, baselineStack({ service: set(service, "healthCheckGracePeriodSeconds", undefined) })), []);
        const [v] = runStack(policy, baselineStack({ service: set(service, "healthCheckGracePeriodSeconds", 1200) }));
        assert.match(v.message, /is 1200 s \(above 900 s\).*Fix: Lower `healthCheckGracePeriodSeconds` to 0: without a load balancer/);
    });

    it("uses the contract (worst-case start-up) of a HealthyFargateService during a preview", () => {
        assert.deepStrictEqual(runStack(policy, componentPreviewStack()), []);
        const stack = componentPreviewStack();
        stack[3].props = set(stack[3].props, "healthCheckGracePeriodSeconds", 10);
        const [v] = runStack(policy, stack);
        assert.match(
            v.message,
            /found 10, ALB probe from target group 'api-tg' healthCheck, container probe healthContract\.timings\.container/,
        );
        assert.match(v.message, /shorter than the start-up \(60 s\)/);
    });

    it("reports unknown values as undecided", () => {
        const ds = runStack(policy, baselineStack({ service: set(serviceProps(), "healthCheckGracePeriodSeconds", U) }));
        assert.strictEqual(violations(ds).length, 0);
        assertFinding(undecided(ds)[0], {
            resource: "api-service",
            type: "aws:ecs/service:Service",
            path: "healthCheckGracePeriodSeconds",
            undecided: true,
        });
        const td = runStack(policy, baselineStack({ td: taskDefinitionProps([set(appContainer(), "healthCheck.startPeriod", U)]) }));
        assert.match(undecided(td)[0].message, /`container\.startPeriod` cannot be read/);
        assert.strictEqual(violations(td).length, 0);
        const c = contract();
        assert.ok(c.timings.healthCheckGracePeriodSeconds > 0);
    });

    describe("awsx, offline (args) and in a real preview (children)", () => {
        it("judges the grace period against the default target group of an ApplicationLoadBalancer with defaults, in both worlds", () => {
            const program = awsxProgramWith("healthCheckGracePeriodSeconds", undefined);
            program.albs[0].args = { defaultTargetGroup: { port: 8080, protocol: "HTTP" } };
            // AWS defaults: interval 30, unhealthy 2, healthy 5; start period 60 s fails 2 checks: 60 + 150 = 210 s.
            assertBothWorlds(policy, program, ["grace-period-covers-startup mandatory decided awsx:ecs:FargateService::web"]);
            const [v] = runStack(policy, offline(program));
            assertFinding(v, { resource: "web", type: "awsx:ecs:FargateService", path: "healthCheckGracePeriodSeconds", undecided: false });
            assert.match(
                v.message,
                /found unset \(AWS default 0\), ALB probe from the default target group of awsx ApplicationLoadBalancer 'web' healthCheck \(AWS defaults\)/,
            );
            assert.match(v.message, /healthy window \(150 s\) = 210 s/);
            assertBothWorlds(policy, compliantAwsxProgram(), []);
        });

        it("invents no start-up for an awsx service either: undecided in both worlds", () => {
            assertBothWorlds(policy, awsxProgramWith("taskDefinitionArgs.container.healthCheck.startPeriod", undefined), [
                "grace-period-covers-startup advisory undecided awsx:ecs:FargateService::web",
            ]);
        });
    });
});
