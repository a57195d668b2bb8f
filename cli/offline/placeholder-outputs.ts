/**
 * Placeholder outputs for resources and data sources when a program runs offline (under Pulumi's
 * mocks). They look like the real values and trace back to the resource that made them — an ARN
 * names its service, account, region and resource; an endpoint names its cache or database — so
 * policies can follow links (secret ARN → role policy, Redis URL → replication group, image URI →
 * image build) exactly as they would in a preview.
 *
 * Pure: no Pulumi imports.
 */
import { createHash } from "crypto";

export interface Placement {
    accountId: string;
    region: string;
    partition: string;
}

export const DEFAULT_PLACEMENT: Placement = { accountId: "123456789012", region: "us-east-1", partition: "aws" };

/** A short stable hash: the same program gives the same placeholders on every run. */
export function shortHash(text: string, length = 8): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Secrets Manager appends "-" and 6 random characters to a secret's name in its ARN. */
function secretSuffix(name: string): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const h = createHash("sha256").update(name).digest();
    return Array.from(h.subarray(0, 6), (b) => alphabet[b % alphabet.length]).join("");
}

/** Short region code as used in ElastiCache endpoints (us-east-1 → use1). */
export function regionCode(region: string): string {
    const m = /^([a-z]{2})-([a-z]+)-(\d+)$/.exec(region);
    return m ? `${m[1]}${m[2][0]}${m[3]}` : region;
}

type Inputs = Record<string, any>;

/**
 * The physical name Pulumi would give: the explicit `name` input, else the logical name plus a
 * suffix (auto-naming).
 */
export function physicalName(logicalName: string, inputs: Inputs, maxLength = 255): string {
    if (typeof inputs.name === "string" && inputs.name !== "") return inputs.name;
    if (typeof inputs.namePrefix === "string") return `${inputs.namePrefix}${shortHash(logicalName, 7)}`;
    return `${logicalName}-${shortHash(logicalName, 7)}`.slice(0, maxLength);
}

/** What a placeholder is made from: the resource, its inputs, where it "lives", and helpers derived once. */
interface PlaceholderContext {
    readonly type: string;
    readonly logicalName: string;
    readonly inputs: Inputs;
    readonly p: Placement;
    /** {@link physicalName} of the resource. */
    readonly name: string;
    /** A short hash of type and logical name: the random part of ids and ARNs. */
    readonly h: string;
    readonly arnOf: (service: string, resource: string, regional?: boolean) => string;
}

/** Attributes added to the echoed inputs, and the id when it is not the physical name. */
interface Placeholder {
    readonly state: Inputs;
    readonly id?: string;
}

type PlaceholderOf = (c: PlaceholderContext) => Placeholder;

/** Resources whose id is their ARN (as the provider sets it). */
const arnIsId = (state: Inputs & { arn: string }): Placeholder => ({ state, id: state.arn });

/** The ECS cluster's name at the end of a cluster ARN (or the name itself), for ARNs that embed it. */
const clusterNameIn = (cluster: unknown) => (typeof cluster === "string" ? cluster.split("/").pop() : "cluster");

/**
 * The table of placeholders by resource type: each entry reads like the provider's computed
 * attributes for that type. Types not listed get the {@link genericPlaceholder}.
 */
const PLACEHOLDERS: Record<string, PlaceholderOf> = {
    "aws:iam/role:Role": ({ name, h, arnOf }) => ({
        state: { name, arn: arnOf("iam", `role/${name}`, false), uniqueId: `AROA${h.toUpperCase()}` },
    }),
    "aws:iam/policy:Policy": ({ name, arnOf }) => arnIsId({ name, arn: arnOf("iam", `policy/${name}`, false) }),
    "aws:iam/rolePolicy:RolePolicy": ({ name, inputs }) => ({ state: { name }, id: `${inputs.role ?? "role"}:${name}` }),
    "aws:cloudwatch/logGroup:LogGroup": ({ name, arnOf }) => ({ state: { name, arn: arnOf("logs", `log-group:${name}`) } }),
    "aws:ecs/cluster:Cluster": ({ name, arnOf }) => arnIsId({ name, arn: arnOf("ecs", `cluster/${name}`) }),
    "aws:ecs/taskDefinition:TaskDefinition": ({ name, inputs, arnOf }) => {
        const family = inputs.family ?? name;
        return {
            state: {
                revision: 1,
                arn: arnOf("ecs", `task-definition/${family}:1`),
                arnWithoutRevision: arnOf("ecs", `task-definition/${family}`),
            },
            id: family,
        };
    },
    "aws:ecs/service:Service": ({ name, inputs, arnOf }) =>
        arnIsId({ name, arn: arnOf("ecs", `service/${clusterNameIn(inputs.cluster)}/${name}`) }),
    "aws:lb/loadBalancer:LoadBalancer": ({ name, h, p, arnOf }) => {
        const lbName = name.slice(0, 32);
        const arn = arnOf("elasticloadbalancing", `loadbalancer/app/${lbName}/${h}${h}`);
        return arnIsId({
            name: lbName,
            arn,
            dnsName: `${lbName}-${parseInt(h, 16) % 1_000_000_000}.${p.region}.elb.amazonaws.com`,
            zoneId: "Z35SXDOTRQ7X7K",
            arnSuffix: arn.split(":loadbalancer/")[1],
        });
    },
    "aws:lb/targetGroup:TargetGroup": ({ name, h, arnOf }) => {
        const tgName = name.slice(0, 32);
        return arnIsId({
            name: tgName,
            arn: arnOf("elasticloadbalancing", `targetgroup/${tgName}/${h}${h}`),
            arnSuffix: `targetgroup/${tgName}/${h}${h}`,
        });
    },
    // A listener's ARN embeds its load balancer's (`listener/app/<lb>/<lb-id>/<id>`), a rule's its
    // listener's: so the ALB's ARN suffix derived from a listener ARN is the ALB's real one.
    "aws:lb/listener:Listener": ({ inputs, h, arnOf }) => {
        const lb =
            typeof inputs.loadBalancerArn === "string"
                ? /:loadbalancer\/([a-z]+\/[^/]+\/[0-9a-f]+)$/.exec(inputs.loadBalancerArn)?.[1]
                : undefined;
        return arnIsId({ arn: arnOf("elasticloadbalancing", `listener/${lb ?? `app/alb/${h}`}/${h}`) });
    },
    "aws:lb/listenerRule:ListenerRule": ({ inputs, h, arnOf }) => {
        const listener =
            typeof inputs.listenerArn === "string"
                ? /:listener\/([a-z]+\/[^/]+\/[0-9a-f]+\/[0-9a-f]+)$/.exec(inputs.listenerArn)?.[1]
                : undefined;
        return arnIsId({ arn: arnOf("elasticloadbalancing", `listener-rule/${listener ?? `app/alb/${h}/${h}`}/${h}`) });
    },
    "aws:lb/listenerCertificate:ListenerCertificate": ({ inputs }) => ({
        state: {},
        id: `${inputs.listenerArn ?? "listener"}_${inputs.certificateArn ?? "certificate"}`,
    }),
    "aws:ec2/securityGroup:SecurityGroup": ({ name, h, arnOf }) => ({
        state: { name, arn: arnOf("ec2", `security-group/sg-${h}${h.slice(0, 9)}`) },
        id: `sg-${h}${h.slice(0, 9)}`,
    }),
    "aws:secretsmanager/secret:Secret": ({ name, arnOf }) =>
        arnIsId({ name, arn: arnOf("secretsmanager", `secret:${name}-${secretSuffix(name)}`) }),
    "aws:secretsmanager/secretVersion:SecretVersion": ({ inputs, h }) => ({
        state: { arn: inputs.secretId, versionId: `v-${h}` },
        id: `${inputs.secretId}|v-${h}`,
    }),
    "aws:ssm/parameter:Parameter": ({ name, inputs, arnOf }) => {
        const paramName: string = inputs.name ?? `/${name}`;
        return {
            state: { name: paramName, arn: arnOf("ssm", `parameter${paramName.startsWith("/") ? "" : "/"}${paramName}`), version: 1 },
            id: paramName,
        };
    },
    "aws:kms/key:Key": ({ h, arnOf }) => {
        const keyId = `${h}-${h.slice(0, 4)}-${h.slice(4, 8)}`;
        return { state: { keyId, arn: arnOf("kms", `key/${h}-${h.slice(0, 4)}`) }, id: keyId };
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroupPlaceholder,
    "aws:elasticache/serverlessCache:ServerlessCache": ({ name, h, p, arnOf }) => {
        const host = `${name}-${h.slice(0, 6)}.serverless.${regionCode(p.region)}.cache.amazonaws.com`;
        return { state: { arn: arnOf("elasticache", `serverlesscache:${name}`), endpoints: [{ address: host, port: 6379 }] } };
    },
    "aws:elasticache/subnetGroup:SubnetGroup": ({ name, arnOf }) => ({ state: { name, arn: arnOf("elasticache", `subgrp:${name}`) } }),
    "aws:rds/subnetGroup:SubnetGroup": ({ name, arnOf }) => ({ state: { name, arn: arnOf("rds", `subgrp:${name}`) } }),
    "aws:rds/instance:Instance": rdsInstancePlaceholder,
    "aws:rds/cluster:Cluster": rdsClusterPlaceholder,
    "aws:ecr/repository:Repository": ({ name, p, arnOf }) => ({
        state: {
            name,
            arn: arnOf("ecr", `repository/${name}`),
            repositoryUrl: `${p.accountId}.dkr.ecr.${p.region}.amazonaws.com/${name}`,
            registryId: p.accountId,
        },
    }),
    "aws:sns/topic:Topic": ({ name, arnOf }) => arnIsId({ name, arn: arnOf("sns", name) }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ({ name, arnOf }) => ({ state: { name, arn: arnOf("cloudwatch", `alarm:${name}`) } }),
    "aws:cloudwatch/dashboard:Dashboard": ({ name, inputs, p }) => ({
        state: {
            dashboardName: inputs.dashboardName ?? name,
            dashboardArn: `arn:${p.partition}:cloudwatch::${p.accountId}:dashboard/${inputs.dashboardName ?? name}`,
        },
    }),
    "aws:acm/certificate:Certificate": ({ h, arnOf }) => arnIsId({ arn: arnOf("acm", `certificate/${h}-${h.slice(0, 4)}`) }),
    // awsx components are remote: their children are never registered offline, so their
    // outputs are synthesised here from their inputs.
    "awsx:ec2:Vpc": ({ inputs, h, p }) => {
        const azs = [`${p.region}a`, `${p.region}b`, `${p.region}c`].slice(0, inputs.numberOfAvailabilityZones ?? 2);
        return {
            state: {
                vpcId: `vpc-${h}${h.slice(0, 9)}`,
                publicSubnetIds: azs.map((_, i) => `subnet-pub${i}${h.slice(0, 10)}`),
                privateSubnetIds: azs.map((_, i) => `subnet-prv${i}${h.slice(0, 10)}`),
                isolatedSubnetIds: [],
                vpc: { id: `vpc-${h}${h.slice(0, 9)}`, cidrBlock: inputs.cidrBlock ?? "10.0.0.0/16" },
            },
        };
    },
    "awsx:lb:ApplicationLoadBalancer": awsxLoadBalancerPlaceholder,
    "awsx:lb:NetworkLoadBalancer": awsxLoadBalancerPlaceholder,
    "awsx:ecs:FargateTaskDefinition": awsxEcsPlaceholder,
    "awsx:ecs:FargateService": awsxEcsPlaceholder,
    "awsx:ecs:EC2Service": awsxEcsPlaceholder,
    "awsx:ecr:Repository": ({ logicalName, inputs, p }) => {
        const repo = resourceOutputs("aws:ecr/repository:Repository", logicalName, inputs, p).state;
        return {
            state: {
                repository: { name: repo.name, arn: repo.arn, repositoryUrl: repo.repositoryUrl, registryId: repo.registryId },
                url: repo.repositoryUrl,
            },
        };
    },
    "awsx:ecr:Image": imagePlaceholder,
    "docker-build:index:Image": imagePlaceholder,
    "docker:index/image:Image": imagePlaceholder,
};
// The `aws:alb/*` module is an alias of `aws:lb/*` in the provider: same resources, same outputs.
for (const kind of ["loadBalancer:LoadBalancer", "targetGroup:TargetGroup", "listener:Listener", "listenerRule:ListenerRule"]) {
    PLACEHOLDERS[`aws:alb/${kind}`] = PLACEHOLDERS[`aws:lb/${kind}`];
}

function replicationGroupPlaceholder({ name, inputs, h, p, arnOf }: PlaceholderContext): Placeholder {
    const groupId: string = inputs.replicationGroupId ?? name;
    const endpoint = (prefix: string) => `${prefix}.${groupId}.${h.slice(0, 6)}.${regionCode(p.region)}.cache.amazonaws.com`;
    const host = endpoint("master");
    return {
        state: {
            arn: arnOf("elasticache", `replicationgroup:${groupId}`),
            // Known and empty where the provider returns none (a preview of the existing stack knows it).
            primaryEndpointAddress: inputs.clusterMode === "enabled" ? null : host,
            readerEndpointAddress: host.replace(/^master\./, "replica."),
            configurationEndpointAddress: inputs.clusterMode === "enabled" ? endpoint("clustercfg") : null,
            port: inputs.port ?? 6379,
        },
        id: groupId,
    };
}

function rdsInstancePlaceholder({ name, inputs, h, p, arnOf }: PlaceholderContext): Placeholder {
    const identifier: string = inputs.identifier ?? name;
    const address = `${identifier}.c${h.slice(0, 11)}.${p.region}.rds.amazonaws.com`;
    const port = inputs.port ?? 5432;
    const secretArn = arnOf("secretsmanager", `secret:rds!db-${h}-${secretSuffix(identifier)}`);
    return {
        state: {
            identifier,
            arn: arnOf("rds", `db:${identifier}`),
            address,
            port,
            endpoint: `${address}:${port}`,
            masterUserSecrets: inputs.manageMasterUserPassword
                ? [{ secretArn, kmsKeyId: arnOf("kms", `key/${h}`), secretStatus: "active" }]
                : [],
            resourceId: `db-${h.toUpperCase()}`,
        },
        id: identifier,
    };
}

function rdsClusterPlaceholder({ name, inputs, h, p, arnOf }: PlaceholderContext): Placeholder {
    const identifier: string = inputs.clusterIdentifier ?? name;
    const endpoint = `${identifier}.cluster-c${h.slice(0, 11)}.${p.region}.rds.amazonaws.com`;
    const secretArn = arnOf("secretsmanager", `secret:rds!cluster-${h}-${secretSuffix(identifier)}`);
    return {
        state: {
            clusterIdentifier: identifier,
            arn: arnOf("rds", `cluster:${identifier}`),
            endpoint,
            readerEndpoint: endpoint.replace(".cluster-", ".cluster-ro-"),
            port: inputs.port ?? 5432,
            masterUserSecrets: inputs.manageMasterUserPassword ? [{ secretArn, secretStatus: "active" }] : [],
        },
        id: identifier,
    };
}

/**
 * The outputs programs pass on: `defaultTargetGroup` (e.g. to a FargateService's
 * `portMappings[].targetGroup`) and `loadBalancer` (its DNS name). The target group keeps
 * the `defaultTargetGroup` args it was made from (the check sends inputs and outputs
 * together, outputs last), with the name and ARN awsx's child would get; policies find
 * the ALB by that ARN (policies/resources/stack.ts). Its port and protocol are left to
 * the pack, which derives them from the args as awsx does.
 */
function awsxLoadBalancerPlaceholder({ logicalName, inputs, h, p, arnOf }: PlaceholderContext): Placeholder {
    const lb = resourceOutputs("aws:lb/loadBalancer:LoadBalancer", logicalName, inputs, p).state;
    const tgName = `${logicalName}-${shortHash(`${logicalName}/tg`, 7)}`.slice(0, 32);
    const tgArn = arnOf("elasticloadbalancing", `targetgroup/${tgName}/${h}${h}`);
    return {
        state: {
            defaultTargetGroup: {
                ...(inputs.defaultTargetGroup ?? {}),
                name: tgName,
                arn: tgArn,
                id: tgArn,
                arnSuffix: `targetgroup/${tgName}/${h}${h}`,
            },
            loadBalancer: { arn: lb.arn, id: lb.arn, name: lb.name, dnsName: lb.dnsName, zoneId: lb.zoneId, arnSuffix: lb.arnSuffix },
            vpcId: `vpc-${h}${h.slice(0, 9)}`,
            // awsx's default listener (port 80, HTTP) only when the program declares none: declared
            // `listener`/`listeners` args must reach the pack as written.
            ...(inputs.listener === undefined && inputs.listeners === undefined
                ? { listeners: [{ arn: `${String(lb.arn).replace(":loadbalancer/", ":listener/")}/${h}`, port: 80, protocol: "HTTP" }] }
                : {}),
        },
    };
}

/**
 * `taskDefinition` (a raw service's `taskDefinition: td.taskDefinition.arn`): without it the
 * value — and with it the only link to the component — is dropped offline. Only when awsx
 * creates the task definition (a service given an existing `taskDefinition` keeps it).
 */
function awsxEcsPlaceholder({ type, logicalName, inputs, arnOf }: PlaceholderContext): Placeholder {
    const isTaskDefinition = type === "awsx:ecs:FargateTaskDefinition";
    const creates = isTaskDefinition || inputs.taskDefinitionArgs !== undefined;
    const given = isTaskDefinition ? inputs.family : inputs.taskDefinitionArgs?.family;
    const family = given ?? `${logicalName}-${shortHash(`${type}/${logicalName}/family`)}`;
    const state: Inputs = {};
    if (creates) {
        const arnWithoutRevision = arnOf("ecs", `task-definition/${family}`);
        state.taskDefinition = { family, revision: 1, arn: `${arnWithoutRevision}:1`, arnWithoutRevision };
    }
    if (!isTaskDefinition) {
        const serviceName = physicalName(logicalName, inputs);
        const serviceArn = arnOf("ecs", `service/${clusterNameIn(inputs.cluster)}/${serviceName}`);
        state.service = { name: serviceName, arn: serviceArn, id: serviceArn };
    }
    return { state };
}

/** The repository the image is pushed to: awsx `repositoryUrl`, docker `imageName`, docker-build's first tag. */
function imagePlaceholder({ type, logicalName, inputs, p }: PlaceholderContext): Placeholder {
    const named = [inputs.repositoryUrl, inputs.imageName, Array.isArray(inputs.tags) ? inputs.tags[0] : undefined].find(
        (v) => typeof v === "string" && v !== "",
    );
    const repo = named
        ? String(named).replace(/(@sha256:.*|:[^:/]+)$/, "")
        : `${p.accountId}.dkr.ecr.${p.region}.amazonaws.com/${logicalName}`;
    const digest = `sha256:${shortHash(`${type}/${logicalName}/image`, 64)}`;
    return { state: { imageUri: `${repo}@${digest}`, ref: `${repo}@${digest}`, repoDigest: `${repo}@${digest}`, digest } };
}

/** Generic AWS resource: an ARN naming its service and a name, enough for links (unless the inputs carry one). */
function genericPlaceholder({ type, name, inputs, arnOf }: PlaceholderContext): Placeholder {
    const m = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):/.exec(type);
    return { state: m && inputs.arn === undefined ? { arn: arnOf(m[1], `${m[2].toLowerCase()}/${name}`) } : {} };
}

/**
 * Outputs (id and state) of a resource of `type`. State starts from the inputs (what the provider
 * echoes) and adds the computed attributes policies and programs read ({@link PLACEHOLDERS}).
 */
export function resourceOutputs(
    type: string,
    logicalName: string,
    inputs: Inputs,
    p: Placement = DEFAULT_PLACEMENT,
): { id: string; state: Inputs } {
    const arnOf = (service: string, resource: string, regional = true) =>
        `arn:${p.partition}:${service}:${regional ? p.region : ""}:${p.accountId}:${resource}`;
    const name = physicalName(logicalName, inputs);
    const context: PlaceholderContext = { type, logicalName, inputs, p, name, h: shortHash(`${type}/${logicalName}`), arnOf };
    const placeholder = (Object.hasOwn(PLACEHOLDERS, type) ? PLACEHOLDERS[type] : genericPlaceholder)(context);
    return { id: placeholder.id ?? name, state: { ...inputs, ...placeholder.state } };
}

// Data sources (provider functions) live in invoke-results.ts; re-exported for existing importers.
export { invokeResult } from "./invoke-results";
