/**
 * Formats services' health contracts (probe, timings, deployment timeline) as a text table for
 * people. Pure; used by `preview:offline`, the offline check and the doctor's `startup`.
 */
import { formatSeconds } from "./format-seconds";
import type { HealthContract } from "./health-contract";

export interface NamedContract {
    service: string;
    contract: HealthContract;
}

export { formatSeconds };

/** How the probe tool was decided (`probe.toolChoice.by`; contracts from before it existed: the args). */
const PROBE_TOOL_CHOSEN_BY: Record<"args" | "image" | "default", string> = {
    args: "probe.tool",
    image: "the image (its runtime or tools)",
    default: "default: image unknown, set probe.tool",
};

/** Rows of (label, value per service). */
export function contractRows(contracts: NamedContract[]): Array<[string, ...string[]]> {
    const row = (label: string, f: (c: HealthContract) => string): [string, ...string[]] => [label, ...contracts.map((c) => f(c.contract))];
    return [
        row("probe", (c) => `${c.probe.tool} → :${c.probe.port}${c.probe.livenessPath} (ALB matcher ${c.probe.matcher})`),
        row("probe tool chosen by", (c) => PROBE_TOOL_CHOSEN_BY[c.probe.toolChoice?.by ?? "args"]),
        row("readiness (not probed)", (c) => c.probe.readinessPath),
        row(
            "start-up expected / worst",
            (c) => `${formatSeconds(c.startup.expectedSeconds)} / ${formatSeconds(c.startup.worstCaseSeconds)}`,
        ),
        row(
            "container probe",
            (c) =>
                `every ${c.timings.container.interval} s, timeout ${c.timings.container.timeout} s, ${c.timings.container.retries} retries, start period ${c.timings.container.startPeriod} s`,
        ),
        row(
            "ALB probe",
            (c) =>
                `every ${c.timings.alb.interval} s, timeout ${c.timings.alb.timeout} s, healthy ${c.timings.alb.healthyThreshold}, unhealthy ${c.timings.alb.unhealthyThreshold}`,
        ),
        row("grace period", (c) => formatSeconds(c.timings.healthCheckGracePeriodSeconds)),
        row(
            "deregistration / stopTimeout",
            (c) => `${formatSeconds(c.timings.deregistrationDelay)} / ${formatSeconds(c.timings.stopTimeout)}`,
        ),
        row(
            "tasks (min/max %)",
            (c) => `${c.deployment.desiredCount} (${c.deployment.minimumHealthyPercent}/${c.deployment.maximumPercent})`,
        ),
        row(
            "new task healthy",
            (c) => `${formatSeconds(c.timeline.newTaskHealthySeconds)} (worst ${formatSeconds(c.timeline.newTaskHealthyWorstSeconds)})`,
        ),
        row("deployment strategy", (c) =>
            c.deployment.strategy === "blue-green"
                ? `blue/green (all ${c.deployment.desiredCount} new tasks at once, bake ${c.deployment.bakeTimeMinutes} min)`
                : `rolling (batches of ${c.timeline.batchSize})`,
        ),
        // Without bake: until the new tasks serve and the old ones are gone; with bake: until ECS stops watching.
        row("deployment", (c) =>
            c.deployment.bakeTimeMinutes > 0
                ? `${formatSeconds(c.timeline.rollingDeploymentSeconds)} without bake, ${formatSeconds(c.timeline.rollingDeploymentWithBakeSeconds)} with bake`
                : formatSeconds(c.timeline.rollingDeploymentSeconds),
        ),
        row(
            "bad release → breaker trips",
            (c) =>
                `${formatSeconds(c.timeline.circuitBreakerTripSeconds)} (${c.timeline.circuitBreakerThreshold} failed tasks, killed by ${c.timeline.failedTaskKilledBy})`,
        ),
        row("bad release → rolled back", (c) => formatSeconds(c.timeline.rollbackCompleteSeconds)),
    ];
}

/** A plain-text table with aligned columns. */
export function formatContractTable(contracts: NamedContract[]): string {
    if (contracts.length === 0) return "(no HealthyFargateService in this program)";
    const rows: string[][] = [["", ...contracts.map((c) => c.service)], ...contractRows(contracts)];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const line = (r: string[]) =>
        r
            .map((cell, i) => cell.padEnd(widths[i]))
            .join("  ")
            .trimEnd();
    return [line(rows[0]), widths.map((w) => "─".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}
