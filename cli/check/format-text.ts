/**
 * Text output for people: findings grouped by resource, the health contract table, notes.
 * Colour only when `color` is set (the CLI sets it for a TTY without NO_COLOR).
 */
import { formatContractTable } from "@healthy-fargate/domain";
import { type CheckReport, type Finding } from "./report";

const ANSI = { red: "\x1b[31m", yellow: "\x1b[33m", cyan: "\x1b[36m", dim: "\x1b[2m", bold: "\x1b[1m", reset: "\x1b[0m" };

export function formatText(report: CheckReport, color = false): string {
    const paint = (code: keyof typeof ANSI, text: string) => (color ? `${ANSI[code]}${text}${ANSI.reset}` : text);
    const badge = (f: Finding) =>
        !f.decided
            ? paint("cyan", "cannot tell")
            : f.enforcementLevel === "mandatory"
              ? paint("red", "mandatory")
              : paint("yellow", f.enforcementLevel);
    const out: string[] = [];
    out.push(
        paint("bold", `Policy check of ${report.project}/${report.stack}`) +
            ` — ${report.resources} resources, policy pack ${report.policyPack.name}@${report.policyPack.version} (${report.policyPack.policies.length} policies)`,
    );

    const byResource = new Map<string, Finding[]>();
    for (const f of report.findings) byResource.set(f.urn, [...(byResource.get(f.urn) ?? []), f]);
    for (const [urn, findings] of byResource) {
        const { resourceType, resourceName } = findings[0];
        out.push("", paint("bold", urn ? `${resourceName} (${resourceType})` : "stack"));
        for (const f of findings) {
            const [first, ...rest] = f.message.split("\n");
            out.push(`  ${badge(f)}  ${f.policy}: ${first}`);
            for (const line of rest) out.push(`      ${line}`);
        }
    }

    out.push(
        "",
        paint("bold", "Health contracts"),
        formatContractTable(report.healthContracts.map((c) => ({ service: c.service, contract: c.contract }))),
    );
    for (const note of report.notes) out.push("", paint("dim", `note: ${note}`));

    const { blocking, mandatory, advisory, undecided } = report.summary;
    const verdict =
        blocking > 0
            ? paint("red", `FAILED: ${blocking} mandatory finding${blocking === 1 ? "" : "s"}`)
            : paint("bold", "PASSED: no mandatory finding");
    out.push("", `${verdict} (${mandatory} mandatory, ${advisory} advisory, ${undecided} undecided)`);
    return out.join("\n");
}
