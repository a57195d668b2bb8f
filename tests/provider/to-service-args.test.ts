/**
 * The conversion of the portable args into the TypeScript component's args (provider/to-service-args.ts):
 * pure, so tested without Pulumi's runtime. What the TypeScript component then makes of the
 * result is tested in construct.test.ts.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import type { PortableServiceArgs } from "../../provider/portable-args";
import { PORTABLE_DEFAULTS, pendingValueProblems, toServiceArgs } from "../../provider/to-service-args";
import { portableServiceArgs } from "../support/service-args";

const base = portableServiceArgs;

function converted(args: PortableServiceArgs) {
    const result = toServiceArgs(args);
    assert.deepEqual(result.problems, []);
    assert.ok(result.value);
    return result.value;
}

function problemsOf(args: unknown): string[] {
    const result = toServiceArgs(args as PortableServiceArgs);
    assert.ok(result.problems.length > 0, "expected conversion problems");
    return result.problems;
}

describe("toServiceArgs (portable → TypeScript args)", () => {
    it("passes the fields both surfaces share through unchanged", () => {
        const args: PortableServiceArgs = {
            ...base,
            port: 5000,
            containerName: "web",
            command: ["gunicorn"],
            environment: { LOG_LEVEL: "info" },
            cpu: 1024,
            memory: 2048,
            cpuArchitecture: "ARM64",
            probe: { tool: "python", livenessPath: "/healthz" },
            drain: { longestRequestSeconds: 30 },
            desiredCount: 3,
            minimumHealthyPercent: 100,
            maximumPercent: 200,
            waitForSteadyState: false,
            deployment: { strategy: "blue-green", bakeTimeMinutes: 10 },
            logRetentionDays: 14,
            tags: { team: "ml" },
        };
        const { verifyRollout, ...rest } = converted(args);
        assert.deepEqual(rest, args);
        assert.equal(verifyRollout, false);
    });

    it("defaults verifyRollout to false (PORTABLE_DEFAULTS) and keeps an explicit true", () => {
        assert.equal(PORTABLE_DEFAULTS.verifyRollout, false);
        assert.equal(converted(base).verifyRollout, false);
        assert.equal(converted({ ...base, verifyRollout: true }).verifyRollout, true);
    });

    it("turns each secret kind into the TypeScript source shape, selectors included", () => {
        const value = pulumi.secret("s3cr3t");
        const args = converted({
            ...base,
            secrets: {
                DB_PASSWORD: {
                    kind: "secretsManager",
                    ref: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
                    jsonKey: "password",
                },
                REDIS_URL: { kind: "ssmParameter", ref: "/prod/api/redis-url", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k" },
                SESSION: { kind: "value", ref: value },
            },
        });
        assert.deepEqual(args.secrets, {
            DB_PASSWORD: { secretsManager: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", jsonKey: "password" },
            REDIS_URL: { ssmParameter: "/prod/api/redis-url", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k" },
            SESSION: { value },
        });
    });

    it("drops fields an SDK sends as null or undefined (not set)", () => {
        const args = converted({
            ...base,
            port: null,
            probe: { livenessPath: "/live", statusPath: null },
            listener: { ...base.listener, dnsName: undefined },
            secrets: { DB: { kind: "ssmParameter", ref: "/a/b", jsonKey: null, kmsKeyArn: undefined } },
        } as unknown as PortableServiceArgs);
        assert.ok(!("port" in args));
        assert.deepEqual(args.probe, { livenessPath: "/live" });
        assert.deepEqual(args.listener, base.listener);
        assert.deepEqual(args.secrets, { DB: { ssmParameter: "/a/b" } });
    });

    it("maps alarms: enabled false → false, each alarm's enabled false → false, tuning → on, nothing → the default", () => {
        assert.equal(converted({ ...base, alarms: { enabled: false } }).alarms, false);
        assert.deepEqual(
            converted({
                ...base,
                alarms: {
                    snsTopicArn: "arn:aws:sns:us-east-1:123456789012:ops",
                    containerInsights: "enhanced",
                    rollbackOn: ["targetErrorRate"],
                    latencyP90: { enabled: false },
                    latencyP99: { thresholdSeconds: 5 },
                    containerHealth: { enabled: true },
                    runningTasks: {},
                },
            }).alarms,
            {
                snsTopicArn: "arn:aws:sns:us-east-1:123456789012:ops",
                containerInsights: "enhanced",
                rollbackOn: ["targetErrorRate"],
                latencyP90: false,
                latencyP99: { thresholdSeconds: 5 },
                containerHealth: {},
            },
        );
    });

    it("maps smoke: enabled true → on (with its settings), unset → off", () => {
        assert.equal(converted({ ...base, smoke: { enabled: true } }).smoke, true);
        assert.deepEqual(converted({ ...base, smoke: { enabled: true, paths: ["/"], requests: 2 } }).smoke, { paths: ["/"], requests: 2 });
        assert.equal(converted({ ...base, smoke: {} }).smoke, undefined);
        assert.equal(converted({ ...base, smoke: { enabled: false } }).smoke, false);
    });

    it("fills startup.expectedSeconds with the TypeScript default when only the worst case is given", () => {
        assert.deepEqual(converted({ ...base, startup: { worstCaseSeconds: 120 } }).startup, {
            expectedSeconds: 30,
            worstCaseSeconds: 120,
        });
        assert.deepEqual(converted({ ...base, startup: { expectedSeconds: 10 } }).startup, { expectedSeconds: 10 });
    });

    it("turns task role statements into IAM JSON, Allow unless said otherwise", () => {
        const args = converted({
            ...base,
            taskRoleStatements: [
                { actions: ["s3:GetObject"], resources: ["arn:aws:s3:::models/*"] },
                {
                    sid: "NoDelete",
                    effect: "Deny",
                    actions: ["s3:DeleteObject"],
                    resources: ["*"],
                    conditions: { Bool: { "aws:SecureTransport": ["false"] } },
                },
            ],
        });
        assert.deepEqual(args.taskRoleStatements, [
            { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::models/*"] },
            {
                Sid: "NoDelete",
                Effect: "Deny",
                Action: ["s3:DeleteObject"],
                Resource: ["*"],
                Condition: { Bool: { "aws:SecureTransport": ["false"] } },
            },
        ]);
    });

    it("rejects an unknown secret kind (with the nearest one) and a missing ref, naming the portable field", () => {
        assert.deepEqual(problemsOf({ ...base, secrets: { DB: { kind: "secretManager", ref: "x" }, TOKEN: { kind: "value" } } }), [
            '`secrets.DB.kind` must be one of "secretsManager", "ssmParameter", "value", got "secretManager". Did you mean "secretsManager"?',
            '`secrets.TOKEN.ref` is required: the secret\'s ARN (kind "secretsManager"), the parameter\'s name or ARN (kind "ssmParameter"), or the value itself (kind "value").',
        ]);
        assert.deepEqual(problemsOf({ ...base, secrets: { DB: "arn:aws:secretsmanager:…" } }), [
            "`secrets.DB` must be an object { kind, ref, jsonKey?, versionStage?, versionId?, kmsKeyArn? }.",
        ]);
    });

    it("rejects unknown keys at every level, naming the nearest valid key", () => {
        const problems = problemsOf({
            ...base,
            desiredCont: 3,
            listener: { ...base.listener, dnsNme: "x" },
            alarms: { latencyP90: { thresholdSecond: 2 } },
            secrets: { DB: { kind: "ssmParameter", ref: "/a", jsonkey: "p" } },
            taskRoleStatements: [{ actions: [], resources: [], Effect: "Allow" }],
        });
        assert.deepEqual(problems, [
            "`desiredCont` is not an argument: did you mean `desiredCount`?",
            "`listener.dnsNme` is not an argument of `listener`: did you mean `listener.dnsName`?",
            "`alarms.latencyP90.thresholdSecond` is not an argument of `alarms.latencyP90`: did you mean `alarms.latencyP90.thresholdSeconds`?",
            "`secrets.DB.jsonkey` is not an argument of `secrets.DB`: did you mean `secrets.DB.jsonKey`?",
            "`taskRoleStatements[0].Effect` is not an argument of `taskRoleStatements[0]`: did you mean `taskRoleStatements[0].effect`?",
        ]);
    });

    it("rejects settings that enabled: false (or a smoke test without enabled: true) would ignore", () => {
        assert.deepEqual(problemsOf({ ...base, alarms: { enabled: false, snsTopicArn: "arn:aws:sns:us-east-1:1:t" } }), [
            "`alarms`: `snsTopicArn` would be ignored: remove `alarms.enabled: false` to use them, or remove them.",
        ]);
        assert.deepEqual(problemsOf({ ...base, alarms: { latencyP99: { enabled: false, thresholdSeconds: 3 } } }), [
            "`alarms.latencyP99`: `thresholdSeconds` would be ignored: remove `alarms.latencyP99.enabled: false` to use them, or remove them.",
        ]);
        assert.deepEqual(problemsOf({ ...base, smoke: { paths: ["/"] } }), [
            "`smoke`: `paths` would be ignored: set `smoke.enabled` to true to use them, or remove them.",
        ]);
    });

    it("rejects an Output where the component needs the value itself, and accepts one where the schema allows it", () => {
        const later = pulumi.output("later");
        assert.deepEqual(
            problemsOf({
                ...base,
                port: pulumi.output(8080),
                probe: { livenessPath: later },
                secrets: { DB: { kind: later, ref: "/a" } },
                routing: { priority: 10, pathPatterns: [later] },
            }).map((p) => p.split(" must")[0]),
            ["`routing.pathPatterns[0]`", "`port`", "`probe.livenessPath`", "`secrets.DB.kind`"],
        );
        const accepted = converted({
            ...base,
            cluster: later,
            vpcId: later,
            subnetIds: [later],
            image: later,
            environment: { A: later },
            listener: { listenerArn: later, securityGroupId: later, dnsName: later, loadBalancerArnSuffix: later },
            secrets: { DB: { kind: "secretsManager", ref: later, kmsKeyArn: later } },
            alarms: { snsTopicArn: later },
            taskRoleStatements: [{ actions: ["s3:GetObject"], resources: [later] }],
        });
        assert.equal(accepted.cluster, later);
        assert.deepEqual(pendingValueProblems({ subnetIds: Promise.resolve(["a"]) }), []);
        assert.match(pendingValueProblems({ tags: Promise.resolve({}) })[0], /^`tags` must be known when the program runs, not an Output/);
    });
});
