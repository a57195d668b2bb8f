import type { ResourceValidationPolicy } from "@pulumi/policy";
import { awsxFargateTaskSize, checkFargateTaskSize } from "../domain/index";
import { resourceRule } from "../kit";
import { TYPES, type TaskDefinitionView, UNKNOWN, field, isUnknown, readTaskDefinition, show } from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

/**
 * The size awsx gives a task from its args: the explicit `cpu`/`memory`, the rest computed from the
 * containers as awsx does (`awsxFargateTaskSize`). `undefined` when a container size is not known.
 */
function awsxEffectiveSize(td: TaskDefinitionView): { cpu: unknown; memory: unknown; computed: string[] } | { exceeds: true } | undefined {
    if (td.cpu !== undefined && td.memory !== undefined) return { cpu: td.cpu, memory: td.memory, computed: [] };
    if (td.containers.status !== "ok") return undefined;
    const sizes = td.containers.containers.map((c) => ({
        cpu: field(c.raw, "cpu"),
        memory: field(c.raw, "memory"),
        memoryReservation: field(c.raw, "memoryReservation"),
    }));
    const sized = awsxFargateTaskSize(sizes);
    if (!sized || "exceeds" in sized) return sized;
    const computed = (["cpu", "memory"] as const).filter((f) => td[f] === undefined);
    return { cpu: td.cpu ?? String(sized.cpu), memory: td.memory ?? String(sized.memory), computed };
}

/**
 * Fargate accepts only the cpu/memory pairs of its size table; anything else fails at
 * RegisterTaskDefinition. Judges `aws:ecs/taskDefinition:TaskDefinition`, including the one awsx
 * creates in a real preview: it carries the effective size, also when awsx computed it. Offline,
 * where awsx renders no child, the awsx FargateTaskDefinition / FargateService args are judged with
 * the size awsx would give them: explicit `cpu`/`memory`, the rest computed from the containers as
 * awsx computes it (its automatic sizing picks 1 GiB steps for 8/16 vCPU, which AWS rejects).
 */
export const fargateTaskSizeValid: ResourceValidationPolicy = {
    name: "fargate-task-size-valid",
    description: "Fargate task definitions must use a cpu/memory pair from the Fargate task size table.",
    enforcementLevel: "mandatory",
    validateResource: resourceRule([TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService], {}, (ctx) => {
        const td = readTaskDefinition(ctx.type, ctx.props);
        if (!td) return;
        const size = td.kind === "aws" ? { cpu: td.cpu, memory: td.memory, computed: [] } : awsxEffectiveSize(td);
        if (!size) return; // a container size awsx would add up is not known: nothing to compute
        if ("exceeds" in size) {
            return ctx.report.violation(ctx.subject, {
                path:
                    td.containers.status === "ok" && td.containers.containers.length === 1
                        ? td.containers.containers[0].path
                        : `${td.prefix}containers`,
                found: "container cpu/memory above every Fargate size",
                problem:
                    'awsx refuses to size the task ("Requested resources exceed the maximum allowed for Fargate"), so the update fails',
                fix: "Lower the containers' `cpu`/`memory`, or split them over several services",
            });
        }
        if (td.fargate === UNKNOWN) {
            if (!ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: "requiresCompatibilities" });
            return;
        }
        if (!td.fargate) return;
        const unknownField = isUnknown(size.cpu) ? "cpu" : isUnknown(size.memory) ? "memory" : undefined;
        if (unknownField) {
            if (!ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: `${td.prefix}${unknownField}` });
            return;
        }
        const verdict = checkFargateTaskSize(size.cpu, size.memory);
        if (!verdict.valid) {
            const found = verdict.field === "cpu" ? size.cpu : size.memory;
            const computed =
                size.computed.length > 0 ? ` (${size.computed.join(" and ")} computed by awsx from the containers' sizes)` : "";
            ctx.report.violation(ctx.subject, {
                path: `${td.prefix}${verdict.field}`,
                found: `cpu ${show(size.cpu)}, memory ${show(size.memory)}${found === undefined ? ` (${verdict.field} unset)` : ""}${computed}`,
                problem: `${verdict.message} Fargate rejects the task definition`,
                fix:
                    size.computed.length > 0
                        ? `${verdict.fix.replace(/\.$/, "")}: set \`${td.prefix}cpu\` and \`${td.prefix}memory\` explicitly`
                        : verdict.fix,
            });
        }
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(fargateTaskSizeValid, {
    checks: `the \`cpu\`/\`memory\` pair of every Fargate task definition (\`requiresCompatibilities\`
contains \`FARGATE\`) against the Fargate size table, in either spelling (\`1024\`/\`"1 vCPU"\`,
\`2048\`/\`"2 GB"\`), via \`checkFargateTaskSize\` — raw task definitions and the one awsx creates (a
real preview); offline, the args of awsx \`FargateTaskDefinition\`/\`FargateService\` with the size
awsx gives them: explicit \`cpu\`/\`memory\`, the rest computed from the containers' \`cpu\` and
\`memoryReservation\`/\`memory\` as awsx computes it (\`awsxFargateTaskSize\`, which also reports sizes
awsx refuses).`,
    rationale: `Fargate accepts only the cpu/memory pairs of its task size table: any other
pair fails RegisterTaskDefinition and the deployment; awsx's automatic sizing
picks 1 GiB steps for 8/16 vCPU, which AWS rejects (8 vCPU needs 4 GiB steps, 16 vCPU 8 GiB).`,
    config: `none.`,
    remediation: `Pick a memory size the cpu offers, or the cpu that offers the memory.`,
    examples: `Fails:
\`\`\`ts
new aws.ecs.TaskDefinition("api", { requiresCompatibilities: ["FARGATE"], cpu: "8192", memory: "18432", /* … */ });
\`\`\`
Passes:
\`\`\`ts
new aws.ecs.TaskDefinition("api", { requiresCompatibilities: ["FARGATE"], cpu: "8192", memory: "20480", /* … */ });
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: fargateTaskSizeValid, metadata };
