import type { ResourceValidationPolicy } from "@pulumi/policy";
import {
    type ContainerMemory,
    type PortMappingShape,
    type RegistrationProblem,
    checkContainerMemory,
    checkContainersMemorySum,
    checkHealthCheckForm,
    checkImageValue,
    checkLogOptions,
    checkMappingPorts,
    checkPortMappings,
    noEssentialContainer,
    parseMemory,
} from "../domain/index";
import { type ResourceContext, containersToJudge, resourceRule } from "../kit";
import { type PackRule, ruleMetadata } from "../kit/metadata";
import {
    type ContainerView,
    TYPES,
    type TaskDefinitionView,
    UNKNOWN,
    asNumberValue,
    asRecord,
    asString,
    containsUnknown,
    field,
    isUnknown,
    readTaskDefinition,
} from "../resources";

type Ctx = ResourceContext<object>;

function report(ctx: Ctx, path: string, p: RegistrationProblem): void {
    ctx.report.violation(ctx.subject, { path, found: p.found, problem: p.message, fix: p.fix });
}

function judgeImage(ctx: Ctx, c: ContainerView): void {
    const image = field(c.raw, "image");
    if (image === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: `${c.path}.image` });
    const problem = checkImageValue(image);
    if (problem) report(ctx, `${c.path}.image`, problem);
}

function judgeLogs(ctx: Ctx, c: ContainerView, fargate: boolean): void {
    if (c.logConfiguration === undefined) return;
    if (c.logConfiguration === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: `${c.path}.logConfiguration` });
    const driver = asString(field(c.logConfiguration, "logDriver"));
    const options = asRecord(field(c.logConfiguration, "options"));
    if (driver === UNKNOWN || options === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: `${c.path}.logConfiguration` });
    if (!options) return;
    const known: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options)) {
        if (!containsUnknown(value)) {
            known[key] = field(options, key);
            continue;
        }
        ctx.report.undecided(ctx.subject, { path: `${c.path}.logConfiguration.options.${key}` });
        known[key] = "(not known yet)"; // the key is there; only its value is judged later
    }
    for (const p of checkLogOptions(driver, known, { fargate })) report(ctx, `${c.path}.${p.field}`, p);
}

/** A malformed health check form, for containers `container-health-check-required` does not judge (non-essential ones). */
function judgeHealthCheckForm(ctx: Ctx, c: ContainerView): void {
    if (c.essential !== false || !c.healthCheck || c.healthCheck === UNKNOWN) return;
    const command = field(c.healthCheck, "command");
    if (isUnknown(command)) return ctx.report.undecided(ctx.subject, { path: `${c.path}.healthCheck.command` });
    const problem = checkHealthCheckForm(command);
    if (problem) report(ctx, `${c.path}.${problem.field}`, problem);
}

/** `memory`/`memoryReservation` in MiB; `undefined` when a value is unknown (reported). */
function containerMemory(ctx: Ctx, c: ContainerView): ContainerMemory | undefined {
    const out: ContainerMemory = {};
    for (const key of ["memory", "memoryReservation"] as const) {
        const value = asNumberValue(field(c.raw, key));
        if (value === UNKNOWN) {
            ctx.report.undecided(ctx.subject, { path: `${c.path}.${key}` });
            return undefined;
        }
        if (value !== undefined) out[key] = value;
    }
    return out;
}

function portMappings(ctx: Ctx, c: ContainerView): PortMappingShape[] {
    if (c.portMappings === UNKNOWN) {
        ctx.report.undecided(ctx.subject, { path: `${c.path}.portMappings` });
        return [];
    }
    return (c.portMappings ?? []).flatMap((m, index) => {
        const containerPort = asNumberValue(field(m, "containerPort"));
        const hostPort = asNumberValue(field(m, "hostPort"));
        const protocol = asString(field(m, "protocol"));
        if (containerPort === UNKNOWN || hostPort === UNKNOWN || protocol === UNKNOWN) {
            ctx.report.undecided(ctx.subject, { path: `${c.path}.portMappings[${index}]` });
            return [];
        }
        // A port that cannot exist is ECS's refusal on its own; the mapping is not compared with the others.
        const garbage = checkMappingPorts({ containerPort: field(m, "containerPort"), hostPort: field(m, "hostPort") }, index);
        for (const p of garbage) report(ctx, `${c.path}.${p.field}`, p);
        return garbage.length > 0 ? [] : [{ container: c.name, index, containerPort, hostPort, protocol }];
    });
}

/** The task's memory in MiB when it is set and known (awsx computes it from the containers when unset). */
function taskMemory(ctx: Ctx, prefix: string, raw: unknown): number | undefined {
    if (raw === UNKNOWN) {
        ctx.report.undecided(ctx.subject, { path: `${prefix}memory` });
        return undefined;
    }
    const parsed = raw === undefined ? undefined : parseMemory(raw);
    return parsed?.ok ? parsed.value : undefined; // an unreadable size is fargate-task-size-valid's finding
}

/**
 * A container list that cannot be read at all (not JSON, not a JSON array, missing): the provider
 * sends `containerDefinitions` to `RegisterTaskDefinition` as it is, and ECS refuses it. Without
 * this, the other checks find no container to judge and the pack stays silent (issue 16, item 4).
 */
function judgeUnreadable(ctx: Ctx, td: TaskDefinitionView): void {
    if (td.containers.status !== "invalid") return;
    const value = field(ctx.props, td.containers.field);
    // The value is rendered by its type and length only: it may hold credentials (environment values).
    const found =
        typeof value === "string"
            ? `a string of ${value.length} characters`
            : value === undefined
              ? "unset"
              : `a ${Array.isArray(value) ? "list" : typeof value}`;
    ctx.report.violation(ctx.subject, {
        path: td.containers.field,
        found,
        problem: `\`${td.containers.field}\` ${td.containers.reason}, so ECS rejects the task definition`,
        fix: "Pass a JSON array of container definitions (e.g. `pulumi.jsonStringify([{ name, image, … }])`).",
    });
}

/**
 * `RegisterTaskDefinition` (or the container start right after it) rejects or mangles what a
 * program can easily produce: a stringified Output as the image, a Promise as a log option, a
 * misspelt awslogs option, memory the task does not have, a port that cannot exist, one port mapped twice.
 */
export const containerDefinitionRegisters: ResourceValidationPolicy = {
    name: "container-definition-registers",
    description:
        "Container definitions must be registrable: a string image, string log options the awslogs driver knows, a health check form ECS reads, memory within the task's, port numbers that exist, each port mapped once, and at least one essential container.",
    enforcementLevel: "mandatory",
    validateResource: resourceRule([TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService], {}, (ctx) => {
        const containers = containersToJudge(ctx);
        const td = readTaskDefinition(ctx.type, ctx.props);
        if (td) judgeUnreadable(ctx, td);
        if (!containers || !td) return;
        const fargate = td.fargate === true;
        const networkMode = td.kind === "aws" ? asString(field(ctx.props, "networkMode")) : "awsvpc";
        const awsvpc = networkMode === "awsvpc" || fargate;
        const memoryOfTask = taskMemory(ctx, td.prefix, td.memory);
        const memories: Array<ContainerMemory & { name: string }> = [];
        const mappings: PortMappingShape[] = [];
        let essentialsKnown = true;
        for (const c of containers) {
            judgeImage(ctx, c);
            judgeLogs(ctx, c, fargate);
            judgeHealthCheckForm(ctx, c);
            const memory = containerMemory(ctx, c);
            if (memory) {
                memories.push({ name: c.name, ...memory });
                for (const p of checkContainerMemory(memory, memoryOfTask)) report(ctx, `${c.path}.${p.field}`, p);
            }
            mappings.push(...portMappings(ctx, c));
            if (c.essential === UNKNOWN) essentialsKnown = false;
        }
        const sum = memories.length === containers.length ? checkContainersMemorySum(memories, memoryOfTask) : undefined;
        if (sum) report(ctx, `${td.prefix}memory`, sum);
        for (const p of checkPortMappings(mappings, { awsvpc })) {
            report(ctx, `${containers.find((c) => c.name === p.container)?.path ?? td.prefix}.${p.field}`, p);
        }
        const none = essentialsKnown ? noEssentialContainer(containers.map((c) => c.essential === true)) : undefined;
        if (none) report(ctx, td.kind === "aws" ? "containerDefinitions" : `${td.prefix}container(s)`, none);
        if (!essentialsKnown && containers.every((c) => c.essential !== true))
            ctx.report.undecided(ctx.subject, { path: `${td.prefix}containers[*].essential` });
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(containerDefinitionRegisters, {
    checks: `each container of a task definition (raw, awsx args, and the task definition awsx
creates) with \`domain/container-registration.ts\` — and first that a raw task definition's
\`containerDefinitions\` is a JSON array at all (invalid JSON or another JSON value is a violation
that shows only the value's type and length, since it may hold credentials):

- \`image\` is a string, and not the text of a stringified Output or object (\`Calling [toJSON] on an
  [Output<T>]…\`, \`[object Object]\`) — what \`\` \`\${repo.repositoryUrl}:1.0\` \`\` outside \`interpolate\` produces;
- \`logConfiguration.options\` values are strings (a Promise or Output resolved too late becomes \`{}\`);
  with the awslogs driver, every key is an awslogs option (ECS API reference \`LogConfiguration\` plus
  Docker's awslogs driver: \`awslogs-group\`, \`awslogs-region\`, \`awslogs-stream-prefix\`,
  \`awslogs-create-group\`, \`awslogs-datetime-format\`, \`awslogs-multiline-pattern\`, \`mode\`,
  \`max-buffer-size\`, \`awslogs-endpoint\`, \`awslogs-stream\`, \`awslogs-create-stream\`,
  \`awslogs-credentials-endpoint\`, \`awslogs-force-flush-interval-seconds\`,
  \`awslogs-max-buffered-events\`, \`awslogs-format\`, \`tag\`; a typo names the closest one), and the
  required ones are there (\`awslogs-group\`, \`awslogs-region\`; \`awslogs-stream-prefix\` on Fargate);
- \`healthCheck.command\` starts with \`CMD\`, \`CMD-SHELL\` or \`NONE\` — for non-essential containers
  (essential ones are reported by \`container-health-check-required\`, so nothing is reported twice);
- container \`memory\`/\`memoryReservation\` are at least 6 MiB and at most the task's memory,
  \`memoryReservation\` is below \`memory\`, and the containers' reservations fit in the task's memory;
- \`portMappings[].containerPort\` is a port that exists (a whole number 1–65535, \`checkPortValue\`
  in \`domain/port-numbers.ts\`) and \`hostPort\` too (0, a dynamic host port, allowed): \`-1\`, \`70000\`,
  \`3000.5\`, \`"http"\` are violations, a port not known yet is undecided;
- each \`containerPort\`/protocol is mapped once per task (awsvpc: one network namespace), and
  \`hostPort\` is unset or equal to \`containerPort\`;
- at least one container is essential.

Unknown values (an image URI computed in a preview, a log group name) are \`[undecided]\`.`,
    rationale: `Each of these fails \`RegisterTaskDefinition\` (so the update fails), or registers and then
fails every task at start (an image that is the text \`Calling [toJSON]…\`, a misspelt
\`awslogs-stream-prefixs\` the driver refuses).`,
    config: `none.`,
    remediation: `Pass Outputs themselves (or build strings with \`pulumi.interpolate\`), resolve values
before they go into the JSON, use the option names above, keep container memory inside the task's, use ports 1–65535.`,
    examples: `Fails:
\`\`\`ts
containerDefinitions: JSON.stringify([{ name: "app", image: \`\${repo.repositoryUrl}:1.0\`, essential: true,
    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/app", "awslogs-region": "eu-west-1", "awslogs-stream-prefixs": "app" } } }])
\`\`\`
Passes:
\`\`\`ts
containerDefinitions: pulumi.jsonStringify([{ name: "app", image: pulumi.interpolate\`\${repo.repositoryUrl}:1.0\`, essential: true,
    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/app", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "app" } } }])
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: containerDefinitionRegisters, metadata };
