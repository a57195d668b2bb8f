/**
 * Unit tests of the check's output formats on a built report (no program, no pack).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import Ajv from "ajv-draft-04";
import { buildReport, type CheckReport } from "../../cli/check/report";
import { formatMarkdown } from "../../cli/check/format-markdown";
import { defaultSourceRoot, formatSarif } from "../../cli/check/format-sarif";
import { formatText } from "../../cli/check/format-text";
import { buildHealthContract } from "../../policies/domain";
import { ANSI } from "./cli";
import { URN_TD, diagnostic, offlineRun, packInfo } from "./report-fixtures";
import { sarifSchema } from "../support/sarif-schema";

const URN_TG = "urn:pulumi:dev::proj::aws:lb/targetGroup:TargetGroup::api";

function sampleReport(): CheckReport {
    const contract = buildHealthContract({
        containerName: "api",
        port: 8080,
        tool: "curl",
        livenessPath: "/health/live",
        readinessPath: "/health/ready",
        matcher: "200",
        startup: { expectedSeconds: 20, worstCaseSeconds: 60 },
        desiredCount: 2,
        minimumHealthyPercent: 100,
        maximumPercent: 200,
    });
    return buildReport({
        run: offlineRun([
            {
                urn: "urn:pulumi:dev::proj::healthy-fargate:ecs:HealthyFargateService::api",
                type: "healthy-fargate:ecs:HealthyFargateService",
                name: "api",
                custom: false,
                inputs: { healthContract: contract },
            },
        ]),
        info: packInfo(),
        diagnostics: [
            diagnostic({
                message: 'Task sizes.\n\'api\' (aws:ecs/taskDefinition:TaskDefinition) `memory`: found cpu "256" | memory "4096".',
            }),
            diagnostic({
                policyName: "deployment-alarms-configured",
                enforcementLevel: "advisory",
                urn: URN_TG,
                message: "Alarms.\n'api' `alarms`: found unset.",
            }),
            diagnostic({
                policyName: "fargate-task-size-valid",
                urn: URN_TG,
                message: "Task sizes.\n[undecided] 'api' `cpu`: cannot verify.",
            }),
            diagnostic({ policyName: "fargate-task-size-valid", enforcementLevel: "advisory", urn: undefined, message: "Stack-wide." }),
        ],
        timings: {},
    });
}

describe("check formats: text", () => {
    it("without colour: no ANSI codes; findings grouped under their resource; verdict last", () => {
        const text = formatText(sampleReport(), false);
        assert.doesNotMatch(text, ANSI);
        const lines = text.split("\n");
        const td = lines.indexOf("api (aws:ecs/taskDefinition:TaskDefinition)");
        const tg = lines.indexOf("api (aws:lb/targetGroup:TargetGroup)");
        assert.ok(td > 0 && tg > 0, text);
        assert.match(lines[td + 1], /^ {2}mandatory {2}fargate-task-size-valid: Task sizes\.$/);
        assert.match(lines[td + 2], /^ {6}'api' \(aws:ecs\/taskDefinition:TaskDefinition\) `memory`/, "continuation lines are indented");
        const tgBlock = lines.slice(tg + 1, lines.indexOf("", tg));
        assert.ok(tgBlock.some((l) => l.startsWith("  advisory  deployment-alarms-configured")));
        assert.ok(
            tgBlock.some((l) => l.startsWith("  cannot tell  fargate-task-size-valid")),
            "undecided reads as cannot tell",
        );
        assert.ok(lines.includes("stack"), "a finding without URN is listed under the stack");
        assert.ok(lines.includes("note: a note from the run"));
        assert.equal(lines[lines.length - 1], "FAILED: 1 mandatory finding (2 mandatory, 2 advisory, 1 undecided)");
    });

    it("the health-contract table names each service and its probe", () => {
        const text = formatText(sampleReport(), false);
        const table = text.slice(text.indexOf("Health contracts"));
        assert.match(table.split("\n")[1], /^\s+api$/);
        assert.match(table, /probe\s+curl → :8080\/health\/live/);
        assert.match(table, /bad release → rolled back/);
    });

    it("with colour: ANSI codes on badges and verdict", () => {
        const text = formatText(sampleReport(), true);
        assert.match(text, /\u001b\[31mmandatory\u001b\[0m/);
        assert.match(text, /\u001b\[31mFAILED: 1 mandatory finding\u001b\[0m/);
    });

    it("PASSED when nothing blocks", () => {
        const report = buildReport({
            run: offlineRun(),
            info: packInfo(),
            diagnostics: [diagnostic({ enforcementLevel: "advisory" })],
            timings: {},
        });
        assert.match(formatText(report).split("\n").pop()!, /^PASSED: no mandatory finding \(0 mandatory, 1 advisory, 0 undecided\)$/);
    });
});

describe("check formats: markdown", () => {
    it("verdict, one table row per finding with pipes and newlines escaped, contracts in <details>", () => {
        const md = formatMarkdown(sampleReport());
        const lines = md.split("\n");
        assert.equal(lines[0], "### ❌ healthy-fargate policy check: `proj/dev`");
        assert.match(lines[2], /^\*\*1 mandatory finding blocks this change\.\*\* 2 mandatory, 2 advisory, 1 undecided/);
        const rows = lines.filter((l) => /^\| (🔴|🟡|⚪)/.test(l));
        assert.equal(rows.length, 4);
        const size = rows.find((r) => r.includes("memory"))!;
        assert.ok(size.includes('cpu "256" \\| memory'), "pipe escaped");
        assert.ok(size.includes("Task sizes.<br>'api'"), "newline as <br>");
        assert.ok(rows.some((r) => r.startsWith("| ⚪ cannot tell |")));
        assert.ok(rows.some((r) => r.includes("| stack |")));
        assert.ok(md.includes("<details><summary>Health contracts and deployment timelines</summary>"));
        assert.ok(lines.includes("| | `api` |"));
        assert.ok(lines.includes("> a note from the run"));
    });

    it("✅ and no table without findings", () => {
        const md = formatMarkdown(buildReport({ run: { ...offlineRun(), notes: [] }, info: packInfo(), diagnostics: [], timings: {} }));
        assert.equal(
            md,
            "### ✅ healthy-fargate policy check: `proj/dev`\n\nNo mandatory finding. 0 mandatory, 0 advisory, 0 undecided · 0 resources · healthy-fargate@0.1.0",
        );
    });
});

describe("check formats: SARIF", () => {
    const schema = sarifSchema();
    const validate = new Ajv({ strict: false, unicodeRegExp: false, validateFormats: false, logger: false }).compile(schema);
    const ROOT = path.join(path.sep, "work", "team-repo");
    const options = { entryFile: path.join(ROOT, "infra", "index.ts"), sourceRoot: ROOT };

    /** The sample report with the task definition constructed at infra/index.ts:12:5. */
    function locatedReport(file = path.join(ROOT, "infra", "index.ts")): CheckReport {
        const report = sampleReport();
        report.findings = report.findings.map((f) => (f.urn === URN_TD ? { ...f, source: { file, line: 12, column: 5 } } : f));
        return report;
    }

    it("is valid SARIF 2.1.0", () => {
        const log = JSON.parse(formatSarif(locatedReport(), options));
        assert.ok(validate(log) as boolean, JSON.stringify(validate.errors, null, 2));
    });

    it("the schema check can fail (a result without message is rejected)", () => {
        const log = JSON.parse(formatSarif(sampleReport(), options));
        delete log.runs[0].results[0].message;
        assert.equal(validate(log), false);
    });

    it("rules from the pack's metadata; levels error/warning/note; URN as logical location", () => {
        const log = JSON.parse(formatSarif(sampleReport(), options));
        const run = log.runs[0];
        assert.deepEqual(
            run.tool.driver.rules.map((r: any) => [r.id, r.shortDescription.text, r.defaultConfiguration.level]),
            [
                ["deployment-alarms-configured", "deployment-alarms-configured description.", "warning"],
                ["fargate-task-size-valid", "fargate-task-size-valid description.", "error"],
            ],
        );
        // Same order as the report's findings: blocking first, then by URN (stack-wide first) and policy.
        assert.deepEqual(
            run.results.map((r: any) => [r.ruleId, r.ruleIndex, r.level, r.locations[0].logicalLocations?.[0].fullyQualifiedName]),
            [
                ["fargate-task-size-valid", 1, "error", URN_TD],
                ["fargate-task-size-valid", 1, "warning", undefined],
                ["deployment-alarms-configured", 0, "warning", URN_TG],
                ["fargate-task-size-valid", 1, "note", URN_TG],
            ],
        );
        assert.equal(run.results[3].properties.decided, false);
        const located = run.results.find((r: any) => r.locations[0].logicalLocations?.[0].fullyQualifiedName === URN_TD);
        assert.equal(located.locations[0].logicalLocations[0].name, "api");
        const stackWide = run.results.find((r: any) => r.message.text === "Stack-wide.");
        assert.equal(stackWide.locations[0].logicalLocations, undefined);
    });

    it("a result sits at the resource's construction line, relative to %SRCROOT%; without one, at line 1 of the entry file", () => {
        const run = JSON.parse(formatSarif(locatedReport(), options)).runs[0];
        const at = (urn: string | undefined) =>
            run.results.find((r: any) => r.locations[0].logicalLocations?.[0].fullyQualifiedName === urn).locations[0].physicalLocation;
        assert.deepEqual(at(URN_TD), {
            artifactLocation: { uri: "infra/index.ts", uriBaseId: "%SRCROOT%" },
            region: { startLine: 12, startColumn: 5 },
        });
        assert.deepEqual(at(URN_TG), { artifactLocation: { uri: "infra/index.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 1 } });
        assert.deepEqual(run.originalUriBaseIds, { "%SRCROOT%": { uri: "file:///work/team-repo/" } });
    });

    it("paths are URI references: a space in a directory name is percent-encoded", () => {
        const run = JSON.parse(formatSarif(locatedReport(path.join(ROOT, "my infra", "index.ts")), options)).runs[0];
        const td = run.results.find((r: any) => r.locations[0].logicalLocations?.[0].fullyQualifiedName === URN_TD);
        assert.deepEqual(td.locations[0].physicalLocation.artifactLocation, { uri: "my%20infra/index.ts", uriBaseId: "%SRCROOT%" });
    });

    it("a file outside the source root keeps an absolute file URI, never a ../ path", () => {
        const outside = path.join(path.sep, "elsewhere", "lib.ts");
        const run = JSON.parse(formatSarif(locatedReport(outside), options)).runs[0];
        const td = run.results.find((r: any) => r.locations[0].logicalLocations?.[0].fullyQualifiedName === URN_TD);
        assert.deepEqual(td.locations[0].physicalLocation.artifactLocation, { uri: "file:///elsewhere/lib.ts" });
    });

    it("helpUri: this repository's docs at the pack's version for our pack; another pack's rules only what its metadata names", () => {
        const ours = JSON.parse(formatSarif(sampleReport(), options)).runs[0].tool.driver;
        const docs = "https://github.com/healthy-fargate/healthy-fargate/blob/v0.1.0/policies/README.md";
        assert.equal(ours.informationUri, docs);
        assert.deepEqual(
            ours.rules.map((r: any) => r.helpUri),
            [`${docs}#deployment-alarms-configured`, `${docs}#fargate-task-size-valid`],
        );

        const report = sampleReport();
        report.policyPack = { ...report.policyPack, name: "team-pack" };
        report.policyPack.policies[0] = { ...report.policyPack.policies[0], url: "https://example.test/alarms" };
        const theirs = JSON.parse(formatSarif(report, options)).runs[0].tool.driver;
        assert.equal(theirs.informationUri, undefined);
        assert.deepEqual(
            theirs.rules.map((r: any) => r.helpUri),
            ["https://example.test/alarms", undefined],
        );
    });
});

describe("check: SARIF source root", () => {
    it("is the nearest parent with .git (a directory or a worktree's file), else the program's directory", () => {
        const gitAt = (root: string) => (p: string) => p === path.join(root, ".git");
        assert.equal(defaultSourceRoot("/r/infra/app", gitAt("/r")), "/r");
        assert.equal(defaultSourceRoot("/r/infra/app", gitAt("/r/infra/app")), "/r/infra/app");
        assert.equal(
            defaultSourceRoot("/r/infra/app", () => false),
            "/r/infra/app",
        );
    });
});
