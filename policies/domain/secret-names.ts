/**
 * Setting names that mark their value as a secret (`DB_PASSWORD`, `apiKey`, `/prod/db/password`),
 * and the name tokenizer every name-based rule shares.
 *
 * Pure: no Pulumi, no I/O, never throws on odd input.
 */

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
