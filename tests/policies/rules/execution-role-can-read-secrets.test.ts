import * as assert from "assert";
import { executionRoleCanReadSecrets as policy } from "../../../policies/rules/execution-role-can-read-secrets";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith } from "../awsx-worlds";
import { runStack, undecided, violations, assertFinding } from "../harness";
import {
    DB_SECRET_ARN,
    EXEC_ROLE_ARN,
    REDIS_PARAM_ARN,
    U,
    awsxServiceProps,
    executionPolicy,
    set,
    taskDefinitionProps,
    wiredContainer,
    wiredStack,
} from "../fixtures";

const withPolicy = (statements: Record<string, unknown>[]) =>
    wiredStack({ rolePolicy: { role: "api-execution", policy: executionPolicy(statements) } });
const GET_SECRET = { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: DB_SECRET_ARN };
const GET_PARAM = { Effect: "Allow", Action: "ssm:GetParameters", Resource: REDIS_PARAM_ARN };

describe("execution-role-can-read-secrets", () => {
    it("passes when the role policy grants exactly the secret and the parameter", () => {
        assert.deepStrictEqual(runStack(policy, wiredStack()), []);
    });

    it("rejects a missing grant, showing the statement to add", () => {
        const [v, ...rest] = runStack(policy, withPolicy([GET_SECRET]));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assertFinding(v, {
            resource: "api-task",
            type: "aws:ecs/taskDefinition:TaskDefinition",
            path: "containerDefinitions[app].secrets[REDIS_URL].valueFrom",
            undecided: false,
        });
        assert.match(
            v.message,
            /found `ssm:GetParameters` on `arn:aws:ssm:eu-west-1:123456789012:parameter\/dev\/api\/redis-url` not granted to execution role 'api-execution'/,
        );
        assert.match(v.message, /ResourceInitializationError/);
        assert.match(
            v.message,
            /Fix: Add this statement to the execution role's policy: `\{"Effect":"Allow","Action":"ssm:GetParameters","Resource":"arn:aws:ssm:eu-west-1:123456789012:parameter\/dev\/api\/redis-url"\}`/,
        );
    });

    it("rejects a grant on a secret's name without its random suffix", () => {
        const [v] = runStack(policy, withPolicy([{ ...GET_SECRET, Resource: DB_SECRET_ARN.replace("-AbCdEf", "") }, GET_PARAM]));
        assert.match(
            v.message,
            /`secretsmanager:GetSecretValue` on `arn:aws:secretsmanager:eu-west-1:123456789012:secret:api\/db-password-AbCdEf` not granted/,
        );
    });

    it("accepts wildcards in Action and Resource, objects and single statements", () => {
        assert.deepStrictEqual(
            runStack(
                policy,
                withPolicy([
                    { Effect: "Allow", Action: "secretsmanager:*", Resource: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api/*" },
                    { Effect: "Allow", Action: "ssm:Get*", Resource: "*" },
                ]),
            ),
            [],
        );
        const stack = wiredStack({
            rolePolicy: {
                role: "api-execution",
                policy: {
                    Version: "2012-10-17",
                    Statement: { Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "ssm:GetParameters"], Resource: "*" },
                },
            },
        });
        assert.deepStrictEqual(runStack(policy, stack), []);
    });

    it("lets an explicit Deny win, and NotAction grants", () => {
        const [v] = runStack(
            policy,
            withPolicy([
                { Effect: "Allow", Action: "*", Resource: "*" },
                { Effect: "Deny", Action: "ssm:*", Resource: "*" },
            ]),
        );
        assert.match(v.message, /explicitly denied/);
        assert.deepStrictEqual(runStack(policy, withPolicy([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }])), []);
    });

    it("knows AWS managed policies by name", () => {
        const attach = (policyArn: string) => {
            const stack = withPolicy([]);
            stack.push({ key: "att", type: TYPES.iamRolePolicyAttachment, name: "att", props: { role: "api-execution", policyArn } });
            return runStack(policy, stack);
        };
        assert.strictEqual(violations(attach("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")).length, 2);
        const [v] = attach("arn:aws:iam::aws:policy/SecretsManagerReadWrite");
        assert.match(v.message, /`ssm:GetParameters`/);
        const stack = withPolicy([]);
        stack[0].props = {
            name: "api-execution",
            arn: EXEC_ROLE_ARN,
            managedPolicyArns: ["arn:aws:iam::aws:policy/SecretsManagerReadWrite", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"],
        };
        assert.deepStrictEqual(runStack(policy, stack), []);
        assert.match(
            undecided(attach("arn:aws:iam::aws:policy/SomethingElse"))[0].message,
            /the AWS managed policy SomethingElse is not one this pack knows/,
        );
    });

    it("follows policy attachments to customer-managed policies of the stack", () => {
        const stack = withPolicy([]);
        stack.push(
            {
                key: "pol",
                type: TYPES.iamPolicy,
                name: "read-secrets",
                props: { arn: "arn:aws:iam::123456789012:policy/read-secrets", policy: executionPolicy() },
            },
            {
                key: "att",
                type: TYPES.iamRolePolicyAttachment,
                name: "att",
                props: { role: "api-execution", policyArn: "arn:aws:iam::123456789012:policy/read-secrets" },
            },
        );
        assert.deepStrictEqual(runStack(policy, stack), []);
    });

    it("requires kms:Decrypt for a secret encrypted with a customer key of the program", () => {
        const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const stack = wiredStack({ secret: { name: "api/db-password", arn: DB_SECRET_ARN, kmsKeyId: keyArn } });
        stack.push({
            key: "key",
            type: TYPES.kmsKey,
            name: "secrets-key",
            props: { arn: keyArn, keyId: "1234abcd-12ab-34cd-56ef-1234567890ab" },
        });
        const [v] = runStack(policy, stack);
        assert.match(v.message, /`kms:Decrypt` on `arn:aws:kms:eu-west-1:123456789012:key\/1234abcd/);
        stack[1].props = {
            role: "api-execution",
            policy: executionPolicy([GET_SECRET, GET_PARAM, { Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn }]),
        };
        assert.deepStrictEqual(runStack(policy, stack), []);
    });

    it("finds a SecureString parameter by name when its ARN is not known yet (preview), and requires kms:Decrypt", () => {
        const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const td = taskDefinitionProps([set(wiredContainer(), "secrets", [{ name: "REDIS_URL", valueFrom: "/dev/api/redis-url" }])], {
            executionRoleArn: EXEC_ROLE_ARN,
        });
        const stack = wiredStack({ td, param: { name: "/dev/api/redis-url", type: "SecureString", keyId: keyArn, value: U, arn: U } });
        stack.push({
            key: "key",
            type: TYPES.kmsKey,
            name: "params-key",
            props: { arn: keyArn, keyId: "1234abcd-12ab-34cd-56ef-1234567890ab" },
        });
        const [v, ...rest] = violations(runStack(policy, stack));
        assert.strictEqual(rest.length, 0);
        assertFinding(v, { path: "containerDefinitions[app].secrets[REDIS_URL].valueFrom", undecided: false });
        assert.match(v.message, /found `kms:Decrypt` on `arn:aws:kms:eu-west-1:123456789012:key\/1234abcd/);
        stack[1].props = {
            role: "api-execution",
            policy: executionPolicy([GET_SECRET, GET_PARAM, { Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn }]),
        };
        assert.deepStrictEqual(runStack(policy, stack), []);
    });

    it("rejects secrets without an execution role, and awsx's default role", () => {
        const [v] = runStack(policy, wiredStack({ td: taskDefinitionProps([wiredContainer()]) }));
        assertFinding(v, { path: "executionRoleArn", undecided: false });
        assert.match(v.message, /found 2 secret\(s\) \(`DATABASE_PASSWORD`, `REDIS_URL`\) and no execution role/);
        const awsx = [{ key: "svc", type: TYPES.awsxFargateService, name: "web", props: awsxServiceProps(wiredContainer()) }];
        const ds = runStack(policy, awsx);
        assert.strictEqual(violations(ds).length, 2);
        assert.match(ds[0].message, /not granted to execution role the role awsx creates \(AmazonECSTaskExecutionRolePolicy\)/);
    });

    it("resolves SSM parameter names with the task's region and account", () => {
        const td = taskDefinitionProps([set(wiredContainer(), "secrets", [{ name: "REDIS_URL", valueFrom: "/dev/api/redis-url" }])], {
            executionRoleArn: EXEC_ROLE_ARN,
        });
        assert.deepStrictEqual(runStack(policy, wiredStack({ td })), []);
        const other = taskDefinitionProps([set(wiredContainer(), "secrets", [{ name: "REDIS_URL", valueFrom: "/dev/api/other" }])], {
            executionRoleArn: EXEC_ROLE_ARN,
        });
        assert.match(runStack(policy, wiredStack({ td: other }))[0].message, /parameter\/dev\/api\/other` not granted/);
    });

    it("reports undecided for unknown roles, documents, values and conditions", () => {
        let ds = runStack(policy, wiredStack({ rolePolicy: { role: "api-execution", policy: U } }));
        assert.strictEqual(violations(ds).length, 0);
        assert.match(
            undecided(ds)[0].message,
            /^\[undecided\] 'api-task'.*cannot verify: whether execution role 'api-execution' may `secretsmanager:GetSecretValue`.*the document of role policy 'api-execution' is not known yet/,
        );
        ds = runStack(
            policy,
            wiredStack({ td: taskDefinitionProps([wiredContainer()], { executionRoleArn: "arn:aws:iam::123456789012:role/elsewhere" }) }),
        );
        assert.match(undecided(ds)[0].message, /the execution role arn:aws:iam::123456789012:role\/elsewhere is not managed in this stack/);
        ds = runStack(policy, withPolicy([{ ...GET_SECRET, Condition: { StringEquals: { "aws:ResourceTag/app": "api" } } }, GET_PARAM]));
        assert.match(undecided(ds)[0].message, /`Condition`/);
        ds = runStack(policy, wiredStack({ td: taskDefinitionProps([], { containerDefinitions: U, executionRoleArn: EXEC_ROLE_ARN }) }));
        assertFinding(undecided(ds)[0], { path: "containerDefinitions", undecided: true });
        assert.match(undecided(ds)[0].message, /the containers \(and their `secrets`\) are not known yet/);
    });

    it("follows an unknown executionRoleArn through propertyDependencies (preview)", () => {
        const stack = wiredStack({
            td: taskDefinitionProps([wiredContainer()], { executionRoleArn: U }),
            rolePolicy: { role: "api-execution", policy: executionPolicy([GET_SECRET]) },
        });
        assert.match(violations(runStack(policy, stack))[0].message, /not granted to execution role 'api-execution'/);
    });

    describe("awsx, offline (args) and in a real preview (the role awsx creates)", () => {
        const secrets = [{ name: "DATABASE_PASSWORD", valueFrom: DB_SECRET_ARN }];
        const extra = () => wiredStack().filter((r) => r.key === "secret");

        it("rejects awsx's default execution role (AmazonECSTaskExecutionRolePolicy only) in both worlds", () => {
            assertBothWorlds(
                policy,
                awsxProgramWith("taskDefinitionArgs.container.secrets", secrets),
                ["execution-role-can-read-secrets mandatory decided awsx:ecs:FargateService::web"],
                { extra: extra() },
            );
        });

        it("passes the same program once executionRole.args grant the secret, in both worlds", () => {
            const program = awsxProgramWith("taskDefinitionArgs.container.secrets", secrets);
            program.services[0].args.taskDefinitionArgs.executionRole = {
                args: { inlinePolicies: [{ name: "secrets", policy: executionPolicy([GET_SECRET]) }] },
            };
            assertBothWorlds(policy, program, [], { extra: extra() });
        });
    });
});
