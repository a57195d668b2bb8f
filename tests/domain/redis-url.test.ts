import { strict as assert } from "assert";
import fc from "fast-check";
import {
    REDIS_DEFAULT_PORT,
    type RedisUrlProblemId,
    buildRedisUrl,
    checkRedisUrl,
    isServerlessElastiCacheHost,
    looksLikeElastiCacheHost,
    looksLikeRedisSetting,
} from "../../policies/domain";

const ELASTICACHE_PRIMARY = "master.app.abc123.use1.cache.amazonaws.com";
const ELASTICACHE_SERVERLESS = "app-abc123.serverless.use1.cache.amazonaws.com";

/** The problem IDs of a check, in order: assertions on them fail with a readable diff. */
function ids(value: unknown, context?: { transitEncryption?: boolean }): RedisUrlProblemId[] {
    return checkRedisUrl(value, context).problems.map((p) => p.id);
}

function only(value: unknown, context?: { transitEncryption?: boolean }) {
    const { problems } = checkRedisUrl(value, context);
    assert.equal(problems.length, 1, `expected one problem, got ${JSON.stringify(problems)}`);
    return problems[0];
}

describe("redis-url", () => {
    describe("buildRedisUrl", () => {
        it("uses rediss:// when tls and redis:// otherwise, with the default port explicit", () => {
            assert.equal(buildRedisUrl({ host: ELASTICACHE_PRIMARY, tls: true }), `rediss://${ELASTICACHE_PRIMARY}:6379`);
            assert.equal(buildRedisUrl({ host: "cache.internal", tls: false }), "redis://cache.internal:6379");
        });

        it("adds port and db when given", () => {
            assert.equal(buildRedisUrl({ host: "10.0.0.5", port: 6380, db: 3, tls: false }), "redis://10.0.0.5:6380/3");
            assert.equal(buildRedisUrl({ host: "h", db: 0, tls: false }), "redis://h:6379/0");
        });

        it("percent-encodes credentials so `@`, `/`, `:` in a password stay in the password", () => {
            const url = buildRedisUrl({ host: "h", tls: true, username: "app user", password: "p@ss/w:rd#1" });
            assert.equal(url, "rediss://app%20user:p%40ss%2Fw%3Ard%231@h:6379");
            const parsed = new URL(url);
            assert.equal(parsed.hostname, "h");
            assert.equal(decodeURIComponent(parsed.password), "p@ss/w:rd#1");
        });

        it("writes a password without a user name as `:password@` (the default user, ElastiCache AUTH token)", () => {
            assert.equal(buildRedisUrl({ host: "h", tls: true, password: "tok" }), "rediss://:tok@h:6379");
        });

        it("brackets a bare IPv6 address", () => {
            assert.equal(buildRedisUrl({ host: "::1", tls: false }), "redis://[::1]:6379");
            assert.equal(buildRedisUrl({ host: "[fe80::1]", tls: false }), "redis://[fe80::1]:6379");
        });

        const rejects: [string, object, RegExp][] = [
            ["a URL as host", { host: "redis://h:6379", tls: true }, /^`host` is a whole URL.*Pass only the hostname/],
            ["a host with a port", { host: "h:6380", tls: true }, /^`host` includes a port.*`\{ host: "h", port: 6380 \}`/],
            ["a host with credentials", { host: "u:p@h", tls: true }, /^`host` contains.*`username`\/`password`/],
            ["an empty host", { host: "", tls: true }, /^`host` is empty/],
            ["an invalid hostname", { host: "-bad-.example", tls: true }, /^`host` is not a valid hostname/],
            ["an impossible IPv4 address", { host: "999.1.1.1", tls: true }, /^`host` is not a valid IPv4/],
            ["a non-string host", { host: 42, tls: true }, /^`host` must be a hostname or IP address string, got 42/],
            ["port 0", { host: "h", port: 0, tls: true }, /^`port` must be a whole number from 1 to 65535, got 0/],
            ["a fractional port", { host: "h", port: 6379.5, tls: true }, /^`port`/],
            ["a negative db", { host: "h", db: -1, tls: true }, /^`db` must be a whole number ≥ 0, got -1/],
            [
                "a missing tls",
                { host: "h" },
                /^`tls` must be true or false, got undefined; set it to the cache's `transitEncryptionEnabled`/,
            ],
            ["an empty password", { host: "h", tls: true, password: "" }, /^`password` must be a non-empty string.*omit it for no AUTH/],
            [
                "an unpaired surrogate in the password",
                { host: "h", tls: true, password: "a\uD800b" },
                /^`password` contains an unpaired UTF-16 surrogate/,
            ],
        ];
        for (const [what, args, message] of rejects) {
            it(`rejects ${what} with a TypeError naming the arg`, () => {
                assert.throws(
                    () => buildRedisUrl(args as never),
                    (e: unknown) => e instanceof TypeError && message.test(e.message),
                );
            });
        }

        it("never shows a password that was passed inside `host`", () => {
            assert.throws(
                () => buildRedisUrl({ host: "redis://:hunter2@h", tls: true }),
                (e: Error) => !e.message.includes("hunter2") && e.message.includes("****"),
            );
        });
    });

    describe("checkRedisUrl: valid URLs", () => {
        it("accepts redis://, rediss:// and unix:// and takes them apart", () => {
            const plain = checkRedisUrl("redis://cache:6380/2");
            assert.equal(plain.ok, true);
            assert.deepEqual(plain.parsed, {
                scheme: "redis",
                tls: false,
                host: "cache",
                port: 6380,
                db: 2,
                hasPassword: false,
                masked: "redis://cache:6380/2",
            });

            const tls = checkRedisUrl(`rediss://app:s3cret@${ELASTICACHE_PRIMARY}`, { transitEncryption: true });
            assert.equal(tls.ok, true);
            assert.equal(tls.parsed?.port, REDIS_DEFAULT_PORT);
            assert.equal(tls.parsed?.db, 0);
            assert.equal(tls.parsed?.username, "app");
            assert.equal(tls.parsed?.hasPassword, true);
            assert.equal(tls.parsed?.masked, `rediss://app:****@${ELASTICACHE_PRIMARY}`);

            const unix = checkRedisUrl("unix:///var/run/redis.sock?db=1");
            assert.equal(unix.ok, true);
            assert.equal(unix.parsed?.socketPath, "/var/run/redis.sock");
            assert.equal(unix.parsed?.db, 1);
        });

        it("accepts an upper-case scheme and IPv6 hosts", () => {
            assert.deepEqual(ids("REDIS://h:6379"), []);
            assert.deepEqual(ids("redis://[::1]:6379/1"), []);
        });

        it("leaves unix:// alone whatever the cache's encryption (a local socket is not the cache)", () => {
            assert.deepEqual(ids("unix:///tmp/redis.sock", { transitEncryption: true }), []);
        });
    });

    describe("checkRedisUrl: missing scheme", () => {
        it("reports `host:6379` with the client behaviour and the URL to store", () => {
            const p = only("localhost:6379");
            assert.equal(p.id, "redis-url-missing-scheme");
            assert.match(p.message, /^Redis URL `localhost:6379` has no scheme: node-redis rejects it \(`Invalid protocol`/);
            assert.equal(p.fix, "Store `redis://localhost:6379`.");
        });

        it("suggests rediss:// for a bare ElastiCache endpoint, and says which case that assumes", () => {
            const p = only(ELASTICACHE_PRIMARY);
            assert.equal(p.id, "redis-url-missing-scheme");
            assert.equal(
                p.fix,
                `Store \`rediss://${ELASTICACHE_PRIMARY}:6379\` (\`redis://\` only if the cache has in-transit encryption off).`,
            );
        });

        it("follows the cache's encryption when it is known", () => {
            assert.equal(
                only(`${ELASTICACHE_PRIMARY}:6379`, { transitEncryption: false }).fix,
                `Store \`redis://${ELASTICACHE_PRIMARY}:6379\`.`,
            );
            assert.equal(only("10.0.0.5:6379", { transitEncryption: true }).fix, "Store `rediss://10.0.0.5:6379`.");
        });

        it("reads `redis:6379` as host `redis` (a Compose service name), not as a scheme", () => {
            assert.equal(only("redis:6379").fix, "Store `redis://redis:6379`.");
        });

        it("reports a scheme written without `//`", () => {
            const p = only("rediss:cache:6379");
            assert.match(p.message, /writes `rediss:` without `\/\/`/);
            assert.equal(p.fix, "Store `rediss://cache:6379`.");
        });

        it("suggests unix:// for a bare socket path", () => {
            assert.equal(only("/var/run/redis.sock").fix, "Store `unix:///var/run/redis.sock` for a socket path.");
        });

        it("masks the password of a scheme-less value in message and fix", () => {
            const p = only(":hunter2@cache:6379");
            assert.ok(!p.message.includes("hunter2") && !p.fix.includes("hunter2"), JSON.stringify(p));
            assert.equal(p.fix, "Store `redis://:****@cache:6379`.");
        });
    });

    describe("checkRedisUrl: wrong scheme", () => {
        const cases: [string, string][] = [
            ["http://cache:6379", "Store `redis://cache:6379`."],
            ["tcp://cache:6379/1", "Store `redis://cache:6379/1`."],
            ["redis+tls://cache:6379", "Store `rediss://cache:6379`."],
            ["https://cache:6379", "Store `rediss://cache:6379`."],
            ["valkeys://cache", "Store `rediss://cache:6379`."],
        ];
        for (const [value, fix] of cases) {
            it(`reports ${value.split(":")[0]}://`, () => {
                const p = only(value);
                assert.equal(p.id, "redis-url-wrong-scheme");
                assert.match(p.message, /Redis clients accept only `redis:\/\/`, `rediss:\/\/` \(TLS\) and `unix:\/\/`\.$/);
                assert.equal(p.fix, fix);
            });
        }

        it("masks the password of a wrong-scheme URL", () => {
            const p = only("redis+tls://:hunter2@cache:6379");
            assert.equal(p.message.includes("hunter2") || p.fix.includes("hunter2"), false);
            assert.equal(p.fix, "Store `rediss://:****@cache:6379`.");
        });
    });

    describe("checkRedisUrl: TLS against the cache's encryption", () => {
        it("reports redis:// to a cache with in-transit encryption (the seed outage)", () => {
            const check = checkRedisUrl(`redis://:tok@${ELASTICACHE_PRIMARY}:6379`, { transitEncryption: true });
            assert.equal(check.ok, false);
            assert.equal(check.problems[0].id, "redis-url-not-tls");
            assert.match(check.problems[0].message, /connects without TLS, but the cache has in-transit encryption on/);
            assert.equal(check.problems[0].fix, `Store \`rediss://:****@${ELASTICACHE_PRIMARY}:6379\`.`);
            assert.ok(!JSON.stringify(check).includes(":tok@"), "password leaked");
            assert.equal(check.parsed?.scheme, "redis", "parsed is still returned");
        });

        it("treats a serverless endpoint as encrypted without being told", () => {
            assert.deepEqual(ids(`redis://${ELASTICACHE_SERVERLESS}:6379`), ["redis-url-not-tls"]);
            assert.deepEqual(ids(`rediss://${ELASTICACHE_SERVERLESS}:6379`), []);
        });

        it("does not guess for a provisioned endpoint when the encryption is unknown", () => {
            assert.deepEqual(ids(`redis://${ELASTICACHE_PRIMARY}:6379`), []);
        });

        it("reports rediss:// to a cache without in-transit encryption", () => {
            const p = only("rediss://cache:6379", { transitEncryption: false });
            assert.equal(p.id, "redis-url-tls-to-plaintext-cache");
            assert.equal(p.fix, "Store `redis://cache:6379`, or turn on `transitEncryptionEnabled` on the cache.");
        });
    });

    describe("checkRedisUrl: invalid parts", () => {
        it("reports an out-of-range or non-numeric port", () => {
            assert.deepEqual(ids("redis://cache:99999"), ["redis-url-invalid-port"]);
            assert.deepEqual(ids("redis://cache:0"), ["redis-url-invalid-port"]);
            const p = only("redis://cache:port");
            assert.equal(p.message, "Redis URL `redis://cache:port` has the port `port`; a port is a whole number from 1 to 65535.");
            assert.equal(p.fix, "Store `redis://cache:6379` (ElastiCache listens on 6379 unless configured otherwise).");
        });

        it("reports a path that is not a database number", () => {
            const p = only("redis://cache:6379/abc");
            assert.equal(p.id, "redis-url-invalid-db");
            assert.equal(p.fix, "Store `redis://cache:6379`.");
            assert.deepEqual(ids("redis://cache:6379/-1"), ["redis-url-invalid-db"]);
            assert.deepEqual(ids("redis://cache:6379/1.5"), ["redis-url-invalid-db"]);
            assert.deepEqual(ids("unix:///tmp/r.sock?db=x"), ["redis-url-invalid-db"]);
        });

        it("reports an empty or invalid host", () => {
            assert.deepEqual(ids("redis://:6379"), ["redis-url-invalid-host"]);
            assert.deepEqual(ids("redis://bad host:6379"), ["redis-url-invalid-host"]);
            assert.deepEqual(ids("redis://999.0.0.1:6379"), ["redis-url-invalid-host"]);
        });

        it("reports an unencoded `/` in the password and still masks it", () => {
            const check = checkRedisUrl("redis://:ab/cd@cache:6379");
            assert.deepEqual(
                check.problems.map((p) => p.id),
                ["redis-url-unencoded-password"],
            );
            assert.ok(!JSON.stringify(check).includes("ab/cd"), "password leaked");
        });

        it("reports a unix:// URL without an absolute path", () => {
            assert.deepEqual(ids("unix://"), ["redis-url-invalid-socket-path"]);
            assert.deepEqual(ids("unix://relative.sock"), ["redis-url-invalid-socket-path"]);
        });

        it("reports non-strings, empty values and surrounding whitespace", () => {
            assert.deepEqual(ids(undefined), ["redis-url-not-a-string"]);
            assert.deepEqual(ids({ url: "redis://h" }), ["redis-url-not-a-string"]);
            assert.deepEqual(ids("   "), ["redis-url-empty"]);
            const check = checkRedisUrl("redis://cache:6379\n");
            assert.deepEqual(
                check.problems.map((p) => p.id),
                ["redis-url-surrounding-whitespace"],
            );
            assert.equal(check.parsed?.host, "cache");
        });

        it("cuts very long values in messages", () => {
            const p = only("x".repeat(1000) + ":6379");
            assert.ok(p.message.length < 500, `message is ${p.message.length} characters`);
        });
    });

    describe("looksLikeRedisSetting", () => {
        const yes = [
            "REDIS_URL",
            "REDIS_TLS_URL",
            "REDISCLOUD_URL",
            "redisUrl",
            "CACHE_REDIS_URI",
            "VALKEY_ENDPOINT",
            "ELASTICACHE_REDIS_ENDPOINT",
            "/prod/app/redis-url",
            "/prod/redis/url",
            "REDISURL",
            "SESSION_REDIS_DSN",
        ];
        const no = [
            "REDIS_HOST",
            "REDIS_PORT",
            "REDIS_PASSWORD",
            "REDIS_DB",
            "DATABASE_URL",
            "REDIS_URL_SECRET_ARN",
            "REDIS_URL_FILE",
            "/prod/redis/host",
            "CACHE_URL",
            "",
        ];
        for (const name of yes) it(`recognises ${name}`, () => assert.equal(looksLikeRedisSetting(name), true));
        for (const name of no) it(`leaves ${JSON.stringify(name)} alone`, () => assert.equal(looksLikeRedisSetting(name), false));
    });

    describe("ElastiCache hosts", () => {
        it("recognises primary, configuration, node and serverless endpoints, with or without port or scheme", () => {
            for (const host of [
                ELASTICACHE_PRIMARY,
                "clustercfg.app.abc123.euw1.cache.amazonaws.com",
                "app.abc123.ng.0001.use1.cache.amazonaws.com",
                ELASTICACHE_SERVERLESS,
                `${ELASTICACHE_PRIMARY}:6379`,
                `rediss://:tok@${ELASTICACHE_PRIMARY}:6379/0`,
                "app.abc123.cnn1.cache.amazonaws.com.cn",
            ]) {
                assert.equal(looksLikeElastiCacheHost(host), true, host);
            }
        });

        it("rejects other hosts and non-strings", () => {
            for (const host of ["cache.internal", "localhost", "cache.amazonaws.com", "evil.com/x.cache.amazonaws.com", "", 42]) {
                assert.equal(looksLikeElastiCacheHost(host), false, String(host));
            }
        });

        it("tells serverless endpoints apart", () => {
            assert.equal(isServerlessElastiCacheHost(ELASTICACHE_SERVERLESS), true);
            assert.equal(isServerlessElastiCacheHost(ELASTICACHE_PRIMARY), false);
        });
    });

    describe("properties", () => {
        it("checkRedisUrl never throws and always answers with a well-formed result", () => {
            fc.assert(
                fc.property(fc.anything(), fc.option(fc.boolean(), { nil: undefined }), (value, transitEncryption) => {
                    const check = checkRedisUrl(value, { transitEncryption });
                    assert.equal(typeof check.ok, "boolean");
                    assert.equal(check.ok, check.problems.length === 0);
                    for (const p of check.problems) assert.ok(p.id && p.message && p.fix);
                }),
                { numRuns: 2000 },
            );
        });

        const urlish = fc.oneof(
            fc.string({ unit: "binary" }),
            fc.webUrl({ withQueryParameters: true, withFragments: true }),
            fc
                .tuple(
                    fc.constantFrom("redis://", "rediss://", "unix://", "http://", "", "redis:"),
                    fc.string(),
                    fc.constantFrom("@", ":", "/", "[", "]", "?db="),
                    fc.string(),
                )
                .map((parts) => parts.join("")),
        );
        it("checkRedisUrl never throws on URL-like strings either", () => {
            fc.assert(
                fc.property(urlish, (value) => {
                    checkRedisUrl(value);
                    checkRedisUrl(value, { transitEncryption: true });
                }),
                { numRuns: 3000 },
            );
        });

        it("checkRedisUrl never repeats a raw (unencoded) password, whatever it contains", () => {
            const passwordChar = fc.constantFrom(..."aZ9@/:?#%&=+-_.!$'()*,;[]~");
            fc.assert(
                fc.property(
                    fc.constantFrom("redis", "rediss", "http", ""),
                    fc.array(passwordChar, { maxLength: 20 }),
                    fc.boolean(),
                    (scheme, chars, tls) => {
                        const password = "Qx7" + chars.join("");
                        const value = `${scheme ? scheme + "://" : ""}:${password}@cache.example:6379`;
                        const check = checkRedisUrl(value, { transitEncryption: tls });
                        assert.ok(!JSON.stringify(check).includes(password), JSON.stringify(check));
                    },
                ),
                { numRuns: 2000 },
            );
        });

        const args = fc.record({
            host: fc.oneof(fc.domain(), fc.ipV4()),
            port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
            db: fc.option(fc.integer({ min: 0, max: 2_147_483_647 }), { nil: undefined }),
            tls: fc.boolean(),
            username: fc.option(fc.string({ unit: "binary", minLength: 1 }), { nil: undefined }),
            password: fc.option(fc.string({ unit: "binary", minLength: 1 }), { nil: undefined }),
        });

        it("buildRedisUrl output passes checkRedisUrl with the matching encryption, and masks the password", () => {
            fc.assert(
                fc.property(args, (a) => {
                    const url = buildRedisUrl(a);
                    const check = checkRedisUrl(url, { transitEncryption: a.tls });
                    assert.deepEqual(check.problems, [], url);
                    assert.equal(check.parsed?.tls, a.tls);
                    assert.equal(check.parsed?.hasPassword, a.password !== undefined);
                    if (a.password !== undefined && a.password.length >= 4) {
                        // The password must not survive as the userinfo's password (`:<password>@`); the
                        // same text may legitimately appear as (part of) the user name or host, which stay visible.
                        const masked = check.parsed?.masked ?? "";
                        assert.ok(!masked.includes(`:${encodeURIComponent(a.password)}@`), masked);
                        assert.ok(!masked.includes(`:${a.password}@`), masked);
                    }
                }),
                { numRuns: 1000 },
            );
        });

        it("buildRedisUrl round-trips host, port, db and credentials through new URL", () => {
            fc.assert(
                fc.property(args, (a) => {
                    const url = new URL(buildRedisUrl(a));
                    assert.equal(url.protocol, a.tls ? "rediss:" : "redis:");
                    assert.equal(url.hostname, a.host);
                    assert.equal(url.port, String(a.port ?? REDIS_DEFAULT_PORT));
                    assert.equal(url.pathname, a.db === undefined ? "" : `/${a.db}`);
                    assert.equal(decodeURIComponent(url.password), a.password ?? "");
                    assert.equal(decodeURIComponent(url.username), a.username ?? "");
                }),
                { numRuns: 1000 },
            );
        });
    });
});
