/**
 * Task definitions and their containers, from any of the shapes a program can declare them in:
 * - `aws:ecs/taskDefinition:TaskDefinition`: `containerDefinitions` is a JSON string (one unknown
 *   string during a preview when any part of it — image, log group — is computed);
 * - `awsx:ecs:FargateTaskDefinition`: `container` (one) or `containers` (map) args, `cpu`, `memory`;
 * - `awsx:ecs:FargateService`: the same under `taskDefinitionArgs` (unless `taskDefinition` names an
 *   existing one).
 * Container fields use the ECS JSON names (camelCase) in all three.
 */
import { TYPES } from "./types";
import { UNKNOWN, type Unknown, asArray, asBoolean, asRecord, asString, field, isUnknown } from "./values";

/** One container, normalised. Raw values keep their form (numbers may be strings, any may be unknown). */
export interface ContainerView {
    /** Container name (or a placeholder `#<index>` when it has none). */
    name: string;
    /** Where the container sits in the resource's inputs, e.g. `containerDefinitions[app]`, `taskDefinitionArgs.containers.web`. */
    path: string;
    /** The raw container object. */
    raw: Record<string, unknown>;
    /** `essential` (AWS default true). */
    essential: boolean | Unknown;
    /** `healthCheck` object, `undefined` when absent. */
    healthCheck: Record<string, unknown> | Unknown | undefined;
    stopTimeout: unknown;
    dependsOn: unknown[] | Unknown | undefined;
    logConfiguration: Record<string, unknown> | Unknown | undefined;
    portMappings: unknown[] | Unknown | undefined;
}

/** Result of reading the containers of a resource. */
export type ContainersRead =
    | { status: "ok"; containers: ContainerView[] }
    /** The containers are not known yet (preview): `field` names what is unknown. */
    | { status: "unknown"; field: string }
    /** The resource declares no containers here (e.g. an awsx service pointing at an existing task definition). */
    | { status: "none"; reason: string }
    /** The value cannot be read (invalid JSON, wrong shape): AWS will reject it anyway. */
    | { status: "invalid"; field: string; reason: string };

/** A task definition in any of the supported shapes. */
export interface TaskDefinitionView {
    kind: "aws" | "awsx-task-definition" | "awsx-service";
    /** Prefix of task-level fields in the inputs: `""` or `"taskDefinitionArgs."`. */
    prefix: string;
    /** Whether the task runs on Fargate; unknown when `requiresCompatibilities` is unknown. */
    fargate: boolean | Unknown;
    cpu: unknown;
    memory: unknown;
    containers: ContainersRead;
}

function containerView(raw: unknown, index: number, pathOf: (name: string) => string, fallbackName?: string): ContainerView | undefined {
    const c = asRecord(raw);
    if (c === undefined || c === UNKNOWN) return undefined;
    const nameValue = asString(field(c, "name"));
    const name = typeof nameValue === "string" && nameValue !== "" ? nameValue : (fallbackName ?? `#${index}`);
    const essential = asBoolean(field(c, "essential"));
    return {
        name,
        path: pathOf(name),
        raw: c,
        essential: essential === undefined ? true : essential,
        healthCheck: asRecord(field(c, "healthCheck")),
        stopTimeout: field(c, "stopTimeout"),
        dependsOn: asArray(field(c, "dependsOn")),
        logConfiguration: asRecord(field(c, "logConfiguration")),
        portMappings: asArray(field(c, "portMappings")),
    };
}

/** Parses `containerDefinitions` of an `aws:ecs/taskDefinition:TaskDefinition`. */
export function readContainerDefinitions(value: unknown): ContainersRead {
    if (isUnknown(value)) return { status: "unknown", field: "containerDefinitions" };
    let parsed: unknown = value;
    if (typeof value === "string") {
        try {
            parsed = JSON.parse(value);
        } catch {
            return { status: "invalid", field: "containerDefinitions", reason: "is not valid JSON" };
        }
    }
    if (parsed === undefined)
        return { status: "invalid", field: "containerDefinitions", reason: "is missing (ECS requires at least one container)" };
    if (!Array.isArray(parsed))
        return { status: "invalid", field: "containerDefinitions", reason: "is not a JSON array of container definitions" };
    const containers: ContainerView[] = [];
    parsed.forEach((raw, i) => {
        const view = containerView(raw, i, (name) => `containerDefinitions[${name}]`);
        if (view) containers.push(view);
    });
    return { status: "ok", containers };
}

/** Reads awsx `container` / `containers` args below `prefix` (`""` or `"taskDefinitionArgs."`). */
function readAwsxContainers(args: unknown, prefix: string): ContainersRead {
    if (isUnknown(args)) return { status: "unknown", field: prefix.replace(/\.$/, "") };
    const single = field(args, "container");
    const map = field(args, "containers");
    if (single === UNKNOWN) return { status: "unknown", field: `${prefix}container` };
    if (map === UNKNOWN) return { status: "unknown", field: `${prefix}containers` };
    const containers: ContainerView[] = [];
    if (single !== undefined) {
        const view = containerView(single, 0, () => `${prefix}container`, "container");
        if (view) containers.push(view);
    }
    const entries = asRecord(map);
    if (entries && entries !== UNKNOWN) {
        Object.keys(entries).forEach((key, i) => {
            const view = containerView(entries[key], i, () => `${prefix}containers.${key}`, key);
            if (view) containers.push(view);
        });
    }
    if (single === undefined && map === undefined)
        return { status: "none", reason: `no \`${prefix}container\` or \`${prefix}containers\`` };
    return { status: "ok", containers };
}

function fargateOf(compat: unknown): boolean | Unknown {
    if (isUnknown(compat)) return UNKNOWN;
    const list = asArray(compat);
    if (list === UNKNOWN) return UNKNOWN;
    if (!list) return false;
    if (list.some(isUnknown)) return UNKNOWN;
    return list.some((v) => typeof v === "string" && v.toUpperCase() === "FARGATE");
}

/**
 * The task definition declared by a resource of type `type`, or `undefined` when the type declares
 * none, an awsx service uses an existing `taskDefinition`, or an awsx component is registered
 * without the program's args (a real preview: its child task definition is judged; see awsx.ts).
 */
export function readTaskDefinition(type: string, props: Record<string, unknown>): TaskDefinitionView | undefined {
    switch (type) {
        case TYPES.taskDefinition:
            return {
                kind: "aws",
                prefix: "",
                fargate: fargateOf(field(props, "requiresCompatibilities")),
                cpu: field(props, "cpu"),
                memory: field(props, "memory"),
                containers: readContainerDefinitions(field(props, "containerDefinitions")),
            };
        case TYPES.awsxFargateTaskDefinition:
            if (field(props, "container") === undefined && field(props, "containers") === undefined) return undefined;
            return {
                kind: "awsx-task-definition",
                prefix: "",
                fargate: true,
                cpu: field(props, "cpu"),
                memory: field(props, "memory"),
                containers: readAwsxContainers(props, ""),
            };
        case TYPES.awsxFargateService: {
            const args = field(props, "taskDefinitionArgs");
            if (args === undefined) return undefined;
            return {
                kind: "awsx-service",
                prefix: "taskDefinitionArgs.",
                fargate: true,
                cpu: field(args, "cpu"),
                memory: field(args, "memory"),
                containers: readAwsxContainers(args, "taskDefinitionArgs."),
            };
        }
        default:
            return undefined;
    }
}
