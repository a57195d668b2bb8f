/**
 * Pure rules about ECS deployments shared by `diagnose`, `wait` and the `RolloutVerification`
 * resource: which deployment is a rollback, and whether a followed deployment succeeded.
 *
 * Why not "one deployment left and running = desired" (what `aws ecs wait services-stable`
 * and Pulumi's waitForSteadyState check): after a circuit-breaker rollback the service settles
 * on the *old* task definition and that test passes. The outcome has to come from the followed
 * deployment's own `rolloutState` and from whether it is still the PRIMARY one.
 */
import type { Deployment, Service, ServiceEvent, TaskSet } from "@aws-sdk/client-ecs";
import type { DeploymentSummary, TaskSetSummary } from "./types";

/** `arn:…:task-definition/web:7` → `web:7` (what people recognise). */
export function taskDefinitionLabel(arn: string | undefined): string {
    if (!arn) return "?";
    const slash = arn.lastIndexOf("/");
    return slash >= 0 ? arn.slice(slash + 1) : arn;
}

/** Flattens an SDK deployment for output. */
export function summarizeDeployment(d: Deployment): DeploymentSummary {
    return {
        id: d.id ?? "?",
        status: d.status ?? "?",
        taskDefinition: d.taskDefinition ?? "?",
        desired: d.desiredCount ?? 0,
        running: d.runningCount ?? 0,
        pending: d.pendingCount ?? 0,
        failedTasks: d.failedTasks ?? 0,
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
        createdAt: d.createdAt?.toISOString(),
        updatedAt: d.updatedAt?.toISOString(),
    };
}

/** Flattens a task set (CODE_DEPLOY and EXTERNAL controllers deploy through them) for output. */
export function summarizeTaskSet(t: TaskSet): TaskSetSummary {
    return {
        id: t.id ?? "?",
        status: t.status ?? "?",
        taskDefinition: t.taskDefinition ?? "?",
        desired: t.computedDesiredCount ?? 0,
        running: t.runningCount ?? 0,
        pending: t.pendingCount ?? 0,
        ...(t.stabilityStatus ? { stabilityStatus: t.stabilityStatus } : {}),
        ...(t.externalId ? { externalId: t.externalId } : {}),
    };
}

/** `ECS` (the default), `CODE_DEPLOY` or `EXTERNAL`. */
export function deploymentControllerOf(service: Service): string {
    return service.deploymentController?.type ?? "ECS";
}

/**
 * Whether ECS tracks this service's deployments: only the ECS controller fills `deployments`
 * (with rolloutState and the circuit breaker); CODE_DEPLOY and EXTERNAL deploy through task sets
 * and leave it empty (ECS API reference, `Service.deployments` / `taskSets`).
 */
export function hasEcsDeployments(service: Service): boolean {
    return deploymentControllerOf(service) === "ECS" && (service.deployments ?? []).length > 0;
}

/**
 * Settled without ECS deployments: one PRIMARY task set at steady state with every task running
 * (CODE_DEPLOY, EXTERNAL), or — without task sets — running = desired and nothing pending.
 */
export function isSettledWithoutDeployments(service: Service): boolean {
    const sets = (service.taskSets ?? []).filter((t) => t.status !== "INACTIVE");
    if (sets.length > 0) {
        const [only] = sets;
        return (
            sets.length === 1 &&
            only.status === "PRIMARY" &&
            only.stabilityStatus === "STEADY_STATE" &&
            (only.runningCount ?? 0) === (only.computedDesiredCount ?? 0)
        );
    }
    return (service.runningCount ?? 0) === (service.desiredCount ?? 0) && (service.pendingCount ?? 0) === 0;
}

/**
 * One sentence for a service whose deployments ECS does not track: who deploys it, what the
 * doctor cannot read because of that, what it still reads, and where the outcome is.
 */
export function describeUntrackedDeployments(service: Service): string {
    const controller = deploymentControllerOf(service);
    const reads = "the doctor reads its task sets, service events, stopped tasks, target health and logs instead";
    const untracked = "ECS reports no deployments, rollout state or circuit-breaker result for it";
    if (controller === "CODE_DEPLOY") {
        const id = (service.taskSets ?? []).map((t) => t.externalId).find((x) => x?.startsWith("d-"));
        const where = id ? ` (\`aws deploy get-deployment --deployment-id ${id}\`)` : "";
        return (
            `deployed by CodeDeploy (deploymentController CODE_DEPLOY): ${untracked}; ${reads}. ` +
            `The deployment's outcome is in CodeDeploy${where}.`
        );
    }
    if (controller === "EXTERNAL") {
        return (
            `deployed by an external controller (deploymentController EXTERNAL) through task sets: ${untracked}; ${reads}. ` +
            "The deployment's outcome is in the tool that created the task sets."
        );
    }
    return `ECS lists no deployment for this service (deploymentController ${controller}): no rollout state to judge; ${reads}.`;
}

/** ECS names the deployment it rolls back to, but may start a new deployment id for it. */
const ROLLING_BACK = /rolling back to deployment (\S+?)\.?$/i;
/** How close a rollback event and the deployment ECS created for it are in time. */
const ROLLBACK_EVENT_SLACK_MS = 120_000;

/**
 * True when `d` was created by a circuit-breaker rollback: an event says "rolling back to
 * deployment <d.id>", or a rollback event was logged within two minutes of `d`'s creation
 * (ECS may give the rollback deployment a new id, so the id alone is not enough).
 */
export function isRollbackDeployment(d: Deployment, events: readonly ServiceEvent[]): boolean {
    return events.some((e) => {
        const m = ROLLING_BACK.exec(e.message ?? "");
        if (!m) return false;
        if (m[1] === d.id) return true;
        const created = d.createdAt?.getTime();
        const at = e.createdAt?.getTime();
        return created !== undefined && at !== undefined && Math.abs(at - created) <= ROLLBACK_EVENT_SLACK_MS;
    });
}

/** The deployment a waiter follows. */
export interface FollowedDeployment {
    readonly id: string;
    readonly taskDefinition: string;
    readonly createdAt?: Date;
}

/** Outcome of one look at a followed deployment. */
export type RolloutVerdict =
    | { readonly state: "in-progress" }
    | { readonly state: "succeeded" }
    | { readonly state: "failed" | "rolled-back" | "superseded"; readonly reason: string }
    /** The PRIMARY is a newer deployment of the same task definition: follow it instead. */
    | { readonly state: "switch"; readonly to: FollowedDeployment };

const newestFirst = (a: Deployment, b: Deployment) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0);

/**
 * Chooses what to follow: the newest deployment of `expectedTaskDefinition` when given, else
 * the newest deployment. Returns a final verdict instead when the answer is already known: the
 * expected task definition is not deployed at all, or the newest deployment is itself a
 * rollback (the failed one is gone already).
 */
export function chooseDeployment(
    service: Service,
    expectedTaskDefinition?: string,
): { follow: FollowedDeployment } | { verdict: Exclude<RolloutVerdict, { state: "in-progress" | "succeeded" | "switch" }> } {
    const deployments = [...(service.deployments ?? [])].sort(newestFirst);
    const primary = deployments.find((d) => d.status === "PRIMARY");
    const candidates = expectedTaskDefinition ? deployments.filter((d) => d.taskDefinition === expectedTaskDefinition) : deployments;
    const chosen = candidates[0];
    if (!chosen?.id || !chosen.taskDefinition) {
        return {
            verdict: {
                state: isRollbackDeploymentOrUndefined(primary, service.events) ? "rolled-back" : "superseded",
                reason: `no deployment runs ${taskDefinitionLabel(expectedTaskDefinition)}; the PRIMARY deployment ${primary?.id ?? "?"} runs ${taskDefinitionLabel(primary?.taskDefinition)}`,
            },
        };
    }
    if (!expectedTaskDefinition && chosen.status === "PRIMARY" && isRollbackDeployment(chosen, service.events ?? [])) {
        return {
            verdict: {
                state: "rolled-back",
                reason: `the newest deployment ${chosen.id} (${taskDefinitionLabel(chosen.taskDefinition)}) is a rollback: the deployment before it failed`,
            },
        };
    }
    return { follow: { id: chosen.id, taskDefinition: chosen.taskDefinition, createdAt: chosen.createdAt } };
}

function isRollbackDeploymentOrUndefined(d: Deployment | undefined, events: ServiceEvent[] | undefined): boolean {
    return d !== undefined && isRollbackDeployment(d, events ?? []);
}

/**
 * Judges the followed deployment from one DescribeServices answer.
 * - FAILED rolloutState: rolled back when another deployment is PRIMARY, else failed.
 * - no longer PRIMARY: rolled back when the PRIMARY is a rollback deployment (whatever its
 *   task definition), else switch (same task definition), else superseded.
 * - PRIMARY and COMPLETED (or no rolloutState and alone) with running = desired: succeeded.
 */
export function judgeRollout(service: Service, followed: FollowedDeployment): RolloutVerdict {
    const deployments = service.deployments ?? [];
    const current = deployments.find((d) => d.id === followed.id);
    const primary = deployments.find((d) => d.status === "PRIMARY");
    const label = `${followed.id} (${taskDefinitionLabel(followed.taskDefinition)})`;

    if (current?.rolloutState === "FAILED") {
        const why = current.rolloutStateReason ?? "rolloutState FAILED";
        return primary && primary.id !== current.id
            ? {
                  state: "rolled-back",
                  reason: `deployment ${label} failed (${why}); ECS rolled back to ${primary.id} (${taskDefinitionLabel(primary.taskDefinition)})`,
              }
            : { state: "failed", reason: `deployment ${label} failed: ${why}` };
    }
    if (!primary) return { state: "in-progress" };
    if (primary.id !== followed.id) {
        // A rollback first: with a mutable tag (`:latest`) or a forced redeployment the rollback
        // deployment runs the *same* task definition, and following it would report success.
        const rolledBack = isRollbackDeployment(primary, service.events ?? []);
        if (!rolledBack && primary.taskDefinition === followed.taskDefinition && primary.id) {
            return { state: "switch", to: { id: primary.id, taskDefinition: followed.taskDefinition, createdAt: primary.createdAt } };
        }
        return {
            state: rolledBack ? "rolled-back" : "superseded",
            reason: rolledBack
                ? `deployment ${label} was rolled back; the service runs ${taskDefinitionLabel(primary.taskDefinition)} again (deployment ${primary.id})`
                : `deployment ${label} was replaced by deployment ${primary.id} (${taskDefinitionLabel(primary.taskDefinition)})`,
        };
    }
    const done = primary.rolloutState === "COMPLETED" || (primary.rolloutState === undefined && deployments.length === 1);
    return done && primary.runningCount === primary.desiredCount ? { state: "succeeded" } : { state: "in-progress" };
}
