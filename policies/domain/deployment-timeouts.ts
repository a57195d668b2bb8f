/**
 * How long `pulumi up` may wait for an ECS service, derived from the service's deployment
 * timeline (health-timing.ts), instead of the AWS provider's fixed default.
 *
 * Facts this follows:
 * - The AWS provider's `aws_ecs_service` has create, update and delete timeouts of 20 minutes each
 *   (terraform-provider-aws, internal/service/ecs/service.go, `Timeouts`); Pulumi's
 *   `customTimeouts` resource option overrides them (pulumi-aws runs that provider through the
 *   Terraform bridge, whose Create/Update/Delete turn the request's timeout into the resource's
 *   timeout override: pulumi-terraform-bridge, pkg/tfbridge/provider.go, `newTimeoutOverrides`).
 * - With `waitForSteadyState: true` the create or update waits until the service is steady: after
 *   a healthy deployment including its bake time, and after a failed one once the circuit breaker
 *   rolled it back. A deployment longer than the timeout fails `pulumi up` although ECS is fine
 *   (pulumi/pulumi-awsx#1112 shows the 20-minute wait ending that way).
 * - Credentials from one IAM role session last at most 12 hours (an IAM role's
 *   `MaxSessionDuration` is 1–12 h, IAM `CreateRole` API reference); a `pulumi up` that runs on
 *   such credentials (CI with OIDC, `aws sso`, `aws-vault`) cannot wait longer than that.
 *
 * Pure: no Pulumi, no I/O, never throws.
 */
import type { DeploymentTimeline, HealthTimings } from "./health-timing";

/** The AWS provider's own create/update/delete timeout of an ECS service, in minutes. */
export const ECS_SERVICE_PROVIDER_TIMEOUT_MINUTES = 20;
/** The longest `pulumi up` can wait on credentials of one IAM role session, in minutes (12 h). */
export const MAX_WAITED_UPDATE_MINUTES = 12 * 60;
/**
 * Room on top of the modelled time: ×1.5 plus 5 minutes. The timeline is an upper-bound model,
 * but image pulls, ECS's event cadence and API throttling vary; half again plus a few minutes
 * absorbs a slow pull per batch without hiding a stuck deployment for long.
 */
export const TIMEOUT_ROOM = { factor: 1.5, extraSeconds: 300 } as const;

export interface DeploymentTimeouts {
    /** Minutes for the service's create, update and delete (`customTimeouts`), never below the provider's 20. */
    createMinutes: number;
    updateMinutes: number;
    deleteMinutes: number;
    /** Seconds the create/update must cover before room: the longer of a healthy deployment with bake and a rollback. */
    coveredSeconds: number;
    /** Why, in one sentence (for docs, contract tables and errors). */
    basis: string;
}

/** The timings that shape how long deleting a service takes. */
type DrainTimings = Pick<HealthTimings, "deregistrationDelay" | "stopTimeout">;

const withRoom = (seconds: number) => Math.ceil((seconds * TIMEOUT_ROOM.factor + TIMEOUT_ROOM.extraSeconds) / 60);
const finite = (seconds: number) => (Number.isFinite(seconds) ? seconds : 0);

/**
 * The timeouts of one service. `timeline` is the contract's (with the bake time of the service's
 * strategy); the delete covers draining and stopping every task.
 */
export function deploymentTimeouts(timeline: DeploymentTimeline, timings: DrainTimings): DeploymentTimeouts {
    const healthy = finite(timeline.rollingDeploymentWithBakeSeconds);
    const rollback = finite(timeline.rollbackCompleteSeconds);
    const covered = Math.max(healthy, rollback);
    const wait = Math.max(ECS_SERVICE_PROVIDER_TIMEOUT_MINUTES, withRoom(covered));
    const drain = timings.deregistrationDelay + timings.stopTimeout;
    const longer = rollback > healthy ? `a failed release rolled back (${rollback} s)` : `a deployment with bake (${healthy} s)`;
    return {
        createMinutes: wait,
        updateMinutes: wait,
        deleteMinutes: Math.max(ECS_SERVICE_PROVIDER_TIMEOUT_MINUTES, withRoom(drain)),
        coveredSeconds: covered,
        basis:
            `${longer} × ${TIMEOUT_ROOM.factor} + ${TIMEOUT_ROOM.extraSeconds / 60} min, ` +
            `at least the provider's ${ECS_SERVICE_PROVIDER_TIMEOUT_MINUTES} min`,
    };
}

/**
 * The problem when `pulumi up` would have to wait longer than {@link MAX_WAITED_UPDATE_MINUTES},
 * with the largest bake time that fits; `undefined` when it fits. `bakeTimeMinutes` is the bake
 * included in `timeline.rollingDeploymentWithBakeSeconds`.
 */
export function waitedUpdateProblem(
    timeline: DeploymentTimeline,
    timings: DrainTimings,
    bakeTimeMinutes: number,
): { problem: string; maxBakeTimeMinutes: number } | undefined {
    const timeouts = deploymentTimeouts(timeline, timings);
    if (timeouts.updateMinutes <= MAX_WAITED_UPDATE_MINUTES) return undefined;
    const withoutBake = finite(timeline.rollingDeploymentWithBakeSeconds) - bakeTimeMinutes * 60;
    const budget = (MAX_WAITED_UPDATE_MINUTES * 60 - TIMEOUT_ROOM.extraSeconds) / TIMEOUT_ROOM.factor;
    const rollbackFits = finite(timeline.rollbackCompleteSeconds) <= budget;
    const maxBakeTimeMinutes = rollbackFits ? Math.max(0, Math.floor((budget - withoutBake) / 60)) : 0;
    return {
        problem:
            `\`pulumi up\` would wait up to ${timeouts.updateMinutes} min for this service (${timeouts.basis}), ` +
            `longer than the ${MAX_WAITED_UPDATE_MINUTES / 60} h that credentials of one IAM role session last: ` +
            `the update would fail with expired credentials while ECS is still deploying or baking.`,
        maxBakeTimeMinutes,
    };
}
