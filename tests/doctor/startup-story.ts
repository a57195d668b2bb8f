/**
 * Stories for `startup` and `smoke`: the load balancer in front of `web` (target group, ALB,
 * listener, rule), and a service whose recent tasks carry realistic start-up timestamps and log
 * lines (the app's first line, failing then passing container probes from curl, ALB probes
 * from ELB-HealthChecker every 10 s from registration).
 */
import type { Task } from "@aws-sdk/client-ecs";
import {
    ACCOUNT,
    CLUSTER_ARN,
    deployment,
    event,
    minutesAgo,
    REGION,
    SERVICE,
    service,
    TARGET_GROUP,
    taskArn,
    taskDefinition,
    td,
    type AlbStory,
    type LogLine,
    type Story,
} from "./stories";

export const LOAD_BALANCER = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/shared/50dc6c495c0c9188`;
export const LISTENER = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2`;
export const STARTUP_DEPLOYMENT = "ecs-svc/3141592653589793238";

/** The shared ALB: `dnsName`:`port` over `protocol`, a rule sending `pathPatterns` to web's target group. */
export function albStory(
    o: { dnsName?: string; port?: number; protocol?: "HTTP" | "HTTPS"; pathPatterns?: string[]; hostHeader?: string } = {},
): AlbStory {
    const conditions = [
        { Field: "path-pattern", PathPatternConfig: { Values: o.pathPatterns ?? ["/*"] } },
        ...(o.hostHeader ? [{ Field: "host-header", HostHeaderConfig: { Values: [o.hostHeader] } }] : []),
    ];
    return {
        targetGroups: [
            {
                TargetGroupArn: TARGET_GROUP,
                TargetGroupName: "web-tg",
                Protocol: "HTTP",
                Port: 8080,
                TargetType: "ip",
                HealthCheckPath: "/health/live",
                HealthCheckIntervalSeconds: 10,
                HealthCheckTimeoutSeconds: 5,
                HealthyThresholdCount: 2,
                UnhealthyThresholdCount: 3,
                Matcher: { HttpCode: "200-399" },
                LoadBalancerArns: [LOAD_BALANCER],
            },
        ],
        attributes: { [TARGET_GROUP]: [{ Key: "deregistration_delay.timeout_seconds", Value: "15" }] },
        loadBalancers: [
            {
                LoadBalancerArn: LOAD_BALANCER,
                DNSName: o.dnsName ?? "shared-1234567890.eu-west-1.elb.amazonaws.com",
                Scheme: "internet-facing",
            },
        ],
        listeners: [
            {
                ListenerArn: LISTENER,
                LoadBalancerArn: LOAD_BALANCER,
                Port: o.port ?? 443,
                Protocol: o.protocol ?? "HTTPS",
                DefaultActions: [{ Type: "fixed-response" }],
            },
        ],
        rules: {
            [LISTENER]: [
                {
                    RuleArn: `${LISTENER}/rule/1`,
                    Priority: "20",
                    IsDefault: false,
                    Conditions: conditions,
                    Actions: [{ Type: "forward", TargetGroupArn: TARGET_GROUP }],
                },
                {
                    RuleArn: `${LISTENER}/rule/default`,
                    Priority: "default",
                    IsDefault: true,
                    Conditions: [],
                    Actions: [{ Type: "fixed-response" }],
                },
            ],
        },
    };
}

/** Deterministic pseudo-random numbers in [0, 1) (a small LCG), so samples and README output are stable. */
function random(seed: number): () => number {
    let x = seed >>> 0;
    return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const at = (base: Date, s: number) => new Date(base.getTime() + s * 1000);

/** One task that answers its probe `startup` seconds after it started, and its log lines. */
function startedTask(created: Date, id: string, startup: number, rnd: () => number, running: boolean): { task: Task; lines: LogLine[] } {
    const pullStarted = 8 + Math.round(rnd() * 6);
    const pullStopped = pullStarted + 10 + Math.round(rnd() * 14);
    const started = pullStopped + 2;
    const t0 = at(created, started);
    const lines: LogLine[] = [{ at: at(t0, 1 + rnd() * 2), message: `{"level":"info","msg":"starting web 1.7.0"}` }];
    // The container probe (curl, every 10 s from start) fails until the app answers; the ALB probes from registration (+2 s).
    for (let s = 10; s <= startup + 10; s += 10)
        lines.push({ at: at(t0, s), message: `GET /health/live ${s >= startup ? 200 : 503} 1ms ua=curl/8.5.0` });
    for (let s = 2; s <= startup + 12; s += 10)
        lines.push({ at: at(t0, s), message: `GET /health/live ${s >= startup ? 200 : 503} 2ms ua=ELB-HealthChecker/2.0` });
    lines.push({ at: at(t0, startup + 0.5), message: `{"level":"info","msg":"listening on :8080"}` });
    const task: Task = {
        taskArn: taskArn(id),
        clusterArn: CLUSTER_ARN,
        taskDefinitionArn: td(7),
        startedBy: STARTUP_DEPLOYMENT,
        group: `service:${SERVICE}`,
        launchType: "FARGATE",
        lastStatus: running ? "RUNNING" : "STOPPED",
        desiredStatus: running ? "RUNNING" : "STOPPED",
        createdAt: created,
        connectivityAt: at(created, 6),
        pullStartedAt: at(created, pullStarted),
        pullStoppedAt: at(created, pullStopped),
        startedAt: t0,
        ...(running
            ? {}
            : {
                  stopCode: "ServiceSchedulerInitiated",
                  stoppedReason: "Scaling activity initiated by (deployment ecs-svc/1111111111111111111)",
                  stoppedAt: at(t0, 1800),
              }),
        containers: [
            {
                name: "web",
                lastStatus: running ? "RUNNING" : "STOPPED",
                healthStatus: running ? "HEALTHY" : "UNKNOWN",
                taskArn: taskArn(id),
            },
        ],
    };
    return { task, lines };
}

/**
 * `web` with the declared budget 20 s / 40 s in its tags and `tasks` recent tasks (2 running, the
 * rest replaced by later deployments), started in waves of 4 an hour apart, answering their
 * probes after 12–30 s — and one, the slowest, after `slowest` s when given.
 */
export function startupStory(now: Date, o: { tasks?: number; slowest?: number; tags?: boolean } = {}): Story {
    const n = o.tasks ?? 20;
    const rnd = random(42);
    const tasks: Task[] = [];
    const logs: Story["logs"] = {};
    for (let i = 0; i < n; i++) {
        const created = minutesAgo(now, 45 + Math.floor(i / 4) * 60 + (i % 4) * 0.5);
        const startup = i === 3 && o.slowest !== undefined ? o.slowest : 12 + Math.round(rnd() * 18);
        const id = `5a7${String(i).padStart(2, "0")}c0de0000000000000000000000`.slice(0, 32);
        const { task, lines } = startedTask(created, id, startup, rnd, i < 2);
        tasks.push(task);
        logs[`/ecs/web|ecs/web/${id}`] = lines;
    }
    const svc = service(
        [deployment({ id: STARTUP_DEPLOYMENT, taskDefinition: td(7), createdAt: minutesAgo(now, 45), updatedAt: minutesAgo(now, 42) })],
        [
            event(now, 42.1, `(service ${SERVICE}) has reached a steady state.`),
            event(now, 42.2, `(service ${SERVICE}) (deployment ${STARTUP_DEPLOYMENT}) deployment completed.`),
            event(now, 44, `(service ${SERVICE}) registered 2 targets in (target-group ${TARGET_GROUP})`),
        ],
    );
    svc.healthCheckGracePeriodSeconds = 80;
    if (o.tags !== false) {
        svc.tags = [
            { key: "healthy-fargate:service", value: SERVICE },
            { key: "healthy-fargate:startup-expected-seconds", value: "20" },
            { key: "healthy-fargate:startup-worst-seconds", value: "40" },
        ];
    }
    // The probe HealthyFargateService derives from 20 s / 40 s: every 10 s, start period 40 s.
    const definition = taskDefinition(7, [
        "CMD",
        "curl",
        "-fsS",
        "-o",
        "/dev/null",
        "--max-time",
        "4",
        "http://localhost:8080/health/live",
    ]);
    definition.containerDefinitions![0].healthCheck = {
        ...definition.containerDefinitions![0].healthCheck!,
        interval: 10,
        startPeriod: 40,
    };
    return {
        service: svc,
        serviceDeployments: [],
        tasks,
        taskDefinitions: [definition],
        logs,
        targetHealth: {},
        alb: albStory(),
    };
}
