/**
 * End to end: the deploy-breakers of issue 13 through `npm run --silent check -- --program … --format
 * json`, as a user runs it — the fixture programs in tests/fixtures/programs/deploy-breakers-{raw,awsx}
 * (written the way users write them, each with one instance of every mistake), the repo's real policy
 * pack booted like the Pulumi CLI boots it. Assertions name the policy and the key facts of each
 * message (the values found), not whole sentences.
 */
import * as assert from "node:assert/strict";
import type { Finding } from "../../cli/check/report";
import { checkOnce, parseJson, program } from "./cli";

const NEW_POLICIES = [
    "tasks-reach-their-data-stores",
    "tasks-reach-aws-apis",
    "container-definition-registers",
    "app-receives-sigterm",
    "postgres-tls-matches-server",
    "load-balancer-protocol-matches-container",
    "no-plaintext-secrets-in-environment",
];

function blocking(report: { findings: Finding[] }, policy: string, resourceName: string): Finding[] {
    return report.findings.filter((f) => f.policy === policy && f.resourceName === resourceName && f.decided && f.blocking);
}

function one(report: { findings: Finding[] }, policy: string, resourceName: string, ...facts: RegExp[]): Finding {
    const found = blocking(report, policy, resourceName).filter((f) => facts.every((fact) => fact.test(f.message)));
    assert.equal(
        found.length,
        1,
        `expected one blocking ${policy} finding on '${resourceName}' matching ${facts.join(", ")}; findings: ${JSON.stringify(
            report.findings.map((f) => [f.policy, f.resourceName, f.decided, f.message.split("\n")[1]?.slice(0, 160)]),
            null,
            1,
        )}`,
    );
    return found[0];
}

describe("check CLI: the deploy-breakers of real programs (issue 13)", function () {
    this.timeout(300_000);

    it("raw @pulumi/aws: every deploy-breaker is a blocking finding", async () => {
        const result = await checkOnce(["--program", program("deploy-breakers-raw"), "--format", "json"]);
        assert.equal(result.code, 1, result.stderr);
        const report = parseJson(result);
        one(
            report,
            "tasks-reach-their-data-stores",
            "api",
            /'db' on TCP 5432/,
            /no ingress rule of 'db''s security groups admits the tasks of 'api'/,
            /new aws\.vpc\.SecurityGroupIngressRule\("db-from-tasks", \{ securityGroupId: db\.id, referencedSecurityGroupId: tasks\.id/,
        );
        one(
            report,
            "tasks-reach-aws-apis",
            "api",
            /route table 'private' has no route to 0\.0\.0\.0\/0/,
            /public\.ecr\.aws has no VPC endpoint/,
            /logs to ship its logs with the awslogs driver/,
        );
        one(report, "container-definition-registers", "api", /awslogs-stream-prefixs/, /Rename the option to `awslogs-stream-prefix`/);
        one(report, "app-receives-sigterm", "api", /\["sh", "-c", "python -m migrate && python -m api"\]/, /dash/);
        one(report, "postgres-tls-matches-server", "api", /`sslmode=disable`/, /rds\.force_ssl defaults to 1 for postgres 16/);
        one(
            report,
            "load-balancer-protocol-matches-container",
            "cache",
            /target group 'cache' \(HTTP\) in front of container 'redis' on port 6379/,
        );
        one(report, "no-plaintext-secrets-in-environment", "cache", /`--requirepass` followed by a literal value/);
        one(report, "no-plaintext-secrets-in-environment", "api", /container definitions computed from a Pulumi secret/);
        assert.ok(!result.stdout.includes("correct-horse-battery-staple"), "the literal password is never printed");
        assert.ok(!result.stdout.includes("checkout-v2=on"), "the secret parameter value is never printed");
    });

    it("awsx components offline: the same mistakes found in the components' args", async () => {
        const result = await checkOnce(["--program", program("deploy-breakers-awsx"), "--format", "json"]);
        assert.equal(result.code, 1, result.stderr);
        const report = parseJson(result);
        for (const f of report.findings.filter((x: Finding) => NEW_POLICIES.includes(x.policy) && x.decided))
            assert.equal(f.resourceType, "awsx:ecs:FargateService", f.message);
        one(
            report,
            "tasks-reach-aws-apis",
            "api",
            /awsx Vpc 'main' has no NAT gateway \(`natGateways\.strategy: "None"`\)/,
            /ecr\.api to pull ECR image/,
        );
        one(report, "tasks-reach-their-data-stores", "api", /'db' on TCP 5432/, /`DATABASE_URL` of container 'api' names its endpoint/);
        one(
            report,
            "app-receives-sigterm",
            "api",
            /\["\/bin\/sh", "-c", "gunicorn --bind 0\.0\.0\.0:8000 api\.wsgi"\]/,
            /the Dockerfile of image build 'api' \(based on python:3\.12-slim\)/,
        );
        one(report, "postgres-tls-matches-server", "api", /`sslmode=disable`/);
        one(
            report,
            "load-balancer-protocol-matches-container",
            "cache",
            /awsx ApplicationLoadBalancer 'cache' \(HTTP\) in front of container 'redis' on port 6379/,
        );
        one(report, "container-definition-registers", "cache", /memoryReservation 512 MiB, memory 256 MiB/);
        // The program's run marks the SSM parameter's value itself secret (not the whole args): the finding names the variable.
        one(
            report,
            "no-plaintext-secrets-in-environment",
            "api",
            /`FEATURE_FLAGS` in plain `environment` of container 'api' \[pulumi-secret-in-environment\]/,
        );
        assert.ok(!result.stdout.includes("checkout-v2=on"), "the secret parameter value is never printed");
    });

    it("the repo's dev stack stays clean: not even an undecided report from the new policies", async () => {
        const result = await checkOnce(["--format", "json"]);
        assert.equal(result.code, 0, result.stderr);
        const report = parseJson(result);
        assert.deepEqual(
            report.findings.filter((f: Finding) => NEW_POLICIES.includes(f.policy)).map((f: Finding) => f.message),
            [],
        );
        for (const name of NEW_POLICIES)
            assert.ok(
                report.policyPack.policies.some((p: { name: string }) => p.name === name),
                `the pack lists ${name}`,
            );
    });

    it("SARIF lists the new policies as rules", async () => {
        const result = await checkOnce(["--program", program("deploy-breakers-raw"), "--format", "sarif"]);
        assert.equal(result.code, 1, result.stderr);
        const rules: Array<{ id: string; helpUri?: string; fullDescription: { text: string } }> =
            parseJson(result).runs[0].tool.driver.rules;
        for (const name of NEW_POLICIES) {
            const rule = rules.find((r) => r.id === name);
            assert.ok(rule, `SARIF rule ${name}`);
            assert.ok(rule.fullDescription.text.length > 0);
        }
    });
});
