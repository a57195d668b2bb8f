/**
 * Secrets in ECS task definitions: spotting a secret placed in plain `environment`, masking
 * credentials inside URLs, classifying `secrets[].valueFrom`, and deciding whether an IAM grant
 * on the execution role covers a secret.
 *
 * Facts relied on (docs/aws-facts, "Execution role and secrets"):
 * - `secrets[].valueFrom` is a Secrets Manager ARN (optionally followed by
 *   `:json-key:version-stage:version-id`) or an SSM parameter ARN or name. A plain name is always
 *   read as an SSM parameter name: a Secrets Manager secret *name* there fails at task start.
 * - The execution role needs `secretsmanager:GetSecretValue` / `ssm:GetParameters` on them; a
 *   missing grant fails at start with `ResourceInitializationError: unable to pull secrets …`.
 * - Secrets Manager appends `-` and 6 random characters to every secret ARN, so a grant on the
 *   bare name ARN (`…:secret:db`) does not cover the secret (`…:secret:db-AbCdEf`).
 *
 * Pure: no Pulumi, no I/O, never throws on odd input.
 */

// ---------------------------------------------------------------------------------------------
// Secret-like names
// ---------------------------------------------------------------------------------------------

/** Words that, as a whole name token (or the end of one), mark the value as a secret. */
const SECRET_WORDS = [
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "SECRETS",
    "TOKEN",
    "APIKEY",
    "CREDENTIALS",
    "CREDENTIAL",
    "CREDS",
] as const;

/** Two-token phrases that mark a secret although neither word does alone (`KEY` alone is too common). */
const SECRET_PHRASES: readonly (readonly [string, string])[] = [
    ["PRIVATE", "KEY"],
    ["SECRET", "KEY"],
    ["API", "KEY"],
    ["ACCESS", "KEY"],
    ["SIGNING", "KEY"],
    ["ENCRYPTION", "KEY"],
    ["MASTER", "KEY"],
    ["LICENSE", "KEY"],
    ["ACCOUNT", "KEY"],
    ["SSH", "KEY"],
    ["HMAC", "KEY"],
    ["AUTH", "KEY"],
    ["CLIENT", "SECRET"],
];

/**
 * Tokens that, after the secret word, say the setting is *about* the secret rather than the
 * secret itself: `TOKEN_URL`, `PASSWORD_MIN_LENGTH`, `DB_PASSWORD_FILE` (the Docker `_FILE`
 * convention points at a file), `SECRET_ARN`, `USE_SECRETS_MANAGER`.
 */
const METADATA_TOKENS = new Set([
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "PORT",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "LIFETIME",
    "TIMEOUT",
    "LENGTH",
    "LEN",
    "SIZE",
    "LIMIT",
    "COUNT",
    "MIN",
    "MAX",
    "POLICY",
    "ARN",
    "NAME",
    "ID",
    "FILE",
    "PATH",
    "DIR",
    "PARAM",
    "PARAMETER",
    "HEADER",
    "TYPE",
    "ENABLED",
    "DISABLED",
    "ENABLE",
    "REQUIRED",
    "REGION",
    "VERSION",
    "ROTATION",
    "PREFIX",
    "SUFFIX",
    "FIELD",
    "REF",
    "SOURCE",
    "MANAGER",
    "STORE",
    "PROVIDER",
    "ALGORITHM",
    "FORMAT",
    "RESET",
]);

/**
 * Whole names that match the rules but are not secrets by convention: the working directory
 * (`PWD`), and Google's variable that holds a *path* to a credentials file.
 */
const NOT_SECRET_NAMES = new Set(["PWD", "OLDPWD", "GOOGLE_APPLICATION_CREDENTIALS"]);

/** Whole names that are credentials although the rules miss them (AWS Config flags these too). */
const SECRET_NAMES = new Set(["AWS_ACCESS_KEY_ID", "ECS_ENGINE_AUTH_DATA"]);

/**
 * Splits a setting name into upper-case word tokens: `dbPassword`, `db-password`, `db.password`,
 * `/prod/db/password` → `[…, "DB", "PASSWORD"]`. Shared by every name-based rule.
 */
export function nameTokens(name: string): string[] {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toUpperCase()
        .split(/[^A-Z0-9]+/)
        .filter((t) => t.length > 0);
}

/** Index just after the secret word/phrase that starts at `i`, or -1. */
function secretWordEnd(tokens: readonly string[], i: number): number {
    const token = tokens[i];
    for (const [first, second] of SECRET_PHRASES) {
        if (token === first && tokens[i + 1] === second) return i + 2;
    }
    // `ROOTPASSWORD`, `CLIENTSECRET`, `ACCESSTOKEN`: the word ending a token still counts, but
    // `TOKENS` (MAX_TOKENS of an LLM client) and `TOKENIZER` do not.
    if (SECRET_WORDS.some((w) => token.endsWith(w)) || token.includes("PASSWD")) return i + 1;
    // `DB_PASS`, `DB_PWD`: only as the last token after a prefix (`PASS_THROUGH`, bare `PWD` are not secrets).
    if ((token === "PASS" || token === "PWD") && i === tokens.length - 1 && i > 0) return i + 1;
    return -1;
}

/**
 * True when an environment variable (or parameter) name says it holds a secret: a token such as
 * `PASSWORD`, `PASSWD`, `SECRET`, `TOKEN`, `APIKEY`, `CREDENTIALS`, or a phrase such as
 * `PRIVATE_KEY`, `SECRET_KEY`, `API_KEY`, `ACCESS_KEY`, `CLIENT_SECRET`; `_PASS`/`_PWD` at the end.
 * Works for `UPPER_SNAKE`, `camelCase`, `kebab-case` and dotted names.
 *
 * To keep false positives out, a name is *not* secret-like when every secret word in it is
 * followed by a metadata token (`TOKEN_URL`, `TOKEN_TTL`, `PASSWORD_MIN_LENGTH`,
 * `DB_PASSWORD_FILE`, `SECRET_ARN`, `USE_SECRETS_MANAGER`), when the word is only a prefix
 * (`TOKENIZER`, `MAX_TOKENS`), or for `PWD` and `GOOGLE_APPLICATION_CREDENTIALS` (a file path).
 * `AWS_ACCESS_KEY_ID` is secret-like: it is half of a credential pair.
 */
export function isSecretLikeName(name: unknown): boolean {
    if (typeof name !== "string") return false;
    const tokens = nameTokens(name);
    const canonical = tokens.join("_");
    if (NOT_SECRET_NAMES.has(canonical)) return false;
    if (SECRET_NAMES.has(canonical)) return true;
    for (let i = 0; i < tokens.length; i++) {
        const end = secretWordEnd(tokens, i);
        if (end < 0) continue;
        const describesTheSecret = tokens.slice(end).some((t) => METADATA_TOKENS.has(t));
        if (!describesTheSecret) return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Token-shaped values
// ---------------------------------------------------------------------------------------------

/** What a token-shaped value appears to be. */
export type TokenKind =
    | "aws-access-key-id"
    | "github-token"
    | "slack-token"
    | "jwt"
    | "stripe-key"
    | "google-api-key"
    | "npm-token"
    | "openai-key"
    | "private-key-pem"
    | "high-entropy-string";

/** Well-known formats: distinctive prefixes make these near-certain. */
const TOKEN_FORMATS: readonly { kind: TokenKind; pattern: RegExp }[] = [
    { kind: "aws-access-key-id", pattern: /^(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}$/ },
    { kind: "github-token", pattern: /^(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})$/ },
    { kind: "slack-token", pattern: /^(xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,})$/ },
    { kind: "jwt", pattern: /^eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*$/ },
    { kind: "stripe-key", pattern: /^[sr]k_(live|test)_[A-Za-z0-9]{16,}$/ },
    { kind: "google-api-key", pattern: /^AIza[0-9A-Za-z_-]{35}$/ },
    { kind: "npm-token", pattern: /^npm_[A-Za-z0-9]{36}$/ },
    { kind: "openai-key", pattern: /^sk-(proj-)?[A-Za-z0-9_-]{32,}$/ },
    { kind: "private-key-pem", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

/** Minimum length and Shannon entropy (bits per character) of a generic random token. */
const HIGH_ENTROPY_MIN_LENGTH = 32;
const HIGH_ENTROPY_MIN_BITS = 4.3;

function shannonEntropy(value: string): number {
    const counts = new Map<string, number>();
    for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let bits = 0;
    for (const n of counts.values()) {
        const p = n / value.length;
        bits -= p * Math.log2(p);
    }
    return bits;
}

/**
 * A generic random secret (e.g. an AWS secret access key): one base64/base62 word of ≥ 32
 * characters mixing upper case, lower case and digits with high entropy. Conservative on
 * purpose: hex strings (commit SHAs, digests), UUIDs, paths, URLs and hostnames never match.
 */
function isHighEntropyWord(value: string): boolean {
    if (value.length < HIGH_ENTROPY_MIN_LENGTH || value.length > 4096) return false;
    if (!/^[A-Za-z0-9+/=_-]+$/.test(value) || value.startsWith("/")) return false;
    if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/[0-9]/.test(value)) return false;
    return shannonEntropy(value) >= HIGH_ENTROPY_MIN_BITS;
}

/** The kind of token `value` looks like, or `null`. See {@link looksLikeToken}. */
export function detectToken(value: unknown): TokenKind | null {
    if (typeof value !== "string") return null;
    const trimmed = value.trim();
    for (const { kind, pattern } of TOKEN_FORMATS) {
        if (pattern.test(trimmed)) return kind;
    }
    return isHighEntropyWord(trimmed) ? "high-entropy-string" : null;
}

/**
 * True when `value` looks like a credential: an AWS access key id (`AKIA…`/`ASIA…`), a GitHub
 * (`ghp_…`, `github_pat_…`), Slack (`xox…`), Stripe, Google, npm or OpenAI key, a JWT, a PEM
 * private key, or a long high-entropy word. Conservative: ordinary words, hex digests and UUIDs
 * do not match, so a hit is worth reporting on its own.
 */
export function looksLikeToken(value: unknown): boolean {
    return detectToken(value) !== null;
}

// ---------------------------------------------------------------------------------------------
// Credentials inside URLs
// ---------------------------------------------------------------------------------------------

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
/** Shown instead of a secret; fixed length so the message does not leak the secret's length either. */
export const MASK = "****";

/**
 * Start (inclusive) and end (exclusive, the index of `@`) of the userinfo (`user:password`) of a
 * `scheme://` URL, or null when it has none. Lenient on purpose, so masking never misses a secret.
 */
export function locateUserinfo(value: string): { start: number; end: number } | null {
    const scheme = SCHEME.exec(value);
    if (!scheme) return null;
    const start = scheme[0].length;
    const rest = value.slice(start).split(/\s/, 1)[0];
    // Passwords with raw `/`, `?`, `#` or `@` (`redis://:p@ss/w@host`) break clients but must still
    // be masked whole, so first try the *last* `@`, when what precedes it reads as `user:password` —
    // unless the "password" is really a port and a path (`https://host:8080/@me`).
    const lastAt = rest.lastIndexOf("@");
    if (lastAt >= 0) {
        const candidate = rest.slice(0, lastAt);
        const colon = candidate.indexOf(":");
        if (colon >= 0 && !/[/?#]/.test(candidate.slice(0, colon)) && !/^\d*\//.test(candidate.slice(colon + 1))) {
            return { start, end: start + lastAt };
        }
    }
    // Otherwise WHATWG URL: the authority ends at the first `/`, `?` or `#`, the userinfo at its last `@`.
    const authorityLength = rest.search(/[/?#]/);
    const authority = authorityLength < 0 ? rest : rest.slice(0, authorityLength);
    const at = authority.lastIndexOf("@");
    return at >= 0 ? { start, end: start + at } : null;
}

/** The userinfo with its secret part replaced by {@link MASK}; null when it carries no secret. */
function maskedUserinfo(userinfo: string): string | null {
    const colon = userinfo.indexOf(":");
    if (colon >= 0) {
        return colon === userinfo.length - 1 ? null : `${userinfo.slice(0, colon)}:${MASK}`;
    }
    // A token used as the user name (`https://ghp_…@github.com`) is a credential too.
    return looksLikeToken(decodeSafely(userinfo)) ? MASK : null;
}

function decodeSafely(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

/**
 * `value` with the password of its `scheme://user:password@…` part replaced by `****` (also a
 * token used as the user name). Any other value is returned unchanged. Use it whenever a URL is
 * shown in a message or log.
 */
export function maskUrlCredentials(value: string): string {
    if (typeof value !== "string") return value;
    const where = locateUserinfo(value);
    if (!where) return value;
    const masked = maskedUserinfo(value.slice(where.start, where.end));
    return masked === null ? value : value.slice(0, where.start) + masked + value.slice(where.end);
}

/**
 * When `value` is a URL of any scheme (`postgres://`, `rediss://`, `amqps://`, `https://` …) that
 * carries a password (or a token as user name), returns it masked; otherwise `null`.
 */
export function urlWithPassword(value: unknown): string | null {
    if (typeof value !== "string") return null;
    const trimmed = value.trim();
    const masked = maskUrlCredentials(trimmed);
    return masked === trimmed ? null : masked;
}

// ---------------------------------------------------------------------------------------------
// Environment entries
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// secrets[].valueFrom and IAM grants
// ---------------------------------------------------------------------------------------------

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

/**
 * IAM resource matching of one `Resource` pattern against one ARN: `*` matches any run of
 * characters and `?` exactly one, case-sensitively. Following the IAM docs, a wildcard inside an
 * ARN segment stays inside it (does not match `:`), except a `*` that ends a segment (is followed
 * by `:` or ends the pattern), which may run across colons — so `*` alone matches everything.
 * Policy variables (`${aws:username}`) are not evaluated: such a pattern only matches literally,
 * which makes a coverage check err towards "not covered".
 */
export function arnMatches(pattern: unknown, arn: unknown): boolean {
    if (typeof pattern !== "string" || typeof arn !== "string") return false;
    // Dynamic programming over (pattern prefix, arn prefix): linear memory, no regex backtracking.
    let previous: boolean[] = new Array(arn.length + 1).fill(false);
    previous[0] = true;
    for (let p = 0; p < pattern.length; p++) {
        const ch = pattern[p];
        const current: boolean[] = new Array(arn.length + 1).fill(false);
        if (ch === "*") {
            const crossesColons = p === pattern.length - 1 || pattern[p + 1] === ":";
            current[0] = previous[0];
            for (let a = 1; a <= arn.length; a++) {
                current[a] = previous[a] || (current[a - 1] && (crossesColons || arn[a - 1] !== ":"));
            }
        } else {
            for (let a = 1; a <= arn.length; a++) {
                current[a] = previous[a - 1] && (ch === "?" ? arn[a - 1] !== ":" : arn[a - 1] === ch);
            }
        }
        previous = current;
    }
    return previous[arn.length];
}

/** Suffixes standing for "any random suffix": no literal pattern matches all three. */
const SAMPLE_SUFFIXES = ["-AAAAAA", "-zzzzzz", "-090909"];

/**
 * True when an IAM grant on `grantedArn` (a `Resource` pattern) covers the Secrets Manager secret
 * `secretArn` (any form ECS accepts, including a `:json-key:…` selector).
 *
 * The real ARN of a secret ends in `-` + 6 random characters. A complete `secretArn` is matched as
 * is. A partial one (no suffix) only names the secret, so the grant must match *every* possible
 * suffix: `name-??????`, `name-*` or `name*` do, the bare `name` or one specific suffix do not.
 */
export function secretsManagerArnCovers(grantedArn: unknown, secretArn: unknown): boolean {
    const source = parseSecretSource(secretArn);
    if (source.kind !== "secretsmanager") return false;
    if (source.hasRandomSuffix) return arnMatches(grantedArn, source.secretArn);
    return SAMPLE_SUFFIXES.every((suffix) => arnMatches(grantedArn, source.secretArn + suffix));
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

/**
 * The ARN of an SSM parameter given by name, for grant checks: `/a/b` → `…:parameter/a/b`,
 * `name` → `…:parameter/name`. The task's region and account apply to a plain name.
 */
export function ssmParameterArn(parameterName: string, where: ArnLocation): string {
    const path = parameterName.startsWith("/") ? parameterName.slice(1) : parameterName;
    return `arn:${where.partition}:ssm:${where.region}:${where.account}:parameter/${path}`;
}
