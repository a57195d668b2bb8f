/**
 * The requests of the analysis, built from the program's captured resources the way the engine
 * fills them: `Analyze` with a resource's inputs, `AnalyzeStack` with every resource's state.
 */
import type { PolicyDiagnostic, PolicyPackHost, StackResourceToAnalyze } from "../analyzer";
import type { PropertyMap } from "../analyzer/property-values";
import type { CapturedResource } from "../offline/program-runner";

/** What one call was about: a resource (`Analyze`) or the whole stack (`AnalyzeStack`). */
export type Target = { kind: "resource"; resource: CapturedResource } | { kind: "stack" };

/** `Analyze` of one resource: its inputs and options, as the engine sends them before the step. */
export function analyzeResource(host: PolicyPackHost, r: CapturedResource, timeoutMs: number): Promise<PolicyDiagnostic[]> {
    return host.analyze(
        {
            type: r.type,
            name: r.name,
            urn: r.urn,
            properties: r.inputs as PropertyMap,
            options: {
                parent: r.parent,
                protect: r.options.protect,
                ignoreChanges: r.options.ignoreChanges,
                deleteBeforeReplace: r.options.deleteBeforeReplace,
            },
        },
        { timeoutMs },
    );
}

/** The resources as `AnalyzeStack` sees them: state, parents and dependencies. */
export function toStackResources(resources: CapturedResource[]): StackResourceToAnalyze[] {
    return resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        // Remote components (awsx) have no rendered children offline: their inputs stand for their state.
        properties: { ...r.inputs, ...r.outputs } as PropertyMap,
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        options: { parent: r.parent, protect: r.options.protect, ignoreChanges: r.options.ignoreChanges },
    }));
}

/** The call about `resource`. */
export function resourceTarget(resource: CapturedResource): Target {
    return { kind: "resource", resource };
}

/** How messages name a target: `'api' (aws:ecs/service:Service)` or the stack. */
export function describeTarget(target: Target): string {
    return target.kind === "stack" ? "the stack (validateStack)" : `'${target.resource.name}' (${target.resource.type})`;
}
