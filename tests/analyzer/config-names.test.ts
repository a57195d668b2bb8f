/**
 * Unit tests of the names check of a policy config (cli/analyzer/config-names.ts).
 */
import * as assert from "assert";
import { parsePolicyPackConfig, unknownConfigNames } from "../../cli/analyzer";
import type { PolicyNames } from "../../cli/analyzer/config-names";

const policies: PolicyNames[] = [
    {
        name: "probe-tool-present-in-image",
        configSchema: { properties: { programDirectory: { type: "string" }, extraImages: { type: "object" } }, required: [] },
    },
    {
        name: "graceful-shutdown-aligned",
        configSchema: { properties: { maxDeregistrationDelaySeconds: { type: "number" } }, required: [] },
    },
    { name: "fargate-task-size-valid", configSchema: { properties: {}, required: [] } },
    { name: "no-schema-policy" },
];

function problems(config: unknown): string[] {
    return unknownConfigNames("healthy-fargate", policies, parsePolicyPackConfig(config));
}

describe("policy config names", () => {
    it("accepts known policies, declared options, `all` with a level, and options of a policy without a schema", () => {
        assert.deepStrictEqual(
            problems({
                all: "mandatory",
                "graceful-shutdown-aligned": { enforcementLevel: "advisory", maxDeregistrationDelaySeconds: 60 },
                "probe-tool-present-in-image": { programDirectory: "." },
                "no-schema-policy": { anything: 1 },
            }),
            [],
        );
    });

    it("refuses an unknown policy, naming the nearest one and every policy of the pack", () => {
        const [problem, ...rest] = problems({ "probe-tool-present-in-imag": "disabled" });
        assert.deepStrictEqual(rest, []);
        assert.strictEqual(
            problem,
            'healthy-fargate has no policy "probe-tool-present-in-imag": did you mean "probe-tool-present-in-image"? ' +
                "Its policies: probe-tool-present-in-image, graceful-shutdown-aligned, fargate-task-size-valid, no-schema-policy.",
        );
    });

    it("refuses a misspelled option, naming the nearest declared one", () => {
        assert.deepStrictEqual(problems({ "graceful-shutdown-aligned": { maxDeregistrationDelay: 60 } }), [
            'policy "graceful-shutdown-aligned" has no option "maxDeregistrationDelay": did you mean "maxDeregistrationDelaySeconds"? ' +
                "Its options: maxDeregistrationDelaySeconds.",
        ]);
        assert.deepStrictEqual(problems({ "fargate-task-size-valid": { strict: true } }), [
            'policy "fargate-task-size-valid" has no option "strict". It takes no options, only an enforcement level.',
        ]);
    });

    it("refuses options under `all`, and names no suggestion when nothing is close", () => {
        assert.match(problems({ all: { programDirectory: "." } })[0]!, /^"all" sets only an enforcement level/);
        assert.doesNotMatch(problems({ "completely-different": "advisory" })[0]!, /did you mean/);
    });
});
