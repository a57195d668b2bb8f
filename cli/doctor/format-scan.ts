/**
 * The scan as a text table (terminal) or a Markdown table (a PR or issue comment). Pure.
 */
import type { ScanResult, ScanRow } from "./scan";

const STATUS: Record<ScanRow["status"], string> = {
    healthy: "healthy",
    unhealthy: "UNHEALTHY",
    "in-progress": "in progress",
    stuck: "STUCK",
    failed: "FAILED",
    "rolled-back": "ROLLED BACK",
    unreadable: "UNREADABLE",
};

/** `11 min ago`, `3 h ago`, `2 d ago`. */
export function formatAge(iso: string | undefined, now: Date): string {
    if (!iso) return "-";
    const minutes = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 60_000));
    if (minutes < 120) return `${minutes} min ago`;
    const hours = Math.round(minutes / 60);
    return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} d ago`;
}

function cells(r: ScanRow, now: Date): string[] {
    return [
        r.service,
        STATUS[r.status],
        r.running !== undefined ? `${r.running}/${r.desired ?? "?"}` : "-",
        r.lastDeployment ?? "-",
        r.causes.join(", ") || "-",
        formatAge(r.lastFailureAt, now),
    ];
}

const HEADER = ["service", "status", "tasks", "last deployment", "causes", "last failure"];

/** `prod (eu-west-1): 10 services — 7 healthy, 1 ROLLED BACK, …`. */
function headline(s: ScanResult): string {
    const order: ScanRow["status"][] = ["healthy", "in-progress", "unhealthy", "stuck", "failed", "rolled-back", "unreadable"];
    const counts = order
        .filter((k) => s.summary[k])
        .map((k) => `${s.summary[k]} ${STATUS[k]}`)
        .join(", ");
    const services = `${s.summary.total} service${s.summary.total === 1 ? "" : "s"}`;
    return `cluster ${s.cluster}${s.region ? ` (${s.region})` : ""}: ${services}${counts ? ` — ${counts}` : ""}`;
}

function notesOf(s: ScanResult): string[] {
    return [...s.notes, ...s.services.flatMap((r) => r.notes.map((n) => `${r.service}: ${n}`))];
}

/** Problem rows first (they are what a reader is looking for), then by name. */
function ordered(rows: ScanRow[]): ScanRow[] {
    const problems: ScanRow["status"][] = ["failed", "rolled-back", "stuck", "unhealthy", "unreadable"];
    const rank = (r: ScanRow) => (problems.includes(r.status) ? 0 : r.status === "in-progress" ? 1 : 2);
    return [...rows].sort((a, b) => rank(a) - rank(b) || a.service.localeCompare(b.service));
}

/** The text report. */
export function formatScan(s: ScanResult): string {
    const now = new Date(s.checkedAt);
    const lines = [headline(s), `checked ${s.checkedAt}, looking back to ${s.since}; ${s.calls.total} AWS calls`, ""];
    if (s.services.length === 0) return [...lines, `no services in cluster ${s.cluster}`].join("\n") + "\n";
    const rows = [HEADER, ...ordered(s.services).map((r) => cells(r, now))];
    const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    lines.push(
        ...rows.map((r) =>
            r
                .map((c, i) => c.padEnd(widths[i]))
                .join("  ")
                .trimEnd(),
        ),
    );
    const notes = notesOf(s);
    if (notes.length > 0) {
        lines.push("", "notes (parts that could not be read; those rows were judged without them):", ...notes.map((n) => `  - ${n}`));
    }
    const worst = ordered(s.services)[0];
    if (worst && worst.status !== "healthy") lines.push("", `details: doctor diagnose --cluster ${s.cluster} --service ${worst.service}`);
    return lines.join("\n") + "\n";
}

/** The Markdown report (GitHub-flavoured table). */
export function formatScanMarkdown(s: ScanResult): string {
    const now = new Date(s.checkedAt);
    const escape = (c: string) => c.replace(/\|/g, "\\|");
    const lines = [`### ${headline(s)}`, "", `checked ${s.checkedAt}, looking back to ${s.since}; ${s.calls.total} AWS calls`, ""];
    if (s.services.length === 0) return [...lines, `no services in cluster ${s.cluster}`].join("\n") + "\n";
    lines.push(`| ${HEADER.join(" | ")} |`, `|${HEADER.map(() => "---").join("|")}|`);
    for (const r of ordered(s.services)) {
        const row = cells(r, now).map((c, i) => (i === 1 && r.status !== "healthy" ? `**${c}**` : escape(c)));
        lines.push(`| ${row.join(" | ")} |`);
    }
    const notes = notesOf(s);
    if (notes.length > 0) lines.push("", "<details><summary>notes</summary>", "", ...notes.map((n) => `- ${escape(n)}`), "", "</details>");
    return lines.join("\n") + "\n";
}
