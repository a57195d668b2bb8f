import type { ResourceValidationPolicy } from "@pulumi/policy";
import { checkFargateTaskSize } from "../domain";
import { resourceRule } from "../kit";
import { TYPES, UNKNOWN, isUnknown, readTaskDefinition, show } from "../resources";

/**
 * Fargate accepts only the cpu/memory pairs of its size table; anything else fails at
 * RegisterTaskDefinition. Judges `aws:ecs/taskDefinition:TaskDefinition` only, including the one
 * awsx creates: it carries the effective size, also when awsx computed it (awsx's automatic sizing
 * picks 1 GiB steps for 8/16 vCPU, which AWS rejects), so each mistake is reported once.
 */
export const fargateTaskSizeValid: ResourceValidationPolicy = {
    name: "fargate-task-size-valid",
    description: "Fargate task definitions must use a cpu/memory pair from the Fargate task size table.",
    enforcementLevel: "mandatory",
    validateResource: resourceRule([TYPES.taskDefinition], {}, ctx => {
        const td = readTaskDefinition(ctx.type, ctx.props);
        if (!td) return;
        if (td.fargate === UNKNOWN) {
            if (!ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: "requiresCompatibilities" });
            return;
        }
        if (!td.fargate) return;
        const unknownField = isUnknown(td.cpu) ? "cpu" : isUnknown(td.memory) ? "memory" : undefined;
        if (unknownField) {
            if (!ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: `${td.prefix}${unknownField}` });
            return;
        }
        const verdict = checkFargateTaskSize(td.cpu, td.memory);
        if (!verdict.valid) {
            const found = verdict.field === "cpu" ? td.cpu : td.memory;
            ctx.report.violation(ctx.subject, {
                path: `${td.prefix}${verdict.field}`,
                found: `cpu ${show(td.cpu)}, memory ${show(td.memory)}${found === undefined ? ` (${verdict.field} unset)` : ""}`,
                problem: `${verdict.message} Fargate rejects the task definition`,
                fix: verdict.fix,
            });
        }
    }),
};
