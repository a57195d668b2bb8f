/**
 * A secret placed in a container's plain `environment` instead of `secrets`: one entry judged by
 * its value (a URL with a password, a token) and its name.
 *
 * Pure: no Pulumi, no I/O, never throws on odd input.
 */
import { isSecretLikeName } from "./secret-names";
import { detectToken } from "./secret-tokens";
import { urlWithPassword } from "./url-credentials";

/** Why an `environment` entry should be a `secrets` entry. */
export type EnvironmentSecretFindingId = "url-with-password-in-environment" | "token-in-environment" | "secret-name-in-environment";

export interface EnvironmentSecretFinding {
    /** Stable ID of the rule that fired. */
    readonly id: EnvironmentSecretFindingId;
    /** The environment variable name. */
    readonly name: string;
    /** The value with any credential masked (absent when the value is unknown, or when it is itself the secret). */
    readonly maskedValue?: string;
    /** One complete sentence: what is wrong and why. */
    readonly message: string;
    /** One complete sentence showing the `secrets` form to use instead. */
    readonly fix: string;
}

/** Values that cannot be secrets, so a secret-like name alone is no finding: flags, small numbers, placeholders. */
function isObviouslyNotSecret(value: string): boolean {
    const v = value.trim();
    return (
        v === "" ||
        /^(true|false|yes|no|on|off|none|null|disabled|enabled)$/i.test(v) ||
        /^\d{1,8}$/.test(v) ||
        /^(changeme|placeholder|redacted|\*+|x+|<[^>]*>|\$\{[^}]*\})$/i.test(v)
    );
}

/**
 * Values that *point at* a secret instead of holding it (the app reads the secret itself at run
 * time): a Secrets Manager / SSM ARN, an SSM parameter path, a file path such as `/run/secrets/db`.
 */
function isSecretReference(value: string): boolean {
    const v = value.trim();
    return /^arn:aws[a-z-]*:(secretsmanager|ssm|kms):/.test(v) || /^\/[A-Za-z0-9_.\-/]+$/.test(v);
}

function secretsFormFix(name: string): string {
    return (
        `Store the value in Secrets Manager (or SSM Parameter Store) and reference it instead: ` +
        `\`secrets: [{ name: "${name}", valueFrom: "arn:aws:secretsmanager:<region>:<account>:secret:<secret-name>" }]\` ` +
        `(an SSM parameter name or ARN also works), then grant the execution role \`secretsmanager:GetSecretValue\` (or \`ssm:GetParameters\`) on it.`
    );
}

/**
 * Decides whether one `containerDefinitions[].environment` entry holds a secret that belongs in
 * `secrets`, and returns the finding (or `null`). Checked in this order:
 * 1. the value is a URL with a password (`REDIS_URL=rediss://:token@…`) — the whole URL is then the secret;
 * 2. the value looks like a token ({@link looksLikeToken}), whatever the name;
 * 3. the name is secret-like ({@link isSecretLikeName}) and the value is unknown (e.g. not yet
 *    resolved at preview) or could be a secret — not a flag, a small number, a placeholder or a
 *    reference such as an ARN or `/run/secrets/…` path.
 */
export function classifyEnvironmentEntry(name: unknown, value: unknown): EnvironmentSecretFinding | null {
    if (typeof name !== "string" || name.length === 0) return null;
    const fix = secretsFormFix(name);
    if (typeof value === "string") {
        const maskedUrl = urlWithPassword(value);
        if (maskedUrl !== null) {
            return {
                id: "url-with-password-in-environment",
                name,
                maskedValue: maskedUrl,
                fix,
                message: `Environment variable \`${name}\` holds a URL with a password (\`${maskedUrl}\`); plain \`environment\` values are visible to anyone who can describe the task definition.`,
            };
        }
        const kind = detectToken(value);
        if (kind !== null) {
            return {
                id: "token-in-environment",
                name,
                fix,
                message: `Environment variable \`${name}\` holds what looks like a credential (${kind}); plain \`environment\` values are visible to anyone who can describe the task definition.`,
            };
        }
        if (isObviouslyNotSecret(value) || isSecretReference(value)) return null;
    }
    if (!isSecretLikeName(name)) return null;
    return {
        id: "secret-name-in-environment",
        name,
        fix,
        message: `Environment variable \`${name}\` is named like a secret but is set in plain \`environment\`, where anyone who can describe the task definition can read it.`,
    };
}
