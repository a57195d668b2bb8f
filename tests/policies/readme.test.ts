/**
 * The policy sections of policies/README.md are what docs/policies-readme.ts generates from each
 * rule file's `metadata` (`npm run docs`): the checked-in README cannot drift from the metadata.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { POLICIES_README, generatePoliciesReadme, policySection } from "../../docs/policies-readme";
import { RULES } from "../../policies/registry";

describe("policies/README.md policy sections", () => {
    const readme = fs.readFileSync(POLICIES_README, "utf8");

    it("are up to date with the rule files' metadata (run npm run docs after changing a rule's metadata)", () => {
        assert.equal(readme, generatePoliciesReadme(readme));
    });

    it("are all generated: each section appears once, in the registry's order, inside the markers", () => {
        const positions = RULES.map((r) => readme.indexOf(policySection(r)));
        assert.ok(
            positions.every((p) => p >= 0),
            "every section is in the README",
        );
        assert.deepEqual(
            positions,
            [...positions].sort((a, b) => a - b),
        );
        assert.ok(positions[0]! > readme.indexOf("<!-- BEGIN generated policy sections"));
        assert.ok(positions[positions.length - 1]! < readme.indexOf("<!-- END generated policy sections -->"));
    });

    it("show a change to a rule's metadata (a stale README would differ)", () => {
        const [first, ...rest] = RULES;
        const changed = { ...first!, metadata: { ...first!.metadata, rationale: "A changed rationale." } };
        const regenerated = generatePoliciesReadme(readme, [changed, ...rest]);
        assert.notEqual(regenerated, readme);
        assert.ok(regenerated.includes(`## ${first!.policy.name}`));
        assert.ok(regenerated.includes("**Why:** A changed rationale."));
    });

    it("keep the hand-written prose outside the markers", () => {
        const edited = readme.replace("# Running it", "# Running the pack");
        assert.ok(generatePoliciesReadme(edited).includes("# Running the pack"));
    });

    it("refuse a README without the markers, naming them", () => {
        assert.throws(() => generatePoliciesReadme("# no markers\n"), /needs the markers <!-- BEGIN generated policy sections/);
    });
});
