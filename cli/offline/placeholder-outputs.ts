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
    return Array.from(h.subarray(0, 6), b => alphabet[b % alphabet.length]).join("");
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

/**
 * Outputs (id and state) of a resource of `type`. State starts from the inputs (what the provider
 * echoes) and adds the computed attributes policies and programs read.
 */
export function resourceOutputs(type: string, logicalName: string, inputs: Inputs, p: Placement = DEFAULT_PLACEMENT): { id: string; state: Inputs } {
    const arnOf = (service: string, resource: string, regional = true) =>
        `arn:${p.partition}:${service}:${regional ? p.region : ""}:${p.accountId}:${resource}`;
    const name = physicalName(logicalName, inputs);
    const h = shortHash(`${type}/${logicalName}`);
    const state: Inputs = { ...inputs };
    let id = `${name}`;

    switch (type) {
        case "aws:iam/role:Role":
            Object.assign(state, { name, arn: arnOf("iam", `role/${name}`, false), uniqueId: `AROA${h.toUpperCase()}` });
            break;
        case "aws:iam/policy:Policy":
            Object.assign(state, { name, arn: arnOf("iam", `policy/${name}`, false) });
            id = state.arn;
            break;
        case "aws:iam/rolePolicy:RolePolicy":
            id = `${inputs.role ?? "role"}:${name}`;
            Object.assign(state, { name });
            break;
        case "aws:cloudwatch/logGroup:LogGroup":
            Object.assign(state, { name, arn: arnOf("logs", `log-group:${name}`) });
            break;
        case "aws:ecs/cluster:Cluster":
            Object.assign(state, { name, arn: arnOf("ecs", `cluster/${name}`) });
            id = state.arn;
            break;
        case "aws:ecs/taskDefinition:TaskDefinition": {
            const family = inputs.family ?? name;
            Object.assign(state, { revision: 1, arn: arnOf("ecs", `task-definition/${family}:1`), arnWithoutRevision: arnOf("ecs", `task-definition/${family}`) });
            id = family;
            break;
        }
        case "aws:ecs/service:Service": {
            const cluster = typeof inputs.cluster === "string" ? inputs.cluster.split("/").pop() : "cluster";
            Object.assign(state, { name, arn: arnOf("ecs", `service/${cluster}/${name}`) });
            id = state.arn;
            break;
        }
        case "aws:lb/loadBalancer:LoadBalancer":
        case "aws:alb/loadBalancer:LoadBalancer": {
            const lbName = name.slice(0, 32);
            Object.assign(state, {
                name: lbName, arn: arnOf("elasticloadbalancing", `loadbalancer/app/${lbName}/${h}${h}`),
                dnsName: `${lbName}-${parseInt(h, 16) % 1_000_000_000}.${p.region}.elb.amazonaws.com`, zoneId: "Z35SXDOTRQ7X7K",
            });
            state.arnSuffix = state.arn.split(":loadbalancer/")[1];
            id = state.arn;
            break;
        }
        case "aws:lb/targetGroup:TargetGroup":
        case "aws:alb/targetGroup:TargetGroup": {
            const tgName = name.slice(0, 32);
            Object.assign(state, { name: tgName, arn: arnOf("elasticloadbalancing", `targetgroup/${tgName}/${h}${h}`) });
            state.arnSuffix = `targetgroup/${tgName}/${h}${h}`;
            id = state.arn;
            break;
        }
        // A listener's ARN embeds its load balancer's (`listener/app/<lb>/<lb-id>/<id>`), a rule's its
        // listener's: so the ALB's ARN suffix derived from a listener ARN is the ALB's real one.
        case "aws:lb/listener:Listener":
        case "aws:alb/listener:Listener": {
            const lb = typeof inputs.loadBalancerArn === "string" ? /:loadbalancer\/([a-z]+\/[^/]+\/[0-9a-f]+)$/.exec(inputs.loadBalancerArn)?.[1] : undefined;
            Object.assign(state, { arn: arnOf("elasticloadbalancing", `listener/${lb ?? `app/alb/${h}`}/${h}`) });
            id = state.arn;
            break;
        }
        case "aws:lb/listenerRule:ListenerRule":
        case "aws:alb/listenerRule:ListenerRule": {
            const listener = typeof inputs.listenerArn === "string" ? /:listener\/([a-z]+\/[^/]+\/[0-9a-f]+\/[0-9a-f]+)$/.exec(inputs.listenerArn)?.[1] : undefined;
            Object.assign(state, { arn: arnOf("elasticloadbalancing", `listener-rule/${listener ?? `app/alb/${h}/${h}`}/${h}`) });
            id = state.arn;
            break;
        }
        case "aws:lb/listenerCertificate:ListenerCertificate":
            id = `${inputs.listenerArn ?? "listener"}_${inputs.certificateArn ?? "certificate"}`;
            break;
        case "aws:ec2/securityGroup:SecurityGroup":
            Object.assign(state, { name, arn: arnOf("ec2", `security-group/sg-${h}${h.slice(0, 9)}`) });
            id = `sg-${h}${h.slice(0, 9)}`;
            break;
        case "aws:secretsmanager/secret:Secret":
            Object.assign(state, { name, arn: arnOf("secretsmanager", `secret:${name}-${secretSuffix(name)}`) });
            id = state.arn;
            break;
        case "aws:secretsmanager/secretVersion:SecretVersion":
            Object.assign(state, { arn: inputs.secretId, versionId: `v-${h}` });
            id = `${inputs.secretId}|v-${h}`;
            break;
        case "aws:ssm/parameter:Parameter": {
            const paramName: string = inputs.name ?? `/${name}`;
            Object.assign(state, { name: paramName, arn: arnOf("ssm", `parameter${paramName.startsWith("/") ? "" : "/"}${paramName}`), version: 1 });
            id = paramName;
            break;
        }
        case "aws:kms/key:Key":
            Object.assign(state, { keyId: `${h}-${h.slice(0, 4)}-${h.slice(4, 8)}`, arn: arnOf("kms", `key/${h}-${h.slice(0, 4)}`) });
            id = state.keyId;
            break;
        case "aws:elasticache/replicationGroup:ReplicationGroup": {
            const groupId: string = inputs.replicationGroupId ?? name;
            const host = `master.${groupId}.${h.slice(0, 6)}.${regionCode(p.region)}.cache.amazonaws.com`;
            Object.assign(state, {
                arn: arnOf("elasticache", `replicationgroup:${groupId}`),
                // Known and empty where the provider returns none (a preview of the existing stack knows it).
                primaryEndpointAddress: inputs.clusterMode === "enabled" ? null : host,
                readerEndpointAddress: host.replace(/^master\./, "replica."),
                configurationEndpointAddress: inputs.clusterMode === "enabled" ? `clustercfg.${groupId}.${h.slice(0, 6)}.${regionCode(p.region)}.cache.amazonaws.com` : null,
                port: inputs.port ?? 6379,
            });
            id = groupId;
            break;
        }
        case "aws:elasticache/serverlessCache:ServerlessCache": {
            const host = `${name}-${h.slice(0, 6)}.serverless.${regionCode(p.region)}.cache.amazonaws.com`;
            Object.assign(state, { arn: arnOf("elasticache", `serverlesscache:${name}`), endpoints: [{ address: host, port: 6379 }] });
            break;
        }
        case "aws:elasticache/subnetGroup:SubnetGroup":
        case "aws:rds/subnetGroup:SubnetGroup":
            Object.assign(state, { name, arn: arnOf(type.startsWith("aws:rds") ? "rds" : "elasticache", `subgrp:${name}`) });
            break;
        case "aws:rds/instance:Instance": {
            const identifier: string = inputs.identifier ?? name;
            const address = `${identifier}.c${h.slice(0, 11)}.${p.region}.rds.amazonaws.com`;
            const port = inputs.port ?? 5432;
            Object.assign(state, {
                identifier, arn: arnOf("rds", `db:${identifier}`), address, port, endpoint: `${address}:${port}`,
                masterUserSecrets: inputs.manageMasterUserPassword
                    ? [{ secretArn: arnOf("secretsmanager", `secret:rds!db-${h}-${secretSuffix(identifier)}`), kmsKeyId: arnOf("kms", `key/${h}`), secretStatus: "active" }]
                    : [],
                resourceId: `db-${h.toUpperCase()}`,
            });
            id = identifier;
            break;
        }
        case "aws:rds/cluster:Cluster": {
            const identifier: string = inputs.clusterIdentifier ?? name;
            const endpoint = `${identifier}.cluster-c${h.slice(0, 11)}.${p.region}.rds.amazonaws.com`;
            Object.assign(state, {
                clusterIdentifier: identifier, arn: arnOf("rds", `cluster:${identifier}`), endpoint,
                readerEndpoint: endpoint.replace(".cluster-", ".cluster-ro-"), port: inputs.port ?? 5432,
                masterUserSecrets: inputs.manageMasterUserPassword ? [{ secretArn: arnOf("secretsmanager", `secret:rds!cluster-${h}-${secretSuffix(identifier)}`), secretStatus: "active" }] : [],
            });
            id = identifier;
            break;
        }
        case "aws:ecr/repository:Repository":
            Object.assign(state, { name, arn: arnOf("ecr", `repository/${name}`), repositoryUrl: `${p.accountId}.dkr.ecr.${p.region}.amazonaws.com/${name}`, registryId: p.accountId });
            break;
        case "aws:sns/topic:Topic":
            Object.assign(state, { name, arn: arnOf("sns", name) });
            id = state.arn;
            break;
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            Object.assign(state, { name, arn: arnOf("cloudwatch", `alarm:${name}`) });
            break;
        case "aws:cloudwatch/dashboard:Dashboard":
            Object.assign(state, { dashboardName: inputs.dashboardName ?? name, dashboardArn: `arn:${p.partition}:cloudwatch::${p.accountId}:dashboard/${inputs.dashboardName ?? name}` });
            break;
        case "aws:acm/certificate:Certificate":
            Object.assign(state, { arn: arnOf("acm", `certificate/${h}-${h.slice(0, 4)}`) });
            id = state.arn;
            break;
        // awsx components are remote: their children are never registered offline, so their
        // outputs are synthesised here from their inputs.
        case "awsx:ec2:Vpc": {
            const azs = [`${p.region}a`, `${p.region}b`, `${p.region}c`].slice(0, inputs.numberOfAvailabilityZones ?? 2);
            Object.assign(state, {
                vpcId: `vpc-${h}${h.slice(0, 9)}`,
                publicSubnetIds: azs.map((_, i) => `subnet-pub${i}${h.slice(0, 10)}`),
                privateSubnetIds: azs.map((_, i) => `subnet-prv${i}${h.slice(0, 10)}`),
                isolatedSubnetIds: [],
                vpc: { id: `vpc-${h}${h.slice(0, 9)}`, cidrBlock: inputs.cidrBlock ?? "10.0.0.0/16" },
            });
            break;
        }
        case "awsx:lb:ApplicationLoadBalancer":
        case "awsx:lb:NetworkLoadBalancer": {
            // The outputs programs pass on: `defaultTargetGroup` (e.g. to a FargateService's
            // `portMappings[].targetGroup`) and `loadBalancer` (its DNS name). The target group keeps
            // the `defaultTargetGroup` args it was made from (the check sends inputs and outputs
            // together, outputs last), with the name and ARN awsx's child would get; policies find
            // the ALB by that ARN (policies/resources/stack.ts). Its port and protocol are left to
            // the pack, which derives them from the args as awsx does.
            const lb = resourceOutputs("aws:lb/loadBalancer:LoadBalancer", logicalName, inputs, p).state;
            const tgName = `${logicalName}-${shortHash(`${logicalName}/tg`, 7)}`.slice(0, 32);
            const tgArn = arnOf("elasticloadbalancing", `targetgroup/${tgName}/${h}${h}`);
            Object.assign(state, {
                defaultTargetGroup: { ...(inputs.defaultTargetGroup ?? {}), name: tgName, arn: tgArn, id: tgArn, arnSuffix: `targetgroup/${tgName}/${h}${h}` },
                loadBalancer: { arn: lb.arn, id: lb.arn, name: lb.name, dnsName: lb.dnsName, zoneId: lb.zoneId, arnSuffix: lb.arnSuffix },
                vpcId: `vpc-${h}${h.slice(0, 9)}`,
            });
            // awsx's default listener (port 80, HTTP) only when the program declares none: declared
            // `listener`/`listeners` args must reach the pack as written.
            if (inputs.listener === undefined && inputs.listeners === undefined) {
                state.listeners = [{ arn: `${String(lb.arn).replace(":loadbalancer/", ":listener/")}/${h}`, port: 80, protocol: "HTTP" }];
            }
            break;
        }
        case "awsx:ecs:FargateTaskDefinition":
        case "awsx:ecs:FargateService":
        case "awsx:ecs:EC2Service": {
            // `taskDefinition` (a raw service's `taskDefinition: td.taskDefinition.arn`): without it the
            // value — and with it the only link to the component — is dropped offline. Only when awsx
            // creates the task definition (a service given an existing `taskDefinition` keeps it).
            const isTaskDefinition = type === "awsx:ecs:FargateTaskDefinition";
            const creates = isTaskDefinition || inputs.taskDefinitionArgs !== undefined;
            const given = isTaskDefinition ? inputs.family : inputs.taskDefinitionArgs?.family;
            const family = given ?? `${logicalName}-${shortHash(`${type}/${logicalName}/family`)}`;
            if (creates) {
                const arnWithoutRevision = arnOf("ecs", `task-definition/${family}`);
                state.taskDefinition = { family, revision: 1, arn: `${arnWithoutRevision}:1`, arnWithoutRevision };
            }
            if (!isTaskDefinition) {
                const serviceName = physicalName(logicalName, inputs);
                const cluster = typeof inputs.cluster === "string" ? inputs.cluster.split("/").pop() : "cluster";
                const serviceArn = arnOf("ecs", `service/${cluster}/${serviceName}`);
                state.service = { name: serviceName, arn: serviceArn, id: serviceArn };
            }
            break;
        }
        case "awsx:ecr:Repository": {
            const repo = resourceOutputs("aws:ecr/repository:Repository", logicalName, inputs, p).state;
            Object.assign(state, { repository: { name: repo.name, arn: repo.arn, repositoryUrl: repo.repositoryUrl, registryId: repo.registryId }, url: repo.repositoryUrl });
            break;
        }
        case "awsx:ecr:Image":
        case "docker-build:index:Image":
        case "docker:index/image:Image": {
            // The repository the image is pushed to: awsx `repositoryUrl`, docker `imageName`, docker-build's first tag.
            const named = [inputs.repositoryUrl, inputs.imageName, Array.isArray(inputs.tags) ? inputs.tags[0] : undefined].find(v => typeof v === "string" && v !== "");
            const repo = named ? String(named).replace(/(@sha256:.*|:[^:/]+)$/, "") : `${p.accountId}.dkr.ecr.${p.region}.amazonaws.com/${logicalName}`;
            const digest = `sha256:${shortHash(`${type}/${logicalName}/image`, 64)}`;
            Object.assign(state, { imageUri: `${repo}@${digest}`, ref: `${repo}@${digest}`, repoDigest: `${repo}@${digest}`, digest });
            break;
        }
        default: {
            // Generic AWS resource: an ARN naming its service and a name, enough for links.
            const m = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):/.exec(type);
            if (m && state.arn === undefined) state.arn = arnOf(m[1], `${m[2].toLowerCase()}/${name}`);
        }
    }
    return { id, state };
}

// Data sources (provider functions) live in invoke-results.ts; re-exported for existing importers.
export { invokeResult } from "./invoke-results";
