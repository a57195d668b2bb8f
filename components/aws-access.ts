/**
 * Which AWS account, region and endpoints a component's own AWS calls (the rollout verification)
 * must use: the same as the AWS provider that creates the component's resources.
 *
 * - An explicit provider (`provider`/`providers` resource option, or inherited from a parent)
 *   configures itself from its own args only; the engine records a provider's args as its outputs
 *   (pulumi/pulumi, pkg/resource/deploy/providers/registry.go, `Create` returns the provider's
 *   inputs as its properties), and `@pulumi/aws`'s `Provider` sends list and object args as JSON
 *   strings (`assumeRoles`, `endpoints`). So the component reads them from the provider resource.
 * - The default provider configures itself from the stack config `aws:*`.
 *
 * What is read: `region`, `profile`, `assumeRoles` (a chain, assumed in order; `assumeRole`, the
 * single role of older stacks, too), `endpoints` (`ecs`, `elbv2`, `cloudwatchlogs`/`logs`, `sts`),
 * and static keys (`accessKey`/`secretKey`/`token`, kept secret). Not read: shared config/credentials
 * file paths, web-identity and other provider settings; with those, the SDK's own chain applies.
 *
 * The result is plain data, because the verification's dynamic provider is serialized with its
 * inputs (no Output or Resource may be captured).
 */
import * as pulumi from "@pulumi/pulumi";

/** One role of an assume-role chain, as the provider's `assumeRoles` entries. */
export interface AwsAssumeRole {
    roleArn: string;
    sessionName?: string;
    externalId?: string;
    /** Seconds (the provider's `duration` is a Go duration such as "1h"). */
    durationSeconds?: number;
    policy?: string;
    policyArns?: string[];
    sourceIdentity?: string;
    tags?: Record<string, string>;
    transitiveTagKeys?: string[];
}

/** Plain settings for building SDK clients (see aws-clients.ts). */
export interface AwsAccess {
    /** Where the settings come from, for messages: `provider "x"` or `stack config`. */
    source: string;
    region?: string;
    profile?: string;
    /** Assumed in order: the first with the base credentials, each next with the previous role's. */
    assumeRoles: AwsAssumeRole[];
    endpoints: { ecs?: string; elbv2?: string; logs?: string; sts?: string };
}

/** Static keys of a provider or the stack config (`accessKey`, `secretKey`, `token`). */
export interface AwsStaticCredentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}

/** Raw values as a provider's outputs or the stack config hold them (strings, JSON strings or objects). */
export interface RawAwsSettings {
    region?: unknown;
    profile?: unknown;
    assumeRoles?: unknown;
    assumeRole?: unknown;
    endpoints?: unknown;
}

const ENDPOINT_KEYS: Record<keyof AwsAccess["endpoints"], readonly string[]> = {
    ecs: ["ecs"],
    elbv2: ["elbv2"],
    logs: ["cloudwatchlogs", "cloudwatchlog", "logs"],
    sts: ["sts"],
};

function parsed(value: unknown): unknown {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** Seconds of a Go duration (`"1h"`, `"15m"`, `"1h30m"`, `"900s"`); `undefined` when it is none. */
export function goDurationSeconds(value: unknown): number | undefined {
    if (typeof value !== "string" || !/^(\d+(\.\d+)?(h|m|s))+$/.test(value)) return undefined;
    const unit: Record<string, number> = { h: 3600, m: 60, s: 1 };
    return Math.round([...value.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0));
}

function assumeRole(raw: unknown): AwsAssumeRole | undefined {
    if (!raw || typeof raw !== "object") return undefined;
    const r = raw as Record<string, unknown>;
    const roleArn = text(r.roleArn);
    if (!roleArn) return undefined;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined);
    const role: AwsAssumeRole = { roleArn };
    const optional: Partial<AwsAssumeRole> = {
        sessionName: text(r.sessionName),
        externalId: text(r.externalId),
        durationSeconds: goDurationSeconds(r.duration),
        policy: text(r.policy),
        policyArns: strings(r.policyArns),
        sourceIdentity: text(r.sourceIdentity),
        tags: r.tags && typeof r.tags === "object" ? (r.tags as Record<string, string>) : undefined,
        transitiveTagKeys: strings(r.transitiveTagKeys),
    };
    for (const [key, value] of Object.entries(optional)) if (value !== undefined) (role as unknown as Record<string, unknown>)[key] = value;
    return role;
}

/** The endpoints the verification calls, from the provider's `endpoints` list of `{ <service>: url }`. */
function endpoints(raw: unknown): AwsAccess["endpoints"] {
    const list = Array.isArray(raw) ? raw : raw && typeof raw === "object" ? [raw] : [];
    const found: AwsAccess["endpoints"] = {};
    for (const entry of list) {
        if (!entry || typeof entry !== "object") continue;
        for (const [key, aliases] of Object.entries(ENDPOINT_KEYS) as Array<[keyof AwsAccess["endpoints"], readonly string[]]>) {
            const url = aliases.map((a) => text((entry as Record<string, unknown>)[a])).find(Boolean);
            if (url && found[key] === undefined) found[key] = url;
        }
    }
    return found;
}

/** Plain access settings from raw provider outputs or stack config values. Never throws. */
export function awsAccessFrom(raw: RawAwsSettings, source: string): AwsAccess {
    const roles = parsed(raw.assumeRoles);
    const single = parsed(raw.assumeRole);
    const chain = (Array.isArray(roles) ? roles : single !== undefined ? [single] : [])
        .map(assumeRole)
        .filter((r): r is AwsAssumeRole => r !== undefined);
    const access: AwsAccess = { source, assumeRoles: chain, endpoints: endpoints(parsed(raw.endpoints)) };
    const region = text(raw.region);
    const profile = text(raw.profile);
    if (region) access.region = region;
    if (profile) access.profile = profile;
    return access;
}

/** Static keys when both halves are there; `undefined` otherwise (the SDK's chain or the profile applies). */
export function staticCredentialsFrom(accessKey: unknown, secretKey: unknown, token: unknown): AwsStaticCredentials | undefined {
    const accessKeyId = text(accessKey);
    const secretAccessKey = text(secretKey);
    if (!accessKeyId || !secretAccessKey) return undefined;
    const sessionToken = text(token);
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** The output properties of a provider resource (its args, see the module comment), when it has them. */
function providerOutput(provider: pulumi.ProviderResource, key: string): pulumi.Output<unknown> {
    const value = (provider as unknown as Record<string, unknown>)[key];
    return pulumi.Output.isInstance(value) ? value : pulumi.output(undefined);
}

/**
 * The access settings and static credentials of the AWS provider that `resource`'s `aws:*`
 * children use: its explicit provider, else the stack config. `region` is the region that
 * provider reports (`aws.getRegion` through it), which also covers a region from the environment;
 * an explicit provider's own `region` arg comes first.
 */
export function awsAccessOf(
    resource: pulumi.Resource,
    region: pulumi.Input<string>,
): { access: pulumi.Output<AwsAccess>; credentials: pulumi.Output<AwsStaticCredentials | undefined> } {
    const provider = resource.getProvider("aws::any");
    if (provider) {
        const name = (provider as unknown as { __name?: string }).__name ?? "explicit";
        const keys = ["region", "profile", "assumeRoles", "assumeRole", "endpoints"] as const;
        const outputs = keys.map((k) => providerOutput(provider, k));
        const access = pulumi
            .all([region, ...outputs])
            .apply(([reported, own, profile, assumeRoles, single, eps]) =>
                awsAccessFrom(
                    { region: text(own) ?? reported, profile, assumeRoles, assumeRole: single, endpoints: eps },
                    `provider "${name}"`,
                ),
            );
        const credentials = pulumi
            .all(["accessKey", "secretKey", "token"].map((k) => providerOutput(provider, k)))
            .apply(([a, s, t]) => staticCredentialsFrom(a, s, t));
        return { access, credentials: pulumi.secret(credentials) };
    }
    const config = new pulumi.Config("aws");
    const keys = ["profile", "assumeRoles", "assumeRole", "endpoints"];
    const raw = Object.fromEntries(keys.map((key) => [key, config.get(key)])) as RawAwsSettings;
    const access = pulumi.output(region).apply((r) => awsAccessFrom({ ...raw, region: r }, "stack config (aws:*)"));
    const credentials = pulumi
        .all([config.getSecret("accessKey"), config.getSecret("secretKey"), config.getSecret("token")])
        .apply(([a, s, t]) => staticCredentialsFrom(a, s, t));
    return { access, credentials: pulumi.secret(credentials) };
}
