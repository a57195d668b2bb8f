/**
 * `smoke`: does the service answer through its front door? Requests each path N times over
 * HTTP(S) with Node's own `http`/`https`, checks every status against the matcher (the ALB's
 * `matcher.httpCode` syntax), follows redirects only when asked, and reports latency p50/p95
 * and the TLS certificate's expiry (fewer than 14 days left is a warning; an expired or
 * untrusted certificate fails the request, as it would for a client).
 *
 * Requests run one after another, not in parallel: this is a smoke test, not a load test.
 */
import * as http from "node:http";
import * as https from "node:https";
import { isIP } from "node:net";
import * as tls from "node:tls";
// The domain's own modules (not its index): smoke needs only these two, and loads fast.
import { matcherAccepts, parseHttpMatcher, summarizeSamples, type SampleStats } from "@healthy-fargate/domain";
import { formatMs } from "./errors";

/** What to request. */
export interface SmokeTarget {
    /** Base URL: scheme, host, optional port and prefix (`https://api.example.com/v1`). */
    readonly url: string;
    /** Paths appended to the base URL's path. */
    readonly paths: readonly string[];
    /** Accepted statuses in the ALB matcher syntax ("200", "200,302", "200-399"). */
    readonly matcher: string;
    /** Requests per path. */
    readonly requests: number;
    /** Per request: connect, TLS, status and body. */
    readonly timeoutMs: number;
    readonly followRedirects: boolean;
    /** Sent as `Host` (and as TLS SNI) when it differs from the URL's host: an ALB rule's host header. */
    readonly hostHeader?: string;
    /** Trusted CA certificates (PEM) instead of Node's defaults; tests use a CA they generate. */
    readonly ca?: string;
}

/** One request's outcome. */
export interface SmokeAttempt {
    readonly status?: number;
    readonly ms: number;
    /** Why there is no status (refused, timed out, TLS), or why a redirect was not followed further. */
    readonly error?: string;
    /** The URL finally answered, when redirects were followed. */
    readonly finalUrl?: string;
}

export interface SmokePathResult {
    readonly path: string;
    readonly url: string;
    readonly passed: number;
    readonly failed: number;
    /** Count per status code (`"200": 5`). */
    readonly statuses: Record<string, number>;
    /** Distinct errors with their counts. */
    readonly errors: Record<string, number>;
    /** Latency of the requests that got a status, in ms. */
    readonly latencyMs?: SampleStats;
}

export interface TlsCertificate {
    readonly subject: string;
    readonly issuer: string;
    readonly validTo: string;
    readonly daysLeft: number;
}

/** The `smoke` result; `--format json` prints it as-is. */
export interface SmokeReport {
    readonly url: string;
    readonly matcher: string;
    readonly requests: number;
    readonly paths: SmokePathResult[];
    readonly tls?: TlsCertificate;
    readonly ok: boolean;
    readonly warnings: string[];
    /** How the target was found (`--cluster/--service`), and anything worth knowing about it. */
    readonly notes: string[];
}

/** A certificate with fewer days left than this is a warning. */
export const CERTIFICATE_WARNING_DAYS = 14;
const MAX_REDIRECTS = 5;
const MAX_BODY_BYTES = 1_048_576;
const USER_AGENT = "healthy-fargate-doctor-smoke/1";

/** Why a request failed, in words (`connection refused`, `no answer within 5s`, `certificate has expired`). */
function describeRequestError(err: NodeJS.ErrnoException, timeoutMs: number, timedOut: boolean): string {
    if (timedOut) return `no answer within ${formatMs(timeoutMs)}`;
    const byCode: Record<string, string> = {
        ECONNREFUSED: "connection refused",
        ECONNRESET: "connection reset",
        ENOTFOUND: "host not found",
        EAI_AGAIN: "DNS lookup failed",
        CERT_HAS_EXPIRED: "certificate has expired",
        DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed certificate (not trusted)",
        SELF_SIGNED_CERT_IN_CHAIN: "certificate chain not trusted",
        UNABLE_TO_VERIFY_LEAF_SIGNATURE: "certificate not trusted",
        ERR_TLS_CERT_ALTNAME_INVALID: "certificate does not name this host",
    };
    const known = err.code ? byCode[err.code] : undefined;
    return known ? `${known} (${err.code})` : `${err.code ? `${err.code}: ` : ""}${err.message}`;
}

function peerCertificate(socket: unknown, now: Date): TlsCertificate | undefined {
    const cert = socket instanceof tls.TLSSocket ? socket.getPeerCertificate() : undefined;
    if (!cert?.valid_to) return undefined;
    const name = (o: unknown) =>
        o && typeof o === "object"
            ? Object.entries(o)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(", ")
            : "";
    return {
        subject: name(cert.subject),
        issuer: name(cert.issuer),
        validTo: new Date(cert.valid_to).toISOString(),
        daysLeft: Math.floor((Date.parse(cert.valid_to) - now.getTime()) / 86_400_000),
    };
}

/** TLS SNI for a host name (RFC 6066 forbids IP addresses there; Node then checks the IP against the certificate). */
function sniOf(host: string): { servername?: string } {
    const name = host.replace(/:\d+$/, "");
    return isIP(name) ? {} : { servername: name };
}

/** One GET of `url`, never rejecting: the outcome says what happened. */
function requestOnce(
    url: URL,
    target: SmokeTarget,
    now: () => Date,
    onCertificate: (c: TlsCertificate) => void,
): Promise<SmokeAttempt & { location?: string }> {
    return new Promise((resolve) => {
        const started = performance.now();
        const secure = url.protocol === "https:";
        const host = target.hostHeader ?? url.host;
        const options: https.RequestOptions = {
            method: "GET",
            headers: { host, "user-agent": USER_AGENT, accept: "*/*" },
            agent: false,
            ...(secure ? { ...sniOf(target.hostHeader ?? url.hostname), ...(target.ca ? { ca: target.ca } : {}) } : {}),
        };
        let timedOut = false;
        const req = (secure ? https : http).request(url, options, (res) => {
            const cert = peerCertificate(res.socket, now());
            if (cert) onCertificate(cert);
            let size = 0;
            res.on("data", (chunk: Buffer) => {
                if ((size += chunk.length) > MAX_BODY_BYTES) res.destroy();
            });
            res.on("close", () => {
                clearTimeout(timer);
                const location = res.headers.location ? { location: res.headers.location } : {};
                resolve({ status: res.statusCode, ms: performance.now() - started, ...location });
            });
        });
        const timer = setTimeout(() => {
            timedOut = true;
            req.destroy(new Error("timeout"));
        }, target.timeoutMs);
        req.on("error", (err) => {
            clearTimeout(timer);
            resolve({ ms: performance.now() - started, error: describeRequestError(err, target.timeoutMs, timedOut) });
        });
        req.end();
    });
}

/** One request of a path, following up to 5 redirects when asked. */
async function request(url: URL, target: SmokeTarget, now: () => Date, onCertificate: (c: TlsCertificate) => void): Promise<SmokeAttempt> {
    let current = url;
    let total = 0;
    for (let hop = 0; ; hop++) {
        const attempt = await requestOnce(current, target, now, onCertificate);
        total += attempt.ms;
        const redirect = attempt.status !== undefined && attempt.status >= 300 && attempt.status < 400 && attempt.location;
        if (!target.followRedirects || !redirect) return { ...attempt, ms: total, ...(hop > 0 ? { finalUrl: current.href } : {}) };
        if (hop >= MAX_REDIRECTS) return { ms: total, error: `more than ${MAX_REDIRECTS} redirects`, finalUrl: current.href };
        current = new URL(attempt.location!, current);
    }
}

/** `base` + `path`, keeping the base's own path prefix (`https://h/v1` + `/health` → `https://h/v1/health`). */
export function joinUrl(base: string, path: string): URL {
    const url = new URL(base);
    url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
    return url;
}

/** A certificate nothing trusts still has dates: read them without verifying, for the message only. */
export function inspectCertificate(url: URL, servername: string, timeoutMs: number, now: Date): Promise<TlsCertificate | undefined> {
    return new Promise((resolve) => {
        const options = { host: url.hostname, port: Number(url.port || 443), ...sniOf(servername), rejectUnauthorized: false };
        const socket = tls.connect(options, () => {
            resolve(peerCertificate(socket, now));
            socket.destroy();
        });
        socket.setTimeout(timeoutMs, () => {
            socket.destroy();
            resolve(undefined);
        });
        socket.on("error", () => resolve(undefined));
    });
}

function summarizePath(path: string, url: URL, attempts: SmokeAttempt[], matcher: ReturnType<typeof parseHttpMatcher>): SmokePathResult {
    const statuses: Record<string, number> = {};
    const errors: Record<string, number> = {};
    let passed = 0;
    for (const a of attempts) {
        if (a.status !== undefined) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
        if (a.error) errors[a.error] = (errors[a.error] ?? 0) + 1;
        if (a.status !== undefined && !a.error && matcherAccepts(matcher, a.status)) passed++;
    }
    const latency = summarizeSamples(attempts.filter((a) => a.status !== undefined).map((a) => Math.round(a.ms * 10) / 10));
    return { path, url: url.href, passed, failed: attempts.length - passed, statuses, errors, ...(latency ? { latencyMs: latency } : {}) };
}

/**
 * Requests every path of `target` and judges the answers.
 * @throws Error when the matcher cannot be parsed (the CLI checks it first).
 */
export async function runSmoke(target: SmokeTarget, options: { now?: () => Date; notes?: string[] } = {}): Promise<SmokeReport> {
    const now = options.now ?? (() => new Date());
    const matcher = parseHttpMatcher(target.matcher);
    if (!matcher.ok) throw new Error(`matcher "${target.matcher}": ${matcher.reason}`);
    let certificate: TlsCertificate | undefined;
    const paths: SmokePathResult[] = [];
    for (const path of target.paths) {
        const url = joinUrl(target.url, path);
        const attempts: SmokeAttempt[] = [];
        for (let i = 0; i < target.requests; i++)
            attempts.push(
                await request(url, target, now, (c) => {
                    certificate ??= c;
                }),
            );
        paths.push(summarizePath(path, url, attempts, matcher));
    }
    const base = new URL(target.url);
    const tlsFailed = paths.some((p) => Object.keys(p.errors).some((e) => /certificate/.test(e)));
    if (!certificate && base.protocol === "https:" && tlsFailed) {
        certificate = await inspectCertificate(base, (target.hostHeader ?? base.hostname).replace(/:\d+$/, ""), target.timeoutMs, now());
    }
    const warnings: string[] = [];
    if (certificate && certificate.daysLeft < CERTIFICATE_WARNING_DAYS) {
        warnings.push(
            certificate.daysLeft < 0
                ? `the TLS certificate expired on ${certificate.validTo.slice(0, 10)}`
                : `the TLS certificate expires in ${certificate.daysLeft} day${certificate.daysLeft === 1 ? "" : "s"} ` +
                      `(${certificate.validTo.slice(0, 10)}): renew it`,
        );
    }
    return {
        url: target.url,
        matcher: target.matcher,
        requests: target.requests,
        paths,
        ...(certificate ? { tls: certificate } : {}),
        ok: paths.every((p) => p.failed === 0),
        warnings,
        notes: [...(options.notes ?? [])],
    };
}
