/**
 * SARIF 2.1.0 output for GitHub code scanning. Rules come from the policy pack's own metadata;
 * results point at the program's entry file (a policy finding is about a resource, which has no
 * source line offline) and name the resource URN as logical location.
 */
import * as path from "path";
import type { Log, ReportingDescriptor, Result } from "sarif";
import { CheckReport, Finding } from "./report";

const POLICY_DOCS = "https://github.com/healthy-fargate/healthy-fargate/blob/main/policies/README.md";

function level(f: Finding): Result.level {
    if (!f.decided) return "note";
    return f.enforcementLevel === "mandatory" ? "error" : "warning";
}

export function formatSarif(report: CheckReport, entryFile: string): string {
    const rules: ReportingDescriptor[] = report.policyPack.policies.map(p => ({
        id: p.name,
        name: p.name,
        shortDescription: { text: p.description.split("\n")[0] },
        fullDescription: { text: p.description },
        helpUri: `${POLICY_DOCS}#${p.name}`,
        defaultConfiguration: { level: p.enforcementLevel === "mandatory" ? "error" : p.enforcementLevel === "disabled" ? "none" : "warning" },
        properties: { enforcementLevel: p.enforcementLevel },
    }));
    const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    const uri = path.relative(process.cwd(), entryFile).split(path.sep).join("/") || entryFile;
    const results: Result[] = report.findings.map(f => ({
        ruleId: f.policy,
        ...(ruleIndex.has(f.policy) ? { ruleIndex: ruleIndex.get(f.policy) } : {}),
        level: level(f),
        message: { text: f.message },
        locations: [{
            physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } },
            ...(f.urn ? { logicalLocations: [{ name: f.resourceName, fullyQualifiedName: f.urn, kind: "resource" }] } : {}),
        }],
        properties: { decided: f.decided, enforcementLevel: f.enforcementLevel, resourceType: f.resourceType },
    }));
    const log: Log = {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [{
            tool: { driver: { name: report.policyPack.name, version: report.policyPack.version, informationUri: POLICY_DOCS, rules } },
            results,
            properties: { stack: report.stack, project: report.project, resources: report.resources },
        }],
    };
    return JSON.stringify(log, null, 2);
}
