import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { type RedisUrlProblemId, checkRedisUrl, isServerlessElastiCacheHost, looksLikeElastiCacheHost } from "../domain/index";
import { type StackContext, stackRule } from "../kit";
import {
    type RedisValue,
    TYPES,
    UNKNOWN,
    type Unknown,
    asArray,
    containersPropertyOf,
    asBoolean,
    asString,
    field,
    isJudgedInStack,
    rawProps,
    redisValuesOf,
    sourcesOfProperty,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

const CACHE_TYPES: readonly string[] = [TYPES.replicationGroup, TYPES.serverlessCache];
const OWN_PROBLEMS: readonly RedisUrlProblemId[] = ["redis-url-not-tls", "redis-url-tls-to-plaintext-cache"];
const HOLDER_TYPES: readonly string[] = [
    TYPES.taskDefinition,
    TYPES.awsxFargateTaskDefinition,
    TYPES.awsxFargateService,
    TYPES.ssmParameter,
    TYPES.secretVersion,
];

/** Endpoint host names of a cache: known strings, and whether any is unknown. */
function cacheHosts(cache: PolicyResource): { hosts: string[]; unknown: boolean } {
    const props = rawProps(cache.props);
    const hosts: string[] = [];
    let unknown = false;
    const add = (v: unknown) => {
        const s = asString(v);
        if (s === UNKNOWN) unknown = true;
        else if (typeof s === "string" && s !== "") hosts.push(s.toLowerCase());
    };
    if (cache.type === TYPES.replicationGroup) {
        for (const key of ["primaryEndpointAddress", "readerEndpointAddress", "configurationEndpointAddress"]) add(field(props, key));
    } else {
        for (const key of ["endpoints", "readerEndpoints"]) {
            const list = asArray(field(props, key));
            if (list === UNKNOWN) unknown = true;
            else for (const e of list ?? []) add(field(e, "address"));
        }
    }
    return { hosts, unknown: unknown || hosts.length === 0 };
}

/** Whether the cache accepts only TLS: true, false, "either" (transitEncryptionMode preferred), or unknown. */
function requiresTls(cache: PolicyResource): boolean | "either" | Unknown {
    if (cache.type === TYPES.serverlessCache) return true;
    const props = rawProps(cache.props);
    const enabled = asBoolean(field(props, "transitEncryptionEnabled"));
    if (enabled === UNKNOWN) return UNKNOWN;
    if (!enabled) return false; // AWS default: off
    const mode = asString(field(props, "transitEncryptionMode"));
    if (mode === UNKNOWN) return UNKNOWN;
    return typeof mode === "string" && mode.toLowerCase() === "preferred" ? "either" : true;
}

function judgeValue(ctx: StackContext<object>, holder: PolicyResource, v: RedisValue, caches: PolicyResource[]): void {
    const subject = ctx.subject(holder);
    const feeding = sourcesOfProperty(holder, v.property, CACHE_TYPES);
    if (v.value === UNKNOWN) {
        if (feeding.length > 0)
            ctx.report.undecided(subject, {
                path: v.path,
                reason: `the Redis URL is not known yet, so its scheme cannot be compared with the encryption of '${feeding[0].name}'`,
            });
        return;
    }
    const parsed = checkRedisUrl(v.value).parsed;
    if (!parsed || parsed.scheme === "unix" || parsed.host === undefined) return; // no scheme: redis-url-has-scheme
    const host = parsed.host.toLowerCase();
    let cache = caches.find((c) => cacheHosts(c).hosts.includes(host));
    if (!cache) {
        // Endpoints of a new cache are unknown in a preview: a single cache feeding the value is the target.
        const candidates = feeding.filter((c) => cacheHosts(c).unknown);
        if (candidates.length === 1) cache = candidates[0];
        else if (candidates.length > 1)
            return ctx.report.undecided(subject, {
                path: v.path,
                reason: `${candidates.length} caches of this stack feed the Redis URL and their endpoints are unknown`,
            });
    }
    let transitEncryption: boolean | undefined;
    let target: string;
    if (cache) {
        const tls = requiresTls(cache);
        if (tls === UNKNOWN)
            return ctx.report.undecided(subject, { path: v.path, reason: `\`transitEncryptionEnabled\` of '${cache.name}' is unknown` });
        if (tls === "either") return;
        transitEncryption = tls;
        target = `'${cache.name}' (${cache.type === TYPES.serverlessCache ? "serverless: TLS only" : `transitEncryptionEnabled ${tls}`})`;
    } else if (isServerlessElastiCacheHost(host)) {
        transitEncryption = true;
        target = "a serverless ElastiCache endpoint (TLS only)";
    } else if (looksLikeElastiCacheHost(host)) {
        return ctx.report.undecided(subject, {
            path: v.path,
            reason: "the Redis URL points at an ElastiCache endpoint that is not managed in this stack, so its in-transit encryption is unknown",
        });
    } else {
        return; // not an ElastiCache endpoint
    }
    for (const problem of checkRedisUrl(v.value, { transitEncryption }).problems) {
        if (!OWN_PROBLEMS.includes(problem.id)) continue;
        ctx.report.violation(subject, {
            path: v.path,
            found: `\`${parsed.scheme}://\` in ${v.where}, pointing at ${target}`,
            problem: problem.message,
            fix: problem.fix,
        });
    }
}

/**
 * ElastiCache with in-transit encryption (and every serverless cache) accepts only TLS: a `redis://`
 * URL gets every connection reset — the outage this policy exists for. `rediss://` to a plaintext
 * cache fails the handshake.
 */
export const redisTlsSchemeMatches: StackValidationPolicy = {
    name: "redis-tls-scheme-matches",
    description:
        "Redis URLs must use rediss:// for ElastiCache caches with in-transit encryption (and serverless caches), and redis:// for caches without it.",
    enforcementLevel: "mandatory",
    validateStack: stackRule({}, (ctx) => {
        const caches = ctx.resources.filter((r) => CACHE_TYPES.includes(r.type));
        for (const holder of ctx.resources) {
            if (!HOLDER_TYPES.includes(holder.type)) continue;
            // awsx components: their args offline, their child task definition in a real preview (never both).
            if (!isJudgedInStack(holder, ctx.resources)) continue;
            const { values, unknownContainers } = redisValuesOf(holder.type, ctx.props(holder));
            if (unknownContainers !== undefined) {
                const feeding = sourcesOfProperty(holder, containersPropertyOf(holder.type), CACHE_TYPES);
                if (feeding.length > 0)
                    ctx.report.undecided(ctx.subject(holder), {
                        path: unknownContainers,
                        reason: `the containers are unknown and take values from cache '${feeding[0].name}'`,
                    });
            }
            for (const v of values) judgeValue(ctx, holder, v, caches);
        }
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(redisTlsSchemeMatches, {
    levelNote: ` (stack policy)`,
    checks: `each Redis URL found as in \`redis-url-has-scheme\` against the cache it points at: an
\`aws:elasticache/replicationGroup:ReplicationGroup\` (matched by host against
\`primaryEndpointAddress\`, \`readerEndpointAddress\`, \`configurationEndpointAddress\`) or
\`aws:elasticache/serverlessCache:ServerlessCache\` (\`endpoints\`, \`readerEndpoints\`); when those
outputs are unknown (a preview), the single cache in the property dependencies of the value.
\`redis://\` to a cache with \`transitEncryptionEnabled\` (or a serverless one) and \`rediss://\` to one
without it are violations; \`transitEncryptionMode: "preferred"\` accepts both. An ElastiCache host
outside the stack, or an unknown URL fed by a cache, is undecided.`,
    rationale: `An encrypted cache resets every plaintext connection (the seed outage's Redis half); a TLS
handshake against a plaintext cache fails. Every ElastiCache serverless cache accepts only TLS.`,
    config: `none.`,
    remediation: `Build the URL from the cache itself: \`rediss://\` exactly when \`transitEncryptionEnabled\`.`,
    examples: `Fails:
\`\`\`ts
const cache = new aws.elasticache.ReplicationGroup("cache", { transitEncryptionEnabled: true, /* … */ });
value: pulumi.interpolate\`redis://\${cache.primaryEndpointAddress}:6379\`
\`\`\`
Passes:
\`\`\`ts
value: pulumi.interpolate\`rediss://\${cache.primaryEndpointAddress}:6379\`
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: redisTlsSchemeMatches, metadata };
