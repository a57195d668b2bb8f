import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    type ArnLocation,
    type GrantNeed,
    type GrantVerdict,
    type IamStatement,
    evaluateNeed,
    kmsDecryptNeed,
    parsePolicyDocument,
    parseSecretSource,
    resourcePolicyAllows,
    secretReadNeeds,
} from "../domain/index";
import { type StackContext, stackRule } from "../kit";
import { TYPES, type TaskDefinitionSource, UNKNOWN, field, isUnknown, rawProps, secretEntries, taskDefinitionSources } from "../resources";
import { type ExecutionRoleRead, executionRoleOf, taskLocation } from "../resources/execution-role";
import { type KeyRead, kmsKeyOf } from "../resources/kms-keys";
import { type PackRule, ruleMetadata } from "../kit/metadata";

type Subject = ReturnType<StackContext<object>["subject"]>;
type Role = Extract<ExecutionRoleRead, { grants: unknown }>;
interface SecretEntry {
    name: string;
    valueFrom: unknown;
    path: string;
}

function combine(verdict: GrantVerdict, unknown: string[]): "allowed" | "denied" | { undecided: string } | "not-granted" {
    if (verdict === "allowed" || verdict === "denied") return verdict;
    if (unknown.length > 0) return { undecided: unknown.slice(0, 2).join("; ") };
    if (verdict === "conditional")
        return { undecided: "the only statements that grant it have a `Condition`, which this pack does not evaluate" };
    return "not-granted";
}

/** The container secrets of the task definition; undecided (and skipped) where a container's `secrets` is unknown. */
function secretsOf(ctx: StackContext<object>, subject: Subject, source: TaskDefinitionSource): SecretEntry[] | undefined {
    const read = source.view.containers;
    if (read.status === "unknown") {
        ctx.report.undecided(subject, { path: read.field, reason: "the containers (and their `secrets`) are not known yet" });
        return undefined;
    }
    if (read.status !== "ok") return undefined;
    const secrets: SecretEntry[] = [];
    for (const c of read.containers) {
        const entries = secretEntries(c);
        if (entries === UNKNOWN) {
            ctx.report.undecided(subject, { path: `${c.path}.secrets` });
            continue;
        }
        for (const e of entries) secrets.push({ name: e.name === UNKNOWN ? "?" : e.name, valueFrom: e.valueFrom, path: e.path });
    }
    return secrets;
}

function judge(ctx: StackContext<object>, source: TaskDefinitionSource, resources: readonly PolicyResource[]): void {
    const subject = ctx.subject(source.resource);
    const secrets = secretsOf(ctx, subject, source);
    if (!secrets?.length) return;
    const rolePath = source.resource.type === TYPES.taskDefinition ? "executionRoleArn" : `${source.view.prefix}executionRole`;
    const role = executionRoleOf(source, resources);
    if ("undecided" in role) return ctx.report.undecided(subject, { path: rolePath, reason: role.undecided });
    if ("none" in role) {
        return ctx.report.violation(subject, {
            path: rolePath,
            found: `${secrets.length} secret(s) (${secrets
                .slice(0, 3)
                .map((s) => `\`${s.name}\``)
                .join(", ")}) and no execution role`,
            problem: `ECS reads \`secrets\` with the task's execution role before the container starts, and ${role.none}: every task fails with "ResourceInitializationError: unable to pull secrets"`,
            fix: "Give the task definition an `executionRoleArn` whose role may read each secret (`secretsmanager:GetSecretValue` / `ssm:GetParameters`, and `kms:Decrypt` for a customer-managed key)",
        });
    }
    const location = taskLocation(source.resource, resources);
    for (const s of secrets) judgeSecret(ctx, subject, s, role, location, resources);
}

/** One secret: the permissions it needs (and its key's), each checked against the role until one is missing. */
function judgeSecret(
    ctx: StackContext<object>,
    subject: Subject,
    s: SecretEntry,
    role: Role,
    location: ArnLocation | undefined,
    resources: readonly PolicyResource[],
): void {
    const path = `${s.path}.valueFrom`;
    if (isUnknown(s.valueFrom)) return ctx.report.undecided(subject, { path });
    const parsed = parseSecretSource(s.valueFrom);
    const needs = secretReadNeeds(parsed, location);
    if ("invalid" in needs) {
        return ctx.report.violation(subject, {
            path,
            found: typeof s.valueFrom === "string" ? `\`${s.valueFrom}\`` : "a non-string",
            problem: `ECS cannot read secret \`${s.name}\` with any role: ${needs.invalid}`,
            fix: "Use the secret's full ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf`) or the SSM parameter's name or ARN",
        });
    }
    const key = kmsKeyOf(parsed, needs.parameterArn, resources);
    if ("undecided" in key) return ctx.report.undecided(subject, { path, reason: key.undecided });
    const all: GrantNeed[] = [...needs.needs, ...keyNeeds(key, role)];
    for (const need of all) {
        const verdict = evaluateNeed(role.grants.statements as IamStatement[], need);
        if (verdict === "location-dependent") {
            return ctx.report.undecided(subject, {
                path,
                reason: `the parameter's ARN depends on the task's region and account, which no ARN of this stack tells`,
            });
        }
        const outcome = combine(verdict, role.grants.unknown);
        if (outcome === "allowed") continue;
        if (typeof outcome === "object") {
            return ctx.report.undecided(subject, {
                path,
                reason: `whether execution role ${role.name} may \`${need.action}\` on ${need.resource}: ${outcome.undecided}`,
            });
        }
        return ctx.report.violation(subject, {
            path,
            found: `\`${need.action}\` on \`${need.resource}\` ${outcome === "denied" ? "explicitly denied" : "not granted"} to execution role ${role.name}`,
            problem: `ECS reads secret \`${s.name}\` with the execution role before the container starts; without this permission every task fails with "ResourceInitializationError: unable to pull secrets or registry auth"`,
            fix: `${outcome === "denied" ? "Remove the Deny, and add" : "Add"} this statement to the execution role's policy: \`${JSON.stringify(need.grant)}\``,
        });
    }
}

/** `kms:Decrypt` on a customer-managed key, unless the key's own policy already lets the role decrypt. */
function keyNeeds(key: KeyRead, role: Role): GrantNeed[] {
    if (!("keyArn" in key)) return [];
    const keyPolicy = key.key ? parsePolicyDocument(field(rawProps(key.key.props), "policy")) : undefined;
    const byKeyPolicy = keyPolicy?.ok && role.arn ? resourcePolicyAllows(keyPolicy.statements, "kms:Decrypt", role.arn) : false;
    return byKeyPolicy ? [] : [kmsDecryptNeed(key.keyArn)];
}

/**
 * ECS fetches `secrets` with the task's execution role at start; a role that cannot read one of them
 * (awsx's default role, AmazonECSTaskExecutionRolePolicy, a grant on the secret's name without the
 * random suffix, a missing kms:Decrypt) fails every task with `ResourceInitializationError`.
 */
export const executionRoleCanReadSecrets: StackValidationPolicy = {
    name: "execution-role-can-read-secrets",
    description:
        "The execution role of every task definition with container secrets must be allowed to read each secret, and to decrypt it when a customer-managed KMS key encrypts it.",
    enforcementLevel: "mandatory",
    validateStack: stackRule({}, (ctx) => {
        // awsx: the task definition awsx creates (it names the real role) in a real preview, the
        // component's args (awsx's default role) offline — taskDefinitionSources yields one of them.
        for (const source of taskDefinitionSources(ctx.resources)) judge(ctx, source, ctx.resources);
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(executionRoleCanReadSecrets, {
    levelNote: ` (stack policy)`,
    checks: `for each task definition with container \`secrets\` (raw, awsx args or the task
definition awsx creates), that its execution role may read every \`valueFrom\`:
\`secretsmanager:GetSecretValue\` for Secrets Manager ARNs (a grant must cover the random suffix of a
partial ARN, \`secretsManagerArnCovers\`), \`ssm:GetParameters\` for SSM parameter ARNs and names
(names resolved with the task's region and account, taken from the task definition's ARN or the one
location every ARN of the stack shares), and \`kms:Decrypt\` on the customer-managed key when the
program says the secret or parameter uses one (\`kmsKeyId\` of an \`aws:secretsmanager/secret:Secret\`,
\`masterUserSecretKmsKeyId\` of the RDS instance/cluster that manages the password, \`keyId\` of a
\`SecureString\` parameter; a key policy naming the role also counts). Grants are followed from
\`executionRoleArn\` (by ARN, or the property dependencies when unknown) to the
\`aws:iam/role:Role\`'s \`inlinePolicies\` and \`managedPolicyArns\`, \`aws:iam/rolePolicy:RolePolicy\`,
\`aws:iam/rolePolicyAttachment:RolePolicyAttachment\` and \`aws:iam/policyAttachment:PolicyAttachment\`
resources and the \`aws:iam/policy:Policy\` documents they attach (JSON strings or objects; \`Statement\`
object or list; \`Action\`/\`NotAction\` and \`Resource\`/\`NotResource\` wildcards; explicit Deny wins).
AWS managed policies by name: \`AmazonECSTaskExecutionRolePolicy\` (no secrets),
\`SecretsManagerReadWrite\` (all secrets), \`AmazonSSMReadOnlyAccess\` / \`AmazonSSMFullAccess\`
(all parameters), \`AdministratorAccess\`, \`PowerUserAccess\`. A task with secrets and no execution
role (or awsx's \`executionRole.skip\`) is a violation; awsx without \`executionRole.roleArn\` gets
awsx's default role (\`AmazonECSTaskExecutionRolePolicy\` plus \`executionRole.args\` policies).
Anything that cannot be followed — a role or policy outside the stack, an unknown document, an AWS
managed policy not in the list, a statement with a \`Condition\` — is undecided, never a pass.`,
    rationale: `ECS reads secrets with the execution role before the container starts; without the grant
every task fails with \`ResourceInitializationError: unable to pull secrets or registry auth\`.`,
    config: `none.`,
    remediation: `Add the statement the message shows (exactly the secret's ARN, \`name-??????\` for a partial
one) to the execution role's policy. Secrets encrypted with a customer-managed KMS key
also need \`kms:Decrypt\` on that key.`,
    examples: `Fails:
\`\`\`ts
new aws.iam.RolePolicyAttachment("exec", { role: execRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" });
// containerDefinitions: [{ …, secrets: [{ name: "DB_PASSWORD", valueFrom: dbSecret.arn }] }]
\`\`\`
Passes:
\`\`\`ts
new aws.iam.RolePolicy("exec-secrets", { role: execRole.name, policy: dbSecret.arn.apply(arn => JSON.stringify({
    Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arn }] })) });
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: executionRoleCanReadSecrets, metadata };
