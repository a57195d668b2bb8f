/**
 * What AWS says about a service, as SDK-shaped data, plus the API semantics the doctor relies
 * on (ListTasks paging and status filter, DescribeTasks by ARN, log streams by name). The same
 * story backs the aws-sdk-client-mock unit tests and the loopback HTTP server of the
 * end-to-end tests, so both see identical answers.
 *
 * Message texts follow the shapes in docs "ECS deployment failures".
 */
import type { Deployment, Service, ServiceDeployment, ServiceEvent, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import type { Listener, LoadBalancer, Rule, TargetGroup, TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";

export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";
export const CLUSTER = "prod";
export const SERVICE = "web";
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;
export const TARGET_GROUP = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web-tg/6d0ecf831eec9f09`;
export const td = (revision: number) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/web:${revision}`;
export const taskArn = (id: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${CLUSTER}/${id}`;

/** An error answer: the server and the mocks both raise it. */
export class StoryError extends Error {
    constructor(
        readonly type: string,
        message: string,
        readonly status = 400,
    ) {
        super(message);
        this.name = type;
    }
}

/** A log line with its own time (lines given as plain strings get synthetic times in order). */
export interface LogLine {
    at: Date;
    message: string;
}

/** The load balancer in front of a service: what `startup` and `smoke` discover. */
export interface AlbStory {
    targetGroups: TargetGroup[];
    /** Target group attributes (`deregistration_delay.timeout_seconds`, …) by target group ARN. */
    attributes: Record<string, { Key: string; Value: string }[]>;
    loadBalancers: LoadBalancer[];
    listeners: Listener[];
    /** Listener rules by listener ARN. */
    rules: Record<string, Rule[]>;
}

/** Everything the fake AWS knows about one service. */
export interface Story {
    service: Service;
    serviceDeployments: ServiceDeployment[] | StoryError;
    tasks: Task[];
    taskDefinitions: TaskDefinition[];
    /** Keyed by `<group>|<stream>`. */
    logs: Record<string, (string | LogLine)[]>;
    targetHealth: Record<string, TargetHealthDescription[]> | StoryError;
    alb?: AlbStory;
}

export const minutesAgo = (now: Date, m: number) => new Date(now.getTime() - m * 60_000);

export function deployment(d: Partial<Deployment> & { id: string; taskDefinition: string }): Deployment {
    return {
        status: "PRIMARY",
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        failedTasks: 0,
        launchType: "FARGATE",
        rolloutState: "COMPLETED",
        ...d,
    };
}

export function event(now: Date, m: number, message: string): ServiceEvent {
    return { id: `ev-${m}-${message.length}`, createdAt: minutesAgo(now, m), message };
}

/** A task definition like the component generates, with a probe and an awslogs stream. */
export function taskDefinition(
    revision: number,
    probe: string[] = ["CMD-SHELL", "curl -f http://localhost:8080/healthz || exit 1"],
): TaskDefinition {
    return {
        taskDefinitionArn: td(revision),
        family: "web",
        revision,
        cpu: "512",
        memory: "1024",
        executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/web-execution`,
        containerDefinitions: [
            {
                name: "web",
                image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/web:1.${revision}.0`,
                essential: true,
                portMappings: [{ containerPort: 8080 }],
                healthCheck: { command: probe, interval: 30, timeout: 5, retries: 3, startPeriod: 10 },
                secrets: [{ name: "DATABASE_URL", valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/web/db-AbCdEf` }],
                logConfiguration: {
                    logDriver: "awslogs",
                    options: { "awslogs-group": "/ecs/web", "awslogs-region": REGION, "awslogs-stream-prefix": "ecs" },
                },
            },
        ],
    };
}

/** A stopped task of deployment `startedBy`. */
export function stoppedTask(
    now: Date,
    id: string,
    o: {
        startedBy: string;
        revision: number;
        minutesAgo: number;
        stoppedReason: string;
        stopCode?: Task["stopCode"];
        exitCode?: number;
        containerReason?: string;
        health?: "HEALTHY" | "UNHEALTHY" | "UNKNOWN";
    },
): Task {
    return {
        taskArn: taskArn(id),
        clusterArn: CLUSTER_ARN,
        taskDefinitionArn: td(o.revision),
        startedBy: o.startedBy,
        group: `service:${SERVICE}`,
        launchType: "FARGATE",
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        stopCode: o.stopCode ?? "ServiceSchedulerInitiated",
        stoppedReason: o.stoppedReason,
        createdAt: minutesAgo(now, o.minutesAgo + 3),
        stoppedAt: minutesAgo(now, o.minutesAgo),
        containers: [
            {
                name: "web",
                lastStatus: "STOPPED",
                taskArn: taskArn(id),
                ...(o.exitCode !== undefined ? { exitCode: o.exitCode } : {}),
                ...(o.containerReason ? { reason: o.containerReason } : {}),
                ...(o.health ? { healthStatus: o.health } : {}),
            },
        ],
    };
}

export function runningTask(now: Date, id: string, startedBy: string, revision: number, health: "HEALTHY" | "UNHEALTHY" = "HEALTHY"): Task {
    return {
        taskArn: taskArn(id),
        clusterArn: CLUSTER_ARN,
        taskDefinitionArn: td(revision),
        startedBy,
        group: `service:${SERVICE}`,
        launchType: "FARGATE",
        lastStatus: "RUNNING",
        desiredStatus: "RUNNING",
        createdAt: minutesAgo(now, 9),
        healthStatus: health,
        containers: [{ name: "web", lastStatus: "RUNNING", healthStatus: health, taskArn: taskArn(id) }],
    };
}

export function service(deployments: Deployment[], events: ServiceEvent[]): Service {
    return {
        serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${CLUSTER}/${SERVICE}`,
        serviceName: SERVICE,
        clusterArn: CLUSTER_ARN,
        status: "ACTIVE",
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        launchType: "FARGATE",
        taskDefinition: deployments.find((d) => d.status === "PRIMARY")?.taskDefinition,
        loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: "web", containerPort: 8080 }],
        deploymentConfiguration: {
            minimumHealthyPercent: 100,
            maximumPercent: 200,
            deploymentCircuitBreaker: { enable: true, rollback: true },
        },
        deployments,
        events,
    };
}

export const healthyTargets = (): TargetHealthDescription[] => [
    { Target: { Id: "10.0.1.23", Port: 8080 }, HealthCheckPort: "8080", TargetHealth: { State: "healthy" } },
    { Target: { Id: "10.0.2.41", Port: 8080 }, HealthCheckPort: "8080", TargetHealth: { State: "healthy" } },
];

export const FAILED_DEPLOYMENT = "ecs-svc/4470237516214734908";
export const ROLLBACK_DEPLOYMENT = "ecs-svc/7313962135946478021";
export const PREVIOUS_DEPLOYMENT = "ecs-svc/1869548734021546632";
export const FAILED_TASKS = ["0f9c5d1e2a3b4c5d6e7f8a9b0c1d2e3f", "5f2c8a1b9d7e4f3a2b1c0d9e8f7a6b5c", "9b1e7c3d5f2a4b6c8d0e1f3a5b7c9d1e"];

/**
 * The seed's rollback story: web:7 moved to a slim base image without curl, its container
 * probe (`curl -f …`) exits 127 every time, ECS replaces the tasks until the circuit breaker
 * trips and rolls back to web:6. The service then settles — healthy-looking — on web:6.
 */
export function rollbackStory(now: Date): Story {
    const service_ = service(
        [
            deployment({
                id: ROLLBACK_DEPLOYMENT,
                taskDefinition: td(6),
                createdAt: minutesAgo(now, 10),
                updatedAt: minutesAgo(now, 4),
                rolloutStateReason: `ECS deployment ${ROLLBACK_DEPLOYMENT} completed.`,
            }),
            deployment({
                id: FAILED_DEPLOYMENT,
                status: "ACTIVE",
                taskDefinition: td(7),
                desiredCount: 0,
                runningCount: 0,
                failedTasks: 3,
                rolloutState: "FAILED",
                rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
                createdAt: minutesAgo(now, 25),
                updatedAt: minutesAgo(now, 10),
            }),
        ],
        [
            event(now, 4, `(service ${SERVICE}) has reached a steady state.`),
            event(now, 5, `(service ${SERVICE}) (deployment ${ROLLBACK_DEPLOYMENT}) deployment completed.`),
            event(now, 10, `(service ${SERVICE}) rolling back to deployment ${PREVIOUS_DEPLOYMENT}.`),
            event(now, 10.1, `(service ${SERVICE}) (deployment ${FAILED_DEPLOYMENT}) deployment failed: tasks failed to start.`),
            event(now, 11, `(service ${SERVICE}) has stopped 1 running tasks: (task ${FAILED_TASKS[0]}).`),
            event(now, 15, `(service ${SERVICE}) has started 1 tasks: (task ${FAILED_TASKS[0]}).`),
            event(now, 16, `(service ${SERVICE}) has stopped 2 running tasks: (task ${FAILED_TASKS[1]}) (task ${FAILED_TASKS[2]}).`),
            event(now, 24, `(service ${SERVICE}) has started 2 tasks: (task ${FAILED_TASKS[1]}) (task ${FAILED_TASKS[2]}).`),
        ],
    );
    const failed = FAILED_TASKS.map((id, i) =>
        stoppedTask(now, id, {
            startedBy: FAILED_DEPLOYMENT,
            revision: 7,
            minutesAgo: i === 0 ? 11 : 16,
            stoppedReason: "Task failed container health checks",
            exitCode: 143,
            health: "UNHEALTHY",
        }),
    );
    const logs: Record<string, string[]> = {};
    for (const id of FAILED_TASKS) {
        logs[`/ecs/web|ecs/web/${id}`] = [
            `{"level":"info","msg":"config loaded","port":8080}`,
            `{"level":"info","msg":"listening on :8080"}`,
            `{"level":"info","msg":"GET /healthz 200 2ms","ua":"ELB-HealthChecker/2.0"}`,
            `{"level":"info","msg":"SIGTERM received, shutting down"}`,
        ];
    }
    return {
        service: service_,
        serviceDeployments: [
            {
                serviceDeploymentArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${CLUSTER}/${SERVICE}/Ukm8Tr1nPn3d0vR7Hl9Bx`,
                serviceArn: service_.serviceArn,
                clusterArn: CLUSTER_ARN,
                createdAt: minutesAgo(now, 25),
                startedAt: minutesAgo(now, 25),
                finishedAt: minutesAgo(now, 4),
                status: "ROLLBACK_SUCCESSFUL",
                rollback: {
                    reason: "Service deployment rolled back because the circuit breaker threshold was exceeded.",
                    startedAt: minutesAgo(now, 10),
                },
                deploymentCircuitBreaker: { status: "TRIGGERED", failureCount: 3, threshold: 3 },
            },
        ],
        tasks: [
            ...failed,
            runningTask(now, "a1b2c3d4e5f60718293a4b5c6d7e8f90", ROLLBACK_DEPLOYMENT, 6),
            runningTask(now, "b2c3d4e5f60718293a4b5c6d7e8f90a1", ROLLBACK_DEPLOYMENT, 6),
        ],
        taskDefinitions: [taskDefinition(6), taskDefinition(7)],
        logs,
        targetHealth: { [TARGET_GROUP]: healthyTargets() },
    };
}

export const HEALTHY_DEPLOYMENT = "ecs-svc/2741928374650192837";

/** A service that deployed web:7 forty minutes ago; the old tasks were replaced normally. */
export function healthyStory(now: Date): Story {
    return {
        service: service(
            [deployment({ id: HEALTHY_DEPLOYMENT, taskDefinition: td(7), createdAt: minutesAgo(now, 40), updatedAt: minutesAgo(now, 30) })],
            [
                event(now, 30, `(service ${SERVICE}) has reached a steady state.`),
                event(now, 31, `(service ${SERVICE}) (deployment ${HEALTHY_DEPLOYMENT}) deployment completed.`),
                event(
                    now,
                    35,
                    `(service ${SERVICE}) has stopped 2 running tasks: (task 1111aaaa2222bbbb3333cccc4444dddd) (task 5555eeee6666ffff7777aaaa8888bbbb).`,
                ),
                event(now, 36, `(service ${SERVICE}) registered 2 targets in (target-group ${TARGET_GROUP})`),
                event(
                    now,
                    39,
                    `(service ${SERVICE}) has started 2 tasks: (task c0ffee00c0ffee00c0ffee00c0ffee00) (task decafbaddecafbaddecafbaddecafbad).`,
                ),
            ],
        ),
        serviceDeployments: [
            {
                serviceDeploymentArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${CLUSTER}/${SERVICE}/Qp2Lm7Xw9Rt4Ys1Vb6Nc3`,
                createdAt: minutesAgo(now, 40),
                finishedAt: minutesAgo(now, 30),
                status: "SUCCESSFUL",
                deploymentCircuitBreaker: { status: "MONITORING_COMPLETE", failureCount: 0, threshold: 3 },
            },
        ],
        tasks: [
            ...["1111aaaa2222bbbb3333cccc4444dddd", "5555eeee6666ffff7777aaaa8888bbbb"].map((id) =>
                stoppedTask(now, id, {
                    startedBy: "ecs-svc/1869548734021546632",
                    revision: 6,
                    minutesAgo: 35,
                    exitCode: 0,
                    stoppedReason: "Scaling activity initiated by (deployment ecs-svc/2741928374650192837)",
                }),
            ),
            runningTask(now, "c0ffee00c0ffee00c0ffee00c0ffee00", HEALTHY_DEPLOYMENT, 7),
            runningTask(now, "decafbaddecafbaddecafbaddecafbad", HEALTHY_DEPLOYMENT, 7),
        ],
        taskDefinitions: [taskDefinition(6), taskDefinition(7)],
        logs: {},
        targetHealth: { [TARGET_GROUP]: healthyTargets() },
    };
}

/**
 * A service deployed by CodeDeploy (deploymentController CODE_DEPLOY): ECS lists no
 * deployments, only task sets — one PRIMARY at steady state, from CodeDeploy deployment d-7BXK2M9QZ.
 */
export function codeDeployStory(now: Date, controller: "CODE_DEPLOY" | "EXTERNAL" = "CODE_DEPLOY"): Story {
    const story = healthyStory(now);
    story.service = {
        ...story.service,
        deploymentController: { type: controller },
        deployments: [],
        taskSets: [
            {
                id: "ecs-svc/9081726354647382910",
                status: "PRIMARY",
                taskDefinition: td(7),
                computedDesiredCount: 2,
                runningCount: 2,
                pendingCount: 0,
                stabilityStatus: "STEADY_STATE",
                ...(controller === "CODE_DEPLOY" ? { externalId: "d-7BXK2M9QZ" } : { externalId: "release-42" }),
                createdAt: minutesAgo(now, 40),
            },
        ],
    };
    story.serviceDeployments = [];
    return story;
}
