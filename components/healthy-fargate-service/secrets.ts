/**
 * Secrets wiring of HealthyFargateService: validating `secrets` and `environment` before anything
 * is registered, turning each source into an ECS `secrets[]` entry, and the execution role's grant
 * on exactly those resources.
 *
 * The rules themselves (what a valid `valueFrom` is, which resource to grant for a partial
 * Secrets Manager ARN, what a parameter name's ARN is, which environment entries are credentials)
 * live in the domain (policies/domain/secret-sources.ts, iam-arn-matching.ts, environment-secrets.ts);
 * this file only applies them to the component's args.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    type ArnLocation,
    classifyEnvironmentEntry,
    parseSecretSource,
    ssmParameterArn,
    unknownKeyProblems,
} from "@healthy-fargate/domain";
import { InvalidArgumentsError } from "../errors";
import type { SecretSourceArg } from "./args";

/** The three kinds of {@link SecretSourceArg}, by their discriminating key. */
export const SECRET_SOURCE_KINDS = ["secretsManager", "ssmParameter", "value"] as const;
export type SecretSourceKind = (typeof SECRET_SOURCE_KINDS)[number];

/** Keys each kind accepts besides its own. */
const OPTIONAL_KEYS: Record<SecretSourceKind, readonly string[]> = {
    secretsManager: ["jsonKey", "versionStage", "versionId", "kmsKeyArn"],
    ssmParameter: ["kmsKeyArn"],
    value: [],
};

/** Environment variable names as shells and every runtime accept them. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A KMS key ARN (IAM matches `kms:Decrypt` against the key ARN, never an alias). */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:key\/[A-Za-z0-9-]+$/;
/** Stand-in secret ARN, used only to ask the domain parser whether a selector is well formed. */
const PLACEHOLDER_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:placeholder-AAAAAA";

const SECRETS_MANAGER_FIX =
    "Pass the secret's full ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf`) or the `aws.secretsmanager.Secret` itself.";
const SSM_FIX =
    "Pass the parameter's name (`/app/db-password`), its ARN (`arn:aws:ssm:<region>:<account>:parameter/app/db-password`) or the `aws.ssm.Parameter` itself.";

/** Which kind a source is, or a problem when it is not exactly one kind. */
export function secretSourceKind(source: unknown): SecretSourceKind | undefined {
    if (typeof source !== "object" || source === null) return undefined;
    const kinds = SECRET_SOURCE_KINDS.filter((k) => k in source);
    return kinds.length === 1 ? kinds[0] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Resolving one reference (pure)
// ---------------------------------------------------------------------------------------------

/** One entry of the container's `secrets`, with what the execution role needs to read it. */
export interface SecretReference {
    /** Environment variable name in the container. */
    readonly name: string;
    /** ECS `valueFrom`. */
    readonly valueFrom: string;
    /** Resource of `secretsmanager:GetSecretValue` (Secrets Manager sources). */
    readonly secretArnGrant?: string;
    /** Resource of `ssm:GetParameters` (SSM sources). */
    readonly parameterArnGrant?: string;
    /** Customer-managed KMS key the secret is encrypted with: resource of `kms:Decrypt`. */
    readonly kmsKeyArn?: string;
}

export interface SecretSelector {
    readonly jsonKey?: string;
    readonly versionStage?: string;
    readonly versionId?: string;
}

type Resolved = { ok: true; valueFrom: string; grantArn: string } | { ok: false; problem: string };

function selectorSuffix(selector: SecretSelector): string {
    const { jsonKey, versionStage, versionId } = selector;
    return jsonKey || versionStage || versionId ? `:${jsonKey ?? ""}:${versionStage ?? ""}:${versionId ?? ""}` : "";
}

/**
 * The `valueFrom` and grant of a Secrets Manager source: the secret ARN, optionally followed by
 * `:json-key:version-stage:version-id` (empty fields kept, as ECS expects). Partial ARNs (no
 * random suffix) are granted as `name-??????`, which matches the real ARN.
 */
export function resolveSecretsManagerReference(field: string, arn: string, selector: SecretSelector = {}): Resolved {
    const plain = parseSecretSource(arn);
    if (plain.kind === "ssm-parameter-name") {
        return {
            ok: false,
            problem: `\`${field}\` is \`${arn}\`, a name: ECS reads a plain name as an SSM parameter name, so a Secrets Manager secret given by name fails at task start. ${SECRETS_MANAGER_FIX}`,
        };
    }
    if (plain.kind === "ssm-parameter-arn") {
        return { ok: false, problem: `\`${field}\` is an SSM parameter ARN (\`${arn}\`). Pass it as \`{ ssmParameter: "${arn}" }\`.` };
    }
    if (plain.kind === "invalid") return { ok: false, problem: `\`${field}\`: ${plain.reason} ${SECRETS_MANAGER_FIX}` };
    if (plain.jsonKey !== undefined || plain.versionStage !== undefined || plain.versionId !== undefined || arn !== plain.secretArn) {
        return {
            ok: false,
            problem: `\`${field}\` (\`${arn}\`) already carries a \`:json-key:version-stage:version-id\` selector. Pass the secret's ARN alone and set \`jsonKey\`, \`versionStage\` or \`versionId\` next to it.`,
        };
    }
    const valueFrom = plain.secretArn + selectorSuffix(selector);
    const full = parseSecretSource(valueFrom);
    if (full.kind !== "secretsmanager") {
        return {
            ok: false,
            problem: `\`${field}\` with its selector: ${full.kind === "invalid" ? full.reason : `\`${valueFrom}\` is not a Secrets Manager reference.`} Set at most one of \`versionStage\` and \`versionId\`, without \`:\` in any selector field.`,
        };
    }
    return { ok: true, valueFrom, grantArn: full.grantArn };
}

/**
 * The `valueFrom` and grant of an SSM parameter source. Both are the parameter's ARN: a name is
 * turned into the ARN in the task's own region and account (which is where ECS looks it up).
 */
export function resolveSsmParameterReference(field: string, reference: string, where: ArnLocation): Resolved {
    const parsed = parseSecretSource(reference);
    switch (parsed.kind) {
        case "ssm-parameter-arn":
            return { ok: true, valueFrom: parsed.parameterArn, grantArn: parsed.parameterArn };
        case "ssm-parameter-name": {
            const arn = ssmParameterArn(parsed.parameterName, where);
            return { ok: true, valueFrom: arn, grantArn: arn };
        }
        case "secretsmanager":
            return {
                ok: false,
                problem: `\`${field}\` is a Secrets Manager ARN (\`${reference}\`). Pass it as \`{ secretsManager: "${reference}" }\`.`,
            };
        default:
            return { ok: false, problem: `\`${field}\`: ${parsed.reason} ${SSM_FIX}` };
    }
}

/** A problem with a customer-managed KMS key ARN, or undefined when it is one. */
export function kmsKeyArnProblem(field: string, value: unknown): string | undefined {
    if (typeof value === "string" && KMS_KEY_ARN.test(value)) return undefined;
    const shown = typeof value === "string" ? `\`${value}\`` : String(value);
    const alias =
        typeof value === "string" && /:alias\//.test(value)
            ? " An alias does not work: IAM matches `kms:Decrypt` against the key's ARN."
            : "";
    return `\`${field}\` must be a KMS key ARN (\`arn:aws:kms:<region>:<account>:key/<key-id>\`), got ${shown}.${alias} Omit it for secrets encrypted with the AWS-managed key (\`aws/secretsmanager\`, \`aws/ssm\`), which need no grant.`;
}

// ---------------------------------------------------------------------------------------------
// Validation before registration (pure)
// ---------------------------------------------------------------------------------------------

function environmentFix(name: string): string {
    return (
        `Pass it as a secret instead: \`secrets: { ${name}: { value: <the value> } }\` (stored in Secrets Manager for you), ` +
        `or reference an existing one with \`secrets: { ${name}: { secretsManager: <secret or ARN> } }\` or \`secrets: { ${name}: { ssmParameter: "/app/${name.toLowerCase().replace(/_/g, "-")}" } }\`.`
    );
}

/** Problems of one environment entry whose value is known; undefined when it is not a credential. */
export function environmentEntryProblem(name: string, value: string | undefined): string | undefined {
    const finding = classifyEnvironmentEntry(name, value);
    return finding ? `\`environment.${name}\`: ${finding.message} ${environmentFix(name)}` : undefined;
}

/**
 * Every problem with `secrets` and `environment` that can be seen before any resource exists:
 * the shape of each source, plain-string references (via the domain parser), selectors, KMS key
 * ARNs, names set in both maps, and credentials in plain `environment` (an unresolved value is
 * judged by its name). Output references are checked once known, see {@link wireSecrets}.
 */
export function secretArgProblems(secrets: unknown, environment: unknown): string[] {
    const env = typeof environment === "object" && environment !== null ? (environment as Record<string, unknown>) : {};
    const problems = environmentProblems(environment, env);
    if (secrets === undefined) return problems;
    if (typeof secrets !== "object" || secrets === null || Array.isArray(secrets)) {
        problems.push(
            `\`secrets\` must be an object of name → source, such as \`{ DATABASE_PASSWORD: { secretsManager: secret, jsonKey: "password" } }\`, got ${Array.isArray(secrets) ? "an array" : secrets === null ? "null" : typeof secrets}.`,
        );
        return problems;
    }
    for (const [name, source] of Object.entries(secrets as Record<string, SecretSourceArg>))
        problems.push(...secretEntryProblems(name, source, env));
    return problems;
}

/** Problems of `environment` (`env` is it as a map, `{}` when it is not one): its shape, each name, and credentials in it. */
function environmentProblems(environment: unknown, env: Record<string, unknown>): string[] {
    const problems: string[] = [];
    if (environment !== undefined && (typeof environment !== "object" || environment === null)) {
        problems.push(`\`environment\` must be an object of name → value, got ${environment === null ? "null" : typeof environment}.`);
    }
    for (const [name, value] of Object.entries(env)) {
        if (!ENV_NAME.test(name))
            problems.push(`\`environment.${name}\`: the name must be letters, digits and \`_\`, not starting with a digit.`);
        if (value === undefined || value === null) continue;
        const problem = environmentEntryProblem(name, typeof value === "string" ? value : undefined);
        if (problem) problems.push(problem);
    }
    return problems;
}

/** Problems of one `secrets` entry: its name, a clash with `environment`, its source's shape, KMS key and reference. */
function secretEntryProblems(name: string, source: SecretSourceArg, env: Record<string, unknown>): string[] {
    const field = `secrets.${name}`;
    const problems: string[] = [];
    if (!ENV_NAME.test(name)) problems.push(`\`${field}\`: the name must be letters, digits and \`_\`, not starting with a digit.`);
    if (name in env) {
        problems.push(
            `\`${name}\` is set in both \`environment\` and \`secrets\`; ECS would refuse or shadow one of them. Keep it in \`secrets\` only.`,
        );
    }
    const kind = secretSourceKind(source);
    if (kind === undefined) {
        const typos = unknownKeyProblems(field, source, [...SECRET_SOURCE_KINDS, ...new Set(Object.values(OPTIONAL_KEYS).flat())]);
        problems.push(
            `\`${field}\` must be exactly one of \`{ secretsManager: <secret or ARN>, jsonKey? }\`, \`{ ssmParameter: ` +
                `<parameter, name or ARN> }\` or \`{ value: <string> }\`.${typos.length ? ` ${typos.join(" ")}` : ""}`,
        );
        return problems;
    }
    problems.push(...extraKeyProblems(field, source, kind));
    const s = source as unknown as Record<string, unknown>;
    const reference = s[kind];
    if (reference === undefined || reference === null) {
        problems.push(
            `\`${field}.${kind}\` is required. ${kind === "value" ? "Pass the secret's value." : kind === "secretsManager" ? SECRETS_MANAGER_FIX : SSM_FIX}`,
        );
        return problems;
    }
    if (typeof s.kmsKeyArn === "string") {
        const problem = kmsKeyArnProblem(`${field}.kmsKeyArn`, s.kmsKeyArn);
        if (problem) problems.push(problem);
    }
    problems.push(...referenceProblems(field, name, kind, reference, s));
    return problems;
}

/** Keys of a `kind` source that do not apply to it, with the keys it accepts and any likely typo. */
function extraKeyProblems(field: string, source: SecretSourceArg, kind: SecretSourceKind): string[] {
    const extra = Object.keys(source).filter((k) => k !== kind && !OPTIONAL_KEYS[kind].includes(k));
    if (!extra.length) return [];
    const typos = unknownKeyProblems(field, source, [kind, ...OPTIONAL_KEYS[kind]]).filter((p) => p.includes("did you mean"));
    const accepted = OPTIONAL_KEYS[kind].length ? OPTIONAL_KEYS[kind].map((k) => `\`${k}\``).join(", ") : "nothing else";
    return [
        `\`${field}\`: ${extra.map((k) => `\`${k}\``).join(", ")} ${extra.length === 1 ? "does" : "do"} not apply to ` +
            `a \`${kind}\` source (it accepts ${accepted}).${typos.length ? ` ${typos.join(" ")}` : ""}`,
    ];
}

/** Problems of a source's (non-null) reference: an empty value, a malformed ARN, name or selector. */
function referenceProblems(
    field: string,
    name: string,
    kind: SecretSourceKind,
    reference: unknown,
    source: Record<string, unknown>,
): string[] {
    if (kind === "value") {
        return typeof reference === "string" && reference.trim() === ""
            ? [`\`${field}.value\` is empty. Pass the secret's value, or remove \`${name}\`.`]
            : [];
    }
    if (kind === "secretsManager") return secretsManagerProblems(field, reference, source as SecretSelector);
    if (typeof reference !== "string") return [];
    // Only the shape matters here; the ARN of a name is built once region and account are known.
    const resolved = resolveSsmParameterReference(`${field}.ssmParameter`, reference, {
        partition: "aws",
        region: "us-east-1",
        account: "000000000000",
    });
    return resolved.ok ? [] : [resolved.problem];
}

/** Problems of a `secretsManager` source: its selector keys, and its ARN with the selector (the selector alone while the ARN is unknown). */
function secretsManagerProblems(field: string, reference: unknown, selector: SecretSelector): string[] {
    const problems: string[] = [];
    let selectorOk = true;
    for (const key of ["jsonKey", "versionStage", "versionId"] as const) {
        const v = selector[key];
        if (v !== undefined && (typeof v !== "string" || v === "")) {
            problems.push(
                `\`${field}.${key}\` must be a non-empty string when given; omit it ${key === "jsonKey" ? "to pass the whole secret" : "for the current version (AWSCURRENT)"}.`,
            );
            selectorOk = false;
        }
    }
    if (typeof reference === "string") {
        const resolved = resolveSecretsManagerReference(`${field}.secretsManager`, reference, selectorOk ? selector : {});
        if (!resolved.ok) problems.push(resolved.problem);
    } else if (selectorOk && selectorSuffix(selector)) {
        // The ARN is not known yet; the selector alone can still be checked.
        const probe = resolveSecretsManagerReference(`${field}.secretsManager`, PLACEHOLDER_SECRET_ARN, selector);
        if (!probe.ok) problems.push(probe.problem.split(PLACEHOLDER_SECRET_ARN).join("<secret ARN>"));
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------
// IAM statements (pure)
// ---------------------------------------------------------------------------------------------

const unique = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))].sort();

/**
 * The execution role's statements for these references: `secretsmanager:GetSecretValue` on each
 * secret, `ssm:GetParameters` on each parameter, `kms:Decrypt` on each customer key — each on
 * exactly those resources, and absent when there is nothing to grant.
 */
export function secretStatements(references: readonly SecretReference[]): object[] {
    const statements: object[] = [];
    const secrets = unique(references.map((r) => r.secretArnGrant));
    const parameters = unique(references.map((r) => r.parameterArnGrant));
    const keys = unique(references.map((r) => r.kmsKeyArn));
    if (secrets.length)
        statements.push({ Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secrets });
    if (parameters.length)
        statements.push({ Sid: "ReadOwnParameters", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: parameters });
    if (keys.length) statements.push({ Sid: "DecryptOwnSecrets", Effect: "Allow", Action: ["kms:Decrypt"], Resource: keys });
    return statements;
}

// ---------------------------------------------------------------------------------------------
// Wiring (registers the secrets of `value` sources)
// ---------------------------------------------------------------------------------------------

export interface WiredSecrets {
    /** Container `secrets` entries plus grants, sorted by name; checked once every reference is known. */
    readonly references: pulumi.Output<SecretReference[]>;
    /** Secret versions created for `value` sources: tasks must not start before they exist. */
    readonly versions: aws.secretsmanager.SecretVersion[];
}

function invalidAt(component: string, problem: string): never {
    throw new InvalidArgumentsError("HealthyFargateService", [`${component}: ${problem}`]);
}

/**
 * Turns validated `secrets` args into references. `value` sources become a Secrets Manager
 * secret and version (children of `parent`); Output references are checked with the same rules
 * as plain strings once known, and a bad one fails the update with the same message.
 */
export function wireSecrets(
    name: string,
    secrets: Record<string, SecretSourceArg> | undefined,
    context: { parent: pulumi.Resource; tags: Record<string, string>; location: pulumi.Output<ArnLocation> },
): WiredSecrets {
    const versions: aws.secretsmanager.SecretVersion[] = [];
    const entries = Object.entries(secrets ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const references = entries.map(([envName, source]) => {
        const field = `secrets.${envName}`;
        const s = source as unknown as Record<string, unknown>;
        const kms =
            s.kmsKeyArn === undefined
                ? pulumi.output(undefined)
                : pulumi.output(s.kmsKeyArn as pulumi.Input<string>).apply((arn) => {
                      const problem = kmsKeyArnProblem(`${field}.kmsKeyArn`, arn);
                      return problem ? invalidAt(name, problem) : arn;
                  });
        let reference: pulumi.Output<Omit<SecretReference, "kmsKeyArn">>;
        if ("secretsManager" in source) {
            const secret = source.secretsManager;
            const arn = aws.secretsmanager.Secret.isInstance(secret) ? secret.arn : pulumi.output(secret);
            reference = arn.apply((a) => {
                const r = resolveSecretsManagerReference(`${field}.secretsManager`, a, source);
                return r.ok ? { name: envName, valueFrom: r.valueFrom, secretArnGrant: r.grantArn } : invalidAt(name, r.problem);
            });
        } else if ("ssmParameter" in source) {
            const parameter = source.ssmParameter;
            const ref = aws.ssm.Parameter.isInstance(parameter) ? parameter.arn : pulumi.output(parameter);
            reference = pulumi.all([ref, context.location]).apply(([r, where]) => {
                const resolved = resolveSsmParameterReference(`${field}.ssmParameter`, r, where);
                return resolved.ok
                    ? { name: envName, valueFrom: resolved.valueFrom, parameterArnGrant: resolved.grantArn }
                    : invalidAt(name, resolved.problem);
            });
        } else {
            const secret = new aws.secretsmanager.Secret(
                `${name}-secret-${envName}`,
                {
                    description: `${envName} of ${name} (HealthyFargateService secrets.${envName}.value)`,
                    tags: context.tags,
                },
                { parent: context.parent },
            );
            const value = pulumi
                .output(source.value)
                .apply((v) =>
                    typeof v === "string" && v.trim() !== ""
                        ? v
                        : invalidAt(
                              name,
                              `\`${field}.value\` resolved to an empty value. Pass the secret's value, or remove \`${envName}\`.`,
                          ),
                );
            versions.push(
                new aws.secretsmanager.SecretVersion(
                    `${name}-secret-${envName}`,
                    {
                        secretId: secret.id,
                        secretString: pulumi.secret(value),
                    },
                    { parent: context.parent },
                ),
            );
            reference = secret.arn.apply((a) => {
                const r = resolveSecretsManagerReference(`${field}.value`, a);
                return r.ok ? { name: envName, valueFrom: r.valueFrom, secretArnGrant: r.grantArn } : invalidAt(name, r.problem);
            });
        }
        return pulumi.all([reference, kms]).apply(([r, key]) => (key ? { ...r, kmsKeyArn: key } : r) as SecretReference);
    });
    return { references: pulumi.all(references), versions };
}
