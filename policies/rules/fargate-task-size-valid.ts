import type { ResourceValidationPolicy } from "@pulumi/policy";
import { checkFargateTaskSize } from "../domain/index";
import { resourceRule } from "../kit";
import { TYPES, UNKNOWN, isUnknown, readTaskDefinition, show } from "../resources";

/**
 * Fargate accepts only the cpu/memory pairs of its size table; anything else fails at
 * RegisterTaskDefinition. Judges `aws:ecs/taskDefinition:TaskDefinition`, including the one awsx
 * creates: it carries the effective size, also when awsx computed it (awsx's automatic sizing picks
 * 1 GiB steps for 8/16 vCPU, which AWS rejects). It also judges the awsx FargateTaskDefinition /
 * FargateService args when they set both `cpu` and `memory`: awsx components are remote, so their
 * children are not rendered offline or in a preview of a program that has never been deployed
 * (a real preview can then report an explicit bad pair twice: on the args and on the child).
 */
export const fargateTaskSizeValid: ResourceValidationPolicy = {
    name: "fargate-task-size-valid",
    description: "Fargate task definitions must use a cpu/memory pair from the Fargate task size table.",
    enforcementLevel: "mandatory",
    validateResource: resourceRule([TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService], {}, ctx => {
        const td = readTaskDefinition(ctx.type, ctx.props);
        if (!td) return;
        // awsx args without an explicit pair: awsx sizes the task itself and its child is judged.
        if (td.kind !== "aws" && (td.cpu === undefined || td.memory === undefined)) return;
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
