/**
 * A sample of the fuzz's shapes through the REAL pack over gRPC (encode → Analyzer → decode), as
 * `pulumi preview --policy-pack policies` sends them: no call fails, no `policy error:` marker, and
 * the diagnostics equal those of calling the policies directly on the same input (issue 16, "Fuzz
 * that finds these"). Booted once for the file. `FUZZ_SEED=<n>` reproduces a sample.
 */
import * as assert from "assert";
import * as path from "path";
import fc from "fast-check";
import { Secret } from "@pulumi/policy";
import { type PolicyDiagnostic, type PolicyPackHost, type PropertyMap, startPolicyPack } from "../../cli/analyzer";
import { isPolicyErrorMessage } from "../../policies/kit";
import { policies } from "../../policies/policies";
import { TYPES, UNKNOWN_SENTINELS, UNKNOWN_VALUE } from "../../policies/resources";
import { type Diagnostic, PROJECT, STACK, type StackResourceInput, isStackPolicy, runResource, runStack, urnOf } from "../policies/harness";
import { fuzzParameters, resourceCase, stackCase } from "../policies/fuzz-shapes";
import { toStackRequest, toWire } from "../policies/wire";

const PACK_DIR = path.join(__dirname, "..", "..", "policies");
/** What the pack's default `programDirectory` (`..` of the pack) resolves to: the repository. */
const DIRECT_CONFIG = { programDirectory: path.join(__dirname, "..", "..") };

/**
 * The value as it arrives after the wire's round trip, so the direct call sees what the pack sees:
 * every unknown is the engine's one unknown; `undefined` object members are dropped and array
 * members become null, non-finite numbers null and -0 zero (protobuf `Struct` has no such values;
 * what the SDK's serializer does with them is not what this test is about); secrets stay secrets.
 */
function asOnTheWire(value: unknown): unknown {
    if (value instanceof Secret) return new Secret(asOnTheWire(value.value));
    if (typeof value === "string") return UNKNOWN_SENTINELS.includes(value) ? UNKNOWN_VALUE : value;
    if (typeof value === "number") return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
    if (value === undefined) return null;
    if (Array.isArray(value)) return value.map(asOnTheWire);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, asOnTheWire(v)]),
        );
    }
    return typeof value === "bigint" || typeof value === "symbol" || typeof value === "function" ? null : value;
}

/** Types whose readers parse the most (container JSON, URLs, probes): half of the sample is one of them. */
const RICH_TYPES: readonly string[] = [
    TYPES.taskDefinition,
    TYPES.service,
    TYPES.lbTargetGroup,
    TYPES.awsxFargateService,
    TYPES.awsxFargateTaskDefinition,
    TYPES.ssmParameter,
];
const sampleCase = fc.oneof(
    resourceCase,
    resourceCase.filter((c) => RICH_TYPES.includes(c.type)),
);

const line = (d: { policyName: string; message: string; enforcementLevel: string }) =>
    `${d.policyName} [${d.enforcementLevel}] ${d.message}`;
const sorted = (ds: Array<{ policyName: string; message: string; enforcementLevel: string }>) => ds.map(line).sort();

function assertClean(got: PolicyDiagnostic[], label: string): void {
    for (const d of got) assert.ok(!isPolicyErrorMessage(d.message), `${label}: ${d.message}`);
}

describe("fuzz: a sample of the shapes through the real pack over gRPC", function () {
    this.timeout(600_000);
    let host: PolicyPackHost;

    before(async () => {
        host = await startPolicyPack({ packDir: PACK_DIR, timeoutMs: 300_000, stack: { project: PROJECT, stack: STACK, dryRun: true } });
    });

    after(async () => {
        await host?.close();
    });

    it("Analyze reports on 50 fuzzed resources what the policies report directly", async () => {
        const sample = fc.sample(sampleCase, fuzzParameters(50));
        const resourcePolicies = policies.filter((p) => !isStackPolicy(p));
        for (const [i, c] of sample.entries()) {
            const props = asOnTheWire(c.props) as Record<string, unknown>;
            const name = `fuzz-${i}`;
            const expected: Diagnostic[] = resourcePolicies.flatMap((p) =>
                runResource(p, { type: c.type, name, props, parentTypes: c.parentTypes }),
            );
            const label = `case ${i} (${c.type}, seed ${fuzzParameters(0).seed}): ${JSON.stringify(props).slice(0, 200)}`;
            const got = await host.analyze({
                type: c.type,
                name,
                urn: urnOf(c.type, name, c.parentTypes),
                properties: toWire(props) as PropertyMap,
            });
            assertClean(got, label);
            assert.deepStrictEqual(sorted(got), sorted(expected), label);
        }
    });

    it("AnalyzeStack reports on 5 fuzzed stacks what the stack policies report directly", async () => {
        const sample = fc.sample(stackCase, fuzzParameters(5));
        const stackPolicies = policies.filter(isStackPolicy);
        for (const [i, resources] of sample.entries()) {
            const inputs: StackResourceInput[] = resources.map((r) => ({ ...r, props: asOnTheWire(r.props) as Record<string, unknown> }));
            const expected = stackPolicies.flatMap((p) =>
                runStack(p, inputs, {
                    config: ["probe-tool-present-in-image", "app-receives-sigterm"].includes(p.name) ? DIRECT_CONFIG : {},
                }),
            );
            const label = `stack ${i} (seed ${fuzzParameters(0).seed}): ${inputs.map((r) => r.type).join(", ")}`;
            const got = await host.analyzeStack(toStackRequest(inputs, []));
            assertClean(got, label);
            assert.deepStrictEqual(sorted(got), sorted(expected), label);
        }
    });
});
