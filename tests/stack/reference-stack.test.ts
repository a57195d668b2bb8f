import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { parseStackConfig } from "../../components/reference-stack/config";
import type { CapturedResource, OfflineRun } from "../../cli/offline/program-runner";
import { checkRedisUrl } from "../../policies/domain/redis-url";
import { REPO_ROOT, runTs } from "../support/spawn-node";

function render(stack: string): OfflineRun {
    const result = runTs("tests/support/offline-run-json.ts", [REPO_ROOT, stack]);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout);
}

const count = (run: OfflineRun, type: string) => run.resources.filter(r => r.type === type).length;
const one = (run: OfflineRun, type: string, name?: string): CapturedResource => {
    const found = run.resources.filter(r => r.type === type && (name === undefined || r.name === name));
    assert.equal(found.length, 1, `exactly one ${type}${name ? ` named ${name}` : ""}`);
    return found[0];
};
const apiContainer = (run: OfflineRun) =>
    JSON.parse((run.resources.find(r => r.type === "aws:ecs/taskDefinition:TaskDefinition" && (r.inputs as any).family === "api")!.inputs as any).containerDefinitions)[0];
const apiExecutionPolicy = (run: OfflineRun) => JSON.parse(one(run, "aws:iam/rolePolicy:RolePolicy", "api-execution").inputs.policy as string);

describe("reference stack", () => {
    let dev: OfflineRun;
    before(() => { dev = render("dev"); });

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
        const rules = dev.resources.filter(r => r.type === "aws:lb/listenerRule:ListenerRule").map(r => r.inputs as any).sort((a, b) => a.priority - b.priority);
        assert.deepEqual(rules.map(r => r.conditions[0].pathPattern.values), [["/mlflow", "/mlflow/*"], ["/*"]]);
        const mlflow = dev.resources.find(r => r.type === "healthy-fargate:ecs:HealthyFargateService" && r.name === "mlflow")!.inputs as any;
        assert.equal(mlflow.healthContract.probe.livenessPath, "/mlflow/health");
        assert.equal(mlflow.healthContract.probe.matcher, "200,302");
        assert.equal(mlflow.healthContract.probe.tool, "python");
    });

    it("applies the dev stack's sizes and start-up budgets", () => {
        const tds = dev.resources.filter(r => r.type === "aws:ecs/taskDefinition:TaskDefinition").map(r => r.inputs as any);
        assert.deepEqual(tds.map(t => `${t.family}:${t.cpu}/${t.memory}`).sort(), ["api:512/1024", "mlflow:1024/2048"]);
        const api = dev.resources.find(r => r.type === "aws:ecs/service:Service" && (r.inputs as any).name === "api")!.inputs as any;
        assert.equal(api.healthCheckGracePeriodSeconds, 80);
        assert.equal(api.desiredCount, 2);
    });

    it("passes the MLflow URL through the ALB to the API", () => {
        const apiTd = dev.resources.find(r => r.type === "aws:ecs/taskDefinition:TaskDefinition" && (r.inputs as any).family === "api")!.inputs as any;
        const env = JSON.parse(apiTd.containerDefinitions)[0].environment;
        assert.match(env.find((e: any) => e.name === "MLFLOW_TRACKING_URI").value, /^http:\/\/platform-[0-9a-f]+-\d+\.us-east-1\.elb\.amazonaws\.com\/mlflow$/);
    });

    describe("alarms, deployment alarms and dashboard", () => {
        const alarmsOf = (run: OfflineRun, service: string) => run.resources.filter(r => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.name.startsWith(`${service}-`));

        it("gives each service its alarms, on the shared ALB's dimensions and the cluster's enhanced Container Insights", () => {
            const alb = one(dev, "aws:lb/loadBalancer:LoadBalancer");
            for (const service of ["api", "mlflow"]) {
                assert.deepEqual(alarmsOf(dev, service).map(r => r.name.slice(service.length + 1)).sort(),
                    ["5xx-rate", "container-health", "latency-p90", "latency-p99", "running-tasks", "unhealthy-hosts"]);
                const unhealthy = alarmsOf(dev, service).find(r => r.name.endsWith("unhealthy-hosts"))!.inputs as any;
                const tg = one(dev, "aws:lb/targetGroup:TargetGroup", `${service}-tg`);
                assert.deepEqual(unhealthy.dimensions, { TargetGroup: tg.outputs.arnSuffix, LoadBalancer: alb.outputs.arnSuffix });
            }
            const cluster = one(dev, "aws:ecs/cluster:Cluster");
            const health = alarmsOf(dev, "api").find(r => r.name.endsWith("container-health"))!.inputs as any;
            assert.deepEqual(health.dimensions, { ClusterName: cluster.outputs.name, ServiceName: "api", ContainerName: "app" });
        });

        it("rolls each service back on its own 5XX-rate and unhealthy-hosts alarms", () => {
            for (const service of ["api", "mlflow"]) {
                const svc = dev.resources.find(r => r.type === "aws:ecs/service:Service" && (r.inputs as any).name === service)!.inputs as any;
                const names = ["unhealthy-hosts", "5xx-rate"].map(s => alarmsOf(dev, service).find(r => r.name.endsWith(s))!.outputs.name);
                assert.deepEqual(svc.alarms, { alarmNames: names, enable: true, rollback: true });
            }
            assert.deepEqual(Object.keys(dev.stackOutputs.deploymentAlarms as object).sort(), ["api", "mlflow"]);
        });

        it("renders one dashboard for the stack with a row per service", () => {
            const dashboard = one(dev, "aws:cloudwatch/dashboard:Dashboard").inputs as any;
            assert.equal(dashboard.dashboardName, "healthy-fargate-dev");
            const body = JSON.parse(dashboard.dashboardBody);
            assert.deepEqual(body.widgets.filter((w: any) => w.type === "text").map((w: any) => w.properties.markdown.split("\n")[0]), ["## api", "## mlflow"]);
            assert.equal(body.widgets.length, 12);
        });

        it("verifies each service's rollout after the service", () => {
            const verifications = dev.resources.filter(r => r.type === "pulumi-nodejs:dynamic/healthy-fargate:RolloutVerification");
            assert.deepEqual(verifications.map(v => (v.inputs as any).serviceName).sort(), ["api", "mlflow"]);
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

        it("reaches the API as a rediss:// URL to the group's endpoint, through /dev/api/redis-url", () => {
            const group = one(dev, "aws:elasticache/replicationGroup:ReplicationGroup");
            const parameter = one(dev, "aws:ssm/parameter:Parameter");
            const p = parameter.inputs as any;
            assert.equal(p.name, "/dev/api/redis-url");
            assert.equal(p.type, "String", "no AUTH token in the URL");
            assert.match(p.insecureValue, /^rediss:\/\//);
            assert.equal(p.insecureValue, `rediss://${group.outputs.primaryEndpointAddress}:6379`);
            assert.deepEqual(checkRedisUrl(p.insecureValue, { transitEncryption: true }).problems, []);
            const redisUrl = apiContainer(dev).secrets.find((e: any) => e.name === "REDIS_URL");
            assert.deepEqual(redisUrl, { name: "REDIS_URL", valueFrom: parameter.outputs.arn });
            assert.equal(apiContainer(dev).environment.some((e: any) => /REDIS/.test(e.name)), false);
        });

        it("accepts 6379 only from the API's tasks", () => {
            const group = one(dev, "aws:elasticache/replicationGroup:ReplicationGroup").inputs as any;
            const redisSg = one(dev, "aws:ec2/securityGroup:SecurityGroup", "platform-redis");
            assert.deepEqual(group.securityGroupIds, [redisSg.id]);
            assert.equal((redisSg.inputs as any).ingress, undefined, "no inline rules");
            const rules = dev.resources.filter(r => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && (r.inputs as any).securityGroupId === redisSg.id);
            const apiSg = one(dev, "aws:ec2/securityGroup:SecurityGroup", "api-tasks");
            assert.deepEqual(rules.map(r => r.inputs), [{ securityGroupId: redisSg.id, referencedSecurityGroupId: apiSg.id, ipProtocol: "tcp", fromPort: 6379, toPort: 6379, description: "Redis from api tasks" }]);
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
            const devConfig = (yaml.load(fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.dev.yaml"), "utf8")) as any).config["healthy-fargate:database"];
            assert.deepEqual([db.dbName, db.instanceClass, db.allocatedStorage, db.engineVersion], [devConfig.name, devConfig.instanceClass, devConfig.allocatedStorage, devConfig.engineVersion]);
            const subnetGroup = one(dev, "aws:rds/subnetGroup:SubnetGroup");
            assert.deepEqual((subnetGroup.inputs as any).subnetIds, one(dev, "awsx:ec2:Vpc").outputs.privateSubnetIds);
            assert.equal(db.dbSubnetGroupName, subnetGroup.outputs.name);
        });

        it("accepts 5432 only from the API's tasks", () => {
            const dbSg = one(dev, "aws:ec2/securityGroup:SecurityGroup", "platform-postgres");
            assert.deepEqual((one(dev, "aws:rds/instance:Instance").inputs as any).vpcSecurityGroupIds, [dbSg.id]);
            const rules = dev.resources.filter(r => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && (r.inputs as any).securityGroupId === dbSg.id);
            const apiSg = one(dev, "aws:ec2/securityGroup:SecurityGroup", "api-tasks");
            assert.deepEqual(rules.map(r => r.inputs), [{ securityGroupId: dbSg.id, referencedSecurityGroupId: apiSg.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432, description: "PostgreSQL from api tasks" }]);
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
            assert.equal(Object.keys(env).some(name => /PASSWORD/.test(name)), false, "no password in environment");
            assert.deepEqual(container.secrets.find((e: any) => e.name === "DATABASE_PASSWORD"),
                { name: "DATABASE_PASSWORD", valueFrom: `${db.masterUserSecrets[0].secretArn}:password::` });
        });

        it("grants the API's execution role exactly its two secrets, and MLflow's none", () => {
            const db = one(dev, "aws:rds/instance:Instance").outputs as any;
            const statements = apiExecutionPolicy(dev).Statement;
            assert.deepEqual(statements.slice(1), [
                { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [db.masterUserSecrets[0].secretArn] },
                { Sid: "ReadOwnParameters", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: [one(dev, "aws:ssm/parameter:Parameter").outputs.arn] },
            ]);
            assert.equal(statements[0].Sid, "WriteOwnLogs");
            const mlflow = JSON.parse(one(dev, "aws:iam/rolePolicy:RolePolicy", "mlflow-execution").inputs.policy as string);
            assert.deepEqual(mlflow.Statement.map((s: any) => s.Sid), ["WriteOwnLogs"]);
        });
    });

    it("renders the prod stack with HTTPS, a redirect, 3 AZs and more tasks", () => {
        const prod = render("prod");
        assert.equal(count(prod, "aws:lb/listener:Listener"), 2);
        const api = prod.resources.find(r => r.type === "aws:ecs/service:Service" && (r.inputs as any).name === "api")!.inputs as any;
        assert.equal(api.desiredCount, 4);
        const apiTd = prod.resources.find(r => r.type === "aws:ecs/taskDefinition:TaskDefinition" && (r.inputs as any).family === "api")!.inputs as any;
        assert.deepEqual([apiTd.cpu, apiTd.memory], ["1024", "2048"]);
        assert.equal((prod.resources.find(r => r.type === "awsx:ec2:Vpc")!.inputs as any).numberOfAvailabilityZones, 3);
        // The API reaches MLflow by the name on the certificate, not the ALB's own DNS name.
        const apiEnv = JSON.parse(apiTd.containerDefinitions)[0].environment;
        assert.equal(apiEnv.find((e: any) => e.name === "MLFLOW_TRACKING_URI").value, "https://platform.example.com/mlflow");
        assert.equal(prod.stackOutputs.url, "https://platform.example.com");
        const group = one(prod, "aws:elasticache/replicationGroup:ReplicationGroup").inputs as any;
        assert.deepEqual([group.numCacheClusters, group.automaticFailoverEnabled, group.multiAzEnabled, group.transitEncryptionEnabled], [2, true, true, true]);
        const db = one(prod, "aws:rds/instance:Instance").inputs as any;
        assert.deepEqual([db.multiAz, db.deletionProtection, db.skipFinalSnapshot, db.maxAllocatedStorage], [true, true, false, 500]);
        assert.equal((one(prod, "aws:ssm/parameter:Parameter").inputs as any).name, "/prod/api/redis-url");

        // The API deploys blue/green (Pulumi.prod.yaml); MLflow stays rolling.
        assert.deepEqual(api.deploymentConfiguration, { strategy: "BLUE_GREEN", bakeTimeInMinutes: "10" });
        const alt = one(prod, "aws:lb/targetGroup:TargetGroup", "api-tg-alt");
        assert.deepEqual((alt.inputs as any).healthCheck, (one(prod, "aws:lb/targetGroup:TargetGroup", "api-tg").inputs as any).healthCheck);
        assert.equal(api.loadBalancers[0].advancedConfiguration.alternateTargetGroupArn, alt.outputs.arn);
        assert.equal(api.loadBalancers[0].advancedConfiguration.productionListenerRule, one(prod, "aws:lb/listenerRule:ListenerRule", "api-rule").outputs.arn);
        const mlflow = prod.resources.find(r => r.type === "aws:ecs/service:Service" && (r.inputs as any).name === "mlflow")!.inputs as any;
        assert.equal(mlflow.deploymentConfiguration, undefined);
        const contract = (prod.stackOutputs.healthContracts as any).api;
        assert.deepEqual([contract.deployment.strategy, contract.deployment.bakeTimeMinutes], ["blue-green", 10]);
    });

    it("requires the certificate's domain name with HTTPS", () => {
        const base = { api: { image: "x" }, mlflow: { image: "y" }, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" };
        assert.throws(() => parseStackConfig(base), /`domainName`: is required with `certificateArn`/);
        assert.equal(parseStackConfig({ ...base, domainName: "platform.example.com" }).domainName, "platform.example.com");
        assert.throws(() => parseStackConfig({ ...base, domainName: "Platform.Example.com" }), /`domainName`: must be a lower-case DNS name/);
    });

    it("rejects a misspelt or mistyped stack setting, naming the key", () => {
        assert.throws(() => parseStackConfig({ api: { image: "x", desiredCont: 2 }, mlflow: { image: "y" } }), /`api.desiredCont` is not a known setting/);
        assert.throws(() => parseStackConfig({ api: { image: "x", desiredCount: "two" }, mlflow: { image: "y" } }), /`api.desiredCount`: .*number/);
        assert.throws(() => parseStackConfig({ api: { image: "x" } }), /`mlflow`/);
        assert.equal(parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" } }).api.desiredCount, 2);
        assert.equal(parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" } }).database.name, "app");
        assert.throws(() => parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" }, database: { name: "my-db" } }), /`database.name`: must start with a letter/);
        assert.throws(() => parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" }, database: { username: "rdsadmin" } }), /`database.username`: is reserved/);
        assert.throws(() => parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" }, database: { allocatedStorage: 50, maxAllocatedStorage: 30 } }), /`database.maxAllocatedStorage`/);
        assert.throws(() => parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" }, redis: { nodeType: "t4g.micro" } }), /`redis.nodeType`/);
        assert.throws(() => parseStackConfig({ api: { image: "x", deployment: { strategy: "canary" } }, mlflow: { image: "y" } }), /`api.deployment.strategy`/);
        assert.throws(() => parseStackConfig({ api: { image: "x", deployment: { bakeTimeMinutes: 5 } }, mlflow: { image: "y" } }), /`api.deployment.bakeTimeMinutes`: bakeTimeMinutes applies to strategy blue-green only/);
        assert.equal(parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" } }).api.deployment.strategy, "rolling");
    });

    it("a project setting declared without a default must be set by the stack, as the Pulumi CLI requires", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "required-config-"));
        try {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: required-config\nruntime: nodejs\nconfig:\n  required-config:certificateArn:\n    type: string\n  required-config:zones:\n    type: integer\n    default: 2\n");
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: us-east-1\n");
            fs.writeFileSync(path.join(dir, "index.ts"), "export const ok = true;\n");
            const result = runTs("tests/support/offline-run-json.ts", [dir, "dev"]);
            assert.equal(result.status, 2);
            assert.match(result.stderr, /Stack 'dev' is missing configuration value 'required-config:certificateArn' .*set it in Pulumi\.dev\.yaml, or give the declaration a `default` in Pulumi\.yaml/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a missing stack file is a clear error", () => {
        const result = runTs("tests/support/offline-run-json.ts", [REPO_ROOT, "nosuchstack"]);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /No stack file Pulumi\.nosuchstack\.yaml .* Stacks here: dev, prod\. Pass --stack NAME\./);
    });
});
