/**
 * Redis connection URLs: building them right, and checking the ones people store.
 *
 * Facts relied on (docs/aws-facts, "Redis URLs"):
 * - redis-py, node-redis and ioredis parse `redis://`, `rediss://` (TLS) and `unix://`.
 * - A scheme-less value breaks differently per client: redis-py and node-redis reject it
 *   (node-redis: `Invalid protocol` for `host:6379`, `ERR_INVALID_URL` for `127.0.0.1:6379`);
 *   ioredis accepts `host:port` and connects *without* TLS, which an encrypted cache refuses.
 * - ElastiCache with `transitEncryptionEnabled`, and every serverless cache, accepts only TLS:
 *   the URL must be `rediss://`. `redis://` against it fails as a connection reset (the outage
 *   this module exists to prevent); `rediss://` against a plaintext cache fails the handshake.
 *
 * `buildRedisUrl` guards component args and throws `TypeError`s; everything else is pure and
 * never throws on odd input. Passwords never appear in a message: they are shown as `****`.
 */
import { isPortNumber } from "./port-numbers";
import { nameTokens } from "./secret-names";
import { MASK, locateUserinfo, maskUrlCredentials } from "./url-credentials";

/** The port Redis, Valkey and ElastiCache listen on unless configured otherwise. */
export const REDIS_DEFAULT_PORT = 6379;
/** URL schemes every mainstream Redis client accepts. */
export const REDIS_URL_SCHEMES = ["redis", "rediss", "unix"] as const;
export type RedisScheme = (typeof REDIS_URL_SCHEMES)[number];
/** Largest database index Redis accepts (`databases` is a C int). ElastiCache cluster mode supports only 0. */
const MAX_DB = 2_147_483_647;
/** Longest value shown in a message; longer ones are cut so findings stay readable. */
const MAX_SHOWN = 160;

// ---------------------------------------------------------------------------------------------
// Hosts, ports and databases: one rule each, shared by the builder and the checker
// ---------------------------------------------------------------------------------------------

const HOSTNAME_LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function isValidIPv6(address: string): boolean {
    if (!/^[0-9A-Fa-f:.]+$/.test(address) || !address.includes(":")) return false;
    try {
        new URL(`http://[${address}]/`);
        return true;
    } catch {
        return false;
    }
}

/** Unbracketed IPv6 (`::1`, `fe80::1`): two or more colons and only address characters. */
function isBareIPv6(host: string): boolean {
    return (host.match(/:/g) ?? []).length >= 2 && isValidIPv6(host);
}

/**
 * What is wrong with `host` as the host part of a Redis URL, or null when it is usable: a DNS
 * name (labels of letters, digits, `-` and `_` — Docker Compose service names use `_`), an IPv4
 * address, or an IPv6 address with or without brackets.
 */
function hostDefect(host: string): string | null {
    if (host === "") return "is empty";
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(host)) return "is a whole URL, not a host";
    if (/[@/\s?#]/.test(host)) return "contains `@`, `/`, `?`, `#` or whitespace";
    if (host.startsWith("[") && host.endsWith("]")) {
        return isValidIPv6(host.slice(1, -1)) ? null : "is not a valid IPv6 address";
    }
    if (isBareIPv6(host)) return null;
    if (/^[^:]+:\d*$/.test(host)) return "includes a port";
    if (host.length > 253) return "is longer than 253 characters";
    const labels = host.split(".");
    if (!labels.every((label) => HOSTNAME_LABEL.test(label))) return "is not a valid hostname or IP address";
    // All-numeric labels can only be an IPv4 address; `999.1.1.1` is neither that nor a DNS name.
    if (labels.every((label) => /^\d+$/.test(label)) && !(labels.length === 4 && labels.every((l) => Number(l) <= 255))) {
        return "is not a valid IPv4 address";
    }
    return null;
}

function isValidPort(port: unknown): port is number {
    return typeof port === "number" && isPortNumber(port);
}

function isValidDb(db: unknown): db is number {
    return typeof db === "number" && Number.isInteger(db) && db >= 0 && db <= MAX_DB;
}

/** Host as it appears in a URL: IPv6 in brackets. */
function urlHost(host: string): string {
    return isBareIPv6(host) ? `[${host}]` : host;
}

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

/** The parts of a Redis URL, as component args give them. */
export interface RedisUrlArgs {
    /** Hostname or IP address only: no scheme, port, credentials or path. IPv6 with or without brackets. */
    readonly host: string;
    /** TCP port, 1–65535. @default 6379 */
    readonly port?: number;
    /** Database index (`SELECT`), ≥ 0. ElastiCache cluster mode supports only 0. @default - no path; clients use 0 */
    readonly db?: number;
    /** Whether the cache requires TLS: set it from the cache's `transitEncryptionEnabled` (serverless: always true). */
    readonly tls: boolean;
    /** ACL user name (ElastiCache RBAC). @default - none; the `default` user */
    readonly username?: string;
    /** Password or ElastiCache AUTH token; percent-encoded into the URL. @default - none; no AUTH */
    readonly password?: string;
}

function fail(message: string): never {
    throw new TypeError(message);
}

/** Percent-encodes one credential; names the arg when it cannot be encoded (unpaired surrogate). */
function encodeCredential(field: "username" | "password", value: unknown): string {
    if (typeof value !== "string" || value === "") {
        fail(
            `\`${field}\` must be a non-empty string when given, got ${describe(value)}; omit it for no ${field === "password" ? "AUTH" : "ACL user"}.`,
        );
    }
    try {
        return encodeURIComponent(value);
    } catch {
        return fail(`\`${field}\` contains an unpaired UTF-16 surrogate and cannot be put into a URL; use a well-formed string.`);
    }
}

function describe(value: unknown): string {
    if (typeof value === "string") return JSON.stringify(value.length > 60 ? value.slice(0, 60) + "…" : value);
    if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
    return typeof value;
}

/**
 * Builds a Redis URL that every mainstream client parses the same way: `rediss://` when `tls`,
 * else `redis://`; credentials percent-encoded; the port always explicit; `/db` when given.
 * Throws a `TypeError` naming the arg and the fix when an arg is unusable (it guards component
 * args, where a bad value must stop the program before anything is created).
 *
 * @example buildRedisUrl({ host: "master.app.abc123.use1.cache.amazonaws.com", tls: true, password: "s3cr/t" })
 *          // "rediss://:s3cr%2Ft@master.app.abc123.use1.cache.amazonaws.com:6379"
 */
export function buildRedisUrl(args: RedisUrlArgs): string {
    if (typeof args !== "object" || args === null)
        fail(`Redis URL args must be an object with \`host\` and \`tls\`, got ${describe(args)}.`);
    const { host, port = REDIS_DEFAULT_PORT, db, tls, username, password } = args;
    if (typeof host !== "string") fail(`\`host\` must be a hostname or IP address string, got ${describe(host)}.`);
    const defect = hostDefect(host);
    if (defect !== null) fail(hostFix(host, defect));
    if (!isValidPort(port))
        fail(`\`port\` must be a whole number from 1 to 65535, got ${describe(port)}; ElastiCache listens on ${REDIS_DEFAULT_PORT}.`);
    if (db !== undefined && !isValidDb(db))
        fail(
            `\`db\` must be a whole number ≥ 0, got ${describe(db)}; omit it for database 0 (the only one ElastiCache cluster mode supports).`,
        );
    if (typeof tls !== "boolean")
        fail(
            `\`tls\` must be true or false, got ${describe(tls)}; set it to the cache's \`transitEncryptionEnabled\` (serverless caches: true).`,
        );
    const user = username === undefined ? "" : encodeCredential("username", username);
    const pass = password === undefined ? "" : encodeCredential("password", password);
    const userinfo = user || pass ? `${user}${pass ? ":" + pass : ""}@` : "";
    return `${tls ? "rediss" : "redis"}://${userinfo}${urlHost(host)}:${port}${db === undefined ? "" : "/" + db}`;
}

/** The builder's message for a bad `host`, with the fix that fits the mistake. */
function hostFix(host: string, defect: string): string {
    const shown = describe(maskUrlCredentials(host));
    const base = `\`host\` ${defect} (got ${shown}).`;
    if (defect.startsWith("is a whole URL"))
        return `${base} Pass only the hostname in \`host\`, and use \`tls\`, \`port\`, \`password\` for the rest.`;
    if (defect === "includes a port")
        return `${base} Pass the port separately: \`{ host: ${JSON.stringify(host.split(":")[0])}, port: ${Number(host.split(":")[1]) || REDIS_DEFAULT_PORT} }\`.`;
    if (defect.startsWith("contains")) return `${base} Pass credentials in \`username\`/\`password\` and the database in \`db\`.`;
    return `${base} Use a DNS name such as the cache's primary endpoint address, or an IP address.`;
}

// ---------------------------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------------------------

/** Stable IDs of the problems {@link checkRedisUrl} reports. */
export type RedisUrlProblemId =
    | "redis-url-not-a-string"
    | "redis-url-empty"
    | "redis-url-surrounding-whitespace"
    | "redis-url-missing-scheme"
    | "redis-url-wrong-scheme"
    | "redis-url-unencoded-password"
    | "redis-url-invalid-host"
    | "redis-url-invalid-port"
    | "redis-url-invalid-db"
    | "redis-url-invalid-socket-path"
    | "redis-url-unparseable"
    | "redis-url-not-tls"
    | "redis-url-tls-to-plaintext-cache";

export interface RedisUrlProblem {
    readonly id: RedisUrlProblemId;
    /** Complete sentence naming the (masked) value and what goes wrong with it. */
    readonly message: string;
    /** Complete sentence with the value to store instead. */
    readonly fix: string;
}

/** A Redis URL taken apart (password reduced to whether there is one). */
export interface ParsedRedisUrl {
    readonly scheme: RedisScheme;
    readonly tls: boolean;
    /** Host as written in the URL (IPv6 in brackets); absent for `unix://`. */
    readonly host?: string;
    /** Port, {@link REDIS_DEFAULT_PORT} when the URL has none; absent for `unix://`. */
    readonly port?: number;
    /** Socket path of a `unix://` URL. */
    readonly socketPath?: string;
    /** Database index, 0 when the URL has none. */
    readonly db: number;
    readonly username?: string;
    readonly hasPassword: boolean;
    /** The URL with its password masked: safe to log. */
    readonly masked: string;
}

export interface RedisUrlCheck {
    /** True when no problem was found. */
    readonly ok: boolean;
    readonly problems: readonly RedisUrlProblem[];
    /** Present when the URL could be taken apart (even if a problem such as `redis-url-not-tls` remains). */
    readonly parsed?: ParsedRedisUrl;
}

export interface RedisUrlContext {
    /**
     * Whether the target cache has in-transit encryption on (ElastiCache `transitEncryptionEnabled`).
     * @default - unknown; serverless ElastiCache hosts count as `true` (they are always encrypted)
     */
    readonly transitEncryption?: boolean;
}

/** A value as shown in a message: password masked, long values cut. */
function shown(value: string): string {
    // A scheme-less `user:pass@host:6379` has a password too: mask it as if it had a scheme.
    const masked = SCHEME_PREFIX.test(value) ? maskUrlCredentials(value) : maskUrlCredentials(`x://${value}`).slice(4);
    return masked.length > MAX_SHOWN ? masked.slice(0, MAX_SHOWN) + "…" : masked;
}

function problem(id: RedisUrlProblemId, message: string, fix: string): RedisUrlProblem {
    return { id, message, fix };
}

/** The pieces of `scheme://[userinfo@]host[:port][/path][?query][#fragment]`, unvalidated. */
interface NetworkParts {
    readonly userinfo?: string;
    readonly host: string;
    readonly port?: string;
    readonly path: string;
}

/** Splits what follows `scheme://` the way WHATWG URL does, but with the lenient userinfo rule of the masker. */
function splitNetwork(scheme: string, rest: string): NetworkParts {
    const where = locateUserinfo(`${scheme}://${rest}`);
    const offset = scheme.length + 3;
    const userinfo = where ? rest.slice(0, where.end - offset) : undefined;
    const afterUserinfo = where ? rest.slice(where.end - offset + 1) : rest;
    const authorityEnd = afterUserinfo.search(/[/?#]/);
    const hostPort = authorityEnd < 0 ? afterUserinfo : afterUserinfo.slice(0, authorityEnd);
    const tail = authorityEnd < 0 ? "" : afterUserinfo.slice(authorityEnd);
    const path = tail.startsWith("/") ? tail.split(/[?#]/, 1)[0] : "";
    if (hostPort.startsWith("[")) {
        const close = hostPort.indexOf("]");
        if (close > 0 && hostPort[close + 1] === ":")
            return { userinfo, host: hostPort.slice(0, close + 1), port: hostPort.slice(close + 2), path };
        return { userinfo, host: hostPort, path };
    }
    if (isBareIPv6(hostPort)) return { userinfo, host: hostPort, path };
    const colon = hostPort.lastIndexOf(":");
    if (colon < 0) return { userinfo, host: hostPort, path };
    return { userinfo, host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1), path };
}

function maskedUserinfoOf(userinfo: string | undefined): string {
    if (userinfo === undefined) return "";
    const colon = userinfo.indexOf(":");
    return colon < 0 ? `${userinfo}@` : `${userinfo.slice(0, colon)}:${colon === userinfo.length - 1 ? "" : MASK}@`;
}

/** Wrong schemes that still say "TLS": `https`, `redis+tls`, `rediss+sentinel`, `valkeys`, `ssl`. */
const TLS_SCHEME_HINT = /tls|ssl|^(https|valkeys|wss|tcps|rediss\+.*)$/i;

/** Should the suggested URL use TLS? The context decides; else the host's kind; else plain. */
function suggestTls(context: RedisUrlContext, host: string, schemeHint?: string): boolean {
    if (context.transitEncryption !== undefined) return context.transitEncryption;
    if (schemeHint !== undefined && TLS_SCHEME_HINT.test(schemeHint)) return true;
    return looksLikeElastiCacheHost(host);
}

/** When the scheme is a guess for an ElastiCache host, say which case it assumes. */
function tlsGuessNote(context: RedisUrlContext, host: string): string {
    return context.transitEncryption === undefined && looksLikeElastiCacheHost(host) && !isServerlessElastiCacheHost(host)
        ? " (`redis://` only if the cache has in-transit encryption off)"
        : "";
}

/** `scheme://[masked userinfo@]host:port[/path]` for a fix. */
function suggestion(tls: boolean, parts: NetworkParts | undefined): string {
    if (parts === undefined || hostDefect(parts.host) !== null) return `${tls ? "rediss" : "redis"}://<host>:${REDIS_DEFAULT_PORT}`;
    const port =
        parts.port !== undefined && isValidPort(Number(parts.port)) && /^\d+$/.test(parts.port) ? parts.port : String(REDIS_DEFAULT_PORT);
    const path = /^\/\d+$/.test(parts.path) ? parts.path : "";
    return `${tls ? "rediss" : "redis"}://${maskedUserinfoOf(parts.userinfo)}${urlHost(parts.host)}:${port}${path}`;
}

const SCHEME_PREFIX = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
/** `rediss:host:6379` or `redis:/host` — a known scheme without its `//`. `redis:6379` is host `redis`, port 6379. */
const SCHEME_WITHOUT_SLASHES = /^(rediss?|unix):\/?(?!\/)(?!\d+(\/|$))(.*)$/i;

function checkMissingScheme(value: string, context: RedisUrlContext): RedisUrlProblem {
    const clientsSay =
        "node-redis rejects it (`Invalid protocol` or `ERR_INVALID_URL`), redis-py rejects it, and ioredis connects without TLS, which an encrypted cache refuses";
    if (value.startsWith("/")) {
        return problem(
            "redis-url-missing-scheme",
            `Redis URL \`${shown(value)}\` has no scheme: ${clientsSay}.`,
            `Store \`unix://${value}\` for a socket path.`,
        );
    }
    const half = SCHEME_WITHOUT_SLASHES.exec(value);
    const scheme = half ? half[1].toLowerCase() : undefined;
    const rest = half ? half[3] : value;
    if (scheme === "unix") {
        return problem(
            "redis-url-missing-scheme",
            `Redis URL \`${shown(value)}\` writes \`unix:\` without \`//\`, so clients do not recognise the scheme.`,
            `Store \`unix:///${rest.replace(/^\/+/, "")}\`.`,
        );
    }
    const parts = splitNetwork("redis", rest);
    const tls = scheme !== undefined && context.transitEncryption === undefined ? scheme === "rediss" : suggestTls(context, parts.host);
    const what = half ? `writes \`${half[1]}:\` without \`//\`, so clients do not recognise the scheme` : `has no scheme: ${clientsSay}`;
    return problem(
        "redis-url-missing-scheme",
        `Redis URL \`${shown(value)}\` ${what}.`,
        `Store \`${suggestion(tls, parts)}\`${tlsGuessNote(context, parts.host)}.`,
    );
}

function checkUnix(value: string, rest: string): RedisUrlCheck {
    // unix://[user[:password]@]/path/to/socket[?db=N] — the form node-redis and redis-py accept.
    const match = /^(?:([^:@/]*)(?::([^@/]*))?@)?(\/[^?#]*)(?:\?([^#]*))?(?:#.*)?$/.exec(rest);
    if (!match || match[3] === "/") {
        return {
            ok: false,
            problems: [
                problem(
                    "redis-url-invalid-socket-path",
                    `Redis URL \`${shown(value)}\` has no absolute socket path after \`unix://\`.`,
                    "Store `unix:///path/to/redis.sock` (three slashes: the path starts with `/`).",
                ),
            ],
        };
    }
    const [, username, password, socketPath, query] = match;
    const dbText = query === undefined ? null : new URLSearchParams(query).get("db");
    const parsed: ParsedRedisUrl = {
        scheme: "unix",
        tls: false,
        socketPath,
        db: dbText === null ? 0 : Number(dbText),
        ...(username ? { username } : {}),
        hasPassword: !!password,
        masked: shown(value),
    };
    if (dbText !== null && !(/^\d+$/.test(dbText) && isValidDb(Number(dbText)))) {
        return {
            ok: false,
            parsed: { ...parsed, db: 0 },
            problems: [
                problem(
                    "redis-url-invalid-db",
                    `Redis URL \`${shown(value)}\` selects database \`${dbText}\`; a database is a whole number ≥ 0.`,
                    `Store \`unix://${socketPath}?db=0\` or leave \`db\` out.`,
                ),
            ],
        };
    }
    return { ok: true, problems: [], parsed };
}

function checkNetwork(value: string, scheme: "redis" | "rediss", rest: string, context: RedisUrlContext): RedisUrlCheck {
    const parts = splitNetwork(scheme, rest);
    const problems = networkUrlProblems(value, scheme, parts);
    if (problems.length > 0) return { ok: false, problems };
    const parsed = parsedNetworkUrl(value, scheme, parts);
    problems.push(...tlsMismatchProblems(value, parsed.tls, parts, context));
    return { ok: problems.length === 0, problems, parsed };
}

/** The port a network URL's parts name: Redis's default when absent (NaN when not a number). */
const portOf = (parts: NetworkParts): number => (parts.port === undefined || parts.port === "" ? REDIS_DEFAULT_PORT : Number(parts.port));
/** The database a network URL's path selects, as written (`/3` → `3`); undefined when the path selects none (database 0). */
const dbTextOf = (parts: NetworkParts): string | undefined => (parts.path.length > 1 ? parts.path.slice(1) : undefined);

/** What makes a `redis://`/`rediss://` URL unusable whatever the cache: credentials, host, port, database, parse. */
function networkUrlProblems(value: string, scheme: "redis" | "rediss", parts: NetworkParts): RedisUrlProblem[] {
    const problems: RedisUrlProblem[] = [];
    const fixed = suggestion(scheme === "rediss", parts);
    const port = portOf(parts);
    const dbText = dbTextOf(parts);
    const db = dbText === undefined ? 0 : Number(dbText);
    if (parts.userinfo !== undefined && /[/?#@\s]/.test(parts.userinfo)) {
        problems.push(
            problem(
                "redis-url-unencoded-password",
                `Redis URL \`${shown(value)}\` has \`/\`, \`?\`, \`#\`, \`@\` or whitespace in its credentials without percent-encoding, so clients read part of the password as host or path.`,
                "Percent-encode the user name and password (`encodeURIComponent`, or build the URL with `buildRedisUrl`).",
            ),
        );
    }
    const defect = hostDefect(parts.host);
    if (defect !== null) {
        problems.push(
            problem(
                "redis-url-invalid-host",
                `Redis URL \`${shown(value)}\` has ${defect === "is empty" ? "an empty host" : `the host \`${parts.host}\`, which ${defect}`}.`,
                `Store \`${scheme}://<host>:${REDIS_DEFAULT_PORT}\` with the cache's endpoint address as host.`,
            ),
        );
    }
    if (!(parts.port === undefined || parts.port === "" || /^\d+$/.test(parts.port)) || !isValidPort(port)) {
        problems.push(
            problem(
                "redis-url-invalid-port",
                `Redis URL \`${shown(value)}\` has the port \`${parts.port}\`; a port is a whole number from 1 to 65535.`,
                `Store \`${fixed}\` (ElastiCache listens on ${REDIS_DEFAULT_PORT} unless configured otherwise).`,
            ),
        );
    }
    if (dbText !== undefined && !(/^\d+$/.test(dbText) && isValidDb(db))) {
        problems.push(
            problem(
                "redis-url-invalid-db",
                `Redis URL \`${shown(value)}\` has the path \`${shown(parts.path)}\`; the path selects a database and must be a whole number ≥ 0 (\`/0\`) or absent.`,
                `Store \`${fixed}\`.`,
            ),
        );
    }
    if (problems.length === 0 && !isParsableUrl(value)) {
        problems.push(
            problem(
                "redis-url-unparseable",
                `Redis URL \`${shown(value)}\` is not a URL that node-redis can parse (\`ERR_INVALID_URL\`).`,
                `Store \`${fixed}\`.`,
            ),
        );
    }
    return problems;
}

/** A valid network URL's parts as the clients read them (credentials never shown). */
function parsedNetworkUrl(value: string, scheme: "redis" | "rediss", parts: NetworkParts): ParsedRedisUrl {
    const dbText = dbTextOf(parts);
    const username = parts.userinfo === undefined ? "" : decodeSafely(parts.userinfo.split(":", 1)[0]);
    return {
        scheme,
        tls: scheme === "rediss",
        host: parts.host,
        port: portOf(parts),
        db: dbText === undefined ? 0 : Number(dbText),
        ...(username ? { username } : {}),
        hasPassword:
            parts.userinfo !== undefined && parts.userinfo.indexOf(":") >= 0 && parts.userinfo.indexOf(":") < parts.userinfo.length - 1,
        masked: shown(value),
    };
}

/** A scheme that disagrees with the cache's in-transit encryption (known from the context, or from a serverless host). */
function tlsMismatchProblems(value: string, tls: boolean, parts: NetworkParts, context: RedisUrlContext): RedisUrlProblem[] {
    const problems: RedisUrlProblem[] = [];
    const encrypted = context.transitEncryption ?? (isServerlessElastiCacheHost(parts.host) ? true : undefined);
    if (encrypted === true && !tls) {
        problems.push(
            problem(
                "redis-url-not-tls",
                `Redis URL \`${shown(value)}\` connects without TLS, but the cache has in-transit encryption on (as every serverless cache does) and accepts only TLS connections, so every connection is reset.`,
                `Store \`${suggestion(true, parts)}\`.`,
            ),
        );
    } else if (encrypted === false && tls) {
        problems.push(
            problem(
                "redis-url-tls-to-plaintext-cache",
                `Redis URL \`${shown(value)}\` asks for TLS (\`rediss://\`), but the cache has in-transit encryption off, so the TLS handshake fails.`,
                `Store \`${suggestion(false, parts)}\`, or turn on \`transitEncryptionEnabled\` on the cache.`,
            ),
        );
    }
    return problems;
}

function isParsableUrl(value: string): boolean {
    try {
        new URL(value);
        return true;
    } catch {
        return false;
    }
}

function decodeSafely(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

/**
 * Checks a stored Redis URL (an env value, an SSM parameter, a component arg) and explains every
 * problem with the value to store instead. Never throws.
 *
 * Recognises: a missing scheme (`host:6379`, a bare ElastiCache endpoint, `redis:6379` — host
 * `redis`), a scheme without `//`, a wrong scheme (`http://`, `tcp://`, `redis+tls://`, …),
 * unencoded credentials, an invalid host, port or database; and, given the cache's in-transit
 * encryption (or a serverless host, always encrypted), `redis://` to an encrypted cache and
 * `rediss://` to a plaintext one. `unix://` is never judged against the context: a local socket
 * is not the cache. A password is always shown as `****`.
 *
 * A non-string (e.g. a value still unknown during preview) is reported as
 * `redis-url-not-a-string`; callers that want "not applicable" should test `typeof` first.
 */
export function checkRedisUrl(value: unknown, context?: RedisUrlContext): RedisUrlCheck {
    const ctx: RedisUrlContext = typeof context === "object" && context !== null ? context : {};
    if (typeof value !== "string") {
        return {
            ok: false,
            problems: [
                problem(
                    "redis-url-not-a-string",
                    `The Redis URL must be a string, got ${value === null ? "null" : typeof value}.`,
                    `Store a string such as \`rediss://<host>:${REDIS_DEFAULT_PORT}\`.`,
                ),
            ],
        };
    }
    const trimmed = value.trim();
    if (trimmed === "") {
        return {
            ok: false,
            problems: [
                problem(
                    "redis-url-empty",
                    "The Redis URL is empty.",
                    `Store the cache's URL, such as \`rediss://<host>:${REDIS_DEFAULT_PORT}\`.`,
                ),
            ],
        };
    }
    const whitespace =
        trimmed === value
            ? []
            : [
                  problem(
                      "redis-url-surrounding-whitespace",
                      `Redis URL \`${shown(trimmed)}\` has leading or trailing whitespace (often a newline written into the secret); some clients keep it as part of the password or database.`,
                      `Store \`${shown(trimmed)}\` without the whitespace.`,
                  ),
              ];
    const result = checkTrimmed(trimmed, ctx);
    const problems = [...whitespace, ...result.problems];
    return { ...result, ok: problems.length === 0, problems };
}

function checkTrimmed(value: string, context: RedisUrlContext): RedisUrlCheck {
    const scheme = SCHEME_PREFIX.exec(value);
    if (!scheme) return { ok: false, problems: [checkMissingScheme(value, context)] };
    const name = scheme[1].toLowerCase();
    const rest = value.slice(scheme[0].length);
    if (name === "unix") return checkUnix(value, rest);
    if (name === "redis" || name === "rediss") return checkNetwork(value, name, rest, context);
    const parts = splitNetwork(name, rest);
    const fix = `Store \`${suggestion(suggestTls(context, parts.host, name), parts)}\`${tlsGuessNote(context, parts.host)}.`;
    return {
        ok: false,
        problems: [
            problem(
                "redis-url-wrong-scheme",
                `Redis URL \`${shown(value)}\` uses the scheme \`${scheme[1]}://\`; Redis clients accept only \`redis://\`, \`rediss://\` (TLS) and \`unix://\`.`,
                fix,
            ),
        ],
    };
}

// ---------------------------------------------------------------------------------------------
// Recognising Redis settings and ElastiCache hosts
// ---------------------------------------------------------------------------------------------

/** Tokens that name a connection string, as opposed to its parts (`HOST`, `PORT`, `PASSWORD`). */
const URL_WORDS = new Set(["URL", "URLS", "URI", "URIS", "ENDPOINT", "ENDPOINTS", "DSN", "CONN", "CONNECTION", "ADDR", "ADDRESS"]);
/** Tokens that make the setting a pointer to the URL (`REDIS_URL_SECRET_ARN`), not the URL. */
const POINTER_WORDS = new Set(["ARN", "NAME", "ID", "PARAM", "PARAMETER", "FILE", "PATH", "SECRET", "KEY", "REF"]);

/**
 * True when a setting name (env var, SSM parameter name or path) says its value is a Redis
 * connection URL: a token starting with `REDIS`/`VALKEY` or `ELASTICACHE` plus `URL`, `URI`,
 * `ENDPOINT`, `DSN`, `CONNECTION`, `ADDR(ESS)` — `REDIS_URL`, `REDISCLOUD_URL`, `redisUrl`,
 * `/prod/app/redis-url`, `VALKEY_ENDPOINT`.
 *
 * Deliberately *not* `REDIS_HOST`/`REDIS_PORT`/`REDIS_PASSWORD`: by convention those hold a bare
 * host, a port, a password, and checking them as URLs would report correct values as broken.
 * Nor pointers to the URL (`REDIS_URL_SECRET_ARN`, `REDIS_URL_FILE`). Note `ENDPOINT` settings
 * sometimes hold `host:port`: a finding on those is then the point (clients need a URL).
 */
export function looksLikeRedisSetting(name: unknown): boolean {
    if (typeof name !== "string") return false;
    const tokens = nameTokens(name);
    const redis = tokens.some((t) => /^(REDIS|VALKEY|ELASTICACHE)/.test(t));
    const url = tokens.some((t) => URL_WORDS.has(t) || /^(REDIS|VALKEY)[A-Z0-9]*(URLS?|URIS?|DSN)$/.test(t));
    return redis && url && !tokens.some((t) => POINTER_WORDS.has(t));
}

/** The bare hostname of `value`, which may carry a scheme, credentials, port or path. */
function hostnameOf(value: string): string {
    const withoutScheme = value.trim().replace(SCHEME_PREFIX, "");
    const parts = splitNetwork("redis", withoutScheme);
    return parts.host.toLowerCase();
}

/**
 * True when `value` (a hostname, `host:port` or URL) is an ElastiCache endpoint:
 * `master.<name>.<id>.<region>.cache.amazonaws.com`, `clustercfg.…`, `<name>.<id>.ng.0001.…`,
 * `<name>-<id>.serverless.<region>.cache.amazonaws.com`, and the `.com.cn` China endpoints.
 */
export function looksLikeElastiCacheHost(value: unknown): boolean {
    if (typeof value !== "string") return false;
    const host = hostnameOf(value);
    return /\.cache\.amazonaws\.com(\.cn)?$/.test(host) && hostDefect(host) === null && host.split(".").length >= 5;
}

/** True for a serverless ElastiCache endpoint (`….serverless.<region>.cache.amazonaws.com`): always TLS-only. */
export function isServerlessElastiCacheHost(value: unknown): boolean {
    return looksLikeElastiCacheHost(value) && /\.serverless\.[a-z0-9-]+\.cache\.amazonaws\.com(\.cn)?$/.test(hostnameOf(value as string));
}
