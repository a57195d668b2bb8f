/**
 * What `RegisterTaskDefinition` (or the container start right after it) rejects or silently mangles
 * in a container definition: an image that is not a string, log options that are not strings or are
 * not options of the awslogs driver, a health check command ECS cannot read, container memory
 * outside what the task offers, one port mapped twice, no essential container.
 *
 * Sources (read Nov 2026):
 * - ECS API reference, `LogConfiguration.options`: awslogs options `awslogs-create-group`,
 *   `awslogs-region` (required), `awslogs-group` (required), `awslogs-stream-prefix` (required on
 *   Fargate), `awslogs-datetime-format`, `awslogs-multiline-pattern`, `mode`, `max-buffer-size`; the
 *   map's values are strings (`"options": { "string": "string" }`).
 * - Docker's awslogs logging driver (docs.docker.com/engine/logging/drivers/awslogs), the driver
 *   ECS runs: also `awslogs-endpoint`, `awslogs-stream`, `awslogs-create-stream`,
 *   `awslogs-credentials-endpoint`, `awslogs-force-flush-interval-seconds`,
 *   `awslogs-max-buffered-events`, `awslogs-format`, `tag`. Its `ValidateLogOpt` refuses any other
 *   key, so a misspelt option never reaches CloudWatch.
 * - ECS API reference, `ContainerDefinition.memory`/`memoryReservation`: "The total amount of memory
 *   reserved for all containers within a task must be lower than the task memory value"; "If you
 *   specify both, memory must be greater than memoryReservation"; "The Docker 20.10.0 or later
 *   daemon reserves a minimum of 6 MiB of memory for a container. So, don't specify less than 6 MiB".
 * - ECS API reference, `HealthCheck.command`: "CMD" (exec), "CMD-SHELL" (shell) or "NONE".
 * - ECS API reference, `PortMapping`: with the awsvpc network mode (Fargate's only mode) `hostPort`
 *   is left blank or equal to `containerPort`; the task's containers share one network namespace.
 *   Which numbers are ports at all: port-numbers.ts.
 *
 * Pure: no Pulumi, no I/O, never throws.
 */
import { checkPortValue } from "./port-numbers";

/** Options of the awslogs driver: the ECS API reference's list plus Docker's awslogs driver. */
export const AWSLOGS_OPTIONS: readonly string[] = [
    "awslogs-region",
    "awslogs-group",
    "awslogs-stream-prefix",
    "awslogs-create-group",
    "awslogs-datetime-format",
    "awslogs-multiline-pattern",
    "mode",
    "max-buffer-size",
    "awslogs-endpoint",
    "awslogs-stream",
    "awslogs-create-stream",
    "awslogs-credentials-endpoint",
    "awslogs-force-flush-interval-seconds",
    "awslogs-max-buffered-events",
    "awslogs-format",
    "tag",
];

/** awslogs options the ECS API reference marks "Required: Yes" (`awslogs-stream-prefix` only on Fargate). */
export function requiredAwslogsOptions(fargate: boolean): string[] {
    return fargate ? ["awslogs-group", "awslogs-region", "awslogs-stream-prefix"] : ["awslogs-group", "awslogs-region"];
}

/** The Docker daemon's minimum memory for one container (Docker 20.10.0 and later). */
export const CONTAINER_MIN_MEMORY_MIB = 6;

/** The first words ECS accepts in `healthCheck.command`. */
export const HEALTH_CHECK_FORMS: readonly string[] = ["CMD", "CMD-SHELL", "NONE"];

export interface RegistrationProblem {
    id:
        | "image-not-a-string"
        | "image-stringified-object"
        | "log-option-not-a-string"
        | "unknown-awslogs-option"
        | "awslogs-option-missing"
        | "health-check-first-word"
        | "memory-below-minimum"
        | "memory-above-task"
        | "memory-reservation-not-below-memory"
        | "containers-memory-above-task"
        | "duplicate-container-port"
        | "host-port-differs"
        | "port-does-not-exist"
        | "no-essential-container";
    /** Field path below the container (or the task), e.g. `logConfiguration.options.awslogs-stream-prefixs`. */
    field: string;
    /** The value found, rendered (never free text that may hold a credential). */
    found: string;
    message: string;
    fix: string;
}

/** Text a program produces by stringifying an Output or an object instead of its value. */
const STRINGIFIED = /Calling \[toJSON\] on an \[Output<T>\]|Calling \[toString\] on an \[Output<T>\]|\[object (Object|Promise)\]/;

/** Checks a container's `image` value (already known, i.e. not an unknown placeholder). */
export function checkImageValue(image: unknown): RegistrationProblem | undefined {
    if (typeof image === "string") {
        if (STRINGIFIED.test(image)) {
            return {
                id: "image-stringified-object",
                field: "image",
                found: JSON.stringify(image.length > 60 ? `${image.slice(0, 57)}...` : image),
                message:
                    "The image is the text of a stringified Pulumi Output or object, not an image reference: every task fails with CannotPullContainerError",
                fix: "Pass the Output itself (`image: repo.repositoryUrl`, `image: img.imageUri`) or build the string inside `pulumi.interpolate`/`apply`, never with a template string or `String(output)`",
            };
        }
        if (image.trim() === "") {
            return {
                id: "image-not-a-string",
                field: "image",
                found: '""',
                message: "The image is empty: ECS rejects the task definition",
                fix: "Set `image` to an image reference such as `<account>.dkr.ecr.<region>.amazonaws.com/app:1.2.3`",
            };
        }
        return undefined;
    }
    const kind = image === undefined ? "unset" : image === null ? "null" : Array.isArray(image) ? "a list" : `a ${typeof image}`;
    return {
        id: "image-not-a-string",
        field: "image",
        found: kind,
        message:
            "ECS needs `image` to be a string: the task definition is rejected (a resource object passed instead of its URL ends up here)",
        fix: "Pass the image reference string: `image: repo.repositoryUrl.apply(url => `${url}:1.2.3`)` or `img.imageUri`, not the resource object",
    };
}

/** Levenshtein distance, bounded (returns `max + 1` once it is exceeded). */
function editDistance(a: string, b: string, max = 4): number {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++)
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
    }
    return previous[b.length];
}

/** The known awslogs option closest to `key` (a typo's intended option), if one is close. */
export function closestAwslogsOption(key: string): string | undefined {
    let best: { option: string; distance: number } | undefined;
    for (const option of AWSLOGS_OPTIONS) {
        const distance = editDistance(key.toLowerCase(), option);
        if (distance <= 3 && (!best || distance < best.distance)) best = { option, distance };
    }
    return best?.option;
}

/**
 * Checks `logConfiguration.options` of a container (values known). `options` is the raw map; for
 * the awslogs driver, unknown keys and missing required keys are reported; for every driver, values
 * that are not strings.
 */
export function checkLogOptions(
    driver: string | undefined,
    options: Record<string, unknown>,
    context: { fargate: boolean },
): RegistrationProblem[] {
    const problems: RegistrationProblem[] = [];
    for (const [key, value] of Object.entries(options)) {
        if (typeof value !== "string") {
            const kind =
                value === null
                    ? "null"
                    : Array.isArray(value)
                      ? "a list"
                      : typeof value === "object"
                        ? "an object (a stringified Promise or Output is `{}`)"
                        : `a ${typeof value}`;
            problems.push({
                id: "log-option-not-a-string",
                field: `logConfiguration.options.${key}`,
                found: kind,
                message: `Log driver options are a map of strings: ECS rejects ${kind} as the value of \`${key}\``,
                fix: 'Resolve the value before it goes into the container definition (inside `pulumi.all([...]).apply(...)`), and pass numbers and booleans as strings (`"true"`)',
            });
        }
    }
    if ((driver ?? "").toLowerCase() !== "awslogs") return problems;
    for (const key of Object.keys(options)) {
        if (AWSLOGS_OPTIONS.includes(key)) continue;
        const closest = closestAwslogsOption(key);
        problems.push({
            id: "unknown-awslogs-option",
            field: `logConfiguration.options.${key}`,
            found: JSON.stringify(key),
            message: `\`${key}\` is not an option of the awslogs log driver: the setting${closest ? ` you meant (\`${closest}\`)` : ""} is never applied, and Docker's awslogs driver refuses unknown options when the container starts ("unknown log opt")`,
            fix: closest ? `Rename the option to \`${closest}\`` : `Use only the awslogs options: ${AWSLOGS_OPTIONS.join(", ")}`,
        });
    }
    const meant = new Set(
        Object.keys(options)
            .filter((k) => !AWSLOGS_OPTIONS.includes(k))
            .map(closestAwslogsOption),
    );
    for (const required of requiredAwslogsOptions(context.fargate)) {
        // A misspelt required option is reported once, as the typo.
        if (Object.prototype.hasOwnProperty.call(options, required) || meant.has(required)) continue;
        problems.push({
            id: "awslogs-option-missing",
            field: "logConfiguration.options",
            found: `no \`${required}\``,
            message: `The awslogs driver requires \`${required}\`${required === "awslogs-stream-prefix" ? " on Fargate" : ""} (ECS API reference, LogConfiguration): without it the container's logs are not delivered`,
            fix: `Add \`"${required}"\` to the awslogs options${required === "awslogs-stream-prefix" ? " (e.g. the container name)" : ""}`,
        });
    }
    return problems;
}

/** Checks the first word of a health check command that is a list of strings. */
export function checkHealthCheckForm(command: unknown): RegistrationProblem | undefined {
    if (!Array.isArray(command) || command.length === 0 || typeof command[0] !== "string") return undefined;
    if (HEALTH_CHECK_FORMS.includes(command[0])) return undefined;
    return {
        id: "health-check-first-word",
        field: "healthCheck.command[0]",
        found: JSON.stringify(command[0].slice(0, 40)),
        message:
            "ECS reads the first element of `healthCheck.command` as the form (`CMD`, `CMD-SHELL` or `NONE`): any other word is rejected or never runs the probe",
        fix: `Prefix the command with its form: \`["CMD", ${command
            .slice(0, 2)
            .map((w) => JSON.stringify(String(w).slice(0, 30)))
            .join(", ")}, …]\` (exec) or \`["CMD-SHELL", "…"]\` (through /bin/sh)`,
    };
}

/** Memory settings of one container, in MiB (numbers already parsed; `undefined` = unset). */
export interface ContainerMemory {
    memory?: number;
    memoryReservation?: number;
}

/** Checks one container's memory against the Docker minimum, the task's memory and its own reservation. */
export function checkContainerMemory(container: ContainerMemory, taskMemoryMiB: number | undefined): RegistrationProblem[] {
    const problems: RegistrationProblem[] = [];
    for (const key of ["memory", "memoryReservation"] as const) {
        const value = container[key];
        if (value === undefined) continue;
        if (value < CONTAINER_MIN_MEMORY_MIB) {
            problems.push({
                id: "memory-below-minimum",
                field: key,
                found: `${value} MiB`,
                message: `Docker reserves at least ${CONTAINER_MIN_MEMORY_MIB} MiB for a container (ECS API reference): a smaller \`${key}\` is refused or the container is killed at start`,
                fix: `Set \`${key}\` to at least ${CONTAINER_MIN_MEMORY_MIB} MiB, or leave it unset to share the task's memory`,
            });
        } else if (taskMemoryMiB !== undefined && value > taskMemoryMiB) {
            problems.push({
                id: "memory-above-task",
                field: key,
                found: `${value} MiB, task memory ${taskMemoryMiB} MiB`,
                message: `A container cannot have more memory than its task: ECS rejects \`${key}\` above the task's ${taskMemoryMiB} MiB`,
                fix: `Lower \`${key}\` to at most ${taskMemoryMiB} MiB, raise the task's memory, or leave \`${key}\` unset`,
            });
        }
    }
    if (container.memory !== undefined && container.memoryReservation !== undefined && container.memoryReservation >= container.memory) {
        problems.push({
            id: "memory-reservation-not-below-memory",
            field: "memoryReservation",
            found: `memoryReservation ${container.memoryReservation} MiB, memory ${container.memory} MiB`,
            message: "ECS requires `memory` (the hard limit) to be greater than `memoryReservation` (the soft limit) when both are set",
            fix: "Lower `memoryReservation` below `memory`, or set only one of them",
        });
    }
    return problems;
}

/** The memory a container reserves from its task: `memoryReservation`, else `memory` (ECS's rule). */
export function reservedMemory(container: ContainerMemory): number | undefined {
    return container.memoryReservation ?? container.memory;
}

/** One port mapping of one container (numbers already parsed). */
export interface PortMappingShape {
    container: string;
    index: number;
    containerPort?: number;
    hostPort?: number;
    protocol?: string;
}

/**
 * The ports of one mapping that cannot exist (`containerPort` outside 1–65535 or not a whole
 * number, `hostPort` likewise but 0 allowed), as found (known values only: the caller leaves
 * unknown ones out). `index` is the mapping's position in `portMappings`.
 */
export function checkMappingPorts(mapping: { containerPort?: unknown; hostPort?: unknown }, index: number): RegistrationProblem[] {
    const problems: RegistrationProblem[] = [];
    for (const key of ["containerPort", "hostPort"] as const) {
        const problem = checkPortValue(mapping[key], key === "hostPort" ? "host-port" : "port");
        if (problem) problems.push({ id: "port-does-not-exist", field: `portMappings[${index}].${key}`, ...problem });
    }
    return problems;
}

/** Duplicate container ports within a task, and host ports that differ from the container port (awsvpc). */
export function checkPortMappings(
    mappings: PortMappingShape[],
    context: { awsvpc: boolean },
): Array<RegistrationProblem & { container: string; index: number }> {
    const problems: Array<RegistrationProblem & { container: string; index: number }> = [];
    const seen = new Map<string, PortMappingShape>();
    for (const m of mappings) {
        if (m.containerPort === undefined) continue;
        const protocol = (m.protocol ?? "tcp").toLowerCase();
        const key = `${m.containerPort}/${protocol}`;
        const first = seen.get(key);
        if (first && (context.awsvpc || first.container === m.container)) {
            problems.push({
                container: m.container,
                index: m.index,
                id: "duplicate-container-port",
                field: `portMappings[${m.index}].containerPort`,
                found: `${key}, already mapped by ${first.container === m.container ? `mapping ${first.index} of the same container` : `container '${first.container}'`}`,
                message:
                    "The containers of an awsvpc task share one network interface, so a port can be mapped once: the second mapping is rejected or its container cannot bind the port",
                fix: "Map each port once per task; give the second container (or listener) another port",
            });
        } else if (!first) {
            seen.set(key, m);
        }
        if (context.awsvpc && m.hostPort !== undefined && m.hostPort !== m.containerPort) {
            problems.push({
                container: m.container,
                index: m.index,
                id: "host-port-differs",
                field: `portMappings[${m.index}].hostPort`,
                found: `hostPort ${m.hostPort}, containerPort ${m.containerPort}`,
                message:
                    "With the awsvpc network mode (Fargate's only mode) `hostPort` must be blank or equal to `containerPort`: ECS rejects the task definition",
                fix: `Remove \`hostPort\` or set it to ${m.containerPort}`,
            });
        }
    }
    return problems;
}

/** The sum of the containers' reserved memory against the task's memory (ECS: it must not exceed it). */
export function checkContainersMemorySum(
    containers: Array<ContainerMemory & { name: string }>,
    taskMemoryMiB: number | undefined,
): RegistrationProblem | undefined {
    if (taskMemoryMiB === undefined || containers.length < 2) return undefined;
    const reserved = containers
        .map((c) => ({ name: c.name, mib: reservedMemory(c) }))
        .filter((c): c is { name: string; mib: number } => c.mib !== undefined);
    const total = reserved.reduce((sum, c) => sum + c.mib, 0);
    if (total <= taskMemoryMiB) return undefined;
    return {
        id: "containers-memory-above-task",
        field: "memory",
        found: `${reserved.map((c) => `'${c.name}' ${c.mib}`).join(" + ")} = ${total} MiB, task memory ${taskMemoryMiB} MiB`,
        message:
            "The memory the containers reserve together must fit in the task's memory (ECS API reference): ECS rejects the task definition",
        fix: "Lower the containers' `memoryReservation`/`memory`, or raise the task's memory to a Fargate size that holds them",
    };
}

/** A task whose containers' `essential` flags are all known false. */
export function noEssentialContainer(essentials: boolean[]): RegistrationProblem | undefined {
    if (essentials.length === 0 || essentials.some((e) => e)) return undefined;
    return {
        id: "no-essential-container",
        field: "essential",
        found: `${essentials.length} container(s), none essential`,
        message: "A task definition needs at least one essential container: ECS rejects it",
        fix: "Mark the app container `essential: true` (the default when `essential` is unset)",
    };
}
