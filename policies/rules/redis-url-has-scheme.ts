import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type RedisUrlProblemId, checkRedisUrl } from "../domain/index";
import { resourceRule } from "../kit";
import { type PackRule, ruleMetadata } from "../kit/metadata";
import { TYPES, UNKNOWN, redisValuesOf } from "../resources";

/**
 * Problems of `checkRedisUrl` this policy owns: the scheme, and a URL no client can use (host, port,
 * database, socket path, unencoded password, unparseable) — before, no policy owned those and
 * `redis://'` passed silently (found by tests/policies/fuzz-limits.test.ts). TLS against the cache
 * is redis-tls-scheme-matches'.
 */
const OWN_PROBLEMS: readonly RedisUrlProblemId[] = [
    "redis-url-missing-scheme",
    "redis-url-wrong-scheme",
    "redis-url-unencoded-password",
    "redis-url-invalid-host",
    "redis-url-invalid-port",
    "redis-url-invalid-db",
    "redis-url-invalid-socket-path",
    "redis-url-unparseable",
];

/**
 * A Redis URL without `redis://`/`rediss://`/`unix://` breaks every client differently: redis-py and
 * node-redis refuse it, ioredis connects without TLS and fails against an encrypted cache.
 */
export const redisUrlHasScheme: ResourceValidationPolicy = {
    name: "redis-url-has-scheme",
    description:
        "Redis connection URLs in container environments, SSM parameters and Secrets Manager secrets must start with redis://, rediss:// or unix:// and be URLs a client can parse (host, port, database, encoded password).",
    enforcementLevel: "mandatory",
    validateResource: resourceRule(
        [TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService, TYPES.ssmParameter, TYPES.secretVersion],
        {},
        (ctx) => {
            const { values, unknownContainers } = redisValuesOf(ctx.type, ctx.props);
            if (unknownContainers !== undefined && !ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: unknownContainers });
            for (const v of values) {
                if (v.value === UNKNOWN) {
                    if (!ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: v.path });
                    continue;
                }
                for (const problem of checkRedisUrl(v.value).problems) {
                    if (!OWN_PROBLEMS.includes(problem.id)) continue;
                    ctx.report.violation(ctx.subject, {
                        // The domain masks any password in its messages; the value itself is never shown here.
                        path: v.path,
                        found: `a Redis URL in ${v.where} [${problem.id}]`,
                        problem: problem.message,
                        fix: problem.fix,
                    });
                }
            }
        },
    ),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(redisUrlHasScheme, {
    checks: `Redis URLs stored in container \`environment\` (raw task definitions and awsx
containers) — variables named like a Redis URL (\`looksLikeRedisSetting\`: \`REDIS_URL\`,
\`VALKEY_ENDPOINT\`, …) or holding an ElastiCache endpoint (\`looksLikeElastiCacheHost\`; names that by
convention hold a bare host or port, such as \`REDIS_HOST\`, are left out) — in the \`value\` /
\`insecureValue\` of \`aws:ssm/parameter:Parameter\`s named like one, and in the \`secretString\` of
\`aws:secretsmanager/secretVersion:SecretVersion\`s (the whole string, or the keys of a JSON
object) that look like one. Reports \`checkRedisUrl\`'s \`redis-url-missing-scheme\` and
\`redis-url-wrong-scheme\`, and the defects that make a URL unusable to any client
(\`redis-url-invalid-host\`, \`-invalid-port\`, \`-invalid-db\`, \`-invalid-socket-path\`,
\`-unencoded-password\`, \`-unparseable\`: before, no policy reported those and \`redis://'\` passed);
passwords are masked in every message.`,
    rationale: `redis-py and node-redis reject a scheme-less value; ioredis accepts \`host:6379\` and
connects without TLS, which an encrypted cache refuses. A URL no client can
parse (host, port, database, an unencoded password) fails at the first connection.`,
    config: `none.`,
    remediation: `Store the whole URL: \`rediss://<host>:6379\` (TLS) or \`redis://<host>:6379\`.
Percent-encode reserved characters of the password.`,
    examples: `Fails:
\`\`\`ts
new aws.ssm.Parameter("redis-url", { name: "/prod/api/redis-url", type: "String", value: cache.primaryEndpointAddress });
\`\`\`
Passes:
\`\`\`ts
new aws.ssm.Parameter("redis-url", { name: "/prod/api/redis-url", type: "String", value: pulumi.interpolate\`rediss://\${cache.primaryEndpointAddress}:6379\` });
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: redisUrlHasScheme, metadata };
