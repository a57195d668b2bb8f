import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { valueOf, withMocks } from "../support/pulumi-mocks";
import { InvalidArgumentsError, RedisEndpoint } from "../../components";
import { checkRedisUrl } from "../../policies/domain/redis-url";

const HOST = "master.app.abc123.use1.cache.amazonaws.com";

/** Resolves an Output or returns its error (test only; uses the Output's internal promise). */
async function settleOutput<T>(output: pulumi.Output<T>): Promise<{ value?: T; error?: Error }> {
    try {
        return { value: await (output as any).promise() };
    } catch (error) {
        return { error: error as Error };
    }
}

describe("RedisEndpoint from parts", () => {
    before(async () => {
        await withMocks();
    });

    it("uses rediss:// exactly when the cache requires TLS, with an explicit port", async () => {
        assert.equal(await valueOf(new RedisEndpoint({ host: HOST, tls: true }).url), `rediss://${HOST}:6379`);
        assert.equal(
            await valueOf(new RedisEndpoint({ host: "redis.internal", tls: false, port: 6380, db: 2 }).url),
            "redis://redis.internal:6380/2",
        );
    });

    it("percent-encodes an AUTH token and marks the URL secret", async () => {
        const endpoint = new RedisEndpoint({ host: HOST, tls: true, authToken: "p@ss/w:rd#" });
        assert.equal(await valueOf(endpoint.url), `rediss://:p%40ss%2Fw%3Ard%23@${HOST}:6379`);
        assert.equal(await pulumi.isSecret(endpoint.url), true);
        assert.equal(await pulumi.isSecret(new RedisEndpoint({ host: HOST, tls: true }).url), false);
    });

    const bad: Array<[string, ConstructorParameters<typeof RedisEndpoint>[0], RegExp]> = [
        ["a host with a port", { host: `${HOST}:6379`, tls: true }, /`host` includes a port.*Pass the port separately/],
        ["a whole URL as host", { host: `redis://${HOST}`, tls: true }, /`host` is a whole URL/],
        ["a port out of range", { host: HOST, tls: true, port: 70000 }, /`port` must be a whole number from 1 to 65535/],
        ["a negative database", { host: HOST, tls: true, db: -1 }, /`db` must be a whole number ≥ 0/],
        [
            "plaintext to a serverless cache (always TLS)",
            { host: "app-x1y2z3.serverless.use1.cache.amazonaws.com", tls: false },
            /accepts only TLS connections.*Store `rediss:\/\//,
        ],
    ];
    for (const [what, parts, message] of bad) {
        it(`rejects ${what} at once, before anything is registered`, async () => {
            const run = await withMocks();
            assert.throws(
                () => new RedisEndpoint(parts).toSsmParameter("p", { name: "/test/redis-url" }),
                (e: unknown) => {
                    assert.ok(e instanceof InvalidArgumentsError);
                    assert.match((e as Error).message, /^Invalid arguments for RedisEndpoint:\n {2}- RedisEndpoint: /);
                    assert.match((e as Error).message, message);
                    return true;
                },
            );
            assert.equal((await run.settle()).length, 0);
        });
    }

    it("checks parts that are Outputs once they are known", async () => {
        await withMocks();
        const { error } = await settleOutput(new RedisEndpoint({ host: pulumi.output(`rediss://${HOST}`), tls: true }).url);
        assert.ok(error);
        assert.match(error!.message, /`host` is a whole URL/);
    });
});

describe("RedisEndpoint from a replication group", () => {
    it("reads the primary endpoint, port and in-transit encryption of the group", async () => {
        const run = await withMocks();
        const encrypted = new aws.elasticache.ReplicationGroup("cache", {
            description: "c",
            nodeType: "cache.t4g.micro",
            transitEncryptionEnabled: true,
        });
        const plaintext = new aws.elasticache.ReplicationGroup("plain", {
            description: "p",
            nodeType: "cache.t4g.micro",
            transitEncryptionEnabled: false,
            port: 6380,
        });
        const tlsUrl = await valueOf(RedisEndpoint.fromReplicationGroup(encrypted).url);
        const plainUrl = await valueOf(RedisEndpoint.fromReplicationGroup(plaintext, { db: 1 }).url);
        await run.settle();
        const primary = (name: string) => run.resources.find((r) => r.name === name)!.outputs.primaryEndpointAddress as string;
        assert.match(primary("cache"), /^master\.cache-[0-9a-f]+\.[0-9a-f]+\.use1\.cache\.amazonaws\.com$/);
        assert.equal(tlsUrl, `rediss://${primary("cache")}:6379`);
        assert.equal(plainUrl, `redis://${primary("plain")}:6380/1`);
        assert.ok(checkRedisUrl(tlsUrl, { transitEncryption: true }).ok);
    });
});

describe("RedisEndpoint.toSsmParameter", () => {
    it("stores a URL without credential as a String, readable in previews", async () => {
        const run = await withMocks();
        new RedisEndpoint({ host: HOST, tls: true }).toSsmParameter("redis-url", { name: "/test/api/redis-url" });
        await run.settle();
        const parameter = run.resources.find((r) => r.type === "aws:ssm/parameter:Parameter")!.inputs as any;
        assert.deepEqual(
            [parameter.name, parameter.type, parameter.insecureValue, parameter.value],
            ["/test/api/redis-url", "String", `rediss://${HOST}:6379`, undefined],
        );
    });

    it("stores a URL with an AUTH token as a SecureString secret", async () => {
        const run = await withMocks();
        new RedisEndpoint({ host: HOST, tls: true, authToken: "token-123" }).toSsmParameter("redis-url", { name: "/test/api/redis-url" });
        await run.settle();
        const parameter = run.resources.find((r) => r.type === "aws:ssm/parameter:Parameter")!.inputs as any;
        assert.equal(parameter.type, "SecureString");
        assert.equal(parameter.insecureValue, undefined);
        assert.equal(parameter.value.value, `rediss://:token-123@${HOST}:6379`);
        assert.equal(parameter.value["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "a Pulumi secret");
    });

    const badNames: Array<[string, string, RegExp]> = [
        ["a name with spaces", "/test/redis url", /neither an ARN nor a valid SSM parameter name/],
        ["a name in the reserved aws namespace", "/aws/redis-url", /not starting with `aws` or `ssm`/],
        ["an ARN instead of a name", "arn:aws:ssm:us-east-1:123456789012:parameter/x", /is an ARN/],
    ];
    for (const [what, name, message] of badNames) {
        it(`rejects ${what} before registering`, async () => {
            const run = await withMocks();
            assert.throws(
                () => new RedisEndpoint({ host: HOST, tls: true }).toSsmParameter("redis-url", { name }),
                (e: unknown) =>
                    e instanceof InvalidArgumentsError && message.test((e as Error).message) && /`name`/.test((e as Error).message),
            );
            assert.equal((await run.settle()).length, 0);
        });
    }

    it("rejects a KMS key for a URL that is stored as a plain String", async () => {
        await withMocks();
        assert.throws(
            () => new RedisEndpoint({ host: HOST, tls: true }).toSsmParameter("redis-url", { name: "/x", keyId: "alias/app" }),
            /`keyId` applies only to a URL with an AUTH token/,
        );
    });
});
