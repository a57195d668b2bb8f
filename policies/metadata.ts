/**
 * Per-policy metadata for reports (SARIF rules, docs links), collected from the rule files: each
 * rule file exports its own `metadata` (rationale and remediation beside the code that enforces
 * them; id and README anchor derived from the policy's name, `kit/metadata.ts`), and the one list
 * of rules (registry.ts) pairs it with its policy.
 */
import type { RuleMetadata } from "./kit/metadata";
import { RULES } from "./registry";

export type PolicyMetadata = RuleMetadata;

/** Metadata by policy id. */
export const POLICY_METADATA: Readonly<Record<string, PolicyMetadata>> = Object.freeze(
    Object.fromEntries(RULES.map((r) => [r.metadata.id, r.metadata])),
);
