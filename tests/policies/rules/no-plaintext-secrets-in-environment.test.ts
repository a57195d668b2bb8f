import * as assert from "assert";
import { noPlaintextSecretsInEnvironment as policy } from "../../../policies/rules/no-plaintext-secrets-in-environment";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram } from "../awsx-worlds";
import { runResource, undecided, violations } from "../harness";
import { U, awsxServiceProps, set, taskDefinitionProps, wiredContainer } from "../fixtures";

const withEnv = (environment: unknown) => taskDefinitionProps([set(wiredContainer(), "environment", environment)]);
const td = (props: Record<string, unknown>, parentTypes: string[] = []) => runResource(policy, { type: TYPES.taskDefinition, name: "api-task", props, parentTypes });

describe("no-plaintext-secrets-in-environment", () => {
    it("passes configuration in environment and credentials in secrets", () => {
        assert.deepStrictEqual(td(taskDefinitionProps([wiredContainer()])), []);
    });

    it("rejects a secret-named variable, naming it without its value and showing the secrets form", () => {
        const [v, ...rest] = td(withEnv([{ name: "DATABASE_PASSWORD", value: "correct-horse-battery" }]));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.match(v.message, /`containerDefinitions\[app\]\.environment\[DATABASE_PASSWORD\]`: found `DATABASE_PASSWORD` in plain `environment` of container 'app' \[secret-name-in-environment\]/);
        assert.match(v.message, /Fix: .*`secrets: \[\{ name: "DATABASE_PASSWORD", valueFrom: "arn:aws:secretsmanager:<region>:<account>:secret:<secret-name>" \}\]`/);
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
        assert.deepStrictEqual(td(withEnv([{ name: "DB_PASSWORD_FILE", value: "/run/secrets/db" }, { name: "SECRET_ARN", value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x" }, { name: "PASSWORD_MIN_LENGTH", value: "12" }])), []);
    });

    it("judges awsx container args offline and the task definition awsx creates in a real preview: the same finding", () => {
        const [v] = runResource(policy, { type: TYPES.awsxFargateService, name: "web", props: awsxServiceProps(set(wiredContainer(), "environment", [{ name: "STRIPE_KEY", value: "sk_live_abcdefghijklmnop1234" }])) });
        assert.match(v.message, /`taskDefinitionArgs\.container\.environment\[STRIPE_KEY\]`/);
        assertBothWorlds(policy, awsxProgramWith("taskDefinitionArgs.container.environment", [{ name: "STRIPE_KEY", value: "sk_live_abcdefghijklmnop1234" }]), ["no-plaintext-secrets-in-environment mandatory decided awsx:ecs:FargateService::web"]);
        assertBothWorlds(policy, compliantAwsxProgram(), []);
    });

    it("reports unknown containers as undecided, except under a component", () => {
        const ds = td(taskDefinitionProps([], { containerDefinitions: U }));
        assert.strictEqual(violations(ds).length, 0);
        assert.match(undecided(ds)[0].message, /^\[undecided\] 'api-task'.*`containerDefinitions`: cannot verify/);
        assert.deepStrictEqual(td(taskDefinitionProps([], { containerDefinitions: U }), [TYPES.healthyFargateService]), []);
    });
});
