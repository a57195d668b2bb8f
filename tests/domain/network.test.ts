import * as assert from "assert";
import {
    apiNeedsOf,
    apiOfServiceName,
    cidrContains,
    classifyCommandArguments,
    connectionHost,
    identifierOf,
    nonHttpService,
    parseIpv4Cidr,
    reachesInternet,
    registryOfImage,
    ruleCoversTcpPort,
    securityGroupRuleSnippet,
} from "../../policies/domain";

describe("network: CIDRs, security group rules, hosts", () => {
    it("parses IPv4 CIDRs and decides containment", () => {
        assert.deepStrictEqual(parseIpv4Cidr("10.0.1.7/24"), { base: (10 << 24) + 256, prefix: 24 });
        assert.strictEqual(parseIpv4Cidr("::/0"), undefined);
        assert.strictEqual(parseIpv4Cidr("300.0.0.0/8"), undefined);
        assert.strictEqual(cidrContains("10.0.0.0/16", "10.0.1.0/24"), true);
        assert.strictEqual(cidrContains("10.0.1.0/24", "10.0.0.0/16"), false);
        assert.strictEqual(cidrContains("0.0.0.0/0", "192.168.1.1"), true);
        assert.strictEqual(cidrContains("10.1.0.0/16", "10.0.1.0/24"), false);
        assert.strictEqual(cidrContains("10.0.0.0/16", "fd00::/8"), undefined);
    });

    it("covers a TCP port by protocol and range (-1 is every port)", () => {
        assert.ok(ruleCoversTcpPort("-1", undefined, undefined, 5432));
        assert.ok(ruleCoversTcpPort("tcp", 0, 65535, 5432));
        assert.ok(ruleCoversTcpPort("6", 5432, 5432, 5432));
        assert.ok(!ruleCoversTcpPort("tcp", 3306, 3306, 5432));
        assert.ok(!ruleCoversTcpPort("udp", 0, 65535, 5432));
    });

    it("writes a ready-to-paste rule with variables named after the resources", () => {
        assert.strictEqual(identifierOf("platform-postgres"), "platformPostgres");
        assert.strictEqual(
            securityGroupRuleSnippet({
                direction: "ingress",
                name: "db-from-api",
                group: "db",
                peer: { securityGroup: "apiTasks" },
                port: 5432,
                description: "api to db",
            }),
            'new aws.vpc.SecurityGroupIngressRule("db-from-api", { securityGroupId: db.id, referencedSecurityGroupId: apiTasks.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432, description: "api to db" });',
        );
    });

    it("finds the host a connection setting names", () => {
        assert.strictEqual(
            connectionHost("postgres://app:pw@DB.abc.eu-west-1.rds.amazonaws.com:5432/app?sslmode=require"),
            "db.abc.eu-west-1.rds.amazonaws.com",
        );
        assert.strictEqual(
            connectionHost("rediss://:tok@master.c.abc.euw1.cache.amazonaws.com:6379/0"),
            "master.c.abc.euw1.cache.amazonaws.com",
        );
        assert.strictEqual(connectionHost("jdbc:postgresql://db.internal:5432/app"), "db.internal");
        assert.strictEqual(connectionHost("db.internal:5432"), "db.internal");
        for (const v of ["info", "8080", "/run/secrets/db", "a value with spaces"]) assert.strictEqual(connectionHost(v), undefined, v);
    });
});

describe("aws-api-access: what a task must reach", () => {
    it("tells private ECR from registries without an endpoint", () => {
        assert.deepStrictEqual(registryOfImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0"), {
            kind: "ecr",
            host: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        });
        assert.deepStrictEqual(registryOfImage("public.ecr.aws/docker/library/python:3.12-slim"), {
            kind: "internet",
            host: "public.ecr.aws",
        });
        assert.deepStrictEqual(registryOfImage("python:3.12-slim"), { kind: "internet", host: "docker.io" });
        assert.strictEqual(registryOfImage("ghcr.io/mlflow/mlflow:v2")?.kind, "internet");
    });

    it("lists the endpoints a task needs, and reads endpoint service names", () => {
        const needs = apiNeedsOf({ ecrImages: ["x"], secretsManager: true, ssm: false, awslogs: true }).map(
            (n) => `${n.api}/${n.endpointType}`,
        );
        assert.deepStrictEqual(needs, [
            "ecr.api/Interface",
            "ecr.dkr/Interface",
            "s3/Gateway",
            "secretsmanager/Interface",
            "logs/Interface",
        ]);
        assert.deepStrictEqual(apiOfServiceName("com.amazonaws.eu-west-1.ecr.dkr"), { region: "eu-west-1", api: "ecr.dkr" });
        assert.deepStrictEqual(apiOfServiceName("cn.com.amazonaws.cn-north-1.s3"), { region: "cn-north-1", api: "s3" });
    });

    it("reaches the internet through NAT, or an internet gateway with a public IP", () => {
        assert.strictEqual(reachesInternet("nat", false), true);
        assert.strictEqual(reachesInternet("igw", false), false);
        assert.strictEqual(reachesInternet("igw", true), true);
        assert.strictEqual(reachesInternet("none", true), false);
        assert.strictEqual(reachesInternet("other", false), "unknown");
    });
});

describe("non-HTTP servers and command-line credentials", () => {
    it("knows non-HTTP servers by image or well-known port", () => {
        assert.strictEqual(nonHttpService({ image: "redis:7" })?.server, "Redis");
        assert.strictEqual(nonHttpService({ image: "public.ecr.aws/docker/library/postgres:16", port: 8080 })?.server, "PostgreSQL");
        assert.strictEqual(nonHttpService({ image: "myorg/app:1", port: 27017 })?.server, "MongoDB");
        assert.strictEqual(nonHttpService({ image: "rabbitmq:3-management", port: 15672 }), undefined, "RabbitMQ's management UI is HTTP");
        assert.strictEqual(nonHttpService({ image: "myorg/app:1", port: 8080 }), undefined);
    });

    it("finds literal credentials in argv and in sh -c scripts, never variables or files", () => {
        assert.deepStrictEqual(
            classifyCommandArguments(["redis-server", "--requirepass", "s3cr3t-s3cr3t"]).map((f) => [f.id, f.index]),
            [["secret-flag-in-command", 2]],
        );
        assert.deepStrictEqual(
            classifyCommandArguments(["app", "--api-key=abc123def456"]).map((f) => f.id),
            ["secret-flag-in-command"],
        );
        assert.deepStrictEqual(
            classifyCommandArguments(["sh", "-c", "exec app --token ghp_abcdefghijklmnopqrstuvwxyz0123456789"]).map((f) => [f.id, f.index]),
            [["secret-flag-in-command", 2]],
        );
        assert.deepStrictEqual(
            classifyCommandArguments(["app", "postgres://u:pw@db/app"]).map((f) => f.id),
            ["url-with-password-in-command"],
        );
        assert.deepStrictEqual(classifyCommandArguments(["sh", "-c", 'exec redis-server --requirepass "$REDIS_PASSWORD"']), []);
        assert.deepStrictEqual(classifyCommandArguments(["app", "--password-file", "/run/secrets/db", "--secret", "/etc/key"]), []);
    });
});
