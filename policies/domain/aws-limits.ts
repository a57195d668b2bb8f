/**
 * AWS ranges and defaults for every health, deployment and shutdown knob the project reasons
 * about. Sources: ECS `HealthCheck` and `DeploymentConfiguration` API references, ELBv2
 * `CreateTargetGroup`, the Fargate task-size table (see docs/aws-facts in the shared notes).
 *
 * Pure data: no Pulumi, no I/O. Everything that needs "what does AWS allow / assume" reads it
 * from here, so a corrected number is corrected everywhere at once.
 */

/** An inclusive integer range with the value AWS uses when the field is absent. */
export interface Range {
    readonly min: number;
    readonly max: number;
    /** What AWS applies when the field is not given (`undefined` when the field is simply off). */
    readonly awsDefault?: number;
    readonly unit: "seconds" | "count" | "percent" | "minutes";
}

/** ECS container health check (`containerDefinitions[].healthCheck`). */
export const CONTAINER_HEALTH_CHECK = {
    interval: { min: 5, max: 300, awsDefault: 30, unit: "seconds" },
    timeout: { min: 2, max: 60, awsDefault: 5, unit: "seconds" },
    retries: { min: 1, max: 10, awsDefault: 3, unit: "count" },
    startPeriod: { min: 0, max: 300, awsDefault: 0, unit: "seconds" },
} as const satisfies Record<string, Range>;

/**
 * ALB target-group health check. The timeout default is 6 s for HTTP targets in the current API
 * reference (10 s for HTTPS); the Pulumi provider documents other defaults, which is why our
 * components always set every field explicitly.
 */
export const ALB_HEALTH_CHECK = {
    interval: { min: 5, max: 300, awsDefault: 30, unit: "seconds" },
    timeout: { min: 2, max: 120, awsDefault: 6, unit: "seconds" },
    healthyThreshold: { min: 2, max: 10, awsDefault: 5, unit: "count" },
    unhealthyThreshold: { min: 2, max: 10, awsDefault: 2, unit: "count" },
} as const satisfies Record<string, Range>;

/** The path and port an ALB probes when the target group has no health check block. */
export const ALB_DEFAULT_HEALTH_CHECK_PATH = "/";
export const ALB_DEFAULT_HEALTH_CHECK_PORT = "traffic-port";
/** HTTP matcher codes an ALB accepts (gRPC uses 0–99). */
export const ALB_HTTP_MATCHER_RANGE = { min: 200, max: 499 } as const;

/** Target-group attributes that shape a deployment's length. */
export const TARGET_GROUP = {
    deregistrationDelay: { min: 0, max: 3600, awsDefault: 300, unit: "seconds" },
    slowStart: { min: 30, max: 900, awsDefault: 0, unit: "seconds" },
} as const satisfies Record<string, Range>;

/** Container `stopTimeout`: SIGTERM → wait → SIGKILL. Fargate caps it at 120 s. */
export const FARGATE_STOP_TIMEOUT = { min: 2, max: 120, awsDefault: 30, unit: "seconds" } as const satisfies Range;

/** ECS service knobs. */
export const ECS_SERVICE = {
    /** 0 s by default: ECS acts on the first failing ELB/container check of a new task. */
    healthCheckGracePeriodSeconds: { min: 0, max: 2_147_483_647, awsDefault: 0, unit: "seconds" },
    minimumHealthyPercent: { min: 0, max: 100, awsDefault: 100, unit: "percent" },
    maximumPercent: { min: 100, max: 200, awsDefault: 200, unit: "percent" },
    bakeTimeInMinutes: { min: 0, max: 1440, awsDefault: 0, unit: "minutes" },
} as const satisfies Record<string, Range>;

/**
 * ECS service quota "Tasks per service": the most tasks one service runs, so the highest
 * `desiredCount` ECS accepts, 5,000 per Region by default (Amazon ECS developer guide, "Amazon ECS
 * service quotas"). Whether an account can have it raised was not verified here.
 */
export const ECS_TASKS_PER_SERVICE = 5000;

/**
 * Deployment circuit breaker: the deployment fails after `ratio × desiredCount` failed tasks,
 * never fewer than `min` nor more than `max`.
 */
export const CIRCUIT_BREAKER = { ratio: 0.5, min: 3, max: 200 } as const;

/** True when `value` is a finite number inside `range` (inclusive). */
export function inRange(value: number, range: Range): boolean {
    return Number.isFinite(value) && value >= range.min && value <= range.max;
}
