/**
 * End-to-end tests of the policy pack host against real packs booted through
 * @pulumi/pulumi's run-policy-pack (fixtures in tests/fixtures/packs).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    PolicyConfigValidationError,
    type PolicyDiagnostic,
    PolicyPackBootError,
    type PolicyPackHost,
    PolicyPackRpcError,
    secret,
    startPolicyPack,
    unknown,
} from "../../cli/analyzer";
import { isAlive } from "../support/processes";

const packsDir = path.join(__dirname, "..", "fixtures", "packs");
const tinyPack = path.join(packsDir, "tiny-pack");
const runPolicyPackDir = path.dirname(require.resolve("@pulumi/pulumi/cmd/run-policy-pack/index.js"));

const bucketType = "aws:s3/bucket:Bucket";
const bucketPolicyType = "aws:s3/bucketPolicy:BucketPolicy";
const probeType = "test:index:Probe";
const urnOf = (type: string, name: string) => `urn:pulumi:stack::project::${type}::${name}`;

const publicBucket = { type: bucketType, name: "public", properties: { acl: "public-read" } };
const privateBucket = { type: bucketType, name: "private", properties: { acl: "private" } };

/** What the probe-echo policy reports about the resource it saw (see tiny-pack/index.ts). */
interface ProbeEcho {
    password?: unknown;
    nested?: unknown;
    config: Record<string, unknown>;
    opts: Record<string, unknown>;
    provider: { name: string; region: unknown } | null;
    stackTags: Record<string, string>;
}

function probeEchoOf(diagnostics: PolicyDiagnostic[]): ProbeEcho {
    const echo = diagnostics.find((d) => d.policyName === "probe-echo" && d.message.includes("\n{"));
    assert.ok(echo, `no probe echo in ${JSON.stringify(diagnostics)}`);
    return JSON.parse(echo.message.slice(echo.message.indexOf("\n") + 1)) as ProbeEcho;
}

/**
 * Pack processes that are children of this test process, including zombies (whose cmdline is
 * empty, hence the state check). Linux /proc based, like the argv check above.
 */
function packChildProcesses(): number[] {
    const pids: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            if (Number(ppid) !== process.pid) {
                continue;
            }
            const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
            if (cmdline.includes("run-policy-pack") || state === "Z") {
                pids.push(Number(entry));
            }
        } catch {
            // The process ended while we looked.
        }
    }
    return pids;
}

async function waitUntilDead(pid: number, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
        if (!isAlive(pid)) {
            return true;
        }
        await new Promise((r) => setTimeout(r, 25));
    }
    return !isAlive(pid);
}

/** The default limit is generous: a TypeScript pack's type-check alone takes 30 s and more on a loaded machine. */
async function expectBootFailure(packDir: string, timeoutMs = 150_000): Promise<PolicyPackBootError> {
    const started = Date.now();
    try {
        const host = await startPolicyPack({ packDir, timeoutMs });
        await host.close();
    } catch (e) {
        assert.ok(e instanceof PolicyPackBootError, `expected PolicyPackBootError, got ${String(e)}`);
        assert.ok(Date.now() - started < timeoutMs + 2000, "boot failure was not reported within the timeout");
        return e;
    }
    throw new assert.AssertionError({ message: `${path.basename(packDir)} booted but should have failed` });
}

describe("policy pack host: tiny-pack", function () {
    // Booting a TypeScript pack (type-checked at every start) takes 30 s and more on a loaded machine.
    this.timeout(200_000);
    let host: PolicyPackHost;

    before(async () => {
        host = await startPolicyPack({ packDir: tinyPack, timeoutMs: 150_000 });
    });

    after(async () => {
        await host?.close();
    });

    afterEach(async () => {
        // Tests that reconfigure must not leak into the next one.
        await host.configure();
    });

    it("boots the pack via run-policy-pack with the CLI's argv, in the pack directory", () => {
        const cmdline = fs.readFileSync(`/proc/${host.pid}/cmdline`, "utf8").split("\0").filter(Boolean);
        // Node's own options come first: only the preload that defers the SDK's npm modules.
        assert.deepStrictEqual(cmdline.slice(1, 3), [
            "--require",
            path.resolve(__dirname, "..", "..", "cli", "analyzer", "defer-sdk-modules.js"),
        ]);
        // What the pack sees as process.argv: exactly the CLI's.
        const argv = [cmdline[0], ...cmdline.slice(3)];
        assert.strictEqual(argv[1], runPolicyPackDir);
        assert.strictEqual(argv.length, 4, `unexpected argv ${JSON.stringify(argv)}`);
        assert.match(argv[2]!, /^127\.0\.0\.1:\d+$/, "engine address argument");
        assert.strictEqual(argv[3], ".");
        assert.strictEqual(fs.realpathSync(`/proc/${host.pid}/cwd`), fs.realpathSync(tinyPack));
        assert.ok(host.timings.bootMs > 0 && host.timings.readyMs >= host.timings.bootMs);
    });

    it("returns the pack's policies from GetAnalyzerInfo", async () => {
        const info = await host.getAnalyzerInfo();
        assert.deepStrictEqual(host.info, info);
        assert.strictEqual(info.name, "tiny-pack");
        assert.strictEqual(info.version, "0.0.7");
        assert.strictEqual(info.supportsConfig, true);
        assert.deepStrictEqual(
            info.policies.map((p) => [p.name, p.policyType, p.enforcementLevel]),
            [
                ["probe-echo", "resource", "advisory"],
                ["s3-bucket-needs-policy", "stack", "mandatory"],
                ["s3-no-public-read", "resource", "advisory"],
                ["stack-probe-echo", "stack", "advisory"],
            ],
        );
        const bucketPolicy = info.policies.find((p) => p.name === "s3-no-public-read")!;
        assert.strictEqual(bucketPolicy.description, "S3 buckets must not be publicly readable.");
        assert.deepStrictEqual(bucketPolicy.configSchema, {
            properties: { forbiddenAcls: { type: "array", items: { type: "string" }, default: ["public-read"] } },
            required: [],
        });
        assert.deepStrictEqual(info.initialConfig, {
            "probe-echo": { enforcementLevel: "advisory", properties: { fromInitial: "initial-config" } },
        });
    });

    it("returns the @pulumi/policy version from GetPluginInfo", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module's .d.ts declares no `version`
        const { version: policyVersion } = require("@pulumi/policy/version") as { version: string };
        assert.deepStrictEqual(await host.getPluginInfo(), { version: policyVersion });
    });

    it("reports the violation of a bad resource and nothing for a good one", async () => {
        assert.deepStrictEqual(await host.analyze(publicBucket), [
            {
                policyName: "s3-no-public-read",
                policyPackName: "tiny-pack",
                policyPackVersion: "0.0.7",
                description: "S3 buckets must not be publicly readable.",
                message: "S3 buckets must not be publicly readable.\nBucket 'public' has acl 'public-read'.",
                enforcementLevel: "advisory",
                urn: urnOf(bucketType, "public"),
            },
        ]);
        assert.deepStrictEqual(await host.analyze(privateBucket), []);
    });

    it("applies enforcement levels from Configure", async () => {
        await host.configure({ "s3-no-public-read": "disabled" });
        assert.deepStrictEqual(await host.analyze(publicBucket), []);

        await host.configure({ "s3-no-public-read": "mandatory" });
        const [diagnostic] = await host.analyze(publicBucket);
        assert.strictEqual(diagnostic?.enforcementLevel, "mandatory");

        // Not cumulative: back to the policy's own level.
        await host.configure();
        assert.strictEqual((await host.analyze(publicBucket))[0]?.enforcementLevel, "advisory");
    });

    it("honours 'all' and lets a per-policy level win over it", async () => {
        const applied = await host.configure({ all: "mandatory", "s3-no-public-read": "disabled" });
        assert.strictEqual(applied["s3-bucket-needs-policy"]?.enforcementLevel, "mandatory");
        assert.strictEqual(applied["probe-echo"]?.enforcementLevel, "mandatory");
        assert.deepStrictEqual(await host.analyze(publicBucket), []);

        await host.configure({ all: "disabled" });
        assert.deepStrictEqual(await host.analyze({ type: probeType, name: "p", properties: {} }), []);
    });

    it("passes config properties to the policy", async () => {
        await host.configure({ "s3-no-public-read": { forbiddenAcls: ["private"] } });
        assert.deepStrictEqual(await host.analyze(publicBucket), []);
        assert.strictEqual((await host.analyze(privateBucket)).length, 1);
    });

    it("layers config as schema default < pack initial config < user config", async () => {
        const defaults = probeEchoOf(await host.analyze({ type: probeType, name: "p", properties: {} }));
        assert.deepStrictEqual(defaults.config, { greeting: "schema-default", fromInitial: "initial-config" });

        await host.configure({ "probe-echo": { greeting: "user", fromInitial: "user-wins", enforcementLevel: "mandatory" } });
        const diagnostics = await host.analyze({ type: probeType, name: "p", properties: {} });
        assert.deepStrictEqual(probeEchoOf(diagnostics).config, { greeting: "user", fromInitial: "user-wins" });
        assert.strictEqual(diagnostics[0]?.enforcementLevel, "mandatory");
    });

    it("rejects config that violates a policy's schema, keeping the previous config", async () => {
        await assert.rejects(
            host.configure({ "s3-no-public-read": { forbiddenAcls: "public-read" } }),
            (e: unknown) => e instanceof PolicyConfigValidationError && /s3-no-public-read: forbiddenAcls: must be array/.test(e.message),
        );
        await assert.rejects(host.configure({ "s3-no-public-read": "fatal" as "mandatory" }), /"fatal" is not a valid enforcement level/);
        assert.strictEqual((await host.analyze(publicBucket)).length, 1);
    });

    it("passes secrets to policies as their plain values", async () => {
        const echo = probeEchoOf(
            await host.analyze({
                type: probeType,
                name: "p",
                properties: { password: secret("hunter2"), nested: { token: secret({ scopes: ["read", secret("write")] }) } },
            }),
        );
        assert.strictEqual(echo.password, "hunter2");
        assert.deepStrictEqual(echo.nested, { token: { scopes: ["read", "write"] } });
    });

    it("passes unknowns through: reading one yields an advisory preview diagnostic, not a crash", async () => {
        const diagnostics = await host.analyze({
            type: probeType,
            name: "p",
            properties: { readUnknown: true, unknownField: unknown },
        });
        assert.deepStrictEqual(
            diagnostics.map((d) => [d.policyName, d.enforcementLevel]),
            [
                ["probe-echo", "advisory"],
                ["probe-echo", "advisory"],
            ],
        );
        assert.strictEqual(
            diagnostics[1]?.message,
            "can't run policy 'probe-echo' from policy pack 'tiny-pack@v0.0.7' during preview: " +
                "string value at .unknownField can't be known during preview",
        );

        // A secret whose value is unknown is unknown to the policy as well.
        const [secretUnknown, ...rest] = await host.analyze({ type: probeType, name: "p", properties: { password: secret(unknown) } });
        assert.strictEqual(rest.length, 0);
        assert.match(secretUnknown!.message, /during preview: string value at \.password can't be known during preview$/);

        // Even a mandatory policy only gets an advisory "can't run" for an unknown input...
        await host.configure({ "s3-no-public-read": "mandatory" });
        const [unknownAcl] = await host.analyze({ type: bucketType, name: "b", properties: { acl: unknown } });
        assert.strictEqual(unknownAcl?.enforcementLevel, "advisory");
        assert.match(unknownAcl!.message, /string value at \.acl can't be known during preview/);
        // ...and the pack keeps serving.
        assert.strictEqual((await host.analyze(publicBucket))[0]?.enforcementLevel, "mandatory");
    });

    it("sends resource options and the provider", async () => {
        const parent = urnOf("my:component:Service", "svc");
        const echo = probeEchoOf(
            await host.analyze({
                type: probeType,
                name: "p",
                properties: {},
                options: {
                    protect: true,
                    ignoreChanges: ["tags"],
                    deleteBeforeReplace: true,
                    customTimeouts: { create: 600 },
                    parent,
                },
                provider: { type: "pulumi:providers:aws", name: "eu", properties: { region: "eu-west-1" } },
            }),
        );
        assert.deepStrictEqual(echo.opts, {
            protect: true,
            ignoreChanges: ["tags"],
            aliases: [],
            customTimeouts: { createSeconds: 600, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
            deleteBeforeReplace: true,
            parent,
        });
        assert.deepStrictEqual(echo.provider, { name: "eu", region: "eu-west-1" });
    });

    it("runs stack policies over the resource graph with AnalyzeStack", async () => {
        const covered = { type: bucketType, name: "logs", properties: { acl: "private", arn: secret("arn:aws:s3:::logs") } };
        const orphan = { type: bucketType, name: "orphan", properties: { acl: "private", arn: "arn:aws:s3:::orphan" } };
        const diagnostics = await host.analyzeStack([
            covered,
            orphan,
            {
                type: bucketPolicyType,
                name: "logs-policy",
                properties: { bucket: "logs" },
                parent: urnOf(probeType, "svc"),
                dependencies: [urnOf(bucketType, "logs")],
                propertyDependencies: { bucket: [urnOf(bucketType, "logs")], policy: [] },
                provider: { type: "pulumi:providers:aws", name: "eu" },
            },
            { type: probeType, name: "svc", properties: {} },
        ]);

        const violations = diagnostics.filter((d) => d.policyName === "s3-bucket-needs-policy");
        assert.deepStrictEqual(
            violations.map((d) => [d.enforcementLevel, d.urn, d.message]),
            [
                [
                    "mandatory",
                    urnOf(bucketType, "orphan"),
                    "Every S3 bucket must have a bucket policy that depends on it.\nBucket 'orphan' has no bucket policy.",
                ],
            ],
        );

        const echo = diagnostics.find((d) => d.policyName === "stack-probe-echo");
        assert.ok(echo, "stack-probe-echo did not run");
        assert.strictEqual(echo.urn, undefined, "a stack-level diagnostic has no resource");
        const graph = JSON.parse(echo.message.slice(echo.message.indexOf("\n") + 1)) as unknown[];
        assert.deepStrictEqual(graph, [
            { name: "logs", parent: null, dependencies: [], propertyDependencies: {}, provider: null, arn: "arn:aws:s3:::logs" },
            { name: "orphan", parent: null, dependencies: [], propertyDependencies: {}, provider: null, arn: "arn:aws:s3:::orphan" },
            {
                name: "logs-policy",
                parent: "svc",
                dependencies: ["logs"],
                propertyDependencies: { bucket: ["logs"] },
                provider: "eu",
                arn: null,
            },
            { name: "svc", parent: null, dependencies: [], propertyDependencies: {}, provider: null, arn: null },
        ]);
    });

    it("serves many concurrent Analyze calls correctly", async () => {
        const resources = Array.from({ length: 200 }, (_, i) => ({
            type: bucketType,
            name: `bucket-${i}`,
            properties: { acl: i % 3 === 0 ? "public-read" : "private" },
        }));
        const results = await Promise.all(resources.map((r) => host.analyze(r)));
        results.forEach((diagnostics, i) => {
            assert.deepStrictEqual(
                diagnostics.map((d) => d.urn),
                i % 3 === 0 ? [urnOf(bucketType, `bucket-${i}`)] : [],
            );
        });
    });

    it("leaves the pack's pulumi.log output on its stdout, as under the CLI", async () => {
        await host.analyze({ type: probeType, name: "logged", properties: {} });
        for (let i = 0; i < 100 && !host.output.stdout.includes("probe saw logged"); i++) {
            await new Promise((r) => setTimeout(r, 20));
        }
        assert.match(host.output.stdout, /info: \[runtime\] probe saw logged/);
        assert.deepStrictEqual(host.engineLogs, []);
    });
});

describe("policy pack host: start options and shutdown", function () {
    this.timeout(200_000);
    it("applies config, stack context and engine log capture given at start", async () => {
        const configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pack-config-")), "config.json");
        fs.writeFileSync(configFile, JSON.stringify({ all: "mandatory", "probe-echo": { greeting: "from-file" } }));
        const host = await startPolicyPack({
            packDir: tinyPack,
            configFile,
            captureEngineLogs: true,
            stack: { project: "fargate", stack: "prod", tags: { team: "platform" } },
        });
        try {
            assert.strictEqual(host.config["s3-no-public-read"]?.enforcementLevel, "mandatory");
            const diagnostics = await host.analyze({ type: probeType, name: "p", properties: {} });
            assert.strictEqual(diagnostics[0]?.urn, "urn:pulumi:prod::fargate::test:index:Probe::p");
            const echo = probeEchoOf(diagnostics);
            assert.deepStrictEqual(echo.config, { greeting: "from-file", fromInitial: "initial-config" });
            assert.deepStrictEqual(echo.stackTags, { team: "platform" });
            // pulumi.log is fire-and-forget, so the message may trail the Analyze response.
            // Debug messages from run-policy-pack (ts-node discovery etc.) arrive too.
            const infoLogs = () => host.engineLogs.filter((l) => l.severity !== "debug");
            for (let i = 0; i < 100 && infoLogs().length === 0; i++) {
                await new Promise((r) => setTimeout(r, 20));
            }
            assert.deepStrictEqual(infoLogs(), [{ severity: "info", message: "probe saw p", urn: undefined }]);
        } finally {
            await host.close();
        }
    });

    it("rejects an invalid start config before serving, and stops the pack", async () => {
        const before = packChildProcesses();
        await assert.rejects(
            startPolicyPack({ packDir: tinyPack, config: { "s3-no-public-read": { forbiddenAcls: [1] } } }),
            /validating policy config:\n {2}s3-no-public-read: forbiddenAcls\.0: must be string/,
        );
        assert.deepStrictEqual(
            packChildProcesses().filter((pid) => !before.includes(pid)),
            [],
        );
    });

    it("close() ends the pack process, is idempotent, and later calls fail clearly", async () => {
        const host = await startPolicyPack({ packDir: tinyPack });
        const pid = host.pid;
        assert.ok(isAlive(pid));
        assert.ok(packChildProcesses().includes(pid));
        await Promise.all([host.close(), host.close()]);
        assert.strictEqual(isAlive(pid), false, "pack process still exists (not reaped?)");
        assert.ok(!packChildProcesses().includes(pid), "the pack is left as a zombie");
        await assert.rejects(host.analyze(publicBucket), (e: unknown) => e instanceof PolicyPackRpcError && /closed/.test(e.message));
    });

    it("reports a pack that dies while serving, with its exit status", async () => {
        const host = await startPolicyPack({ packDir: tinyPack });
        try {
            process.kill(host.pid, "SIGKILL");
            await assert.rejects(
                host.analyze(publicBucket),
                (e: unknown) =>
                    e instanceof PolicyPackRpcError && /Analyze failed: policy pack 'tiny-pack' was killed by SIGKILL/.test(e.message),
            );
        } finally {
            await host.close();
        }
    });
});

describe("policy pack host: packs that fail to boot", function () {
    this.timeout(200_000);
    let preexisting: number[] = [];
    const leftovers = () => packChildProcesses().filter((pid) => !preexisting.includes(pid));

    before(() => {
        preexisting = packChildProcesses();
    });

    after(async () => {
        // Failed boots are reaped in the background; none may be left behind.
        for (let i = 0; i < 100 && leftovers().length > 0; i++) {
            await new Promise((r) => setTimeout(r, 20));
        }
        assert.deepStrictEqual(leftovers(), [], "a failed pack process or zombie is left");
    });

    it("reports a type error with the TypeScript diagnostic", async () => {
        const error = await expectBootFailure(path.join(packsDir, "broken-pack"));
        assert.match(error.message, /broken-pack" failed to start: the process exited with code 32/);
        assert.match(error.message, /index\.ts\(10,7\): error TS2322: Type 'number \| undefined' is not assignable to type 'number'\./);
        assert.match(error.stderr, /Unable to compile TypeScript/);
        assert.strictEqual(error.exitCode, 32);
    });

    it("reports an exception thrown while loading", async () => {
        const error = await expectBootFailure(path.join(packsDir, "crash-pack"));
        assert.match(error.message, /Error: crash-pack: rules table is corrupt/);
        assert.doesNotMatch(error.message, /\u001b\[/, "colour codes in the message");
    });

    it("reports a missing dependency", async () => {
        const error = await expectBootFailure(path.join(packsDir, "missing-dep-pack"));
        assert.match(error.message, /Cannot find module '@healthy-fargate\/rules-that-do-not-exist'/);
    });

    it("fails like the CLI when the pack prints before its port", async () => {
        const error = await expectBootFailure(path.join(packsDir, "chatty-pack"));
        assert.match(error.message, /non-numeric port to stdout \('loading chatty rules\.\.\.'\)/);
        assert.ok(error.pid !== undefined && (await waitUntilDead(error.pid, 3000)), "chatty pack left running");
    });

    it("times out a pack that never serves and kills it", async () => {
        const error = await expectBootFailure(path.join(packsDir, "hanging-pack"), 4000);
        assert.match(error.message, /no port announced within 4000 ms/);
        assert.ok(error.pid !== undefined && (await waitUntilDead(error.pid, 3000)), "hanging pack left running");
    });

    it("rejects a directory without PulumiPolicy.yaml", async () => {
        await assert.rejects(startPolicyPack({ packDir: packsDir }), /failed to load Pulumi policy project located at/);
    });
});
