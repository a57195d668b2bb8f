import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { rdsIdentifier } from "../physical-names";
import type { StackConfig } from "./config";
import { allowClient } from "./ingress";

export interface PlatformDatabaseArgs {
    vpcId: pulumi.Input<string>;
    /** Private subnets of the instance. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    settings: StackConfig["database"];
    /** Production-like: deletion protection and a final snapshot (`<project>-<stack>-<name>-postgres-final`). */
    productionLike: boolean;
    tags?: Record<string, string>;
}

const POSTGRES_PORT = 5432;

/**
 * PostgreSQL on RDS: encrypted storage, private subnets, reachable on 5432 only from the security
 * groups given to {@link allowFrom}. RDS generates the master password and keeps it in Secrets
 * Manager (`manageMasterUserPassword`), so it never passes through the program or its state;
 * services read it from `instance.masterUserSecrets[0].secretArn` (JSON key `password`).
 *
 * Caveat: RDS rotates a managed master password (every 7 days by default), while ECS injects
 * secrets only at task start. Running tasks keep the old password until they are replaced, so
 * the app must re-read the secret (or the service be redeployed) after a rotation; a dedicated
 * application user with its own secret avoids this for the app.
 */
export class PlatformDatabase extends pulumi.ComponentResource {
    readonly instance: aws.rds.Instance;
    readonly securityGroupId: pulumi.Output<string>;

    constructor(
        private readonly baseName: string,
        args: PlatformDatabaseArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("healthy-fargate:database:PlatformDatabase", baseName, {}, opts);
        const parent = { parent: this };
        const scope = { project: pulumi.getProject(), stack: pulumi.getStack() };
        const s = args.settings;
        const subnetGroup = new aws.rds.SubnetGroup(
            `${baseName}-postgres`,
            {
                description: `PostgreSQL of ${baseName}: private subnets`,
                subnetIds: args.subnetIds,
                tags: args.tags,
            },
            parent,
        );
        const securityGroup = new aws.ec2.SecurityGroup(
            `${baseName}-postgres`,
            {
                vpcId: args.vpcId,
                description: `PostgreSQL of ${baseName}: ${POSTGRES_PORT} from allowed task security groups only`,
                tags: args.tags,
            },
            parent,
        );
        this.instance = new aws.rds.Instance(
            `${baseName}-postgres`,
            {
                engine: "postgres",
                engineVersion: s.engineVersion,
                instanceClass: s.instanceClass,
                allocatedStorage: s.allocatedStorage,
                ...(s.maxAllocatedStorage !== undefined ? { maxAllocatedStorage: s.maxAllocatedStorage } : {}),
                storageType: "gp3",
                storageEncrypted: true,
                dbName: s.name,
                username: s.username,
                manageMasterUserPassword: true,
                port: POSTGRES_PORT,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [securityGroup.id],
                publiclyAccessible: false,
                multiAz: s.multiAz,
                backupRetentionPeriod: s.backupRetentionDays,
                autoMinorVersionUpgrade: true,
                copyTagsToSnapshot: true,
                deletionProtection: args.productionLike,
                skipFinalSnapshot: !args.productionLike,
                // Project and stack in the name: a second stack's final snapshot must not collide with this one's.
                ...(args.productionLike ? { finalSnapshotIdentifier: rdsIdentifier(scope, `${baseName}-postgres-final`) } : {}),
                tags: args.tags,
            },
            parent,
        );
        this.securityGroupId = securityGroup.id;
        this.registerOutputs({ securityGroupId: this.securityGroupId, address: this.instance.address });
    }

    /** Lets `client` (e.g. a service's task security group) reach 5432. A separate rule, so there is no cycle. */
    allowFrom(client: string, sourceSecurityGroupId: pulumi.Input<string>): aws.vpc.SecurityGroupIngressRule {
        return allowClient({
            name: `${this.baseName}-postgres-from-${client}`,
            parent: this,
            securityGroupId: this.securityGroupId,
            sourceSecurityGroupId,
            port: POSTGRES_PORT,
            description: `PostgreSQL from ${client} tasks`,
        });
    }
}
