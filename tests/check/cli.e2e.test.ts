/**
 * End to end: `npm run --silent check -- …` as a user (or CI) runs it — node with
 * ts-node/register/transpile-only on cli/check/main.ts — on the fixture programs in
 * tests/fixtures/programs, with the repo's real policy pack booted like the Pulumi CLI boots it.
 *
 * Findings come from the pack, which other people are changing: assertions name policies and
 * the key facts of each message (the values found), not whole sentences.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv-draft-04";
import type { Finding } from "../../cli/check/report";
import { OWN_PACK_NAME } from "../../cli/check/format-sarif";
import { ANSI, PACKS, REPO_ROOT, checkOnce, parseJson, program, writePolicyConfig } from "./cli";
import { sarifSchema } from "../support/sarif-schema";

/** A finding as `--format json` prints it: the report model's own type. */
type JsonFinding = Finding;

function findingsOf(report: any, policy: string): JsonFinding[] {
    return (report.findings as JsonFinding[]).filter((f) => f.policy === policy);
}

function only(report: any, policy: string, predicate: (f: JsonFinding) => boolean = () => true): JsonFinding {
    const matches = findingsOf(report, policy).filter(predicate);
    assert.equal(
        matches.length,
        1,
        `expected one ${policy} finding, got ${matches.length}: ${JSON.stringify(report.findings.map((f: JsonFinding) => [f.policy, f.resourceName]))}`,
    );
    return matches[0];
}

describe("check CLI: JSON", function () {
    this.timeout(180_000);

    it("clean raw @pulumi/aws program: exit 0, one JSON object, no mandatory finding", async () => {
        const result = await checkOnce(["--program", program("raw-clean"), "--format", "json"]);
        assert.equal(result.code, 0, result.stderr);
        const report = parseJson(result);
        assert.equal(typeof report, "object");
        assert.ok(Array.isArray(report.findings));
        assert.equal(report.resources, 6, "stack + role + log group + task definition + target group + service");
        assert.deepEqual(
            report.findings.filter((f: JsonFinding) => f.enforcementLevel === "mandatory"),
            [],
        );
        assert.equal(report.summary.blocking, 0);
        assert.equal(report.project, "fixture-raw-clean");
        assert.equal(report.stack, "dev");
        assert.ok(report.policyPack.policies.length > 0, "the pack's policies are listed");
    });

    it("broken raw @pulumi/aws program: exit 1 with the seed outages as findings", async () => {
        const result = await checkOnce(["--program", program("raw-broken"), "--format", "json"]);
        assert.equal(result.code, 1, result.stderr);
        const report = parseJson(result);
        for (const f of report.findings as JsonFinding[]) {
            for (const key of ["policy", "enforcementLevel", "urn", "message", "decided"]) assert.ok(key in f, `finding has ${key}`);
        }

        const size = only(report, "fargate-task-size-valid");
        assert.equal(size.resourceType, "aws:ecs/taskDefinition:TaskDefinition");
        assert.equal(size.resourceName, "api");
        assert.match(size.message, /4096/);
        assert.match(size.message, /256/);
        assert.equal(size.enforcementLevel, "mandatory");
        assert.equal(size.blocking, true);

        const paths = only(report, "probe-paths-aligned");
        assert.equal(paths.resourceType, "aws:ecs/service:Service");
        assert.match(paths.message, /"\/"/, "the ALB probes / (no path set)");
        assert.match(paths.message, /\/health\/live/, "the container probes /health/live");

        assert.match(only(report, "grace-period-covers-startup").message, /healthCheckGracePeriodSeconds/);
        assert.match(only(report, "deployment-circuit-breaker-rollback").message, /deploymentCircuitBreaker/);

        const shutdown = findingsOf(report, "graceful-shutdown-aligned");
        assert.ok(
            shutdown.some((f) => /stopTimeout/.test(f.message) && /180/.test(f.message)),
            "stopTimeout 180 s is over Fargate's 120 s",
        );
        assert.ok(
            shutdown.some((f) => /deregistrationDelay/.test(f.message) && /300/.test(f.message)),
            "AWS's default 300 s deregistration delay",
        );
        assert.ok(shutdown.every((f) => f.enforcementLevel === "advisory" && !f.blocking));

        // curl without -f counts a 500 as healthy; and python:*-slim has no curl at all.
        const noFail = only(report, "probe-command-fails-on-http-errors");
        assert.equal(noFail.resourceType, "aws:ecs/taskDefinition:TaskDefinition");
        assert.match(noFail.message, /curl http:\/\/localhost:8000\/health\/live/);
        const missingTool = only(report, "probe-tool-present-in-image");
        assert.match(missingTool.message, /curl/);
        assert.match(missingTool.message, /python:3\.12-slim/);

        for (const policy of [
            "fargate-task-size-valid",
            "probe-paths-aligned",
            "grace-period-covers-startup",
            "deployment-circuit-breaker-rollback",
            "probe-command-fails-on-http-errors",
            "probe-tool-present-in-image",
        ]) {
            assert.ok(
                findingsOf(report, policy).every((f) => f.decided && f.blocking),
                `${policy} is decided and blocking`,
            );
        }
        assert.equal(report.summary.blocking, report.findings.filter((f: JsonFinding) => f.blocking).length);
        assert.ok(report.summary.blocking >= 6);
    });

    it("awsx program: findings from the awsx component's inputs; its children are not rendered", async () => {
        const result = await checkOnce(["--program", program("awsx-broken"), "--format", "json"]);
        const report = parseJson(result);
        assert.ok(
            report.notes.some((n: string) => /awsx:ecs:FargateService/.test(n) && /children are not rendered/.test(n)),
            JSON.stringify(report.notes),
        );
        // The container probe `curl` without -f treats HTTP errors as success.
        const noFail = only(report, "probe-command-fails-on-http-errors", (f) => f.resourceName === "worker");
        assert.equal(noFail.resourceType, "awsx:ecs:FargateService");
        assert.match(noFail.message, /taskDefinitionArgs\.container\.healthCheck\.command/);
        assert.equal(noFail.blocking, true);
        assert.equal(result.code, 1, result.stderr);
        // 8 vCPU needs memory in 4 GiB steps from 16 GiB: 17408 MiB is rejected by Fargate.
        const size = findingsOf(report, "fargate-task-size-valid").filter(
            (f) => f.resourceType === "awsx:ecs:FargateService" && f.resourceName === "worker",
        );
        assert.equal(
            size.length,
            1,
            `expected a fargate-task-size-valid finding on the awsx FargateService 'worker'; findings: ${JSON.stringify(report.findings.map((f: JsonFinding) => [f.policy, f.resourceType, f.resourceName]))}`,
        );
        assert.match(size[0].message, /17408/);
        assert.equal(size[0].blocking, true);
    });

    it("the repo's dev stack: exit 0 with health contracts for api and mlflow", async () => {
        const result = await checkOnce(["--format", "json"]);
        assert.equal(result.code, 0, result.stderr);
        const report = parseJson(result);
        assert.equal(report.program, REPO_ROOT);
        assert.equal(report.summary.blocking, 0);
        const services = report.healthContracts.map((c: { service: string }) => c.service).sort();
        assert.deepEqual(services, ["api", "mlflow"]);
        for (const c of report.healthContracts) {
            assert.equal(typeof c.contract, "object");
            assert.match(c.urn, /HealthyFargateService/);
        }
    });

    it("a data source without an offline answer is reported in the notes, not fatal", async () => {
        const result = await checkOnce(["--program", program("unknown-data-source"), "--format", "json"]);
        assert.equal(result.code, 0, result.stderr);
        const report = parseJson(result);
        assert.ok(
            report.notes.some((n: string) => n.includes("aws:ec2/getAmi:getAmi")),
            JSON.stringify(report.notes),
        );
    });
});

describe("check CLI: --policy-pack-config", function () {
    this.timeout(180_000);

    it("disabling a policy removes its findings and nothing else", async () => {
        const config = writePolicyConfig({ "fargate-task-size-valid": "disabled" });
        const result = await checkOnce(["--program", program("raw-broken"), "--format", "json", "--policy-pack-config", config]);
        const report = parseJson(result);
        assert.deepEqual(findingsOf(report, "fargate-task-size-valid"), []);
        assert.equal(findingsOf(report, "probe-paths-aligned").length, 1, "other policies still report");
        assert.equal(result.code, 1);
        const baseline = parseJson(await checkOnce(["--program", program("raw-broken"), "--format", "json"]));
        assert.equal(findingsOf(baseline, "fargate-task-size-valid").length, 1, "the baseline run has the finding");
    });

    it("`all: mandatory` turns an advisory finding into a blocking one", async () => {
        const before = await checkOnce(["--program", program("raw-advisory"), "--format", "json"]);
        assert.equal(before.code, 0, before.stderr);
        const advisory = only(parseJson(before), "deployment-alarms-configured");
        assert.equal(advisory.enforcementLevel, "advisory");
        assert.equal(advisory.blocking, false);

        const config = writePolicyConfig({ all: "mandatory" });
        const after = await checkOnce(["--program", program("raw-advisory"), "--format", "json", "--policy-pack-config", config]);
        assert.equal(after.code, 1, after.stderr);
        const report = parseJson(after);
        const blocking = only(report, "deployment-alarms-configured");
        assert.equal(blocking.enforcementLevel, "mandatory");
        assert.equal(blocking.blocking, true);
        const policy = report.policyPack.policies.find((p: { name: string }) => p.name === "deployment-alarms-configured");
        assert.equal(policy.enforcementLevel, "mandatory", "the report lists the levels in effect");
    });
});

describe("check CLI: SARIF, markdown and text", function () {
    this.timeout(180_000);

    it("SARIF validates against the SARIF 2.1.0 schema, with rules from the pack and one result per finding", async () => {
        const result = await checkOnce(["--program", program("raw-broken"), "--format", "sarif"]);
        assert.equal(result.code, 1, result.stderr);
        const log = parseJson(result);
        const schema = sarifSchema();
        const ajv = new Ajv({ strict: false, unicodeRegExp: false, validateFormats: false, logger: false });
        const validate = ajv.compile(schema);
        assert.ok(validate(log) as boolean, JSON.stringify(validate.errors, null, 2));

        const json = parseJson(await checkOnce(["--program", program("raw-broken"), "--format", "json"]));
        const run = log.runs[0];
        assert.equal(run.tool.driver.name, json.policyPack.name);
        assert.deepEqual(
            run.tool.driver.rules.map((r: { id: string }) => r.id),
            json.policyPack.policies.map((p: { name: string }) => p.name),
        );
        assert.ok(run.tool.driver.rules.every((r: any) => r.shortDescription.text.length > 0 && r.fullDescription.text.length > 0));
        assert.equal(run.results.length, json.findings.length);
        // Each result at the line of its resource's `new …("api"` in the program, relative to the repository's root.
        const source = fs.readFileSync(path.join(program("raw-broken"), "index.ts"), "utf8").split("\n");
        const constructors: Record<string, string> = {
            "aws:ecs/taskDefinition:TaskDefinition": "new aws.ecs.TaskDefinition(",
            "aws:lb/targetGroup:TargetGroup": "new aws.lb.TargetGroup(",
            "aws:ecs/service:Service": "new aws.ecs.Service(",
        };
        for (const r of run.results) {
            assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
            const { artifactLocation, region } = r.locations[0].physicalLocation;
            assert.deepEqual(artifactLocation, { uri: "tests/fixtures/programs/raw-broken/index.ts", uriBaseId: "%SRCROOT%" });
            assert.ok(
                source[region.startLine - 1].includes(constructors[r.properties.resourceType]),
                `${r.ruleId} at line ${region.startLine}`,
            );
        }
        // helpUri: this repository's policy docs at the tag of the pack's version (policies/package.json).
        const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policies", "package.json"), "utf8"));
        assert.equal(run.tool.driver.name, OWN_PACK_NAME);
        for (const rule of run.tool.driver.rules) {
            assert.equal(rule.helpUri, `https://github.com/healthy-fargate/healthy-fargate/blob/v${version}/policies/README.md#${rule.id}`);
        }
        const size = run.results.find((r: any) => r.ruleId === "fargate-task-size-valid");
        assert.equal(size.level, "error");
        assert.match(size.locations[0].logicalLocations[0].fullyQualifiedName, /aws:ecs\/taskDefinition:TaskDefinition::api$/);
        assert.equal(run.results.find((r: any) => r.ruleId === "graceful-shutdown-aligned").level, "warning");
    });

    it("markdown: verdict, findings table and notes for a PR comment", async () => {
        const result = await checkOnce(["--program", program("raw-broken"), "--format", "markdown"]);
        assert.equal(result.code, 1, result.stderr);
        const lines = result.stdout.trimEnd().split("\n");
        assert.match(lines[0], /^### ❌ healthy-fargate policy check: `fixture-raw-broken\/dev`$/);
        assert.match(result.stdout, /\*\*\d+ mandatory findings? blocks? this change\.\*\*/);
        assert.ok(lines.includes("| level | policy | resource | message |"));
        const rows = lines.filter((l) => l.startsWith("| 🔴 mandatory |"));
        assert.ok(rows.some((r) => r.includes("`fargate-task-size-valid`") && r.includes("api (aws:ecs/taskDefinition:TaskDefinition)")));
        assert.ok(
            lines.filter((l) => l.startsWith("| ")).every((l) => l.endsWith(" |")),
            "every table row is on one line",
        );
        assert.doesNotMatch(result.stdout, ANSI);

        const clean = await checkOnce(["--program", program("raw-clean"), "--format", "markdown"]);
        assert.equal(clean.code, 0, clean.stderr);
        assert.match(clean.stdout, /^### ✅ .*\n\nNo mandatory finding\./);
    });

    it("text (not a TTY): no colour, findings grouped by resource, verdict last", async () => {
        const result = await checkOnce(["--program", program("raw-broken"), "--format", "text"]);
        assert.equal(result.code, 1, result.stderr);
        assert.doesNotMatch(result.stdout, ANSI, "no ANSI codes when stdout is not a TTY");
        const lines = result.stdout.trimEnd().split("\n");
        const serviceHeader = lines.indexOf("api (aws:ecs/service:Service)");
        const taskHeader = lines.indexOf("api (aws:ecs/taskDefinition:TaskDefinition)");
        assert.ok(serviceHeader > 0 && taskHeader > 0, result.stdout);
        const serviceBlock = lines.slice(serviceHeader + 1, lines.indexOf("", serviceHeader));
        assert.ok(
            serviceBlock.some((l) => /^ {2}mandatory {2}deployment-circuit-breaker-rollback: /.test(l)),
            serviceBlock.join("\n"),
        );
        assert.ok(
            !serviceBlock.some((l) => l.includes("fargate-task-size-valid")),
            "task definition findings are under the task definition",
        );
        assert.match(lines[lines.length - 1], /^FAILED: \d+ mandatory findings? \(\d+ mandatory, \d+ advisory, \d+ undecided\)$/);
    });

    it("text of the dev stack: the health-contract and deployment-timeline table of api and mlflow", async () => {
        const result = await checkOnce(["--format", "text"]);
        assert.equal(result.code, 0, result.stderr);
        assert.doesNotMatch(result.stdout, ANSI);
        const table = result.stdout.slice(result.stdout.indexOf("Health contracts"));
        assert.match(table, /api/);
        assert.match(table, /mlflow/);
        assert.doesNotMatch(table, /no HealthyFargateService/);
        assert.match(result.stdout.trimEnd().split("\n").pop()!, /^PASSED: no mandatory finding/);
    });
});

describe("check CLI: exit code 2 when something cannot be run", function () {
    this.timeout(180_000);

    it("a program that throws: exit 2 naming the program and its error", async () => {
        const result = await checkOnce(["--program", program("throws"), "--format", "json"]);
        assert.equal(result.code, 2);
        assert.equal(result.stdout, "", "no report on stdout");
        assert.match(result.stderr, /program/);
        assert.match(result.stderr, /tests\/fixtures\/programs\/throws\/index\.ts/);
        assert.match(result.stderr, /database URL missing from config/);
    });

    it("a missing stack file: exit 2 naming the file and the stacks that exist", async () => {
        const result = await checkOnce(["--program", program("raw-clean"), "--stack", "prod", "--format", "json"]);
        assert.equal(result.code, 2);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /Pulumi\.prod\.yaml/);
        assert.match(result.stderr, /Stacks here: dev/);
    });

    it("a pack that does not compile: exit 2 with the pack's compiler error", async () => {
        const result = await checkOnce([
            "--program",
            program("raw-clean"),
            "--policy-pack",
            path.join(PACKS, "broken-pack"),
            "--format",
            "json",
        ]);
        assert.equal(result.code, 2);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /^error: policy pack: /);
        assert.match(result.stderr, /broken-pack/);
        assert.match(result.stderr, /TS2322/);
    });

    it("an unknown --format: exit 2 with usage, before running anything", async () => {
        const result = await checkOnce(["--program", program("raw-clean"), "--format", "xml"]);
        assert.equal(result.code, 2);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /--format must be one of text, json, sarif, markdown, got "xml"/);
        assert.match(result.stderr, /usage:/);
    });

    it("a missing policy config file: exit 2 naming the config", async () => {
        const missing = path.join(REPO_ROOT, "tests", "fixtures", "no-such-config.json");
        const result = await checkOnce(["--program", program("raw-clean"), "--policy-pack-config", missing]);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /^error: policy pack config: /);
        assert.match(result.stderr, /no-such-config\.json/);
    });

    it("a directory without Pulumi.yaml: exit 2", async () => {
        const result = await checkOnce(["--program", path.join(REPO_ROOT, "tests"), "--format", "json"]);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /No Pulumi\.yaml/);
    });
});
