/**
 * Values shaped like credentials whatever their name: well-known token formats (distinctive
 * prefixes) and long high-entropy strings.
 *
 * Pure: no Pulumi, no I/O, never throws on odd input.
 */

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
