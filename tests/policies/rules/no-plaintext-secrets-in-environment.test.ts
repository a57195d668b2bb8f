import * as assert from "assert";
import { Secret } from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { encodeProperties, secret } from "../../../cli/analyzer/property-values";
import { keepSecretMarks } from "../../../policies/kit";
import { rawProps, secretPaths } from "../../../policies/resources";
import { noPlaintextSecretsInEnvironment as policy } from "../../../policies/rules/no-plaintext-secrets-in-environment";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram } from "../awsx-worlds";
import { runResource, undecided, violations } from "../harness";
import { U, appContainer, awsxServiceProps, set, taskDefinitionProps, wiredContainer } from "../fixtures";

const withEnv = (environment: unknown) => taskDefinitionProps([set(wiredContainer(), "environment", environment)]);
const td = (props: Record<string, unknown>, parentTypes: string[] = []) =>
    runResource(policy, { type: TYPES.taskDefinition, name: "api-task", props, parentTypes });

describe("no-plaintext-secrets-in-environment", () => {
    it("passes configuration in environment and credentials in secrets", () => {
        assert.deepStrictEqual(td(taskDefinitionProps([wiredContainer()])), []);
    });

    it("rejects a secret-named variable, naming it without its value and showing the secrets form", () => {
        const [v, ...rest] = td(withEnv([{ name: "DATABASE_PASSWORD", value: "correct-horse-battery" }]));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.match(
            v.message,
            /`containerDefinitions\[app\]\.environment\[DATABASE_PASSWORD\]`: found `DATABASE_PASSWORD` in plain `environment` of container 'app' \[secret-name-in-environment\]/,
        );
        assert.match(
            v.message,
            /Fix: .*`secrets: \[\{ name: "DATABASE_PASSWORD", valueFrom: "arn:aws:secretsmanager:<region>:<account>:secret:<secret-name>" \}\]`/,
        );
        assert.ok(!v.message.includes("correct-horse-battery"));
    });

    it("rejects a URL with a password and a token under an innocent name, never printing the secret", () => {
        const [v] = td(withEnv([{ name: "DATABASE_URL", value: "postgres://app:s3cr3tpass@db:5432/app" }]));
        assert.match(v.message, /\[url-with-password-in-environment\]/);
        assert.ok(!v.message.includes("s3cr3tpass"));
        const [w] = td(withEnv([{ name: "GH", value: "ghp_abcdefghijklmnopqrstuvwxyz0123456789" }]));
        assert.match(w.message, /\[token-in-environment\]/);
        assert.ok(!w.message.includes("ghp_abcdef"));
    });

    it("judges a secret-named variable with an unknown value by its name", () => {
        const [v] = td(withEnv([{ name: "API_TOKEN", value: U }]));
        assert.match(v.message, /\[secret-name-in-environment\]/);
    });

    it("accepts references and flags under secret-like names", () => {
        assert.deepStrictEqual(
            td(
                withEnv([
                    { name: "DB_PASSWORD_FILE", value: "/run/secrets/db" },
                    { name: "SECRET_ARN", value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x" },
                    { name: "PASSWORD_MIN_LENGTH", value: "12" },
                ]),
            ),
            [],
        );
    });

    it("judges awsx container args offline and the task definition awsx creates in a real preview: the same finding", () => {
        const [v] = runResource(policy, {
            type: TYPES.awsxFargateService,
            name: "web",
            props: awsxServiceProps(set(wiredContainer(), "environment", [{ name: "STRIPE_KEY", value: "sk_live_abcdefghijklmnop1234" }])),
        });
        assert.match(v.message, /`taskDefinitionArgs\.container\.environment\[STRIPE_KEY\]`/);
        assertBothWorlds(
            policy,
            awsxProgramWith("taskDefinitionArgs.container.environment", [{ name: "STRIPE_KEY", value: "sk_live_abcdefghijklmnop1234" }]),
            ["no-plaintext-secrets-in-environment mandatory decided awsx:ecs:FargateService::web"],
        );
        assertBothWorlds(policy, compliantAwsxProgram(), []);
    });

    it("reports unknown containers as undecided, except under a component", () => {
        const ds = td(taskDefinitionProps([], { containerDefinitions: U }));
        assert.strictEqual(violations(ds).length, 0);
        assert.match(undecided(ds)[0].message, /^\[undecided\] 'api-task'.*`containerDefinitions`: cannot verify/);
        assert.deepStrictEqual(td(taskDefinitionProps([], { containerDefinitions: U }), [TYPES.healthyFargateService]), []);
    });

    describe("command lines", () => {
        const withCommand = (command: unknown, key = "command") => td(taskDefinitionProps([set(appContainer(), key, command)]));

        it("rejects a literal after a flag that takes a credential, a URL with a password, and a token, never printing them", () => {
            const [v, ...rest] = withCommand(["redis-server", "--requirepass", "hunter2hunter2"]);
            assert.strictEqual(rest.length, 0);
            assert.strictEqual(v.enforcementLevel, "mandatory");
            assert.match(
                v.message,
                /`containerDefinitions\[app\]\.command\[2\]`: found `--requirepass` followed by a literal value in `command` of container 'app' \[secret-flag-in-command\].*Fix: Give the value to the container through `secrets`.*\$REDIS_PASSWORD/,
            );
            assert.ok(!v.message.includes("hunter2"));
            const [w] = withCommand(["sh", "-c", "exec app --db=postgres://app:s3cr3tpw@db:5432/app"], "entryPoint");
            assert.match(w.message, /`containerDefinitions\[app\]\.entryPoint\[2\]`: found a URL with a password in `entryPoint`/);
            assert.ok(!w.message.includes("s3cr3tpw"));
            assert.match(withCommand(["app", "--password=correct-horse"])[0].message, /`--password` followed by a literal value/);
        });

        it("accepts variables filled from secrets, files and flags about secrets", () => {
            assert.deepStrictEqual(withCommand(["sh", "-c", 'exec redis-server --requirepass "$REDIS_PASSWORD"']), []);
            assert.deepStrictEqual(withCommand(["app", "--password-file", "/run/secrets/db", "--token-ttl", "300"]), []);
        });

        it("reports an unknown command as undecided", () => {
            const ds = withCommand(U);
            assert.strictEqual(violations(ds).length, 0);
            assert.match(undecided(ds)[0].message, /`containerDefinitions\[app\]\.command`: cannot verify/);
        });
    });

    describe("values that came from Pulumi secrets", () => {
        it("rejects a secret in awsx environment and command args, naming the variable once", () => {
            const container = {
                ...appContainer(),
                environment: [
                    { name: "LOG_LEVEL", value: "info" },
                    { name: "UPSTREAM", value: new Secret("https://api.example.com/?k=1") },
                ],
                command: ["app", new Secret("--flag-from-secret")],
            };
            const ds = runResource(policy, { type: TYPES.awsxFargateService, name: "web", props: awsxServiceProps(container) });
            assert.strictEqual(ds.length, 2, ds.map((d) => d.message).join("\n"));
            assert.match(
                ds[0].message,
                /`taskDefinitionArgs\.container\.environment\[UPSTREAM\]`: found `UPSTREAM` in plain `environment` of container 'app' \[pulumi-secret-in-environment\]\. The environment variable holds a value that comes from a Pulumi secret/,
            );
            assert.match(
                ds[1].message,
                /`taskDefinitionArgs\.container\.command\[1\]`: found `command` of container 'app' \[pulumi-secret-in-command\]/,
            );
            const plain = runResource(policy, {
                type: TYPES.awsxFargateService,
                name: "web",
                props: awsxServiceProps({
                    ...container,
                    environment: [{ name: "UPSTREAM", value: "https://api.example.com/" }],
                    command: ["app"],
                }),
            });
            assert.deepStrictEqual(plain, []);
        });

        it("reports a secret mark on an enclosing property once, where it is", () => {
            const props = awsxServiceProps();
            const ds = runResource(policy, {
                type: TYPES.awsxFargateService,
                name: "web",
                props: { ...props, taskDefinitionArgs: new Secret(props.taskDefinitionArgs) },
            });
            assert.strictEqual(ds.length, 1);
            assert.match(ds[0].message, /`taskDefinitionArgs`: found `taskDefinitionArgs` computed from a Pulumi secret/);
        });

        it("rejects a raw task definition whose containerDefinitions came from a secret, even when unknown", () => {
            const [v] = td({ ...taskDefinitionProps(), containerDefinitions: new Secret(taskDefinitionProps().containerDefinitions) });
            assert.match(
                v.message,
                /`containerDefinitions`: found container definitions computed from a Pulumi secret\..*Fix: Store the value in Secrets Manager/,
            );
            assert.strictEqual(violations(td({ ...taskDefinitionProps(), containerDefinitions: new Secret(U) })).length, 1);
        });

        it("keeps the marks @pulumi/policy's deserializer drops, without changing what it returns", () => {
            assert.ok(keepSecretMarks());
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module keepSecretMarks patches, as loaded
            const { deserializeProperties } = require("@pulumi/policy/deserialize");
            const wire = Struct.fromJavaScript(
                encodeProperties({ family: "api", containerDefinitions: secret('[{"name":"app"}]') }) as never,
            );
            const props = deserializeProperties(wire, false);
            assert.deepStrictEqual(props, { family: "api", containerDefinitions: '[{"name":"app"}]' }, "policies still get plain values");
            assert.deepStrictEqual(secretPaths(rawProps(props)), [["containerDefinitions"]]);
        });
    });
});
