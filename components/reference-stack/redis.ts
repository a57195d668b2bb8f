import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REDIS_DEFAULT_PORT } from "@healthy-fargate/domain";
import { RedisEndpoint } from "../redis-endpoint";
import { allowClient } from "./ingress";

export interface PlatformRedisArgs {
    vpcId: pulumi.Input<string>;
    /** Private subnets of the cache nodes. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    nodeType: string;
    /** 1 = a single primary; 2+ adds replicas with automatic failover across AZs. */
    numCacheClusters: number;
    engineVersion: string;
    tags?: Record<string, string>;
}

/**
 * An ElastiCache Redis replication group (cluster mode off) that is encrypted in transit and at
 * rest, in private subnets, reachable on 6379 only from the security groups given to
 * {@link allowFrom}. Its URL comes from {@link endpoint} (`rediss://`, because in-transit
 * encryption is on), never from a hand-written string.
 */
export class PlatformRedis extends pulumi.ComponentResource {
    readonly replicationGroup: aws.elasticache.ReplicationGroup;
    readonly securityGroupId: pulumi.Output<string>;
    /** The cache's endpoint; `endpoint.url` is the checked `rediss://` URL. */
    readonly endpoint: RedisEndpoint;

    constructor(
        private readonly baseName: string,
        args: PlatformRedisArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("healthy-fargate:cache:PlatformRedis", baseName, {}, opts);
        const parent = { parent: this };
        const subnetGroup = new aws.elasticache.SubnetGroup(
            `${baseName}-redis`,
            {
                description: `Redis of ${baseName}: private subnets`,
                subnetIds: args.subnetIds,
                tags: args.tags,
            },
            parent,
        );
        // No inline rules: ingress is added per client with allowFrom (a client's security group
        // usually exists only after the cache, whose URL it needs), and the cache needs no egress.
        const securityGroup = new aws.ec2.SecurityGroup(
            `${baseName}-redis`,
            {
                vpcId: args.vpcId,
                description: `Redis of ${baseName}: 6379 from allowed task security groups only`,
                tags: args.tags,
            },
            parent,
        );
        const replicated = args.numCacheClusters > 1;
        this.replicationGroup = new aws.elasticache.ReplicationGroup(
            `${baseName}-redis`,
            {
                description: `Redis of ${baseName}`,
                engine: "redis",
                engineVersion: args.engineVersion,
                nodeType: args.nodeType,
                port: REDIS_DEFAULT_PORT,
                numCacheClusters: args.numCacheClusters,
                automaticFailoverEnabled: replicated,
                multiAzEnabled: replicated,
                // TLS only: clients must use rediss:// (RedisEndpoint derives it from this flag).
                transitEncryptionEnabled: true,
                atRestEncryptionEnabled: true,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: [securityGroup.id],
                autoMinorVersionUpgrade: true,
                tags: args.tags,
            },
            parent,
        );
        this.securityGroupId = securityGroup.id;
        this.endpoint = RedisEndpoint.fromReplicationGroup(this.replicationGroup);
        this.registerOutputs({
            securityGroupId: this.securityGroupId,
            primaryEndpointAddress: this.replicationGroup.primaryEndpointAddress,
        });
    }

    /**
     * Lets `client` (e.g. a service's task security group) reach 6379. A separate rule, so the
     * cache does not depend on the client, which depends on the cache's URL.
     */
    allowFrom(client: string, sourceSecurityGroupId: pulumi.Input<string>): aws.vpc.SecurityGroupIngressRule {
        return allowClient({
            name: `${this.baseName}-redis-from-${client}`,
            parent: this,
            securityGroupId: this.securityGroupId,
            sourceSecurityGroupId,
            port: REDIS_DEFAULT_PORT,
            description: `Redis from ${client} tasks`,
        });
    }
}
