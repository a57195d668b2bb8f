import * as assert from "assert";
import { healthCheckRangesValid as policy } from "../../../policies/rules/health-check-ranges-valid";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram } from "../awsx-worlds";
import { runResource, undecided, violations, assertFinding } from "../harness";
import { U, appContainer, contract, set, targetGroupProps, taskDefinitionProps } from "../fixtures";

describe("health-check-ranges-valid", () => {
    const runTd = (container: Record<string, unknown>) =>
        runResource(policy, { type: TYPES.taskDefinition, name: "api-task", props: taskDefinitionProps([container]) });
    const runTg = (props: Record<string, unknown>, type: string = TYPES.lbTargetGroup) =>
        runResource(policy, { type, name: "api-tg", props });

    it("passes the baseline container and target group", () => {
        assert.deepStrictEqual(runTd(appContainer()), []);
        assert.deepStrictEqual(runTg(targetGroupProps()), []);
        assert.deepStrictEqual(runTg({ port: 80, protocol: "HTTP" }), [], "no healthCheck block = AWS defaults");
    });

    it("rejects a container retries value outside 1–10", () => {
        const [v, ...rest] = runTd(set(appContainer(), "healthCheck.retries", 20));
        assert.strictEqual(rest.length, 0);
        assertFinding(v, { path: "containerDefinitions[app].healthCheck.retries", undecided: false });
        assert.match(v.message, /found 20/);
    });

    it("accepts a container timeout not below the interval (ECS does), but not one outside 2–60 s", () => {
        assert.deepStrictEqual(runTd(set(appContainer(), "healthCheck.timeout", 10)), []);
        assert.deepStrictEqual(runTd(set(set(appContainer(), "healthCheck.timeout", 60), "healthCheck.interval", 5)), []);
        const [v] = runTd(set(appContainer(), "healthCheck.timeout", 61));
        assertFinding(v, { path: "containerDefinitions[app].healthCheck.timeout", undecided: false });
        assert.match(v.message, /found 61/);
        assert.strictEqual(v.enforcementLevel, "mandatory");
    });

    it("rejects a non-numeric value", () => {
        const [v] = runTd(set(appContainer(), "healthCheck.interval", "often"));
        assertFinding(v, { path: "containerDefinitions[app].healthCheck.interval", undecided: false });
        assert.match(v.message, /found "often"/);
    });

    it("rejects an ALB timeout not below the interval, on aws:alb target groups too", () => {
        const [v] = runTg(set(targetGroupProps(), "healthCheck.timeout", 10), TYPES.albTargetGroup);
        assertFinding(v, { resource: "api-tg", type: "aws:alb/targetGroup:TargetGroup", path: "healthCheck.timeout", undecided: false });
        assert.match(v.message, /found 10\..*AWS rejects the target group/);
    });

    it("rejects an ALB healthy threshold of 1", () => {
        const [v] = runTg(set(targetGroupProps(), "healthCheck.healthyThreshold", 1));
        assertFinding(v, { path: "healthCheck.healthyThreshold", undecided: false });
        assert.match(v.message, /found 1/);
    });

    it("rejects an invalid matcher, but not on gRPC or TCP target groups", () => {
        const [v] = runTg(set(targetGroupProps(), "healthCheck.matcher", "200-600"));
        assertFinding(v, { path: "healthCheck.matcher", undecided: false });
        assert.match(v.message, /found "200-600"/);
        assert.deepStrictEqual(runTg(set(set(targetGroupProps(), "healthCheck.matcher", "0-99"), "protocolVersion", "GRPC")), []);
        assert.deepStrictEqual(runTg(set(set(targetGroupProps(), "healthCheck.matcher", "x"), "healthCheck.protocol", "TCP")), []);
    });

    it("judges the HealthyFargateService contract's timings", () => {
        assert.deepStrictEqual(runResource(policy, { type: TYPES.healthyFargateService, props: { healthContract: contract() } }), []);
        const [v] = runResource(policy, {
            type: TYPES.healthyFargateService,
            name: "api",
            props: { healthContract: set(contract(), "timings.alb.interval", 500) },
        });
        assertFinding(v, { path: "healthContract.timings.alb.interval", undecided: false });
        assert.match(v.message, /found 500/);
    });

    it("rejects a target group, health check or listener port that cannot exist", () => {
        for (const port of [-1, 0, 70000, 3000.5, "http"]) {
            const [tg, ...rest] = runTg(set(targetGroupProps(), "port", port));
            assert.strictEqual(rest.length, 0, `one finding for port ${JSON.stringify(port)}`);
            assertFinding(tg, { path: "port", undecided: false });
            assert.match(tg.message, /AWS accepts a whole number from 1 to 65535/);
            const [hc] = runTg(set(targetGroupProps(), "healthCheck.port", typeof port === "number" ? String(port) : port));
            assertFinding(hc, { path: "healthCheck.port", undecided: false });
            assert.match(hc.message, /AWS accepts "traffic-port" or a whole number/);
            for (const type of ["aws:lb/listener:Listener", "aws:alb/listener:Listener"]) {
                const [listener] = runResource(policy, { type, name: "api-listener", props: { port, protocol: "HTTP" } });
                assertFinding(listener, { resource: "api-listener", type, path: "port", undecided: false });
            }
        }
        assert.deepStrictEqual(runTg(set(targetGroupProps(), "healthCheck.port", "traffic-port")), []);
        assert.deepStrictEqual(runTg(set(targetGroupProps(), "healthCheck.port", "8081")), []);
        assert.deepStrictEqual(runResource(policy, { type: "aws:lb/listener:Listener", name: "l", props: { port: 443 } }), []);
        assert.deepStrictEqual(runResource(policy, { type: "aws:lb/listener:Listener", name: "l", props: { port: U } }), []);
        assert.deepStrictEqual(runTg(set(set(targetGroupProps(), "port", U), "healthCheck.port", U)), [], "unknown ports are not garbage");
    });

    describe("awsx, offline (args) and in a real preview (children)", () => {
        it("judges the ports of an ApplicationLoadBalancer's args and of the children awsx creates alike", () => {
            const alb = "health-check-ranges-valid mandatory decided awsx:lb:ApplicationLoadBalancer::web";
            assertBothWorlds(policy, awsxProgramWith("alb:defaultTargetGroup.port", 70000), [alb]);
            assertBothWorlds(policy, awsxProgramWith("alb:defaultTargetGroup.healthCheck.port", "http"), [alb]);
            assertBothWorlds(policy, awsxProgramWith("alb:listener", { port: -1, protocol: "HTTP" }), [alb]);
            const [v] = runResource(policy, {
                type: TYPES.awsxApplicationLoadBalancer,
                name: "web",
                props: { listeners: [{ port: 80 }, { port: 3000.5 }] },
            });
            assertFinding(v, { resource: "web", type: "awsx:lb:ApplicationLoadBalancer", path: "listeners[1].port", undecided: false });
            assert.match(v.message, /found 3000\.5\. The port is not a whole number/);
        });

        it("judges an ApplicationLoadBalancer's defaultTargetGroup health check in both worlds", () => {
            const [v] = runResource(policy, {
                type: TYPES.awsxApplicationLoadBalancer,
                name: "web",
                props: { defaultTargetGroup: { healthCheck: { interval: 10, timeout: 10 } } },
            });
            assertFinding(v, {
                resource: "web",
                type: "awsx:lb:ApplicationLoadBalancer",
                path: "defaultTargetGroup.healthCheck.timeout",
                undecided: false,
            });
            assert.match(v.message, /found 10\..*AWS rejects the target group/);
            const alb = "health-check-ranges-valid mandatory decided awsx:lb:ApplicationLoadBalancer::web";
            assertBothWorlds(policy, awsxProgramWith("alb:defaultTargetGroup.healthCheck.timeout", 10), [alb]);
            assertBothWorlds(policy, awsxProgramWith("alb:defaultTargetGroup.healthCheck.matcher", "200-600"), [alb]);
            assertBothWorlds(policy, compliantAwsxProgram(), []);
            // All defaults are valid; the empty inputs of a real preview are not judged at all.
            assert.deepStrictEqual(runResource(policy, { type: TYPES.awsxApplicationLoadBalancer, name: "web", props: {} }), []);
        });

        it("judges container probes of awsx args and of the task definition awsx creates alike", () => {
            assertBothWorlds(policy, awsxProgramWith("taskDefinitionArgs.container.healthCheck.retries", 20), [
                "health-check-ranges-valid mandatory decided awsx:ecs:FargateService::web",
            ]);
        });
    });

    it("reports unknown values as undecided, and never as violations", () => {
        const ds = runTd(set(appContainer(), "healthCheck.timeout", U));
        assert.strictEqual(violations(ds).length, 0);
        assertFinding(undecided(ds)[0], { path: "containerDefinitions[app].healthCheck.timeout", undecided: true });
        assert.strictEqual(undecided(runTg(set(targetGroupProps(), "healthCheck", U))).length, 1);
        assert.strictEqual(undecided(runTg(set(targetGroupProps(), "healthCheck.matcher", U))).length, 1);
    });
});
