/**
 * Following an execution role through the stack: the role (by ARN, or the property dependencies of
 * `executionRoleArn`), its inline and managed policies, the `RolePolicy`, `RolePolicyAttachment` and
 * `PolicyAttachment` resources that name it, and the `Policy` documents they point at. What cannot
 * be read is listed in `unknown` (the policy reports "cannot verify" instead of guessing).
 */
import type { PolicyResource } from "@pulumi/policy";
import { type IamStatement, awsManagedPolicyName, awsManagedPolicyStatements, parsePolicyDocument } from "../domain/index";
import { propertyDependencies } from "./stack";
import { TYPES } from "./types";
import { UNKNOWN, asArray, asString, field, isUnknown, rawProps } from "./values";

/** Everything the stack says a role may do. */
export interface RoleGrants {
    statements: IamStatement[];
    /** Sources of grants that could not be read (unknown values, policies outside the stack, unknown AWS managed policies). */
    unknown: string[];
}

const AWS_ECS_TASK_EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

function props(r: PolicyResource): Record<string, unknown> {
    return rawProps(r.props);
}

/** Names a role is referred to by: its ARN, name and id. */
function roleReferences(role: PolicyResource): string[] {
    const p = props(role);
    const refs = [field(p, "arn"), field(p, "name"), field(p, "id")].filter((v): v is string => typeof v === "string" && !isUnknown(v));
    return [...new Set(refs)];
}

/** Whether `reference` (a role name, id or ARN) names `role`; "unknown" when the reference is unknown and no dependency says. */
function refersTo(holder: PolicyResource, key: string, reference: unknown, role: PolicyResource): boolean | "unknown" {
    if (typeof reference === "string" && !isUnknown(reference)) {
        const refs = roleReferences(role);
        return refs.includes(reference) || refs.some((r) => r.endsWith(`:role/${reference}`) || reference.endsWith(`/${r}`));
    }
    if (reference === undefined) return false;
    const deps = propertyDependencies(holder, key);
    if (deps.length > 0) return deps.includes(role);
    return "unknown";
}

function addDocument(into: RoleGrants, document: unknown, where: string): void {
    if (document === UNKNOWN || isUnknown(document)) {
        into.unknown.push(`${where} is not known yet`);
        return;
    }
    if (document === undefined) return;
    const read = parsePolicyDocument(document);
    if (read.ok) into.statements.push(...read.statements);
    else into.unknown.push(`${where} cannot be read: ${read.reason}`);
}

/** The document of a managed policy ARN: a Policy of this stack, or an AWS managed policy we know. */
function addManagedPolicy(
    into: RoleGrants,
    arn: unknown,
    resources: readonly PolicyResource[],
    holder?: PolicyResource,
    key?: string,
): void {
    if (arn === UNKNOWN || isUnknown(arn)) {
        const deps = holder && key ? propertyDependencies(holder, key).filter((r) => r.type === TYPES.iamPolicy) : [];
        if (deps.length === 1) return addDocument(into, field(props(deps[0]), "policy"), `the document of policy '${deps[0].name}'`);
        into.unknown.push("a managed policy ARN is not known yet");
        return;
    }
    if (typeof arn !== "string") return;
    const policy = resources.find((r) => r.type === TYPES.iamPolicy && [field(props(r), "arn"), field(props(r), "id")].includes(arn));
    if (policy) return addDocument(into, field(props(policy), "policy"), `the document of policy '${policy.name}'`);
    const known = awsManagedPolicyStatements(arn);
    if (known) {
        into.statements.push(...known);
        return;
    }
    const name = awsManagedPolicyName(arn);
    into.unknown.push(name ? `the AWS managed policy ${name} is not one this pack knows` : `policy ${arn} is not managed in this stack`);
}

/** Every grant of `role` in the stack. */
export function roleGrants(role: PolicyResource, resources: readonly PolicyResource[]): RoleGrants {
    const grants: RoleGrants = { statements: [], unknown: [] };
    const p = props(role);
    const inline = asArray(field(p, "inlinePolicies"));
    if (inline === UNKNOWN) grants.unknown.push(`\`inlinePolicies\` of role '${role.name}' are not known yet`);
    else for (const entry of inline ?? []) addDocument(grants, field(entry, "policy"), `an inline policy of role '${role.name}'`);
    const managed = asArray(field(p, "managedPolicyArns"));
    if (managed === UNKNOWN) grants.unknown.push(`\`managedPolicyArns\` of role '${role.name}' are not known yet`);
    else for (const arn of managed ?? []) addManagedPolicy(grants, arn, resources);

    for (const r of resources) {
        const rp = props(r);
        if (r.type === TYPES.iamRolePolicy) {
            const match = refersTo(r, "role", field(rp, "role"), role);
            if (match === true) addDocument(grants, field(rp, "policy"), `the document of role policy '${r.name}'`);
            else if (match === "unknown") grants.unknown.push(`role policy '${r.name}' names a role that is not known yet`);
        } else if (r.type === TYPES.iamRolePolicyAttachment) {
            const match = refersTo(r, "role", field(rp, "role"), role);
            if (match === true) addManagedPolicy(grants, field(rp, "policyArn"), resources, r, "policyArn");
            else if (match === "unknown") grants.unknown.push(`role policy attachment '${r.name}' names a role that is not known yet`);
        } else if (r.type === TYPES.iamPolicyAttachment) {
            const roles = asArray(field(rp, "roles"));
            if (roles === UNKNOWN) {
                const deps = propertyDependencies(r, "roles");
                if (deps.length === 0) grants.unknown.push(`policy attachment '${r.name}' names roles that are not known yet`);
                else if (deps.includes(role)) addManagedPolicy(grants, field(rp, "policyArn"), resources, r, "policyArn");
                continue;
            }
            const matches = (roles ?? []).map((ref) => refersTo(r, "roles", ref, role));
            if (matches.includes(true)) addManagedPolicy(grants, field(rp, "policyArn"), resources, r, "policyArn");
            else if (matches.includes("unknown")) grants.unknown.push(`policy attachment '${r.name}' names roles that are not known yet`);
        }
    }
    return grants;
}

/**
 * The grants of the role awsx creates when a FargateService/FargateTaskDefinition is given no
 * `executionRole.roleArn`: `AmazonECSTaskExecutionRolePolicy` plus `executionRole.args` policies.
 */
export function awsxDefaultRoleGrants(roleArgs: unknown, resources: readonly PolicyResource[]): RoleGrants {
    const grants: RoleGrants = { statements: [], unknown: [] };
    addManagedPolicy(grants, AWS_ECS_TASK_EXECUTION_POLICY, resources);
    if (roleArgs === UNKNOWN) {
        grants.unknown.push("`executionRole.args` is not known yet");
        return grants;
    }
    for (const key of ["policyArns", "managedPolicyArns"]) {
        const list = asArray(field(roleArgs, key));
        if (list === UNKNOWN) grants.unknown.push(`\`executionRole.args.${key}\` is not known yet`);
        else for (const arn of list ?? []) addManagedPolicy(grants, arn, resources);
    }
    const inline = asArray(field(roleArgs, "inlinePolicies"));
    if (inline === UNKNOWN) grants.unknown.push("`executionRole.args.inlinePolicies` is not known yet");
    else for (const entry of inline ?? []) addDocument(grants, field(entry, "policy"), "an inline policy of the awsx execution role");
    return grants;
}

/** The role an ARN (or name) refers to, in the stack. */
export function findRole(reference: unknown, resources: readonly PolicyResource[]): PolicyResource | undefined {
    if (typeof reference !== "string" || isUnknown(reference)) return undefined;
    return resources.find((r) => r.type === TYPES.iamRole && roleReferences(r).includes(reference));
}

/** The ARN of a role (for key policies), if known. */
export function roleArn(role: PolicyResource): string | undefined {
    const arn = asString(field(props(role), "arn"));
    return typeof arn === "string" ? arn : undefined;
}
