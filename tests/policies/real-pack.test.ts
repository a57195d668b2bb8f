/**
 * The REAL pack (policies/) through the analyzer driver (cli/analyzer): spawned by
 * @pulumi/pulumi/cmd/run-policy-pack in its own directory, type-checked by ts-node, served over
 * gRPC — exactly as `pulumi preview --policy-pack policies` runs it. Proves that it boots, that the
 * CLI's configuration reaches it, and that Analyze/AnalyzeStack (with secret and unknown values on
 * the wire) report the same findings as calling the policies directly. Booted once for the file.
 */
import * as assert from "assert";
import * as path from "path";
import { type PolicyDiagnostic, type PolicyPackHost, type PropertyMap, startPolicyPack } from "../../cli/analyzer";
import { policies } from "../../policies/policies";
import { TYPES } from "../../policies/resources";
import { type Diagnostic, PROJECT, STACK, type StackResourceInput, isStackPolicy, runResource, runStack, urnOf } from "./harness";
import { toStackRequest, toWire, withSecrets } from "./wire";
import {
    EXEC_ROLE_ARN,
    type Json,
    REDIS_HOST,
    U,
    appContainer,
    executionPolicy,
    set,
    taskDefinitionProps,
    wiredContainer,
    wiredStack,
} from "./fixtures";

const PACK_DIR = path.join(__dirname, "..", "..", "policies");
/** What the pack's default `programDirectory` (`..` of the pack) resolves to: the repository. */
const DIRECT_CONFIG = { programDirectory: path.join(__dirname, "..", "..") };

const key = (d: { policyName: string; message: string; enforcementLevel: string }) =>
    `${d.policyName} [${d.enforcementLevel}] ${d.message}`;
const sorted = (ds: Array<{ policyName: string; message: string; enforcementLevel: string }>) => ds.map(key).sort();

function direct(input: { type: string; name: string; props: Json; secretKeys: string[] }): Diagnostic[] {
    return policies
        .filter((p) => !isStackPolicy(p))
        .flatMap((p) => runResource(p, { type: input.type, name: input.name, props: withSecrets(input.props, input.secretKeys) }));
}

function directStack(inputs: StackResourceInput[], secretKeys: string[]): Diagnostic[] {
    const marked = inputs.map((i) => ({ ...i, props: withSecrets(i.props, secretKeys) }));
    return policies
        .filter(isStackPolicy)
        .flatMap((p) =>
            runStack(p, marked, { config: ["probe-tool-present-in-image", "app-receives-sigterm"].includes(p.name) ? DIRECT_CONFIG : {} }),
        );
}

describe("the real pack through the analyzer driver", function () {
    this.timeout(120_000);
    let host: PolicyPackHost;

    before(async () => {
        host = await startPolicyPack({ packDir: PACK_DIR, timeoutMs: 90_000, stack: { project: PROJECT, stack: STACK, dryRun: true } });
    });

    after(async () => {
        await host?.close();
    });

    afterEach(async () => {
        await host.configure();
    });

    it("boots and lists every policy of policies.ts with its default level", () => {
        assert.strictEqual(host.info.name, "healthy-fargate");
        const listed = Object.fromEntries(host.info.policies.map((p) => [p.name, p.enforcementLevel]));
        assert.deepStrictEqual(listed, Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel])));
        for (const name of [
            "probe-command-fails-on-http-errors",
            "probe-tool-present-in-image",
            "redis-url-has-scheme",
            "redis-tls-scheme-matches",
            "no-plaintext-secrets-in-environment",
            "execution-role-can-read-secrets",
            "database-name-consistent",
        ]) {
            assert.strictEqual(listed[name], "mandatory", name);
        }
    });

    it("reports on Analyze exactly what the policies report when called directly (secrets marked, unknowns undecided)", async () => {
        const cases: Array<{ type: string; name: string; props: Json; secretKeys: string[] }> = [
            {
                type: TYPES.taskDefinition,
                name: "api-task",
                secretKeys: ["containerDefinitions"],
                props: taskDefinitionProps([
                    set(
                        set(wiredContainer(), "healthCheck.command", ["CMD-SHELL", "curl http://localhost:8080/health/live || true"]),
                        "environment",
                        [
                            { name: "DB_PASSWORD", value: "plain-text-password-123" },
                            { name: "REDIS_URL", value: `${REDIS_HOST}:6379` },
                        ],
                    ),
                ]),
            },
            {
                type: TYPES.ssmParameter,
                name: "redis-url",
                secretKeys: ["value"],
                props: { name: "/dev/api/redis-url", type: "SecureString", value: `http://${REDIS_HOST}:6379` },
            },
            {
                type: TYPES.ssmParameter,
                name: "redis-url-preview",
                secretKeys: [],
                props: { name: "/dev/api/redis-url", type: "String", value: U },
            },
            {
                type: TYPES.taskDefinition,
                name: "preview-task",
                secretKeys: [],
                props: taskDefinitionProps([set(appContainer(), "healthCheck.command", ["CMD", "curl", U])]),
            },
        ];
        for (const c of cases) {
            const expected = direct(c);
            assert.ok(expected.length > 0, `${c.name} is a violating fixture`);
            const got = await host.analyze({
                type: c.type,
                name: c.name,
                urn: urnOf(c.type, c.name),
                properties: toWire(c.props, c.secretKeys) as PropertyMap,
            });
            assert.deepStrictEqual(sorted(got), sorted(expected), c.name);
        }
    });

    it("reports on AnalyzeStack exactly what the stack policies report directly", async () => {
        const stacks: Array<{ name: string; inputs: StackResourceInput[]; secretKeys: string[] }> = [
            {
                name: "missing grant, redis:// to a TLS cache, drifted database name",
                secretKeys: ["policy", "value"],
                inputs: wiredStack({
                    rolePolicy: {
                        role: "api-execution",
                        policy: executionPolicy([{ Effect: "Allow", Action: "ssm:GetParameters", Resource: "*" }]),
                    },
                    param: {
                        name: "/dev/api/redis-url",
                        type: "SecureString",
                        value: `redis://${REDIS_HOST}:6379`,
                        arn: "arn:aws:ssm:eu-west-1:123456789012:parameter/dev/api/redis-url",
                    },
                    db: { engine: "postgres", dbName: "application", address: "api-db.cabc123def45.eu-west-1.rds.amazonaws.com" },
                    td: taskDefinitionProps([set(wiredContainer(), "image", "python:3.12-slim")], { executionRoleArn: EXEC_ROLE_ARN }),
                }),
            },
            {
                name: "preview: unknown role ARN and document",
                secretKeys: [],
                inputs: wiredStack({
                    rolePolicy: { role: "api-execution", policy: U },
                    td: taskDefinitionProps([wiredContainer()], { executionRoleArn: U, arn: U }),
                }),
            },
        ];
        for (const s of stacks) {
            const expected = directStack(s.inputs, s.secretKeys);
            assert.ok(expected.length > 0, `${s.name} is a reporting fixture`);
            const got = await host.analyzeStack(toStackRequest(s.inputs, s.secretKeys));
            assert.deepStrictEqual(sorted(got), sorted(expected), s.name);
            if (s.secretKeys.length > 0) {
                const names = new Set(got.map((d) => d.policyName));
                for (const name of [
                    "execution-role-can-read-secrets",
                    "redis-tls-scheme-matches",
                    "database-name-consistent",
                    "probe-tool-present-in-image",
                ])
                    assert.ok(names.has(name), `${s.name}: ${name}`);
            }
        }
    });

    it("is silenced by `all: disabled` and honours a per-policy level", async () => {
        const props = toWire(
            taskDefinitionProps([set(appContainer(), "healthCheck.command", ["CMD", "curl", "http://localhost:8080/health/live"])]),
        ) as PropertyMap;
        const analyze = (): Promise<PolicyDiagnostic[]> =>
            host.analyze({ type: TYPES.taskDefinition, name: "api-task", urn: urnOf(TYPES.taskDefinition, "api-task"), properties: props });
        const before = (await analyze()).filter((d) => d.policyName === "probe-command-fails-on-http-errors");
        assert.strictEqual(before.length, 1);
        assert.strictEqual(before[0].enforcementLevel, "mandatory");

        await host.configure({ all: "disabled" });
        assert.deepStrictEqual(await analyze(), []);
        assert.deepStrictEqual(
            await host.analyzeStack(toStackRequest(wiredStack({ rolePolicy: { role: "api-execution", policy: executionPolicy([]) } }), [])),
            [],
        );

        await host.configure({ "probe-command-fails-on-http-errors": "advisory" });
        const advisory = (await analyze()).filter((d) => d.policyName === "probe-command-fails-on-http-errors");
        assert.strictEqual(advisory.length, 1);
        assert.strictEqual(advisory[0].enforcementLevel, "advisory");
        assert.strictEqual(advisory[0].message, before[0].message);

        await host.configure({ "probe-command-fails-on-http-errors": { enforcementLevel: "mandatory", allowPortCheckOnly: false } });
        const tcp = toWire(
            taskDefinitionProps([set(appContainer(), "healthCheck.command", ["CMD", "nc", "-z", "localhost", "8080"])]),
        ) as PropertyMap;
        const ds = await host.analyze({ type: TYPES.taskDefinition, name: "api-task", properties: tcp });
        assert.ok(
            ds.some((d) => d.policyName === "probe-command-fails-on-http-errors" && /\[port-check-only\]/.test(d.message)),
            JSON.stringify(ds),
        );
    });
});
