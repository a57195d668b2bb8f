/**
 * Unit tests of the check's report model (cli/check/report.ts): URN parsing, the undecided
 * convention, de-duplication, ordering, summary and exit code.
 */
import * as assert from "node:assert/strict";
import { buildReport, dedupe, exitCodeOf, isUndecided, parseUrn, toFinding } from "../../cli/check/report";
import { URN_SVC, URN_TD, diagnostic, offlineRun, packInfo } from "./report-fixtures";

describe("check report: parseUrn", () => {
    it("type and name of a top-level resource", () => {
        assert.deepEqual(parseUrn(URN_TD), { type: "aws:ecs/taskDefinition:TaskDefinition", name: "api" });
    });
    it("the resource's own type when the URN carries its parent's type", () => {
        assert.deepEqual(parseUrn(URN_SVC), { type: "aws:ecs/service:Service", name: "api-service" });
    });
    it("a name that itself contains ::", () => {
        assert.deepEqual(parseUrn("urn:pulumi:dev::proj::aws:s3/bucket:Bucket::a::b"), { type: "aws:s3/bucket:Bucket", name: "a::b" });
    });
    it("empty for no URN or a malformed one (stack-wide findings)", () => {
        assert.deepEqual(parseUrn(""), { type: "", name: "" });
        assert.deepEqual(parseUrn("urn:pulumi:dev::proj"), { type: "", name: "" });
    });
});

describe("check report: undecided findings", () => {
    it("recognises the marker at the start of any line (the description line comes first)", () => {
        assert.equal(isUndecided("desc\n[undecided] 'api' (t) `x`: cannot verify"), true);
        assert.equal(isUndecided("[undecided] 'api' (t) `x`: cannot verify"), true);
        assert.equal(isUndecided("desc\n'api' (t) `x`: found [undecided] in text"), false);
        assert.equal(isUndecided("desc\n[undecided]without space"), false);
    });
    it("an undecided mandatory report is not blocking", () => {
        const f = toFinding(diagnostic({ message: "desc\n[undecided] 'api' (t) `memory`: cannot verify: unknown." }));
        assert.equal(f.decided, false);
        assert.equal(f.blocking, false);
    });
    it("a decided mandatory report is blocking; an advisory one is not", () => {
        assert.equal(toFinding(diagnostic()).blocking, true);
        assert.equal(toFinding(diagnostic({ enforcementLevel: "advisory" })).blocking, false);
    });
});

describe("check report: dedupe", () => {
    it("keeps one of identical (policy, URN, message) findings", () => {
        const f = toFinding(diagnostic());
        assert.deepEqual(dedupe([f, { ...f }, f]), [f]);
    });
    it("keeps findings that differ in policy, URN or message", () => {
        const f = toFinding(diagnostic());
        const others = [
            { ...f, policy: "other" },
            { ...f, urn: URN_SVC },
            { ...f, message: `${f.message} more` },
        ];
        assert.equal(dedupe([f, ...others]).length, 4);
    });
});

describe("check report: buildReport and exit code", () => {
    it("drops disabled diagnostics, de-duplicates, orders blocking first and counts", () => {
        const report = buildReport({
            run: offlineRun([{ urn: URN_TD, type: "aws:ecs/taskDefinition:TaskDefinition", name: "api" }]),
            info: packInfo(),
            diagnostics: [
                diagnostic({
                    policyName: "deployment-alarms-configured",
                    enforcementLevel: "advisory",
                    urn: URN_SVC,
                    message: "alarms unset",
                }),
                diagnostic(),
                diagnostic(),
                diagnostic({ policyName: "x", enforcementLevel: "disabled" }),
                diagnostic({
                    policyName: "fargate-task-size-valid",
                    urn: URN_SVC,
                    message: "[undecided] 'api-service' (t) `x`: cannot verify",
                }),
            ],
            timings: { totalMs: 1 },
        });
        assert.deepEqual(
            report.findings.map((f) => [f.policy, f.blocking, f.decided]),
            [
                ["fargate-task-size-valid", true, true],
                ["deployment-alarms-configured", false, true],
                ["fargate-task-size-valid", false, false],
            ],
        );
        assert.deepEqual(report.summary, { mandatory: 2, advisory: 1, undecided: 1, blocking: 1 });
        assert.equal(report.resources, 1);
        assert.deepEqual(report.notes, ["a note from the run"]);
        assert.equal(exitCodeOf(report), 1);
    });

    it("exit code 0 with only advisory and undecided findings", () => {
        const report = buildReport({
            run: offlineRun(),
            info: packInfo(),
            timings: {},
            diagnostics: [
                diagnostic({ enforcementLevel: "advisory" }),
                diagnostic({ message: "desc\n[undecided] 'api' (t) `memory`: cannot verify." }),
            ],
        });
        assert.equal(report.summary.blocking, 0);
        assert.equal(exitCodeOf(report), 0);
    });

    it("lists each policy with the level in effect (config applied) or its default", () => {
        const report = buildReport({
            run: offlineRun(),
            info: packInfo(),
            diagnostics: [],
            timings: {},
            levels: { "deployment-alarms-configured": { enforcementLevel: "mandatory" } },
        });
        assert.deepEqual(
            report.policyPack.policies.map((p) => [p.name, p.enforcementLevel]),
            [
                ["deployment-alarms-configured", "mandatory"],
                ["fargate-task-size-valid", "mandatory"],
            ],
        );
    });

    it("health contracts of HealthyFargateService components only", () => {
        const contract = { schema: 1 };
        const report = buildReport({
            run: offlineRun([
                {
                    urn: "urn:pulumi:dev::proj::healthy-fargate:ecs:HealthyFargateService::api",
                    type: "healthy-fargate:ecs:HealthyFargateService",
                    name: "api",
                    custom: false,
                    inputs: { healthContract: contract },
                },
                {
                    urn: "urn:pulumi:dev::proj::other:Component::x",
                    type: "other:Component",
                    name: "x",
                    custom: false,
                    inputs: { healthContract: contract },
                },
            ]),
            info: packInfo(),
            diagnostics: [],
            timings: {},
        });
        assert.deepEqual(
            report.healthContracts.map((c) => c.service),
            ["api"],
        );
    });
});
