import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { parseStackConfig } from "../../components/reference-stack/config";
import type { CapturedResource, OfflineRun } from "../../cli/offline/program-runner";
import { checkRedisUrl } from "../../policies/domain/redis-url";
import { REPO_ROOT, runTs } from "../support/spawn-node";

function render(stack: string, programDir = REPO_ROOT): OfflineRun {
    const result = runTs("tests/support/offline-run-json.ts", [programDir, stack]);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout);
}

/**
 * The reference stack with a stack file of `stack` plus `extra` settings (what `pulumi config set`
 * would add), in a temporary program directory that links to this repository's program.
 */
function withStackSettings<T>(stack: string, extra: Record<string, unknown>, use: (programDir: string) => T): T {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-settings-"));
    try {
        for (const file of ["index.ts", "tsconfig.json", "Pulumi.yaml"]) fs.symlinkSync(path.join(REPO_ROOT, file), path.join(dir, file));
        const doc = yaml.load(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), yaml.dump({ config: { ...doc.config, ...extra } }));
        return use(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The settings a team adds to Pulumi.prod.yaml for its own domain (see the file's header). */
const PROD_DOMAIN = { "healthy-fargate:domainName": "platform.example.com", "healthy-fargate:hostedZoneId": "Z0123456789ABCDEFGHIJ" };

const count = (run: OfflineRun, type: string) => run.resources.filter((r) => r.type === type).length;
const one = (run: OfflineRun, type: string, name?: string): CapturedResource => {
    const found = run.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    assert.equal(found.length, 1, `exactly one ${type}${name ? ` named ${name}` : ""}`);
    return found[0];
};
const apiContainer = (run: OfflineRun) =>
    JSON.parse((one(run, "aws:ecs/taskDefinition:TaskDefinition", "api-task").inputs as any).containerDefinitions)[0];
const apiExecutionPolicy = (run: OfflineRun) =>
    JSON.parse(one(run, "aws:iam/rolePolicy:RolePolicy", "api-execution").inputs.policy as string);

/**
 * Input keys that set a resource's physical name (or a name unique in the account/region).
 * Under the mocks Pulumi's auto-naming is not applied: a resource without one of these gets a
 * random suffix in a real deployment and cannot collide, so these are exactly the names two
 * stacks could share.
 */
const NAMING_KEYS = [
    "name",
    "namePrefix",
    "family",
    "identifier",
    "identifierPrefix",
    "finalSnapshotIdentifier",
    "dashboardName",
    "alarmName",
    "replicationGroupId",
    "clusterIdentifier",
    "roleName",
    "functionName",
    "bucket",
    "topicName",
    "queueName",
    "logGroupName",
] as const;

/** Every explicit physical name of a run, as `type key=value` → logical resource name. */
function explicitNames(run: OfflineRun): Map<string, string> {
    const names = new Map<string, string>();
    for (const r of run.resources.filter((r) => r.custom)) {
        for (const key of NAMING_KEYS) {
            const value = (r.inputs as Record<string, unknown>)[key];
            if (typeof value === "string") names.set(`${r.type} ${key}=${value}`, r.name);
        }
    }
    return names;
}

const shared = (a: Map<string, string>, b: Map<string, string>) => [...a.keys()].filter((k) => b.has(k));

describe("two stacks in one account and region (dev and staging)", () => {
    let dev: Map<string, string>;
    let staging: Map<string, string>;
    before(() => {
        const [d, s] = [render("dev"), render("staging")];
        assert.equal(d.placement.region, s.placement.region, "both stacks deploy to the same region");
        [dev, staging] = [explicitNames(d), explicitNames(s)];
    });

    it("share no physical name", () => {
        assert.deepEqual(shared(dev, staging), []);
    });

    it("name what people look up after project and stack (and the comparison sees them)", () => {
        const names = [...staging.keys()];
        for (const expected of [
            "aws:cloudwatch/logGroup:LogGroup name=/ecs/healthy-fargate/staging/api",
            "aws:ecs/taskDefinition:TaskDefinition family=healthy-fargate-staging-api",
            "aws:ecs/service:Service name=healthy-fargate-staging-mlflow",
            "aws:ssm/parameter:Parameter name=/healthy-fargate/staging/api/redis-url",
            "aws:rds/instance:Instance finalSnapshotIdentifier=healthy-fargate-staging-platform-postgres-final",
            "aws:cloudwatch/dashboard:Dashboard dashboardName=healthy-fargate-staging",
        ])
            assert.ok(names.includes(expected), `${expected} in ${names.join(", ")}`);
        assert.ok(dev.size >= 8, `dev has ${dev.size} explicit names`);
    });

    it("the comparison catches a fixed name (the `/ecs/<name>` of before)", () => {
        const fixed = (run: Map<string, string>) => new Map([...run, ["aws:cloudwatch/logGroup:LogGroup name=/ecs/api", "api-logs"]]);
        assert.deepEqual(shared(fixed(dev), fixed(staging)), ["aws:cloudwatch/logGroup:LogGroup name=/ecs/api"]);
    });
});

describe("reference stack", () => {
    let dev: OfflineRun;
    before(() => {
        dev = render("dev");
    });

    it("renders the dev stack: two healthy services behind one ALB in a VPC", () => {
        assert.equal(count(dev, "healthy-fargate:ecs:HealthyFargateService"), 2);
        assert.equal(count(dev, "aws:lb/loadBalancer:LoadBalancer"), 1);
        assert.equal(count(dev, "aws:lb/listener:Listener"), 1, "HTTP only without a certificate");
        assert.equal(count(dev, "aws:lb/listenerRule:ListenerRule"), 2);
        assert.equal(count(dev, "aws:ecs/service:Service"), 2);
        assert.equal(count(dev, "awsx:ec2:Vpc"), 1);
        assert.match(dev.notes.join("\n"), /awsx:ec2:Vpc.*children are not rendered/);
    });

    it("routes /mlflow before the API's catch-all and probes MLflow under /mlflow with its redirect code", () => {
        const rules = dev.resources
            .filter((r) => r.type === "aws:lb/listenerRule:ListenerRule")
            .map((r) => r.inputs as any)
            .sort((a, b) => a.priority - b.priority);
        assert.deepEqual(
            rules.map((r) => r.conditions[0].pathPattern.values),
            [["/mlflow", "/mlflow/*"], ["/*"]],
        );
        const mlflow = dev.resources.find((r) => r.type === "healthy-fargate:ecs:HealthyFargateService" && r.name === "mlflow")!
            .inputs as any;
        assert.equal(mlflow.healthContract.probe.livenessPath, "/mlflow/health");
        assert.equal(mlflow.healthContract.probe.matcher, "200,302");
        assert.equal(mlflow.healthContract.probe.tool, "python");
        assert.equal(mlflow.healthContract.probe.toolChoice.by, "image", "Pulumi.dev.yaml sets no probeTool: the image decides");
    });

    it("applies the dev stack's sizes and start-up budgets", () => {
        const tds = dev.resources.filter((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition").map((r) => r.inputs as any);
        assert.deepEqual(tds.map((t) => `${t.family}:${t.cpu}/${t.memory}`).sort(), [
            "healthy-fargate-dev-api:512/1024",
            "healthy-fargate-dev-mlflow:1024/2048",
        ]);
        const api = one(dev, "aws:ecs/service:Service", "api-service").inputs as any;
        assert.equal(api.healthCheckGracePeriodSeconds, 80);
        assert.equal(api.desiredCount, 2);
    });

    it("passes the MLflow URL through the ALB to the API", () => {
        const env = apiContainer(dev).environment;
        assert.match(
            env.find((e: any) => e.name === "MLFLOW_TRACKING_URI").value,
            /^http:\/\/platform-[0-9a-f]+-\d+\.us-east-1\.elb\.amazonaws\.com\/mlflow$/,
        );
    });

    describe("alarms, deployment alarms and dashboard", () => {
        const alarmsOf = (run: OfflineRun, service: string) =>
            run.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.name.startsWith(`${service}-`));

        it("gives each service its alarms, on the shared ALB's dimensions and the cluster's enhanced Container Insights", () => {
            const alb = one(dev, "aws:lb/loadBalancer:LoadBalancer");
            for (const service of ["api", "mlflow"]) {
                assert.deepEqual(
                    alarmsOf(dev, service)
                        .map((r) => r.name.slice(service.length + 1))
                        .sort(),
                    ["5xx-rate", "container-health", "latency-p90", "latency-p99", "running-tasks", "unhealthy-hosts"],
                );
                const unhealthy = alarmsOf(dev, service).find((r) => r.name.endsWith("unhealthy-hosts"))!.inputs as any;
                const tg = one(dev, "aws:lb/targetGroup:TargetGroup", `${service}-tg`);
                assert.deepEqual(unhealthy.dimensions, { TargetGroup: tg.outputs.arnSuffix, LoadBalancer: alb.outputs.arnSuffix });
            }
            const cluster = one(dev, "aws:ecs/cluster:Cluster");
            const health = alarmsOf(dev, "api").find((r) => r.name.endsWith("container-health"))!.inputs as any;
            assert.deepEqual(health.dimensions, {
                ClusterName: cluster.outputs.name,
                ServiceName: "healthy-fargate-dev-api",
                ContainerName: "app",
            });
        });

        it("rolls each service back on its own 5XX-rate and unhealthy-hosts alarms", () => {
            for (const service of ["api", "mlflow"]) {
                const svc = one(dev, "aws:ecs/service:Service", `${service}-service`).inputs as any;
                const names = ["unhealthy-hosts", "5xx-rate"].map(
                    (s) => alarmsOf(dev, service).find((r) => r.name.endsWith(s))!.outputs.name,
                );
                assert.deepEqual(svc.alarms, { alarmNames: names, enable: true, rollback: true });
            }
            assert.deepEqual(Object.keys(dev.stackOutputs.deploymentAlarms as object).sort(), ["api", "mlflow"]);
        });

        it("renders one dashboard for the stack with a row per service", () => {
            const dashboard = one(dev, "aws:cloudwatch/dashboard:Dashboard").inputs as any;
            assert.equal(dashboard.dashboardName, "healthy-fargate-dev");
            const body = JSON.parse(dashboard.dashboardBody);
            assert.deepEqual(
                body.widgets.filter((w: any) => w.type === "text").map((w: any) => w.properties.markdown.split("\n")[0]),
                ["## api", "## mlflow"],
            );
            assert.equal(body.widgets.length, 12);
        });

        it("verifies each service's rollout after the service", () => {
            const verifications = dev.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/healthy-fargate:RolloutVerification");
            assert.deepEqual(verifications.map((v) => (v.inputs as any).serviceName).sort(), [
                "healthy-fargate-dev-api",
                "healthy-fargate-dev-mlflow",
            ]);
        });
    });

    describe("Redis", () => {
        it("is an ElastiCache replication group encrypted in transit and at rest, in the private subnets", () => {
            const group = one(dev, "aws:elasticache/replicationGroup:ReplicationGroup").inputs as any;
            assert.equal(group.transitEncryptionEnabled, true);
            assert.equal(group.atRestEncryptionEnabled, true);
            assert.equal(group.engine, "redis");
            const subnetGroup = one(dev, "aws:elasticache/subnetGroup:SubnetGroup");
            assert.deepEqual((subnetGroup.inputs as any).subnetIds, one(dev, "awsx:ec2:Vpc").outputs.privateSubnetIds);
            assert.equal(group.subnetGroupName, subnetGroup.outputs.name);
        });

        it("reaches the API as a rediss:// URL to the group's endpoint, through /healthy-fargate/dev/api/redis-url", () => {
            const group = one(dev, "aws:elasticache/replicationGroup:ReplicationGroup");
            const parameter = one(dev, "aws:ssm/parameter:Parameter");
            const p = parameter.inputs as any;
            assert.equal(p.name, "/healthy-fargate/dev/api/redis-url");
            assert.equal(p.type, "String", "no AUTH token in the URL");
            assert.match(p.insecureValue, /^rediss:\/\//);
            assert.equal(p.insecureValue, `rediss://${group.outputs.primaryEndpointAddress}:6379`);
            assert.deepEqual(checkRedisUrl(p.insecureValue, { transitEncryption: true }).problems, []);
            const redisUrl = apiContainer(dev).secrets.find((e: any) => e.name === "REDIS_URL");
            assert.deepEqual(redisUrl, { name: "REDIS_URL", valueFrom: parameter.outputs.arn });
            assert.equal(
                apiContainer(dev).environment.some((e: any) => /REDIS/.test(e.name)),
                false,
            );
        });

        it("accepts 6379 only from the API's tasks", () => {
            const group = one(dev, "aws:elasticache/replicationGroup:ReplicationGroup").inputs as any;
            const redisSg = one(dev, "aws:ec2/securityGroup:SecurityGroup", "platform-redis");
            assert.deepEqual(group.securityGroupIds, [redisSg.id]);
            assert.equal((redisSg.inputs as any).ingress, undefined, "no inline rules");
            const rules = dev.resources.filter(
                (r) =>
                    r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" &&
                    (r.inputs as any).securityGroupId === redisSg.id,
            );
            const apiSg = one(dev, "aws:ec2/securityGroup:SecurityGroup", "api-tasks");
            assert.deepEqual(
                rules.map((r) => r.inputs),
                [
                    {
                        securityGroupId: redisSg.id,
                        referencedSecurityGroupId: apiSg.id,
                        ipProtocol: "tcp",
                        fromPort: 6379,
                        toPort: 6379,
                        description: "Redis from api tasks",
                    },
                ],
            );
        });
    });

    describe("PostgreSQL", () => {
        it("is an encrypted RDS instance with an RDS-managed password, in the private subnets", () => {
            const db = one(dev, "aws:rds/instance:Instance").inputs as any;
            assert.equal(db.engine, "postgres");
            assert.equal(db.manageMasterUserPassword, true);
            assert.equal(db.password, undefined, "no password in the program");
            assert.equal(db.storageEncrypted, true);
            assert.equal(db.publiclyAccessible, false);
            const devConfig = (yaml.load(fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.dev.yaml"), "utf8")) as any).config[
                "healthy-fargate:database"
            ];
            assert.deepEqual(
                [db.dbName, db.instanceClass, db.allocatedStorage, db.engineVersion],
                [devConfig.name, devConfig.instanceClass, devConfig.allocatedStorage, devConfig.engineVersion],
            );
            const subnetGroup = one(dev, "aws:rds/subnetGroup:SubnetGroup");
            assert.deepEqual((subnetGroup.inputs as any).subnetIds, one(dev, "awsx:ec2:Vpc").outputs.privateSubnetIds);
            assert.equal(db.dbSubnetGroupName, subnetGroup.outputs.name);
        });

        it("accepts 5432 only from the API's tasks", () => {
            const dbSg = one(dev, "aws:ec2/securityGroup:SecurityGroup", "platform-postgres");
            assert.deepEqual((one(dev, "aws:rds/instance:Instance").inputs as any).vpcSecurityGroupIds, [dbSg.id]);
            const rules = dev.resources.filter(
                (r) =>
                    r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && (r.inputs as any).securityGroupId === dbSg.id,
            );
            const apiSg = one(dev, "aws:ec2/securityGroup:SecurityGroup", "api-tasks");
            assert.deepEqual(
                rules.map((r) => r.inputs),
                [
                    {
                        securityGroupId: dbSg.id,
                        referencedSecurityGroupId: apiSg.id,
                        ipProtocol: "tcp",
                        fromPort: 5432,
                        toPort: 5432,
                        description: "PostgreSQL from api tasks",
                    },
                ],
            );
        });

        it("gives the API the instance's own host, port, name and user, and the password only as a secret", () => {
            const db = one(dev, "aws:rds/instance:Instance").outputs as any;
            const container = apiContainer(dev);
            const env = Object.fromEntries(container.environment.map((e: any) => [e.name, e.value]));
            assert.deepEqual(
                [env.DATABASE_HOST, env.DATABASE_PORT, env.DATABASE_NAME, env.DATABASE_USER],
                [db.address, String(db.port), db.dbName, db.username],
            );
            assert.match(env.DATABASE_HOST, /\.rds\.amazonaws\.com$/);
            assert.equal(
                Object.keys(env).some((name) => /PASSWORD/.test(name)),
                false,
                "no password in environment",
            );
            assert.deepEqual(
                container.secrets.find((e: any) => e.name === "DATABASE_PASSWORD"),
                { name: "DATABASE_PASSWORD", valueFrom: `${db.masterUserSecrets[0].secretArn}:password::` },
            );
        });

        it("grants the API's execution role exactly its two secrets, and MLflow's none", () => {
            const db = one(dev, "aws:rds/instance:Instance").outputs as any;
            const statements = apiExecutionPolicy(dev).Statement;
            assert.deepEqual(statements.slice(1), [
                {
                    Sid: "ReadOwnSecrets",
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue"],
                    Resource: [db.masterUserSecrets[0].secretArn],
                },
                {
                    Sid: "ReadOwnParameters",
                    Effect: "Allow",
                    Action: ["ssm:GetParameters"],
                    Resource: [one(dev, "aws:ssm/parameter:Parameter").outputs.arn],
                },
            ]);
            assert.equal(statements[0].Sid, "WriteOwnLogs");
            const mlflow = JSON.parse(one(dev, "aws:iam/rolePolicy:RolePolicy", "mlflow-execution").inputs.policy as string);
            assert.deepEqual(
                mlflow.Statement.map((s: any) => s.Sid),
                ["WriteOwnLogs"],
            );
        });
    });

    describe("prod, with the settings of its domain", () => {
        let prod: OfflineRun;
        before(() => {
            prod = withStackSettings("prod", PROD_DOMAIN, (dir) => render("prod", dir));
        });

        it("renders HTTPS, a redirect, 3 AZs and more tasks", () => {
            assert.equal(count(prod, "aws:lb/listener:Listener"), 2);
            const api = one(prod, "aws:ecs/service:Service", "api-service").inputs as any;
            assert.equal(api.desiredCount, 4);
            const apiTd = one(prod, "aws:ecs/taskDefinition:TaskDefinition", "api-task").inputs as any;
            assert.deepEqual([apiTd.cpu, apiTd.memory], ["1024", "2048"]);
            assert.equal((prod.resources.find((r) => r.type === "awsx:ec2:Vpc")!.inputs as any).numberOfAvailabilityZones, 3);
            // The API reaches MLflow by the name on the certificate, not the ALB's own DNS name.
            const apiEnv = JSON.parse(apiTd.containerDefinitions)[0].environment;
            assert.equal(apiEnv.find((e: any) => e.name === "MLFLOW_TRACKING_URI").value, "https://platform.example.com/mlflow");
            assert.equal(prod.stackOutputs.url, "https://platform.example.com");
            const group = one(prod, "aws:elasticache/replicationGroup:ReplicationGroup").inputs as any;
            assert.deepEqual(
                [group.numCacheClusters, group.automaticFailoverEnabled, group.multiAzEnabled, group.transitEncryptionEnabled],
                [2, true, true, true],
            );
            const db = one(prod, "aws:rds/instance:Instance").inputs as any;
            assert.deepEqual([db.multiAz, db.deletionProtection, db.skipFinalSnapshot, db.maxAllocatedStorage], [true, true, false, 500]);
            assert.equal(db.finalSnapshotIdentifier, "healthy-fargate-prod-platform-postgres-final");
            assert.equal((one(prod, "aws:ssm/parameter:Parameter").inputs as any).name, "/healthy-fargate/prod/api/redis-url");

            // The API deploys blue/green (Pulumi.prod.yaml); MLflow stays rolling.
            assert.deepEqual(api.deploymentConfiguration, { strategy: "BLUE_GREEN", bakeTimeInMinutes: "10" });
            const alt = one(prod, "aws:lb/targetGroup:TargetGroup", "api-tg-alt");
            assert.deepEqual(
                (alt.inputs as any).healthCheck,
                (one(prod, "aws:lb/targetGroup:TargetGroup", "api-tg").inputs as any).healthCheck,
            );
            assert.equal(api.loadBalancers[0].advancedConfiguration.alternateTargetGroupArn, alt.outputs.arn);
            assert.equal(
                api.loadBalancers[0].advancedConfiguration.productionListenerRule,
                one(prod, "aws:lb/listenerRule:ListenerRule", "api-rule").outputs.arn,
            );
            const mlflow = one(prod, "aws:ecs/service:Service", "mlflow-service").inputs as any;
            assert.equal(mlflow.deploymentConfiguration, undefined);
            const contract = (prod.stackOutputs.healthContracts as any).api;
            assert.deepEqual([contract.deployment.strategy, contract.deployment.bakeTimeMinutes], ["blue-green", 10]);
        });

        it("creates and validates its certificate in the hosted zone, listens with it, and points the domain at the ALB", () => {
            const certificate = one(prod, "aws:acm/certificate:Certificate");
            assert.deepEqual(certificate.inputs, { domainName: "platform.example.com", validationMethod: "DNS", tags: { stack: "prod" } });
            const validationRecord = one(prod, "aws:route53/record:Record", "platform-cert-validation");
            assert.equal((validationRecord.inputs as any).zoneId, "Z0123456789ABCDEFGHIJ");
            assert.ok(validationRecord.dependencies.includes(certificate.urn), "the record is ACM's answer for this certificate");
            const validation = one(prod, "aws:acm/certificateValidation:CertificateValidation");
            assert.equal((validation.inputs as any).certificateArn, certificate.outputs.arn);
            assert.ok(validation.dependencies.includes(validationRecord.urn), "the validation waits for the record");
            const https = prod.resources.find((r) => r.type === "aws:lb/listener:Listener" && (r.inputs as any).protocol === "HTTPS")!;
            assert.ok(https.dependencies.includes(validation.urn), "the HTTPS listener uses the certificate only once it is issued");
            const alias = one(prod, "aws:route53/record:Record", "platform-alias").inputs as any;
            const alb = one(prod, "aws:lb/loadBalancer:LoadBalancer").outputs as any;
            assert.deepEqual(alias, {
                zoneId: "Z0123456789ABCDEFGHIJ",
                name: "platform.example.com",
                type: "A",
                aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
            });
        });

        it("meets ECS blue/green's listener requirements: the production rule forwards only, to both groups; nothing mixes forward with other actions", () => {
            // AWS: blue/green fails when a listener rule mixes forward with redirect, fixed-response or
            // authenticate actions (docs/blue-green.md). ECS rewrites only the rule named productionListenerRule.
            const rule = one(prod, "aws:lb/listenerRule:ListenerRule", "api-rule");
            const api = one(prod, "aws:ecs/service:Service", "api-service").inputs as any;
            assert.equal(
                api.loadBalancers[0].advancedConfiguration.productionListenerRule,
                rule.outputs.arn,
                "a listener rule, not the listener's default action",
            );
            const actions = (rule.inputs as any).actions;
            assert.equal(actions.length, 1);
            assert.equal(actions[0].type, "forward");
            const groups = [
                one(prod, "aws:lb/targetGroup:TargetGroup", "api-tg"),
                one(prod, "aws:lb/targetGroup:TargetGroup", "api-tg-alt"),
            ].map((g) => g.outputs.arn);
            assert.deepEqual(actions[0].forward.targetGroups, [
                { arn: groups[0], weight: 100 },
                { arn: groups[1], weight: 0 },
            ]);
            for (const r of prod.resources.filter(
                (r) => r.type === "aws:lb/listenerRule:ListenerRule" || r.type === "aws:lb/listener:Listener",
            )) {
                const list = ((r.inputs as any).actions ?? (r.inputs as any).defaultActions) as Array<{ type: string }>;
                assert.equal(new Set(list.map((a) => a.type === "forward")).size, 1, `${r.name} mixes forward with other actions`);
            }
            const https = prod.resources.find((r) => r.type === "aws:lb/listener:Listener" && (r.inputs as any).protocol === "HTTPS")!
                .inputs as any;
            assert.deepEqual(
                https.defaultActions.map((a: any) => a.type),
                ["fixed-response"],
                "no route: a single fixed 404, which ECS never touches",
            );
        });
    });

    it("prod with a certificate of its own creates no certificate, but still the alias record", () => {
        const arn = "arn:aws:acm:eu-west-1:210987654321:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
        const prod = withStackSettings("prod", { ...PROD_DOMAIN, "healthy-fargate:certificateArn": arn }, (dir) => render("prod", dir));
        assert.equal(count(prod, "aws:acm/certificate:Certificate"), 0);
        assert.equal(
            (prod.resources.find((r) => r.type === "aws:lb/listener:Listener" && (r.inputs as any).protocol === "HTTPS")!.inputs as any)
                .certificateArn,
            arn,
        );
        assert.equal(count(prod, "aws:route53/record:Record"), 1);
    });

    it("the committed prod stack stops before anything is created, naming the two settings of its domain", () => {
        const result = runTs("tests/support/offline-run-json.ts", [REPO_ROOT, "prod"]);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /Invalid stack configuration \(Pulumi\.prod\.yaml, namespace healthy-fargate\)/);
        assert.match(result.stderr, /`domainName`: is required with `https: true`.*pulumi config set healthy-fargate:domainName/);
        assert.match(result.stderr, /`hostedZoneId`: is required with `https: true`.*pulumi config set healthy-fargate:hostedZoneId/);
        assert.doesNotMatch(
            fs.readFileSync(path.join(REPO_ROOT, "Pulumi.prod.yaml"), "utf8"),
            /123456789012|arn:aws:acm/,
            "no placeholder certificate is committed",
        );
    });

    it("the offline check of the committed prod stack exits 2 with that message, not a report", () => {
        const result = runTs("cli/check/main.ts", ["--stack", "prod", "--format", "json"]);
        assert.equal(result.status, 2, result.stdout);
        assert.match(result.stderr, /`hostedZoneId`: is required with `https: true`/);
    });

    it("requires the domain and the hosted zone with HTTPS, and HTTPS for them", () => {
        const base = { api: { image: "x" }, mlflow: { image: "y" } };
        assert.throws(
            () => parseStackConfig({ ...base, https: true }),
            (e: Error) => /`domainName`: is required with `https: true`/.test(e.message) && /`hostedZoneId`: is required/.test(e.message),
        );
        assert.equal(
            parseStackConfig({ ...base, https: true, domainName: "platform.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" })
                .domainName,
            "platform.example.com",
        );
        assert.throws(
            () => parseStackConfig({ ...base, https: true, hostedZoneId: "Z1", domainName: "Platform.Example.com" }),
            /`domainName`: must be a lower-case DNS name/,
        );
        assert.throws(
            () => parseStackConfig({ ...base, https: true, hostedZoneId: "zone-1", domainName: "a.example.com" }),
            /`hostedZoneId`: must be a Route 53 hosted zone id/,
        );
        assert.throws(
            () => parseStackConfig({ ...base, domainName: "platform.example.com" }),
            /`domainName`: is used only with `https: true`/,
        );
        assert.throws(
            () => parseStackConfig({ ...base, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" }),
            /`certificateArn`: is used only with `https: true`/,
        );
    });

    it("rejects a misspelt or mistyped stack setting, naming the key", () => {
        assert.throws(
            () => parseStackConfig({ api: { image: "x", desiredCont: 2 }, mlflow: { image: "y" } }),
            /`api.desiredCont` is not a known setting/,
        );
        assert.throws(
            () => parseStackConfig({ api: { image: "x", desiredCount: "two" }, mlflow: { image: "y" } }),
            /`api.desiredCount`: .*number/,
        );
        assert.throws(() => parseStackConfig({ api: { image: "x" } }), /`mlflow`/);
        assert.equal(parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" } }).api.desiredCount, 2);
        assert.equal(parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" } }).database.name, "app");
        assert.throws(
            () => parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" }, database: { name: "my-db" } }),
            /`database.name`: must start with a letter/,
        );
        assert.throws(
            () => parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" }, database: { username: "rdsadmin" } }),
            /`database.username`: is reserved/,
        );
        assert.throws(
            () =>
                parseStackConfig({
                    api: { image: "x" },
                    mlflow: { image: "y" },
                    database: { allocatedStorage: 50, maxAllocatedStorage: 30 },
                }),
            /`database.maxAllocatedStorage`/,
        );
        assert.throws(
            () => parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" }, redis: { nodeType: "t4g.micro" } }),
            /`redis.nodeType`/,
        );
        assert.throws(
            () => parseStackConfig({ api: { image: "x", deployment: { strategy: "canary" } }, mlflow: { image: "y" } }),
            /`api.deployment.strategy`/,
        );
        assert.throws(
            () => parseStackConfig({ api: { image: "x", deployment: { bakeTimeMinutes: 5 } }, mlflow: { image: "y" } }),
            /`api.deployment.bakeTimeMinutes`: bakeTimeMinutes applies to strategy blue-green only/,
        );
        assert.equal(parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" } }).api.deployment.strategy, "rolling");
    });

    it("a project setting declared without a default must be set by the stack, as the Pulumi CLI requires", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "required-config-"));
        try {
            fs.writeFileSync(
                path.join(dir, "Pulumi.yaml"),
                "name: required-config\nruntime: nodejs\nconfig:\n  required-config:certificateArn:\n    type: string\n  required-config:zones:\n    type: integer\n    default: 2\n",
            );
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: us-east-1\n");
            fs.writeFileSync(path.join(dir, "index.ts"), "export const ok = true;\n");
            const result = runTs("tests/support/offline-run-json.ts", [dir, "dev"]);
            assert.equal(result.status, 2);
            assert.match(
                result.stderr,
                /Stack 'dev' is missing configuration value 'required-config:certificateArn' .*set it in Pulumi\.dev\.yaml, or give the declaration a `default` in Pulumi\.yaml/,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a missing stack file is a clear error", () => {
        const result = runTs("tests/support/offline-run-json.ts", [REPO_ROOT, "nosuchstack"]);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /No stack file Pulumi\.nosuchstack\.yaml .* Stacks here: dev, prod, staging\. Pass --stack NAME\./);
    });
});
