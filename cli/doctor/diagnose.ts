/**
 * Pure diagnosis: a `Snapshot` in, a `Diagnosis` out. No I/O, no clock (the snapshot carries
 * its own time), so every rule is tested with plain fixtures.
 *
 * How it reads the snapshot:
 * - each stopped task is one failure with one cause: the most specific catalogue match among
 *   its stop reason and its containers' reasons (an OOM-killed container beats the generic
 *   "Essential container in task exited"); the probe command and the app's last log lines
 *   then refine that cause's fix, never create one;
 * - events, FAILED/stalled deployments, rollback records and unhealthy targets add causes of
 *   their own;
 * - anything that looks like a failure but matches nothing is kept verbatim.
 */
import type { Container, Deployment, HealthCheck, ServiceEvent, Task } from "@aws-sdk/client-ecs";
// The domain's own modules (not its index): the doctor needs only these two, and loads fast.
import { CONTAINER_HEALTH_CHECK, analyzeProbeCommand } from "@healthy-fargate/domain";
import { CAUSES, classify, FAILURE_WORDS, isRoutineStop, type CatalogueEntry } from "./catalogue";
import {
    deploymentControllerOf,
    describeUntrackedDeployments,
    hasEcsDeployments,
    isRollbackDeployment,
    isSettledWithoutDeployments,
    summarizeDeployment,
    summarizeTaskSet,
    taskDefinitionLabel,
} from "./rollout";
import {
    CAUSE_CODES,
    type Cause,
    type CauseCode,
    type Diagnosis,
    type Evidence,
    type ObservationKind,
    type ServiceDeploymentSummary,
    type ServiceStatus,
    type Snapshot,
} from "./types";

/** Tuning of `diagnose`. */
export interface DiagnoseOptions {
    /**
     * A deployment still IN_PROGRESS after this long is reported as `deployment-stuck`.
     * @default 30 minutes
     */
    readonly stuckAfterMs?: number;
    /** Most tasks listed as evidence per cause (the message still counts all). @default 5 */
    readonly maxTasksPerCause?: number;
}

const DEFAULT_STUCK_AFTER_MS = 30 * 60_000;
/** Rank of a cause found without a catalogue entry: loses to any entry's fix. */
const NO_ENTRY = Number.MAX_SAFE_INTEGER;
const LOG_LINES_PER_CONTAINER = 10;

/** Accumulates evidence per cause code and remembers the most specific entry seen. */
class CauseBook {
    private readonly byCode = new Map<CauseCode, { rank: number; entry?: CatalogueEntry; evidence: Evidence[]; tasks: Task[] }>();

    constructor(private readonly maxTasks: number) {}

    add(code: CauseCode, rank: number, entry: CatalogueEntry | undefined, evidence: Evidence[], task?: Task): void {
        let slot = this.byCode.get(code);
        if (!slot) this.byCode.set(code, (slot = { rank: NO_ENTRY, evidence: [], tasks: [] }));
        if (rank < slot.rank) Object.assign(slot, { rank, entry });
        if (task) {
            slot.tasks.push(task);
            // Past the cap the task is still counted in the message, just not listed.
            if (slot.tasks.length > this.maxTasks) return;
        }
        for (const e of evidence) fold(slot.evidence, e);
    }

    /** A refinement only counts when it is about the same cause. */
    refine(code: CauseCode, kind: ObservationKind, text: string): boolean {
        const m = classify(kind, text);
        const slot = this.byCode.get(code);
        if (!m || m.entry.verdict !== code || !slot) return false;
        if (m.rank < slot.rank) Object.assign(slot, { rank: m.rank, entry: m.entry });
        return true;
    }

    has(code: CauseCode): boolean {
        return this.byCode.has(code);
    }

    causes(describe: (code: CauseCode, tasks: Task[], evidence: Evidence[]) => string): Cause[] {
        return CAUSE_CODES.filter((code) => this.byCode.has(code)).map((code) => {
            const slot = this.byCode.get(code)!;
            const info = CAUSES[code];
            // `null` on an entry means "no policy catches this variant", so it must not fall back.
            const policy = slot.entry?.policy === null ? undefined : (slot.entry?.policy ?? info.policy);
            return {
                code,
                message: describe(code, slot.tasks, slot.evidence),
                evidence: slot.evidence,
                fix: slot.entry?.fix ?? info.fix,
                ...(policy ? { policy } : {}),
            };
        });
    }
}

/** Folds repeated identical events (ECS repeats "is unhealthy" every few minutes). */
function fold(list: Evidence[], e: Evidence): void {
    if (e.kind === "event") {
        const i = list.findIndex((x) => x.kind === "event" && x.text === e.text);
        if (i >= 0) {
            list[i] = { ...list[i], repeated: (list[i].repeated ?? 1) + 1 };
            return;
        }
    }
    if (list.some((x) => x.kind === e.kind && x.text === e.text && x.taskArn === e.taskArn && x.container === e.container)) return;
    list.push(e);
}

/** Builds the diagnosis of one service from what `collect` read. */
export function diagnose(snap: Snapshot, options: DiagnoseOptions = {}): Diagnosis {
    const service = snap.service;
    const now = snap.collectedAt.getTime();
    const deployments = (service.deployments ?? []).filter((d) => d.status !== "INACTIVE");
    const events = service.events ?? [];
    const primary = deployments.find((d) => d.status === "PRIMARY");
    // CODE_DEPLOY / EXTERNAL controllers leave `deployments` empty: judge their task sets instead.
    const tracked = hasEcsDeployments(service);
    const settled = tracked ? isSettled(deployments, primary) : isSettledWithoutDeployments(service);
    // Failures older than a settled, non-rollback PRIMARY belong to deployments it replaced.
    const cutoff =
        settled && primary?.createdAt && !isRollbackDeployment(primary, events)
            ? Math.max(snap.since.getTime(), primary.createdAt.getTime())
            : snap.since.getTime();
    const recent = (d: Date | undefined) => d === undefined || d.getTime() >= cutoff;

    const book = new CauseBook(options.maxTasksPerCause ?? 5);
    readEvents(
        book,
        events.filter((e) => recent(e.createdAt)),
    );
    readDeployments(book, deployments, now, options.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS);
    const serviceDeployments = readServiceDeployments(book, snap, recent);
    for (const task of snap.tasks) {
        const stopped = task.lastStatus === "STOPPED" || task.desiredStatus === "STOPPED";
        if (stopped && !recent(task.stoppedAt)) continue;
        readTask(book, snap, task, stopped);
    }
    readTargets(book, snap);

    const causes = book.causes((code, tasks, evidence) => describeCause(code, tasks, evidence, deployments));
    return {
        service: service.serviceName ?? "?",
        cluster: snap.cluster,
        ...(snap.region ? { region: snap.region } : {}),
        status: statusOf(book, primary, settled, causes.length > 0),
        checkedAt: snap.collectedAt.toISOString(),
        since: new Date(cutoff).toISOString(),
        controller: deploymentControllerOf(service),
        ...(tracked ? {} : { controllerNote: describeUntrackedDeployments(service) }),
        deployments: (service.deployments ?? []).map(summarizeDeployment),
        taskSets: (service.taskSets ?? []).map(summarizeTaskSet),
        serviceDeployments,
        causes,
        notes: [...snap.notes],
    };
}

/** One deployment left, rollout finished (or not tracked), every desired task running. */
function isSettled(deployments: Deployment[], primary: Deployment | undefined): boolean {
    return (
        deployments.length === 1 &&
        primary !== undefined &&
        (primary.rolloutState === "COMPLETED" || primary.rolloutState === undefined) &&
        primary.runningCount === primary.desiredCount
    );
}

/** The headline: the worst thing that is true, in this order. */
function statusOf(book: CauseBook, primary: Deployment | undefined, settled: boolean, anyCause: boolean): ServiceStatus {
    if (primary?.rolloutState === "FAILED") return "failed";
    if (book.has("circuit-breaker-rollback")) return "rolled-back";
    if (book.has("deployment-stuck")) return "stuck";
    if (!settled) return "in-progress";
    return anyCause ? "unhealthy" : "healthy";
}

function eventEvidence(e: ServiceEvent): Evidence {
    return { kind: "event", text: e.message ?? "", ...(e.createdAt ? { at: e.createdAt.toISOString() } : {}) };
}

function readEvents(book: CauseBook, events: ServiceEvent[]): void {
    for (const e of events) {
        const text = e.message ?? "";
        const m = classify("event", text);
        if (m?.entry.verdict === "ignore") continue;
        if (m) book.add(m.entry.verdict, m.rank, m.entry, [eventEvidence(e)]);
        else if (FAILURE_WORDS.test(text)) book.add("unrecognized-failure", NO_ENTRY, undefined, [eventEvidence(e)]);
    }
}

function readDeployments(book: CauseBook, deployments: Deployment[], now: number, stuckAfterMs: number): void {
    for (const d of deployments) {
        const base = { kind: "deployment" as const, deploymentId: d.id, ...(d.updatedAt ? { at: d.updatedAt.toISOString() } : {}) };
        if (d.rolloutState === "FAILED") {
            const text = d.rolloutStateReason ?? "rolloutState FAILED";
            addClassified(book, "deployment", text, [
                { ...base, text: `${d.id} (${taskDefinitionLabel(d.taskDefinition)}) FAILED: ${text}` },
            ]);
            continue;
        }
        const age = d.createdAt ? now - d.createdAt.getTime() : 0;
        const unfinished =
            d.rolloutState === "IN_PROGRESS" || (d.rolloutState === undefined && (d.runningCount ?? 0) < (d.desiredCount ?? 0));
        if (unfinished && age > stuckAfterMs) {
            const text =
                `${d.id} (${taskDefinitionLabel(d.taskDefinition)}) has been IN_PROGRESS for ${Math.round(age / 60_000)} min: ` +
                `running ${d.runningCount ?? 0}/${d.desiredCount ?? 0}, pending ${d.pendingCount ?? 0}, failed tasks ${d.failedTasks ?? 0}`;
            addClassified(book, "deployment", text, [{ ...base, text }]);
        }
    }
}

/** Classifies `text`; unmatched failures are kept verbatim as `unrecognized-failure`. */
function addClassified(book: CauseBook, kind: ObservationKind, text: string, evidence: Evidence[]): void {
    const m = classify(kind, text);
    if (m?.entry.verdict === "ignore") return;
    if (m) book.add(m.entry.verdict, m.rank, m.entry, evidence);
    else book.add("unrecognized-failure", NO_ENTRY, undefined, evidence);
}

function readServiceDeployments(book: CauseBook, snap: Snapshot, recent: (d: Date | undefined) => boolean): ServiceDeploymentSummary[] {
    const out: ServiceDeploymentSummary[] = [];
    for (const sd of snap.serviceDeployments) {
        const cb = sd.deploymentCircuitBreaker;
        out.push({
            arn: sd.serviceDeploymentArn ?? "?",
            status: sd.status ?? "?",
            ...(sd.statusReason ? { statusReason: sd.statusReason } : {}),
            ...(sd.rollback?.reason ? { rollbackReason: sd.rollback.reason } : {}),
            ...(cb ? { circuitBreaker: { status: cb.status, failureCount: cb.failureCount, threshold: cb.threshold } } : {}),
            ...(sd.createdAt ? { createdAt: sd.createdAt.toISOString() } : {}),
            ...(sd.finishedAt ? { finishedAt: sd.finishedAt.toISOString() } : {}),
        });
        const rolledBack = sd.status?.startsWith("ROLLBACK_") || cb?.status === "TRIGGERED";
        if (!rolledBack || !recent(sd.finishedAt ?? sd.createdAt)) continue;
        const counts = cb?.failureCount !== undefined ? ` (circuit breaker: ${cb.failureCount}/${cb.threshold ?? "?"} failed tasks)` : "";
        const text = `${sd.status}: ${sd.rollback?.reason ?? sd.statusReason ?? ""}${counts}`;
        addClassified(book, "service-deployment", text, [
            { kind: "service-deployment", text, ...(sd.createdAt ? { at: sd.createdAt.toISOString() } : {}) },
        ]);
    }
    return out;
}

/** The texts a task offers, with the evidence each stands for. */
function taskObservations(task: Task, stopped: boolean): { kind: ObservationKind; text: string; evidence: Evidence }[] {
    const common = { taskArn: task.taskArn, deploymentId: task.startedBy };
    const out: { kind: ObservationKind; text: string; evidence: Evidence }[] = [];
    if (stopped) {
        const text = task.stoppedReason ?? "";
        out.push({
            kind: "task",
            text,
            evidence: {
                kind: "task",
                text: text || "(no stoppedReason)",
                ...common,
                ...(task.stoppedAt ? { at: task.stoppedAt.toISOString() } : {}),
                ...(task.stopCode ? { stopCode: task.stopCode } : {}),
            },
        });
    }
    for (const c of task.containers ?? []) {
        const ev = (text: string): Evidence => ({
            kind: "container",
            text,
            ...common,
            container: c.name,
            ...(c.exitCode !== undefined && c.exitCode !== null ? { exitCode: c.exitCode } : {}),
        });
        if (c.reason) out.push({ kind: "container", text: c.reason, evidence: ev(c.reason) });
        if (c.healthStatus === "UNHEALTHY")
            out.push({ kind: "container", text: "health status UNHEALTHY", evidence: ev("health status UNHEALTHY") });
        else if (stopped && !c.reason && c.exitCode)
            out.push({ kind: "container", text: `exited with code ${c.exitCode}`, evidence: ev(`exited with code ${c.exitCode}`) });
    }
    return out;
}

function readTask(book: CauseBook, snap: Snapshot, task: Task, stopped: boolean): void {
    if (stopped && isRoutineStop(task.stoppedReason)) return;
    const observations = taskObservations(task, stopped);
    if (!stopped && observations.length === 0) return; // a running task with nothing wrong

    let best: { entry: CatalogueEntry; rank: number } | undefined;
    for (const o of observations) {
        const m = classify(o.kind, o.text);
        if (m && m.entry.verdict !== "ignore" && (!best || m.rank < best.rank)) best = m;
    }
    const crashed = (task.containers ?? []).some((c) => (c.exitCode ?? 0) !== 0);
    const code: CauseCode = best ? (best.entry.verdict as CauseCode) : crashed ? "essential-container-exited" : "unrecognized-failure";
    book.add(
        code,
        best?.rank ?? NO_ENTRY,
        best?.entry,
        observations.map((o) => o.evidence),
        task,
    );
    refineFromTaskDefinition(book, snap, task, code);
    refineFromLogs(book, snap, task, code);
}

/** `(interval 30s, timeout 5s, retries 3, startPeriod 0s)`, AWS defaults filled in. */
function describeTimings(hc: HealthCheck): string {
    const d = CONTAINER_HEALTH_CHECK;
    return (
        `(interval ${hc.interval ?? d.interval.awsDefault}s, timeout ${hc.timeout ?? d.timeout.awsDefault}s, ` +
        `retries ${hc.retries ?? d.retries.awsDefault}, startPeriod ${hc.startPeriod ?? d.startPeriod.awsDefault}s)`
    );
}

/** Evidence text: `CMD-SHELL curl -f http://localhost:8080/health || exit 1 (interval 30s, …)`. */
export function describeHealthCheck(hc: HealthCheck): string {
    return `${(hc.command ?? []).join(" ")} ${describeTimings(hc)}`;
}

/**
 * What the catalogue's `health-check` entries are matched on: the probe as the domain's
 * `analyzeProbeCommand` reads it (the policies read it the same way), not the raw text, so a
 * `wget … /curl-check` is a wget probe and `["CMD", "sh", "-c", …]` needs a shell:
 * `CMD-SHELL curl (interval 30s, timeout 5s, retries 3, startPeriod 0s)` — `CMD-SHELL` when the
 * command needs /bin/sh, then the programs it runs by base name, then the timings.
 */
export function summarizeHealthCheck(hc: HealthCheck): string {
    const analysis = analyzeProbeCommand(hc.command);
    const form = analysis.needsShell ? "CMD-SHELL" : analysis.form;
    return [form, ...analysis.tools, describeTimings(hc)].join(" ");
}

function refineFromTaskDefinition(book: CauseBook, snap: Snapshot, task: Task, code: CauseCode): void {
    const td = task.taskDefinitionArn ? snap.taskDefinitions[task.taskDefinitionArn] : undefined;
    if (!td) return;
    const label = taskDefinitionLabel(td.taskDefinitionArn);
    if (code === "container-health-check-failed") {
        const unhealthy = new Set((task.containers ?? []).filter((c: Container) => c.healthStatus === "UNHEALTHY").map((c) => c.name));
        for (const def of td.containerDefinitions ?? []) {
            if (!def.healthCheck || (unhealthy.size > 0 && !unhealthy.has(def.name))) continue;
            book.refine(code, "health-check", summarizeHealthCheck(def.healthCheck));
            const text = describeHealthCheck(def.healthCheck);
            book.add(code, NO_ENTRY, undefined, [{ kind: "health-check", text: `${label} ${def.name}: ${text}`, container: def.name }]);
        }
    }
    if (code === "secrets-unavailable") {
        const secrets = (td.containerDefinitions ?? []).flatMap((def) =>
            (def.secrets ?? []).map((s) => `${def.name}.${s.name} ← ${s.valueFrom}`),
        );
        const text = `${label}: execution role ${td.executionRoleArn ?? "(none)"}; secrets: ${secrets.join(", ") || "(none)"}`;
        book.add(code, NO_ENTRY, undefined, [{ kind: "task-definition", text }]);
    }
}

function refineFromLogs(book: CauseBook, snap: Snapshot, task: Task, code: CauseCode): void {
    for (const log of snap.logs.filter((l) => l.taskArn === task.taskArn)) {
        const lines = log.lines.slice(-LOG_LINES_PER_CONTAINER);
        for (const line of lines) book.refine(code, "log", line);
        const evidence = lines.map((text): Evidence => ({ kind: "log", text, taskArn: task.taskArn, container: log.container }));
        book.add(code, NO_ENTRY, undefined, evidence);
    }
}

/** `arn:…:targetgroup/web-tg/6d0e…` → `web-tg`. */
function targetGroupName(arn: string): string {
    return /targetgroup\/([^/]+)/.exec(arn)?.[1] ?? arn;
}

function readTargets(book: CauseBook, snap: Snapshot): void {
    for (const group of snap.targetHealth) {
        for (const t of group.targets) {
            if (t.TargetHealth?.State !== "unhealthy") continue;
            const reason = `${t.TargetHealth.Reason ?? ""}: ${t.TargetHealth.Description ?? ""}`;
            const text = `target ${t.Target?.Id}:${t.Target?.Port} unhealthy in ${targetGroupName(group.targetGroupArn)}: ${reason}`;
            const m = classify("target", reason);
            const evidence: Evidence[] = [{ kind: "target", text }];
            if (m && m.entry.verdict !== "ignore") book.add(m.entry.verdict, m.rank, m.entry, evidence);
            else book.add("elb-health-check-failed", NO_ENTRY, undefined, evidence);
        }
    }
}

/** The cause's one-line message: its title plus what it affected. */
function describeCause(code: CauseCode, tasks: Task[], evidence: Evidence[], deployments: Deployment[]): string {
    const title = CAUSES[code].title;
    if (code === "circuit-breaker-rollback") return `${title}: ${describeRollback(evidence, deployments)}`;
    if (tasks.length > 0) {
        const groups = new Map<string, number>();
        for (const t of tasks) {
            const key = `${t.startedBy ?? "?"} (${taskDefinitionLabel(t.taskDefinitionArn)})`;
            groups.set(key, (groups.get(key) ?? 0) + 1);
        }
        const where = [...groups].map(([key, n]) => `${n} of ${key}`).join(", ");
        return `${title}: ${tasks.length} task${tasks.length === 1 ? "" : "s"} (${where})`;
    }
    const first = evidence.find((e) => e.kind !== "log" && e.kind !== "health-check");
    return first ? `${title}: ${first.text}` : title;
}

/** "deployment X (web:7) failed (…) and ECS rolled back to Y; the service now runs web:6". */
function describeRollback(evidence: Evidence[], deployments: Deployment[]): string {
    const failed = deployments.find((d) => d.rolloutState === "FAILED");
    const failedId = failed?.id ?? evidence.map((e) => /\(deployment ([^)]+)\) deployment failed/i.exec(e.text)?.[1]).find(Boolean);
    const backTo = evidence.map((e) => /rolling back to deployment (\S+?)\.?$/i.exec(e.text)?.[1]).find(Boolean);
    const primary = deployments.find((d) => d.status === "PRIMARY");
    const parts: string[] = [];
    const failedLabel = failed ? `${failed.id} (${taskDefinitionLabel(failed.taskDefinition)})` : failedId;
    parts.push(failedLabel ? `deployment ${failedLabel} failed` : "a deployment failed");
    if (failed?.failedTasks) parts.push(`after ${failed.failedTasks} failed tasks`);
    if (backTo) parts.push(`and ECS rolled back to ${backTo}`);
    else if (primary && failed && primary.id !== failed.id) parts.push(`and ECS rolled back to ${primary.id}`);
    const now = primary ? `; the service now runs ${taskDefinitionLabel(primary.taskDefinition)}` : "";
    return parts.join(" ") + now;
}
