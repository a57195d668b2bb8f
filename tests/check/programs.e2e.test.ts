/**
 * End to end: the check CLI (`npm run --silent check -- --program … --format json`) on the
 * programs teams actually write (issue 10 §1): their own node_modules and an older SDK, NodeNext
 * TypeScript, ES modules, plain JavaScript, a `main` folder, awsx with a load balancer, image
 * builds, transforms, talking programs — each gives a report — and every way a program can fail
 * or be refused, each a clean exit 2 with `error: program:` and nothing on stdout.
 *
 * Findings come from the pack, which others change: assertions name the policy, the resource and
 * the values found (what this change is about: that the program's resources reach the pack).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { Finding } from "../../cli/check/report";
import { type CliResult, checkOnce, parseJson, program } from "./cli";
import { installedFixture } from "../support/installed-fixture";

function check(dir: string, ...extra: string[]): Promise<CliResult> {
    return checkOnce(["--program", dir, "--format", "json", ...extra]);
}

/** The report, after asserting the exit code (stderr in the message when it differs). */
async function report(
    dir: string,
    code: number,
): Promise<{ findings: Finding[]; notes: string[]; stackOutputs?: unknown; [key: string]: unknown }> {
    const result = await check(dir);
    assert.equal(result.code, code, `exit ${result.code}, stderr:\n${result.stderr.slice(-3000)}`);
    return parseJson(result);
}

function finding(r: { findings: Finding[] }, policy: string, resourceType: string, resourceName: string): Finding {
    const found = r.findings.filter((f) => f.policy === policy && f.resourceType === resourceType && f.resourceName === resourceName);
    assert.equal(
        found.length,
        1,
        `one ${policy} on ${resourceType} '${resourceName}'; findings: ${JSON.stringify(r.findings.map((f) => [f.policy, f.resourceType, f.resourceName]))}`,
    );
    return found[0];
}

describe("check CLI on ordinary programs: a report", function () {
    this.timeout(20 * 60_000);

    it("own node_modules with @pulumi/pulumi 3.150, @pulumi/aws 6 and a @pulumi/docker 3 image: judged, nothing built", async () => {
        const r = await report(installedFixture("own-node-modules"), 1);
        assert.match(
            finding(r, "fargate-task-size-valid", "aws:ecs/taskDefinition:TaskDefinition", "app").message,
            /cpu "256", memory "3072"/,
        );
        assert.equal(finding(r, "deployment-circuit-breaker-rollback", "aws:ecs/service:Service", "app").blocking, true);
        assert.ok(
            r.notes.some((n) => /@pulumi\/docker 3\.x/.test(n)),
            r.notes.join("\n"),
        );
    });

    it("the container template's shape: NodeNext tsconfig, awsx FargateService behind an awsx load balancer", async () => {
        const r = await report(program("awsx-nodenext"), 1);
        assert.match(
            finding(r, "probe-command-fails-on-http-errors", "awsx:ecs:FargateService", "service").message,
            /curl http:\/\/localhost\/healthz/,
        );
        assert.ok(
            r.notes.some((n) => /awsx:lb:ApplicationLoadBalancer/.test(n)),
            r.notes.join("\n"),
        );
    });

    it("an ES-module TypeScript program (type: module, .js imports, top-level await, default export)", async () => {
        const r = await report(program("esm-typescript"), 1);
        assert.match(
            finding(r, "fargate-task-size-valid", "aws:ecs/taskDefinition:TaskDefinition", "web").message,
            /cpu "1024", memory "1024"/,
        );
    });

    it("plain JavaScript, CommonJS, with `main: src/`", async () => {
        const r = await report(program("plain-js-subfolder"), 1);
        assert.match(finding(r, "probe-paths-aligned", "aws:ecs/service:Service", "shop").message, /"\/ready"/);
    });

    it("plain JavaScript as an ES module", async () => {
        const r = await report(program("plain-js-esm"), 1);
        assert.equal(finding(r, "deployment-circuit-breaker-rollback", "aws:ecs/service:Service", "jobs").blocking, true);
    });

    it("images built three ways: nothing built, each traced back to its Dockerfile (python slim has no curl)", async () => {
        const r = await report(program("docker-images"), 1);
        for (const [task, image] of [
            ["awsx", "awsx-image"],
            ["buildkit", "buildkit-image"],
            ["docker", "docker-image"],
        ]) {
            const f = finding(r, "probe-tool-present-in-image", "aws:ecs/taskDefinition:TaskDefinition", task);
            assert.match(f.message, new RegExp(`runs \`curl\`, which the Dockerfile of image build '${image}'`));
            assert.equal(f.blocking, true);
        }
    });

    it("transforms are judged after they ran, as in a preview", async () => {
        const r = await report(program("transforms"), 1);
        assert.match(
            finding(r, "probe-paths-aligned", "aws:ecs/service:Service", "web").message,
            /ALB probes "\/"/,
            "the stack transform's path",
        );
        finding(r, "deployment-circuit-breaker-rollback", "aws:ecs/service:Service", "web");
        assert.match(finding(r, "fargate-task-size-valid", "aws:ecs/taskDefinition:TaskDefinition", "web").message, /memory "4096"/);
    });

    it("a talking program: stdout is the report only, its console and pulumi.log lines go to stderr", async () => {
        const result = await check(program("logging"));
        assert.equal(result.code, 0, result.stderr);
        parseJson(result); // one JSON document, nothing before or after
        for (const line of ["LOG-LINE: creating log group", "ERROR-LINE", "INFO-LINE", "WARN-LINE"]) {
            assert.ok(result.stderr.includes(line), `${line} on stderr`);
            assert.ok(!result.stdout.includes(line), `${line} not on stdout`);
        }
    });
});

describe("check CLI on ordinary programs: exit 2, nothing on stdout", function () {
    this.timeout(20 * 60_000);

    async function refused(dir: string, message: RegExp, ...extra: string[]): Promise<void> {
        const result = await check(dir, ...extra);
        assert.equal(result.code, 2, `exit ${result.code}, stderr:\n${result.stderr.slice(-2000)}`);
        assert.equal(result.stdout, "");
        const error = result.stderr.split("\n").find((line) => line.startsWith("error: "));
        assert.ok(error, `an error line on stderr:\n${result.stderr.slice(-2000)}`);
        assert.match(error, /^error: program: /);
        assert.match(error, message);
        assert.doesNotMatch(result.stderr, /^\s+at .*\(.*:\d+:\d+\)$/m, "no stack trace");
    }

    it("a rejected promise the program does not await", () =>
        refused(
            program("unhandled-rejection"),
            /unhandled-rejection\/index\.ts failed: release notes service unreachable \(thrown in index\.ts\)/,
        ));

    it("an exception inside apply", () => refused(program("apply-throws"), /failed: .*unexpected log group name/));

    it("process.exit(0) called by the program", () => refused(program("process-exit"), /called process\.exit\(0\) before it finished/));

    it("containerDefinitions that is not JSON, as the provider's Check refuses it", () =>
        refused(
            program("invalid-container-definitions"),
            /'api' \(aws:ecs\/taskDefinition:TaskDefinition\) `containerDefinitions` is invalid: it is not valid JSON/,
        ));

    it("a config value that violates the type Pulumi.yaml declares", () =>
        refused(program("config-type-violation"), /configuration key 'replicas' must be of type 'integer'/));

    it("a Python program", () => refused(program("python-runtime"), /runs Node\.js programs only .*`runtime: python`/));

    it("a stack name that is a path, before any file is read (a usage error: the argument is refused)", async () => {
        const result = await check(program("raw-clean"), "--stack", "x/../../../outside");
        assert.equal(result.code, 2);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /^error: Invalid stack name "x\/\.\.\/\.\.\/\.\.\/outside"/);
        assert.match(result.stderr, /usage:/);
    });

    it("an import neither the program nor the check has (the program outside this repository)", async () => {
        const { copyProgramOutside } = await import("../support/installed-fixture");
        const dir = copyProgramOutside("raw-clean", {
            "index.ts": 'import * as random from "@pulumi/random";\nnew random.RandomPet("pet");\n',
        });
        await refused(dir, /imports `@pulumi\/random`.*run `npm install @pulumi\/random` in /);
        assert.ok(path.isAbsolute(dir));
    });
});
