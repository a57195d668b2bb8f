/**
 * Reference stack: the platform of the seed story, for any stack (`Pulumi.<stack>.yaml`).
 * An API service and an MLflow tracking server behind one ALB, in a VPC with private subnets; the
 * API uses Redis (ElastiCache, TLS) and PostgreSQL (RDS), and reads their credentials as secrets.
 *
 *   pulumi up --stack dev                       # deploy (needs the Pulumi CLI and AWS credentials)
 *   npm run check                               # offline policy verdict of the dev stack
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { type AlarmsArgs, HealthyFargateService, ServiceDashboard } from "./components";
import { stackParameterName } from "./components/physical-names";
import { PlatformDatabase } from "./components/reference-stack/database";
import { PublicEndpoint } from "./components/reference-stack/public-endpoint";
import { readStackConfig } from "./components/reference-stack/read-config";
import { PlatformRedis } from "./components/reference-stack/redis";
import { SharedAlb } from "./components/shared-alb";

const config = readStackConfig();
const stack = pulumi.getStack();
// Physical names that people look up carry project and stack: two stacks share an account safely.
const scope = { project: pulumi.getProject(), stack };

// awsx builds the VPC remotely (an opaque component is fine here: nothing in it is health-related).
const vpc = new awsx.ec2.Vpc("platform", {
    cidrBlock: config.vpcCidr,
    numberOfAvailabilityZones: config.availabilityZones,
    natGateways: { strategy: config.productionLike ? "OnePerAz" : "Single" },
});

// Container Insights with enhanced observability: task counts, deployments and container health
// (UnHealthyContainerHealthStatus) for the services' alarms and the dashboard.
const cluster = new aws.ecs.Cluster("platform", {
    settings: [{ name: "containerInsights", value: "enhanced" }],
});
// Every service gets the default alarms (derived thresholds), deployment alarms on its 5XX rate and
// unhealthy targets, and the container-health alarm the enhanced Container Insights above allows.
const alarms: AlarmsArgs = { containerInsights: "enhanced", ...(config.alarmTopicArn ? { snsTopicArn: config.alarmTopicArn } : {}) };

// HTTPS (Pulumi.prod.yaml): a certificate validated in the stack's hosted zone and an alias record
// for the ALB, so `domainName` works after `pulumi up` with nothing done by hand.
const endpoint =
    config.https && config.domainName && config.hostedZoneId
        ? new PublicEndpoint("platform", {
              domainName: config.domainName,
              hostedZoneId: config.hostedZoneId,
              certificateArn: config.certificateArn,
              tags: { stack },
          })
        : undefined;
const alb = new SharedAlb("platform", { vpcId: vpc.vpcId, publicSubnetIds: vpc.publicSubnetIds, certificateArn: endpoint?.certificateArn });
endpoint?.pointAt(alb);
// The name clients use: the certificate's domain with HTTPS, else the ALB's own DNS name.
const publicHost = endpoint && config.domainName ? config.domainName : alb.dnsName;
const listener = {
    listenerArn: alb.listenerArn,
    securityGroupId: alb.securityGroupId,
    dnsName: publicHost,
    protocol: alb.protocol,
    loadBalancerArnSuffix: alb.arnSuffix,
};
const network = { cluster: cluster.arn, vpcId: vpc.vpcId, subnetIds: vpc.privateSubnetIds };

// MLflow serves its UI and API under /mlflow (--static-prefix); /mlflow/health answers once the
// server is up, without touching the backend store, so it is a proper liveness path.
const mlflow = new HealthyFargateService("mlflow", {
    ...network,
    listener,
    routing: { priority: 10, pathPatterns: ["/mlflow", "/mlflow/*"] },
    image: config.mlflow.image,
    port: 5000,
    command: ["mlflow", "server", "--host", "0.0.0.0", "--port", "5000", "--static-prefix", "/mlflow"],
    cpu: config.mlflow.cpu,
    memory: config.mlflow.memory,
    desiredCount: config.mlflow.desiredCount,
    // The MLflow image is python:*-slim based: no curl, no wget, but python3.
    probe: { tool: config.mlflow.probeTool, livenessPath: "/mlflow/health", readinessPath: "/mlflow/version", matcher: "200,302" },
    startup: config.mlflow.startup,
    deployment: config.mlflow.deployment,
    alarms,
    tags: { stack },
});

// Redis: TLS-only. Its URL is built from the replication group itself (rediss:// because transit
// encryption is on), checked, and handed to the API through SSM, as the seed platform does.
const redis = new PlatformRedis("platform", {
    vpcId: vpc.vpcId,
    subnetIds: vpc.privateSubnetIds,
    ...config.redis,
    tags: { stack },
});
const redisUrl = redis.endpoint.toSsmParameter("api-redis-url", { name: stackParameterName(scope, "api/redis-url"), tags: { stack } });

// PostgreSQL: RDS generates the master password and keeps it in Secrets Manager.
const database = new PlatformDatabase("platform", {
    vpcId: vpc.vpcId,
    subnetIds: vpc.privateSubnetIds,
    settings: config.database,
    productionLike: config.productionLike,
    tags: { stack },
});
const db = database.instance;

const api = new HealthyFargateService("api", {
    ...network,
    listener,
    routing: { priority: 20, pathPatterns: ["/*"] },
    image: config.api.image,
    port: 8080,
    environment: {
        // Through the ALB, so the API sees MLflow exactly as its users do.
        MLFLOW_TRACKING_URI: pulumi.interpolate`${alb.protocol}://${publicHost}/mlflow`,
        // Everything from the instance's own outputs: the name is declared once (database.name).
        DATABASE_HOST: db.address,
        DATABASE_PORT: db.port.apply(String),
        DATABASE_NAME: db.dbName,
        DATABASE_USER: db.username,
    },
    // Read by ECS at task start with the execution role, which is granted exactly these two.
    secrets: {
        REDIS_URL: { ssmParameter: redisUrl },
        DATABASE_PASSWORD: { secretsManager: db.masterUserSecrets[0].secretArn, jsonKey: "password" },
    },
    cpu: config.api.cpu,
    memory: config.api.memory,
    desiredCount: config.api.desiredCount,
    probe: { tool: config.api.probeTool, livenessPath: "/health/live", readinessPath: "/health/ready", statusPath: "/health/status" },
    startup: config.api.startup,
    // Pulumi.prod.yaml: blue/green (a full new revision, traffic moved at once, old tasks kept for the bake time).
    deployment: config.api.deployment,
    alarms,
    tags: { stack },
});

// Only the API's tasks reach the cache and the database (Redis, database and MLflow are readiness
// dependencies of the API: when one degrades, /health/ready says so and no task is killed).
redis.allowFrom("api", api.securityGroupId);
database.allowFrom("api", api.securityGroupId);

// One dashboard for the stack: targets, tasks, 5XX, latency and the deployment timeline per service.
const dashboard = new ServiceDashboard("platform", { services: [api, mlflow] });

export const url = pulumi.interpolate`${alb.protocol}://${publicHost}`;
export const apiServiceName = api.serviceName;
export const mlflowServiceName = mlflow.serviceName;
export const redisUrlParameter = redisUrl.name;
export const databaseEndpoint = db.endpoint;
export const healthContracts = { api: api.healthContract, mlflow: mlflow.healthContract };
export const dashboardName = dashboard.dashboardName;
export const deploymentAlarms = { api: api.deploymentAlarmNames, mlflow: mlflow.deploymentAlarmNames };
