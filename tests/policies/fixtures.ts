/**
 * A compliant baseline of every resource shape the pack reads. Tests change one field per case.
 * Resource names say the expected outcome where a fixture is meant to fail.
 */
import { type HealthContractInput, buildHealthContract, probeCommand } from "../../policies/domain";
import { TYPES, UNKNOWN_VALUE } from "../../policies/resources";
import type { StackResourceInput } from "./harness";
import { healthContractInput } from "../support/health-contract-input";

/** The value of a property that is unknown during preview, as the engine sends it. */
export const U = UNKNOWN_VALUE;

export const TD_ARN = "arn:aws:ecs:eu-west-1:123456789012:task-definition/api:7";
export const TG_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api/0123456789abcdef";

export type Json = Record<string, any>;

export function clone<T>(v: T): T {
    return JSON.parse(JSON.stringify(v)) as T;
}

/** Sets `obj.a.b.c = value` on a clone (`undefined` deletes the key). */
export function set<T extends Json>(obj: T, dotted: string, value: unknown): T {
    const copy = clone(obj);
    const keys = dotted.split(".");
    let cur: any = copy;
    for (const k of keys.slice(0, -1)) {
        if (cur[k] === undefined || cur[k] === null || typeof cur[k] !== "object") cur[k] = {};
        cur = cur[k];
    }
    const last = keys[keys.length - 1];
    if (value === undefined) delete cur[last];
    else cur[last] = value;
    return copy;
}

export function appContainer(): Json {
    return {
        name: "app",
        image: "public.ecr.aws/docker/library/python:3.12-slim",
        essential: true,
        portMappings: [{ containerPort: 8080, protocol: "tcp" }],
        healthCheck: {
            command: probeCommand("curl", { port: 8080, path: "/health/live", timeoutSeconds: 4 }),
            interval: 10,
            timeout: 5,
            retries: 3,
            startPeriod: 60,
        },
        stopTimeout: 15,
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": "/ecs/api", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "app" },
        },
    };
}

/** `aws:ecs/taskDefinition:TaskDefinition` props with `containers` JSON-encoded. */
export function taskDefinitionProps(containers: Json[] = [appContainer()], extra: Json = {}): Json {
    return {
        family: "api",
        cpu: "512",
        memory: "1024",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        arn: TD_ARN,
        revision: 7,
        containerDefinitions: JSON.stringify(containers),
        ...extra,
    };
}

export function targetGroupProps(): Json {
    return {
        arn: TG_ARN,
        port: 8080,
        protocol: "HTTP",
        targetType: "ip",
        deregistrationDelay: 15,
        healthCheck: {
            enabled: true,
            path: "/health/live",
            port: "traffic-port",
            protocol: "HTTP",
            matcher: "200-399",
            interval: 10,
            timeout: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 3,
        },
    };
}

export function serviceProps(): Json {
    return {
        name: "api",
        taskDefinition: TD_ARN,
        desiredCount: 2,
        launchType: "FARGATE",
        loadBalancers: [{ targetGroupArn: TG_ARN, containerName: "app", containerPort: 8080 }],
        healthCheckGracePeriodSeconds: 90,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        alarms: { alarmNames: ["api-5xx"], enable: true, rollback: true },
    };
}

export function logGroupProps(): Json {
    return { name: "/ecs/api", retentionInDays: 30 };
}

/** awsx FargateService inputs with one container. */
export function awsxServiceProps(container: Json = appContainer()): Json {
    return {
        desiredCount: 2,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        taskDefinitionArgs: { cpu: "512", memory: "1024", container },
    };
}

/** A health contract exactly as HealthyFargateService registers it. */
export function contract(overrides: Partial<HealthContractInput> = {}): Json {
    return clone(buildHealthContract(healthContractInput(overrides))) as Json;
}

/** The compliant stack: a service, its task definition and target group, linked by ARN and by property dependencies. */
export function baselineStack(change: { td?: Json; tg?: Json; service?: Json } = {}): StackResourceInput[] {
    return [
        { key: "td", type: TYPES.taskDefinition, name: "api-task", props: change.td ?? taskDefinitionProps() },
        { key: "tg", type: TYPES.lbTargetGroup, name: "api-tg", props: change.tg ?? targetGroupProps() },
        {
            key: "svc",
            type: TYPES.service,
            name: "api-service",
            props: change.service ?? serviceProps(),
            dependsOn: ["td", "tg"],
            propertyDependencies: { taskDefinition: ["td"], loadBalancers: ["tg"] },
        },
    ];
}

/**
 * HealthyFargateService and its children, as a preview of a new stack sees them: ARNs and
 * `containerDefinitions` unknown, the contract known.
 */
export function componentPreviewStack(c: Json = contract()): StackResourceInput[] {
    const t = c.timings;
    return [
        { key: "cmp", type: TYPES.healthyFargateService, name: "api", props: { healthContract: c } },
        {
            key: "td",
            type: TYPES.taskDefinition,
            name: "api-task",
            parent: "cmp",
            props: taskDefinitionProps([], { containerDefinitions: U, arn: U, revision: U }),
        },
        {
            key: "tg",
            type: TYPES.lbTargetGroup,
            name: "api-tg",
            parent: "cmp",
            props: {
                arn: U,
                port: 8080,
                protocol: "HTTP",
                targetType: "ip",
                deregistrationDelay: t.deregistrationDelay,
                healthCheck: {
                    enabled: true,
                    protocol: "HTTP",
                    path: c.probe.livenessPath,
                    port: "traffic-port",
                    matcher: c.probe.matcher,
                    ...t.alb,
                },
            },
        },
        {
            key: "svc",
            type: TYPES.service,
            name: "api-service",
            parent: "cmp",
            props: {
                ...serviceProps(),
                taskDefinition: U,
                loadBalancers: [{ targetGroupArn: U, containerName: "app", containerPort: 8080 }],
                healthCheckGracePeriodSeconds: t.healthCheckGracePeriodSeconds,
                alarms: undefined,
            },
            dependsOn: ["td", "tg"],
            propertyDependencies: { taskDefinition: ["td"], loadBalancers: ["tg"] },
        },
    ];
}

// ---------------------------------------------------------------------------------------------
// Secrets, Redis, databases and image builds (the policies that follow links between resources)
// ---------------------------------------------------------------------------------------------

export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";
export const EXEC_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/api-execution`;
export const DB_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:api/db-password-AbCdEf`;
export const REDIS_PARAM_ARN = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/dev/api/redis-url`;
export const REDIS_HOST = `master.api-cache.abc123.euw1.cache.amazonaws.com`;
export const DB_HOST = `api-db.cabc123def45.${REGION}.rds.amazonaws.com`;

/** The API container with secrets, Redis and database settings, all compliant. */
export function wiredContainer(): Json {
    return {
        ...appContainer(),
        environment: [
            { name: "DATABASE_HOST", value: DB_HOST },
            { name: "DATABASE_NAME", value: "app" },
            { name: "LOG_LEVEL", value: "info" },
        ],
        secrets: [
            { name: "DATABASE_PASSWORD", valueFrom: `${DB_SECRET_ARN}:password::` },
            { name: "REDIS_URL", valueFrom: REDIS_PARAM_ARN },
        ],
    };
}

export function executionPolicy(
    statements: Json[] = [
        { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [DB_SECRET_ARN] },
        { Effect: "Allow", Action: "ssm:GetParameters", Resource: REDIS_PARAM_ARN },
    ],
): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * A compliant stack: task definition with secrets, its execution role and role policy, the
 * secret, the Redis parameter and cache, the database. Keys: td, role, rolePolicy, secret, param, cache, db.
 */
export function wiredStack(
    change: { td?: Json; role?: Json; rolePolicy?: Json; secret?: Json; param?: Json; cache?: Json; db?: Json } = {},
): StackResourceInput[] {
    return [
        {
            key: "role",
            type: TYPES.iamRole,
            name: "api-execution",
            props: change.role ?? { name: "api-execution", arn: EXEC_ROLE_ARN, assumeRolePolicy: "{}" },
        },
        {
            key: "rolePolicy",
            type: TYPES.iamRolePolicy,
            name: "api-execution",
            props: change.rolePolicy ?? { role: "api-execution", policy: executionPolicy() },
            propertyDependencies: { role: ["role"] },
        },
        { key: "secret", type: TYPES.secret, name: "db-password", props: change.secret ?? { name: "api/db-password", arn: DB_SECRET_ARN } },
        {
            key: "param",
            type: TYPES.ssmParameter,
            name: "redis-url",
            props: change.param ?? {
                name: "/dev/api/redis-url",
                type: "String",
                value: `rediss://${REDIS_HOST}:6379`,
                arn: REDIS_PARAM_ARN,
            },
            propertyDependencies: { value: ["cache"] },
        },
        {
            key: "cache",
            type: TYPES.replicationGroup,
            name: "api-cache",
            props: change.cache ?? {
                transitEncryptionEnabled: true,
                primaryEndpointAddress: REDIS_HOST,
                readerEndpointAddress: REDIS_HOST.replace("master.", "replica."),
                port: 6379,
            },
        },
        {
            key: "db",
            type: TYPES.rdsInstance,
            name: "api-db",
            props: change.db ?? { engine: "postgres", dbName: "app", address: DB_HOST, endpoint: `${DB_HOST}:5432`, port: 5432 },
        },
        {
            key: "td",
            type: TYPES.taskDefinition,
            name: "api-task",
            props: change.td ?? taskDefinitionProps([wiredContainer()], { executionRoleArn: EXEC_ROLE_ARN }),
            propertyDependencies: { executionRoleArn: ["role"], containerDefinitions: ["db", "param"] },
        },
    ];
}

// ---------------------------------------------------------------------------------------------
// Networks: a VPC with a private subnet behind a NAT gateway, security groups, an ALB in front of
// the service, and a database the tasks use (the reachability policies)
// ---------------------------------------------------------------------------------------------

export const VPC_ID = "vpc-0abc";
export const SUBNET_ID = "subnet-0priv";
export const TASK_SG = "sg-0tasks";
export const DB_SG = "sg-0db";
export const ALB_SG = "sg-0alb";
export const LB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/web/0123456789abcdef`;
const ec2Arn = (kind: string, id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${kind}/${id}`;

/** A security group with inline rules (an `egress` allow-all by default). */
export function securityGroupProps(
    id: string,
    ingress: Json[] = [],
    egress: Json[] = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
): Json {
    return { vpcId: VPC_ID, arn: ec2Arn("security-group", id), ingress, egress };
}

/**
 * A compliant networked stack: vpc, subnet, rt (route table with a NAT route), rta, tasksSg, dbSg,
 * dbIngress (aws:vpc ingress rule tasks → db on 5432), db, albSg, lb, listener, tg, td, svc.
 * `change` replaces a resource's props by key; `drop` removes resources.
 */
export function networkStack(change: Record<string, Json> = {}, drop: string[] = []): StackResourceInput[] {
    const container = { ...appContainer(), environment: [{ name: "DATABASE_HOST", value: DB_HOST }] };
    const all: StackResourceInput[] = [
        { key: "vpc", type: "aws:ec2/vpc:Vpc", name: "main", props: { cidrBlock: "10.0.0.0/16", arn: ec2Arn("vpc", VPC_ID) } },
        {
            key: "subnet",
            type: "aws:ec2/subnet:Subnet",
            name: "private-a",
            props: { vpcId: VPC_ID, cidrBlock: "10.0.1.0/24", arn: ec2Arn("subnet", SUBNET_ID) },
        },
        {
            key: "rt",
            type: "aws:ec2/routeTable:RouteTable",
            name: "private-a",
            props: {
                vpcId: VPC_ID,
                arn: ec2Arn("route-table", "rtb-0priv"),
                routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-0abc" }],
            },
        },
        {
            key: "rta",
            type: "aws:ec2/routeTableAssociation:RouteTableAssociation",
            name: "private-a",
            props: { subnetId: SUBNET_ID, routeTableId: "rtb-0priv" },
        },
        {
            key: "tasksSg",
            type: "aws:ec2/securityGroup:SecurityGroup",
            name: "api-tasks",
            props: securityGroupProps(TASK_SG, [{ protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: [ALB_SG] }]),
        },
        { key: "dbSg", type: "aws:ec2/securityGroup:SecurityGroup", name: "api-db", props: securityGroupProps(DB_SG, [], []) },
        {
            key: "dbIngress",
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            name: "api-db-from-tasks",
            props: { securityGroupId: DB_SG, referencedSecurityGroupId: TASK_SG, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
        },
        {
            key: "db",
            type: TYPES.rdsInstance,
            name: "api-db",
            props: {
                engine: "postgres",
                engineVersion: "16",
                dbName: "app",
                address: DB_HOST,
                endpoint: `${DB_HOST}:5432`,
                port: 5432,
                vpcSecurityGroupIds: [DB_SG],
            },
        },
        {
            key: "albSg",
            type: "aws:ec2/securityGroup:SecurityGroup",
            name: "web-alb",
            props: securityGroupProps(ALB_SG, [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }]),
        },
        {
            key: "lb",
            type: "aws:lb/loadBalancer:LoadBalancer",
            name: "web",
            props: { loadBalancerType: "application", securityGroups: [ALB_SG], arn: LB_ARN },
        },
        {
            key: "listener",
            type: "aws:lb/listener:Listener",
            name: "web-http",
            props: { loadBalancerArn: LB_ARN, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }] },
        },
        { key: "tg", type: TYPES.lbTargetGroup, name: "api-tg", props: targetGroupProps() },
        { key: "td", type: TYPES.taskDefinition, name: "api-task", props: taskDefinitionProps([container]) },
        {
            key: "svc",
            type: TYPES.service,
            name: "api-service",
            props: { ...serviceProps(), networkConfiguration: { subnets: [SUBNET_ID], securityGroups: [TASK_SG], assignPublicIp: false } },
            dependsOn: ["td", "tg"],
            propertyDependencies: { taskDefinition: ["td"], loadBalancers: ["tg"] },
        },
    ];
    return all.filter((r) => !drop.includes(r.key)).map((r) => (change[r.key] ? { ...r, props: change[r.key] } : r));
}
