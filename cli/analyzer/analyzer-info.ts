/**
 * Conversion of `GetAnalyzerInfo` results into plain objects.
 */
import { type AnalyzerInfo, type PolicyInfo as PolicyInfoProto, PolicySeverity, PolicyType } from "@pulumi/pulumi/proto/analyzer_pb";
import { type EnforcementLevel, enforcementLevelFromProto } from "./diagnostics";
import { type PolicyConfigLayerEntry, type PolicyConfigSchema } from "./policy-config";

/** Metadata of one policy in a pack. */
export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    /** The policy's own level, or the pack's default level if the policy sets none. */
    enforcementLevel: EnforcementLevel;
    policyType: "resource" | "stack" | "unknown";
    severity: "low" | "medium" | "high" | "critical" | undefined;
    /** Schema of the policy's config, without the `enforcementLevel` the CLI adds. */
    configSchema: PolicyConfigSchema | undefined;
    /** The policy's docs link, if its metadata has one (`PolicyInfo.url`; SDKs before the field: absent). */
    url?: string;
}

/** Metadata of a policy pack. */
export interface PolicyPackInfo {
    name: string;
    displayName: string;
    /** PulumiPolicy.yaml `version` if set (the CLI prefers it), else the pack's package.json version. */
    version: string;
    description: string;
    supportsConfig: boolean;
    /** Sorted by name, as the CLI presents them. */
    policies: PolicyInfo[];
    /** The third argument of `new PolicyPack(...)`, normalised by @pulumi/policy. */
    initialConfig: Record<string, PolicyConfigLayerEntry>;
}

/** Converts the `GetAnalyzerInfo` response. */
export function toPolicyPackInfo(proto: AnalyzerInfo, versionOverride: string | undefined): PolicyPackInfo {
    const policies = proto
        .getPoliciesList()
        .map(toPolicyInfo)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const initialConfig: Record<string, PolicyConfigLayerEntry> = {};
    for (const [name, config] of proto.getInitialconfigMap().entries()) {
        const properties = config.getProperties()?.toJavaScript();
        initialConfig[name] = {
            // Faithful to the CLI: proto3 cannot tell "unset" from ADVISORY (0), so an initial
            // config that only sets properties also sets the level to advisory.
            enforcementLevel: enforcementLevelFromProto(config.getEnforcementlevel()),
            properties: properties && Object.keys(properties).length > 0 ? properties : undefined,
        };
    }
    return {
        name: proto.getName(),
        displayName: proto.getDisplayname(),
        version: versionOverride || proto.getVersion(),
        description: proto.getDescription(),
        supportsConfig: proto.getSupportsconfig(),
        policies,
        initialConfig,
    };
}

function toPolicyInfo(proto: PolicyInfoProto): PolicyInfo {
    const schema = proto.getConfigschema();
    return {
        name: proto.getName(),
        displayName: proto.getDisplayname(),
        description: proto.getDescription(),
        enforcementLevel: enforcementLevelFromProto(proto.getEnforcementlevel()),
        policyType:
            proto.getPolicyType() === PolicyType.POLICY_TYPE_RESOURCE
                ? "resource"
                : proto.getPolicyType() === PolicyType.POLICY_TYPE_STACK
                  ? "stack"
                  : "unknown",
        severity: severityName(proto.getSeverity()),
        ...(proto.getUrl?.() ? { url: proto.getUrl() } : {}),
        configSchema: schema
            ? {
                  properties: (schema.getProperties()?.toJavaScript() ?? {}) as PolicyConfigSchema["properties"],
                  required: schema.getRequiredList(),
              }
            : undefined,
    };
}

function severityName(severity: PolicySeverity): PolicyInfo["severity"] {
    switch (severity) {
        case PolicySeverity.POLICY_SEVERITY_LOW:
            return "low";
        case PolicySeverity.POLICY_SEVERITY_MEDIUM:
            return "medium";
        case PolicySeverity.POLICY_SEVERITY_HIGH:
            return "high";
        case PolicySeverity.POLICY_SEVERITY_CRITICAL:
            return "critical";
        default:
            return undefined;
    }
}
