/**
 * The offline check's report: what every output format renders. Built from the offline run of
 * the program and the policy pack's diagnostics. Pure.
 */
import type { EnforcementLevel, PolicyDiagnostic, PolicyPackInfo } from "../analyzer";
import type { OfflineRun } from "../offline/program-runner";
import type { SourcePosition } from "../offline/source-positions";
import { type ServiceContract, healthContractsOf } from "../offline/health-contracts";

// Read by the offline engine (cli/offline/health-contracts.ts); re-exported for the report's importers.
export { type ServiceContract, healthContractsOf };

// The pack's own convention for reports it could not decide (policies/kit/report.ts), not a copy of it.
export { UNDECIDED_MARKER, isUndecidedMessage as isUndecided } from "@healthy-fargate/policies/kit/report";
import { isUndecidedMessage } from "@healthy-fargate/policies/kit/report";

export interface Finding {
    policy: string;
    enforcementLevel: EnforcementLevel;
    urn: string;
    /** Type and logical name of the resource (empty for stack-wide findings without a URN). */
    resourceType: string;
    resourceName: string;
    message: string;
    /** false: the policy could not decide (unknown value, unverifiable image) — "cannot tell", not "violates". */
    decided: boolean;
    /** Whether this finding fails the check: mandatory and decided. */
    blocking: boolean;
    /**
     * Where the program's own files construct the resource (absolute file, 1-based line and
     * column; `cli/offline/source-positions.ts`); absent for stack-wide findings and resources
     * built where no program frame is on the stack.
     */
    source?: SourcePosition;
}

export interface CheckReport {
    program: string;
    project: string;
    stack: string;
    /** The pack and its policies, each with the enforcement level in effect (policy config applied). */
    /** `url`: the policy's docs link, where the pack's metadata gives one (`PolicyInfo.url`). */
    policyPack: {
        name: string;
        version: string;
        policies: Array<{ name: string; description: string; enforcementLevel: EnforcementLevel; url?: string }>;
    };
    /** Resources the program registered (including components and the stack). */
    resources: number;
    findings: Finding[];
    summary: { mandatory: number; advisory: number; undecided: number; blocking: number };
    /** Health contract and deployment timeline of each HealthyFargateService. */
    healthContracts: ServiceContract[];
    notes: string[];
    /** Where the time went, in milliseconds. */
    timings: Record<string, number>;
}

/** Type and name from a URN `urn:pulumi:stack::project::[parent$]type::name`. */
export function parseUrn(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4) return { type: "", name: "" };
    const qualifiedType = parts[2];
    return { type: qualifiedType.split("$").pop() ?? qualifiedType, name: parts.slice(3).join("::") };
}

/** Orders findings: blocking first, then by resource and policy, so output is stable. */
function compareFindings(a: Finding, b: Finding): number {
    return (
        Number(b.blocking) - Number(a.blocking) ||
        a.urn.localeCompare(b.urn) ||
        a.policy.localeCompare(b.policy) ||
        a.message.localeCompare(b.message)
    );
}

/** Removes exact duplicates (a stack policy and a resource policy may report the same thing once each; the same report twice is noise). */
export function dedupe(findings: Finding[]): Finding[] {
    const seen = new Set<string>();
    return findings.filter((f) => {
        const key = `${f.policy}\u0000${f.urn}\u0000${f.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

export function toFinding(d: PolicyDiagnostic): Finding {
    const { type, name } = parseUrn(d.urn ?? "");
    const decided = !isUndecidedMessage(d.message);
    return {
        policy: d.policyName,
        enforcementLevel: d.enforcementLevel,
        urn: d.urn ?? "",
        resourceType: type,
        resourceName: name,
        message: d.message.trim(),
        decided,
        blocking: decided && d.enforcementLevel === "mandatory",
    };
}

/**
 * @param levels enforcement level in effect per policy (the pack's defaults with the policy
 * config applied, as sent with `Configure`); a policy missing here keeps its default level.
 */
export function buildReport(args: {
    run: OfflineRun;
    info: PolicyPackInfo;
    diagnostics: PolicyDiagnostic[];
    notes?: string[];
    timings: Record<string, number>;
    levels?: Record<string, { enforcementLevel?: EnforcementLevel }>;
}): CheckReport {
    const sources = new Map(args.run.resources.filter((r) => r.source).map((r) => [r.urn, r.source!]));
    const findings = dedupe(args.diagnostics.filter((d) => d.enforcementLevel !== "disabled").map(toFinding))
        .map((f) => (sources.has(f.urn) ? { ...f, source: sources.get(f.urn) } : f))
        .sort(compareFindings);
    return {
        program: args.run.programDir,
        project: args.run.project,
        stack: args.run.stack,
        policyPack: {
            name: args.info.name,
            version: args.info.version,
            policies: args.info.policies.map((p) => ({
                name: p.name,
                description: p.description,
                enforcementLevel: args.levels?.[p.name]?.enforcementLevel ?? p.enforcementLevel,
                ...(p.url ? { url: p.url } : {}),
            })),
        },
        resources: args.run.resources.length,
        findings,
        summary: {
            mandatory: findings.filter((f) => f.enforcementLevel === "mandatory").length,
            advisory: findings.filter((f) => f.enforcementLevel === "advisory").length,
            undecided: findings.filter((f) => !f.decided).length,
            blocking: findings.filter((f) => f.blocking).length,
        },
        healthContracts: healthContractsOf(args.run.resources),
        notes: [...args.run.notes, ...(args.notes ?? [])],
        timings: args.timings,
    };
}

/** Exit code of the check: 1 when a mandatory finding was decided, else 0. */
export function exitCodeOf(report: CheckReport): 0 | 1 {
    return report.summary.blocking > 0 ? 1 : 0;
}
