/**
 * Programs run in a child process exactly as the check runs them (runProgramIsolated), without the
 * policy pack: what the run captures (inputs as the analyzer sees them), which packages it runs
 * against, what runs (nothing external), and how it fails. The check CLI end to end is in
 * tests/check/programs.e2e.test.ts.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_PROGRAM_TIMEOUT_MS, runProgramIsolated } from "../../cli/offline/isolated";
import type { CapturedResource, OfflineRun } from "../../cli/offline/program-runner";
import { SECRET_SIG, SIG_KEY, UNKNOWN, isSecretWire } from "../../cli/offline/wire-values";
import { SERIALIZE_DYNAMIC_PROVIDERS_ENV, UNSERIALIZED_PROVIDER } from "../../cli/offline/dynamic-providers";
import { copyProgramOutside, installedFixture } from "../support/installed-fixture";

const PROGRAMS = path.resolve(__dirname, "..", "fixtures", "programs");
const runs = new Map<string, Promise<{ run?: OfflineRun; error?: Error; output: string }>>();

/** Runs a program once per directory (several tests assert on one run). */
function runOnce(dir: string, timeoutMs = DEFAULT_PROGRAM_TIMEOUT_MS) {
    if (!runs.has(dir)) {
        let output = "";
        runs.set(
            dir,
            runProgramIsolated({
                programDir: dir,
                stack: "dev",
                timeoutMs,
                onOutput: (text) => {
                    output += text;
                },
            }).then(
                (run) => ({ run, output }),
                (error: Error) => ({ error, output }),
            ),
        );
    }
    return runs.get(dir)!;
}

async function resources(dir: string): Promise<CapturedResource[]> {
    const { run, error, output } = await runOnce(dir);
    assert.ok(run, `the run failed: ${error?.message}\n${output}`);
    return run.resources;
}

function find(list: CapturedResource[], type: string, name: string): CapturedResource {
    const found = list.find((r) => r.type === type && r.name === name);
    assert.ok(found, `no ${type} '${name}' in ${list.map((r) => `${r.type}::${r.name}`).join(", ")}`);
    return found;
}

describe("offline program runs: packages", function () {
    this.timeout(20 * 60_000);

    it("a program with its own node_modules runs against its own @pulumi/pulumi 3.150 and @pulumi/aws 6, and docker 3 builds nothing", async () => {
        const dir = installedFixture("own-node-modules");
        // A `docker` on the PATH that leaves a mark if anything runs it.
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "fake-docker-"));
        const mark = path.join(bin, "docker-was-run");
        fs.writeFileSync(path.join(bin, "docker"), `#!/bin/sh\ntouch ${mark}\nexit 1\n`, { mode: 0o755 });
        const savedPath = process.env.PATH;
        process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
        let result;
        try {
            result = await runOnce(dir);
        } finally {
            process.env.PATH = savedPath;
        }
        assert.ok(result.run, `${result.error?.message}\n${result.output}`);
        assert.equal(result.run.stackOutputs.sdkVersion, "3.150.0", "the program's own SDK ran it");
        assert.equal(fs.existsSync(mark), false, "docker was never run");
        const image = JSON.parse(
            String(find(result.run.resources, "aws:ecs/taskDefinition:TaskDefinition", "app").inputs.containerDefinitions),
        )[0].image;
        assert.match(image, /^123456789012\.dkr\.ecr\.us-east-2\.amazonaws\.com\/app-[0-9a-f]{7}:offline-[0-9a-f]{12}$/);
        assert.ok(
            result.run.notes.some((n) => /built by @pulumi\/docker 3\.x from \.\/app/.test(n)),
            result.run.notes.join("\n"),
        );
        assert.ok(find(result.run.resources, "docker:image:Image", "app"));
    });

    it("a package the program lacks comes from the check and shares the program's one Pulumi runtime", async () => {
        // Inside the installed fixture (its node_modules: SDK 3.150, no @pulumi/docker-build): docker-build
        // comes from the check's packages, and its resource must register with the program's mocks.
        const dir = path.join(installedFixture("own-node-modules"), "uses-fallback");
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: uses-fallback\nruntime: nodejs\nmain: index.ts\n");
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
        fs.writeFileSync(
            path.join(dir, "index.ts"),
            [
                'import * as dockerBuild from "@pulumi/docker-build";',
                'new dockerBuild.Image("img", { context: { location: "." }, push: false });',
                'export const sdk = require("@pulumi/pulumi/package.json").version;',
                'export const dockerBuildFrom = require.resolve("@pulumi/docker-build");',
            ].join("\n"),
        );
        const { run, error, output } = await runOnce(dir);
        assert.ok(run, `${error?.message}\n${output}`);
        assert.equal(run.stackOutputs.sdk, "3.150.0");
        assert.ok(!String(run.stackOutputs.dockerBuildFrom).startsWith(path.dirname(dir)), "docker-build came from the check's packages");
        find(run.resources, "docker-build:index:Image", "img");
    });

    it("a program without node_modules runs against the check's packages; one the check lacks is named with its install command", async () => {
        const dir = copyProgramOutside("esm-typescript");
        assert.equal(find(await resources(dir), "aws:ecs/taskDefinition:TaskDefinition", "web").inputs.cpu, "1024");

        const missing = copyProgramOutside("raw-clean", {
            "index.ts": 'import * as random from "@pulumi/random";\nnew random.RandomPet("pet");\n',
        });
        const { error } = await runOnce(missing);
        assert.match(
            error?.message ?? "",
            /imports `@pulumi\/random`, which neither the program nor the check has installed: run `npm install @pulumi\/random` in /,
        );
    });
});

describe("offline program runs: what the analyzer receives", function () {
    this.timeout(10 * 60_000);

    it("a secret from encrypted config stays a secret up to the task definition", async () => {
        const td = find(await resources(path.join(PROGRAMS, "secret-config")), "aws:ecs/taskDefinition:TaskDefinition", "api");
        assert.equal(isSecretWire(td.inputs.containerDefinitions), true, JSON.stringify(td.inputs.containerDefinitions));
        const [container] = JSON.parse((td.inputs.containerDefinitions as { value: string }).value);
        assert.deepEqual(container.environment, [
            { name: "DATABASE_PASSWORD", value: "offline-secret-placeholder:fixture-secret-config:databasePassword" },
        ]);
    });

    it("resource objects as inputs arrive as IDs (custom) or URNs (component), never as a crash", async () => {
        const list = await resources(path.join(PROGRAMS, "resource-refs"));
        const role = find(list, "aws:iam/role:Role", "exec");
        assert.equal(find(list, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "exec-policy").inputs.role, role.id);
        const sg = find(list, "aws:ec2/securityGroup:SecurityGroup", "net-alb");
        assert.deepEqual(find(list, "aws:lb/loadBalancer:LoadBalancer", "alb").inputs.securityGroups, [sg.id]);
        const network = find(list, "acme:network:Network", "net");
        assert.deepEqual(find(list, "aws:ssm/parameter:Parameter", "network-urn").inputs.value, {
            [SIG_KEY]: SECRET_SIG,
            value: network.urn,
        });
    });

    it("transforms, stack transforms and legacy transformations are applied as in a preview", async () => {
        const list = await resources(path.join(PROGRAMS, "transforms"));
        const tg = find(list, "aws:lb/targetGroup:TargetGroup", "web").inputs as any;
        assert.equal(tg.healthCheck.path, "/", "the stack transform rewrote the probe path");
        assert.equal(tg.deregistrationDelay, 300);
        assert.equal(
            find(list, "aws:ecs/service:Service", "web").inputs.deploymentCircuitBreaker,
            undefined,
            "the resource transform removed the breaker",
        );
        assert.equal(find(list, "aws:ecs/taskDefinition:TaskDefinition", "web").inputs.memory, "4096", "the legacy transformation");
    });

    it("data sources: answered offline, IAM documents computed, unknown ones and stack references unknown", async () => {
        const { run } = await runOnce(path.join(PROGRAMS, "invokes"));
        assert.ok(run);
        const policy = JSON.parse(String(find(run.resources, "aws:iam/rolePolicy:RolePolicy", "exec-secrets").inputs.policy));
        assert.equal(policy.Statement[0].Sid, "ReadSecrets");
        assert.deepEqual(policy.Statement[0].Action, ["ssm:GetParameters", "secretsmanager:GetSecretValue"]);
        assert.ok(policy.Statement[0].Resource.includes("arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api/*"));
        const service = find(run.resources, "aws:ecs/service:Service", "api").inputs as any;
        assert.equal(service.cluster, "arn:aws:ecs:eu-west-1:123456789012:cluster/shared");
        assert.deepEqual(service.networkConfiguration.securityGroups, [UNKNOWN], "a stack reference output is unknown");
        const td = find(run.resources, "aws:ecs/taskDefinition:TaskDefinition", "api").inputs as any;
        assert.equal(td.containerDefinitions.value, UNKNOWN, "depends on ec2.getAmi, which has no offline answer");
        assert.deepEqual(run.unknownInvokes, ["aws:ec2/getAmi:getAmi"]);
        assert.ok(
            run.notes.some((n) => n.includes("acme/infra/prod")),
            run.notes.join("\n"),
        );
        assert.equal(
            run.stackOutputs.listenerArn,
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared-alb/448ebb5d448ebb5d/4b2fc32f",
        );
    });

    it("preview semantics: isDryRun() is true, placeholder outputs are known, an output without one is unknown", async () => {
        const { run } = await runOnce(path.join(PROGRAMS, "invokes"));
        assert.ok(run);
        assert.equal(run.stackOutputs.dryRun, true);
        const role = find(run.resources, "aws:iam/role:Role", "exec");
        assert.equal(find(run.resources, "aws:iam/rolePolicy:RolePolicy", "exec-secrets").inputs.role, role.outputs.name);
        assert.equal(
            find(run.resources, "aws:ssm/parameter:Parameter", "role-created").inputs.insecureValue,
            UNKNOWN,
            "no placeholder for createDate",
        );
    });

    it("untracked SDK promises (program-runner.ts) change nothing the program computes: same run as with PULUMI_DEBUG_PROMISE_LEAKS", async () => {
        const dir = path.join(PROGRAMS, "resource-refs");
        const untracked = await resources(dir);
        process.env["PULUMI_DEBUG_PROMISE_LEAKS"] = "1";
        let tracked: OfflineRun;
        try {
            tracked = await runProgramIsolated({
                programDir: dir,
                stack: "dev",
                timeoutMs: DEFAULT_PROGRAM_TIMEOUT_MS,
                onOutput: () => undefined,
            });
        } finally {
            delete process.env["PULUMI_DEBUG_PROMISE_LEAKS"];
        }
        const shape = (list: CapturedResource[]) => [...list].sort((a, b) => a.urn.localeCompare(b.urn));
        assert.ok(untracked.length > 5, `only ${untracked.length} resources`);
        assert.deepEqual(shape(untracked), shape(tracked.resources));
    });
});

describe("offline program runs: dynamic providers", function () {
    this.timeout(10 * 60_000);
    const dir = path.join(PROGRAMS, "dynamic-provider");
    const GREETING = "pulumi-nodejs:dynamic/fixture:Greeting";

    it("are not serialized offline: a placeholder `__provider`, and the report's notes say so", async () => {
        const { run, error, output } = await runOnce(dir);
        assert.ok(run, `the run failed: ${error?.message}\n${output}`);
        assert.equal(find(run.resources, GREETING, "world").inputs.__provider, UNSERIALIZED_PROVIDER);
        assert.ok(
            run.notes.some(
                (note) => note.includes("Dynamic providers are not serialized offline") && note.includes(SERIALIZE_DYNAMIC_PROVIDERS_ENV),
            ),
            run.notes.join("\n"),
        );
    });

    it(`${SERIALIZE_DYNAMIC_PROVIDERS_ENV}=on serializes them as pulumi preview does`, async () => {
        process.env[SERIALIZE_DYNAMIC_PROVIDERS_ENV] = "on";
        try {
            const run = await runProgramIsolated({
                programDir: dir,
                stack: "dev",
                timeoutMs: DEFAULT_PROGRAM_TIMEOUT_MS,
                onOutput: () => undefined,
            });
            const provider = String(find(run.resources, GREETING, "world").inputs.__provider);
            // The SDK's text: the provider object with the value its method captured.
            assert.match(provider, /exports\.handler = /);
            assert.match(provider, /"hello"/);
            assert.ok(!run.notes.some((note) => note.includes("not serialized offline")), run.notes.join("\n"));
        } finally {
            delete process.env[SERIALIZE_DYNAMIC_PROVIDERS_ENV];
        }
    });
});

describe("offline program runs: failures and output", function () {
    this.timeout(10 * 60_000);

    it("a program that never finishes is stopped after the timeout, naming what it waits for", async () => {
        // 20 s from the program's start: long enough for it to reach the wait even on a loaded machine.
        const { error } = await runOnce(path.join(PROGRAMS, "never-resolves"), 20_000);
        assert.match(
            error?.message ?? "",
            /^The program did not finish within 20 s — still waiting for: resource 'approved-by' \(aws:ssm\/parameter:Parameter\)/,
        );
    });

    it("process.exit(0) by the program is a failure, not a result", async () => {
        const { error } = await runOnce(path.join(PROGRAMS, "process-exit"));
        assert.match(error?.message ?? "", /called process\.exit\(0\) before it finished/);
    });

    it("console and pulumi.log output goes to the output callback, none of it into the run", async () => {
        const { run, output } = await runOnce(path.join(PROGRAMS, "logging"));
        assert.ok(run);
        for (const line of [
            "LOG-LINE: creating log group",
            "ERROR-LINE",
            "INFO-LINE: from pulumi.log.info",
            "WARN-LINE",
            "LOG-LINE: log group app-",
        ]) {
            assert.ok(output.includes(line), `${line} in:\n${output}`);
        }
        assert.equal(run.stackOutputs.logGroup, find(run.resources, "aws:cloudwatch/logGroup:LogGroup", "app").outputs.name);
    });
});

describe("offline program runs: out of memory", function () {
    this.timeout(5 * 60_000);

    it("a program that reaches V8's heap limit: the message says so and how to raise it, not 'ended unexpectedly'", async () => {
        const previous = process.env.NODE_OPTIONS;
        // A small limit the SDK still loads in; the fixture then allocates past it.
        process.env.NODE_OPTIONS = `${previous ?? ""} --max-old-space-size=256`.trim();
        try {
            const error = await runProgramIsolated({
                programDir: path.join(PROGRAMS, "out-of-memory"),
                stack: "dev",
                timeoutMs: DEFAULT_PROGRAM_TIMEOUT_MS,
                onOutput: () => undefined,
            }).then(
                () => undefined,
                (e: Error) => e,
            );
            assert.ok(error, "the run must fail");
            assert.match(error.message, /ran out of memory \(V8's heap limit\)/);
            assert.match(error.message, /NODE_OPTIONS=--max-old-space-size=/);
        } finally {
            if (previous === undefined) delete process.env.NODE_OPTIONS;
            else process.env.NODE_OPTIONS = previous;
        }
    });
});

describe("offline program runs: messages of a child that reported no run", () => {
    it("names a killed child, a crash and an early end", async () => {
        const { failureOf } = await import("../../cli/offline/isolated");
        assert.match(
            failureOf(undefined, 5_000, { code: null, signal: "SIGKILL" }),
            /did not finish within 5 s and did not respond \(an endless loop/,
        );
        assert.match(failureOf(undefined, 5_000, { code: 134, signal: null }), /ended unexpectedly \(exit code 134\)/);
        assert.match(
            failureOf({ kind: "exited", code: 0, calledByProgram: false, pending: [] }, 5_000, { code: 0, signal: null }),
            /ended before it finished \(exit code 0\): it was still waiting for nothing Pulumi knows of/,
        );
        assert.match(
            failureOf({ kind: "timeout", pending: Array.from({ length: 12 }, (_, i) => `r${i}`) }, 5_000, { code: 0, signal: null }),
            /still waiting for: r0, .*r9 and 2 more\.$/,
        );
    });
});
