import type { ResourceValidationPolicy } from "@pulumi/policy";
import { checkLogRetention } from "../domain/index";
import { containersToJudge, resourceRule } from "../kit";
import { TYPES, UNKNOWN, asString, field, show } from "../resources";

/**
 * CloudWatch keeps logs forever when a group has no retention, and bills their storage every month;
 * `awslogs-create-group` makes ECS create groups without one.
 */
export const logRetentionSet: ResourceValidationPolicy = {
    name: "log-retention-set",
    description: "CloudWatch log groups, including those the awslogs driver creates, must have a retention period.",
    enforcementLevel: "advisory",
    validateResource: resourceRule([TYPES.logGroup, TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService], {}, ctx => {
        if (ctx.type === TYPES.logGroup) {
            const raw = field(ctx.props, "retentionInDays");
            if (raw === UNKNOWN) {
                if (!ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: "retentionInDays" });
                return;
            }
            const verdict = checkLogRetention(raw);
            if (!verdict.ok) ctx.report.violation(ctx.subject, { path: "retentionInDays", found: show(raw), problem: verdict.message, fix: verdict.fix });
            return;
        }
        for (const c of containersToJudge(ctx) ?? []) {
            if (c.logConfiguration === UNKNOWN) {
                ctx.report.undecided(ctx.subject, { path: `${c.path}.logConfiguration` });
                continue;
            }
            if (!c.logConfiguration) continue;
            const driver = asString(field(c.logConfiguration, "logDriver"));
            const create = field(field(c.logConfiguration, "options"), "awslogs-create-group");
            if (driver === UNKNOWN || create === UNKNOWN) {
                ctx.report.undecided(ctx.subject, { path: `${c.path}.logConfiguration` });
                continue;
            }
            if (driver === "awslogs" && String(create).toLowerCase() === "true") {
                ctx.report.violation(ctx.subject, {
                    path: `${c.path}.logConfiguration.options.awslogs-create-group`, found: show(create),
                    problem: `ECS creates the log group of container '${c.name}' on first start without a retention period, so CloudWatch keeps (and bills) its logs forever, and the group is outside the program's control`,
                    fix: "Declare the log group as a resource (`aws.cloudwatch.LogGroup` with `retentionInDays`, e.g. 30), pass its name as `awslogs-group` and remove `awslogs-create-group`",
                });
            }
        }
    }),
};
