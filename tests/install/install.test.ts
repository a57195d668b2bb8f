/**
 * @install — proof by installation (issue 11 item 2): the workspace's packages are `npm pack`ed,
 * installed from the tarballs into a fresh program directory outside the repository (its own
 * package.json with @pulumi/pulumi and @pulumi/aws from the registry), and used there the way a
 * platform team uses them: `tsc` against the installed `.d.ts`, the installed CLI's `check`, and
 * RolloutVerification's dynamic provider serialized and loaded from `node_modules`.
 *
 * Run alone: `npm test -- --grep @install`. The first run downloads @pulumi/pulumi, @pulumi/aws and
 * their dependencies into the npm cache (times measured: README.md, "Tests and CI"); later runs
 * install from the cache.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fakeAwsEnv, runNode, startFakeAws, type FakeAws } from "../doctor/fake-aws";
import { CLUSTER, healthyStory, HEALTHY_DEPLOYMENT, SERVICE, td } from "../doctor/stories";
import { storyApi } from "../doctor/story-api";
import { HOST, programPackageJson, SERIALIZE, writePrograms } from "./programs";

const ROOT = path.resolve(__dirname, "..", "..");
const WORKSPACES = ["policies/domain", "policies", "cli/doctor", "components", "cli"];
const LOCK = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
const lockedVersion = (name: string): string => LOCK.packages[`node_modules/${name}`].version;
/** The versions this repository tests with: the program gets exactly these. */
const TESTED = { pulumi: lockedVersion("@pulumi/pulumi"), aws: lockedVersion("@pulumi/aws") };
const OURS = [
    "@healthy-fargate/cli",
    "@healthy-fargate/components",
    "@healthy-fargate/doctor",
    "@healthy-fargate/domain",
    "@healthy-fargate/policies",
];

interface PackedFile {
    path: string;
}
interface HostResult {
    diff: { changes: boolean };
    create: { id: string; outs: { deploymentId: string } };
    loaded: string[];
    tsNode: boolean;
}
interface Packed {
    name: string;
    filename: string;
    files: PackedFile[];
}

/** npm without the variables of the `npm test` that started mocha (they would point npm at this repository). */
function npm(args: string[], cwd: string) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")));
    const result = spawnSync("npm", args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, error: result.error };
}

function packWorkspaces(destination: string): Packed[] {
    const args = ["pack", "--json", "--pack-destination", destination, ...WORKSPACES.flatMap((w) => ["--workspace", w])];
    const result = npm(args, ROOT);
    assert.equal(result.code, 0, `npm pack failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as Packed[];
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
    const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("@install the packages, installed from their tarballs into a program outside the repository", function () {
    this.timeout(30 * 60_000);
    let work: string;
    let program: string;
    let packed: Packed[];
    let fake: FakeAws | undefined;
    /** The installed `healthy-fargate` bin, run in the program directory as a team's CI would. */
    const healthyFargate = (args: string[]) => run(path.join(program, "node_modules", ".bin", "healthy-fargate"), args, program);

    before(() => {
        // What npm packs is each package's bin/: built from the current sources (a no-op when fresh).
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the repository's build script, by path
        require(path.join(ROOT, "policies", "build.js")).ensureWorkspaceBuilt({ log: (message: string) => console.error(message) });
        work = fs.mkdtempSync(path.join(os.tmpdir(), "hf-install-"));
        assert.ok(!path.relative(ROOT, work).match(/^[^.]/), "the program lives outside the repository");
        packed = packWorkspaces(work);
        program = path.join(work, "program");
        fs.mkdirSync(program);
        const tarballs = Object.fromEntries(packed.map((p) => [p.name, path.join(work, p.filename)]));
        const pkg = programPackageJson(tarballs, TESTED.pulumi, TESTED.aws);
        const devDependencies = { typescript: lockedVersion("typescript"), "@types/node": lockedVersion("@types/node") };
        fs.writeFileSync(path.join(program, "package.json"), JSON.stringify({ ...pkg, devDependencies }, null, 2));
        writePrograms(program);
        const install = npm(["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], program);
        assert.equal(install.code, 0, `npm install in ${program} failed:\n${install.stderr}`);
    });
    after(async () => {
        await fake?.close();
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    it("npm pack ships compiled JavaScript, .d.ts and docs: no tests, fixtures, sources or build state", () => {
        assert.deepEqual(packed.map((p) => p.name).sort(), OURS);
        for (const p of packed) {
            const files = p.files.map((f) => f.path);
            const shipped = (f: string) =>
                /^bin\/.*(\.js|\.d\.ts|\.mjs)$/.test(f) ||
                /(^|\/)README\.md$/.test(f) ||
                f === "package.json" ||
                (p.name === "@healthy-fargate/policies" && f === "PulumiPolicy.yaml");
            assert.deepEqual(
                files.filter((f) => !shipped(f)),
                [],
                `${p.name} ships only what it should`,
            );
            assert.ok(files.includes("bin/index.js") || p.name === "@healthy-fargate/cli", `${p.name}: its main`);
            assert.ok(!files.some((f) => /test|fixture|\.build-stamp|\.map$/.test(f)), `${p.name}: no tests, fixtures or build state`);
        }
        const cli = packed.find((p) => p.name === "@healthy-fargate/cli")!.files.map((f) => f.path);
        for (const file of ["bin/healthy-fargate.js", "bin/offline/child-bootstrap.js", "bin/offline/esm-hooks.mjs"])
            assert.ok(cli.includes(file), file);
        assert.ok(
            !cli.some((f) => f.startsWith("doctor/") || f.startsWith("bin/doctor/")),
            "the doctor is its own package, not a copy in the CLI",
        );
    });

    it("the program compiles with tsc against the installed .d.ts (moduleResolution node, as Pulumi's template)", () => {
        const tsc = run(process.execPath, [path.join(program, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "."], program);
        assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
    });

    it("the installed CLI's check passes the clean program: exit 0", () => {
        const check = healthyFargate(["check", "--program", "good"]);
        assert.equal(check.code, 0, check.stdout + check.stderr);
        assert.match(check.stdout, /PASSED: no mandatory finding/);
    });

    it("the installed CLI's check fails the seed mistakes: exit 1, each caught by the pack", () => {
        const check = healthyFargate(["check", "--program", "bad", "--format", "json"]);
        assert.equal(check.code, 1, check.stderr);
        const report = JSON.parse(check.stdout) as { findings: Array<{ policy: string; resource: string }> };
        const policies = new Set(report.findings.map((f) => f.policy));
        const expected = [
            "probe-tool-present-in-image",
            "probe-command-fails-on-http-errors",
            "probe-paths-aligned",
            "redis-url-has-scheme",
        ];
        for (const policy of expected) {
            assert.ok(policies.has(policy), `${policy} among ${[...policies].join(", ")}`);
        }
    });

    it("a misspelt argument key (JavaScript) stops the program at construction, naming the nearest key: exit 2", () => {
        const check = healthyFargate(["check", "--program", "typo"]);
        assert.equal(check.code, 2, check.stdout + check.stderr);
        assert.match(check.stderr, /probe\.livenesPath/);
        assert.match(check.stderr, /livenessPath/);
        assert.doesNotMatch(check.stderr, /^\s+at /m, "a message, not a stack trace");
    });

    it("RolloutVerification's provider, serialized from the installed package, loads from node_modules and verifies a rollout", async () => {
        const file = path.join(work, "provider.js");
        const serialize = run(process.execPath, ["-e", SERIALIZE, file], program);
        assert.equal(serialize.code, 0, serialize.stderr);
        const text = fs.readFileSync(file, "utf8");
        assert.ok(!text.includes(ROOT), "nothing in the serialized provider points into the source checkout");
        fake = await startFakeAws(storyApi(healthyStory(new Date())));
        const inputs = { cluster: CLUSTER, serviceName: SERVICE, taskDefinitionArn: td(7), timeout: "1m", pollInterval: "1s" };
        const host = await runNode(["-e", HOST, file, JSON.stringify(inputs)], { cwd: program, env: fakeAwsEnv(fake) });
        assert.equal(host.code, 0, host.stderr);
        const result = JSON.parse(host.stdout) as HostResult;
        assert.equal(result.diff.changes, true, "a new task definition is a new rollout to verify");
        assert.equal(result.create.id, `${CLUSTER}/${SERVICE}`);
        assert.equal(result.create.outs.deploymentId, HEALTHY_DEPLOYMENT);
        assert.equal(result.tsNode, false, "no ts-node at deploy time");
        const doctorBin = path.join("node_modules", "@healthy-fargate", "doctor", "bin");
        assert.ok(
            result.loaded.some((f) => f.includes(doctorBin)),
            result.loaded.join("\n"),
        );
        const outside = result.loaded.filter((f) => !f.startsWith(fs.realpathSync(program)) || !f.endsWith(".js"));
        assert.deepEqual(outside, [], "compiled JavaScript from the program's node_modules only");
    });

    it("a program whose @pulumi/pulumi is outside the peer range: npm refuses (ERESOLVE), naming the range", () => {
        const other = path.join(work, "old-pulumi");
        fs.mkdirSync(other);
        const tarballs = Object.fromEntries(
            packed.filter((p) => p.name !== "@healthy-fargate/cli").map((p) => [p.name, path.join(work, p.filename)]),
        );
        fs.writeFileSync(path.join(other, "package.json"), JSON.stringify(programPackageJson(tarballs, "3.200.0", TESTED.aws)));
        const install = npm(["install", "--dry-run", "--ignore-scripts", "--no-audit", "--no-fund"], other);
        assert.notEqual(install.code, 0);
        assert.match(install.stderr, /ERESOLVE/);
        assert.match(install.stderr, /peer @pulumi\/pulumi@"\^3\.270\.0" from @healthy-fargate\/components@0\.2\.0/);
    });
});
