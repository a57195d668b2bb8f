/**
 * The text report of `smoke`: one line per path (passed/requested, statuses, errors, latency),
 * the certificate, warnings. Pure.
 */
import type { SmokePathResult, SmokeReport } from "./smoke";

const counts = (o: Record<string, number>) =>
    Object.entries(o)
        .map(([k, n]) => `${k} ×${n}`)
        .join(", ");

function pathLine(p: SmokePathResult, requests: number): string {
    const mark = p.failed === 0 ? "ok  " : "FAIL";
    const statuses = Object.keys(p.statuses).length > 0 ? `  status ${counts(p.statuses)}` : "";
    const errors = Object.keys(p.errors).length > 0 ? `  errors: ${counts(p.errors)}` : "";
    const latency = p.latencyMs ? `  p50 ${Math.round(p.latencyMs.p50)} ms  p95 ${Math.round(p.latencyMs.p95)} ms` : "";
    return `${mark}  ${p.path}  ${p.passed}/${requests}${statuses}${latency}${errors}`;
}

/** The full text report. */
export function formatSmoke(r: SmokeReport): string {
    const requests = `${r.requests} request${r.requests === 1 ? "" : "s"} per path`;
    const lines = [`smoke ${r.url} (matcher ${r.matcher}, ${requests}): ${r.ok ? "PASSED" : "FAILED"}`];
    lines.push(...r.notes.map((n) => `  ${n}`), "");
    lines.push(...r.paths.map((p) => pathLine(p, r.requests)));
    if (r.tls) {
        lines.push("", `certificate: ${r.tls.subject} (issuer ${r.tls.issuer}), valid to ${r.tls.validTo}, ${r.tls.daysLeft} days left`);
    }
    if (r.warnings.length > 0) lines.push("", ...r.warnings.map((w) => `warning: ${w}`));
    return lines.join("\n") + "\n";
}
