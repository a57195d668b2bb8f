/**
 * Human-readable output: the diagnosis, the wait result and the progress line. Pure string
 * building (the writers live in `progress.ts` and `main.ts`) so the README sample and the
 * tests see exactly what a terminal sees.
 */
import { taskDefinitionLabel } from "./rollout";
import type { Cause, Diagnosis, Evidence } from "./types";
import type { Progress, WaitResult } from "./wait";

const STATUS_TEXT: Record<Diagnosis["status"], string> = {
    healthy: "HEALTHY",
    unhealthy: "UNHEALTHY",
    "in-progress": "DEPLOYMENT IN PROGRESS",
    stuck: "DEPLOYMENT STUCK",
    failed: "DEPLOYMENT FAILED",
    "rolled-back": "ROLLED BACK",
};

/** `12:04:31` of an ISO time (the date is in the header). */
function clock(iso: string | undefined): string {
    return iso ? iso.slice(11, 19) : "        ";
}

function shortTask(arn: string | undefined): string {
    return arn ? (arn.split("/").pop() ?? arn).slice(0, 8) : "?";
}

/** One evidence line: time, what it is about, the verbatim text. */
function formatEvidence(e: Evidence): string {
    const about = (() => {
        switch (e.kind) {
            case "task":
                return `task ${shortTask(e.taskArn)}${e.stopCode ? ` [${e.stopCode}]` : ""}`;
            case "container":
                return `  container ${e.container}${e.exitCode !== undefined ? ` exit ${e.exitCode}` : ""}`;
            case "log":
                return `log ${e.container}@${shortTask(e.taskArn)}`;
            case "health-check":
                return "probe";
            default:
                return e.kind;
        }
    })();
    const times = e.repeated ? ` (×${e.repeated})` : "";
    return `${clock(e.at)}  ${about}: ${e.text}${times}`;
}

function formatCause(c: Cause, n: number): string[] {
    const lines = [`${n}. ${c.code}`, `   ${c.message}`];
    lines.push(`   fix: ${c.fix}`);
    if (c.policy) lines.push(`   policy that catches it before deploy: ${c.policy}`);
    lines.push("   evidence:");
    for (const e of c.evidence) lines.push(`     ${formatEvidence(e)}`);
    return lines;
}

/** The full text report of `diagnose`. */
export function formatDiagnosis(d: Diagnosis): string {
    const lines = [
        `${d.service} (cluster ${d.cluster}${d.region ? `, ${d.region}` : ""}): ${STATUS_TEXT[d.status]}`,
        `checked ${d.checkedAt}, looking back to ${d.since}`,
        "",
    ];
    if (d.controllerNote) lines.push(`deployments: none from ECS; ${d.controllerNote}`);
    else lines.push("deployments:");
    for (const dep of d.deployments) {
        const reason = dep.rolloutStateReason ? `  "${dep.rolloutStateReason}"` : "";
        lines.push(
            `  ${dep.status.padEnd(8)} ${dep.id.padEnd(24)} ${taskDefinitionLabel(dep.taskDefinition).padEnd(16)} ` +
                `running ${dep.running}/${dep.desired}  pending ${dep.pending}  failed ${dep.failedTasks}  ${dep.rolloutState ?? "-"}${reason}`,
        );
    }
    for (const ts of d.taskSets) {
        const external = ts.externalId ? `  (${ts.externalId})` : "";
        lines.push(
            `  task set ${ts.status.padEnd(8)} ${ts.id.padEnd(24)} ${taskDefinitionLabel(ts.taskDefinition).padEnd(16)} ` +
                `running ${ts.running}/${ts.desired}  pending ${ts.pending}  ${ts.stabilityStatus ?? "-"}${external}`,
        );
    }
    for (const sd of d.serviceDeployments) {
        const cb =
            sd.circuitBreaker?.failureCount !== undefined
                ? `  circuit breaker ${sd.circuitBreaker.failureCount}/${sd.circuitBreaker.threshold ?? "?"}`
                : "";
        lines.push(
            `  service deployment ${taskDefinitionLabel(sd.arn)}: ${sd.status}${cb}${sd.rollbackReason ? `  "${sd.rollbackReason}"` : ""}`,
        );
    }
    lines.push("");
    if (d.causes.length === 0) lines.push("no failure found");
    else {
        lines.push(`${d.causes.length} cause${d.causes.length === 1 ? "" : "s"}:`);
        d.causes.forEach((c, i) => lines.push("", ...formatCause(c, i + 1)));
    }
    if (d.notes.length > 0) {
        lines.push("", "notes (reads that failed; the diagnosis was made without them):");
        for (const note of d.notes) lines.push(`  - ${note}`);
    }
    return lines.join("\n") + "\n";
}

const OUTCOME_TEXT: Record<WaitResult["outcome"], string> = {
    succeeded: "SUCCEEDED",
    failed: "FAILED",
    "rolled-back": "ROLLED BACK",
    superseded: "SUPERSEDED",
    "timed-out": "TIMED OUT",
};

/** The final text of `wait`: the verdict, then the diagnosis when there is one. */
export function formatWaitResult(r: WaitResult): string {
    const dep = r.deployment ? ` deployment ${r.deployment.id} (${taskDefinitionLabel(r.deployment.taskDefinition)})` : "";
    const lines = [`${r.service}:${dep} ${OUTCOME_TEXT[r.outcome]}: ${r.reason}`];
    for (const note of r.notes) lines.push(`  note: ${note}`);
    const head = lines.join("\n") + "\n";
    return r.diagnosis ? `${head}\n${formatDiagnosis(r.diagnosis)}` : head;
}

/** `ecs-svc/333 web:7  running 1/2  pending 1  failed 2  IN_PROGRESS  0:45`. */
export function formatProgress(p: Progress): string {
    const elapsed = `${Math.floor(p.elapsedMs / 60_000)}:${String(Math.floor(p.elapsedMs / 1000) % 60).padStart(2, "0")}`;
    const d = p.deployment;
    const counts = d
        ? `running ${d.running}/${d.desired}  pending ${d.pending}  failed ${d.failedTasks}  ${d.rolloutState ?? "-"}`
        : "no longer listed";
    const primary = p.primaryId && p.primaryId !== p.followed.id ? `  PRIMARY is ${p.primaryId}` : "";
    return `${p.followed.id} ${taskDefinitionLabel(p.followed.taskDefinition)}  ${counts}${primary}  ${elapsed}`;
}
