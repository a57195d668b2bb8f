/**
 * Data stores (RDS instances and clusters, ElastiCache replication groups, clusters and serverless
 * caches) and the settings that wire containers to them: `environment` values and `secrets` whose
 * stored value (an SSM parameter's `value`/`insecureValue`, a secret version's `secretString`) is in
 * the stack. Hosts are matched by the data store's endpoint outputs; when those are unknown (a
 * preview) the property dependencies of the value say which data store it came from.
 */
import type { PolicyResource } from "@pulumi/policy";
import { hostOfSetting, isArnOfSecret, parseSecretSource } from "../domain/index";
import { type SecretEntry, type TaskDefinitionSource, environmentEntries, secretEntries, sourcesOfProperty } from "./containers";
import { type ContainerView } from "./task-definitions";
import { propertyDependencies } from "./stack";
import { TYPES } from "./types";
import { NET_TYPES } from "./types-network";
import { UNKNOWN, type Unknown, asArray, asNumberValue, asString, field, rawProps } from "./values";

export const DATA_STORE_TYPES: readonly string[] = [
    TYPES.rdsInstance,
    TYPES.rdsCluster,
    TYPES.replicationGroup,
    NET_TYPES.elasticacheCluster,
    TYPES.serverlessCache,
];

export interface DataStoreView {
    resource: PolicyResource;
    /** `engine` as written (`postgres`, `aurora-postgresql`, `redis`, `valkey`, `memcached`, …); unknown or unset stays so. */
    engine: string | Unknown | undefined;
    /** Known endpoint hosts, lower case. */
    hosts: string[];
    /** True when some endpoint output is unknown (or none is known). */
    hostsUnknown: boolean;
    /** `port` as set; the engine's default applies when unset (see `defaultPortOf`). */
    port: number | Unknown | undefined;
    /** The input holding its security groups, and their values (`undefined` = unset: the VPC's default group). */
    securityGroupsProperty: string;
    securityGroups: unknown[] | Unknown | undefined;
}

const HOST_KEYS: Record<string, string[]> = {
    [TYPES.rdsInstance]: ["address", "endpoint"],
    [TYPES.rdsCluster]: ["endpoint", "readerEndpoint"],
    [TYPES.replicationGroup]: ["primaryEndpointAddress", "readerEndpointAddress", "configurationEndpointAddress"],
    [NET_TYPES.elasticacheCluster]: ["clusterAddress", "configurationEndpoint"],
};

/** Endpoint hosts of a data store: known ones, and whether any is unknown. */
function hostsOf(resource: PolicyResource, props: Record<string, unknown>): { hosts: string[]; unknown: boolean } {
    const hosts: string[] = [];
    let unknown = false;
    const add = (v: unknown) => {
        const s = asString(v);
        if (s === UNKNOWN) unknown = true;
        else if (typeof s === "string" && s !== "") hosts.push(hostOfSetting(s));
    };
    for (const key of HOST_KEYS[resource.type] ?? []) add(field(props, key));
    const lists =
        resource.type === TYPES.serverlessCache
            ? ["endpoints", "readerEndpoints"]
            : resource.type === NET_TYPES.elasticacheCluster
              ? ["cacheNodes"]
              : [];
    for (const key of lists) {
        const list = asArray(field(props, key));
        if (list === UNKNOWN) unknown = true;
        else for (const e of list ?? []) add(field(e, "address"));
    }
    return { hosts, unknown: unknown || hosts.length === 0 };
}

/** Reads a data store; `undefined` for other types. */
export function readDataStore(resource: PolicyResource): DataStoreView | undefined {
    if (!DATA_STORE_TYPES.includes(resource.type)) return undefined;
    const props = rawProps(resource.props);
    const { hosts, unknown } = hostsOf(resource, props);
    const sgKey = resource.type === TYPES.rdsInstance || resource.type === TYPES.rdsCluster ? "vpcSecurityGroupIds" : "securityGroupIds";
    const sgs = asArray(field(props, sgKey));
    const port = asNumberValue(field(props, "port"));
    return {
        resource,
        engine: asString(field(props, "engine")),
        hosts,
        hostsUnknown: unknown,
        port,
        securityGroupsProperty: sgKey,
        securityGroups: sgs,
    };
}

/** The data stores of a stack. */
export function dataStores(resources: readonly PolicyResource[]): DataStoreView[] {
    return resources.map(readDataStore).filter((d): d is DataStoreView => d !== undefined);
}

/** One setting a container gets: an `environment` value, or the stored value behind a `secrets` entry. */
export interface ContainerSetting {
    name: string;
    /** The value (a string or UNKNOWN); for a secret, the value stored in the parameter or secret version. */
    value: string | Unknown;
    /** Field path in the task definition's inputs. */
    path: string;
    /** Where the value came from, for messages. */
    where: string;
    /** Resource and input property whose property dependencies explain the value. */
    holder: PolicyResource;
    property: string;
}

/** The SSM parameter or secret version in the stack that stores the value of a `secrets` entry. */
function storedValueOf(entry: SecretEntry, resources: readonly PolicyResource[]): Omit<ContainerSetting, "name" | "path"> | undefined {
    const source = parseSecretSource(entry.valueFrom);
    if (source.kind === "ssm-parameter-arn" || source.kind === "ssm-parameter-name") {
        const wanted = source.kind === "ssm-parameter-arn" ? source.parameterPath : source.parameterName.replace(/^\//, "");
        const parameter = resources.find((r) => {
            if (r.type !== TYPES.ssmParameter) return false;
            const p = rawProps(r.props);
            const name = asString(field(p, "name"));
            return field(p, "arn") === entry.valueFrom || (typeof name === "string" && name.replace(/^\//, "") === wanted);
        });
        if (!parameter) return undefined;
        const p = rawProps(parameter.props);
        for (const key of ["value", "insecureValue"]) {
            const v = asString(field(p, key));
            if (v !== undefined) return { value: v, where: `SSM parameter '${parameter.name}'`, holder: parameter, property: key };
        }
        return undefined;
    }
    if (source.kind !== "secretsmanager" || source.jsonKey !== undefined) return undefined;
    const version = resources.find((r) => {
        if (r.type !== TYPES.secretVersion) return false;
        const secretId = field(rawProps(r.props), "secretId");
        if (isArnOfSecret(secretId, source)) return true;
        const secret = propertyDependencies(r, "secretId").find((s) => s.type === TYPES.secret);
        return secret !== undefined && isArnOfSecret(field(rawProps(secret.props), "arn"), source);
    });
    if (!version) return undefined;
    const v = asString(field(rawProps(version.props), "secretString"));
    return v === undefined ? undefined : { value: v, where: `secret version '${version.name}'`, holder: version, property: "secretString" };
}

/** Every environment value and every stored secret value of a container (unknown names and non-string values left out). */
export function containerSettings(
    source: TaskDefinitionSource,
    c: ContainerView,
    resources: readonly PolicyResource[],
): ContainerSetting[] | Unknown {
    const env = environmentEntries(c);
    const secrets = secretEntries(c);
    if (env === UNKNOWN || secrets === UNKNOWN) return UNKNOWN;
    const out: ContainerSetting[] = [];
    for (const e of env) {
        const value = asString(e.value);
        if (e.name === UNKNOWN || value === undefined) continue;
        out.push({
            name: e.name,
            value,
            path: e.path,
            where: `environment variable \`${e.name}\` of container '${c.name}'`,
            holder: source.resource,
            property: source.containersProperty,
        });
    }
    for (const s of secrets) {
        if (s.name === UNKNOWN) continue;
        const stored = storedValueOf(s, resources);
        if (stored)
            out.push({
                ...stored,
                name: s.name,
                path: `${s.path}.valueFrom`,
                where: `secret \`${s.name}\` of container '${c.name}' (${stored.where})`,
            });
    }
    return out;
}

/** The data store a host names: by endpoint, else the single data store with unknown endpoints that feeds the value. */
export function dataStoreOfHost(
    host: string,
    stores: DataStoreView[],
    setting: Pick<ContainerSetting, "holder" | "property">,
): DataStoreView | undefined {
    const byHost = stores.find((s) => s.hosts.includes(host.toLowerCase()));
    if (byHost) return byHost;
    const feeding = sourcesOfProperty(setting.holder, setting.property, DATA_STORE_TYPES);
    const pending = stores.filter((s) => s.hostsUnknown && feeding.includes(s.resource));
    return pending.length === 1 ? pending[0] : undefined;
}
