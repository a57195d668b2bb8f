/**
 * KMS keys behind container secrets: which customer-managed key (if any) encrypts a Secrets Manager
 * secret, an RDS-managed master password or a SecureString parameter of the stack, found by ARN,
 * key id or alias. Pure readers: nothing here throws or reports.
 */
import type { PolicyResource } from "@pulumi/policy";
import { type SecretSource, isArnOfSecret } from "../domain/index";
import { propertyDependencies } from "./stack";
import { TYPES } from "./types";
import { UNKNOWN, asArray, asString, field, rawProps } from "./values";

/** The customer-managed KMS key a secret or parameter is encrypted with, if the program says so. */
export type KeyRead = { none: true } | { keyArn: string; key?: PolicyResource } | { undecided: string };

function keyResourceOf(reference: string, resources: readonly PolicyResource[]): KeyRead {
    if (/^(arn:aws[a-z-]*:kms:[^:]*:[^:]*:)?alias\/aws\//.test(reference)) return { none: true }; // AWS managed key
    const alias = resources.find(
        (r) => r.type === TYPES.kmsAlias && [field(rawProps(r.props), "name"), field(rawProps(r.props), "arn")].includes(reference),
    );
    let key = resources.find(
        (r) => r.type === TYPES.kmsKey && ["arn", "keyId", "id"].some((k) => field(rawProps(r.props), k) === reference),
    );
    if (alias) {
        const target = field(rawProps(alias.props), "targetKeyId");
        key =
            resources.find((r) => r.type === TYPES.kmsKey && ["arn", "keyId", "id"].some((k) => field(rawProps(r.props), k) === target)) ??
            propertyDependencies(alias, "targetKeyId").find((r) => r.type === TYPES.kmsKey);
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

/**
 * The customer-managed key that encrypts the secret `source` names: a Secrets Manager secret's
 * `kmsKeyId`, an RDS-managed master password's `masterUserSecretKmsKeyId`, or a SecureString
 * parameter's `keyId` (the parameter found by `parameterArn`, or by name while a new one's ARN is unknown).
 */
export function kmsKeyOf(source: SecretSource, parameterArn: string | undefined, resources: readonly PolicyResource[]): KeyRead {
    if (source.kind === "secretsmanager") {
        const secret = resources.find((r) => r.type === TYPES.secret && isArnOfSecret(field(rawProps(r.props), "arn"), source));
        if (secret) {
            const key = field(rawProps(secret.props), "kmsKeyId");
            if (key === UNKNOWN) {
                const dep = propertyDependencies(secret, "kmsKeyId").find((r) => r.type === TYPES.kmsKey);
                return dep ? keyFromResource(dep) : { undecided: `\`kmsKeyId\` of secret '${secret.name}' is not known yet` };
            }
            return typeof key === "string" ? keyResourceOf(key, resources) : { none: true };
        }
        // RDS-managed master passwords: the key is the instance's/cluster's masterUserSecretKmsKeyId.
        for (const db of resources.filter((r) => r.type === TYPES.rdsInstance || r.type === TYPES.rdsCluster)) {
            const secrets = asArray(field(rawProps(db.props), "masterUserSecrets"));
            if (!Array.isArray(secrets) || !secrets.some((s) => isArnOfSecret(field(s, "secretArn"), source))) continue;
            const key = field(rawProps(db.props), "masterUserSecretKmsKeyId");
            if (key === UNKNOWN) {
                const dep = propertyDependencies(db, "masterUserSecretKmsKeyId").find((r) => r.type === TYPES.kmsKey);
                return dep ? keyFromResource(dep) : { undecided: `\`masterUserSecretKmsKeyId\` of '${db.name}' is not known yet` };
            }
            return typeof key === "string" ? keyResourceOf(key, resources) : { none: true };
        }
        return { none: true };
    }
    if (parameterArn === undefined) return { none: true };
    // By ARN; in a preview the ARN of a new parameter is unknown, so also by name.
    const wantedName =
        source.kind === "ssm-parameter-arn"
            ? source.parameterPath
            : source.kind === "ssm-parameter-name"
              ? source.parameterName.replace(/^\//, "")
              : undefined;
    const parameter =
        resources.find((r) => r.type === TYPES.ssmParameter && field(rawProps(r.props), "arn") === parameterArn) ??
        resources.find((r) => {
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
        const dep = propertyDependencies(parameter, "keyId").find((r) => r.type === TYPES.kmsKey);
        return dep ? keyFromResource(dep) : { undecided: `\`keyId\` of parameter '${parameter.name}' is not known yet` };
    }
    return typeof key === "string" ? keyResourceOf(key, resources) : { none: true }; // unset: aws/ssm
}

function keyFromResource(key: PolicyResource): KeyRead {
    const arn = asString(field(rawProps(key.props), "arn"));
    return typeof arn === "string" ? { keyArn: arn, key } : { undecided: `the ARN of KMS key '${key.name}' is not known yet` };
}
