/**
 * HealthyFargateService alarms, deployment alarms, blue/green, rollout verification, and the
 * ServiceDashboard: the registered inputs under the recording mocks, and the pure helpers.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { type MockedRun, valueOf, withMocks } from "../support/pulumi-mocks";
import { LISTENER_ARN, serviceArgs } from "../support/service-args";
import type { CapturedResource } from "../../cli/offline/program-runner";
import { HealthyFargateService, type HealthyFargateServiceArgs, InvalidArgumentsError, ServiceDashboard } from "../../components";
import {
    ALARM_KINDS,
    type AlarmKind,
    alarmDefinitions,
    clusterNameOf,
    loadBalancerArnSuffixFromListenerArn,
    periodsTouchedBy,
    resolveAlarms,
    unhealthyTargetWindowSeconds,
} from "../../components/healthy-fargate-service/alarms";
import { type DashboardService, dashboardBody } from "../../components/service-dashboard";
import { buildHealthContract, deploymentTimeline, deriveHealthTimings } from "../../policies/domain";
import { healthContractInput } from "../support/health-contract-input";

const LB_SUFFIX = "app/shared-alb/50dc6c495c0c9188";
const baseArgs: HealthyFargateServiceArgs = serviceArgs;

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const SERVICE = "aws:ecs/service:Service";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const VERIFICATION = "pulumi-nodejs:dynamic/healthy-fargate:RolloutVerification";

async function render(
    args: Partial<HealthyFargateServiceArgs> = {},
    name = "api",
): Promise<{ run: MockedRun; service: HealthyFargateService; resources: CapturedResource[] }> {
    const run = await withMocks();
    const service = new HealthyFargateService(name, { ...baseArgs, ...args });
    const resources = await run.settle();
    return { run, service, resources };
}
const ofType = (resources: CapturedResource[], type: string) => resources.filter((r) => r.type === type);
const alarm = (resources: CapturedResource[], suffix: string): any => {
    const found = ofType(resources, ALARM).filter((r) => r.name.endsWith(`-${suffix}`));
    assert.equal(found.length, 1, `one alarm *-${suffix}`);
    return found[0];
};
const serviceInputs = (resources: CapturedResource[]): any => ofType(resources, SERVICE)[0].inputs;
const tgSuffix = (resources: CapturedResource[], name: string) =>
    resources.find((r) => r.type === TARGET_GROUP && r.name === name)!.outputs.arnSuffix as string;

describe("HealthyFargateService alarms (defaults)", () => {
    let resources: CapturedResource[];
    let service: HealthyFargateService;
    before(async () => ({ resources, service } = await render()));

    it("creates the unhealthy-hosts, 5XX-rate, p90, p99 and running-tasks alarms, and no container-health alarm without enhanced Container Insights", () => {
        assert.deepEqual(
            ofType(resources, ALARM)
                .map((r) => r.name)
                .sort(),
            ["api-5xx-rate", "api-latency-p90", "api-latency-p99", "api-running-tasks", "api-unhealthy-hosts"],
        );
    });

    it("unhealthy hosts: UnHealthyHostCount of the target group on the load balancer, Maximum > 0 for a window derived from the ALB probe", () => {
        const a = alarm(resources, "unhealthy-hosts").inputs;
        assert.deepEqual(
            [a.namespace, a.metricName, a.statistic, a.extendedStatistic, a.period, a.comparisonOperator, a.threshold, a.treatMissingData],
            ["AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", undefined, 60, "GreaterThanThreshold", 0, "notBreaching"],
        );
        assert.deepEqual(a.dimensions, { TargetGroup: tgSuffix(resources, "api-tg"), LoadBalancer: LB_SUFFIX });
        // Flap (3 + 2) × 10 s = 50 s; start at 60 s: unhealthy from 20 s to 70 s = 50 s → touches 2 minutes.
        assert.deepEqual([a.evaluationPeriods, a.datapointsToAlarm], [2, 2]);
    });

    it("5XX rate: metric math over HTTPCode_Target_5XX_Count and RequestCount (Sum), above 5 % in 3 of 5 minutes", () => {
        const a = alarm(resources, "5xx-rate").inputs;
        const dims = { TargetGroup: tgSuffix(resources, "api-tg"), LoadBalancer: LB_SUFFIX };
        assert.deepEqual(a.metricQueries, [
            {
                id: "errors0",
                returnData: false,
                metric: {
                    namespace: "AWS/ApplicationELB",
                    metricName: "HTTPCode_Target_5XX_Count",
                    dimensions: dims,
                    period: 60,
                    stat: "Sum",
                },
            },
            {
                id: "requests0",
                returnData: false,
                metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions: dims, period: 60, stat: "Sum" },
            },
            {
                id: "rate",
                returnData: true,
                label: "Target 5XX rate (%)",
                expression: "IF((FILL(requests0, 0)) >= 10, 100 * (FILL(errors0, 0)) / (FILL(requests0, 0)), 0)",
            },
        ]);
        assert.deepEqual(
            [a.threshold, a.evaluationPeriods, a.datapointsToAlarm, a.metricName, a.namespace],
            [5, 5, 3, undefined, undefined],
        );
    });

    it("latency: TargetResponseTime p90 above 1 s and p99 above the drain budget (15 s), as extended statistics", () => {
        const p90 = alarm(resources, "latency-p90").inputs;
        const p99 = alarm(resources, "latency-p99").inputs;
        for (const a of [p90, p99]) {
            assert.deepEqual(
                [a.namespace, a.metricName, a.statistic, a.period],
                ["AWS/ApplicationELB", "TargetResponseTime", undefined, 60],
            );
            assert.deepEqual(a.dimensions, { TargetGroup: tgSuffix(resources, "api-tg"), LoadBalancer: LB_SUFFIX });
        }
        assert.deepEqual([p90.extendedStatistic, p90.threshold], ["p90", 1]);
        assert.deepEqual([p99.extendedStatistic, p99.threshold], ["p99", 15]);
    });

    it("running tasks: Container Insights desired − running > 0, missing data breaching, window from task replacement time", () => {
        const a = alarm(resources, "running-tasks").inputs;
        const dims = { ClusterName: "platform", ServiceName: "healthy-fargate-test-api" };
        assert.deepEqual(
            a.metricQueries.map((q: any) => [
                q.id,
                q.metric?.namespace,
                q.metric?.metricName,
                q.metric?.stat,
                q.metric?.dimensions,
                q.expression,
            ]),
            [
                ["desired", "ECS/ContainerInsights", "DesiredTaskCount", "Maximum", dims, undefined],
                ["running", "ECS/ContainerInsights", "RunningTaskCount", "Minimum", dims, undefined],
                ["missing", undefined, undefined, undefined, undefined, "desired - FILL(running, 0)"],
            ],
        );
        // 45 s provisioning + 15 s deregistration + 15 s stopTimeout = 75 s → 3 minutes.
        assert.deepEqual([a.threshold, a.evaluationPeriods, a.treatMissingData], [0, 3, "breaching"]);
    });

    it("wires the 5XX-rate and unhealthy-hosts alarms (by their real names) as deployment alarms with rollback, next to the circuit breaker", async () => {
        const svc = serviceInputs(resources);
        const names = ["unhealthy-hosts", "5xx-rate"].map((s) => alarm(resources, s).outputs.name);
        assert.match(names[0], /^api-unhealthy-hosts-[0-9a-f]{7}$/, "auto-named, so stacks do not collide");
        assert.deepEqual(svc.alarms, { alarmNames: names, enable: true, rollback: true });
        assert.deepEqual(svc.deploymentCircuitBreaker, { enable: true, rollback: true });
        assert.deepEqual(await valueOf(service.deploymentAlarmNames), names);
        const serviceUrn = ofType(resources, SERVICE)[0];
        for (const s of ["unhealthy-hosts", "5xx-rate"])
            assert.ok(serviceUrn.dependencies.includes(alarm(resources, s).urn), `service depends on ${s}`);
    });

    it("describes each alarm with its basis and how to silence it, and sends no notifications without a topic", () => {
        const a = alarm(resources, "unhealthy-hosts").inputs;
        assert.match(a.alarmDescription, /unhealthy for at most 50 s .* Rolls deployments back .* `alarms\.unhealthyHosts`/);
        assert.equal(a.alarmActions, undefined);
        assert.equal(a.okActions, undefined);
    });
});

describe("HealthyFargateService alarm options", () => {
    it("adds the container-health alarm (UnHealthyContainerHealthStatus per container) with enhanced Container Insights", async () => {
        const { resources } = await render({ alarms: { containerInsights: "enhanced" } });
        const a = alarm(resources, "container-health").inputs;
        assert.deepEqual(
            [a.namespace, a.metricName, a.statistic, a.threshold],
            ["ECS/ContainerInsights", "UnHealthyContainerHealthStatus", "Maximum", 0],
        );
        assert.deepEqual(a.dimensions, { ClusterName: "platform", ServiceName: "healthy-fargate-test-api", ContainerName: "app" });
        // 10 s probe + 15 s deregistration + 15 s stopTimeout = 40 s → 2 minutes.
        assert.equal(a.evaluationPeriods, 2);
    });

    it("notifies an SNS topic on ALARM and on OK", async () => {
        const topic = "arn:aws:sns:us-east-1:123456789012:oncall";
        const { resources } = await render({ alarms: { snsTopicArn: topic } });
        for (const r of ofType(resources, ALARM)) {
            assert.deepEqual([(r.inputs as any).alarmActions, (r.inputs as any).okActions], [[topic], [topic]], r.name);
        }
    });

    it("applies tuned thresholds and windows", async () => {
        const { resources } = await render({
            alarms: {
                targetErrorRate: { thresholdPercent: 2, evaluationMinutes: 10, datapointsToAlarm: 4, minimumRequests: 50 },
                latencyP90: { thresholdSeconds: 0.3 },
                unhealthyHosts: { evaluationMinutes: 4 },
            },
        });
        const rate = alarm(resources, "5xx-rate").inputs;
        assert.deepEqual([rate.threshold, rate.evaluationPeriods, rate.datapointsToAlarm], [2, 10, 4]);
        assert.match(rate.metricQueries[2].expression, /^IF\(\(FILL\(requests0, 0\)\) >= 50,/);
        assert.equal(alarm(resources, "latency-p90").inputs.threshold, 0.3);
        assert.deepEqual(
            [alarm(resources, "unhealthy-hosts").inputs.evaluationPeriods, alarm(resources, "unhealthy-hosts").inputs.datapointsToAlarm],
            [4, 4],
        );
    });

    it("uses the ALB's ARN suffix from `listener.loadBalancerArnSuffix` when given", async () => {
        const { resources } = await render({ listener: { ...baseArgs.listener, loadBalancerArnSuffix: "app/other/0123456789abcdef" } });
        assert.equal(alarm(resources, "unhealthy-hosts").inputs.dimensions.LoadBalancer, "app/other/0123456789abcdef");
    });

    it("derives the ALB's ARN suffix from a listener that is an Output (offline, the placeholder listener ARN embeds its load balancer's)", async () => {
        const run = await withMocks();
        const lb = new aws.lb.LoadBalancer("shared", { loadBalancerType: "application", subnets: ["subnet-a", "subnet-b"] });
        const http = new aws.lb.Listener("shared-http", {
            loadBalancerArn: lb.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
        });
        new HealthyFargateService("api", { ...baseArgs, listener: { listenerArn: http.arn, securityGroupId: "sg-alb" } });
        const resources = await run.settle();
        const suffix = resources.find((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")!.outputs.arnSuffix;
        assert.match(String(suffix), /^app\/shared-[0-9a-f]+\/[0-9a-f]+$/);
        assert.equal(alarm(resources, "unhealthy-hosts").inputs.dimensions.LoadBalancer, suffix);
        const rule = resources.find((r) => r.type === "aws:lb/listenerRule:ListenerRule")!;
        assert.match(String(rule.outputs.arn), new RegExp(`:listener-rule/${String(suffix).replace(/\//g, "\\/")}/[0-9a-f]+/[0-9a-f]+$`));
    });

    it("`rollbackOn` chooses the deployment alarms; [] leaves the service without deployment alarms", async () => {
        const latency = await render({ alarms: { rollbackOn: ["latencyP99"] } });
        assert.deepEqual(serviceInputs(latency.resources).alarms.alarmNames, [alarm(latency.resources, "latency-p99").outputs.name]);
        const none = await render({ alarms: { rollbackOn: [] } });
        assert.equal(serviceInputs(none.resources).alarms, undefined);
        assert.equal(ofType(none.resources, ALARM).length, 5, "the alarms themselves stay");
    });

    it("`alarms: false` creates no alarm and no deployment alarms (the circuit breaker stays)", async () => {
        const { resources } = await render({ alarms: false });
        assert.equal(ofType(resources, ALARM).length, 0);
        assert.equal(serviceInputs(resources).alarms, undefined);
        assert.deepEqual(serviceInputs(resources).deploymentCircuitBreaker, { enable: true, rollback: true });
    });

    for (const [kind, suffix] of [
        ["unhealthyHosts", "unhealthy-hosts"],
        ["targetErrorRate", "5xx-rate"],
        ["latencyP90", "latency-p90"],
        ["latencyP99", "latency-p99"],
        ["runningTasks", "running-tasks"],
    ] as const) {
        it(`\`alarms.${kind}: false\` removes only that alarm (and from the deployment alarms)`, async () => {
            const rollbackOn = (["targetErrorRate", "unhealthyHosts"] as AlarmKind[]).filter((k) => k !== kind);
            const { resources } = await render({ alarms: { [kind]: false, rollbackOn } });
            const names = ofType(resources, ALARM).map((r) => r.name);
            assert.equal(names.length, 4);
            assert.ok(!names.includes(`api-${suffix}`));
            assert.equal(serviceInputs(resources).alarms.alarmNames.length, rollbackOn.length);
        });
    }

    it("skips the running-tasks alarm when Container Insights is disabled or nothing should run", async () => {
        assert.ok(
            !ofType((await render({ alarms: { containerInsights: "disabled" } })).resources, ALARM).some(
                (r) => r.name === "api-running-tasks",
            ),
        );
        assert.ok(!ofType((await render({ desiredCount: 0 })).resources, ALARM).some((r) => r.name === "api-running-tasks"));
    });
});

describe("HealthyFargateService rejects bad alarm and deployment args before registering anything", () => {
    const cases: Array<[string, Partial<HealthyFargateServiceArgs>, RegExp]> = [
        [
            "a 5XX threshold above 100 %",
            { alarms: { targetErrorRate: { thresholdPercent: 150 } } },
            /`alarms\.targetErrorRate\.thresholdPercent` must be a percentage/,
        ],
        [
            "more datapoints than minutes",
            { alarms: { unhealthyHosts: { evaluationMinutes: 2, datapointsToAlarm: 3 } } },
            /`alarms\.unhealthyHosts\.datapointsToAlarm` must be a whole number from 1 to `evaluationMinutes` \(2\)/,
        ],
        [
            "an evaluation window over a day",
            { alarms: { latencyP99: { evaluationMinutes: 2000 } } },
            /`alarms\.latencyP99\.evaluationMinutes` must be a whole number of minutes 1–1440/,
        ],
        [
            "a negative latency threshold",
            { alarms: { latencyP90: { thresholdSeconds: -1 } } },
            /`alarms\.latencyP90\.thresholdSeconds` must be a number of seconds above 0/,
        ],
        [
            "a container-health alarm without enhanced Container Insights",
            { alarms: { containerHealth: {} } },
            /`alarms\.containerHealth` cannot be created: .*UnHealthyContainerHealthStatus.*enhanced/,
        ],
        [
            "a deployment alarm that is off",
            { alarms: { targetErrorRate: false, rollbackOn: ["targetErrorRate"] } },
            /`alarms\.rollbackOn` names `targetErrorRate`, which is off/,
        ],
        [
            "an unknown alarm",
            { alarms: { cpu: {} } as any },
            /`alarms\.cpu` is not an argument of `alarms`; the arguments are `unhealthyHosts`/,
        ],
        [
            "an unknown Container Insights level",
            { alarms: { containerInsights: "on" as any } },
            /`alarms\.containerInsights` must be "disabled", "enabled" or "enhanced"/,
        ],
        [
            "a load balancer suffix that is not one",
            { listener: { ...baseArgs.listener, loadBalancerArnSuffix: "my-alb" } },
            /`listener\.loadBalancerArnSuffix` must be an ALB's ARN suffix/,
        ],
        [
            "an NLB listener without a suffix",
            {
                listener: {
                    ...baseArgs.listener,
                    listenerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/nlb/50dc6c495c0c9188/f2f7dc8efc522ab2",
                },
            },
            /is not an ALB listener ARN.*pass `listener\.loadBalancerArnSuffix`/,
        ],
        [
            "a bake time with rolling deployments",
            { deployment: { bakeTimeMinutes: 5 } },
            /`deployment\.bakeTimeMinutes` applies to `strategy: "blue-green"` only/,
        ],
        [
            "a bake time over a day",
            { deployment: { strategy: "blue-green", bakeTimeMinutes: 1441 } },
            /`deployment\.bakeTimeMinutes` must be a whole number of minutes 0–1440/,
        ],
        ["an unknown strategy", { deployment: { strategy: "canary" as any } }, /`deployment\.strategy` must be "rolling" or "blue-green"/],
        ["a non-boolean verifyRollout", { verifyRollout: "yes" as any }, /`verifyRollout` must be true or false/],
    ];
    for (const [what, change, message] of cases) {
        it(`rejects ${what}`, async () => {
            const run = await withMocks();
            assert.throws(
                () => new HealthyFargateService("bad", { ...baseArgs, ...change }),
                (e: unknown) => {
                    assert.ok(e instanceof InvalidArgumentsError);
                    assert.match((e as Error).message, message);
                    return true;
                },
            );
            assert.equal((await run.settle()).length, 0, "nothing registered");
        });
    }
});

describe("HealthyFargateService blue/green", () => {
    let resources: CapturedResource[];
    let service: HealthyFargateService;
    before(async () => ({ resources, service } = await render({ deployment: { strategy: "blue-green" } })));

    it("creates a second target group with exactly the primary's health check and settings", () => {
        const groups = ofType(resources, TARGET_GROUP);
        assert.deepEqual(groups.map((g) => g.name).sort(), ["api-tg", "api-tg-alt"]);
        const [a, b] = groups.map((g) => g.inputs as any);
        assert.deepEqual(a.healthCheck, b.healthCheck);
        assert.equal(a.healthCheck.path, "/health/live");
        assert.deepEqual({ ...a, healthCheck: undefined }, { ...b, healthCheck: undefined });
    });

    it("configures BLUE_GREEN with a bake time derived from the deployment alarms and advancedConfiguration naming the alternate group, the rule and the role", () => {
        const svc = serviceInputs(resources);
        const alt = resources.find((r) => r.name === "api-tg-alt")!;
        const rule = resources.find((r) => r.type === "aws:lb/listenerRule:ListenerRule")!;
        const role = resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "api-ecs-lb")!;
        // Longest deployment alarm (5XX rate) evaluates 5 minutes, + 1 for metric delay.
        assert.deepEqual(svc.deploymentConfiguration, { strategy: "BLUE_GREEN", bakeTimeInMinutes: "6" });
        assert.deepEqual(svc.loadBalancers, [
            {
                targetGroupArn: resources.find((r) => r.name === "api-tg")!.outputs.arn,
                containerName: "app",
                containerPort: 8080,
                advancedConfiguration: {
                    alternateTargetGroupArn: alt.outputs.arn,
                    productionListenerRule: rule.outputs.arn,
                    roleArn: role.outputs.arn,
                },
            },
        ]);
        assert.equal(service.healthContract.deployment.strategy, "blue-green");
        assert.equal(service.healthContract.deployment.bakeTimeMinutes, 6);
        assert.equal(
            service.healthContract.timeline.rollingDeploymentWithBakeSeconds - service.healthContract.timeline.rollingDeploymentSeconds,
            360,
        );
    });

    it("forwards the production rule to both groups (100/0) and leaves its actions to ECS afterwards", () => {
        const rule = resources.find((r) => r.type === "aws:lb/listenerRule:ListenerRule")!;
        const groups = Object.fromEntries(ofType(resources, TARGET_GROUP).map((g) => [g.name, g.outputs.arn]));
        assert.deepEqual((rule.inputs as any).actions, [
            {
                type: "forward",
                forward: {
                    targetGroups: [
                        { arn: groups["api-tg"], weight: 100 },
                        { arn: groups["api-tg-alt"], weight: 0 },
                    ],
                },
            },
        ]);
        assert.deepEqual(rule.options.ignoreChanges, ["actions"]);
    });

    it("gives ECS a role it alone can assume, with AWS's load-balancer policy for it and nothing else", () => {
        const role = resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "api-ecs-lb")!;
        const trust = JSON.parse((role.inputs as any).assumeRolePolicy);
        assert.deepEqual(
            trust.Statement.map((s: any) => [s.Effect, s.Principal, s.Action]),
            [["Allow", { Service: "ecs.amazonaws.com" }, "sts:AssumeRole"]],
        );
        const attachments = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        assert.deepEqual(
            attachments.map((a) => a.inputs),
            [{ role: role.outputs.name, policyArn: "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers" }],
        );
        assert.ok(ofType(resources, SERVICE)[0].dependencies.includes(attachments[0].urn), "the service waits for the grant");
    });

    it("watches both target groups in the ALB alarms (traffic moves between them)", () => {
        const unhealthy = alarm(resources, "unhealthy-hosts").inputs;
        const suffixes = [tgSuffix(resources, "api-tg"), tgSuffix(resources, "api-tg-alt")];
        assert.deepEqual(
            unhealthy.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.dimensions.TargetGroup),
            suffixes,
        );
        assert.equal(unhealthy.metricQueries.at(-1).expression, "FILL(unhealthy0, 0) + FILL(unhealthy1, 0)");
        assert.equal(alarm(resources, "latency-p99").inputs.metricQueries.at(-1).expression, "MAX([latency0, latency1])");
        assert.match(alarm(resources, "5xx-rate").inputs.metricQueries.at(-1).expression, /FILL\(errors0, 0\) \+ FILL\(errors1, 0\)/);
    });

    it("rolling (the default) has none of it", async () => {
        const rolling = (await render()).resources;
        assert.equal(ofType(rolling, TARGET_GROUP).length, 1);
        assert.equal(serviceInputs(rolling).deploymentConfiguration, undefined);
        assert.equal(serviceInputs(rolling).loadBalancers[0].advancedConfiguration, undefined);
        assert.equal(ofType(rolling, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0);
        assert.equal(resources.find((r) => r.type === "aws:lb/listenerRule:ListenerRule")!.options.ignoreChanges !== undefined, true);
        assert.equal(rolling.find((r) => r.type === "aws:lb/listenerRule:ListenerRule")!.options.ignoreChanges, undefined);
    });

    it("honours an explicit bake time, and 0 without deployment alarms", async () => {
        assert.equal(
            serviceInputs((await render({ deployment: { strategy: "blue-green", bakeTimeMinutes: 15 } })).resources).deploymentConfiguration
                .bakeTimeInMinutes,
            "15",
        );
        assert.equal(
            serviceInputs((await render({ deployment: { strategy: "blue-green" }, alarms: { rollbackOn: [] } })).resources)
                .deploymentConfiguration.bakeTimeInMinutes,
            "0",
        );
    });
});

describe("HealthyFargateService rollout verification", () => {
    it("adds a RolloutVerification after the service, for this update's task definition, in the stack's region", async () => {
        const { resources, service: hfs } = await render();
        const component = resources.find((r) => r.type === "healthy-fargate:ecs:HealthyFargateService")!;
        const [verification] = ofType(resources, VERIFICATION);
        const service = ofType(resources, SERVICE)[0];
        const td = resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!;
        assert.equal(verification.parent, component.urn);
        assert.ok(verification.dependencies.includes(service.urn));
        const inputs = verification.inputs as any;
        assert.deepEqual(
            [inputs.cluster, inputs.serviceName, inputs.taskDefinitionArn, inputs.region, inputs.timeout],
            [baseArgs.cluster, service.outputs.name, td.outputs.arn, "us-east-1", `${hfs.deploymentTimeouts.updateMinutes}m`],
        );
        assert.equal(hfs.deploymentTimeouts.updateMinutes, 20, "a short deployment keeps the provider's 20 minutes");
        assert.match(inputs.__provider, /verifyRollout/, "the serialized provider is registered");
    });

    it("`verifyRollout: false` removes it", async () => {
        assert.equal(ofType((await render({ verifyRollout: false })).resources, VERIFICATION).length, 0);
    });
});

describe("ServiceDashboard", () => {
    it("registers one dashboard whose body is valid JSON with a row of widgets per service", async () => {
        const run = await withMocks({}, "staging");
        const api = new HealthyFargateService("api", { ...baseArgs, alarms: { containerInsights: "enhanced" } });
        const worker = new HealthyFargateService("worker", {
            ...baseArgs,
            routing: { priority: 11, pathPatterns: ["/w/*"] },
            deployment: { strategy: "blue-green" },
        });
        new ServiceDashboard("platform", { services: [api, worker] });
        const resources = await run.settle();
        const dashboard = ofType(resources, "aws:cloudwatch/dashboard:Dashboard");
        assert.equal(dashboard.length, 1);
        assert.equal((dashboard[0].inputs as any).dashboardName, "healthy-fargate-staging");
        assert.equal(dashboard[0].parent, resources.find((r) => r.type === "healthy-fargate:cloudwatch:ServiceDashboard")!.urn);
        const body = JSON.parse((dashboard[0].inputs as any).dashboardBody);
        assert.equal(body.widgets.length, 12, "alarms + header + 4 graphs per service");
        const titles = body.widgets.map((w: any) => w.properties.title ?? w.properties.markdown.split("\n")[0]);
        assert.deepEqual(titles, [
            "## api",
            "api: alarms",
            "api: ALB targets",
            "api: tasks and deployments",
            "api: target 5XX",
            "api: target response time (s)",
            "## worker",
            "worker: alarms",
            "worker: ALB targets",
            "worker: tasks and deployments",
            "worker: target 5XX",
            "worker: target response time (s)",
        ]);
        const alarmArns = ofType(resources, ALARM)
            .filter((r) => r.name.startsWith("api-"))
            .map((r) => r.outputs.arn);
        assert.deepEqual([...body.widgets[1].properties.alarms].sort(), [...alarmArns].sort());
        // The blue/green service's graphs show both target groups.
        const workerTargets = body.widgets[8].properties.metrics.map((m: any[]) => m[3]);
        assert.deepEqual(workerTargets, [
            tgSuffix(resources, "worker-tg"),
            tgSuffix(resources, "worker-tg-alt"),
            tgSuffix(resources, "worker-tg"),
            tgSuffix(resources, "worker-tg-alt"),
        ]);
        assert.match(body.widgets[6].properties.markdown, /blue\/green, bake 6 min/);
    });

    it("rejects an empty or duplicated service list before registering anything", async () => {
        const run = await withMocks();
        assert.throws(() => new ServiceDashboard("d", { services: [] }), /`services` must list at least one HealthyFargateService/);
        assert.throws(() => new ServiceDashboard("d", { services: [{} as any] }), /must be a HealthyFargateService/);
        const api = { componentName: "api" } as unknown as HealthyFargateService;
        assert.throws(() => new ServiceDashboard("d", { services: [api, api] }), /`services` lists api more than once/);
        assert.throws(
            () => new ServiceDashboard("d", { services: [], dashboardName: "a b" } as any),
            (e: Error) => e instanceof InvalidArgumentsError && /dashboardName/.test(e.message),
        );
        assert.equal((await run.settle()).length, 0);
    });
});

describe("alarm and dashboard helpers (pure)", () => {
    const contract = buildHealthContract(healthContractInput({ startup: { expectedSeconds: 30, worstCaseSeconds: 120 }, desiredCount: 3 }));

    it("derives the ALB suffix from an ALB listener ARN only, and the cluster name from its ARN", () => {
        assert.equal(loadBalancerArnSuffixFromListenerArn(LISTENER_ARN), LB_SUFFIX);
        assert.equal(
            loadBalancerArnSuffixFromListenerArn(
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/n/50dc6c495c0c9188/f2f7dc8efc522ab2",
            ),
            undefined,
        );
        assert.equal(
            loadBalancerArnSuffixFromListenerArn("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/a/1/2/3"),
            undefined,
        );
        assert.equal(clusterNameOf("arn:aws:ecs:eu-west-1:123456789012:cluster/prod-apps"), "prod-apps");
        assert.equal(clusterNameOf("prod-apps"), "prod-apps");
    });

    it("counts the one-minute periods an episode can touch", () => {
        assert.deepEqual([0, 1, 59, 60, 61, 120].map(periodsTouchedBy), [1, 2, 2, 2, 3, 3]);
    });

    it("widens the unhealthy-hosts window with the worst-case start-up", () => {
        // Start at 120 s: checks fail from 0 s, unhealthy at 20 s, healthy at 130 s → 110 s.
        assert.equal(unhealthyTargetWindowSeconds(contract), 110);
        const resolved = resolveAlarms(undefined, { contract, desiredCount: 3 });
        assert.ok(resolved.ok);
        assert.equal(resolved.value.alarms.find((a) => a.kind === "unhealthyHosts")!.evaluationPeriods, 3);
        assert.deepEqual(resolved.value.rollbackOn, ["targetErrorRate", "unhealthyHosts"]);
        assert.deepEqual(
            resolved.value.alarms.map((a) => a.kind),
            ALARM_KINDS.filter((k) => k !== "containerHealth"),
        );
    });

    it("builds definitions with plain dimension values", () => {
        const resolved = resolveAlarms({ containerInsights: "enhanced" }, { contract, desiredCount: 3 });
        assert.ok(resolved.ok);
        const defs = alarmDefinitions("svc", resolved.value, {
            targetGroups: ["targetgroup/t/1"],
            loadBalancer: "app/a/1",
            cluster: "c",
            service: "svc",
            container: "app",
        });
        assert.deepEqual(
            defs.map((d) => d.suffix),
            ["unhealthy-hosts", "5xx-rate", "latency-p90", "latency-p99", "running-tasks", "container-health"],
        );
        assert.ok(
            defs.every((d) => d.alarmDescription.length <= 1024),
            "CloudWatch limits descriptions to 1024 characters",
        );
    });

    it("models blue/green as one batch of all tasks in the timeline", () => {
        const timings = deriveHealthTimings({ startup: { expectedSeconds: 20 } });
        const shape = { desiredCount: 4, minimumHealthyPercent: 100, maximumPercent: 150 };
        assert.equal(deploymentTimeline(timings, { expectedSeconds: 20 }, shape).batchSize, 2);
        const bg = deploymentTimeline(timings, { expectedSeconds: 20 }, { ...shape, strategy: "blue-green", bakeTimeMinutes: 10 });
        assert.equal(bg.batchSize, 4);
        assert.equal(bg.rollingDeploymentWithBakeSeconds - bg.rollingDeploymentSeconds, 600);
    });

    it("dashboardBody is valid JSON with the service's metrics and the alarm thresholds", () => {
        const svc: DashboardService = {
            name: "api",
            clusterName: "c",
            serviceName: "api",
            containerName: "app",
            loadBalancerArnSuffix: "app/a/1",
            targetGroupArnSuffixes: ["targetgroup/t/1"],
            containerInsights: "enabled",
            alarmArns: [],
            latencyThresholds: { p90: 1, p99: 15 },
            errorRateThresholdPercent: 5,
            contract,
        };
        const body = JSON.parse(JSON.stringify(dashboardBody([svc], "eu-west-1")));
        assert.equal(body.widgets.length, 5, "no alarm widget without alarms");
        assert.ok(body.widgets.every((w: any) => w.x + w.width <= 24));
        const tasks = body.widgets.find((w: any) => w.properties.title === "api: tasks and deployments");
        assert.deepEqual(
            tasks.properties.metrics.map((m: any[]) => m[1]),
            ["DesiredTaskCount", "RunningTaskCount", "PendingTaskCount", "DeploymentCount"],
        );
        const latency = body.widgets.find((w: any) => w.properties.title === "api: target response time (s)");
        assert.deepEqual(
            latency.properties.annotations.horizontal.map((h: any) => h.value),
            [1, 15],
        );
        assert.equal(latency.properties.region, "eu-west-1");
        const disabled = dashboardBody([{ ...svc, containerInsights: "disabled" }], "eu-west-1");
        assert.equal(disabled.widgets.filter((w) => w.type === "text").length, 2, "a note replaces the task graph");
    });
});
