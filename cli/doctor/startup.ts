/**
 * `startup`, the pure part: measured start-up phases of a service's recent tasks, set beside
 * the declared start-up budget and the contract the domain model derives from it, the live
 * settings' verdict on the slowest start, and a recommended budget with the contract and
 * deployment timeline it would give. Every timing rule is the domain's
 * (`buildHealthContract`, `simulateTaskStart`, `recommendStartupBudget`): the same functions the
 * components derive their settings with.
 *
 * Where each phase comes from (DescribeTasks timestamps, service events, the app's log lines):
 * - provisioning: `createdAt` → `startedAt` (ENI, image pull, container start), of which image
 *   pull `pullStartedAt` → `pullStoppedAt`;
 * - app start → first log line: `startedAt` → the stream's first line;
 * - app start → first healthy probe: `startedAt` → the first log line of a successful probe
 *   request (the probe path with a 2xx/3xx status, or `--probe-pattern`). This is the start-up
 *   `S` of the budget, measured to within one probe interval;
 * - created → ALB healthy: `createdAt` → the first such line from `ELB-HealthChecker` (a new
 *   target is healthy after one passing check), comparable to the contract's "new task healthy";
 * - deployment → steady state: a COMPLETED deployment's `createdAt` → its "deployment completed"
 *   event (or the first "has reached a steady state" after it).
 */
import type { Service, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import {
    ALB_HEALTH_CHECK,
    CONTAINER_HEALTH_CHECK,
    DEFAULT_RECOMMENDATION_RULE,
    PROBE_TOOLS,
    TASK_PROVISIONING_SECONDS,
    analyzeProbeCommand,
    buildHealthContract,
    probePathAndPort,
    recommendStartupBudget,
    simulateTaskStart,
    startupBudgetFromTags,
    summarizeSamples,
    type AlbProbeTimings,
    type ContainerProbeTimings,
    type HealthContract,
    type ProbeTool,
    type RecommendationRule,
    type SampleStats,
} from "@healthy-fargate/domain";
import { taskDefinitionLabel } from "./rollout";
import type { StartupData, TaskLog } from "./startup-read";

/** What the caller knows beyond AWS. */
export interface StartupOptions {
    /** The declared budget (`--expected`/`--worst`); else the service's tags. */
    readonly declared?: { expectedSeconds: number; worstCaseSeconds: number };
    /** Matches the log line of a successful probe request. @default - the probe path with a 2xx/3xx status */
    readonly probePattern?: RegExp;
    readonly rule?: RecommendationRule;
}

export type PhaseId = "provisioning" | "image-pull" | "first-log-line" | "first-healthy-probe" | "alb-healthy" | "steady-state";

export interface Phase {
    readonly id: PhaseId;
    readonly label: string;
    /** Seconds; absent when no task had both timestamps. */
    readonly stats?: SampleStats;
    /** What the model (or the declared contract) expects for it. */
    readonly model?: string;
}

/** Something measured contradicts the budget or the live settings: exit 1. */
export interface StartupFinding {
    readonly id: "slower-than-worst-case" | "live-settings-kill-slowest-start";
    readonly message: string;
    readonly fix: string;
}

/** The live probe settings the slowest start is judged against. */
export interface LiveSettings {
    readonly gracePeriodSeconds: number;
    readonly containerProbe?: ContainerProbeTimings;
    readonly albProbe?: AlbProbeTimings;
}

/** The `startup` result; `--format json` prints it as-is. */
export interface StartupReport {
    readonly service: string;
    readonly cluster: string;
    readonly region?: string;
    readonly checkedAt: string;
    readonly tasks: { measured: number; running: number; stopped: number; taskDefinitions: string[] };
    readonly declared?: { expectedSeconds: number; worstCaseSeconds: number; source: "flags" | "tags" };
    /** How probe requests were found: `pattern` (the default is built from `path`), and for how many tasks. */
    readonly probe: { path: string; pattern: string; custom: boolean; tasksWithProbe: number; tasksWithLogs: number };
    readonly phases: Phase[];
    readonly live: LiveSettings;
    readonly findings: StartupFinding[];
    /** Plain statements (p50 against expected, provisioning against the model, the live settings' outcome). */
    readonly verdicts: string[];
    readonly recommendation:
        | { ok: true; expectedSeconds: number; worstCaseSeconds: number; how: string; contract: HealthContract }
        | { ok: false; reason: string };
    readonly declaredContract?: HealthContract;
    readonly notes: string[];
}

const seconds = (from: Date | number | undefined | null, to: Date | number | undefined | null): number | undefined => {
    if (from === undefined || from === null || to === undefined || to === null) return undefined;
    const ms = (typeof to === "number" ? to : to.getTime()) - (typeof from === "number" ? from : from.getTime());
    return ms >= 0 ? Math.round(ms / 100) / 10 : undefined;
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The path the probes request: the target group's, else the container probe's, else `/`. */
export function probePath(data: StartupData): string {
    const td = Object.values(data.taskDefinitions)[0];
    const command = td?.containerDefinitions?.find((d) => d.name === data.container)?.healthCheck?.command;
    return data.targetGroup?.HealthCheckPath ?? probePathAndPort(command)?.path ?? "/";
}

/**
 * Default probe-line pattern: the probe path (not a longer path that starts with it) and a
 * 2xx/3xx status on the same line — `GET /health/live 200 2ms`, `{"path":"/health/live","status":204}`.
 */
export function defaultProbePattern(path: string): RegExp {
    const p = `${escapeRegExp(path)}(?![\\w/.-])`;
    return new RegExp(`${p}.*\\b[23]\\d\\d\\b|\\b[23]\\d\\d\\b.*${p}`);
}

interface TaskTimes {
    readonly firstLogAt?: number;
    readonly firstProbeAt?: number;
    readonly firstAlbProbeAt?: number;
}

function timesOf(log: TaskLog | undefined, pattern: RegExp): TaskTimes {
    if (!log) return {};
    const lines = [...log.lines].sort((a, b) => a.at - b.at);
    const probes = lines.filter((l) => pattern.test(l.message));
    return {
        firstLogAt: lines[0]?.at,
        firstProbeAt: probes[0]?.at,
        firstAlbProbeAt: probes.find((l) => /ELB-HealthChecker/.test(l.message))?.at,
    };
}

/** Deployment → steady state, for the service's COMPLETED deployments, from its events. */
function steadyStateSamples(service: Service): number[] {
    const events = [...(service.events ?? [])].filter((e) => e.createdAt).sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
    return (service.deployments ?? [])
        .filter((d) => d.rolloutState === "COMPLETED" && d.createdAt)
        .flatMap((d) => {
            const after = events.filter((e) => e.createdAt! >= d.createdAt!);
            const done =
                after.find((e) => e.message?.includes(`(deployment ${d.id}) deployment completed`)) ??
                after.find((e) => /has reached a steady state/.test(e.message ?? ""));
            const s = seconds(d.createdAt, done?.createdAt);
            return s === undefined ? [] : [s];
        });
}

/** The probe settings the service runs with now (AWS defaults where a field is unset). */
export function liveSettings(data: StartupData): LiveSettings {
    const td = Object.values(data.taskDefinitions)[0];
    const hc = td?.containerDefinitions?.find((d) => d.name === data.container)?.healthCheck;
    const c = CONTAINER_HEALTH_CHECK;
    const a = ALB_HEALTH_CHECK;
    const tg = data.targetGroup;
    return {
        gracePeriodSeconds: data.service.healthCheckGracePeriodSeconds ?? 0,
        ...(hc
            ? {
                  containerProbe: {
                      interval: hc.interval ?? c.interval.awsDefault,
                      timeout: hc.timeout ?? c.timeout.awsDefault,
                      retries: hc.retries ?? c.retries.awsDefault,
                      startPeriod: hc.startPeriod ?? c.startPeriod.awsDefault,
                  },
              }
            : {}),
        ...(tg
            ? {
                  albProbe: {
                      interval: tg.HealthCheckIntervalSeconds ?? a.interval.awsDefault,
                      timeout: tg.HealthCheckTimeoutSeconds ?? a.timeout.awsDefault,
                      healthyThreshold: tg.HealthyThresholdCount ?? a.healthyThreshold.awsDefault,
                      unhealthyThreshold: tg.UnhealthyThresholdCount ?? a.unhealthyThreshold.awsDefault,
                  },
              }
            : {}),
    };
}

/** The contract `buildHealthContract` derives for this live service with `startup` as its budget. */
export function contractFor(data: StartupData, startup: { expectedSeconds: number; worstCaseSeconds: number }): HealthContract {
    const s = data.service;
    const td: TaskDefinition | undefined = Object.values(data.taskDefinitions)[0];
    const def = td?.containerDefinitions?.find((d) => d.name === data.container);
    const isProbeTool = (t: string): t is ProbeTool => (PROBE_TOOLS as readonly string[]).includes(t);
    const tool = analyzeProbeCommand(def?.healthCheck?.command).tools.find(isProbeTool) ?? "curl";
    const stopTimeout = def?.stopTimeout;
    return buildHealthContract({
        containerName: data.container ?? "app",
        port: s.loadBalancers?.find((lb) => lb.containerPort)?.containerPort ?? def?.portMappings?.[0]?.containerPort ?? 80,
        tool,
        livenessPath: probePath(data),
        readinessPath: "-",
        matcher: data.targetGroup?.Matcher?.HttpCode ?? "200",
        startup,
        drain: {
            ...(data.deregistrationDelaySeconds !== undefined ? { longestRequestSeconds: data.deregistrationDelaySeconds } : {}),
            ...(stopTimeout !== undefined && stopTimeout !== null ? { shutdownSeconds: Math.max(0, stopTimeout - 5) } : {}),
        },
        desiredCount: s.desiredCount ?? 1,
        minimumHealthyPercent: s.deploymentConfiguration?.minimumHealthyPercent ?? 100,
        maximumPercent: s.deploymentConfiguration?.maximumPercent ?? 200,
        strategy: s.deploymentConfiguration?.strategy === "BLUE_GREEN" ? "blue-green" : "rolling",
        bakeTimeMinutes: Number(s.deploymentConfiguration?.bakeTimeInMinutes ?? 0) || 0,
    });
}

function phasesOf(tasks: Task[], times: Map<string, TaskTimes>, service: Service, declared?: HealthContract): Phase[] {
    const sample = (f: (t: Task, x: TaskTimes) => number | undefined) =>
        summarizeSamples(tasks.map((t) => f(t, times.get(t.taskArn ?? "") ?? {})).filter((v): v is number => v !== undefined));
    const phase = (id: PhaseId, label: string, stats: SampleStats | undefined, model?: string): Phase => ({
        id,
        label,
        ...(stats ? { stats } : {}),
        ...(model ? { model } : {}),
    });
    const fmt = (v: number) => `${Math.round(v)} s`;
    return [
        phase(
            "provisioning",
            "provisioning (created → RUNNING)",
            sample((t) => seconds(t.createdAt, t.startedAt)),
            `${TASK_PROVISIONING_SECONDS} s (timing model)`,
        ),
        phase(
            "image-pull",
            "  of which image pull",
            sample((t) => seconds(t.pullStartedAt, t.pullStoppedAt)),
        ),
        phase(
            "first-log-line",
            "app start → first log line",
            sample((t, x) => seconds(t.startedAt, x.firstLogAt)),
        ),
        phase(
            "first-healthy-probe",
            "app start → first healthy probe",
            sample((t, x) => seconds(t.startedAt, x.firstProbeAt)),
            declared ? `expected ${fmt(declared.startup.expectedSeconds)}, worst ${fmt(declared.startup.worstCaseSeconds)}` : undefined,
        ),
        phase(
            "alb-healthy",
            "created → ALB healthy",
            sample((t, x) => seconds(t.createdAt, x.firstAlbProbeAt)),
            declared
                ? `${fmt(declared.timeline.newTaskHealthySeconds)}, worst ${fmt(declared.timeline.newTaskHealthyWorstSeconds)} (contract)`
                : undefined,
        ),
        phase(
            "steady-state",
            "deployment → steady state",
            summarizeSamples(steadyStateSamples(service)),
            declared ? `${fmt(declared.timeline.rollingDeploymentSeconds)} (contract)` : undefined,
        ),
    ];
}

/** Findings (exit 1) and plain verdicts about the slowest start. */
function judge(
    probe: SampleStats | undefined,
    provisioning: SampleStats | undefined,
    live: LiveSettings,
    declared: StartupReport["declared"],
) {
    const findings: StartupFinding[] = [];
    const verdicts: string[] = [];
    if (!probe) return { findings, verdicts: ["no successful probe request was found in the logs, so start-up itself was not measured"] };
    if (declared && probe.max > declared.worstCaseSeconds) {
        findings.push({
            id: "slower-than-worst-case",
            message:
                `the slowest measured start-up (${probe.max} s) exceeds the declared worst case (${declared.worstCaseSeconds} s): ` +
                "every timing derived from the budget is too short for it",
            fix: "raise `startup.worstCaseSeconds` (see the recommendation) or make the app answer its liveness probe sooner",
        });
    }
    if (declared) {
        const where = probe.p50 > declared.expectedSeconds ? "above" : "within";
        verdicts.push(`p50 start-up ${probe.p50} s is ${where} the declared expected ${declared.expectedSeconds} s`);
    }
    if (provisioning) verdicts.push(`provisioning p95 ${provisioning.p95} s against the timing model's ${TASK_PROVISIONING_SECONDS} s`);
    const outcome = simulateTaskStart({
        startupSeconds: probe.max,
        alb: live.albProbe,
        containerProbe: live.containerProbe,
        healthCheckGracePeriodSeconds: live.gracePeriodSeconds,
    });
    if (outcome.killed) {
        findings.push({
            id: "live-settings-kill-slowest-start",
            message:
                `with the live settings (grace period ${live.gracePeriodSeconds} s) a task that answers after ${probe.max} s ` +
                `— the slowest measured — is killed by the ${outcome.killed.by === "elb" ? "ALB" : "container"} health check ` +
                `at ${outcome.killed.at} s`,
            fix: "derive the probe settings and grace period from a budget that covers it (HealthyFargateService does, from `startup`)",
        });
    } else {
        verdicts.push(
            `the live settings let the slowest measured start (${probe.max} s) survive ` + `(grace period ${live.gracePeriodSeconds} s)`,
        );
    }
    return { findings, verdicts };
}

/** Builds the report from what `readStartup` read. Pure. */
export function analyzeStartup(data: StartupData, options: StartupOptions = {}): StartupReport {
    const path = probePath(data);
    const pattern = options.probePattern ?? defaultProbePattern(path);
    const logs = new Map(data.logs.map((l) => [l.taskArn, l]));
    const times = new Map(data.tasks.map((t) => [t.taskArn ?? "", timesOf(logs.get(t.taskArn ?? ""), pattern)]));
    const fromTags = startupBudgetFromTags(data.service.tags);
    const declared = options.declared
        ? { ...options.declared, source: "flags" as const }
        : fromTags
          ? { ...fromTags, source: "tags" as const }
          : undefined;
    const declaredContract = declared ? contractFor(data, declared) : undefined;
    const phases = phasesOf(data.tasks, times, data.service, declaredContract);
    const statsOf = (id: PhaseId) => phases.find((p) => p.id === id)?.stats;
    const live = liveSettings(data);
    const { findings, verdicts } = judge(statsOf("first-healthy-probe"), statsOf("provisioning"), live, declared);
    const probeSamples = data.tasks
        .map((t) => seconds(t.startedAt, times.get(t.taskArn ?? "")?.firstProbeAt))
        .filter((v): v is number => v !== undefined);
    const r = recommendStartupBudget(probeSamples, { ...DEFAULT_RECOMMENDATION_RULE, ...options.rule });
    return {
        service: data.service.serviceName ?? "?",
        cluster: data.cluster,
        ...(data.region ? { region: data.region } : {}),
        checkedAt: data.collectedAt.toISOString(),
        tasks: {
            measured: data.tasks.length,
            running: data.tasks.filter((t) => t.lastStatus === "RUNNING").length,
            stopped: data.tasks.filter((t) => t.lastStatus === "STOPPED").length,
            taskDefinitions: [...new Set(data.tasks.map((t) => taskDefinitionLabel(t.taskDefinitionArn)))],
        },
        ...(declared ? { declared } : {}),
        probe: {
            path,
            pattern: String(pattern),
            custom: options.probePattern !== undefined,
            tasksWithProbe: probeSamples.length,
            tasksWithLogs: data.logs.length,
        },
        phases,
        live,
        findings,
        verdicts,
        recommendation: r.ok
            ? {
                  ok: true,
                  expectedSeconds: r.expectedSeconds,
                  worstCaseSeconds: r.worstCaseSeconds,
                  how: r.how,
                  contract: contractFor(data, r),
              }
            : { ok: false, reason: r.reason },
        ...(declaredContract ? { declaredContract } : {}),
        notes: [...data.notes],
    };
}
