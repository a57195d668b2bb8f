/**
 * Conversion of the analyzer's protobuf results into plain objects the rest of the CLI can use
 * without knowing about jspb.
 */
import { type AnalyzeDiagnostic, EnforcementLevel as EnforcementLevelProto } from "@pulumi/pulumi/proto/analyzer_pb";

/** The enforcement levels of CrossGuard, spelled as in policy code and config files. */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** All valid enforcement levels, e.g. for validating config input. */
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** One policy violation reported by a pack. */
export interface PolicyDiagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    /**
     * The resource the violation is about. `undefined` when the pack did not name one: for
     * `Analyze` the host then fills in the analyzed resource (as the engine does); for
     * `AnalyzeStack` it means a stack-level violation.
     */
    urn: string | undefined;
}

/** Maps the wire enum to its name. Unknown numbers are an error, as in the Go CLI. */
export function enforcementLevelFromProto(level: EnforcementLevelProto): EnforcementLevel {
    switch (level) {
        case EnforcementLevelProto.ADVISORY:
            return "advisory";
        case EnforcementLevelProto.MANDATORY:
            return "mandatory";
        case EnforcementLevelProto.REMEDIATE:
            return "remediate";
        case EnforcementLevelProto.DISABLED:
            return "disabled";
        default:
            throw new Error(`invalid enforcement level ${String(level)}`);
    }
}

/** Maps a level name to the wire enum. */
export function enforcementLevelToProto(level: EnforcementLevel): EnforcementLevelProto {
    switch (level) {
        case "advisory":
            return EnforcementLevelProto.ADVISORY;
        case "mandatory":
            return EnforcementLevelProto.MANDATORY;
        case "remediate":
            return EnforcementLevelProto.REMEDIATE;
        case "disabled":
            return EnforcementLevelProto.DISABLED;
    }
}

/** Type guard for level names coming from untyped input (config files, YAML). */
export function isEnforcementLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/**
 * Converts one diagnostic. `versionOverride` is the `version` from PulumiPolicy.yaml: the CLI
 * prefers it over the version the pack reports (its package.json version).
 */
export function toPolicyDiagnostic(proto: AnalyzeDiagnostic, versionOverride?: string): PolicyDiagnostic {
    return {
        policyName: proto.getPolicyname(),
        policyPackName: proto.getPolicypackname(),
        policyPackVersion: versionOverride || proto.getPolicypackversion(),
        description: proto.getDescription(),
        message: proto.getMessage(),
        enforcementLevel: enforcementLevelFromProto(proto.getEnforcementlevel()),
        urn: proto.getUrn() || undefined,
    };
}

/** Converts a list of diagnostics, see {@link toPolicyDiagnostic}. */
export function toPolicyDiagnostics(protos: AnalyzeDiagnostic[], versionOverride?: string): PolicyDiagnostic[] {
    return protos.map((d) => toPolicyDiagnostic(d, versionOverride));
}
