/**
 * The pack gives an awsx program the same findings in both worlds. For each real-engine fixture
 * (tests/fixtures/engine/*.json: what a real preview sends the analyzer — awsx components with
 * empty inputs, their `aws:*` children with the inputs awsx computes), the REAL pack (run-policy-pack
 * + gRPC, as `pulumi preview --policy-pack` runs it, with the stack's config in PULUMI_CONFIG) is
 * asked exactly what the engine would ask it, and exactly what the offline check asks it for the
 * same program run under mocks (tests/fixtures/programs/<program>). Findings are compared by
 * policy, level, decided or not, and the resource as the program wrote it (an awsx child counts as
 * its outermost awsx component): not by text, which names the child's own fields.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { type PolicyDiagnostic, type PolicyPackHost, type PropertyMap, startPolicyPack } from "../../cli/analyzer";
import type { CapturedResource, OfflineRun } from "../../cli/offline/program-runner";
import { loadStackConfig, readProjectFile } from "../../cli/offline/program-runner";
import { isPolicyErrorMessage, isUndecidedMessage } from "../../policies/kit";
import { REPO_ROOT, runTs } from "../support/spawn-node";

const PACK_DIR = path.join(REPO_ROOT, "policies");
const ENGINE_DIR = path.join(REPO_ROOT, "tests", "fixtures", "engine");
const PROGRAMS_DIR = path.join(REPO_ROOT, "tests", "fixtures", "programs");

interface EngineResource {
    urn: string;
    parent?: string;
    inputs: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    computedOutputs?: string[];
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

interface EngineFixture {
    program: string;
    project: string;
    stack: string;
    config: Record<string, string>;
    unknown: string;
    resources: EngineResource[];
    expectedFindings: string[];
}

/** The stack config every fixture program declares (Pulumi.dev.yaml), as the CLI passes it: PULUMI_CONFIG. */
const STACK_CONFIG = { "aws:region": "eu-west-1", "healthy-fargate:productionLike": "true" };

const fixtures: EngineFixture[] = fs
    .readdirSync(ENGINE_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(ENGINE_DIR, f), "utf8")) as EngineFixture);

/** `urn:pulumi:<stack>::<project>::<a>$<b>::<name>` → `<b>::<name>` (type and name of the resource itself). */
function typeAndName(urn: string): string {
    const [, , types, ...name] = urn.slice("urn:pulumi:".length).split("::");
    return `${types.split("$").pop()}::${name.join("::")}`;
}

/** The resource as the program wrote it: an awsx child counts as its outermost awsx ancestor. */
function writtenResource(urn: string | undefined, parentOf: Map<string, string | undefined>): string {
    if (!urn || !parentOf.has(urn)) return "stack";
    let written = urn;
    for (let p = parentOf.get(urn); p; p = parentOf.get(p)) if (typeAndName(p).startsWith("awsx:")) written = p;
    return typeAndName(written);
}

function finding(d: PolicyDiagnostic, urn: string | undefined, parentOf: Map<string, string | undefined>): string {
    assert.ok(!isPolicyErrorMessage(d.message), d.message);
    return `${d.policyName} ${d.enforcementLevel} ${isUndecidedMessage(d.message) ? "undecided" : "decided"} ${writtenResource(urn, parentOf)}`;
}

/** What the engine asks the pack in a real preview: Analyze with each resource's inputs, AnalyzeStack with the outputs. */
async function realFindings(host: PolicyPackHost, fixture: EngineFixture): Promise<string[]> {
    const parentOf = new Map(fixture.resources.map((r) => [r.urn, r.parent]));
    // The unknown sentinel string in the fixtures is exactly what the engine puts on the wire for a computed value.
    const outputsOf = (r: EngineResource) =>
        r.outputs ?? { ...r.inputs, ...Object.fromEntries((r.computedOutputs ?? []).map((k) => [k, fixture.unknown])) };
    const perResource = await Promise.all(
        fixture.resources.map(async (r) => {
            const [type, name] = typeAndName(r.urn).split("::");
            const ds = await host.analyze({ type, name, urn: r.urn, properties: r.inputs as PropertyMap, options: { parent: r.parent } });
            return ds.map((d) => finding(d, r.urn, parentOf));
        }),
    );
    const stack = await host.analyzeStack(
        fixture.resources.map((r) => {
            const [type, name] = typeAndName(r.urn).split("::");
            return {
                type,
                name,
                urn: r.urn,
                properties: outputsOf(r) as PropertyMap,
                parent: r.parent,
                dependencies: r.dependencies,
                propertyDependencies: r.propertyDependencies,
                options: { parent: r.parent },
            };
        }),
    );
    return [...perResource.flat(), ...stack.map((d) => finding(d, d.urn, parentOf))].sort();
}

/** What the offline check asks the pack for the program's run under mocks (cli/check/run-check.ts). */
async function offlineFindings(host: PolicyPackHost, run: OfflineRun): Promise<string[]> {
    const parentOf = new Map(run.resources.map((r) => [r.urn, r.parent]));
    const options = (r: CapturedResource) => ({ parent: r.parent, protect: r.options.protect, ignoreChanges: r.options.ignoreChanges });
    const perResource = await Promise.all(
        run.resources.map(async (r) => {
            const ds = await host.analyze({
                type: r.type,
                name: r.name,
                urn: r.urn,
                properties: r.inputs as PropertyMap,
                options: options(r),
            });
            return ds.map((d) => finding(d, r.urn, parentOf));
        }),
    );
    const stack = await host.analyzeStack(
        run.resources.map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            properties: { ...r.inputs, ...r.outputs } as PropertyMap,
            parent: r.parent,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            options: options(r),
        })),
    );
    return [...perResource.flat(), ...stack.map((d) => finding(d, d.urn, parentOf))].sort();
}

function runOffline(programDir: string): OfflineRun {
    const result = runTs("tests/support/offline-run-json.ts", [programDir, "dev"]);
    assert.strictEqual(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as OfflineRun;
}

describe("real-engine awsx fixtures: the real pack gives the same findings as the offline run", function () {
    this.timeout(600_000);
    let host: PolicyPackHost;

    before(async () => {
        assert.ok(fixtures.length >= 3, "three fixtures");
        // As the CLI starts an analyzer for a stack: PULUMI_CONFIG carries the stack's config.
        host = await startPolicyPack({
            packDir: PACK_DIR,
            timeoutMs: 300_000,
            stack: { project: "fixtures", stack: "dev", dryRun: true, config: STACK_CONFIG },
        });
    });

    after(async () => {
        await host?.close();
    });

    afterEach(async () => {
        await host.configure();
    });

    for (const fixture of fixtures) {
        it(`${fixture.program}: real preview (awsx children) and offline run (awsx args) agree`, async () => {
            const programDir = path.join(PROGRAMS_DIR, fixture.program);
            // The fixture is of this program, and its stack config is what the CLI would pass.
            assert.strictEqual(readProjectFile(programDir).name, fixture.project);
            assert.deepStrictEqual(loadStackConfig(programDir, readProjectFile(programDir), fixture.stack).config, fixture.config);
            assert.deepStrictEqual(fixture.config, STACK_CONFIG);
            const expected = [...fixture.expectedFindings].sort();
            assert.ok(
                expected.some((f) => / mandatory decided /.test(f)),
                "each fixture has a mandatory finding",
            );
            assert.deepStrictEqual(await realFindings(host, fixture), expected, "real preview");
            assert.deepStrictEqual(await offlineFindings(host, runOffline(programDir)), expected, "offline run");
        });
    }

    it("reads healthy-fargate:productionLike from PULUMI_CONFIG (stack dev), and reports an invalid pattern instead of ignoring it", async () => {
        const service = (props: Record<string, unknown>) =>
            host.analyze({
                type: "aws:ecs/service:Service",
                name: "api",
                urn: "urn:pulumi:dev::fixtures::aws:ecs/service:Service::api",
                properties: props as PropertyMap,
            });
        const single = {
            desiredCount: 1,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            alarms: { alarmNames: ["a"], enable: true, rollback: true },
        };
        const [on, ...rest] = (await service(single)).filter((d) => d.policyName === "zero-downtime-rollout");
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(on.enforcementLevel, "mandatory");
        assert.match(on.message, /production-like stack 'dev' \(stack config `healthy-fargate:productionLike`\)/);
        assert.deepStrictEqual(
            (await service({ ...single, desiredCount: 2 })).filter((d) => d.policyName === "zero-downtime-rollout"),
            [],
        );
        await host.configure({ "zero-downtime-rollout": { productionStackPattern: "(prod" } });
        const [error] = (await service({ ...single, desiredCount: 2 })).filter((d) => d.policyName === "zero-downtime-rollout");
        assert.strictEqual(error.enforcementLevel, "mandatory");
        assert.match(
            error.message,
            /`productionStackPattern \(policy config\)`: found "\(prod"\. The policy cannot tell which stacks are production-like/,
        );
    });
});
