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

/** Why this policy exists and how to fix a violation, in general terms (reports and docs read it: policies/metadata.ts). */
export const metadata = ruleMetadata(redisUrlHasScheme, {
    rationale:
        "A Redis URL without redis://, rediss:// or unix:// is rejected by redis-py and node-redis and makes ioredis connect without TLS; one no client can parse (host, port, database, unencoded password) fails at the first connection.",
    remediation:
        "Store the full URL with its scheme, e.g. rediss://<host>:6379 for an encrypted cache, and percent-encode reserved characters of the password.",
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: redisUrlHasScheme, metadata };
