/**
 * Every policy of the pack is complete: kebab-case name matching its file in rules/, a description
 * that is a complete sentence, an enforcement level, a README section, a metadata entry, schema
 * defaults that satisfy their own schema; and every rules/ file is in the pack's list.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { POLICY_METADATA } from "../../policies/metadata";
import { policies } from "../../policies/policies";
import { RULES } from "../../policies/registry";
import { HEALTHY_FARGATE_SERVICE_TYPE } from "../../policies/resources";
import { HEALTHY_FARGATE_SERVICE_TYPE as COMPONENT_TYPE } from "../../components/healthy-fargate-service/type-token";

const POLICIES_DIR = path.join(__dirname, "..", "..", "policies");
const readme = fs.readFileSync(path.join(POLICIES_DIR, "README.md"), "utf8");

describe("policy pack meta", () => {
    it("lists every rules/ file exactly once, and nothing else", () => {
        const files = fs
            .readdirSync(path.join(POLICIES_DIR, "rules"))
            .filter((f) => f.endsWith(".ts"))
            .map((f) => f.replace(/\.ts$/, ""))
            .sort();
        assert.deepStrictEqual(policies.map((p) => p.name).sort(), files);
        assert.strictEqual(new Set(policies.map((p) => p.name)).size, policies.length, "names are unique");
    });

    it("has metadata for exactly the pack's policies", () => {
        assert.deepStrictEqual(Object.keys(POLICY_METADATA).sort(), policies.map((p) => p.name).sort());
    });

    it("pairs each policy of the registry with its own rule file's metadata", () => {
        for (const { policy, metadata } of RULES) assert.strictEqual(metadata.id, policy.name);
    });

    it("type token copy matches the component's", () => {
        assert.strictEqual(HEALTHY_FARGATE_SERVICE_TYPE, COMPONENT_TYPE);
    });

    it("documents the unknown-value convention and how to run the pack", () => {
        assert.match(readme, /\[undecided\]/);
        assert.match(readme, /pulumi preview --policy-pack policies/);
        assert.match(readme, /--policy-pack-config/);
    });

    for (const policy of policies) {
        describe(policy.name, () => {
            it("has a kebab-case name", () => assert.match(policy.name, /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/));
            it("has a description that is a complete sentence", () => {
                assert.match(policy.description, /^[A-Z].{20,}\.$/);
            });
            it("has an enforcement level", () => assert.ok(["advisory", "mandatory", "remediate"].includes(policy.enforcementLevel ?? "")));
            it("has a README section with level, what, why, config and a fix with failing and passing snippets", () => {
                const start = readme.indexOf(`\n## ${policy.name}\n`);
                assert.ok(start >= 0, `README.md needs a "## ${policy.name}" section`);
                const rest = readme.slice(start + 1);
                const next = rest.indexOf("\n## ");
                const section = next < 0 ? rest : rest.slice(0, next);
                assert.ok(section.includes(`**Default level:** ${policy.enforcementLevel}`), "states the default level");
                for (const heading of ["**Checks:**", "**Why:**", "**Config:**", "**Fix:**"])
                    assert.ok(section.includes(heading), `has ${heading}`);
                assert.match(section, /Fails:[\s\S]*```[\s\S]*Passes:[\s\S]*```/);
                for (const key of Object.keys(policy.configSchema?.properties ?? {}))
                    assert.ok(section.includes(`\`${key}\``), `documents config \`${key}\``);
            });
            it("has a metadata entry pointing at its README section", () => {
                const m = POLICY_METADATA[policy.name];
                assert.ok(m, "metadata entry");
                assert.strictEqual(m.id, policy.name);
                assert.strictEqual(m.docsAnchor, `#${policy.name}`);
                assert.match(m.rationale, /\.$/);
                assert.match(m.remediation, /\.$/);
            });
            it("has config defaults that satisfy its own schema", () => {
                const schema = policy.configSchema;
                if (!schema) return;
                const defaults = Object.fromEntries(
                    Object.entries(schema.properties).map(([k, v]) => [k, (v as { default?: unknown }).default]),
                );
                for (const [k, v] of Object.entries(defaults)) assert.notStrictEqual(v, undefined, `\`${k}\` has a default`);
                const ajv = new Ajv({ strict: false });
                const validate = ajv.compile({ type: "object", properties: schema.properties, required: schema.required ?? [] });
                assert.ok(validate(defaults), JSON.stringify(validate.errors));
            });
        });
    }
});
