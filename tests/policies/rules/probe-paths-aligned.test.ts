import * as assert from "assert";
import { probePathsAligned as policy } from "../../../policies/rules/probe-paths-aligned";
import { probeCommand } from "../../../policies/domain";
import { assertBothWorlds, compliantAwsxProgram, offline } from "../awsx-worlds";
import { type StackResourceInput, runStack, undecided, violations, assertFinding } from "../harness";
import {
    type Json,
    TG_ARN,
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

const tdWithProbe = (path: string, port = 8080) =>
    taskDefinitionProps([set(appContainer(), "healthCheck.command", probeCommand("curl", { port, path, timeoutSeconds: 4 }))]);

describe("probe-paths-aligned", () => {
    it("passes when the ALB and the container probe the same path and port", () => {
        assert.deepStrictEqual(runStack(policy, baselineStack()), []);
    });

    it("rejects the seed outage: ALB on /health, container on /health/live", () => {
        const [v, ...rest] = runStack(policy, baselineStack({ tg: set(targetGroupProps(), "healthCheck.path", "/health") }));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.match(v.urn ?? "", /::aws:ecs\/service:Service::api-service$/);
        assertFinding(v, { resource: "api-service", type: "aws:ecs/service:Service", path: "loadBalancers[0]", undecided: false });
        assert.match(
            v.message,
            /found ALB probes "\/health" \(target group 'api-tg' `healthCheck\.path`\), container 'app' probes "\/health\/live" \(task definition 'api-task' `containerDefinitions\[app\]\.healthCheck\.command`\)/,
        );
        assert.match(
            v.message,
            /Fix: Probe one shallow liveness path from both: set the target group's `healthCheck\.path` to "\/health\/live"/,
        );
    });

    it("uses AWS's default path / when the target group has no health check block", () => {
        const [v] = runStack(policy, baselineStack({ tg: set(targetGroupProps(), "healthCheck", undefined) }));
        assert.match(v.message, /ALB probes "\/" \(target group 'api-tg' `healthCheck\.path` \(no path set: AWS probes "\/"\)\)/);
    });

    it("rejects a container probe on another port than the traffic port", () => {
        const [v] = runStack(policy, baselineStack({ td: tdWithProbe("/health/live", 9090) }));
        assertFinding(v, { path: "loadBalancers[0].containerPort", undecided: false });
        assert.match(v.message, /found ALB probes port 8080 \(traffic-port\), container 'app' probes port 9090/);
    });

    it("follows propertyDependencies when ARNs are unknown (preview of a new stack)", () => {
        const stack = baselineStack({
            td: tdWithProbe("/healthz"),
            service: {
                ...serviceProps(),
                taskDefinition: U,
                loadBalancers: [{ targetGroupArn: U, containerName: "app", containerPort: 8080 }],
            },
        });
        const [v] = violations(runStack(policy, stack));
        assert.match(v.message, /ALB probes "\/health\/live".*container 'app' probes "\/healthz"/);
    });

    it("reports undecided when the target group cannot be followed", () => {
        const stack = baselineStack({
            service: { ...serviceProps(), loadBalancers: [{ targetGroupArn: U, containerName: "app", containerPort: 8080 }] },
        });
        stack[2].propertyDependencies = {};
        stack[2].dependsOn = [];
        const ds = runStack(policy, stack);
        assert.strictEqual(violations(ds).length, 0);
        assert.strictEqual(ds[0].enforcementLevel, "advisory");
        assertFinding(ds[0], { resource: "api-service", type: "aws:ecs/service:Service", path: "loadBalancers[0]", undecided: true });
        assert.match(ds[0].message, /`loadBalancers\[0\]\.targetGroupArn` is unknown and no target group\(s\) of this stack feed it\./);
    });

    it("reports undecided, not a pass, when the target group's health check protocol is unknown", () => {
        const tg = set(set(targetGroupProps(), "healthCheck.protocol", U), "healthCheck.path", "/health");
        const ds = runStack(policy, baselineStack({ tg }));
        assert.strictEqual(violations(ds).length, 0);
        assert.strictEqual(undecided(ds).length, 1);
        assertFinding(undecided(ds)[0], { path: "loadBalancers[0]", undecided: true });
        assert.match(undecided(ds)[0].message, /the health check of target group 'api-tg' is unknown/);
        assert.deepStrictEqual(
            runStack(policy, baselineStack({ tg: set(tg, "healthCheck.protocol", "TCP") })),
            [],
            "TCP checks request no path",
        );
    });

    it("reports undecided for a target group managed outside the stack", () => {
        const ds = runStack(
            policy,
            baselineStack({
                service: set(serviceProps(), "loadBalancers", [
                    { targetGroupArn: TG_ARN.replace("api", "other"), containerName: "app", containerPort: 8080 },
                ]),
            }),
        );
        assert.match(undecided(ds)[0].message, /is not managed in this stack/);
    });

    it("reports undecided when the containers are unknown outside a HealthyFargateService", () => {
        const ds = runStack(policy, baselineStack({ td: taskDefinitionProps([], { containerDefinitions: U }) }));
        assert.match(undecided(ds)[0].message, /the containers of the service's task definition are unknown \(`containerDefinitions`\)/);
    });

    it("decides a HealthyFargateService preview from its contract", () => {
        assert.deepStrictEqual(runStack(policy, componentPreviewStack()), []);
        const stack = componentPreviewStack();
        stack[2].props = set(stack[2].props, "healthCheck.path", "/health");
        const [v] = runStack(policy, stack);
        assert.match(
            v.message,
            /ALB probes "\/health" \(target group 'api-tg'.*container 'app' probes "\/health\/live" \(health contract of 'api'\)/,
        );
    });

    it("rejects a contract whose command does not request its liveness path", () => {
        const c = set(contract(), "probe.command", probeCommand("curl", { port: 8080, path: "/other", timeoutSeconds: 4 }));
        const ds = runStack(policy, componentPreviewStack(c));
        assert.ok(
            ds.some((d) =>
                /'api' \(healthy-fargate:ecs:HealthyFargateService\) `healthContract\.probe\.command`: found request of "\/other" on port 8080 vs livenessPath "\/health\/live"/.test(
                    d.message,
                ),
            ),
            JSON.stringify(ds),
        );
    });

    describe("awsx, offline (args) and in a real preview (children)", () => {
        const FINDING = "probe-paths-aligned mandatory decided awsx:ecs:FargateService::web";
        const withAlbArgs = (args: Json) => {
            const p = compliantAwsxProgram();
            p.albs[0].args = args;
            return p;
        };

        it('judges an ApplicationLoadBalancer with all defaults (probes "/") against the container probe, in both worlds', () => {
            // Default target group: port 80 (no listener args), path "/": both path and port differ from the container's.
            assertBothWorlds(policy, withAlbArgs({}), [FINDING, FINDING]);
            assertBothWorlds(policy, withAlbArgs({ defaultTargetGroup: { port: 8080, protocol: "HTTP" } }), [FINDING]);
            assertBothWorlds(
                policy,
                withAlbArgs({ defaultTargetGroup: { port: 8080, protocol: "HTTP", healthCheck: { path: "/health" } } }),
                [FINDING],
            );
            assertBothWorlds(policy, compliantAwsxProgram(), []);
            const [v] = runStack(policy, offline(withAlbArgs({ defaultTargetGroup: { port: 8080, protocol: "HTTP" } })));
            assertFinding(v, {
                resource: "web",
                type: "awsx:ecs:FargateService",
                path: "taskDefinitionArgs.container.portMappings[0].targetGroup",
                undecided: false,
            });
            assert.match(
                v.message,
                /found ALB probes "\/" \(the default target group of awsx ApplicationLoadBalancer 'web' `healthCheck\.path` \(no path set: AWS probes "\/"\)\), container 'web' probes "\/health\/live"/,
            );
        });

        it("follows every form a portMappings[].targetGroup reference may take offline", () => {
            const alb = offline(withAlbArgs({ defaultTargetGroup: { port: 8080, protocol: "HTTP" } }))[0];
            const tgArn = (alb.props.defaultTargetGroup as Json).arn;
            const serviceWith = (targetGroup: unknown, deps: string[] = [alb.key]): StackResourceInput => {
                const svc = offline(compliantAwsxProgram())[1];
                svc.props = set(svc.props, "taskDefinitionArgs.container.portMappings", [
                    { containerPort: 8080, ...(targetGroup === undefined ? {} : { targetGroup }) },
                ]);
                svc.propertyDependencies = { taskDefinitionArgs: deps };
                return svc;
            };
            const childTgUrn = "urn:pulumi:dev::healthy-fargate::awsx:lb:ApplicationLoadBalancer$aws:lb/targetGroup:TargetGroup::web";
            for (const [form, targetGroup] of [
                ["rendered object", { arn: tgArn, port: 8080 }],
                ["ARN", tgArn],
                ["URN of the child target group", childTgUrn],
                ["unknown", U],
            ] as const) {
                const ds = runStack(policy, [alb, serviceWith(targetGroup)]);
                assert.strictEqual(violations(ds).length, 1, `${form}: ${JSON.stringify(ds)}`);
                assert.match(ds[0].message, /ALB probes "\/" \(the default target group of awsx ApplicationLoadBalancer 'web'/, form);
            }
            // No reference and an ALB whose outputs are rendered: not attached, nothing to compare.
            assert.deepStrictEqual(runStack(policy, [alb, serviceWith(undefined)]), []);
            // No reference, and the ALB's outputs were not rendered: the link may have been lost — undecided, never a pass.
            const unrendered = { ...alb, props: { defaultTargetGroup: { port: 8080, protocol: "HTTP" } } };
            const [u, ...rest] = runStack(policy, [unrendered, serviceWith(undefined)]);
            assert.strictEqual(rest.length, 0);
            assertFinding(u, { resource: "web", type: "awsx:ecs:FargateService", path: "loadBalancers", undecided: true });
            assert.match(
                u.message,
                /'web' \(awsx:lb:ApplicationLoadBalancer\) feeds `taskDefinitionArgs`, but no `portMappings\[\]\.targetGroup` reference to it was rendered/,
            );
        });

        it("judges explicit loadBalancers args and a raw service fed by an awsx ALB, also when the ARN was not rendered", () => {
            const [alb] = offline(withAlbArgs({ defaultTargetGroup: { port: 8080, protocol: "HTTP" } }));
            const svc = offline(compliantAwsxProgram())[1];
            svc.props = set(svc.props, "taskDefinitionArgs.container.portMappings", [{ containerPort: 8080 }]);
            svc.props.loadBalancers = [{ containerName: "web", containerPort: 8080 }];
            svc.propertyDependencies = { loadBalancers: [alb.key] };
            const [v] = runStack(policy, [alb, svc]);
            assertFinding(v, { path: "loadBalancers[0]", undecided: false });
            assert.match(v.message, /found ALB probes "\/" \(the default target group of awsx ApplicationLoadBalancer 'web'/);
            const raw = baselineStack();
            raw[2].props = { ...serviceProps(), loadBalancers: [{ containerName: "app", containerPort: 8080 }] };
            raw[2].propertyDependencies = { taskDefinition: ["td"], loadBalancers: ["alb"] };
            const ds = runStack(policy, [...raw.slice(0, 1), raw[2], { ...alb, key: "alb" }]);
            assertFinding(ds[0], { resource: "api-service", type: "aws:ecs/service:Service", path: "loadBalancers[0]", undecided: false });
            assert.match(ds[0].message, /found ALB probes "\/" \(the default target group of awsx ApplicationLoadBalancer 'web'/);
        });
    });
});
