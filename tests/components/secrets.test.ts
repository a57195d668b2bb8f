import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type MockedRun, settleOutput, valueOf, withMocks } from "../support/pulumi-mocks";
import {
    HEALTHY_FARGATE_SERVICE_TYPE,
    HealthyFargateService,
    type HealthyFargateServiceArgs,
    InvalidArgumentsError,
} from "../../components";
import {
    resolveSecretsManagerReference,
    resolveSsmParameterReference,
    secretStatements,
} from "../../components/healthy-fargate-service/secrets";

const baseArgs: HealthyFargateServiceArgs = {
    cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/platform",
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-a", "subnet-b"],
    listener: { listenerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/2", securityGroupId: "sg-alb" },
    routing: { priority: 10, pathPatterns: ["/api/*"] },
    // Not an ECR image: the execution policy holds only the log statement plus the secrets.
    image: "nginx:1.27",
};

const LOGS = {
    Sid: "WriteOwnLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/healthy-fargate/test/api:*"],
};
const KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_ACCOUNT_KEY = "arn:aws:kms:eu-west-1:210987654321:key/abcd-ef01";

const byType = (run: MockedRun, type: string) => run.resources.filter((r) => r.type === type);
const policyOf = (run: MockedRun) => JSON.parse(byType(run, "aws:iam/rolePolicy:RolePolicy")[0].inputs.policy as string);
const containerOf = (run: MockedRun) =>
    JSON.parse(byType(run, "aws:ecs/taskDefinition:TaskDefinition")[0].inputs.containerDefinitions as string)[0];

/** Resolves an Output or returns its error (test only; uses the Output's internal promise). */
describe("HealthyFargateService secrets: every kind of source", () => {
    let run: MockedRun;
    let arns: { shared: string; flags: string; own: string };

    before(async () => {
        run = await withMocks();
        const shared = new aws.secretsmanager.Secret("shared-token", { name: "shared/token" });
        const flags = new aws.ssm.Parameter("flags", { name: "/test/flags-token", type: "SecureString", value: "x" });
        new HealthyFargateService("api", {
            ...baseArgs,
            environment: { LOG_LEVEL: "info" },
            secrets: {
                API_KEY: { secretsManager: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-key-AbCdEf" },
                DATABASE_PASSWORD: {
                    secretsManager: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db",
                    jsonKey: "password",
                    kmsKeyArn: KMS_KEY,
                },
                PREVIOUS_TOKEN: { secretsManager: shared, versionStage: "AWSPREVIOUS" },
                REDIS_URL: { ssmParameter: "/test/api/redis-url" },
                SIGNING_KEY: {
                    ssmParameter: "arn:aws:ssm:eu-west-1:210987654321:parameter/shared/signing-key",
                    kmsKeyArn: pulumi.output(OTHER_ACCOUNT_KEY),
                },
                FLAGS_TOKEN: { ssmParameter: flags },
                SESSION_SECRET: { value: "s3cr3t-session-value" },
            },
        });
        await run.settle();
        const own = byType(run, "aws:secretsmanager/secret:Secret").find((r) => r.name === "api-secret-SESSION_SECRET")!;
        arns = { shared: await valueOf(shared.arn), flags: await valueOf(flags.arn), own: own.outputs.arn as string };
    });

    it("sets the container's secrets with the right valueFrom for each source", () => {
        assert.deepEqual(containerOf(run).secrets, [
            { name: "API_KEY", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-key-AbCdEf" },
            { name: "DATABASE_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db:password::" },
            { name: "FLAGS_TOKEN", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/test/flags-token" },
            { name: "PREVIOUS_TOKEN", valueFrom: `${arns.shared}::AWSPREVIOUS:` },
            { name: "REDIS_URL", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/test/api/redis-url" },
            { name: "SESSION_SECRET", valueFrom: arns.own },
            { name: "SIGNING_KEY", valueFrom: "arn:aws:ssm:eu-west-1:210987654321:parameter/shared/signing-key" },
        ]);
        assert.deepEqual(containerOf(run).environment, [{ name: "LOG_LEVEL", value: "info" }], "secrets stay out of environment");
    });

    it("grants the execution role exactly those secrets, parameters and keys", () => {
        assert.match(arns.shared, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:shared\/token-[A-Za-z]{6}$/);
        assert.deepEqual(policyOf(run).Statement, [
            LOGS,
            {
                Sid: "ReadOwnSecrets",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue"],
                Resource: [
                    arns.own,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-key-AbCdEf",
                    // Partial ARN: the grant must match the random suffix of the real ARN.
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????",
                    arns.shared,
                ].sort(),
            },
            {
                Sid: "ReadOwnParameters",
                Effect: "Allow",
                Action: ["ssm:GetParameters"],
                Resource: [
                    "arn:aws:ssm:eu-west-1:210987654321:parameter/shared/signing-key",
                    "arn:aws:ssm:us-east-1:123456789012:parameter/test/api/redis-url",
                    "arn:aws:ssm:us-east-1:123456789012:parameter/test/flags-token",
                ],
            },
            { Sid: "DecryptOwnSecrets", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [KMS_KEY, OTHER_ACCOUNT_KEY].sort() },
        ]);
    });

    it("gives the task role nothing", () => {
        assert.equal(byType(run, "aws:iam/rolePolicy:RolePolicy").length, 1, "only the execution role has a policy");
    });

    it("stores a `value` source in its own secret, as a Pulumi secret, and starts tasks only after it exists", () => {
        const component = run.resources.find((r) => r.type === HEALTHY_FARGATE_SERVICE_TYPE)!;
        const secret = run.resources.find((r) => r.name === "api-secret-SESSION_SECRET" && r.type === "aws:secretsmanager/secret:Secret")!;
        const version = run.resources.find(
            (r) => r.name === "api-secret-SESSION_SECRET" && r.type === "aws:secretsmanager/secretVersion:SecretVersion",
        )!;
        assert.equal(secret.parent, component.urn);
        assert.equal(version.parent, component.urn);
        assert.equal(version.inputs.secretId, secret.id);
        const stored = version.inputs.secretString as Record<string, unknown>;
        assert.equal(stored.value, "s3cr3t-session-value");
        assert.equal(stored["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "marked secret in state");
        const service = byType(run, "aws:ecs/service:Service")[0];
        const policy = byType(run, "aws:iam/rolePolicy:RolePolicy")[0];
        assert.ok(service.dependencies.includes(version.urn), "service waits for the secret value");
        assert.ok(service.dependencies.includes(policy.urn), "service waits for the execution role's grant");
        assert.ok(
            !JSON.stringify(byType(run, "aws:ecs/taskDefinition:TaskDefinition")[0].inputs).includes("s3cr3t-session-value"),
            "value not in the task definition",
        );
    });
});

describe("HealthyFargateService secrets: grants only what is needed", () => {
    it("adds no kms statement without a customer key, and no secret statements without secrets", async () => {
        const run = await withMocks();
        new HealthyFargateService("api", { ...baseArgs, secrets: { REDIS_URL: { ssmParameter: "redis-url" } } });
        await run.settle();
        assert.deepEqual(policyOf(run).Statement, [
            LOGS,
            {
                Sid: "ReadOwnParameters",
                Effect: "Allow",
                Action: ["ssm:GetParameters"],
                Resource: ["arn:aws:ssm:us-east-1:123456789012:parameter/redis-url"],
            },
        ]);

        const plain = await withMocks();
        new HealthyFargateService("api", baseArgs);
        await plain.settle();
        assert.deepEqual(policyOf(plain).Statement, [LOGS]);
        assert.equal("secrets" in containerOf(plain), false, "no empty secrets list");
    });

    it("grants a secret used twice once", () => {
        const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
        assert.deepEqual(
            secretStatements([
                { name: "USER", valueFrom: `${arn}:username::`, secretArnGrant: arn },
                { name: "PASS", valueFrom: `${arn}:password::`, secretArnGrant: arn },
            ]),
            [{ Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [arn] }],
        );
    });
});

describe("HealthyFargateService secrets: references resolved by the domain rules", () => {
    it("accepts an RDS-managed secret ARN (`rds!db-…`) and selects its JSON key", () => {
        const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0f3c2a1b-9d8e-4f7a-b6c5-1234567890ab-AbCdEf";
        assert.deepEqual(resolveSecretsManagerReference("secrets.DATABASE_PASSWORD.secretsManager", arn, { jsonKey: "password" }), {
            ok: true,
            valueFrom: `${arn}:password::`,
            grantArn: arn,
        });
    });

    it("pins a version by id", () => {
        const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
        assert.deepEqual(resolveSecretsManagerReference("f", arn, { versionId: "v-1" }), {
            ok: true,
            valueFrom: `${arn}:::v-1`,
            grantArn: arn,
        });
    });

    it("turns a parameter name into its ARN in the task's region and account", () => {
        const where = { partition: "aws-cn", region: "cn-north-1", account: "123456789012" };
        assert.deepEqual(resolveSsmParameterReference("f", "/app/db", where), {
            ok: true,
            valueFrom: "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/app/db",
            grantArn: "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/app/db",
        });
        assert.deepEqual(resolveSsmParameterReference("f", "plain", where), {
            ok: true,
            valueFrom: "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/plain",
            grantArn: "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/plain",
        });
    });
});

describe("HealthyFargateService secrets: bad sources are rejected before anything is registered", () => {
    const SM = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
    const cases: Array<[string, Partial<HealthyFargateServiceArgs>, RegExp]> = [
        [
            "a malformed Secrets Manager ARN",
            { secrets: { DATABASE_PASSWORD: { secretsManager: "arn:aws:secretsmanager:us-east-1:12345:secret:db" } } },
            /`secrets\.DATABASE_PASSWORD\.secretsManager`: .*no valid 12-digit account id.* Pass the secret's full ARN/,
        ],
        [
            "a Secrets Manager secret given by name",
            { secrets: { DATABASE_PASSWORD: { secretsManager: "prod/db" } } },
            /`secrets\.DATABASE_PASSWORD\.secretsManager` is `prod\/db`, a name: ECS reads a plain name as an SSM parameter name/,
        ],
        [
            "an SSM ARN passed as a Secrets Manager secret",
            { secrets: { X: { secretsManager: "arn:aws:ssm:us-east-1:123456789012:parameter/x" } } },
            /`secrets\.X\.secretsManager` is an SSM parameter ARN .* Pass it as `\{ ssmParameter: "arn:aws:ssm/,
        ],
        [
            "a parameter name of an unknown shape",
            { secrets: { REDIS_URL: { ssmParameter: "redis url?" } } },
            /`secrets\.REDIS_URL\.ssmParameter`: .*neither an ARN nor a valid SSM parameter name.* Pass the parameter's name/,
        ],
        [
            "a parameter name in the reserved aws/ssm namespace",
            { secrets: { REDIS_URL: { ssmParameter: "/aws/reference/x" } } },
            /`secrets\.REDIS_URL\.ssmParameter`: .*not starting with `aws` or `ssm`/,
        ],
        [
            "an empty Secrets Manager reference",
            { secrets: { X: { secretsManager: "" } } },
            /`secrets\.X\.secretsManager`: `valueFrom` is empty/,
        ],
        ["an empty parameter reference", { secrets: { X: { ssmParameter: "" } } }, /`secrets\.X\.ssmParameter`: `valueFrom` is empty/],
        ["an empty value", { secrets: { X: { value: " " } } }, /`secrets\.X\.value` is empty/],
        [
            "a name in both environment and secrets",
            { environment: { DATABASE_PASSWORD: "x" }, secrets: { DATABASE_PASSWORD: { secretsManager: SM } } },
            /`DATABASE_PASSWORD` is set in both `environment` and `secrets`/,
        ],
        [
            "a selector already in the ARN",
            { secrets: { X: { secretsManager: `${SM}:password::` } } },
            /already carries a `:json-key:version-stage:version-id` selector/,
        ],
        [
            "both a version stage and a version id, with the ARN unknown yet",
            { secrets: { X: { secretsManager: pulumi.output(SM), versionStage: "AWSCURRENT", versionId: "v1" } } },
            /`<secret ARN>::AWSCURRENT:v1` sets both a version stage and a version id/,
        ],
        [
            "a KMS alias instead of a key ARN",
            { secrets: { X: { secretsManager: SM, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/app" } } },
            /`secrets\.X\.kmsKeyArn` must be a KMS key ARN.*An alias does not work/,
        ],
        [
            "a source of two kinds",
            { secrets: { X: { secretsManager: SM, ssmParameter: "/x" } as any } },
            /`secrets\.X` must be exactly one of/,
        ],
        [
            "an option of another kind",
            { secrets: { X: { ssmParameter: "/x", jsonKey: "password" } as any } },
            /`secrets\.X`: `jsonKey` does not apply to a `ssmParameter` source/,
        ],
        [
            "a URL with a password in environment",
            { environment: { DATABASE_URL: "postgres://app:hunter2@db.internal:5432/app" } },
            /`environment\.DATABASE_URL`: .*URL with a password \(`postgres:\/\/app:\*\*\*\*@db\.internal:5432\/app`\).*`secrets: \{ DATABASE_URL: \{ value: <the value> \} \}`/,
        ],
        [
            "a token in environment",
            { environment: { GITHUB: "ghp_0123456789abcdefghijABCDEFGHIJ0123456789" } },
            /`environment\.GITHUB`: .*looks like a credential \(github-token\)/,
        ],
        [
            "a secret-like name whose value is not known yet",
            { environment: { DB_PASSWORD: pulumi.output("x") } },
            /`environment\.DB_PASSWORD`: .*named like a secret.*`secrets: \{ DB_PASSWORD: \{ value:/,
        ],
    ];
    for (const [what, change, message] of cases) {
        it(`rejects ${what}`, async () => {
            const run = await withMocks();
            assert.throws(
                () => new HealthyFargateService("bad", { ...baseArgs, ...change }),
                (e: unknown) => {
                    assert.ok(e instanceof InvalidArgumentsError);
                    assert.match((e as Error).message, /^Invalid arguments for HealthyFargateService:\n {2}- bad: /);
                    assert.match((e as Error).message, message);
                    assert.doesNotMatch((e as Error).message, /hunter2/, "never shows a password");
                    return true;
                },
            );
            assert.equal((await run.settle()).length, 0, "nothing registered");
        });
    }

    it("accepts a plain environment that holds no credential", async () => {
        const run = await withMocks();
        new HealthyFargateService("ok", {
            ...baseArgs,
            environment: { LOG_LEVEL: "debug", TOKEN_URL: "https://auth.example.com/token", PASSWORD_MIN_LENGTH: "12" },
        });
        assert.ok((await run.settle()).length > 0);
    });
});

describe("HealthyFargateService secrets: Output sources are checked once known", () => {
    let swallow: (e: unknown) => void;
    before(() => {
        swallow = () => undefined;
        process.on("unhandledRejection", swallow);
    });
    after(() => {
        process.off("unhandledRejection", swallow);
    });

    it("fails with the same message when an Output secret reference turns out malformed", async () => {
        const run = await withMocks();
        const service = new HealthyFargateService("late", {
            ...baseArgs,
            secrets: { DATABASE_PASSWORD: { secretsManager: pulumi.output("prod/db") } },
        });
        const { error } = await settleOutput(service.taskDefinitionArn);
        assert.ok(error, "the update fails");
        assert.match(error!.message, /late: `secrets\.DATABASE_PASSWORD\.secretsManager` is `prod\/db`, a name/);
        const types = (await run.settle()).map((r) => r.type);
        assert.ok(
            !types.includes("aws:ecs/taskDefinition:TaskDefinition") && !types.includes("aws:iam/rolePolicy:RolePolicy"),
            "neither the task definition nor the grant is registered",
        );
    });

    it("fails when an Output environment value turns out to be a credential", async () => {
        const run = await withMocks();
        const service = new HealthyFargateService("late", {
            ...baseArgs,
            environment: { CALLBACK_URL: pulumi.output("https://user:hunter2@hooks.example.com/cb") },
        });
        const { error } = await settleOutput(service.taskDefinitionArn);
        assert.ok(error);
        assert.match(error!.message, /late: `environment\.CALLBACK_URL`: .*URL with a password/);
        assert.doesNotMatch(error!.message, /hunter2/);
        assert.ok(!(await run.settle()).some((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition"));
    });
});
