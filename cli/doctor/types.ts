/**
 * The data the doctor passes between its stages: what `collect` read from AWS (a `Snapshot`),
 * and what `diagnose` concluded from it (a `Diagnosis`). Plain data only, so the pure stages can
 * be tested with hand-written fixtures and the JSON output is just `JSON.stringify`.
 */
import type { Service, ServiceDeployment, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import type { TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";

/** The public cause codes (stable: scripts match on them). */
export const CAUSE_CODES = [
    "circuit-breaker-rollback",
    "deployment-stuck",
    "container-health-check-failed",
    "elb-health-check-failed",
    "secrets-unavailable",
    "image-pull-failed",
    "out-of-memory",
    "essential-container-exited",
    "task-placement-failed",
    "unrecognized-failure",
] as const;
export type CauseCode = (typeof CAUSE_CODES)[number];

/** Names of the policy-pack policies that catch a cause before deploy. */
export type PolicyName =
    | "probe-tool-present-in-image"
    | "probe-command-fails-on-http-errors"
    | "probe-paths-aligned"
    | "liveness-probe-shallow"
    | "grace-period-covers-startup"
    | "execution-role-can-read-secrets"
    | "redis-url-has-scheme"
    | "deployment-circuit-breaker-rollback"
    | "fargate-task-size-valid";

/**
 * Where a piece of text came from. `health-check` (the task definition's probe) and `log`
 * (the container's last log lines) only ever refine a cause found elsewhere: on their own they
 * prove nothing (healthy apps log errors too).
 */
export type ObservationKind =
    "event" | "deployment" | "service-deployment" | "task" | "container" | "target" | "health-check" | "log" | "task-definition";

/** One fact backing a cause, with the verbatim text AWS (or the app) produced. */
export interface Evidence {
    readonly kind: ObservationKind;
    readonly text: string;
    /** ISO time of the event / stop, when known. */
    readonly at?: string;
    readonly deploymentId?: string;
    readonly taskArn?: string;
    readonly container?: string;
    readonly exitCode?: number;
    readonly stopCode?: string;
    /** How many identical items were folded into this one (ECS repeats its events). */
    readonly repeated?: number;
}

/** A conclusion: what went wrong, why we think so, and what to change. */
export interface Cause {
    readonly code: CauseCode;
    readonly message: string;
    readonly evidence: Evidence[];
    readonly fix: string;
    /** The policy-pack policy that would have rejected this before deploy, where one exists. */
    readonly policy?: PolicyName;
}

/** One entry of `services[].deployments[]`, flattened for output. */
export interface DeploymentSummary {
    readonly id: string;
    readonly status: string;
    readonly taskDefinition: string;
    readonly desired: number;
    readonly running: number;
    readonly pending: number;
    readonly failedTasks: number;
    readonly rolloutState?: string;
    readonly rolloutStateReason?: string;
    readonly createdAt?: string;
    readonly updatedAt?: string;
}

/** One task set (`services[].taskSets[]`), flattened for output: what CODE_DEPLOY/EXTERNAL controllers deploy. */
export interface TaskSetSummary {
    readonly id: string;
    readonly status: string;
    readonly taskDefinition: string;
    readonly desired: number;
    readonly running: number;
    readonly pending: number;
    readonly stabilityStatus?: string;
    /** The CodeDeploy deployment id (`d-…`) or the external controller's own id. */
    readonly externalId?: string;
}

/** The newer service-deployment API's view of a deployment (when the API answered). */
export interface ServiceDeploymentSummary {
    readonly arn: string;
    readonly status: string;
    readonly statusReason?: string;
    readonly rollbackReason?: string;
    readonly circuitBreaker?: { status?: string; failureCount?: number; threshold?: number };
    readonly createdAt?: string;
    readonly finishedAt?: string;
}

/**
 * Overall verdict. Only `healthy` means "settled and nothing wrong"; every other status comes
 * with exit code 1.
 */
export type ServiceStatus = "healthy" | "unhealthy" | "in-progress" | "stuck" | "failed" | "rolled-back";

/** The `diagnose` result, printed as-is by `--format json`. */
export interface Diagnosis {
    readonly service: string;
    readonly cluster: string;
    readonly region?: string;
    readonly status: ServiceStatus;
    readonly checkedAt: string;
    readonly since: string;
    /** Who deploys the service: `ECS`, `CODE_DEPLOY` or `EXTERNAL`. */
    readonly controller: string;
    /**
     * Set when ECS does not track the service's deployments (another controller, or none listed):
     * what that means for this diagnosis and where the deployment's outcome is.
     */
    readonly controllerNote?: string;
    readonly deployments: DeploymentSummary[];
    /** Task sets (CODE_DEPLOY, EXTERNAL controllers); empty for ECS-deployed services. */
    readonly taskSets: TaskSetSummary[];
    readonly serviceDeployments: ServiceDeploymentSummary[];
    readonly causes: Cause[];
    /** Reads that failed or were cut short; the diagnosis was made without them. */
    readonly notes: string[];
}

/** Last lines of one container's awslogs stream. */
export interface ContainerLog {
    readonly taskArn: string;
    readonly container: string;
    readonly logGroup: string;
    readonly logStream: string;
    readonly lines: string[];
}

/** Target health of one target group of the service. */
export interface TargetGroupHealth {
    readonly targetGroupArn: string;
    readonly targets: TargetHealthDescription[];
}

/** Everything `collect` read; the only input of `diagnose`. */
export interface Snapshot {
    readonly cluster: string;
    readonly region?: string;
    readonly since: Date;
    readonly collectedAt: Date;
    readonly service: Service;
    readonly serviceDeployments: ServiceDeployment[];
    /** Stopped and running tasks of the service (all deployments). */
    readonly tasks: Task[];
    /** Keyed by task definition ARN. */
    readonly taskDefinitions: Record<string, TaskDefinition>;
    readonly targetHealth: TargetGroupHealth[];
    readonly logs: ContainerLog[];
    readonly notes: string[];
}
