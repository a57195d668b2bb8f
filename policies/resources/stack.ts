/**
 * Following references between resources in a stack policy: service → target group (through
 * `loadBalancers[].targetGroupArn`), service → task definition, resource → enclosing component.
 *
 * During a preview the ARNs of new resources are unknown; the references are then followed through
 * `propertyDependencies` (which resources a property's value came from), which the engine knows.
 */
import type { PolicyResource } from "@pulumi/policy";
import { TARGET_GROUP_TYPES, TYPES } from "./types";
import { field, isUnknown, rawProps } from "./values";

export type Lookup =
    | { status: "found"; resource: PolicyResource }
    /** The reference is unknown and no single candidate explains it. */
    | { status: "unknown"; reason: string }
    /** The reference is known but names nothing in this stack (a resource managed elsewhere). */
    | { status: "external"; reference: string }
    | { status: "absent" };

/** The resources the value of `resource.props[key]` came from (empty when none or unreadable). */
export function propertyDependencies(resource: PolicyResource, key: string): PolicyResource[] {
    try {
        const deps = resource.propertyDependencies?.[key];
        return Array.isArray(deps) ? deps.filter(d => d && typeof d === "object") : [];
    } catch {
        return [];
    }
}

/** The resources `resource` depends on (empty when none or unreadable). */
export function dependencies(resource: PolicyResource): PolicyResource[] {
    try {
        return Array.isArray(resource.dependencies) ? resource.dependencies.filter(d => d && typeof d === "object") : [];
    } catch {
        return [];
    }
}

/** Finds a resource of one of `types` whose `arn` (or `id`) equals `reference`. */
function byArn(resources: readonly PolicyResource[], types: readonly string[], reference: string): PolicyResource | undefined {
    return resources.find(r => types.includes(r.type) && [field(rawProps(r.props), "arn"), field(rawProps(r.props), "id")].includes(reference));
}

/**
 * The target group of `service.loadBalancers[index]`: by ARN when known, else the single target
 * group among the property dependencies of `loadBalancers` (when the service has one attachment,
 * or the candidates match attachments one to one in order).
 */
export function targetGroupOf(service: PolicyResource, reference: unknown, index: number, attachments: number, resources: readonly PolicyResource[]): Lookup {
    if (typeof reference === "string" && !isUnknown(reference)) {
        const found = byArn(resources, TARGET_GROUP_TYPES, reference);
        return found ? { status: "found", resource: found } : { status: "external", reference };
    }
    if (reference === undefined) return { status: "absent" };
    const candidates = unique(propertyDependencies(service, "loadBalancers").filter(r => TARGET_GROUP_TYPES.includes(r.type)));
    if (candidates.length === 1 && attachments === 1) return { status: "found", resource: candidates[0] };
    if (candidates.length === attachments && attachments > 1) return { status: "found", resource: candidates[index] };
    const fallback = unique(dependencies(service).filter(r => TARGET_GROUP_TYPES.includes(r.type)));
    if (candidates.length === 0 && fallback.length === 1 && attachments === 1) return { status: "found", resource: fallback[0] };
    return { status: "unknown", reason: `\`loadBalancers[${index}].targetGroupArn\` is unknown and ${candidates.length === 0 ? "no" : candidates.length} target group(s) of this stack feed it` };
}

/** The task definition resource (`aws:ecs/taskDefinition:TaskDefinition`) a service runs. */
export function taskDefinitionOf(service: PolicyResource, resources: readonly PolicyResource[]): Lookup {
    const reference = field(rawProps(service.props), "taskDefinition");
    const types: readonly string[] = [TYPES.taskDefinition];
    if (typeof reference === "string") {
        const found = byArn(resources, types, reference)
            ?? resources.find(r => r.type === TYPES.taskDefinition && matchesFamily(rawProps(r.props), reference));
        if (found) return { status: "found", resource: found };
        return { status: "external", reference };
    }
    if (reference === undefined) return { status: "absent" };
    const candidates = unique(propertyDependencies(service, "taskDefinition").filter(r => types.includes(r.type)));
    if (candidates.length === 1) return { status: "found", resource: candidates[0] };
    const fallback = unique(dependencies(service).filter(r => types.includes(r.type)));
    if (candidates.length === 0 && fallback.length === 1) return { status: "found", resource: fallback[0] };
    return { status: "unknown", reason: `\`taskDefinition\` is unknown and ${candidates.length === 0 ? "no" : candidates.length} task definition(s) of this stack feed it` };
}

/** `family` or `family:revision` references. */
function matchesFamily(props: Record<string, unknown>, reference: string): boolean {
    const family = field(props, "family");
    if (typeof family !== "string") return false;
    const revision = field(props, "revision");
    return reference === family || (revision !== undefined && reference === `${family}:${String(revision)}`) || reference.endsWith(`:task-definition/${family}`);
}

/** The nearest ancestor of one of `types` (following `parent`), if any. */
export function ancestorOfType(resource: PolicyResource, types: readonly string[]): PolicyResource | undefined {
    let current: PolicyResource | undefined = resource.parent;
    for (let i = 0; current && i < 64; i++) {
        if (types.includes(current.type)) return current;
        current = current.parent;
    }
    return undefined;
}

function unique<T>(items: T[]): T[] {
    return [...new Set(items)];
}
