/**
 * The health-timing model: one place that owns the relations between every timing knob of a
 * load-balanced Fargate service — container probe, ALB probe, service grace period, target
 * deregistration and container stop timeout — and the deployment timeline they produce.
 *
 * Components derive their settings here, policies validate any program's settings against the
 * same relations (health-timing-validation.ts), the CLI prints the timeline from here. Pure: no
 * Pulumi, no I/O, never throws on odd input.
 *
 * Assumptions of the timeline (all upper-bound style, so "covers" means "covers in the worst case"):
 * - A new Fargate task needs `TASK_PROVISIONING_SECONDS` from being scheduled to RUNNING
 *   (ENI attachment, image pull, container start). Observed 20–60 s for images of a few hundred
 *   MB; pass your own figure when you know it.
 * - The app answers its liveness probe `S` seconds after the container starts (the start-up
 *   budget). The target is registered with the ALB when the task is RUNNING, i.e. at t = 0 of `S`.
 * - The ALB checks at registration and every `interval` after it (t = 0, I, 2I, …); a check at
 *   t ≥ S passes. A newly registered target is healthy after ONE passing check, unless it has
 *   already failed `unhealthyThreshold` checks in a row, in which case it needs
 *   `healthyThreshold` passes (ALB guide, "Health checks for target groups").
 * - The container probe runs every `interval` from container start (t = I, 2I, …); failures
 *   before `startPeriod` do not count; a pass marks the container healthy at once.
 * - ECS ignores unhealthy ELB and container verdicts for `healthCheckGracePeriodSeconds` after the
 *   task starts, and replaces the task at the first moment after that when either says unhealthy.
 * - Rolling deployments replace tasks in batches allowed by minimumHealthyPercent/maximumPercent;
 *   an old task leaves only after its target drains (`deregistrationDelay`) and its containers
 *   stop (SIGTERM, up to `stopTimeout`).
 */
import {
    ALB_HEALTH_CHECK,
    CIRCUIT_BREAKER,
    CONTAINER_HEALTH_CHECK,
    FARGATE_STOP_TIMEOUT,
    type Range,
    TARGET_GROUP,
    inRange,
} from "./aws-limits";
import { rolloutCapacity } from "./rollout";

/** Seconds from a task being scheduled to RUNNING (see module comment). */
export const TASK_PROVISIONING_SECONDS = 45;
/** Seconds ECS needs after the last task change to report a steady state (event cadence). */
export const STEADY_STATE_REPORT_SECONDS = 15;

export interface ContainerProbeTimings {
    /** Seconds between probes (5–300). */
    interval: number;
    /** Seconds before one probe counts as failed (2–60). */
    timeout: number;
    /** Consecutive failures, after the start period, that make the container UNHEALTHY (1–10). */
    retries: number;
    /** Seconds after container start during which failures do not count (0–300). */
    startPeriod: number;
}

export interface AlbProbeTimings {
    interval: number;
    timeout: number;
    healthyThreshold: number;
    unhealthyThreshold: number;
}

/** Every timing knob of one load-balanced service. */
export interface HealthTimings {
    container: ContainerProbeTimings;
    alb: AlbProbeTimings;
    healthCheckGracePeriodSeconds: number;
    deregistrationDelay: number;
    stopTimeout: number;
}

/** How long the app takes to answer its liveness probe, measured from container start. */
export interface StartupBudget {
    /** Typical seconds to the first successful liveness answer. */
    expectedSeconds: number;
    /** Slowest start you accept as normal (cold caches, migrations, JIT). Defaults to 2 × expected. */
    worstCaseSeconds?: number;
}

/** How long in-flight work may take when a task is stopped. */
export interface DrainBudget {
    /** Longest request the ALB should let finish on a deregistering target. Default 15 s. */
    longestRequestSeconds?: number;
    /** Seconds the app needs after SIGTERM to close connections and flush. Default 10 s. */
    shutdownSeconds?: number;
}

export interface DeriveInput {
    startup: StartupBudget;
    drain?: DrainBudget;
    /** Container probe interval; shorter detects failure sooner at the cost of more probe traffic. Default 10 s. */
    containerInterval?: number;
    /** ALB probe interval. Default 10 s. */
    albInterval?: number;
}

export const DEFAULT_DRAIN: Required<DrainBudget> = { longestRequestSeconds: 15, shutdownSeconds: 10 };

/** Rounds up to a multiple of `step`. */
function ceilTo(value: number, step: number): number {
    return Math.ceil(value / step) * step;
}

function clamp(value: number, range: Range): number {
    return Math.min(range.max, Math.max(range.min, value));
}

/**
 * Throws a `TypeError` naming the field when a start-up/drain budget is not usable. This is the
 * one function of the module that throws: it guards the component's args, where a bad value must
 * stop the program before anything is created. Policies use {@link validateHealthTimings}.
 */
export function assertBudget(input: DeriveInput): void {
    const { expectedSeconds, worstCaseSeconds } = input.startup ?? ({} as StartupBudget);
    const positive = (name: string, v: unknown, max?: number) => {
        if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
            throw new TypeError(`\`${name}\` must be a number of seconds ≥ 0, got ${JSON.stringify(v)}.`);
        }
        if (max !== undefined && v > max) {
            throw new TypeError(
                `\`${name}\` is ${v} s; the container start period (300 s) plus 10 retries × 300 s interval cannot cover more than ${max} s. Make the app answer its liveness probe sooner (do slow work after the listener is up).`,
            );
        }
    };
    const maxStartup = CONTAINER_HEALTH_CHECK.startPeriod.max + CONTAINER_HEALTH_CHECK.retries.max * CONTAINER_HEALTH_CHECK.interval.max;
    positive("startup.expectedSeconds", expectedSeconds, maxStartup);
    if (worstCaseSeconds !== undefined) {
        positive("startup.worstCaseSeconds", worstCaseSeconds, maxStartup);
        if (worstCaseSeconds < expectedSeconds) {
            throw new TypeError(
                `\`startup.worstCaseSeconds\` (${worstCaseSeconds}) is below \`startup.expectedSeconds\` (${expectedSeconds}); the worst case must be at least the expected start-up.`,
            );
        }
    }
    const drain = input.drain ?? {};
    if (drain.longestRequestSeconds !== undefined)
        positive("drain.longestRequestSeconds", drain.longestRequestSeconds, TARGET_GROUP.deregistrationDelay.max);
    if (drain.shutdownSeconds !== undefined) positive("drain.shutdownSeconds", drain.shutdownSeconds, FARGATE_STOP_TIMEOUT.max);
    for (const [name, v, range] of [
        ["containerInterval", input.containerInterval, CONTAINER_HEALTH_CHECK.interval],
        ["albInterval", input.albInterval, ALB_HEALTH_CHECK.interval],
    ] as const) {
        if (v !== undefined && (typeof v !== "number" || !inRange(v, range))) {
            throw new TypeError(`\`${name}\` must be ${range.min}–${range.max} seconds, got ${JSON.stringify(v)}.`);
        }
    }
}

/**
 * Derives every timing from one start-up budget, so the knobs cannot drift apart:
 * - container: interval 10 s, timeout 5 s, retries 3, startPeriod = worst case (rounded up to 5 s,
 *   at most 300 s; beyond that retries × interval cover the rest);
 * - ALB: interval 10 s, timeout 5 s, healthy 2, unhealthy 3 (one pass suffices for a new target);
 * - grace period = worst-case start-up (at least the start period) + the ALB's healthy window at
 *   that start-up, so neither probe can kill a task that starts within budget;
 * - deregistration delay = longest request (default 15 s, not AWS's 300 s that slows every deploy);
 * - stopTimeout = app shutdown + 5 s margin, at most 120 s (Fargate).
 * Call {@link assertBudget} first when the input is untrusted.
 */
export function deriveHealthTimings(input: DeriveInput): HealthTimings {
    const expected = input.startup.expectedSeconds;
    const worst = input.startup.worstCaseSeconds ?? expected * 2;
    const containerInterval = input.containerInterval ?? 10;
    const albInterval = input.albInterval ?? 10;
    const drain = { ...DEFAULT_DRAIN, ...stripUndefined(input.drain ?? {}) };

    let retries: number = CONTAINER_HEALTH_CHECK.retries.awsDefault;
    let interval = containerInterval;
    const startPeriod = clamp(ceilTo(worst, 5), CONTAINER_HEALTH_CHECK.startPeriod);
    // A start-up longer than 300 s must be covered by retries × interval after the start period:
    // first more retries, then (at 10 retries) a longer interval.
    while (startPeriod + retries * interval < worst && retries < CONTAINER_HEALTH_CHECK.retries.max) retries++;
    if (startPeriod + retries * interval < worst)
        interval = clamp(ceilTo((worst - startPeriod) / retries, 5), CONTAINER_HEALTH_CHECK.interval);
    const container: ContainerProbeTimings = { interval, timeout: Math.min(5, interval - 1), retries, startPeriod };

    const alb: AlbProbeTimings = {
        interval: albInterval,
        timeout: Math.min(5, albInterval - 1),
        healthyThreshold: 2,
        unhealthyThreshold: 3,
    };
    // The grace period covers the slower of the start period and the worst case (they differ above 300 s).
    const covered = Math.max(startPeriod, worst);
    const grace = ceilTo(covered + albHealthyWindowSeconds(covered, alb), 5);

    return {
        container,
        alb,
        healthCheckGracePeriodSeconds: grace,
        deregistrationDelay: clamp(Math.ceil(drain.longestRequestSeconds), TARGET_GROUP.deregistrationDelay),
        stopTimeout: clamp(Math.ceil(drain.shutdownSeconds) + 5, FARGATE_STOP_TIMEOUT),
    };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Number of ALB checks that fail before an app that answers at `startup` seconds (checks at 0, I, 2I, …). */
function albChecksFailedBefore(startup: number, alb: AlbProbeTimings): number {
    return startup <= 0 ? 0 : Math.ceil(startup / alb.interval);
}

/**
 * Seconds after `startup` until the ALB reports the target healthy (upper bound): one interval
 * when fewer than `unhealthyThreshold` checks failed first, else `healthyThreshold` intervals.
 */
export function albHealthyWindowSeconds(startup: number, alb: AlbProbeTimings): number {
    const needed = albChecksFailedBefore(startup, alb) >= alb.unhealthyThreshold ? alb.healthyThreshold : 1;
    return needed * alb.interval;
}

/**
 * The grace period a load-balanced task needs so that ECS does not replace it while its app starts
 * in `startup` seconds. ECS replaces a task only when its target is reported *unhealthy*; a new
 * target that fails fewer than `unhealthyThreshold` checks before the app answers is never marked
 * unhealthy (it turns healthy on its first pass), so it needs no grace period at all. Otherwise the
 * grace period must last until the target is healthy again: start-up plus `healthyThreshold`
 * intervals (an upper bound, because the phase of the checks relative to start-up is unknown).
 */
export function albGraceNeededSeconds(startup: number, alb: AlbProbeTimings): number {
    return albChecksFailedBefore(startup, alb) >= alb.unhealthyThreshold ? startup + alb.healthyThreshold * alb.interval : 0;
}

/**
 * The longest start-up (seconds from container start to the first passing ALB check) that a
 * load-balanced task survives with grace period `grace`: the ALB's own unhealthy window
 * (`unhealthyThreshold - 1` intervals fail without consequence), or what the grace period covers
 * ({@link albGraceNeededSeconds} inverted), whichever is longer.
 */
export function toleratedStartupSeconds(grace: number, alb: AlbProbeTimings): number {
    return Math.max((alb.unhealthyThreshold - 1) * alb.interval, grace - alb.healthyThreshold * alb.interval);
}

/** What happens to one new task that answers its probe `startupSeconds` after container start. */
export interface TaskStartOutcome {
    /** Seconds after container start when the ALB first reports the target healthy. */
    albHealthyAt: number;
    /** Seconds after container start when the container health check first reports HEALTHY. */
    containerHealthyAt: number;
    /** Set when ECS replaces the task before it is healthy: when, and which check did it. */
    killed?: { at: number; by: "elb" | "container" };
}

/**
 * Simulates the start of one task (see the module comment for the check phases). `startupSeconds`
 * may be `Infinity` for an app that never answers. `containerProbe` may be omitted when the
 * container has no health check.
 */
export function simulateTaskStart(args: {
    startupSeconds: number;
    alb?: AlbProbeTimings;
    containerProbe?: ContainerProbeTimings;
    healthCheckGracePeriodSeconds: number;
}): TaskStartOutcome {
    const S = args.startupSeconds;
    const grace = args.healthCheckGracePeriodSeconds;
    const candidates: Array<{ at: number; by: "elb" | "container" }> = [];

    let albHealthyAt = S === Infinity ? Infinity : 0;
    if (args.alb) {
        const alb = args.alb;
        const failedBefore = albChecksFailedBefore(S, alb);
        const firstPass = S === Infinity ? Infinity : failedBefore * alb.interval;
        if (failedBefore >= alb.unhealthyThreshold) {
            const unhealthyAt = (alb.unhealthyThreshold - 1) * alb.interval;
            albHealthyAt = firstPass + (alb.healthyThreshold - 1) * alb.interval;
            // ECS acts on the unhealthy verdict at the first moment after the grace period.
            if (albHealthyAt > grace) candidates.push({ at: Math.max(unhealthyAt, grace), by: "elb" });
        } else {
            albHealthyAt = firstPass;
        }
    }

    let containerHealthyAt = S === Infinity ? Infinity : 0;
    if (args.containerProbe) {
        const p = args.containerProbe;
        // Probes at t = I, 2I, …; the first passing one is the first at t ≥ S.
        containerHealthyAt = S === Infinity ? Infinity : Math.max(1, Math.ceil(S / p.interval)) * p.interval;
        // Failures that count: probes at t ≥ startPeriod and t < S.
        const firstCounted = Math.max(1, Math.ceil(p.startPeriod / p.interval)) * p.interval;
        const unhealthyAt = firstCounted + (p.retries - 1) * p.interval;
        if (unhealthyAt < containerHealthyAt) candidates.push({ at: Math.max(unhealthyAt, grace), by: "container" });
    }

    const killed = candidates.sort((a, b) => a.at - b.at)[0];
    return { albHealthyAt, containerHealthyAt, ...(killed ? { killed } : {}) };
}

/** Failed tasks that trip the deployment circuit breaker for `desiredCount` tasks. */
export function circuitBreakerThreshold(desiredCount: number): number {
    const raw = Math.ceil(CIRCUIT_BREAKER.ratio * Math.max(0, desiredCount));
    return Math.min(CIRCUIT_BREAKER.max, Math.max(CIRCUIT_BREAKER.min, raw));
}

export interface DeploymentShape {
    desiredCount: number;
    minimumHealthyPercent?: number;
    maximumPercent?: number;
    /** Seconds from scheduling to RUNNING; default {@link TASK_PROVISIONING_SECONDS}. */
    taskProvisioningSeconds?: number;
    /** Deployment-alarm bake time after steady state, in minutes (0 when alarms are off). */
    bakeTimeMinutes?: number;
    /**
     * `rolling` (default) replaces tasks in batches allowed by min/max percent; `blue-green`
     * (ECS-native) starts the whole new revision at once, shifts traffic, bakes, then stops the old one.
     */
    strategy?: DeploymentStrategy;
}

/** ECS deployment strategies the timeline models. */
export type DeploymentStrategy = "rolling" | "blue-green";

/** How long each phase of a deployment takes, in seconds (upper bounds under the module's assumptions). */
export interface DeploymentTimeline {
    /** Scheduling → ALB reports the new task healthy, for an app starting in the expected time. */
    newTaskHealthySeconds: number;
    /** Same at the worst-case start-up. */
    newTaskHealthyWorstSeconds: number;
    /** Tasks replaced at once (from min/max percent). */
    batchSize: number;
    /** Start of a deployment of `desiredCount` tasks → steady state (expected start-up); one batch for blue/green. */
    rollingDeploymentSeconds: number;
    /** The same plus the deployment-alarm bake time. */
    rollingDeploymentWithBakeSeconds: number;
    /** Failed tasks that trip the circuit breaker. */
    circuitBreakerThreshold: number;
    /** Lifetime of one task of a release that never answers its probe (scheduling → stopped). */
    failedTaskLifetimeSeconds: number;
    /** Which check replaces such a task. */
    failedTaskKilledBy: "elb" | "container" | "never";
    /** Start of a release that never becomes healthy → circuit breaker trips (Infinity if it cannot). */
    circuitBreakerTripSeconds: number;
    /** … → rollback finished (old task definition steady again). */
    rollbackCompleteSeconds: number;
    /** The start-up this timeline assumed and whether a task starting in it survives. */
    expectedStartupSurvives: boolean;
    worstCaseStartupSurvives: boolean;
}

/**
 * Computes the deployment timeline of a service from its timings, its start-up budget and its
 * deployment shape. Never throws: nonsensical numbers give nonsensical (but finite or Infinity)
 * answers, and validation is {@link validateHealthTimings}'s job.
 */
export function deploymentTimeline(timings: HealthTimings, startup: StartupBudget, shape: DeploymentShape): DeploymentTimeline {
    const provisioning = shape.taskProvisioningSeconds ?? TASK_PROVISIONING_SECONDS;
    const desired = Math.max(0, Math.floor(shape.desiredCount));
    const { extraTasks: extra, stoppableTasks: mayStop } = rolloutCapacity(shape);
    // Blue/green starts the whole new revision at once: one batch, whatever min/max percent say.
    const batchSize = shape.strategy === "blue-green" ? Math.max(desired, 1) : Math.max(1, Math.min(Math.max(desired, 1), extra + mayStop));
    const batches = Math.ceil(Math.max(desired, 1) / batchSize);

    const worst = startup.worstCaseSeconds ?? startup.expectedSeconds * 2;
    const simulate = (S: number) =>
        simulateTaskStart({
            startupSeconds: S,
            alb: timings.alb,
            containerProbe: timings.container,
            healthCheckGracePeriodSeconds: timings.healthCheckGracePeriodSeconds,
        });
    const expectedOutcome = simulate(startup.expectedSeconds);
    const worstOutcome = simulate(worst);
    const ready = (o: TaskStartOutcome) => provisioning + Math.max(o.albHealthyAt, 0);
    // Replacing an old task: drain its target, then SIGTERM; a well-behaved app exits well within stopTimeout.
    const oldTaskExit = timings.deregistrationDelay + Math.min(timings.stopTimeout, DEFAULT_DRAIN.shutdownSeconds);
    const rolling = batches * (ready(expectedOutcome) + oldTaskExit) + STEADY_STATE_REPORT_SECONDS;

    const never = simulate(Infinity);
    const threshold = circuitBreakerThreshold(desired);
    const lifetime = never.killed ? provisioning + never.killed.at + timings.deregistrationDelay + timings.stopTimeout : Infinity;
    const trip = never.killed ? Math.ceil(threshold / batchSize) * lifetime : Infinity;
    // Old tasks kept running (min healthy ≥ 100 %) need no replacement; otherwise the stopped share is relaunched.
    const relaunch = mayStop > 0 ? ready(expectedOutcome) : 0;
    const bake = (shape.bakeTimeMinutes ?? 0) * 60;

    return {
        newTaskHealthySeconds: ready(expectedOutcome),
        newTaskHealthyWorstSeconds: ready(worstOutcome),
        batchSize,
        rollingDeploymentSeconds: rolling,
        rollingDeploymentWithBakeSeconds: rolling + bake,
        circuitBreakerThreshold: threshold,
        failedTaskLifetimeSeconds: lifetime,
        failedTaskKilledBy: never.killed ? never.killed.by : "never",
        circuitBreakerTripSeconds: trip,
        rollbackCompleteSeconds: trip === Infinity ? Infinity : trip + relaunch + STEADY_STATE_REPORT_SECONDS,
        expectedStartupSurvives: !expectedOutcome.killed,
        worstCaseStartupSurvives: !worstOutcome.killed,
    };
}
