/**
 * Markdown output for a pull-request comment: verdict first, findings as a table, the health
 * contracts in a collapsible block.
 */
import { contractRows } from "@healthy-fargate/domain";
import { type CheckReport } from "./report";

/** Escapes text for a table cell (pipes, line breaks) and backticks stay as code. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

export function formatMarkdown(report: CheckReport): string {
    const { blocking, mandatory, advisory, undecided } = report.summary;
    const out: string[] = [];
    out.push(`### ${blocking > 0 ? "❌" : "✅"} healthy-fargate policy check: \`${report.project}/${report.stack}\``);
    out.push(
        "",
        `${blocking > 0 ? `**${blocking} mandatory finding${blocking === 1 ? "" : "s"} block${blocking === 1 ? "s" : ""} this change.**` : "No mandatory finding."} ` +
            `${mandatory} mandatory, ${advisory} advisory, ${undecided} undecided · ${report.resources} resources · ${report.policyPack.name}@${report.policyPack.version}`,
    );
    if (report.findings.length > 0) {
        out.push("", "| level | policy | resource | message |", "|---|---|---|---|");
        for (const f of report.findings) {
            const level = f.decided ? (f.enforcementLevel === "mandatory" ? "🔴 mandatory" : `🟡 ${f.enforcementLevel}`) : "⚪ cannot tell";
            out.push(
                `| ${level} | \`${f.policy}\` | ${cell(f.resourceName ? `${f.resourceName} (${f.resourceType})` : "stack")} | ${cell(f.message)} |`,
            );
        }
    }
    if (report.healthContracts.length > 0) {
        out.push("", "<details><summary>Health contracts and deployment timelines</summary>", "");
        out.push(
            `| | ${report.healthContracts.map((c) => `\`${c.service}\``).join(" | ")} |`,
            `|---|${report.healthContracts.map(() => "---|").join("")}`,
        );
        for (const [label, ...values] of contractRows(report.healthContracts)) out.push(`| ${label} | ${values.map(cell).join(" | ")} |`);
        out.push("", "</details>");
    }
    for (const note of report.notes) out.push("", `> ${cell(note)}`);
    return out.join("\n");
}
