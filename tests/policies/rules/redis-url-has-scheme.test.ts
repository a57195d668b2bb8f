import * as assert from "assert";
import { redisUrlHasScheme as policy } from "../../../policies/rules/redis-url-has-scheme";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith } from "../awsx-worlds";
import { runResource, undecided, violations, assertFinding } from "../harness";
import { REDIS_HOST, U, awsxServiceProps, set, taskDefinitionProps, wiredContainer } from "../fixtures";

const withEnv = (environment: unknown) => taskDefinitionProps([set(wiredContainer(), "environment", environment)]);
const run = (type: string, props: Record<string, unknown>) => runResource(policy, { type, name: "subject", props });
const param = (value: unknown, name = "/dev/api/redis-url") => run(TYPES.ssmParameter, { name, type: "SecureString", value });

describe("redis-url-has-scheme", () => {
    it("passes redis://, rediss:// and unix:// URLs", () => {
        for (const url of [`rediss://${REDIS_HOST}:6379`, "redis://cache:6379/0", "unix:///var/run/redis.sock"]) {
            assert.deepStrictEqual(run(TYPES.taskDefinition, withEnv([{ name: "REDIS_URL", value: url }])), []);
            assert.deepStrictEqual(param(url), []);
        }
    });

    it("rejects a scheme-less URL in a container environment", () => {
        const [v, ...rest] = run(TYPES.taskDefinition, withEnv([{ name: "REDIS_URL", value: `${REDIS_HOST}:6379` }]));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assertFinding(v, { path: "containerDefinitions[app].environment[REDIS_URL]", undecided: false });
        assert.match(v.message, /found a Redis URL in environment variable `REDIS_URL` of container 'app' \[redis-url-missing-scheme\]/);
        assert.match(v.message, /Fix: Store `rediss:\/\/master\.api-cache\.abc123\.euw1\.cache\.amazonaws\.com:6379`/);
    });

    it("rejects a URL with a scheme that no client can use: bad host, port or database", () => {
        for (const [value, id] of [
            ["redis://'", "redis-url-invalid-host"],
            [`rediss://${REDIS_HOST}:99999`, "redis-url-invalid-port"],
            [`rediss://${REDIS_HOST}:6379/x`, "redis-url-invalid-db"],
        ]) {
            const [v, ...rest] = run(TYPES.taskDefinition, withEnv([{ name: "REDIS_URL", value }]));
            assert.strictEqual(rest.length, 0, value);
            assert.match(v?.message ?? "", new RegExp(`environment\\[REDIS_URL\\]\`: found a Redis URL in .*\\[${id}\\]`), value);
        }
        assert.deepStrictEqual(run(TYPES.taskDefinition, withEnv([{ name: "REDIS_URL", value: `rediss://${REDIS_HOST}:6379/0` }])), []);
    });

    it("recognises an ElastiCache host under any name except host settings", () => {
        assert.strictEqual(run(TYPES.taskDefinition, withEnv([{ name: "CACHE", value: REDIS_HOST }])).length, 1);
        assert.deepStrictEqual(run(TYPES.taskDefinition, withEnv([{ name: "REDIS_HOST", value: REDIS_HOST }])), []);
    });

    it("rejects a wrong scheme in an SSM parameter, masking the password", () => {
        const [v] = param(`https://:hunter2hunter2@${REDIS_HOST}:6379`);
        assertFinding(v, { path: "value", undecided: false });
        assert.match(v.message, /found a Redis URL in SSM parameter `\/dev\/api\/redis-url` \[redis-url-wrong-scheme\]/);
        assert.ok(!v.message.includes("hunter2hunter2"));
        assert.deepStrictEqual(param(`${REDIS_HOST}:6379`, "/dev/api/log-level").length, 1, "ElastiCache host value");
        assert.deepStrictEqual(param("debug", "/dev/api/log-level"), []);
    });

    it("checks secret versions: a whole string or the keys of a JSON object", () => {
        const [v] = run(TYPES.secretVersion, {
            secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/redis-url-AbCdEf",
            secretString: "cache:6379",
        });
        assertFinding(v, { path: "secretString", undecided: false });
        assert.match(v.message, /found a Redis URL in secret `prod\/redis-url` \[redis-url-missing-scheme\]/);
        const [w] = run(TYPES.secretVersion, {
            secretId: "app-config",
            secretString: JSON.stringify({ REDIS_URL: "tcp://cache:6379", LOG_LEVEL: "info" }),
        });
        assert.match(w.message, /`secretString\.REDIS_URL`.*\[redis-url-wrong-scheme\]/);
        assert.deepStrictEqual(run(TYPES.secretVersion, { secretId: "db", secretString: "p4ssw0rd" }), []);
    });

    it("judges awsx container env offline and the task definition awsx creates in a real preview: the same finding", () => {
        const [v] = run(
            TYPES.awsxFargateService,
            awsxServiceProps(set(wiredContainer(), "environment", [{ name: "REDIS_URL", value: "cache:6379" }])),
        );
        assert.match(v.message, /`taskDefinitionArgs\.container\.environment\[REDIS_URL\]`/);
        assertBothWorlds(
            policy,
            awsxProgramWith("taskDefinitionArgs.container.environment", [{ name: "REDIS_URL", value: "cache:6379" }]),
            ["redis-url-has-scheme mandatory decided awsx:ecs:FargateService::web"],
        );
        assertBothWorlds(
            policy,
            awsxProgramWith("taskDefinitionArgs.container.environment", [{ name: "REDIS_URL", value: "rediss://cache:6379" }]),
            [],
        );
    });

    it("reports unknown Redis-named values as undecided", () => {
        const ds = param(U);
        assert.strictEqual(violations(ds).length, 0);
        assertFinding(undecided(ds)[0], { resource: "subject", type: "aws:ssm/parameter:Parameter", path: "value", undecided: true });
        assert.match(
            undecided(run(TYPES.taskDefinition, withEnv([{ name: "REDIS_URL", value: U }])))[0].message,
            /`containerDefinitions\[app\]\.environment\[REDIS_URL\]`/,
        );
        assert.deepStrictEqual(param(U, "/dev/api/log-level"), []);
    });
});
