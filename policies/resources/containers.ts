/**
 * Container fields the secrets, Redis, database and image policies read (`environment`, `secrets`,
 * `image`), and the task definitions a stack policy judges, with what explains their unknown values.
 */
import type { PolicyResource } from "@pulumi/policy";
import { isJudgedInStack } from "./awsx";
import { ancestorOfType, dependencies, propertyDependencies } from "./stack";
import { type ContainerView, type TaskDefinitionView, readTaskDefinition } from "./task-definitions";
import { AWSX_ECS_TYPES, TASK_DEFINITION_TYPES, TYPES } from "./types";
import { UNKNOWN, type Unknown, asArray, asString, field, rawProps } from "./values";

/** One `environment` entry. `value` is raw: a string, {@link UNKNOWN}, or anything else written. */
export interface EnvironmentEntry {
    /** The variable name, or {@link UNKNOWN}. */
    name: string | Unknown;
    value: unknown;
    /** `containerDefinitions[app].environment[REDIS_URL]`. */
    path: string;
}

/** `environment` of a container (`[{ name, value }]`, the ECS and awsx shape); {@link UNKNOWN} when the list is. */
export function environmentEntries(c: ContainerView): EnvironmentEntry[] | Unknown {
    const list = asArray(field(c.raw, "environment"));
    if (list === UNKNOWN) return UNKNOWN;
    const out: EnvironmentEntry[] = [];
    (list ?? []).forEach((entry, i) => {
        const name = asString(field(entry, "name"));
        if (name === undefined && field(entry, "name") === undefined && field(entry, "value") === undefined) return;
        const shown = typeof name === "string" ? name : `#${i}`;
        out.push({
            name: name === UNKNOWN ? UNKNOWN : (name ?? shown),
            value: field(entry, "value"),
            path: `${c.path}.environment[${shown}]`,
        });
    });
    return out;
}

/** One `secrets` entry: the variable name and its `valueFrom` (raw). */
export interface SecretEntry {
    name: string | Unknown;
    valueFrom: unknown;
    path: string;
}

/** `secrets` of a container; {@link UNKNOWN} when the list is. */
export function secretEntries(c: ContainerView): SecretEntry[] | Unknown {
    const list = asArray(field(c.raw, "secrets"));
    if (list === UNKNOWN) return UNKNOWN;
    const out: SecretEntry[] = [];
    (list ?? []).forEach((entry, i) => {
        const name = asString(field(entry, "name"));
        const shown = typeof name === "string" ? name : `#${i}`;
        out.push({
            name: name === UNKNOWN ? UNKNOWN : (name ?? shown),
            valueFrom: field(entry, "valueFrom"),
            path: `${c.path}.secrets[${shown}]`,
        });
    });
    return out;
}

/** A task definition as a stack policy judges it. */
export interface TaskDefinitionSource {
    resource: PolicyResource;
    view: TaskDefinitionView;
    /** The input property holding the containers: its property dependencies explain unknown container values. */
    containersProperty: string;
    /** The HealthyFargateService the task definition belongs to, if any. */
    component?: PolicyResource;
    /** The awsx component the task definition was created by, if any. */
    awsxParent?: PolicyResource;
}

/**
 * Every task definition of the stack a stack policy judges: each `aws:ecs/taskDefinition:TaskDefinition`
 * — including the one awsx creates in a real preview, which carries the containers awsx computed
 * from the args — and the args of an awsx FargateTaskDefinition/FargateService that has them and no
 * rendered children (offline; see awsx.ts `isJudgedInStack`). So each container is judged once, in
 * either world. (`includeAwsxChildren` is accepted for compatibility and no longer changes anything:
 * awsx children are always judged.)
 */
export function taskDefinitionSources(
    resources: readonly PolicyResource[],
    _options: { includeAwsxChildren?: boolean } = {},
): TaskDefinitionSource[] {
    const out: TaskDefinitionSource[] = [];
    for (const resource of resources) {
        if (!TASK_DEFINITION_TYPES.includes(resource.type) || !isJudgedInStack(resource, resources)) continue;
        const view = readTaskDefinition(resource.type, rawProps(resource.props));
        if (!view) continue;
        const awsxParent = resource.type === TYPES.taskDefinition ? ancestorOfType(resource, AWSX_ECS_TYPES) : undefined;
        const component = ancestorOfType(resource, [TYPES.healthyFargateService]);
        out.push({
            resource,
            view,
            containersProperty: containersPropertyOf(resource.type),
            ...(component ? { component } : {}),
            ...(awsxParent ? { awsxParent } : {}),
        });
    }
    return out;
}

/** The input property holding the containers of a task definition type. */
export function containersPropertyOf(type: string): string {
    return type === TYPES.taskDefinition ? "containerDefinitions" : type === TYPES.awsxFargateService ? "taskDefinitionArgs" : "containers";
}

/**
 * The resources of `types` an unknown value of `property` may have come from: its property
 * dependencies (for awsx task definitions also `container`), else the resource's dependencies.
 */
export function sourcesOfProperty(resource: PolicyResource, property: string, types: readonly string[]): PolicyResource[] {
    const properties = property === "containers" ? ["containers", "container"] : [property];
    const direct = [...new Set(properties.flatMap((p) => propertyDependencies(resource, p)))].filter((r) => types.includes(r.type));
    if (direct.length > 0) return direct;
    const anyPropertyDeps = properties.some((p) => propertyDependencies(resource, p).length > 0);
    return anyPropertyDeps ? [] : [...new Set(dependencies(resource))].filter((r) => types.includes(r.type));
}
