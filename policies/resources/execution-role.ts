/**
 * The execution role of a task definition (raw `aws:ecs/TaskDefinition`, or awsx args) and where
 * the task runs: what `execution-role-can-read-secrets` judges the secrets against. Pure readers:
 * nothing here throws or reports.
 */
import type { PolicyResource } from "@pulumi/policy";
import { type ArnLocation, arnLocation } from "../domain/index";
import type { TaskDefinitionSource } from "./containers";
import { type RoleGrants, awsxDefaultRoleGrants, findRole, roleArn, roleGrants } from "./iam";
import { propertyDependencies } from "./stack";
import { TYPES } from "./types";
import { UNKNOWN, asBoolean, field, rawProps } from "./values";

/** The role's grants (and ARN, for key policies naming it), no role at all, or why it cannot be told. */
export type ExecutionRoleRead = { grants: RoleGrants; name: string; arn?: string } | { none: string } | { undecided: string };

/** The task's region and account: from its own ARN, else the one location all ARNs of the stack share. */
export function taskLocation(td: PolicyResource, resources: readonly PolicyResource[]): ArnLocation | undefined {
    const own = arnLocation(field(rawProps(td.props), "arn"));
    if (own) return own;
    const seen = new Map<string, ArnLocation>();
    for (const r of resources) {
        const loc = arnLocation(field(rawProps(r.props), "arn"));
        if (loc) seen.set(`${loc.partition}:${loc.region}:${loc.account}`, loc);
    }
    return seen.size === 1 ? [...seen.values()][0] : undefined;
}

/** The execution role of `source`: the role its ARN names, awsx's default role, or none. */
export function executionRoleOf(source: TaskDefinitionSource, resources: readonly PolicyResource[]): ExecutionRoleRead {
    const td = source.resource;
    const props = rawProps(td.props);
    if (td.type === TYPES.taskDefinition) {
        const reference = field(props, "executionRoleArn");
        if (reference === undefined) return { none: "the task definition has no `executionRoleArn`" };
        return roleByReference(
            reference,
            td,
            "executionRoleArn",
            resources,
            (n) => `\`executionRoleArn\` is unknown and ${n === 0 ? "no" : n} role(s) of this stack feed it`,
        );
    }
    // awsx FargateService / FargateTaskDefinition args.
    const args = td.type === TYPES.awsxFargateService ? field(props, "taskDefinitionArgs") : props;
    const executionRole = field(args, "executionRole");
    if (executionRole === UNKNOWN) return { undecided: "`executionRole` is unknown" };
    if (asBoolean(field(executionRole, "skip")) === true) {
        return { none: "`executionRole.skip` is true, so the task definition has no execution role" };
    }
    const reference = field(executionRole, "roleArn");
    if (reference !== undefined) {
        const feeding = source.containersProperty === "containers" ? "executionRole" : "taskDefinitionArgs";
        return roleByReference(
            reference,
            td,
            feeding,
            resources,
            () => "`executionRole.roleArn` is unknown and no single role of this stack feeds it",
        );
    }
    return {
        grants: awsxDefaultRoleGrants(field(executionRole, "args"), resources),
        name: "the role awsx creates (AmazonECSTaskExecutionRolePolicy)",
    };
}

/**
 * The role a reference names; an unknown reference (a preview) is the one role of this stack that
 * feeds `property` (its property dependencies), else undecided with `unknownReason(candidates)`.
 */
function roleByReference(
    reference: unknown,
    td: PolicyResource,
    property: string,
    resources: readonly PolicyResource[],
    unknownReason: (candidates: number) => string,
): ExecutionRoleRead {
    let role = findRole(reference, resources);
    if (!role && reference === UNKNOWN) {
        const candidates = propertyDependencies(td, property).filter((r) => r.type === TYPES.iamRole);
        if (candidates.length !== 1) return { undecided: unknownReason(candidates.length) };
        role = candidates[0];
    }
    if (!role) return { undecided: `the execution role ${String(reference)} is not managed in this stack` };
    const arn = roleArn(role);
    return { grants: roleGrants(role, resources), name: `'${role.name}'`, ...(arn ? { arn } : {}) };
}
