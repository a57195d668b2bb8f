/**
 * A Redis connection URL that cannot be misconfigured: built from the cache's own attributes with
 * `buildRedisUrl` (`rediss://` exactly when the cache has in-transit encryption), checked with
 * `checkRedisUrl` once known, and stored in SSM Parameter Store for a service's `secrets`.
 *
 *   const redis = RedisEndpoint.fromReplicationGroup(group);
 *   const parameter = redis.toSsmParameter("api-redis-url", { name: stackParameterName(scope, "api/redis-url") });   // physical-names.ts
 *   new HealthyFargateService("api", { ..., secrets: { REDIS_URL: { ssmParameter: parameter } } });
 *
 * The rules (schemes, TLS, host/port/db, encoding) live in policies/domain/redis-url.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REDIS_DEFAULT_PORT, buildRedisUrl, checkRedisUrl, parseSecretSource } from "@healthy-fargate/domain";
import { InvalidArgumentsError } from "./errors";

/** The parts of a Redis endpoint. Plain values are checked at once; Outputs when known. */
export interface RedisEndpointArgs {
    /** Hostname or IP address only (the cache's primary endpoint address): no scheme, port or credentials. */
    readonly host: pulumi.Input<string>;
    /**
     * TCP port, 1–65535.
     * @default 6379
     */
    readonly port?: pulumi.Input<number | undefined>;
    /**
     * Database index (`SELECT`), ≥ 0. ElastiCache cluster mode supports only 0.
     * @default - none in the URL; clients use 0
     */
    readonly db?: number;
    /**
     * Whether the cache accepts only TLS: the cache's `transitEncryptionEnabled` (serverless: always).
     * Decides `rediss://` (true) or `redis://` (false); the wrong one fails every connection.
     */
    readonly tls: pulumi.Input<boolean>;
    /**
     * ACL user name (ElastiCache RBAC).
     * @default - none; the `default` user
     */
    readonly username?: pulumi.Input<string>;
    /**
     * ElastiCache AUTH token (or ACL password), percent-encoded into the URL. With it, the URL is a
     * credential: it is a Pulumi secret, and {@link RedisEndpoint.toSsmParameter} stores a `SecureString`.
     * @default - none; no AUTH
     */
    readonly authToken?: pulumi.Input<string>;
}

/** Options of {@link RedisEndpoint.fromReplicationGroup}: what the group itself does not tell. */
export interface RedisReplicationGroupOptions {
    /** @see RedisEndpointArgs.db */
    readonly db?: number;
    /** @see RedisEndpointArgs.username */
    readonly username?: pulumi.Input<string>;
    /**
     * The group's AUTH token, when it has one (the same value as its `authToken` arg).
     * @default - none; no AUTH
     */
    readonly authToken?: pulumi.Input<string>;
}

/** Args of {@link RedisEndpoint.toSsmParameter}. */
export interface RedisUrlParameterArgs {
    /** Parameter name, e.g. `/dev/api/redis-url`: letters, digits, `_.-` and `/`, not starting with `aws` or `ssm`. */
    readonly name: string;
    /**
     * KMS key of the `SecureString` (only with an AUTH token). A customer key must also be given as
     * the service's `secrets.X.kmsKeyArn` so its execution role may decrypt it.
     * @default - the AWS-managed key `aws/ssm`
     */
    readonly keyId?: pulumi.Input<string>;
    /** @default "Redis connection URL, built and checked by RedisEndpoint" */
    readonly description?: string;
    readonly tags?: Record<string, string>;
}

type Parts = { host: string; port: number; db?: number; tls: boolean; username?: string; password?: string };

/** Builds and checks the URL of plain parts; throws InvalidArgumentsError naming the arg and the fix. */
export function redisUrlOf(context: string, parts: Parts): string {
    let url: string;
    try {
        url = buildRedisUrl(parts);
    } catch (e) {
        throw new InvalidArgumentsError("RedisEndpoint", [`${context}: ${(e as Error).message}`]);
    }
    // No context: `tls` is where the URL's scheme came from, so judging the URL against it would
    // prove nothing. What the checker knows on its own still applies (serverless hosts: TLS only).
    const check = checkRedisUrl(url);
    if (!check.ok)
        throw new InvalidArgumentsError(
            "RedisEndpoint",
            check.problems.map((p) => `${context}: ${p.message} ${p.fix}`),
        );
    return url;
}

const isPlain = (value: unknown) => value === undefined || ["string", "number", "boolean"].includes(typeof value);

/**
 * A Redis endpoint and its URL. Not a resource: it registers nothing until
 * {@link toSsmParameter} is called.
 */
export class RedisEndpoint {
    /** The connection URL; a Pulumi secret when it embeds an AUTH token. */
    readonly url: pulumi.Output<string>;
    /** Whether the URL uses TLS (`rediss://`). */
    readonly tls: pulumi.Output<boolean>;
    /** Whether the URL embeds an AUTH token (then it is a credential). */
    readonly hasAuthToken: boolean;

    /**
     * @param context names the endpoint in error messages.
     */
    constructor(
        args: RedisEndpointArgs,
        readonly context = "RedisEndpoint",
    ) {
        this.hasAuthToken = args.authToken !== undefined;
        const toParts = (
            host: string,
            port: number | undefined,
            tls: boolean,
            username: string | undefined,
            password: string | undefined,
        ): Parts => ({
            host,
            port: port ?? REDIS_DEFAULT_PORT,
            tls,
            ...(args.db !== undefined ? { db: args.db } : {}),
            ...(username !== undefined ? { username } : {}),
            ...(password !== undefined ? { password } : {}),
        });
        const inputs = [args.host, args.port, args.tls, args.username, args.authToken];
        // Plain parts: fail now, before anything (a parameter, a service) is registered.
        if (inputs.every(isPlain)) {
            redisUrlOf(
                context,
                toParts(
                    args.host as string,
                    args.port as number | undefined,
                    args.tls as boolean,
                    args.username as string | undefined,
                    args.authToken as string | undefined,
                ),
            );
        }
        const url = pulumi
            .all([args.host, args.port, args.tls, args.username, args.authToken])
            .apply(([host, port, tls, username, password]) => redisUrlOf(context, toParts(host, port, tls, username, password)));
        this.url = this.hasAuthToken ? pulumi.secret(url) : url;
        this.tls = pulumi.output(args.tls);
    }

    /**
     * The endpoint of a cluster-mode-disabled replication group: its primary endpoint and port,
     * TLS from its `transitEncryptionEnabled`. A group in cluster mode has no primary endpoint:
     * the URL then uses its configuration endpoint (for a cluster-aware client) and no `db`.
     */
    static fromReplicationGroup(group: aws.elasticache.ReplicationGroup, options: RedisReplicationGroupOptions = {}): RedisEndpoint {
        const host = pulumi
            .all([group.primaryEndpointAddress, group.configurationEndpointAddress])
            .apply(([primary, configuration]) => primary || configuration || "");
        return new RedisEndpoint(
            {
                host,
                port: group.port,
                tls: group.transitEncryptionEnabled.apply((enabled) => enabled === true),
                ...options,
            },
            "RedisEndpoint.fromReplicationGroup",
        );
    }

    /**
     * Stores the URL in an SSM parameter (`String` in `insecureValue`, or `SecureString` in the
     * secret `value` when it embeds an AUTH token), for a service's `secrets: { REDIS_URL: { ssmParameter: parameter } }`. The name is
     * checked before anything is registered; the value is the checked URL, so a broken URL never
     * reaches the parameter.
     */
    toSsmParameter(resourceName: string, args: RedisUrlParameterArgs, opts?: pulumi.CustomResourceOptions): aws.ssm.Parameter {
        const parsed = parseSecretSource(args.name);
        if (parsed.kind !== "ssm-parameter-name") {
            const reason = parsed.kind === "invalid" ? parsed.reason : `\`${args.name}\` is an ARN.`;
            throw new InvalidArgumentsError("RedisEndpoint", [
                `${resourceName}: \`name\`: ${reason} Pass a parameter name such as \`/dev/api/redis-url\`.`,
            ]);
        }
        if (args.keyId !== undefined && !this.hasAuthToken) {
            throw new InvalidArgumentsError("RedisEndpoint", [
                `${resourceName}: \`keyId\` applies only to a URL with an AUTH token (stored as a SecureString); this URL holds no credential and is stored as a String.`,
            ]);
        }
        return new aws.ssm.Parameter(
            resourceName,
            {
                name: args.name,
                type: this.hasAuthToken ? "SecureString" : "String",
                // The provider always marks `value` secret; a URL without a credential is stored as
                // `insecureValue` so previews, policies and diffs can show (and check) it.
                ...(this.hasAuthToken ? { value: this.url } : { insecureValue: this.url }),
                ...(args.keyId !== undefined ? { keyId: args.keyId } : {}),
                tier: "Standard",
                dataType: "text",
                description: args.description ?? "Redis connection URL, built and checked by RedisEndpoint",
                tags: args.tags,
            },
            opts,
        );
    }
}
