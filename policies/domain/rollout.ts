/**
 * Rolling-deployment capacity of an ECS service: how many tasks a deployment may add and stop,
 * and whether the shape keeps the service up while tasks are replaced.
 * Source: ECS `DeploymentConfiguration` (docs/aws-facts "ECS service deployment").
 *
 * Pure: no Pulumi, no I/O, never throws on odd input.
 */
import { ECS_SERVICE } from "./aws-limits";

export interface RolloutShape {
    desiredCount: number;
    /** @default 100 (AWS) */
    minimumHealthyPercent?: number;
    /** @default 200 (AWS) */
    maximumPercent?: number;
}

/** Tasks a deployment may start above desired, and tasks it may stop before replacements are healthy. */
export function rolloutCapacity(shape: RolloutShape): { extraTasks: number; stoppableTasks: number; keptHealthy: number } {
    const desired = Math.max(0, Math.floor(shape.desiredCount));
    const minPct = shape.minimumHealthyPercent ?? ECS_SERVICE.minimumHealthyPercent.awsDefault;
    const maxPct = shape.maximumPercent ?? ECS_SERVICE.maximumPercent.awsDefault;
    const extraTasks = Math.max(0, Math.floor((desired * maxPct) / 100) - desired);
    const keptHealthy = Math.min(desired, Math.ceil((desired * minPct) / 100));
    return { extraTasks, stoppableTasks: Math.max(0, desired - keptHealthy), keptHealthy };
}

/** One reason a rollout is not zero-downtime. `id` is stable and public. */
export interface RolloutFinding {
    id: "desired-count-below-minimum" | "minimum-healthy-below-100" | "no-room-to-deploy";
    field: "desiredCount" | "minimumHealthyPercent" | "maximumPercent";
    message: string;
    fix: string;
}

/**
 * Zero downtime needs at least `minDesiredCount` tasks (one crash or replacement leaves others
 * serving), `minimumHealthyPercent` ≥ 100 (no old task stops before its replacement is healthy)
 * and room above desired (`maximumPercent`) so that a new task can start at all.
 */
export function checkZeroDowntimeRollout(shape: RolloutShape, options: { minDesiredCount?: number } = {}): RolloutFinding[] {
    const findings: RolloutFinding[] = [];
    const minDesired = options.minDesiredCount ?? 2;
    const desired = Math.max(0, Math.floor(shape.desiredCount));
    const minPct = shape.minimumHealthyPercent ?? ECS_SERVICE.minimumHealthyPercent.awsDefault;
    const maxPct = shape.maximumPercent ?? ECS_SERVICE.maximumPercent.awsDefault;
    const { extraTasks, stoppableTasks, keptHealthy } = rolloutCapacity(shape);
    if (desired < minDesired) {
        findings.push({
            id: "desired-count-below-minimum",
            field: "desiredCount",
            message: `\`desiredCount\` is ${desired}: with fewer than ${minDesired} tasks a crashed or replaced task leaves nothing serving.`,
            fix: `Set \`desiredCount\` to at least ${minDesired}.`,
        });
    }
    if (minPct < 100) {
        findings.push({
            id: "minimum-healthy-below-100",
            field: "minimumHealthyPercent",
            message: `\`minimumHealthyPercent\` is ${minPct}: a deployment may stop ${stoppableTasks} of ${desired} task(s) before their replacements are healthy, leaving ${keptHealthy} serving${keptHealthy === 0 ? " (an outage)" : ""}.`,
            fix: "Set `minimumHealthyPercent` to 100 (the AWS default) and keep `maximumPercent` above 100.",
        });
    }
    if (desired > 0 && extraTasks < 1 && stoppableTasks < 1) {
        findings.push({
            id: "no-room-to-deploy",
            field: "maximumPercent",
            message: `\`maximumPercent\` ${maxPct} with \`minimumHealthyPercent\` ${minPct} and ${desired} task(s) lets ECS neither start an extra task nor stop an old one: deployments never progress.`,
            fix: `Raise \`maximumPercent\` to at least ${Math.ceil(((desired + 1) * 100) / desired)} (${ECS_SERVICE.maximumPercent.awsDefault} is the AWS default).`,
        });
    }
    return findings;
}
