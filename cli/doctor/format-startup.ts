/**
 * The text report of `startup`: the phases table, findings and verdicts, the recommendation and
 * the contracts side by side (the rows of the offline check's contract table). Pure.
 */
import { contractRows } from "@healthy-fargate/domain";
import type { SampleStats } from "@healthy-fargate/domain";
import type { StartupReport } from "./startup";

const cell = (v: number | undefined) => (v === undefined ? "-" : `${Math.round(v)} s`);

function statsCells(s: SampleStats | undefined): string[] {
    return s ? [String(s.n), cell(s.min), cell(s.p50), cell(s.p95), cell(s.max)] : ["0", "-", "-", "-", "-"];
}

/** Columns padded to their widest cell; numeric columns right-aligned. */
function table(rows: string[][], rightAligned: (i: number) => boolean): string[] {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) =>
        r
            .map((c, i) => (rightAligned(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
            .join("  ")
            .trimEnd(),
    );
}

function header(r: StartupReport): string[] {
    const t = r.tasks;
    return [
        `${r.service} (cluster ${r.cluster}${r.region ? `, ${r.region}` : ""}): ` +
            `start-up of ${t.measured} task${t.measured === 1 ? "" : "s"} ` +
            `(${t.running} running, ${t.stopped} stopped; ${t.taskDefinitions.join(", ") || "-"})`,
        r.declared
            ? `declared budget: expected ${r.declared.expectedSeconds} s, worst case ${r.declared.worstCaseSeconds} s ` +
              `(${r.declared.source === "tags" ? "service tags healthy-fargate:startup-*" : "--expected/--worst"})`
            : "declared budget: none (no healthy-fargate:startup-* tags on the service; pass --expected and --worst)",
        `probe requests: log lines ${r.probe.custom ? `matching ${r.probe.pattern}` : `with ${r.probe.path} and a 2xx/3xx status`}, ` +
            `found for ${r.probe.tasksWithProbe} of ${t.measured} tasks (${r.probe.tasksWithLogs} with logs read)`,
    ];
}

function contracts(r: StartupReport): string[] {
    const named = [
        ...(r.declaredContract ? [{ service: "declared", contract: r.declaredContract }] : []),
        ...(r.recommendation.ok ? [{ service: "recommended", contract: r.recommendation.contract }] : []),
    ];
    if (named.length === 0) return [];
    const rows = [["", ...named.map((c) => c.service)], ...contractRows(named).filter(([label]) => label !== "readiness (not probed)")];
    const title = "contract and deployment timeline (policies/domain buildHealthContract, with this service's live shape):";
    return ["", title, ...table(rows, () => false)];
}

/** The full text report. */
export function formatStartup(r: StartupReport): string {
    const lines = [...header(r), ""];
    const rows = [
        ["phase", "n", "min", "p50", "p95", "max", "model"],
        ...r.phases.map((p) => [p.label, ...statsCells(p.stats), p.model ?? ""]),
    ];
    lines.push(...table(rows, (i) => i >= 1 && i <= 5));
    if (r.findings.length > 0) {
        lines.push("", "findings:");
        for (const f of r.findings) lines.push(`  - ${f.id}: ${f.message}`, `    fix: ${f.fix}`);
    }
    if (r.verdicts.length > 0) lines.push("", ...r.verdicts.map((v) => `- ${v}`));
    lines.push("");
    if (r.recommendation.ok) {
        const { expectedSeconds, worstCaseSeconds, how } = r.recommendation;
        lines.push(`recommendation: startup: { expectedSeconds: ${expectedSeconds}, worstCaseSeconds: ${worstCaseSeconds} }`, `  (${how})`);
    } else {
        lines.push(`no recommendation: ${r.recommendation.reason}`);
    }
    lines.push(...contracts(r));
    if (r.notes.length > 0) lines.push("", "notes (reads that failed; measured without them):", ...r.notes.map((n) => `  - ${n}`));
    return lines.join("\n") + "\n";
}
