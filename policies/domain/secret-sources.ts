/**
 * Which secret a reference names: `secrets[].valueFrom` classified (a Secrets Manager ARN,
 * complete or partial, with an optional JSON-key selector; an SSM parameter ARN or name; or invalid
 * with the reason), where an ARN points, and whether a real ARN is the secret a reference names.
 *
 * Facts relied on (docs/aws-facts, "Execution role and secrets"):
 * - `secrets[].valueFrom` is a Secrets Manager ARN (optionally followed by
 *   `:json-key:version-stage:version-id`) or an SSM parameter ARN or name. A plain name is always
 *   read as an SSM parameter name: a Secrets Manager secret *name* there fails at task start.
 * - Secrets Manager appends `-` and 6 random characters to every secret ARN.
 *
 * Pure: no Pulumi, no I/O, never throws on odd input.
 */

/** Where an ARN points: partition, region and account. */
export interface ArnLocation {
    readonly partition: string;
    readonly region: string;
    readonly account: string;
}

/** A `secrets[].valueFrom` classified. */
export type SecretSource =
    | (ArnLocation & {
          readonly kind: "secretsmanager";
          /** The value as given. */
          readonly valueFrom: string;
          /** The secret's ARN without the `:json-key:version-stage:version-id` selector. */
          readonly secretArn: string;
          /** The secret name as it appears in the ARN (with the random suffix when present). */
          readonly secretName: string;
          /** True when the ARN ends with Secrets Manager's `-` + 6-character suffix (a complete ARN). */
          readonly hasRandomSuffix: boolean;
          /**
           * The resource to grant `secretsmanager:GetSecretValue` on: `secretArn` for a complete ARN,
           * `secretArn-??????` for a partial one (the real ARN has a suffix the grant must match).
           */
          readonly grantArn: string;
          readonly jsonKey?: string;
          readonly versionStage?: string;
          readonly versionId?: string;
      })
    | (ArnLocation & {
          readonly kind: "ssm-parameter-arn";
          readonly valueFrom: string;
          /** The ARN, which is also the resource to grant `ssm:GetParameters` on. */
          readonly parameterArn: string;
          /** The part after `parameter/` (an SSM name `/a/b` appears as `a/b` in its ARN). */
          readonly parameterPath: string;
      })
    | {
          readonly kind: "ssm-parameter-name";
          readonly valueFrom: string;
          /** `/a/b` or `name`; resolved in the task's own region and account. */
          readonly parameterName: string;
      }
    | { readonly kind: "invalid"; readonly valueFrom?: string; readonly reason: string };

const PARTITION = /^aws(-[a-z]+)*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
/**
 * Secrets Manager names: letters, digits and `/_+=.@-`, up to 512 characters — optionally after a
 * `<service>!` prefix, which AWS reserves for secrets that services create and manage (RDS managed
 * master passwords are `rds!db-<uuid>` / `rds!cluster-<uuid>`).
 */
const SECRET_NAME = /^(?:[a-z][a-z0-9-]*!)?[A-Za-z0-9/_+=.@-]{1,512}$/;
const RANDOM_SUFFIX = /-[A-Za-z0-9]{6}$/;
/** SSM names: letters, digits and `_.-`, optionally `/`-separated, up to 2048 characters. */
const SSM_NAME = /^\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

function invalid(reason: string, valueFrom?: string): SecretSource {
    return valueFrom === undefined ? { kind: "invalid", reason } : { kind: "invalid", valueFrom, reason };
}

function parseLocation(parts: readonly string[], valueFrom: string): ArnLocation | SecretSource {
    const [, partition, , region, account] = parts;
    if (!PARTITION.test(partition))
        return invalid(
            `\`${valueFrom}\` has an unknown partition \`${partition}\`; expected \`aws\`, \`aws-cn\`, \`aws-us-gov\`, ….`,
            valueFrom,
        );
    if (!REGION.test(region))
        return invalid(
            `\`${valueFrom}\` has no valid region (got \`${region}\`); ECS needs the full ARN, e.g. \`arn:aws:secretsmanager:us-east-1:123456789012:secret:name-AbCdEf\`.`,
            valueFrom,
        );
    if (!ACCOUNT.test(account)) return invalid(`\`${valueFrom}\` has no valid 12-digit account id (got \`${account}\`).`, valueFrom);
    return { partition, region, account };
}

function parseSecretsManagerArn(parts: readonly string[], valueFrom: string): SecretSource {
    const location = parseLocation(parts, valueFrom);
    if ("kind" in location) return location;
    if (parts[5] !== "secret")
        return invalid(
            `\`${valueFrom}\` is a Secrets Manager ARN but not of a secret (resource type \`${parts[5]}\`); use \`…:secret:<name>\`.`,
            valueFrom,
        );
    // secret:NAME[:json-key[:version-stage[:version-id]]] — names cannot contain `:`, and ECS
    // allows empty selector fields (`…:secret:db-AbCdEf:password::`).
    const [secretName, jsonKey, versionStage, versionId, ...extra] = parts.slice(6);
    if (extra.length > 0)
        return invalid(
            `\`${valueFrom}\` has more than the three selector fields \`:json-key:version-stage:version-id\` after the secret name.`,
            valueFrom,
        );
    if (!secretName || !SECRET_NAME.test(secretName))
        return invalid(`\`${valueFrom}\` has no valid secret name after \`:secret:\`.`, valueFrom);
    if (versionStage && versionId)
        return invalid(`\`${valueFrom}\` sets both a version stage and a version id; ECS accepts only one of them.`, valueFrom);
    const secretArn = parts.slice(0, 6).join(":") + ":" + secretName;
    const hasRandomSuffix = RANDOM_SUFFIX.test(secretName);
    return {
        kind: "secretsmanager",
        valueFrom,
        ...location,
        secretArn,
        secretName,
        hasRandomSuffix,
        grantArn: hasRandomSuffix ? secretArn : `${secretArn}-??????`,
        ...(jsonKey ? { jsonKey } : {}),
        ...(versionStage ? { versionStage } : {}),
        ...(versionId ? { versionId } : {}),
    };
}

function parseSsmArn(parts: readonly string[], valueFrom: string): SecretSource {
    const location = parseLocation(parts, valueFrom);
    if ("kind" in location) return location;
    const resource = parts.slice(5).join(":");
    if (!resource.startsWith("parameter/"))
        return invalid(`\`${valueFrom}\` is an SSM ARN but not of a parameter; use \`…:parameter/<name>\`.`, valueFrom);
    const parameterPath = resource.slice("parameter/".length);
    if (!SSM_NAME.test(parameterPath) || parameterPath.startsWith("/"))
        return invalid(
            `\`${valueFrom}\` has no valid parameter name after \`parameter/\` (letters, digits, \`_.-\` and \`/\`; the leading \`/\` of \`/a/b\` is not repeated in the ARN).`,
            valueFrom,
        );
    return { kind: "ssm-parameter-arn", valueFrom, ...location, parameterArn: valueFrom, parameterPath };
}

/**
 * Classifies an ECS `secrets[].valueFrom`: a Secrets Manager ARN (with its base ARN and the
 * resource to grant), an SSM parameter ARN, an SSM parameter name (`/a/b` or `name`), or invalid
 * with a reason. Never throws.
 *
 * A plain name is always an SSM parameter name — ECS does not look Secrets Manager names up —
 * so `prod/db` meant as a Secrets Manager secret shows up as `ssm-parameter-name`. A name that
 * happens to end in `-` plus 6 letters/digits is taken for a complete ARN (AWS advises against
 * such names for that reason).
 */
export function parseSecretSource(valueFrom: unknown): SecretSource {
    if (typeof valueFrom !== "string")
        return invalid(`\`valueFrom\` must be a string, got ${valueFrom === null ? "null" : typeof valueFrom}.`);
    if (valueFrom.trim() === "")
        return invalid("`valueFrom` is empty; set the Secrets Manager secret ARN or the SSM parameter name/ARN.", valueFrom);
    if (valueFrom !== valueFrom.trim())
        return invalid(`\`valueFrom\` \`${valueFrom}\` has leading or trailing whitespace, which AWS does not strip.`, valueFrom);
    if (valueFrom.startsWith("arn:")) {
        const parts = valueFrom.split(":");
        if (parts.length < 6)
            return invalid(`\`${valueFrom}\` is not a complete ARN (\`arn:partition:service:region:account:resource\`).`, valueFrom);
        if (parts[2] === "secretsmanager") return parseSecretsManagerArn(parts, valueFrom);
        if (parts[2] === "ssm") return parseSsmArn(parts, valueFrom);
        return invalid(
            `\`${valueFrom}\` is an ARN of \`${parts[2]}\`; ECS reads secrets only from Secrets Manager or SSM Parameter Store.`,
            valueFrom,
        );
    }
    if (valueFrom.length <= 2048 && SSM_NAME.test(valueFrom) && !/^\/?(aws|ssm)/i.test(valueFrom)) {
        return { kind: "ssm-parameter-name", valueFrom, parameterName: valueFrom };
    }
    return invalid(
        `\`${valueFrom}\` is neither an ARN nor a valid SSM parameter name (letters, digits, \`_.-\` and \`/\`, not starting with \`aws\` or \`ssm\`).`,
        valueFrom,
    );
}

/** Partition, region and account of a regional ARN (`arn:aws:ssm:eu-west-1:123456789012:…`); `undefined` for anything else. Never throws. */
export function arnLocation(arn: unknown): ArnLocation | undefined {
    if (typeof arn !== "string" || !arn.startsWith("arn:")) return undefined;
    const parts = arn.split(":");
    if (parts.length < 6) return undefined;
    const [, partition, , region, account] = parts;
    return PARTITION.test(partition) && REGION.test(region) && ACCOUNT.test(account) ? { partition, region, account } : undefined;
}

/**
 * True when `arn` (a secret's real ARN, e.g. a Secret resource's `arn` output) is the secret that
 * `source` names: the same ARN, or — for a partial ARN without the random suffix — that ARN plus
 * `-` and the 6-character suffix Secrets Manager appends.
 */
export function isArnOfSecret(arn: unknown, source: SecretSource): boolean {
    if (typeof arn !== "string" || source.kind !== "secretsmanager") return false;
    if (arn === source.secretArn) return true;
    return (
        !source.hasRandomSuffix &&
        arn.startsWith(`${source.secretArn}-`) &&
        arn.length === source.secretArn.length + 7 &&
        RANDOM_SUFFIX.test(arn)
    );
}

/**
 * The secret name a Secrets Manager secret id refers to, without the random suffix of a complete
 * ARN (`arn:…:secret:prod/redis-url-AbCdEf` → `prod/redis-url`); a plain name is returned as given.
 */
export function secretNameOfId(secretId: unknown): string | undefined {
    if (typeof secretId !== "string") return undefined;
    if (!secretId.startsWith("arn:")) return secretId;
    const m = /:secret:([^:]+)/.exec(secretId);
    if (!m) return secretId;
    return m[1].replace(RANDOM_SUFFIX, "");
}
