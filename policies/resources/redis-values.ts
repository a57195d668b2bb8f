/**
 * Where a program stores Redis connection URLs: container `environment` (raw and awsx), SSM
 * parameters and Secrets Manager secret versions. Recognition is the domain's
 * (`looksLikeRedisSetting`, `looksLikeElastiCacheHost`); this file only finds the values.
 */
import { looksLikeElastiCacheHost, looksLikeRedisSetting, nameTokens, secretNameOfId } from "../domain/index";
import { containersPropertyOf, environmentEntries } from "./containers";
import { readTaskDefinition } from "./task-definitions";
import { TYPES } from "./types";
import { UNKNOWN, type Unknown, asString, field } from "./values";

/** One stored value that is (or, when unknown, is named like) a Redis URL. */
export interface RedisValue {
    /** Field path in the resource's inputs. */
    path: string;
    /** The value, or {@link UNKNOWN}. */
    value: string | Unknown;
    /** Input property whose property dependencies explain where the value came from. */
    property: string;
    /** Human name of where the value is (`environment variable REDIS_URL of container 'app'`). */
    where: string;
}

/** Names whose value is by convention a bare host or port, never a URL (`REDIS_HOST=master.….cache.amazonaws.com` is right). */
const HOST_PART_TOKENS = new Set(["HOST", "HOSTNAME", "PORT", "SERVER_NAME"]);

function namedLikeHostPart(name: string): boolean {
    return nameTokens(name).some((t) => HOST_PART_TOKENS.has(t));
}

/** True when a value stored under `name` should be checked as a Redis URL. */
export function isRedisValue(name: string | undefined, value: unknown): boolean {
    if (name !== undefined && looksLikeRedisSetting(name)) return true;
    return typeof value === "string" && looksLikeElastiCacheHost(value) && !(name !== undefined && namedLikeHostPart(name));
}

/**
 * The Redis values stored in a resource's inputs/outputs, by resource type. Container environment of
 * task definitions (raw and awsx); `value`/`insecureValue` of an SSM parameter named like a Redis URL
 * (or holding an ElastiCache host); `secretString` of a secret version that is such a value, or a
 * JSON object with such keys. Unknown values are returned only where the name says "Redis URL".
 * `undefined` containers (unknown `containerDefinitions`) are returned as `{ unknownContainers }`.
 */
export function redisValuesOf(type: string, props: Record<string, unknown>): { values: RedisValue[]; unknownContainers?: string } {
    const values: RedisValue[] = [];
    if (type === TYPES.ssmParameter) {
        const name = asString(field(props, "name"));
        for (const key of ["value", "insecureValue"]) {
            const raw = field(props, key);
            const value = asString(raw);
            if (value === undefined) continue;
            const named = typeof name === "string" && looksLikeRedisSetting(name);
            if (value === UNKNOWN ? named : isRedisValue(typeof name === "string" ? name : undefined, value)) {
                values.push({
                    path: key,
                    value,
                    property: key,
                    where: `SSM parameter ${typeof name === "string" ? `\`${name}\`` : "(name unknown)"}`,
                });
            }
        }
        return { values };
    }
    if (type === TYPES.secretVersion) {
        const raw = asString(field(props, "secretString"));
        const secretName = secretNameOfId(field(props, "secretId"));
        const named = secretName !== undefined && looksLikeRedisSetting(secretName);
        const where = `secret ${secretName !== undefined ? `\`${secretName}\`` : "(id unknown)"}`;
        if (raw === UNKNOWN) {
            if (named) values.push({ path: "secretString", value: UNKNOWN, property: "secretString", where });
            return { values };
        }
        if (typeof raw !== "string") return { values };
        let parsed: unknown;
        try {
            parsed = raw.trim().startsWith("{") ? JSON.parse(raw) : undefined;
        } catch {
            parsed = undefined;
        }
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
            for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
                if (typeof value === "string" && isRedisValue(key, value))
                    values.push({ path: `secretString.${key}`, value, property: "secretString", where: `key \`${key}\` of ${where}` });
            }
            return { values };
        }
        if (named || isRedisValue(undefined, raw)) values.push({ path: "secretString", value: raw, property: "secretString", where });
        return { values };
    }
    const td = readTaskDefinition(type, props);
    if (!td) return { values };
    if (td.containers.status === "unknown") return { values, unknownContainers: td.containers.field };
    if (td.containers.status !== "ok") return { values };
    const property = containersPropertyOf(type);
    for (const c of td.containers.containers) {
        const entries = environmentEntries(c);
        if (entries === UNKNOWN) continue;
        for (const e of entries) {
            if (e.name === UNKNOWN) continue;
            const value = asString(e.value);
            if (value === undefined) continue;
            if (value === UNKNOWN ? looksLikeRedisSetting(e.name) : isRedisValue(e.name, value)) {
                values.push({ path: e.path, value, property, where: `environment variable \`${e.name}\` of container '${c.name}'` });
            }
        }
    }
    return { values };
}
