/**
 * Real `redis-server` processes for integration tests: plain, TLS (self-signed certificate made
 * with the `openssl` CLI) and/or `--requirepass`, each on a free loopback port, in its own temp
 * directory, stopped and cleaned up by `stop()`.
 *
 * Nothing is mocked: the point is to show what real clients do with the URLs we build and check.
 * `npm test` installs `redis-server` and `openssl` first (tests/support/provision-servers.sh). A
 * missing one is an error with instructions, never a silent skip — a suite that silently skips
 * proves nothing in CI; only `HEALTHY_FARGATE_SKIP_REAL_SERVERS=1` skips, and the summary says so.
 */
import { type ChildProcess, spawn, spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { programOrigin } from "./real-servers";

export const REDIS_INSTALL_HINT =
    "`npm test` installs it from Debian before running the tests (tests/support/provision-servers.sh); " +
    "running mocha directly, run `sh tests/support/provision-servers.sh` first, or set HEALTHY_FARGATE_SKIP_REAL_SERVERS=1 to skip.";

/** Loopback only: test servers must never be reachable from the network. */
const LOOPBACK = "127.0.0.1";
const READY_LINE = "Ready to accept connections";
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Returns `redis-server --version`, or throws an Error telling how to install it. Also checks that
 * `openssl` is there, so a TLS test cannot fail for an obscure reason later.
 */
export function assertRedisServerInstalled(): string {
    const version = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
    if (version.error || version.status !== 0) {
        throw new Error(
            `redis-server is not installed or not on PATH (${version.error?.message ?? `exit ${version.status}`}); ` +
                `the real-Redis tests need it. ${REDIS_INSTALL_HINT}`,
        );
    }
    const openssl = spawnSync("openssl", ["version"], { encoding: "utf8" });
    if (openssl.error || openssl.status !== 0) {
        throw new Error(`openssl is not on PATH; the TLS tests generate their certificate with it. ${REDIS_INSTALL_HINT}`);
    }
    return version.stdout.trim();
}

/**
 * Which redis-server the tests run and where it came from, e.g. "redis-server 7.0.15 (/usr/bin/redis-server,
 * Debian package redis-server 5:7.0.15-1~deb12u10, installed by the test command on 2026-12-01T21:07:37Z)".
 */
export function describeRedisServerBinary(): string {
    const version = /\bv=(\S+)/.exec(assertRedisServerInstalled())?.[1] ?? "(unknown version)";
    const openssl = /^\S+ \S+/.exec(spawnSync("openssl", ["version"], { encoding: "utf8" }).stdout)?.[0] ?? "openssl";
    return `redis-server ${version} (${programOrigin("redis-server")}); TLS certificates made by ${openssl} (${programOrigin("openssl")})`;
}

/** A port free on loopback right now (the OS picks it; a rare race is handled by retrying the start). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.unref();
        server.once("error", reject);
        server.listen(0, LOOPBACK, () => {
            const address = server.address();
            const port = typeof address === "object" && address !== null ? address.port : 0;
            server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))));
        });
    });
}

export interface TestCertificate {
    readonly certPath: string;
    readonly keyPath: string;
    /** The certificate in PEM: trust it as CA (`socket.ca`) to verify the server for real. */
    readonly certPem: string;
}

/**
 * A self-signed certificate for `127.0.0.1` and `localhost` (subjectAltName, as Node's hostname
 * check requires), valid for one day, written into `dir`.
 */
export function createSelfSignedCertificate(dir: string): TestCertificate {
    const certPath = join(dir, "cert.pem");
    const keyPath = join(dir, "key.pem");
    const result = spawnSync(
        "openssl",
        [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            keyPath,
            "-out",
            certPath,
            "-subj",
            "/CN=localhost",
            "-addext",
            `subjectAltName=IP:${LOOPBACK},DNS:localhost`,
        ],
        { encoding: "utf8" },
    );
    if (result.error || result.status !== 0) {
        throw new Error(`openssl could not create a test certificate: ${result.error?.message ?? result.stderr}`);
    }
    return { certPath, keyPath, certPem: readFileSync(certPath, "utf8") };
}

export interface RedisServerOptions {
    /** Serve TLS only (`--port 0 --tls-port …`), like ElastiCache with in-transit encryption. */
    readonly tls?: boolean;
    /** `--requirepass`: the default user's password, like an ElastiCache AUTH token. */
    readonly password?: string;
}

export interface RunningRedisServer {
    readonly host: string;
    readonly port: number;
    readonly tls: boolean;
    readonly password?: string;
    /** PEM of the server's self-signed certificate (TLS servers only). */
    readonly caPem?: string;
    /** How it was started, e.g. "127.0.0.1:41234 with TLS (self-signed certificate, TLS only) and AUTH (--requirepass)". */
    readonly startedAs: string;
    /** Everything the server logged so far: attach it to a failure message. */
    log(): string;
    /** Stops the server (SIGTERM, then SIGKILL) and removes its temp directory. Safe to call twice. */
    stop(): Promise<void>;
}

function serverArgs(port: number, dir: string, options: RedisServerOptions, certificate?: TestCertificate): string[] {
    const args = [
        "--bind",
        LOOPBACK,
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--logfile",
        "",
        "--loglevel",
        "notice",
    ];
    if (options.tls && certificate) {
        // `--tls-auth-clients no`: clients need not present a certificate (ElastiCache does not ask for one either).
        args.push(
            "--port",
            "0",
            "--tls-port",
            String(port),
            "--tls-cert-file",
            certificate.certPath,
            "--tls-key-file",
            certificate.keyPath,
            "--tls-auth-clients",
            "no",
        );
    } else {
        args.push("--port", String(port));
    }
    if (options.password !== undefined) args.push("--requirepass", options.password);
    return args;
}

function waitUntilReady(child: ChildProcess, output: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(
            () => done(new Error(`redis-server did not report "${READY_LINE}" within ${START_TIMEOUT_MS} ms.`)),
            START_TIMEOUT_MS,
        );
        const onData = () => {
            if (output().includes(READY_LINE)) done();
        };
        const onExit = (code: number | null, signal: string | null) =>
            done(new Error(`redis-server exited during start-up (code ${code}, signal ${signal}).`));
        function done(error?: Error) {
            clearTimeout(timer);
            child.stdout?.off("data", onData);
            child.off("exit", onExit);
            if (error) reject(error);
            else resolve();
        }
        child.stdout?.on("data", onData);
        child.once("exit", onExit);
        onData();
    });
}

function stopProcess(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
        const kill = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        child.once("exit", () => {
            clearTimeout(kill);
            resolve();
        });
        child.kill("SIGTERM");
    });
}

/** The address and the security a server was started with, for the line a suite prints. */
function describeStart(port: number, options: RedisServerOptions): string {
    const transport = options.tls ? "TLS (self-signed certificate, TLS only)" : "plain TCP";
    return `${LOOPBACK}:${port} with ${transport}${options.password !== undefined ? " and AUTH (--requirepass)" : ""}`;
}

async function startOnce(options: RedisServerOptions): Promise<RunningRedisServer> {
    const dir = mkdtempSync(join(tmpdir(), "healthy-fargate-redis-"));
    const certificate = options.tls ? createSelfSignedCertificate(dir) : undefined;
    const port = await freePort();
    let output = "";
    const child = spawn("redis-server", serverArgs(port, dir, options, certificate), { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const stop = async () => {
        await stopProcess(child);
        rmSync(dir, { recursive: true, force: true });
    };
    try {
        await waitUntilReady(child, () => output);
    } catch (error) {
        await stop();
        throw new Error(`${(error as Error).message}\n--- redis-server output ---\n${output}`);
    }
    return {
        host: LOOPBACK,
        port,
        tls: options.tls === true,
        password: options.password,
        caPem: certificate?.certPem,
        startedAs: describeStart(port, options),
        log: () => output,
        stop,
    };
}

/**
 * Starts a real `redis-server` on a free loopback port and resolves once it accepts
 * connections. Retries twice on a port taken between choosing and binding it.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RunningRedisServer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
        try {
            return await startOnce(options);
        } catch (error) {
            lastError = error;
            if (!/Address already in use/i.test(String((error as Error).message))) break;
        }
    }
    throw lastError;
}
