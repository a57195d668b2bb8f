/**
 * CloudWatch alarms of a HealthyFargateService, as pure functions of plain values: which alarms
 * exist, their thresholds and evaluation windows (derived from the service's own health timings
 * where a timing says what "too long" is), and the alarm definitions themselves. The component
 * only turns the definitions into `aws.cloudwatch.MetricAlarm`s; tests check them without Pulumi.
 *
 * Metrics (all at one-minute resolution):
 * - `AWS/ApplicationELB` `UnHealthyHostCount`, `HTTPCode_Target_5XX_Count`, `RequestCount`,
 *   `TargetResponseTime`, dimensions `TargetGroup` + `LoadBalancer` (the ARN suffixes).
 * - `ECS/ContainerInsights` `RunningTaskCount`, `DesiredTaskCount` (`ClusterName` + `ServiceName`;
 *   Container Insights `enabled` or `enhanced` on the cluster) and `UnHealthyContainerHealthStatus`
 *   (`ClusterName` + `ServiceName` + `ContainerName`; only with Container Insights `enhanced`,
 *   1 while a container's health check reports UNHEALTHY, 0 while HEALTHY).
 */
import type * as pulumi from "@pulumi/pulumi";
import { type HealthContract, TASK_PROVISIONING_SECONDS, simulateTaskStart, unknownKeyProblems } from "@healthy-fargate/domain";

/** The alarms a service can have, by the key of their `alarms` arg. */
export const ALARM_KINDS = ["unhealthyHosts", "targetErrorRate", "latencyP90", "latencyP99", "runningTasks", "containerHealth"] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

/** Alarms that roll a deployment back by default (`alarms.rollbackOn`). */
export const DEFAULT_ROLLBACK_ON: readonly AlarmKind[] = ["targetErrorRate", "unhealthyHosts"];

/** Container Insights setting of the cluster, as the caller declares it (the component cannot read it). */
export type ContainerInsightsLevel = "disabled" | "enabled" | "enhanced";

/** How long an alarm looks before it fires. Both in one-minute periods. */
export interface AlarmWindowArgs {
    /**
     * Minutes (one-minute periods) the alarm evaluates, 1–1440.
     * @default - per alarm, see its doc
     */
    readonly evaluationMinutes?: number;
    /**
     * How many of those minutes must breach, 1–`evaluationMinutes`.
     * @default - per alarm, see its doc
     */
    readonly datapointsToAlarm?: number;
}

/** The 5XX-rate alarm. */
export interface ErrorRateAlarmArgs extends AlarmWindowArgs {
    /**
     * Share of requests answered 5XX by the targets, in percent (0 < x ≤ 100).
     * @default 5
     */
    readonly thresholdPercent?: number;
    /**
     * Minutes with fewer requests than this count as 0 % (one failed request of two is not an outage).
     * @default 10
     */
    readonly minimumRequests?: number;
}

/** A latency alarm on a percentile of `TargetResponseTime`. */
export interface LatencyAlarmArgs extends AlarmWindowArgs {
    /** Seconds the percentile may reach. Default: see the alarm. */
    readonly thresholdSeconds?: number;
}

/**
 * Alarms of the service. Each key is an alarm: `false` turns it off, an object tunes it. See the
 * README next to this file ("Alarms") for what each one watches and why its defaults are what they are.
 */
export interface AlarmsArgs {
    /**
     * SNS topic notified when an alarm fires and when it recovers (`alarmActions` and `okActions`).
     * @default - no notification: the alarms are visible in CloudWatch and still roll deployments back
     */
    readonly snsTopicArn?: pulumi.Input<string>;
    /**
     * What the cluster's `containerInsights` setting is. `runningTasks` needs `enabled` or
     * `enhanced`; `containerHealth` needs `enhanced` (its metric exists only there).
     * @default "enabled"
     */
    readonly containerInsights?: ContainerInsightsLevel;
    /**
     * Targets the ALB reports unhealthy (`UnHealthyHostCount` > 0) for longer than a flapping or
     * slow-starting target can explain.
     * @default - on; evaluation window derived from the ALB probe and the worst-case start-up
     */
    readonly unhealthyHosts?: false | AlarmWindowArgs;
    /**
     * Share of requests the targets answer with 5XX (metric math: 5XX count / request count).
     * @default - on; 5 %, 3 of 5 minutes, minutes under 10 requests ignored
     */
    readonly targetErrorRate?: false | ErrorRateAlarmArgs;
    /**
     * p90 of `TargetResponseTime`.
     * @default - on; 1 s, 3 of 5 minutes
     */
    readonly latencyP90?: false | LatencyAlarmArgs;
    /**
     * p99 of `TargetResponseTime`.
     * @default - on; `drain.longestRequestSeconds` (15 s), 3 of 5 minutes
     */
    readonly latencyP99?: false | LatencyAlarmArgs;
    /**
     * Fewer RUNNING tasks than desired (Container Insights `DesiredTaskCount` − `RunningTaskCount` > 0).
     * @default - on unless `containerInsights` is "disabled" or `desiredCount` is 0; window derived from task replacement time
     */
    readonly runningTasks?: false | AlarmWindowArgs;
    /**
     * Containers whose health check reports UNHEALTHY (`UnHealthyContainerHealthStatus`, Container
     * Insights with enhanced observability only).
     * @default - on when `containerInsights` is "enhanced", else off; window derived from the container probe and drain
     */
    readonly containerHealth?: false | AlarmWindowArgs;
    /**
     * Alarms ECS watches during each deployment (and its bake time) and that roll the deployment
     * back when they fire (the service's `alarms {alarmNames, enable: true, rollback: true}`), on
     * top of the circuit breaker. `[]` turns deployment alarms off. Every alarm named must be on.
     * @default ["targetErrorRate", "unhealthyHosts"]
     */
    readonly rollbackOn?: AlarmKind[];
}

/** One alarm after defaults: everything a MetricAlarm needs except the dimension values. */
export interface ResolvedAlarm {
    kind: AlarmKind;
    evaluationPeriods: number;
    datapointsToAlarm: number;
    threshold: number;
    /** 5XX alarm only. */
    minimumRequests?: number;
    /** Why the window/threshold has its value (goes into the alarm description). */
    basis: string;
}

export interface ResolvedAlarms {
    alarms: ResolvedAlarm[];
    rollbackOn: AlarmKind[];
    containerInsights: ContainerInsightsLevel;
}

const PERIOD_SECONDS = 60;

/** Consecutive one-minute periods an episode of `seconds` can touch (it may straddle a boundary). */
export function periodsTouchedBy(seconds: number): number {
    return Math.ceil(Math.max(0, seconds) / PERIOD_SECONDS) + 1;
}

/**
 * Seconds a target may legitimately be reported unhealthy: the longer of a flap (fails
 * `unhealthyThreshold` checks, then needs `healthyThreshold` passes) and a start at the worst-case
 * start-up (fails `unhealthyThreshold` checks while starting, healthy only at `albHealthyAt`).
 */
export function unhealthyTargetWindowSeconds(contract: Pick<HealthContract, "timings" | "startup">): number {
    const { alb, healthCheckGracePeriodSeconds } = contract.timings;
    const flap = (alb.unhealthyThreshold + alb.healthyThreshold) * alb.interval;
    const start = simulateTaskStart({ startupSeconds: contract.startup.worstCaseSeconds, alb, healthCheckGracePeriodSeconds });
    const unhealthyFrom = (alb.unhealthyThreshold - 1) * alb.interval;
    const starting = Number.isFinite(start.albHealthyAt) && start.albHealthyAt > unhealthyFrom ? start.albHealthyAt - unhealthyFrom : 0;
    return Math.max(flap, starting);
}

/** Seconds a service may run short of a task while ECS replaces one (drain, stop, provision the new one). */
export function taskReplacementWindowSeconds(contract: Pick<HealthContract, "timings">): number {
    return TASK_PROVISIONING_SECONDS + contract.timings.deregistrationDelay + contract.timings.stopTimeout;
}

/** Seconds a container stays UNHEALTHY while ECS replaces its task (one probe interval, drain, stop). */
export function unhealthyContainerWindowSeconds(contract: Pick<HealthContract, "timings">): number {
    return contract.timings.container.interval + contract.timings.deregistrationDelay + contract.timings.stopTimeout;
}

/**
 * Applies defaults to `alarms` and validates them. Returns the alarms to create (in
 * {@link ALARM_KINDS} order) or the problems, each naming the arg.
 */
export function resolveAlarms(
    args: false | AlarmsArgs | undefined,
    context: { contract: Pick<HealthContract, "timings" | "startup">; desiredCount: number },
): { ok: true; value: ResolvedAlarms } | { ok: false; problems: string[] } {
    if (args === false) return { ok: true, value: { alarms: [], rollbackOn: [], containerInsights: "enabled" } };
    const problems: string[] = [];
    if (args !== undefined && (args === null || typeof args !== "object" || Array.isArray(args))) {
        return { ok: false, problems: [`\`alarms\` must be an object or \`false\`, got ${JSON.stringify(args)}.`] };
    }
    const a: AlarmsArgs = args ?? {};
    problems.push(...unknownKeyProblems("alarms", a, [...ALARM_KINDS, "snsTopicArn", "containerInsights", "rollbackOn"]));

    const containerInsights = a.containerInsights ?? "enabled";
    if (!["disabled", "enabled", "enhanced"].includes(containerInsights)) {
        problems.push(
            `\`alarms.containerInsights\` must be "disabled", "enabled" or "enhanced" (the cluster's containerInsights setting), got ${JSON.stringify(containerInsights)}.`,
        );
    }
    const defaults = alarmDefaults(context, containerInsights);
    const alarms: ResolvedAlarm[] = [];
    for (const kind of ALARM_KINDS) {
        const alarm = resolveAlarm(kind, a[kind], defaults[kind], problems);
        if (alarm) alarms.push(alarm);
    }
    const rollbackOn = a.rollbackOn ?? DEFAULT_ROLLBACK_ON.filter((k) => alarms.some((x) => x.kind === k));
    problems.push(...rollbackOnProblems(rollbackOn, alarms));
    if (problems.length) return { ok: false, problems };
    return { ok: true, value: { alarms, rollbackOn: [...new Set(rollbackOn)], containerInsights } };
}

/** An alarm's default window and threshold, the reason for them, and why it is off when it is. */
interface AlarmDefault {
    on: boolean;
    evaluation: number;
    datapoints: number;
    threshold: number;
    basis: string;
    offReason?: string;
}

/** The defaults of every alarm kind, derived from the contract's timings (a table, one entry per kind). */
function alarmDefaults(
    context: { contract: Pick<HealthContract, "timings" | "startup">; desiredCount: number },
    containerInsights: string,
): Record<AlarmKind, AlarmDefault> {
    const t = context.contract.timings;
    return {
        unhealthyHosts: (() => {
            const w = unhealthyTargetWindowSeconds(context.contract);
            const n = periodsTouchedBy(w);
            return {
                on: true,
                evaluation: n,
                datapoints: n,
                threshold: 0,
                basis: `a flapping or slow-starting target is unhealthy for at most ${w} s (ALB probe every ${t.alb.interval} s, unhealthy ${t.alb.unhealthyThreshold}, healthy ${t.alb.healthyThreshold}, worst-case start-up ${context.contract.startup.worstCaseSeconds} s), which touches at most ${n} one-minute periods`,
            };
        })(),
        targetErrorRate: {
            on: true,
            evaluation: 5,
            datapoints: 3,
            threshold: 5,
            basis: "5XX answers in 3 of 5 minutes above the threshold, minutes with few requests ignored",
        },
        latencyP90: { on: true, evaluation: 5, datapoints: 3, threshold: 1, basis: "p90 above the threshold in 3 of 5 minutes" },
        latencyP99: {
            on: true,
            evaluation: 5,
            datapoints: 3,
            threshold: t.deregistrationDelay,
            basis: `p99 above the drain budget (${t.deregistrationDelay} s, drain.longestRequestSeconds) in 3 of 5 minutes: beyond it, deployments cut requests off`,
        },
        runningTasks: (() => {
            const w = taskReplacementWindowSeconds(context.contract);
            const n = periodsTouchedBy(w);
            const offReason =
                containerInsights === "disabled"
                    ? "Container Insights is disabled on the cluster (`alarms.containerInsights`)"
                    : context.desiredCount === 0
                      ? "`desiredCount` is 0"
                      : undefined;
            return {
                on: offReason === undefined,
                offReason,
                evaluation: n,
                datapoints: n,
                threshold: 0,
                basis: `replacing a task takes up to ${w} s (provisioning ${TASK_PROVISIONING_SECONDS} s + deregistration ${t.deregistrationDelay} s + stopTimeout ${t.stopTimeout} s), which touches at most ${n} one-minute periods`,
            };
        })(),
        containerHealth: (() => {
            const w = unhealthyContainerWindowSeconds(context.contract);
            const n = periodsTouchedBy(w);
            const offReason =
                containerInsights !== "enhanced"
                    ? 'its metric (UnHealthyContainerHealthStatus) exists only with Container Insights with enhanced observability (`alarms.containerInsights: "enhanced"`)'
                    : undefined;
            return {
                on: offReason === undefined,
                offReason,
                evaluation: n,
                datapoints: n,
                threshold: 0,
                basis: `a container is UNHEALTHY for up to ${w} s while its task is replaced (probe every ${t.container.interval} s + deregistration ${t.deregistrationDelay} s + stopTimeout ${t.stopTimeout} s), which touches at most ${n} one-minute periods`,
            };
        })(),
    };
}

/** One alarm from its `alarms.<kind>` setting over its defaults; undefined when off or invalid (problems added). */
function resolveAlarm(kind: AlarmKind, setting: AlarmsArgs[AlarmKind], d: AlarmDefault, problems: string[]): ResolvedAlarm | undefined {
    if (setting === false) return undefined;
    if (setting !== undefined && (setting === null || typeof setting !== "object" || Array.isArray(setting))) {
        problems.push(`\`alarms.${kind}\` must be an object or \`false\`, got ${JSON.stringify(setting)}.`);
        return undefined;
    }
    if (!d.on) {
        if (setting !== undefined) problems.push(`\`alarms.${kind}\` cannot be created: ${d.offReason}. Remove it or set it to \`false\`.`);
        return undefined;
    }
    const s = (setting ?? {}) as AlarmWindowArgs & ErrorRateAlarmArgs & LatencyAlarmArgs;
    const allowed = new Set([
        "evaluationMinutes",
        "datapointsToAlarm",
        ...(kind === "targetErrorRate" ? ["thresholdPercent", "minimumRequests"] : []),
        ...(kind.startsWith("latency") ? ["thresholdSeconds"] : []),
    ]);
    problems.push(...unknownKeyProblems(`alarms.${kind}`, s, [...allowed]));
    const evaluation = s.evaluationMinutes ?? d.evaluation;
    if (!Number.isInteger(evaluation) || evaluation < 1 || evaluation > 1440) {
        problems.push(
            `\`alarms.${kind}.evaluationMinutes\` must be a whole number of minutes 1–1440 (CloudWatch evaluates at most one day), got ${JSON.stringify(evaluation)}.`,
        );
    }
    // An explicit window without explicit datapoints means "all of them", like CloudWatch's own default.
    const datapoints = s.datapointsToAlarm ?? (s.evaluationMinutes !== undefined ? s.evaluationMinutes : d.datapoints);
    if (!Number.isInteger(datapoints) || datapoints < 1 || (Number.isInteger(evaluation) && datapoints > evaluation)) {
        problems.push(
            `\`alarms.${kind}.datapointsToAlarm\` must be a whole number from 1 to \`evaluationMinutes\` (${evaluation}), got ${JSON.stringify(datapoints)}.`,
        );
    }
    let threshold = d.threshold;
    let minimumRequests: number | undefined;
    if (kind === "targetErrorRate") {
        threshold = s.thresholdPercent ?? d.threshold;
        if (typeof threshold !== "number" || !(threshold > 0 && threshold <= 100))
            problems.push(
                `\`alarms.targetErrorRate.thresholdPercent\` must be a percentage above 0 and at most 100, got ${JSON.stringify(threshold)}.`,
            );
        minimumRequests = s.minimumRequests ?? 10;
        if (!Number.isInteger(minimumRequests) || minimumRequests < 0)
            problems.push(`\`alarms.targetErrorRate.minimumRequests\` must be a whole number ≥ 0, got ${JSON.stringify(minimumRequests)}.`);
    } else if (kind === "latencyP90" || kind === "latencyP99") {
        threshold = s.thresholdSeconds ?? d.threshold;
        if (typeof threshold !== "number" || !Number.isFinite(threshold) || threshold <= 0)
            problems.push(`\`alarms.${kind}.thresholdSeconds\` must be a number of seconds above 0, got ${JSON.stringify(threshold)}.`);
    }
    const tuned = setting !== undefined && Object.keys(s).length > 0;
    return {
        kind,
        evaluationPeriods: evaluation,
        datapointsToAlarm: datapoints,
        threshold,
        ...(minimumRequests !== undefined ? { minimumRequests } : {}),
        basis: tuned ? "tuned in `alarms`" : d.basis,
    };
}

/** `alarms.rollbackOn` names alarms that exist and are on. */
function rollbackOnProblems(rollbackOn: unknown, alarms: readonly ResolvedAlarm[]): string[] {
    const problems: string[] = [];
    if (!Array.isArray(rollbackOn)) {
        problems.push(
            `\`alarms.rollbackOn\` must be a list of alarm names (${ALARM_KINDS.join(", ")}), got ${JSON.stringify(rollbackOn)}.`,
        );
    } else {
        for (const kind of rollbackOn) {
            if (!(ALARM_KINDS as readonly string[]).includes(kind))
                problems.push(`\`alarms.rollbackOn\` names ${JSON.stringify(kind)}, which is not an alarm; use ${ALARM_KINDS.join(", ")}.`);
            else if (!alarms.some((x) => x.kind === kind))
                problems.push(
                    `\`alarms.rollbackOn\` names \`${kind}\`, which is off: turn the alarm on or leave it out of \`rollbackOn\`.`,
                );
        }
    }
    return problems;
}

/** Dimension values of one service (strings in tests, Outputs in the component). */
export interface AlarmDimensions<T> {
    /** ARN suffixes of the service's target groups: one (rolling) or two (blue/green: production traffic moves between them). */
    targetGroups: T[];
    loadBalancer: T;
    cluster: T;
    service: T;
    container: string;
}

export interface MetricQuery<T> {
    id: string;
    expression?: string;
    label?: string;
    returnData?: boolean;
    metric?: { namespace: string; metricName: string; dimensions: Record<string, T>; period: number; stat: string };
}

/** A MetricAlarm's arguments without actions and tags (plain data plus dimension values). */
export interface AlarmDefinition<T> {
    kind: AlarmKind;
    /** Suffix of the resource name: `<service>-<suffix>`. */
    suffix: string;
    alarmDescription: string;
    comparisonOperator: string;
    threshold: number;
    evaluationPeriods: number;
    datapointsToAlarm: number;
    treatMissingData: "notBreaching" | "breaching" | "missing";
    namespace?: string;
    metricName?: string;
    dimensions?: Record<string, T>;
    period?: number;
    statistic?: string;
    extendedStatistic?: string;
    metricQueries?: MetricQuery<T>[];
}

const SUFFIX: Record<AlarmKind, string> = {
    unhealthyHosts: "unhealthy-hosts",
    targetErrorRate: "5xx-rate",
    latencyP90: "latency-p90",
    latencyP99: "latency-p99",
    runningTasks: "running-tasks",
    containerHealth: "container-health",
};

/** Where one service's alarms look: its target groups on the ALB and its ECS service, with the queries over them. */
interface ServiceMetrics<T> {
    /** The ALB dimensions of each target group: one (rolling) or two (blue/green). */
    alb: { TargetGroup: T; LoadBalancer: T }[];
    ecs: { ClusterName: T; ServiceName: T };
    container: string;
    /** One hidden query of `metricName` per target group, with ids `<prefix><i>`. */
    albQueries(prefix: string, metricName: string, stat: string): MetricQuery<T>[];
    /** The metric-math sum of the `<prefix><i>` queries, missing data counted as 0. */
    sum(prefix: string): string;
}

function serviceMetrics<T>(d: AlarmDimensions<T>): ServiceMetrics<T> {
    const alb = d.targetGroups.map((tg) => ({ TargetGroup: tg, LoadBalancer: d.loadBalancer }));
    return {
        alb,
        ecs: { ClusterName: d.cluster, ServiceName: d.service },
        container: d.container,
        albQueries: (prefix, metricName, stat) =>
            alb.map((dimensions, i) => ({
                id: `${prefix}${i}`,
                returnData: false,
                metric: { namespace: "AWS/ApplicationELB", metricName, dimensions, period: PERIOD_SECONDS, stat },
            })),
        sum: (prefix) => alb.map((_, i) => `FILL(${prefix}${i}, 0)`).join(" + "),
    };
}

/** What every alarm definition of one kind starts from: the resolved alarm, its shared fields and how to describe it. */
interface AlarmBasis {
    r: ResolvedAlarm;
    common: Pick<
        AlarmDefinition<unknown>,
        "kind" | "suffix" | "evaluationPeriods" | "datapointsToAlarm" | "threshold" | "comparisonOperator"
    >;
    /** The alarm's description: what fires it, its evaluation, whether it rolls back, where to tune it. */
    describe(what: string): string;
}

/** Unhealthy ALB targets: the one target group's metric, or the sum over both. */
function unhealthyHostsAlarm<T>({ common, describe }: AlarmBasis, m: ServiceMetrics<T>): AlarmDefinition<T> {
    const alarmDescription = describe("the ALB reports unhealthy targets");
    return m.alb.length === 1
        ? {
              ...common,
              alarmDescription,
              namespace: "AWS/ApplicationELB",
              metricName: "UnHealthyHostCount",
              dimensions: m.alb[0],
              period: PERIOD_SECONDS,
              statistic: "Maximum",
              treatMissingData: "notBreaching",
          }
        : {
              ...common,
              alarmDescription,
              treatMissingData: "notBreaching",
              metricQueries: [
                  ...m.albQueries("unhealthy", "UnHealthyHostCount", "Maximum"),
                  { id: "total", returnData: true, label: "Unhealthy targets (both target groups)", expression: m.sum("unhealthy") },
              ],
          };
}

/** The targets' 5XX share of requests, once there are enough requests to judge. */
function targetErrorRateAlarm<T>({ r, common, describe }: AlarmBasis, m: ServiceMetrics<T>): AlarmDefinition<T> {
    return {
        ...common,
        alarmDescription: describe(`more than ${r.threshold} % of requests answered 5XX by the targets`),
        treatMissingData: "notBreaching",
        metricQueries: [
            ...m.albQueries("errors", "HTTPCode_Target_5XX_Count", "Sum"),
            ...m.albQueries("requests", "RequestCount", "Sum"),
            {
                id: "rate",
                returnData: true,
                label: "Target 5XX rate (%)",
                expression: `IF((${m.sum("requests")}) >= ${r.minimumRequests}, 100 * (${m.sum("errors")}) / (${m.sum("requests")}), 0)`,
            },
        ],
    };
}

/** A target response time percentile: the one target group's, or the slower of both (the idle one has no data). */
function latencyAlarm<T>({ r, common, describe }: AlarmBasis, m: ServiceMetrics<T>, percentile: "p90" | "p99"): AlarmDefinition<T> {
    const alarmDescription = describe(`${percentile} target response time above ${r.threshold} s`);
    return m.alb.length === 1
        ? {
              ...common,
              alarmDescription,
              namespace: "AWS/ApplicationELB",
              metricName: "TargetResponseTime",
              dimensions: m.alb[0],
              period: PERIOD_SECONDS,
              extendedStatistic: percentile,
              treatMissingData: "notBreaching",
          }
        : {
              ...common,
              alarmDescription,
              treatMissingData: "notBreaching",
              metricQueries: [
                  ...m.albQueries("latency", "TargetResponseTime", percentile),
                  {
                      id: "worst",
                      returnData: true,
                      label: `${percentile} response time (slower target group)`,
                      expression: `MAX([${m.alb.map((_, i) => `latency${i}`).join(", ")}])`,
                  },
              ],
          };
}

/** Fewer RUNNING tasks than desired (Container Insights). */
function runningTasksAlarm<T>({ common, describe }: AlarmBasis, m: ServiceMetrics<T>): AlarmDefinition<T> {
    const ecsMetric = (id: string, metricName: string, stat: string): MetricQuery<T> => ({
        id,
        returnData: false,
        metric: { namespace: "ECS/ContainerInsights", metricName, dimensions: m.ecs, period: PERIOD_SECONDS, stat },
    });
    return {
        ...common,
        alarmDescription: describe("fewer RUNNING tasks than desired"),
        // No data at all means no task reports: the outage itself.
        treatMissingData: "breaching",
        metricQueries: [
            ecsMetric("desired", "DesiredTaskCount", "Maximum"),
            ecsMetric("running", "RunningTaskCount", "Minimum"),
            { id: "missing", returnData: true, label: "Tasks missing (desired − running)", expression: "desired - FILL(running, 0)" },
        ],
    };
}

/** The container's health check reports UNHEALTHY (Container Insights with enhanced observability). */
function containerHealthAlarm<T>({ common, describe }: AlarmBasis, m: ServiceMetrics<T>): AlarmDefinition<T> {
    return {
        ...common,
        alarmDescription: describe(`container ${m.container}'s health check reports UNHEALTHY`),
        namespace: "ECS/ContainerInsights",
        metricName: "UnHealthyContainerHealthStatus",
        dimensions: { ...m.ecs, ContainerName: m.container as unknown as T },
        period: PERIOD_SECONDS,
        statistic: "Maximum",
        treatMissingData: "notBreaching",
    };
}

/**
 * The definition of each resolved alarm, for service `serviceLabel`. With one target group the
 * ALB alarms watch its metric directly; with two (blue/green, where production traffic moves to
 * the other group at every deployment) they watch both through metric math: counts are summed,
 * latency percentiles take the larger of the two (the idle group has no data).
 */
export function alarmDefinitions<T>(serviceLabel: string, resolved: ResolvedAlarms, d: AlarmDimensions<T>): AlarmDefinition<T>[] {
    const m = serviceMetrics(d);
    return resolved.alarms.map((r): AlarmDefinition<T> => {
        const rollback = resolved.rollbackOn.includes(r.kind) ? " Rolls deployments back (deployment alarm)." : "";
        const basis: AlarmBasis = {
            r,
            common: {
                kind: r.kind,
                suffix: SUFFIX[r.kind],
                evaluationPeriods: r.evaluationPeriods,
                datapointsToAlarm: r.datapointsToAlarm,
                threshold: r.threshold,
                comparisonOperator: "GreaterThanThreshold",
            },
            describe: (what) =>
                `${serviceLabel}: ${what} (${r.datapointsToAlarm} of ${r.evaluationPeriods} minutes; ${r.basis}).${rollback} Tune or silence: \`alarms.${r.kind}\` of HealthyFargateService ${serviceLabel}.`,
        };
        switch (r.kind) {
            case "unhealthyHosts":
                return unhealthyHostsAlarm(basis, m);
            case "targetErrorRate":
                return targetErrorRateAlarm(basis, m);
            case "latencyP90":
                return latencyAlarm(basis, m, "p90");
            case "latencyP99":
                return latencyAlarm(basis, m, "p99");
            case "runningTasks":
                return runningTasksAlarm(basis, m);
            case "containerHealth":
                return containerHealthAlarm(basis, m);
        }
    });
}

/**
 * The load balancer's ARN suffix (`app/<name>/<id>`, the `LoadBalancer` dimension) from an ALB
 * listener ARN (`arn:…:listener/app/<name>/<id>/<listener-id>`); `undefined` when it is not one.
 */
export function loadBalancerArnSuffixFromListenerArn(listenerArn: string): string | undefined {
    const m = /^arn:[a-z-]+:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/(app\/[^/]+\/[0-9a-f]+)\/[0-9a-f]+$/.exec(listenerArn);
    return m ? m[1] : undefined;
}

/** The cluster name (the `ClusterName` dimension) from a cluster ARN or name. */
export function clusterNameOf(cluster: string): string {
    const m = /^arn:[a-z-]+:ecs:[a-z0-9-]+:\d{12}:cluster\/(.+)$/.exec(cluster);
    return m ? m[1] : cluster;
}
