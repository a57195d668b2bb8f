/**
 * What each rule file says about itself beyond the policy object: what it checks, why the rule
 * exists, its config and how to fix a violation, with examples. The README's policy sections are
 * generated from it (docs/policies-readme.ts); reports, the docs and the meta-test read it via
 * `policies/metadata.ts`, which collects it from the rule files through the one registry
 * (`policies/registry.ts`): one place per fact.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** A policy of the pack: one that judges resources one at a time, or the whole stack. */
export type PackPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** What a rule file writes about its policy: the prose of its README section (Markdown, wrapped as it reads there). */
export interface RuleText {
    /** What the policy looks at and through which domain functions (the README's **Checks:**). */
    readonly checks: string;
    /** Why the rule exists: the failure it prevents (the README's **Why:**; a complete sentence). */
    readonly rationale: string;
    /** The policy's config properties, their types and defaults, or `none.` (the README's **Config:**). */
    readonly config: string;
    /** How to fix a violation, in general terms (the README's **Fix:**; a complete sentence). */
    readonly remediation: string;
    /** A `Fails:` and a `Passes:` snippet, each a fenced code block. */
    readonly examples: string;
    /**
     * Said after the default level on the README's **Default level:** line (e.g. ` (stack policy)`).
     * @default "" - the level alone
     */
    readonly levelNote?: string;
}

/** A rule's metadata: its text, with the id and docs anchor its policy's name gives it. */
export interface RuleMetadata extends RuleText {
    /** Stable public id = policy name (kebab-case); never reused for another meaning. */
    readonly id: string;
    /** Anchor of the policy's section in policies/README.md (the heading is the policy name). */
    readonly docsAnchor: string;
}

/** The metadata of `policy`: its id and docs anchor come from its name, so they cannot drift from it. */
export function ruleMetadata(policy: { name: string }, text: RuleText): RuleMetadata {
    return { id: policy.name, ...text, docsAnchor: `#${policy.name}` };
}

/** What a rule file exports for the registry (policies/registry.ts): its policy and that policy's metadata. */
export interface PackRule {
    readonly policy: PackPolicy;
    readonly metadata: RuleMetadata;
}
