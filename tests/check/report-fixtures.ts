/**
 * Builders of check reports for unit tests: pack diagnostics, pack metadata, an offline run.
 */
import type { PolicyDiagnostic, PolicyPackInfo } from "../../cli/analyzer";
import type { CapturedResource, OfflineRun } from "../../cli/offline/program-runner";
import { DEFAULT_PLACEMENT } from "../../cli/offline/placeholder-outputs";

export const URN_TD = "urn:pulumi:dev::proj::aws:ecs/taskDefinition:TaskDefinition::api";
export const URN_SVC = "urn:pulumi:dev::proj::healthy-fargate:ecs:HealthyFargateService$aws:ecs/service:Service::api-service";

export function diagnostic(over: Partial<PolicyDiagnostic> = {}): PolicyDiagnostic {
    return {
        policyName: "fargate-task-size-valid",
        policyPackName: "healthy-fargate",
        policyPackVersion: "0.1.0",
        description: "desc",
        message: 'desc\n\'api\' (aws:ecs/taskDefinition:TaskDefinition) `memory`: found cpu "256", memory "4096".',
        enforcementLevel: "mandatory",
        urn: URN_TD,
        ...over,
    };
}

export function packInfo(): PolicyPackInfo {
    const policy = (name: string, enforcementLevel: "mandatory" | "advisory") => ({
        name,
        displayName: name,
        description: `${name} description.\nSecond line.`,
        enforcementLevel,
        policyType: "resource" as const,
        severity: undefined,
        configSchema: undefined,
    });
    return {
        name: "healthy-fargate",
        displayName: "healthy-fargate",
        version: "0.1.0",
        description: "",
        supportsConfig: true,
        policies: [policy("deployment-alarms-configured", "advisory"), policy("fargate-task-size-valid", "mandatory")],
        initialConfig: {},
    };
}

export function offlineRun(resources: Partial<CapturedResource>[] = []): OfflineRun {
    return {
        project: "proj",
        stack: "dev",
        programDir: "/tmp/proj",
        resources: resources.map((r) => ({
            urn: "",
            type: "",
            name: "",
            custom: true,
            remote: false,
            inputs: {},
            outputs: {},
            dependencies: [],
            propertyDependencies: {},
            options: {},
            ...r,
        })),
        stackOutputs: {},
        unknownInvokes: [],
        notes: ["a note from the run"],
        placement: DEFAULT_PLACEMENT,
    };
}
