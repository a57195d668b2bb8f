/**
 * Generates the policy sections of policies/README.md (everything between its `BEGIN generated` and
 * `END generated` markers) from each rule file's `metadata` (`npm run docs`), in the registry's
 * order (policies/registry.ts). The prose outside the markers stays hand-written.
 * tests/policies/readme.test.ts fails when the checked-in README differs from what this generates,
 * so a policy's docs cannot drift from its metadata: the metadata is the single source.
 *
 *   node -r ts-node/register/transpile-only docs/policies-readme.ts [--check]
 */
import * as fs from "fs";
import * as path from "path";
import type { PackRule } from "../policies/kit/metadata";
import { RULES } from "../policies/registry";
import { writeOrCheckGenerated } from "./generated-file";

export const POLICIES_README = path.resolve(__dirname, "..", "policies", "README.md");
const BEGIN = "<!-- BEGIN generated policy sections: from each rule file's `metadata` by `npm run docs`; do not edit by hand -->";
const END = "<!-- END generated policy sections -->";

/** One policy's section; its `## <name>` heading is the anchor SARIF help links point to. */
export function policySection({ policy, metadata }: PackRule): string {
    return [
        `## ${policy.name}`,
        `**Default level:** ${policy.enforcementLevel ?? "advisory"}${metadata.levelNote ?? ""}`,
        `**Checks:** ${metadata.checks}`,
        `**Why:** ${metadata.rationale}`,
        `**Config:** ${metadata.config}`,
        `**Fix:** ${metadata.remediation}`,
        metadata.examples,
    ].join("\n\n");
}

/** `readme` with the text between its markers replaced by the sections of `rules`. */
export function generatePoliciesReadme(readme: string, rules: readonly PackRule[] = RULES): string {
    const begin = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    if (begin < 0 || end < begin) throw new Error(`policies/README.md needs the markers ${BEGIN} and ${END}, in that order`);
    return `${readme.slice(0, begin + BEGIN.length)}\n\n${rules.map(policySection).join("\n\n")}\n\n${readme.slice(end)}`;
}

if (require.main === module) writeOrCheckGenerated(POLICIES_README, generatePoliciesReadme(fs.readFileSync(POLICIES_README, "utf8")));
