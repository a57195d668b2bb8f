import type { ResourceValidationPolicy } from "@pulumi/policy";
import { checkLogRetention } from "../domain/index";
import { type ResourceContext, containersToJudge, resourceRule } from "../kit";
import { TYPES, UNKNOWN, asString, awsxLogGroup, field, hasAwsxArgs, show } from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

/**
 * CloudWatch keeps logs forever when a group has no retention, and bills their storage every month;
 * `awslogs-create-group` makes ECS create groups without one, and so does awsx for every task
 * definition unless told otherwise (its log group is a child judged in a real preview; offline,
 * where awsx renders no child, the component's `logGroup` args are judged instead).
 */
/** The log group awsx creates from FargateTaskDefinition/FargateService args (`logGroup.args`). */
function judgeAwsxLogGroup(ctx: ResourceContext<object>): void {
    const prefix = ctx.type === TYPES.awsxFargateService ? "taskDefinitionArgs." : "";
    const args = prefix ? field(ctx.props, "taskDefinitionArgs") : ctx.props;
    if (args === undefined) return; // an existing `taskDefinition`: awsx creates no log group
    const group = awsxLogGroup(args, prefix);
    if (group === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: `${prefix}logGroup` });
    if (!group.created) return;
    if (group.retentionInDays === UNKNOWN) return ctx.report.undecided(ctx.subject, { path: group.path });
    const verdict = checkLogRetention(group.retentionInDays);
    if (!verdict.ok) {
        ctx.report.violation(ctx.subject, {
            path: group.path,
            found: `${show(group.retentionInDays)}${group.retentionInDays === undefined ? " (awsx creates the task's log group without a retention)" : ""}`,
            problem: verdict.message,
            fix: `${verdict.fix} With awsx: \`${prefix}logGroup: { args: { retentionInDays: 30 } }\`, or \`${prefix}logGroup: { existing: { name } }\` for a group the program manages`,
        });
    }
}

export const logRetentionSet: ResourceValidationPolicy = {
    name: "log-retention-set",
    description: "CloudWatch log groups, including those the awslogs driver creates, must have a retention period.",
    enforcementLevel: "advisory",
    validateResource: resourceRule(
        [TYPES.logGroup, TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService],
        {},
        (ctx) => {
            if (ctx.type === TYPES.logGroup) {
                const raw = field(ctx.props, "retentionInDays");
                if (raw === UNKNOWN) {
                    if (!ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: "retentionInDays" });
                    return;
                }
                const verdict = checkLogRetention(raw);
                if (!verdict.ok)
                    ctx.report.violation(ctx.subject, {
                        path: "retentionInDays",
                        found: show(raw),
                        problem: verdict.message,
                        fix: verdict.fix,
                    });
                return;
            }
            if (ctx.type !== TYPES.taskDefinition && hasAwsxArgs(ctx.type, ctx.props)) judgeAwsxLogGroup(ctx);
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
                        path: `${c.path}.logConfiguration.options.awslogs-create-group`,
                        found: show(create),
                        problem: `ECS creates the log group of container '${c.name}' on first start without a retention period, so CloudWatch keeps (and bills) its logs forever, and the group is outside the program's control`,
                        fix: "Declare the log group as a resource (`aws.cloudwatch.LogGroup` with `retentionInDays`, e.g. 30), pass its name as `awslogs-group` and remove `awslogs-create-group`",
                    });
                }
            }
        },
    ),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(logRetentionSet, {
    checks: `\`aws:cloudwatch/logGroup:LogGroup\` (also the one awsx creates for a task definition)
has a \`retentionInDays\` CloudWatch accepts (unset or 0 = never expires), no awslogs container sets
\`awslogs-create-group: "true"\`, and — offline — the log group awsx will create from
FargateTaskDefinition/FargateService args (unless \`logGroup.skip\` or \`logGroup.existing\`) gets
\`logGroup.args.retentionInDays\`, via \`checkLogRetention\`.`,
    rationale: `Groups without retention keep and bill logs forever; ECS creates awslogs groups without
retention, outside the program. So does awsx for every task definition, by default.`,
    config: `none.`,
    remediation: `Declare the log group with \`retentionInDays\` and point \`awslogs-group\` at it.`,
    examples: `Fails:
\`\`\`ts
new aws.cloudwatch.LogGroup("api", { name: "/ecs/api" });
\`\`\`
Passes:
\`\`\`ts
new aws.cloudwatch.LogGroup("api", { name: "/ecs/api", retentionInDays: 30 });
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: logRetentionSet, metadata };
