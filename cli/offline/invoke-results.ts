/**
 * Offline answers to the data sources (provider functions) that ECS programs commonly call. Each
 * answer has the shape the AWS provider returns and values that trace back to the arguments (an
 * SSM parameter's value names the parameter, a secret's ARN its name), so policies can follow links
 * as in a preview. Values only AWS knows (a real target group's health check, whether a cache uses
 * TLS) are left out rather than invented. Values the provider marks secret (SSM parameter values,
 * secret strings) are returned as secrets. `iam.getPolicyDocument` is computed for real
 * (policy-document.ts). `undefined` = no offline answer: the caller makes the result unknown.
 * Pure: no Pulumi imports.
 */
import { DEFAULT_PLACEMENT, type Placement, regionCode, shortHash } from "./placeholder-outputs";
import { policyDocument } from "./policy-document";
import { secretWire } from "./wire-values";

type Inputs = Record<string, any>;
type Answer = (args: Inputs, p: Placement) => Inputs;

const arn = (p: Placement, service: string, resource: string, regional = true) =>
    `arn:${p.partition}:${service}:${regional ? p.region : ""}:${p.accountId}:${resource}`;
const str = (v: unknown, fallback: string) => (typeof v === "string" && v !== "" ? v : fallback);
const lastPart = (v: string) => v.split(/[/:]/).pop() ?? v;

function ssmParameter(name: string, p: Placement, withDecryption = true): Inputs {
    const value = `offline-ssm-parameter:${name}`;
    return {
        name,
        arn: arn(p, "ssm", `parameter${name.startsWith("/") ? "" : "/"}${name}`),
        type: "String",
        version: 1,
        value: secretWire(value),
        insecureValue: value,
        withDecryption,
        id: name,
    };
}

/** A secret's name and ARN from `arn` or `name` (Secrets Manager appends -XXXXXX to the name in the ARN). */
function secret(args: Inputs, p: Placement): { name: string; arn: string } {
    if (typeof args.arn === "string") return { name: lastPart(args.arn).replace(/-[A-Za-z0-9]{6}$/, ""), arn: args.arn };
    const name = str(args.name ?? args.secretId, "secret");
    return name.startsWith("arn:")
        ? { name: lastPart(name).replace(/-[A-Za-z0-9]{6}$/, ""), arn: name }
        : { name, arn: arn(p, "secretsmanager", `secret:${name}-${shortHash(name, 6)}`) };
}

function loadBalancer(args: Inputs, p: Placement): Inputs {
    const name = str(args.name, typeof args.arn === "string" ? (args.arn.split("/")[2] ?? "alb") : "alb");
    const h = shortHash(`lb/${name}`);
    const lbArn = str(args.arn, arn(p, "elasticloadbalancing", `loadbalancer/app/${name}/${h}${h}`));
    return {
        arn: lbArn,
        id: lbArn,
        name,
        arnSuffix: lbArn.split(":loadbalancer/")[1],
        dnsName: `${name}-${parseInt(h, 16) % 1_000_000_000}.${p.region}.elb.amazonaws.com`,
        loadBalancerType: "application",
        zoneId: "Z35SXDOTRQ7X7K",
    };
}

const ANSWERS: Record<string, Answer> = {
    "aws:index/getCallerIdentity:getCallerIdentity": (_, p) => ({
        accountId: p.accountId,
        arn: `arn:${p.partition}:iam::${p.accountId}:user/offline-check`,
        userId: "AIDAOFFLINECHECK",
        id: p.accountId,
    }),
    "aws:index/getRegion:getRegion": (_, p) => ({
        name: p.region,
        region: p.region,
        id: p.region,
        endpoint: `ec2.${p.region}.amazonaws.com`,
        description: p.region,
    }),
    "aws:index/getPartition:getPartition": (_, p) => ({
        partition: p.partition,
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
        id: p.partition,
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_, p) => ({
        names: ["a", "b", "c"].map((s) => `${p.region}${s}`),
        zoneIds: [1, 2, 3].map((i) => `${regionCode(p.region)}-az${i}`),
        id: p.region,
    }),
    "aws:ec2/getVpc:getVpc": (args, p) => {
        const id = str(args.id, "vpc-0default0000000");
        return { id, cidrBlock: "172.31.0.0/16", default: args.default ?? !args.id, arn: arn(p, "ec2", `vpc/${id}`) };
    },
    "aws:ec2/getSubnets:getSubnets": (_, p) => ({ ids: ["subnet-0default0000a", "subnet-0default0000b"], id: p.region }),
    "aws:ec2/getSecurityGroup:getSecurityGroup": (args, p) => {
        const id = str(args.id, `sg-${shortHash(`sg/${args.name ?? ""}`)}${shortHash("sg", 9)}`);
        return {
            id,
            name: str(args.name, id),
            vpcId: str(args.vpcId, "vpc-0default0000000"),
            arn: arn(p, "ec2", `security-group/${id}`),
            description: "",
        };
    },
    "aws:ssm/getParameter:getParameter": (args, p) => ssmParameter(str(args.name, "/parameter"), p, args.withDecryption ?? true),
    "aws:ssm/getParameters:getParameters": (args, p) => {
        const params = (Array.isArray(args.names) ? args.names : []).map((n: unknown) => ssmParameter(String(n), p));
        return {
            names: params.map((x: Inputs) => x.name),
            arns: params.map((x: Inputs) => x.arn),
            types: params.map(() => "String"),
            versions: params.map(() => 1),
            values: secretWire(params.map((x: Inputs) => x.insecureValue)),
            invalidParameters: [],
            id: p.region,
        };
    },
    "aws:secretsmanager/getSecret:getSecret": (args, p) => ({ ...secret(args, p), id: secret(args, p).arn, description: "", tags: {} }),
    "aws:secretsmanager/getSecretVersion:getSecretVersion": (args, p) => {
        const s = secret(args, p);
        return {
            arn: s.arn,
            secretId: str(args.secretId, s.arn),
            versionId: `v-${shortHash(s.arn)}`,
            versionStages: [str(args.versionStage, "AWSCURRENT")],
            secretString: secretWire(`offline-secret-value:${s.name}`),
            id: `${s.arn}|AWSCURRENT`,
        };
    },
    "aws:ecr/getRepository:getRepository": (args, p) => {
        const name = str(args.name, "repository");
        return {
            name,
            id: name,
            arn: arn(p, "ecr", `repository/${name}`),
            registryId: p.accountId,
            repositoryUrl: `${p.accountId}.dkr.ecr.${p.region}.amazonaws.com/${name}`,
        };
    },
    "aws:ecr/getImage:getImage": (args, p) => {
        const repo = str(args.repositoryName, "repository");
        const digest = str(args.imageDigest, `sha256:${shortHash(`${repo}:${args.imageTag ?? "latest"}`, 64)}`);
        return {
            repositoryName: repo,
            imageTag: args.imageTag,
            imageDigest: digest,
            imageUri: `${p.accountId}.dkr.ecr.${p.region}.amazonaws.com/${repo}@${digest}`,
            id: digest,
            imageTags: args.imageTag ? [args.imageTag] : [],
        };
    },
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": (_, p) => ({
        userName: "AWS",
        password: secretWire("offline-placeholder"),
        proxyEndpoint: `https://${p.accountId}.dkr.ecr.${p.region}.amazonaws.com`,
        id: p.region,
    }),
    "aws:acm/getCertificate:getCertificate": (args, p) => {
        const certArn = arn(p, "acm", `certificate/${shortHash(`acm/${args.domain ?? ""}`)}-${shortHash(String(args.domain ?? ""), 4)}`);
        return { domain: args.domain, arn: certArn, id: certArn, status: "ISSUED" };
    },
    "aws:route53/getZone:getZone": (args) => {
        const name = str(args.name, "example.com");
        const zoneId = str(args.zoneId, `Z${shortHash(`zone/${name}`).toUpperCase()}`);
        return {
            name: name.endsWith(".") ? name.slice(0, -1) : name,
            zoneId,
            id: zoneId,
            arn: `arn:aws:route53:::hostedzone/${zoneId}`,
            nameServers: [],
        };
    },
    "aws:lb/getLoadBalancer:getLoadBalancer": loadBalancer,
    "aws:lb/getListener:getListener": (args, p) => {
        const lb = loadBalancer({ arn: args.loadBalancerArn }, p);
        const listenerArn = str(args.arn, `${lb.arn.replace(":loadbalancer/", ":listener/")}/${shortHash(`listener/${args.port ?? ""}`)}`);
        return { arn: listenerArn, id: listenerArn, loadBalancerArn: lb.arn, port: args.port };
    },
    "aws:lb/getTargetGroup:getTargetGroup": (args, p) => {
        const name = str(args.name, typeof args.arn === "string" ? (args.arn.split("/")[1] ?? "target-group") : "target-group");
        const tgArn = str(
            args.arn,
            arn(p, "elasticloadbalancing", `targetgroup/${name}/${shortHash(`tg/${name}`)}${shortHash(`tg/${name}`)}`),
        );
        return { arn: tgArn, id: tgArn, name, arnSuffix: tgArn.split(":")[5] };
    },
    "aws:ecs/getCluster:getCluster": (args, p) => {
        const name = str(args.clusterName, "cluster");
        return { clusterName: name, arn: arn(p, "ecs", `cluster/${name}`), id: arn(p, "ecs", `cluster/${name}`), status: "ACTIVE" };
    },
    "aws:rds/getInstance:getInstance": (args, p) => {
        const id = str(args.dbInstanceIdentifier, "database");
        const address = `${id}.c${shortHash(`rds/${id}`, 11)}.${p.region}.rds.amazonaws.com`;
        return { dbInstanceIdentifier: id, id, address, port: 5432, endpoint: `${address}:5432`, dbInstanceArn: arn(p, "rds", `db:${id}`) };
    },
    "aws:elasticache/getReplicationGroup:getReplicationGroup": (args, p) => {
        const id = str(args.replicationGroupId, "cache");
        const host = `master.${id}.${shortHash(`cache/${id}`, 6)}.${regionCode(p.region)}.cache.amazonaws.com`;
        return {
            replicationGroupId: id,
            id,
            arn: arn(p, "elasticache", `replicationgroup:${id}`),
            primaryEndpointAddress: host,
            readerEndpointAddress: host.replace(/^master\./, "replica."),
            port: 6379,
        };
    },
    "aws:iam/getPolicyDocument:getPolicyDocument": (args) => policyDocument(args),
};

// The `aws.alb` module is an alias of `aws.lb` with its own tokens.
for (const fn of ["getLoadBalancer", "getListener", "getTargetGroup"]) ANSWERS[`aws:alb/${fn}:${fn}`] = ANSWERS[`aws:lb/${fn}:${fn}`];

/** Whether {@link invokeResult} answers `token`. */
export function hasOfflineAnswer(token: string): boolean {
    return Object.prototype.hasOwnProperty.call(ANSWERS, token);
}

/** Results of data sources that programs commonly call. `undefined` = no offline answer. */
export function invokeResult(token: string, args: Inputs, p: Placement = DEFAULT_PLACEMENT): Inputs | undefined {
    return ANSWERS[token]?.(args ?? {}, p);
}
