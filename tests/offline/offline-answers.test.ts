/**
 * Pure parts of the offline run: how values reach the analyzer (wire-values.ts), data sources
 * answered offline (invoke-results.ts) and the IAM policy document computed as the AWS provider
 * renders it (policy-document.ts).
 */
import * as assert from "node:assert/strict";
import { encodeProperties, SECRET_SIG as HOST_SECRET_SIG, SPECIAL_SIG_KEY } from "../../cli/analyzer/property-values";
import { hasOfflineAnswer, invokeResult } from "../../cli/offline/invoke-results";
import { policyDocument } from "../../cli/offline/policy-document";
import { OUTPUT_SIG, RESOURCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN, analyzerProperties, isSecretWire } from "../../cli/offline/wire-values";

describe("offline: values as the engine hands them to an analyzer", () => {
    it("resource references become the ID (custom), unknown while the ID is unknown, or the URN (component)", () => {
        const urn = "urn:pulumi:dev::p::aws:iam/role:Role::exec";
        const props = analyzerProperties({
            role: { [SIG_KEY]: RESOURCE_SIG, urn, id: "exec-1234" },
            pending: { [SIG_KEY]: RESOURCE_SIG, urn, id: "" },
            groups: [{ [SIG_KEY]: RESOURCE_SIG, urn: "urn:pulumi:dev::p::acme:net:Net::n" }],
        });
        assert.deepEqual(props, { role: "exec-1234", pending: UNKNOWN, groups: ["urn:pulumi:dev::p::acme:net:Net::n"] });
    });

    it("secrets stay secrets where they are (not hoisted), output values keep their secretness", () => {
        const props = analyzerProperties({
            environment: [{ name: "A", value: { [SIG_KEY]: SECRET_SIG, value: "s3cret" } }],
            out: { [SIG_KEY]: OUTPUT_SIG, value: "x", secret: true },
            unknownOut: { [SIG_KEY]: OUTPUT_SIG },
        });
        assert.equal(isSecretWire((props.environment as any)[0].value), true);
        assert.equal((props.environment as any)[0].name, "A", "the array around the secret is not a secret");
        assert.deepEqual(props.out, { [SIG_KEY]: SECRET_SIG, value: "x" });
        assert.equal(props.unknownOut, UNKNOWN);
    });

    it("the pack host sends a captured secret with the secret signature", () => {
        const wire = encodeProperties(analyzerProperties({ containerDefinitions: { [SIG_KEY]: SECRET_SIG, value: "[]" } }) as any);
        assert.deepEqual(wire.containerDefinitions, { [SPECIAL_SIG_KEY]: HOST_SECRET_SIG, value: "[]" });
    });
});

describe("offline: data sources", () => {
    it("answers the data sources ECS programs use, with values that trace back to their arguments", () => {
        for (const token of [
            "aws:ssm/getParameter:getParameter",
            "aws:ssm/getParameters:getParameters",
            "aws:secretsmanager/getSecret:getSecret",
            "aws:secretsmanager/getSecretVersion:getSecretVersion",
            "aws:index/getCallerIdentity:getCallerIdentity",
            "aws:index/getRegion:getRegion",
            "aws:index/getAvailabilityZones:getAvailabilityZones",
            "aws:ec2/getVpc:getVpc",
            "aws:ec2/getSubnets:getSubnets",
            "aws:ec2/getSecurityGroup:getSecurityGroup",
            "aws:ecr/getRepository:getRepository",
            "aws:ecr/getImage:getImage",
            "aws:acm/getCertificate:getCertificate",
            "aws:route53/getZone:getZone",
            "aws:lb/getListener:getListener",
            "aws:lb/getLoadBalancer:getLoadBalancer",
            "aws:lb/getTargetGroup:getTargetGroup",
            "aws:alb/getTargetGroup:getTargetGroup",
            "aws:iam/getPolicyDocument:getPolicyDocument",
            "aws:ecs/getCluster:getCluster",
            "aws:rds/getInstance:getInstance",
            "aws:elasticache/getReplicationGroup:getReplicationGroup",
        ]) {
            assert.equal(hasOfflineAnswer(token), true, token);
            assert.equal(typeof invokeResult(token, {}), "object", token);
        }
        assert.equal(hasOfflineAnswer("aws:ec2/getAmi:getAmi"), false);
        assert.equal(invokeResult("aws:ec2/getAmi:getAmi", {}), undefined);

        const parameter = invokeResult("aws:ssm/getParameter:getParameter", { name: "/prod/api/redis-url" })!;
        assert.equal(parameter.arn, "arn:aws:ssm:us-east-1:123456789012:parameter/prod/api/redis-url");
        assert.deepEqual(
            parameter.value,
            { [SIG_KEY]: SECRET_SIG, value: "offline-ssm-parameter:/prod/api/redis-url" },
            "the provider marks the value secret",
        );
        const secret = invokeResult("aws:secretsmanager/getSecret:getSecret", { name: "prod/db" })!;
        assert.match(secret.arn, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:prod\/db-[A-Za-z0-9]{6}$/);
        assert.equal(
            invokeResult("aws:ecs/getCluster:getCluster", { clusterName: "shared" })!.arn,
            "arn:aws:ecs:us-east-1:123456789012:cluster/shared",
        );
        const redis = invokeResult("aws:elasticache/getReplicationGroup:getReplicationGroup", { replicationGroupId: "cache" })!;
        assert.match(redis.primaryEndpointAddress, /^master\.cache\.[0-9a-f]{6}\.use1\.cache\.amazonaws\.com$/);
        assert.equal("transitEncryptionEnabled" in redis, false, "what only AWS knows is not invented");
    });
});

describe("offline: iam.getPolicyDocument as the AWS provider renders it", () => {
    it("Sid always present, Effect default Allow, one value as a string, several reverse-sorted, principals and conditions", () => {
        const { json, minifiedJson } = policyDocument({
            statements: [
                { actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }] },
                {
                    sid: "Read",
                    effect: "Allow",
                    actions: ["ssm:GetParameters", "secretsmanager:GetSecretValue", "kms:Decrypt", "ssm:GetParameters"],
                    resources: ["arn:aws:ssm:eu-west-1:1:parameter/a", "arn:aws:secretsmanager:eu-west-1:1:secret:b"],
                    conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["1"] }],
                },
                {
                    effect: "Deny",
                    notActions: ["s3:*"],
                    notResources: ["arn:aws:s3:::&{aws:username}/*"],
                    principals: [{ type: "*", identifiers: ["*"] }],
                },
            ],
        });
        assert.deepEqual(JSON.parse(json), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "", Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ecs-tasks.amazonaws.com" } },
                {
                    Sid: "Read",
                    Effect: "Allow",
                    Action: ["ssm:GetParameters", "secretsmanager:GetSecretValue", "kms:Decrypt"],
                    Resource: ["arn:aws:ssm:eu-west-1:1:parameter/a", "arn:aws:secretsmanager:eu-west-1:1:secret:b"],
                    Condition: { StringEquals: { "aws:SourceAccount": "1" } },
                },
                { Sid: "", Effect: "Deny", NotAction: "s3:*", NotResource: "arn:aws:s3:::${aws:username}/*", Principal: "*" },
            ],
        });
        assert.match(json, /^\{\n {2}"Version": "2012-10-17",\n {2}"Statement": \[/, "indented with two spaces, Version first");
        assert.equal(minifiedJson, JSON.stringify(JSON.parse(json)));
    });

    it("source documents first, then the statements, then overrides, merged by Sid; policyId becomes Id", () => {
        const source = JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
                { Sid: "B", Effect: "Allow", Action: "sqs:*", Resource: "*" },
            ],
        });
        const override = JSON.stringify({ Statement: [{ Sid: "B", Effect: "Deny", Action: "sqs:*", Resource: "*" }] });
        const doc = JSON.parse(
            policyDocument({
                policyId: "p1",
                sourcePolicyDocuments: [source],
                overridePolicyDocuments: [override],
                statements: [{ sid: "C", actions: ["ecs:*"], resources: ["*"] }],
            }).json,
        );
        assert.equal(doc.Id, "p1");
        assert.deepEqual(
            doc.Statement.map((s: any) => [s.Sid, s.Effect]),
            [
                ["A", "Allow"],
                ["B", "Deny"],
                ["C", "Allow"],
            ],
        );
    });
});
