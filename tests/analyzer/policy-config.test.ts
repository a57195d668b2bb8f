/**
 * Unit tests of the CLI's policy config reconciliation (no pack process involved).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    loadPolicyPackConfigFile,
    parsePolicyPackConfig,
    parsePolicyPackConfigDocument,
    PolicyConfigValidationError,
    reconcilePolicyPackConfig,
} from "../../cli/analyzer";
import { type PolicyDefaults } from "../../cli/analyzer/policy-config";

const policies: PolicyDefaults[] = [
    {
        name: "limits",
        enforcementLevel: "advisory",
        configSchema: {
            properties: {
                max: { type: "number", default: 3 },
                label: { type: "string" },
            },
            required: ["max"],
        },
    },
    { name: "tags", enforcementLevel: "mandatory" },
];

describe("policy config: parsePolicyPackConfig", () => {
    it("reads levels, properties and drops empty entries like the CLI", () => {
        assert.deepStrictEqual(
            parsePolicyPackConfig({
                all: "disabled",
                limits: { enforcementLevel: "mandatory", max: 5 },
                tags: { label: "x" },
                empty: {},
            }),
            {
                all: { enforcementLevel: "disabled" },
                limits: { enforcementLevel: "mandatory", properties: { max: 5 } },
                tags: { properties: { label: "x" } },
            },
        );
    });

    it("rejects invalid levels and value types", () => {
        assert.throws(() => parsePolicyPackConfig({ limits: "strict" }), /"strict" is not a valid enforcement level/);
        assert.throws(() => parsePolicyPackConfig({ limits: { enforcementLevel: 1 } }), /1 is not a valid enforcement level/);
        assert.throws(() => parsePolicyPackConfig({ limits: 5 }), /must be a string or object/);
        assert.throws(() => parsePolicyPackConfig([]), /must be a JSON object/);
    });

    it("loads a config file, treating an empty file as no config", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
        const file = path.join(dir, "config.json");
        fs.writeFileSync(file, "  \n");
        assert.deepStrictEqual(loadPolicyPackConfigFile(file), {});
        fs.writeFileSync(file, "{ not json");
        assert.throws(
            () => loadPolicyPackConfigFile(file),
            (e: Error) => e.message.startsWith(`${file}: `),
        );
    });
});

describe("policy config: reconcilePolicyPackConfig", () => {
    it("starts from schema defaults and each policy's level", () => {
        assert.deepStrictEqual(reconcilePolicyPackConfig(policies, undefined, undefined), {
            limits: { enforcementLevel: "advisory", properties: { max: 3 } },
            tags: { enforcementLevel: "mandatory", properties: undefined },
        });
    });

    it("applies initial config over defaults and user config over both", () => {
        const initial = parsePolicyPackConfig({ limits: { enforcementLevel: "mandatory", max: 4, label: "initial" } });
        const user = parsePolicyPackConfig({ limits: { label: "user" } });
        assert.deepStrictEqual(reconcilePolicyPackConfig(policies, initial, user).limits, {
            enforcementLevel: "mandatory",
            properties: { max: 4, label: "user" },
        });
    });

    it("applies 'all' per layer, below that layer's per-policy entries", () => {
        const initial = parsePolicyPackConfig({ all: "disabled" });
        const user = parsePolicyPackConfig({ all: "mandatory", tags: "advisory" });
        const result = reconcilePolicyPackConfig(policies, initial, user);
        assert.strictEqual(result.limits?.enforcementLevel, "mandatory");
        assert.strictEqual(result.tags?.enforcementLevel, "advisory");
        // The CLI sends `all` along as an entry of its own.
        assert.deepStrictEqual(result.all, { enforcementLevel: "mandatory", properties: undefined });
    });

    it("does not mutate its inputs", () => {
        const initial = parsePolicyPackConfig({ limits: { max: 4 } });
        const snapshot = structuredClone(initial);
        reconcilePolicyPackConfig(policies, initial, parsePolicyPackConfig({ limits: { max: 9 } }));
        assert.deepStrictEqual(initial, snapshot);
    });

    it("validates the result against each policy's schema", () => {
        assert.throws(
            () => reconcilePolicyPackConfig(policies, undefined, parsePolicyPackConfig({ limits: { max: "many" } })),
            (e: unknown) =>
                e instanceof PolicyConfigValidationError && e.errors.length === 1 && e.errors[0] === "limits: max: must be number",
        );
    });
});

describe("policy config: environments, as the CLI reads them", () => {
    it("takes a top-level `environments` list apart from the policies", () => {
        assert.deepStrictEqual(parsePolicyPackConfigDocument({ environments: ["org/policy-env"], limits: "mandatory" }), {
            config: { limits: { enforcementLevel: "mandatory" } },
            environments: ["org/policy-env"],
        });
        assert.deepStrictEqual(parsePolicyPackConfig({ environments: [] }), {});
    });

    it("rejects `environments` that is not a list of strings, with the CLI's words", () => {
        assert.throws(() => parsePolicyPackConfigDocument({ environments: "org/env" }), /"environments" must be an array of strings/);
        assert.throws(() => parsePolicyPackConfigDocument({ environments: ["ok", 3] }), /"environments\[1\]" must be a string/);
    });
});
