/**
 * Credentials inside URLs (`scheme://user:password@host`): finding the userinfo and masking its
 * secret part, so that messages never show a password.
 *
 * Pure: no Pulumi, no I/O, never throws on odd input.
 */
import { looksLikeToken } from "./secret-tokens";

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
