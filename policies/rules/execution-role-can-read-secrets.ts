import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    type ArnLocation, type GrantVerdict, type IamStatement, type SecretSource, arnLocation, arnMatcher, evaluateGrant, isArnOfSecret, parsePolicyDocument, parseSecretSource,
    resourcePolicyAllows, secretsManagerArnCovers, ssmParameterArn,
} from "../domain";
import { type StackContext, stackRule } from "../kit";
import {
    type RoleGrants, TYPES, type TaskDefinitionSource, UNKNOWN, asArray, asBoolean, asString, awsxDefaultRoleGrants, field, findRole, isUnknown,
    propertyDependencies, rawProps, roleArn, roleGrants, secretEntries, taskDefinitionSources,
} from "../resources";

const SAMPLE_LOCATIONS: ArnLocation[] = [
    { partition: "aws", region: "us-east-1", account: "111111111111" },
    { partition: "aws", region: "eu-west-1", account: "222222222222" },
];

/** The task's region and account: from its own ARN, else the one location all ARNs of the stack share. */
function taskLocation(td: PolicyResource, resources: readonly PolicyResource[]): ArnLocation | undefined {
    const own = arnLocation(field(rawProps(td.props), "arn"));
    if (own) return own;
    const seen = new Map<string, ArnLocation>();
    for (const r of resources) {
        const loc = arnLocation(field(rawProps(r.props), "arn"));
        if (loc) seen.set(`${loc.partition}:${loc.region}:${loc.account}`, loc);
    }
    return seen.size === 1 ? [...seen.values()][0] : undefined;
}

type RoleRead = { grants: RoleGrants; name: string; arn?: string } | { none: string } | { undecided: string };

function executionRoleOf(ctx: StackContext<object>, source: TaskDefinitionSource, resources: readonly PolicyResource[]): RoleRead {
    const td = source.resource;
    const props = rawProps(td.props);
    if (source.resource.type === TYPES.taskDefinition) {
        const reference = field(props, "executionRoleArn");
        if (reference === undefined) return { none: "the task definition has no `executionRoleArn`" };
        let role = findRole(reference, resources);
        if (!role && reference === UNKNOWN) {
            const candidates = propertyDependencies(td, "executionRoleArn").filter(r => r.type === TYPES.iamRole);
            if (candidates.length === 1) role = candidates[0];
            else return { undecided: `\`executionRoleArn\` is unknown and ${candidates.length === 0 ? "no" : candidates.length} role(s) of this stack feed it` };
        }
        if (!role) return { undecided: `the execution role ${String(reference)} is not managed in this stack` };
        return { grants: roleGrants(role, resources), name: `'${role.name}'`, ...(roleArn(role) ? { arn: roleArn(role) } : {}) };
    }
    // awsx FargateService / FargateTaskDefinition args.
    const args = source.resource.type === TYPES.awsxFargateService ? field(props, "taskDefinitionArgs") : props;
    const executionRole = field(args, "executionRole");
    if (executionRole === UNKNOWN) return { undecided: "`executionRole` is unknown" };
    const skip = asBoolean(field(executionRole, "skip"));
    if (skip === true) return { none: "`executionRole.skip` is true, so the task definition has no execution role" };
    const reference = field(executionRole, "roleArn");
    if (reference !== undefined) {
        let role = findRole(reference, resources);
        if (!role && reference === UNKNOWN) {
            const candidates = propertyDependencies(td, source.containersProperty === "containers" ? "executionRole" : "taskDefinitionArgs").filter(r => r.type === TYPES.iamRole);
            if (candidates.length === 1) role = candidates[0];
            else return { undecided: "`executionRole.roleArn` is unknown and no single role of this stack feeds it" };
        }
        if (!role) return { undecided: `the execution role ${String(reference)} is not managed in this stack` };
        return { grants: roleGrants(role, resources), name: `'${role.name}'`, ...(roleArn(role) ? { arn: roleArn(role) } : {}) };
    }
    return { grants: awsxDefaultRoleGrants(field(executionRole, "args"), resources), name: "the role awsx creates (AmazonECSTaskExecutionRolePolicy)" };
}

/** The customer-managed KMS key a secret or parameter is encrypted with, if the program says so. */
type KeyRead = { none: true } | { keyArn: string; key?: PolicyResource } | { undecided: string };

function keyResourceOf(reference: string, resources: readonly PolicyResource[]): KeyRead {
    if (/^(arn:aws[a-z-]*:kms:[^:]*:[^:]*:)?alias\/aws\//.test(reference)) return { none: true }; // AWS managed key
    const alias = resources.find(r => r.type === TYPES.kmsAlias && [field(rawProps(r.props), "name"), field(rawProps(r.props), "arn")].includes(reference));
    let key = resources.find(r => r.type === TYPES.kmsKey && ["arn", "keyId", "id"].some(k => field(rawProps(r.props), k) === reference));
    if (alias) {
        const target = field(rawProps(alias.props), "targetKeyId");
        key = resources.find(r => r.type === TYPES.kmsKey && ["arn", "keyId", "id"].some(k => field(rawProps(r.props), k) === target))
            ?? propertyDependencies(alias, "targetKeyId").find(r => r.type === TYPES.kmsKey);
        if (!key) return { undecided: `the key behind alias ${reference} is not managed in this stack` };
    }
    if (key) {
        const arn = asString(field(rawProps(key.props), "arn"));
        if (typeof arn !== "string") return { undecided: `the ARN of KMS key '${key.name}' is not known yet` };
        return { keyArn: arn, key };
    }
    if (/^arn:aws[a-z-]*:kms:[^:]+:\d{12}:key\//.test(reference)) return { keyArn: reference };
    return { undecided: `KMS key ${reference} is not managed in this stack` };
}

function kmsKeyOf(source: SecretSource, parameterArn: string | undefined, resources: readonly PolicyResource[]): KeyRead {
    if (source.kind === "secretsmanager") {
        const secret = resources.find(r => r.type === TYPES.secret && isArnOfSecret(field(rawProps(r.props), "arn"), source));
        if (secret) {
            const key = field(rawProps(secret.props), "kmsKeyId");
            if (key === UNKNOWN) {
                const dep = propertyDependencies(secret, "kmsKeyId").find(r => r.type === TYPES.kmsKey);
                return dep ? keyFromResource(dep) : { undecided: `\`kmsKeyId\` of secret '${secret.name}' is not known yet` };
            }
            return typeof key === "string" ? keyResourceOf(key, resources) : { none: true };
        }
        // RDS-managed master passwords: the key is the instance's/cluster's masterUserSecretKmsKeyId.
        for (const db of resources.filter(r => r.type === TYPES.rdsInstance || r.type === TYPES.rdsCluster)) {
            const secrets = asArray(field(rawProps(db.props), "masterUserSecrets"));
            if (!Array.isArray(secrets) || !secrets.some(s => isArnOfSecret(field(s, "secretArn"), source))) continue;
            const key = field(rawProps(db.props), "masterUserSecretKmsKeyId");
            if (key === UNKNOWN) {
                const dep = propertyDependencies(db, "masterUserSecretKmsKeyId").find(r => r.type === TYPES.kmsKey);
                return dep ? keyFromResource(dep) : { undecided: `\`masterUserSecretKmsKeyId\` of '${db.name}' is not known yet` };
            }
            return typeof key === "string" ? keyResourceOf(key, resources) : { none: true };
        }
        return { none: true };
    }
    if (parameterArn === undefined) return { none: true };
    // By ARN; in a preview the ARN of a new parameter is unknown, so also by name.
    const wantedName = source.kind === "ssm-parameter-arn" ? source.parameterPath : source.kind === "ssm-parameter-name" ? source.parameterName.replace(/^\//, "") : undefined;
    const parameter = resources.find(r => r.type === TYPES.ssmParameter && field(rawProps(r.props), "arn") === parameterArn)
        ?? resources.find(r => {
            if (r.type !== TYPES.ssmParameter || typeof field(rawProps(r.props), "arn") === "string") return false;
            const name = asString(field(rawProps(r.props), "name"));
            return typeof name === "string" && wantedName !== undefined && name.replace(/^\//, "") === wantedName;
        });
    if (!parameter) return { none: true };
    const p = rawProps(parameter.props);
    const type = field(p, "type");
    if (type === UNKNOWN) return { undecided: `\`type\` of parameter '${parameter.name}' is not known yet` };
    if (type !== "SecureString") return { none: true };
    const key = field(p, "keyId");
    if (key === UNKNOWN) {
        const dep = propertyDependencies(parameter, "keyId").find(r => r.type === TYPES.kmsKey);
        return dep ? keyFromResource(dep) : { undecided: `\`keyId\` of parameter '${parameter.name}' is not known yet` };
    }
    return typeof key === "string" ? keyResourceOf(key, resources) : { none: true }; // unset: aws/ssm
}

function keyFromResource(key: PolicyResource): KeyRead {
    const arn = asString(field(rawProps(key.props), "arn"));
    return typeof arn === "string" ? { keyArn: arn, key } : { undecided: `the ARN of KMS key '${key.name}' is not known yet` };
}

function combine(verdict: GrantVerdict, unknown: string[]): "allowed" | "denied" | { undecided: string } | "not-granted" {
    if (verdict === "allowed" || verdict === "denied") return verdict;
    if (unknown.length > 0) return { undecided: unknown.slice(0, 2).join("; ") };
    if (verdict === "conditional") return { undecided: "the only statements that grant it have a `Condition`, which this pack does not evaluate" };
    return "not-granted";
}

interface Need { action: string; resource: string; matches: (pattern: string) => boolean; grant: object }

function secretNeeds(source: SecretSource, location: ArnLocation | undefined): { needs: Need[]; parameterArn?: string } | { undecided: string } | { invalid: string } {
    switch (source.kind) {
        case "secretsmanager":
            return { needs: [{ action: "secretsmanager:GetSecretValue", resource: source.secretArn, matches: p => secretsManagerArnCovers(p, source.valueFrom), grant: { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: source.grantArn } }] };
        case "ssm-parameter-arn":
            return { parameterArn: source.parameterArn, needs: [{ action: "ssm:GetParameters", resource: source.parameterArn, matches: arnMatcher(source.parameterArn), grant: { Effect: "Allow", Action: "ssm:GetParameters", Resource: source.parameterArn } }] };
        case "ssm-parameter-name": {
            if (location) {
                const arn = ssmParameterArn(source.parameterName, location);
                return { parameterArn: arn, needs: [{ action: "ssm:GetParameters", resource: arn, matches: arnMatcher(arn), grant: { Effect: "Allow", Action: "ssm:GetParameters", Resource: arn } }] };
            }
            // Without the task's region and account, decide only when every location gives the same answer.
            const arns = SAMPLE_LOCATIONS.map(l => ssmParameterArn(source.parameterName, l));
            const shown = ssmParameterArn(source.parameterName, { partition: "aws", region: "<region>", account: "<account>" });
            return {
                needs: [{
                    action: "ssm:GetParameters", resource: shown,
                    matches: p => {
                        const answers = arns.map(a => arnMatcher(a)(p));
                        if (answers[0] !== answers[1]) throw new LocationDependent();
                        return answers[0];
                    },
                    grant: { Effect: "Allow", Action: "ssm:GetParameters", Resource: shown },
                }],
            };
        }
        default:
            return { invalid: source.reason };
    }
}

class LocationDependent extends Error {}

function judge(ctx: StackContext<object>, source: TaskDefinitionSource, resources: readonly PolicyResource[]): void {
    const subject = ctx.subject(source.resource);
    const read = source.view.containers;
    if (read.status === "unknown") return ctx.report.undecided(subject, { path: read.field, reason: "the containers (and their `secrets`) are not known yet" });
    if (read.status !== "ok") return;
    const secrets: Array<{ name: string; valueFrom: unknown; path: string }> = [];
    for (const c of read.containers) {
        const entries = secretEntries(c);
        if (entries === UNKNOWN) {
            ctx.report.undecided(subject, { path: `${c.path}.secrets` });
            continue;
        }
        for (const e of entries) secrets.push({ name: e.name === UNKNOWN ? "?" : e.name, valueFrom: e.valueFrom, path: e.path });
    }
    if (secrets.length === 0) return;
    const rolePath = source.resource.type === TYPES.taskDefinition ? "executionRoleArn" : `${source.view.prefix}executionRole`;
    const role = executionRoleOf(ctx, source, resources);
    if ("undecided" in role) return ctx.report.undecided(subject, { path: rolePath, reason: role.undecided });
    if ("none" in role) {
        return ctx.report.violation(subject, {
            path: rolePath, found: `${secrets.length} secret(s) (${secrets.slice(0, 3).map(s => `\`${s.name}\``).join(", ")}) and no execution role`,
            problem: `ECS reads \`secrets\` with the task's execution role before the container starts, and ${role.none}: every task fails with "ResourceInitializationError: unable to pull secrets"`,
            fix: "Give the task definition an `executionRoleArn` whose role may read each secret (`secretsmanager:GetSecretValue` / `ssm:GetParameters`, and `kms:Decrypt` for a customer-managed key)",
        });
    }
    const location = taskLocation(source.resource, resources);
    for (const s of secrets) {
        if (isUnknown(s.valueFrom)) {
            ctx.report.undecided(subject, { path: `${s.path}.valueFrom` });
            continue;
        }
        const parsed = parseSecretSource(s.valueFrom);
        const needs = secretNeeds(parsed, location);
        if ("invalid" in needs) {
            ctx.report.violation(subject, {
                path: `${s.path}.valueFrom`, found: typeof s.valueFrom === "string" ? `\`${s.valueFrom}\`` : "a non-string",
                problem: `ECS cannot read secret \`${s.name}\` with any role: ${needs.invalid}`,
                fix: "Use the secret's full ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf`) or the SSM parameter's name or ARN",
            });
            continue;
        }
        if ("undecided" in needs) {
            ctx.report.undecided(subject, { path: `${s.path}.valueFrom`, reason: needs.undecided });
            continue;
        }
        const key = kmsKeyOf(parsed, needs.parameterArn, resources);
        if ("undecided" in key) {
            ctx.report.undecided(subject, { path: `${s.path}.valueFrom`, reason: key.undecided });
            continue;
        }
        const all: Need[] = [...needs.needs];
        if ("keyArn" in key) {
            const keyPolicy = key.key ? parsePolicyDocument(field(rawProps(key.key.props), "policy")) : undefined;
            const byKeyPolicy = keyPolicy?.ok && role.arn ? resourcePolicyAllows(keyPolicy.statements, "kms:Decrypt", role.arn) : false;
            if (!byKeyPolicy) all.push({ action: "kms:Decrypt", resource: key.keyArn, matches: arnMatcher(key.keyArn), grant: { Effect: "Allow", Action: "kms:Decrypt", Resource: key.keyArn } });
        }
        for (const need of all) {
            let verdict: GrantVerdict;
            try {
                verdict = evaluateGrant(role.grants.statements as IamStatement[], need.action, need.matches);
            } catch (error) {
                if (!(error instanceof LocationDependent)) throw error;
                ctx.report.undecided(subject, { path: `${s.path}.valueFrom`, reason: `the parameter's ARN depends on the task's region and account, which no ARN of this stack tells` });
                break;
            }
            const outcome = combine(verdict, role.grants.unknown);
            if (outcome === "allowed") continue;
            if (typeof outcome === "object") {
                ctx.report.undecided(subject, { path: `${s.path}.valueFrom`, reason: `whether execution role ${role.name} may \`${need.action}\` on ${need.resource}: ${outcome.undecided}` });
                break;
            }
            ctx.report.violation(subject, {
                path: `${s.path}.valueFrom`, found: `\`${need.action}\` on \`${need.resource}\` ${outcome === "denied" ? "explicitly denied" : "not granted"} to execution role ${role.name}`,
                problem: `ECS reads secret \`${s.name}\` with the execution role before the container starts; without this permission every task fails with "ResourceInitializationError: unable to pull secrets or registry auth"`,
                fix: `${outcome === "denied" ? "Remove the Deny, and add" : "Add"} this statement to the execution role's policy: \`${JSON.stringify(need.grant)}\``,
            });
            break;
        }
    }
}

/**
 * ECS fetches `secrets` with the task's execution role at start; a role that cannot read one of them
 * (awsx's default role, AmazonECSTaskExecutionRolePolicy, a grant on the secret's name without the
 * random suffix, a missing kms:Decrypt) fails every task with `ResourceInitializationError`.
 */
export const executionRoleCanReadSecrets: StackValidationPolicy = {
    name: "execution-role-can-read-secrets",
    description: "The execution role of every task definition with container secrets must be allowed to read each secret, and to decrypt it when a customer-managed KMS key encrypts it.",
    enforcementLevel: "mandatory",
    validateStack: stackRule({}, ctx => {
        // awsx: the task definition awsx creates (it names the real role) in a real preview, the
        // component's args (awsx's default role) offline — taskDefinitionSources yields one of them.
        for (const source of taskDefinitionSources(ctx.resources)) judge(ctx, source, ctx.resources);
    }),
};
