/**
 * Validation of any given set of health timings — container probe, ALB probe, grace period,
 * deregistration and stop timeout — against AWS's ranges and against each other (the relations the
 * health-timing model, health-timing.ts, derives settings from). Used by policies on programs we
 * did not write. Pure: no Pulumi, no I/O, never throws on odd input.
 */
import {
    ALB_HEALTH_CHECK,
    CONTAINER_HEALTH_CHECK,
    ECS_SERVICE,
    FARGATE_STOP_TIMEOUT,
    type Range,
    TARGET_GROUP,
    inRange,
} from "./aws-limits";
import { type AlbProbeTimings, albGraceNeededSeconds, toleratedStartupSeconds } from "./health-timing";

/** One problem with a set of timings. `id` is stable and public (policies cite it). */
export interface TimingFinding {
    id: string;
    /** Dotted field name as the user wrote it, e.g. `container.timeout`, `alb.interval`. */
    field: string;
    message: string;
    fix: string;
}

/** Timings as found in a program: any field may be missing, unknown or of the wrong type. */
export interface PartialTimings {
    container?: { interval?: unknown; timeout?: unknown; retries?: unknown; startPeriod?: unknown };
    alb?: { interval?: unknown; timeout?: unknown; healthyThreshold?: unknown; unhealthyThreshold?: unknown };
    healthCheckGracePeriodSeconds?: unknown;
    deregistrationDelay?: unknown;
    stopTimeout?: unknown;
}

export interface ValidateOptions {
    /** Worst-case start-up to check coverage against; without it the start period stands for it. */
    worstCaseStartupSeconds?: number;
    /** Grace periods above this delay failure detection for no benefit. Default 900 s. */
    maxGracePeriodSeconds?: number;
    /** Deregistration delays above this slow every deployment. Default 120 s. */
    maxDeregistrationDelaySeconds?: number;
    /** Whether the service is behind a load balancer (the ALB window then counts). Default: alb given. */
    loadBalanced?: boolean;
}

export interface TimingValidation {
    findings: TimingFinding[];
    /** Fields whose value is not known (yet) or not a number: the relations using them were not decided. */
    undecided: string[];
    /**
     * Relations that need a value the program does not declare at all (a start-up time), with what
     * to declare: not findings, because nothing given is wrong, but not a pass either.
     */
    unjudged: TimingFinding[];
}

/** Reads a number from a program value: numbers and numeric strings; anything else is `undefined`. */
export function asNumber(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return parseFloat(value);
    return undefined;
}

/**
 * Validates a set of timings against AWS ranges and against each other. Missing fields take the
 * AWS default (that is what AWS will apply); present but unreadable fields (unknown during a
 * preview, wrong type) are listed in `undecided` and the relations that need them are skipped.
 */
export function validateHealthTimings(input: PartialTimings, options: ValidateOptions = {}): TimingValidation {
    const t: PartialTimings = input && typeof input === "object" ? input : {};
    const findings: TimingFinding[] = [];
    const undecided: string[] = [];
    const read = readTimings(t, findings, undecided);
    findings.push(...relationFindings(read, options));
    findings.push(...slowStartFindings(read, options.worstCaseStartupSeconds));
    const unjudged: TimingFinding[] = [];
    if (read.grace !== undefined) {
        const judged = gracePeriodFindings(t, read, read.grace, options);
        if (judged === "undecided") undecided.push("healthCheckGracePeriodSeconds");
        else {
            findings.push(...judged.findings);
            unjudged.push(...judged.unjudged);
        }
    }
    return { findings, undecided, unjudged };
}

/** The timings as numbers (AWS defaults for unset ones); out-of-range values are findings, unreadable ones undecided. */
function readTimings(t: PartialTimings, findings: TimingFinding[], undecided: string[]) {
    const read = (field: string, raw: unknown, range: Range): number | undefined => {
        if (raw === undefined || raw === null) return range.awsDefault;
        const n = asNumber(raw);
        if (n === undefined) {
            undecided.push(field);
            return undefined;
        }
        if (!inRange(n, range) || !Number.isInteger(n)) {
            findings.push({
                id: "value-out-of-range",
                field,
                message: `\`${field}\` is ${n}; AWS accepts whole ${range.unit} from ${range.min} to ${range.max}.`,
                fix: `Set \`${field}\` between ${range.min} and ${range.max}${range.awsDefault !== undefined ? ` (AWS default ${range.awsDefault})` : ""}.`,
            });
        }
        return n;
    };
    const obj = (v: unknown): Record<string, unknown> | undefined =>
        v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

    const c = obj(t.container);
    const container = c
        ? {
              interval: read("container.interval", c.interval, CONTAINER_HEALTH_CHECK.interval),
              timeout: read("container.timeout", c.timeout, CONTAINER_HEALTH_CHECK.timeout),
              retries: read("container.retries", c.retries, CONTAINER_HEALTH_CHECK.retries),
              startPeriod: read("container.startPeriod", c.startPeriod, CONTAINER_HEALTH_CHECK.startPeriod),
          }
        : undefined;
    const a = obj(t.alb);
    const alb = a
        ? {
              interval: read("alb.interval", a.interval, ALB_HEALTH_CHECK.interval),
              timeout: read("alb.timeout", a.timeout, ALB_HEALTH_CHECK.timeout),
              healthyThreshold: read("alb.healthyThreshold", a.healthyThreshold, ALB_HEALTH_CHECK.healthyThreshold),
              unhealthyThreshold: read("alb.unhealthyThreshold", a.unhealthyThreshold, ALB_HEALTH_CHECK.unhealthyThreshold),
          }
        : undefined;
    const grace = read("healthCheckGracePeriodSeconds", t.healthCheckGracePeriodSeconds, ECS_SERVICE.healthCheckGracePeriodSeconds);
    const deregistration =
        t.deregistrationDelay === undefined
            ? undefined
            : read("deregistrationDelay", t.deregistrationDelay, TARGET_GROUP.deregistrationDelay);
    const stop = t.stopTimeout === undefined ? undefined : asNumber(t.stopTimeout);
    if (t.stopTimeout !== undefined && stop === undefined) undecided.push("stopTimeout");

    return { container, alb, grace, deregistration, stop };
}

type ReadTimings = ReturnType<typeof readTimings>;

/** Relations AWS enforces or that cost deployments: ALB timeout below interval, Fargate's stop timeout, the drain budget. */
function relationFindings({ alb, stop, deregistration }: ReadTimings, options: ValidateOptions): TimingFinding[] {
    const findings: TimingFinding[] = [];
    // Only the ALB requires the timeout below the interval (ELBv2: "Health check interval must be
    // greater than the timeout"). ECS accepts any container timeout (2–60 s) with any interval
    // (5–300 s): that relation is no error there (docs/aws-facts.md, container health check).
    if (alb && alb.timeout !== undefined && alb.interval !== undefined && alb.timeout >= alb.interval) {
        findings.push({
            id: "timeout-not-below-interval",
            field: "alb.timeout",
            message: `\`alb.timeout\` (${alb.timeout} s) is not below \`alb.interval\` (${alb.interval} s): AWS rejects the target group ("Health check interval must be greater than the timeout").`,
            fix: `Make \`alb.timeout\` smaller than \`alb.interval\`, e.g. timeout ${Math.max(2, Math.min(5, alb.interval - 1))} s.`,
        });
    }

    if (stop !== undefined && stop > FARGATE_STOP_TIMEOUT.max) {
        findings.push({
            id: "stop-timeout-above-fargate-max",
            field: "stopTimeout",
            message: `\`stopTimeout\` is ${stop} s, above Fargate's documented maximum of ${FARGATE_STOP_TIMEOUT.max} s: the task cannot get the shutdown time this promises.`,
            fix: `Set \`stopTimeout\` to at most ${FARGATE_STOP_TIMEOUT.max} s (your app's shutdown time plus a few seconds).`,
        });
    }
    const maxDeregistration = options.maxDeregistrationDelaySeconds ?? 120;
    if (deregistration !== undefined && deregistration > maxDeregistration) {
        findings.push({
            id: "deregistration-delay-above-budget",
            field: "deregistrationDelay",
            message: `\`deregistrationDelay\` is ${deregistration} s (AWS default 300 s when unset): every old task waits this long before it stops, which lengthens each deployment batch.`,
            fix: `Set \`deregistrationDelay\` to your longest request time (≤ ${maxDeregistration} s), e.g. 15–30 s for an API.`,
        });
    }

    return findings;
}

/** Whether the container probe survives the worst-case start-up (start period or grace, then retries × interval). */
function slowStartFindings({ container, grace }: ReadTimings, worst: number | undefined): TimingFinding[] {
    const findings: TimingFinding[] = [];
    if (
        container &&
        worst !== undefined &&
        container.startPeriod !== undefined &&
        container.retries !== undefined &&
        container.interval !== undefined
    ) {
        // ECS also ignores container verdicts during the grace period, so the longer of the two shields start-up.
        const shield = Math.max(container.startPeriod, grace ?? 0);
        const covered = shield + container.retries * container.interval;
        if (covered < worst) {
            const shieldText =
                grace !== undefined && grace > container.startPeriod ? `grace period ${grace}` : `\`startPeriod\` ${container.startPeriod}`;
            findings.push({
                id: "container-probe-kills-slow-start",
                field: "container.startPeriod",
                message: `The container probe tolerates ${covered} s of start-up (${shieldText} + \`retries\` ${container.retries} × \`interval\` ${container.interval}) but the worst-case start-up is ${worst} s: slow starts are killed.`,
                fix:
                    worst <= CONTAINER_HEALTH_CHECK.startPeriod.max
                        ? `Raise \`container.startPeriod\` to at least ${worst} s.`
                        : `Set \`container.startPeriod\` to 300 s and \`retries\` × \`interval\` to at least ${worst - 300} s (e.g. ${CONTAINER_HEALTH_CHECK.retries.max} × ${Math.ceil((worst - 300) / CONTAINER_HEALTH_CHECK.retries.max)} s).`,
            });
        }
    }

    return findings;
}

/**
 * The grace period against the declared start-up and the ALB's healthy window; "undecided" when
 * a load-balanced service's ALB probe is incomplete.
 */
function gracePeriodFindings(
    t: PartialTimings,
    { container, alb }: ReadTimings,
    grace: number,
    options: ValidateOptions,
): { findings: TimingFinding[]; unjudged: TimingFinding[] } | "undecided" {
    const c = t.container && typeof t.container === "object" && !Array.isArray(t.container) ? t.container : undefined;
    const loadBalanced = options.loadBalanced ?? alb !== undefined;
    // A start-up is declared by the HealthyFargateService contract (worst case) or by the
    // program's own container start period; an unset start period declares nothing.
    const declaredStartPeriod = c && c.startPeriod !== undefined && c.startPeriod !== null ? container?.startPeriod : undefined;
    const albComplete =
        alb &&
        alb.interval !== undefined &&
        alb.healthyThreshold !== undefined &&
        alb.unhealthyThreshold !== undefined &&
        alb.timeout !== undefined;
    if (loadBalanced && alb && !albComplete) return "undecided";
    return judgeGracePeriod({
        grace,
        graceUnset: t.healthCheckGracePeriodSeconds === undefined,
        alb: loadBalanced && albComplete ? (alb as AlbProbeTimings) : undefined,
        loadBalanced,
        worst: options.worstCaseStartupSeconds,
        declaredStartPeriod,
        max: options.maxGracePeriodSeconds ?? 900,
    });
}

/**
 * The grace-period relations of {@link validateHealthTimings}. Behind a load balancer the grace
 * period must cover a declared start-up (the contract's worst case, else the container's start
 * period) as {@link albGraceNeededSeconds} says; with no start-up declared nothing is invented:
 * the relation is `unjudged`, with the start-up the service tolerates and what to declare.
 * Without a load balancer the container's start period shields start-up, so no grace is needed.
 */
function judgeGracePeriod(a: {
    grace: number;
    graceUnset: boolean;
    alb: AlbProbeTimings | undefined;
    loadBalanced: boolean;
    worst: number | undefined;
    declaredStartPeriod: number | undefined;
    max: number;
}): { findings: TimingFinding[]; unjudged: TimingFinding[] } {
    const findings: TimingFinding[] = [];
    const unjudged: TimingFinding[] = [];
    const field = "healthCheckGracePeriodSeconds";
    const graceText = `\`${field}\` is ${a.grace} s${a.graceUnset ? " (unset: AWS uses 0)" : ""}`;
    const startup = a.worst ?? a.declaredStartPeriod;
    let needed = 0;
    if (a.loadBalanced && a.alb && startup === undefined) {
        const tolerated = toleratedStartupSeconds(a.grace, a.alb);
        const window = a.alb.healthyThreshold * a.alb.interval;
        unjudged.push({
            id: "startup-not-declared",
            field,
            message: `The program declares no start-up time (no container health check \`startPeriod\`), so whether ${graceText} covers the app's start-up cannot be decided: with this ALB health check a new task survives a start-up of up to ${tolerated} s and is replaced if it needs longer.`,
            fix: `Declare the app's worst-case start-up as the container health check's \`startPeriod\` (the policy then checks the grace period against it), and set \`${field}\` to at least that start-up plus the ALB's healthy window (${a.alb.healthyThreshold} × ${a.alb.interval} s = ${window} s) when it exceeds ${(a.alb.unhealthyThreshold - 1) * a.alb.interval} s.`,
        });
    } else if (a.loadBalanced && a.alb && startup !== undefined) {
        needed = albGraceNeededSeconds(startup, a.alb);
        if (a.grace < needed) {
            findings.push({
                id: "grace-period-too-short",
                field,
                message: `${graceText}, shorter than the start-up (${startup} s${a.worst === undefined ? ", the container start period" : ""}) plus the ALB's healthy window (${needed - startup} s) = ${needed} s: the ALB marks a task that is still starting unhealthy after ${a.alb.unhealthyThreshold} failed checks, ECS replaces it, and the circuit breaker rolls the release back.`,
                fix: `Set \`${field}\` to at least ${needed} s.`,
            });
        }
    }
    if (a.grace > a.max) {
        findings.push({
            id: "grace-period-too-long",
            field,
            message: `\`${field}\` is ${a.grace} s (above ${a.max} s): a task that is broken from the start is only replaced after this long, so a bad release takes that much longer to roll back.`,
            fix: `Lower \`${field}\` to ${
                !a.loadBalanced
                    ? "0: without a load balancer the container's start period covers start-up"
                    : needed > 0
                      ? `the start-up plus the ALB's healthy window (${needed} s here)`
                      : "the start-up plus the ALB's healthy window"
            }.`,
        });
    }
    return { findings, unjudged };
}
