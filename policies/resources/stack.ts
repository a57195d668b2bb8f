/**
 * Following references between resources in a stack policy: service → target group (through
 * `loadBalancers[].targetGroupArn`), service → task definition, resource → enclosing component.
 *
 * During a preview the ARNs of new resources are unknown; the references are then followed through
 * `propertyDependencies` (which resources a property's value came from), which the engine knows.
 */
import type { PolicyResource } from "@pulumi/policy";
import { resolveAwsxSource } from "./awsx";
import { AWSX_ECS_TYPES, TARGET_GROUP_SOURCE_TYPES, TARGET_GROUP_TYPES, TASK_DEFINITION_SOURCE_TYPES, TYPES } from "./types";
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
        return Array.isArray(deps) ? deps.filter((d) => d && typeof d === "object") : [];
    } catch {
        return [];
    }
}

/** The resources `resource` depends on (empty when none or unreadable). */
export function dependencies(resource: PolicyResource): PolicyResource[] {
    try {
        return Array.isArray(resource.dependencies) ? resource.dependencies.filter((d) => d && typeof d === "object") : [];
    } catch {
        return [];
    }
}

/** Finds a resource of one of `types` whose `arn` (or `id`) equals `reference`. */
function byArn(resources: readonly PolicyResource[], types: readonly string[], reference: string): PolicyResource | undefined {
    return resources.find(
        (r) => types.includes(r.type) && [field(rawProps(r.props), "arn"), field(rawProps(r.props), "id")].includes(reference),
    );
}

/**
 * A reference as a string: the value itself, or — for a resource object a program passed where an
 * ARN goes (awsx accepts a target group object in `portMappings[].targetGroup`) — its `urn`, `id`
 * or `arn` (what the offline check may encode it as; the engine itself sends a resource reference
 * to an analyzer as its ID, or its URN when the ID is not known: pkg/resource/plugin/rpc.go).
 */
export function referenceString(reference: unknown): string | undefined {
    if (typeof reference === "string") return isUnknown(reference) ? undefined : reference;
    for (const key of ["urn", "id", "arn"]) {
        const v = field(reference, key);
        if (typeof v === "string" && !isUnknown(v)) return v;
    }
    return undefined;
}

/**
 * The target group a reference (ARN, ID or URN) names in the stack: a target group resource, or an
 * awsx ApplicationLoadBalancer by its default target group — the child's URN
 * (`…awsx:lb:ApplicationLoadBalancer$aws:lb/targetGroup:TargetGroup::<name>`, awsx names it after the
 * ALB), or the ARN/ID of the ALB's `defaultTargetGroup` output when the offline check renders it.
 */
function targetGroupByReference(resources: readonly PolicyResource[], reference: string): PolicyResource | undefined {
    if (reference.startsWith("urn:pulumi:")) {
        const exact = resources.find((r) => r.urn === reference && TARGET_GROUP_SOURCE_TYPES.includes(r.type));
        if (exact) return exact;
        const albUrn = reference.replace(/\$aws:(lb|alb)\/targetGroup:TargetGroup::/, "::");
        return albUrn === reference ? undefined : resources.find((r) => r.type === TYPES.awsxApplicationLoadBalancer && r.urn === albUrn);
    }
    const defaultTargetGroupIds = (alb: PolicyResource) =>
        ["arn", "id"].map((k) => field(field(rawProps(alb.props), "defaultTargetGroup"), k));
    return (
        byArn(resources, TARGET_GROUP_TYPES, reference) ??
        resources.find((r) => r.type === TYPES.awsxApplicationLoadBalancer && defaultTargetGroupIds(r).includes(reference))
    );
}

/** Target groups (or awsx ALBs, resolved to their rendered target group) among the property dependencies of `property`. */
function targetGroupCandidates(holder: PolicyResource, property: string, resources: readonly PolicyResource[]): PolicyResource[] {
    return targetGroupSources(propertyDependencies(holder, property), resources);
}

/** The target groups `candidates` stand for (an awsx ALB: its rendered target group, else itself), each once. */
function targetGroupSources(candidates: PolicyResource[], resources: readonly PolicyResource[]): PolicyResource[] {
    return unique(
        candidates
            .filter((r) => TARGET_GROUP_SOURCE_TYPES.includes(r.type))
            .map((r) => resolveAwsxSource(r, resources, TARGET_GROUP_TYPES)),
    );
}

/**
 * The target group of attachment `index` (of `attachments`) of `holder`: by reference (ARN, ID, URN,
 * or a resource object) when known, else the single target group among the property dependencies
 * of `property` (default `loadBalancers`; when the holder has one attachment, or the candidates
 * match attachments one to one in order). A value the offline run could not render (absent) is
 * followed the same way when dependencies say where it came from. An awsx ApplicationLoadBalancer
 * stands for its default target group: its rendered child when the stack has it, else its args.
 */
export function targetGroupOf(
    holder: PolicyResource,
    reference: unknown,
    index: number,
    attachments: number,
    resources: readonly PolicyResource[],
    property = "loadBalancers",
): Lookup {
    const known = referenceString(reference);
    if (known !== undefined) {
        const found = targetGroupByReference(resources, known);
        if (!found) return { status: "external", reference: known };
        return { status: "found", resource: resolveAwsxSource(found, resources, TARGET_GROUP_TYPES) };
    }
    const candidates = targetGroupCandidates(holder, property, resources);
    if (reference === undefined && candidates.length === 0) return { status: "absent" };
    if (candidates.length === 1 && attachments === 1) return { status: "found", resource: candidates[0] };
    if (candidates.length === attachments && attachments > 1) return { status: "found", resource: candidates[index] };
    const fallback = targetGroupSources(dependencies(holder), resources);
    if (candidates.length === 0 && fallback.length === 1 && attachments === 1 && reference !== undefined)
        return { status: "found", resource: fallback[0] };
    const what =
        property === "loadBalancers"
            ? `\`loadBalancers[${index}].targetGroupArn\``
            : `the target group of attachment ${index} (from \`${property}\`)`;
    const feeding = `${candidates.length === 0 ? "no" : candidates.length} target group(s) of this stack feed it`;
    return { status: "unknown", reason: `${what} is ${reference === undefined ? "not rendered" : "unknown"} and ${feeding}` };
}

/**
 * The task definition a service runs: an `aws:ecs/taskDefinition:TaskDefinition` (by ARN, family or
 * property dependencies), or an awsx FargateTaskDefinition the `taskDefinition` value came from —
 * its rendered child task definition when the stack has it, else the component (its args).
 */
export function taskDefinitionOf(service: PolicyResource, resources: readonly PolicyResource[]): Lookup {
    const reference = field(rawProps(service.props), "taskDefinition");
    const types: readonly string[] = [TYPES.taskDefinition];
    if (typeof reference === "string") {
        const found =
            byArn(resources, types, reference) ??
            resources.find((r) => r.type === TYPES.taskDefinition && matchesFamily(rawProps(r.props), reference)) ??
            // An awsx component by its `taskDefinition` output (rendered by the offline check).
            resources.find((r) => AWSX_ECS_TYPES.includes(r.type) && matchesFamily(renderedTaskDefinition(r), reference));
        if (found) return { status: "found", resource: resolveAwsxSource(found, resources, types) };
        return { status: "external", reference };
    }
    const candidates = unique(
        propertyDependencies(service, "taskDefinition")
            .filter((r) => TASK_DEFINITION_SOURCE_TYPES.includes(r.type))
            .map((r) => resolveAwsxSource(r, resources, types)),
    );
    if (reference === undefined && candidates.length === 0) return { status: "absent" };
    if (candidates.length === 1) return { status: "found", resource: candidates[0] };
    const fallback = unique(dependencies(service).filter((r) => types.includes(r.type)));
    if (candidates.length === 0 && fallback.length === 1) return { status: "found", resource: fallback[0] };
    const feeding = `${candidates.length === 0 ? "no" : candidates.length} task definition(s) of this stack feed it`;
    return { status: "unknown", reason: `\`taskDefinition\` is ${reference === undefined ? "not rendered" : "unknown"} and ${feeding}` };
}

/** `family` or `family:revision` references, or the task definition's `arn`/`arnWithoutRevision`. */
function matchesFamily(props: Record<string, unknown>, reference: string): boolean {
    if ([field(props, "arn"), field(props, "arnWithoutRevision")].includes(reference)) return true;
    const family = field(props, "family");
    if (typeof family !== "string") return false;
    const revision = field(props, "revision");
    return (
        reference === family ||
        (revision !== undefined && reference === `${family}:${String(revision)}`) ||
        reference.endsWith(`:task-definition/${family}`)
    );
}

/** The `taskDefinition` output the offline check renders for an awsx component (`{}` when none). */
function renderedTaskDefinition(component: PolicyResource): Record<string, unknown> {
    const value = field(rawProps(component.props), "taskDefinition");
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
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
