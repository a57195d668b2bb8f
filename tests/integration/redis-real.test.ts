/**
 * The Redis URL rules against real `redis-server` processes and the real node-redis client
 * (v6): URLs from `buildRedisUrl` connect (plain, TLS with a trusted self-signed CA, AUTH), and
 * the values `checkRedisUrl` rejects really fail — a scheme-less value in the client's parser,
 * `redis://` against a TLS-only server as a connection reset (the seed outage).
 *
 * Needs `redis-server` and `openssl` on PATH: `npm test` installs them first
 * (tests/support/provision-servers.sh); without them the suite fails with instructions. Prints which
 * redis-server it runs, where it came from and how each server was started.
 * `HEALTHY_FARGATE_SKIP_REAL_SERVERS=1` skips it: its tests are reported pending, never passed.
 */
import { strict as assert } from "assert";
import { ConnectionTimeoutError, ErrorReply, createClient } from "redis";
import { buildRedisUrl, checkRedisUrl } from "../../policies/domain";
import { optOutNotice, realServersOptedOut } from "../support/real-servers";
import { type RunningRedisServer, describeRedisServerBinary, startRedisServer } from "../support/redis-server";

/** A password that needs percent-encoding in every position, to prove the builder's encoding end to end. */
const PASSWORD = "p@ss/w:rd#%?&";

type SocketOptions = { tls: true; ca: string } | { tls?: false };

/** Fails fast like a health check would: no reconnect loop, a short connect timeout. */
function newClient(url: string, socket: SocketOptions, connectTimeout: number) {
    return createClient({ url, socket: { ...socket, reconnectStrategy: false, connectTimeout } });
}
type Client = ReturnType<typeof newClient>;

/**
 * Connects like an app would. `error` events are swallowed: node-redis emits them besides
 * rejecting `connect()`, and an unhandled one would crash mocha.
 */
async function connect(url: string, socket: SocketOptions = {}, connectTimeout = 5_000): Promise<Client> {
    const client = newClient(url, socket, connectTimeout);
    client.on("error", () => undefined);
    try {
        await client.connect();
        return client;
    } catch (error) {
        try {
            client.destroy();
        } catch {
            // Already closed: nothing to release.
        }
        throw error;
    }
}

async function withClient<T>(url: string, socket: SocketOptions, use: (client: Client) => Promise<T>): Promise<T> {
    const client = await connect(url, socket);
    try {
        return await use(client);
    } finally {
        await client.close();
    }
}

/** Retries `check` for up to 2 s: the server writes its log line a moment after the client gives up. */
async function eventually(check: () => void): Promise<void> {
    for (let waited = 0; ; waited += 50) {
        try {
            return check();
        } catch (error) {
            if (waited >= 2_000) throw error;
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
    }
}

/** The first value in backticks of a fix ("Store `rediss://…`."): the URL the check recommends. */
function suggestedUrl(fix: string): string {
    const match = /`([^`]+)`/.exec(fix);
    assert.ok(match, `no URL in fix: ${fix}`);
    return match[1];
}

describe("Redis URLs against a real redis-server (node-redis)", function () {
    this.timeout(30_000);
    const servers: RunningRedisServer[] = [];
    let plain: RunningRedisServer;
    let auth: RunningRedisServer;
    let tls: RunningRedisServer;
    let tlsAuth: RunningRedisServer;

    before(async function () {
        if (realServersOptedOut()) {
            console.log(`    ${optOutNotice("these tests start real redis-server processes")}`);
            this.skip();
        }
        // Throws with instructions: without redis-server (and no opt-out) this suite fails, it never skips.
        console.log(`    ${describeRedisServerBinary()}`);
        for (const options of [{}, { password: PASSWORD }, { tls: true }, { tls: true, password: PASSWORD }]) {
            servers.push(await startRedisServer(options));
        }
        [plain, auth, tls, tlsAuth] = servers;
        console.log(`    started by this suite, as its child processes: ${servers.map((server) => server.startedAs).join("; ")}`);
    });

    after(async () => {
        await Promise.all(servers.map((server) => server.stop()));
    });

    const trusted = (server: RunningRedisServer): SocketOptions => ({ tls: true, ca: server.caPem! });

    describe("URLs built by buildRedisUrl connect", () => {
        it("plain redis:// with a database index", async () => {
            const url = buildRedisUrl({ host: plain.host, port: plain.port, db: 2, tls: false });
            assert.equal(checkRedisUrl(url, { transitEncryption: false }).ok, true);
            await withClient(url, {}, async (client) => {
                assert.equal(await client.ping(), "PONG");
                await client.set("healthy-fargate", "db2");
                assert.equal(await client.get("healthy-fargate"), "db2");
            });
            // The value landed in database 2, not 0: the `/2` path was honoured.
            const db0 = buildRedisUrl({ host: plain.host, port: plain.port, tls: false });
            await withClient(db0, {}, async (client) => assert.equal(await client.get("healthy-fargate"), null));
        });

        it("redis:// with AUTH, the password percent-encoded", async () => {
            const url = buildRedisUrl({ host: auth.host, port: auth.port, tls: false, password: PASSWORD });
            await withClient(url, {}, async (client) => assert.equal(await client.ping(), "PONG"));
        });

        it("rediss:// to a TLS-only server, verifying its certificate against the test CA", async () => {
            const url = buildRedisUrl({ host: tls.host, port: tls.port, tls: true });
            assert.equal(checkRedisUrl(url, { transitEncryption: true }).ok, true);
            await withClient(url, trusted(tls), async (client) => assert.equal(await client.ping(), "PONG"));
        });

        it("rediss:// with AUTH: the ElastiCache shape (in-transit encryption and an AUTH token)", async () => {
            const url = buildRedisUrl({ host: tlsAuth.host, port: tlsAuth.port, tls: true, password: PASSWORD, db: 1 });
            assert.equal(checkRedisUrl(url, { transitEncryption: true }).ok, true);
            await withClient(url, trusted(tlsAuth), async (client) => assert.equal(await client.ping(), "PONG"));
        });
    });

    describe("URLs the check rejects really fail", () => {
        it("a scheme-less IP:port is rejected by the client's URL parser (ERR_INVALID_URL)", () => {
            const value = `${plain.host}:${plain.port}`;
            assert.equal(checkRedisUrl(value).problems[0]?.id, "redis-url-missing-scheme");
            assert.throws(
                () => createClient({ url: value }),
                (e: NodeJS.ErrnoException) => e instanceof TypeError && e.code === "ERR_INVALID_URL",
            );
        });

        it("a scheme-less host:port is rejected as an invalid protocol (the host is read as the scheme)", () => {
            const value = `localhost:${plain.port}`;
            assert.equal(checkRedisUrl(value).problems[0]?.id, "redis-url-missing-scheme");
            assert.throws(
                () => createClient({ url: value }),
                (e: Error) => e instanceof TypeError && /Protocol - localhost: - is not a valid Redis protocol/.test(e.message),
            );
        });

        it("the URL the check suggests for a scheme-less value connects", async () => {
            const problem = checkRedisUrl(`${plain.host}:${plain.port}`, { transitEncryption: false }).problems[0];
            await withClient(suggestedUrl(problem.fix), {}, async (client) => assert.equal(await client.ping(), "PONG"));
        });

        it("redis:// against a TLS-only server fails as a connection error, and the check's rediss:// fix connects (the seed outage)", async () => {
            const url = `redis://${tls.host}:${tls.port}`;
            const check = checkRedisUrl(url, { transitEncryption: true });
            assert.deepEqual(
                check.problems.map((p) => p.id),
                ["redis-url-not-tls"],
            );
            await assert.rejects(connect(url), (e: NodeJS.ErrnoException) => {
                // The TLS server drops the plaintext handshake; node-redis surfaces a socket error, not a parse error.
                assert.ok(!(e instanceof ErrorReply) && !(e instanceof TypeError), `unexpected ${e?.constructor?.name}: ${e?.message}`);
                assert.match(`${e.code} ${e.message}`, /ECONNRESET|EPIPE|closed/i);
                return true;
            });
            await eventually(() =>
                assert.match(tls.log(), /wrong version number|Error accepting a client connection/, "the server saw a non-TLS client"),
            );
            await withClient(suggestedUrl(check.problems[0].fix), trusted(tls), async (client) =>
                assert.equal(await client.ping(), "PONG"),
            );
        });

        it("rediss:// without trusting the server's CA fails certificate verification (the TLS tests really verify)", async () => {
            const url = buildRedisUrl({ host: tls.host, port: tls.port, tls: true });
            await assert.rejects(
                connect(url, { tls: true } as SocketOptions),
                (e: NodeJS.ErrnoException) => e.code === "DEPTH_ZERO_SELF_SIGNED_CERT",
            );
        });

        it("rediss:// against a plaintext server fails the TLS handshake", async () => {
            const url = `rediss://${plain.host}:${plain.port}`;
            assert.deepEqual(
                checkRedisUrl(url, { transitEncryption: false }).problems.map((p) => p.id),
                ["redis-url-tls-to-plaintext-cache"],
            );
            // A plaintext server never answers the ClientHello: the client gives up at its connect timeout.
            await assert.rejects(connect(url, { tls: true, ca: tls.caPem! }, 1_000), (e: Error) => e instanceof ConnectionTimeoutError);
        });

        it("a wrong password is refused with WRONGPASS", async () => {
            const url = buildRedisUrl({ host: tlsAuth.host, port: tlsAuth.port, tls: true, password: "not-the-password" });
            await assert.rejects(connect(url, trusted(tlsAuth)), (e: Error) => e instanceof ErrorReply && /^WRONGPASS/.test(e.message));
        });

        it("no password is refused with NOAUTH", async () => {
            const url = buildRedisUrl({ host: auth.host, port: auth.port, tls: false });
            await assert.rejects(connect(url), (e: Error) => e instanceof ErrorReply && /^NOAUTH/.test(e.message));
        });

        it("an unencoded password breaks the client's parsing, which the check reports", () => {
            const raw = `redis://:${PASSWORD}@${auth.host}:${auth.port}`;
            assert.ok(checkRedisUrl(raw).problems.some((p) => p.id === "redis-url-unencoded-password"));
            assert.throws(() => createClient({ url: raw }), TypeError);
        });
    });
});
