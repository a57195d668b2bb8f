import * as assert from "assert";
import { redisTlsSchemeMatches as policy } from "../../../policies/rules/redis-tls-scheme-matches";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith } from "../awsx-worlds";
import { runStack, undecided, violations, assertFinding } from "../harness";
import { REDIS_HOST, REDIS_PARAM_ARN, U, set, taskDefinitionProps, wiredContainer, wiredStack } from "../fixtures";

const param = (value: unknown) => ({ name: "/dev/api/redis-url", type: "String", value, arn: REDIS_PARAM_ARN });

describe("redis-tls-scheme-matches", () => {
    it("passes rediss:// to a cache with transit encryption", () => {
        assert.deepStrictEqual(runStack(policy, wiredStack()), []);
    });

    it("rejects redis:// to a cache with transit encryption (matched by host)", () => {
        const [v, ...rest] = runStack(policy, wiredStack({ param: param(`redis://${REDIS_HOST}:6379`) }));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.match(v.urn ?? "", /aws:ssm\/parameter:Parameter::redis-url$/);
        assertFinding(v, { resource: "redis-url", type: "aws:ssm/parameter:Parameter", path: "value", undecided: false });
        assert.match(
            v.message,
            /found `redis:\/\/` in SSM parameter `\/dev\/api\/redis-url`, pointing at 'api-cache' \(transitEncryptionEnabled true\)/,
        );
        assert.match(v.message, /Fix: Store `rediss:\/\/master\.api-cache/);
    });

    it("rejects rediss:// to a cache without transit encryption (unset = AWS default off)", () => {
        const cache = { primaryEndpointAddress: REDIS_HOST, port: 6379 };
        const [v] = runStack(policy, wiredStack({ cache }));
        assert.match(v.message, /transitEncryptionEnabled false\).*asks for TLS/);
    });

    it("accepts both schemes with transitEncryptionMode preferred", () => {
        const cache = { transitEncryptionEnabled: true, transitEncryptionMode: "preferred", primaryEndpointAddress: REDIS_HOST };
        assert.deepStrictEqual(runStack(policy, wiredStack({ cache, param: param(`redis://${REDIS_HOST}:6379`) })), []);
    });

    it("follows propertyDependencies when the cache's endpoints are unknown (preview)", () => {
        const cache = { transitEncryptionEnabled: true, primaryEndpointAddress: U };
        const [v] = runStack(policy, wiredStack({ cache, param: param("redis://api-cache.internal:6379") }));
        assert.match(v.message, /pointing at 'api-cache'/);
    });

    it("judges container environment URLs and serverless caches", () => {
        const host = "api-cache-abc123.serverless.euw1.cache.amazonaws.com";
        const stack = wiredStack({
            td: taskDefinitionProps([set(wiredContainer(), "environment", [{ name: "REDIS_URL", value: `redis://${host}:6379` }])]),
        });
        stack.push({ key: "sls", type: TYPES.serverlessCache, name: "sls", props: { endpoints: [{ address: host, port: 6379 }] } });
        const [v] = violations(runStack(policy, stack));
        assert.match(
            v.message,
            /'api-task'.*`containerDefinitions\[app\]\.environment\[REDIS_URL\]`: found `redis:\/\/` .* pointing at 'sls' \(serverless: TLS only\)/,
        );
    });

    it("reports undecided for unknown URLs fed by a cache, unknown encryption, and caches outside the stack", () => {
        let ds = runStack(policy, wiredStack({ param: param(U) }));
        assert.strictEqual(violations(ds).length, 0);
        assert.match(undecided(ds)[0].message, /^\[undecided\] 'redis-url' .* `value`: cannot verify: the Redis URL is not known yet/);
        ds = runStack(policy, wiredStack({ cache: { transitEncryptionEnabled: U, primaryEndpointAddress: REDIS_HOST } }));
        assert.match(undecided(ds)[0].message, /`transitEncryptionEnabled` of 'api-cache' is unknown/);
        ds = runStack(policy, wiredStack({ param: param("redis://master.other.zzz999.euw1.cache.amazonaws.com:6379") }));
        assert.match(undecided(ds)[0].message, /not managed in this stack/);
    });

    it("judges an awsx container's Redis URL offline (args) and in a real preview (the task definition awsx creates) alike", () => {
        const extra = wiredStack().filter((r) => r.key === "cache");
        const env = (url: string) => awsxProgramWith("taskDefinitionArgs.container.environment", [{ name: "REDIS_URL", value: url }]);
        assertBothWorlds(
            policy,
            env(`redis://${REDIS_HOST}:6379`),
            ["redis-tls-scheme-matches mandatory decided awsx:ecs:FargateService::web"],
            { extra },
        );
        assertBothWorlds(policy, env(`rediss://${REDIS_HOST}:6379`), [], { extra });
    });
});
