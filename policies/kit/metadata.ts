/**
 * What each rule file says about itself beyond the policy object: why the rule exists and how to
 * fix a violation in general terms. Reports (SARIF rules), the docs and the meta-test read it via
 * `policies/metadata.ts`, which collects it from the rule files through the one registry
 * (`policies/registry.ts`): one place per fact.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** A policy of the pack: one that judges resources one at a time, or the whole stack. */
export type PackPolicy = ResourceValidationPolicy | StackValidationPolicy;

export interface RuleMetadata {
    /** Stable public id = policy name (kebab-case); never reused for another meaning. */
    readonly id: string;
    /** Why the rule exists: the failure it prevents. */
    readonly rationale: string;
    /** How to fix a violation, in general terms. */
    readonly remediation: string;
    /** Anchor of the policy's section in policies/README.md (the heading is the policy name). */
    readonly docsAnchor: string;
}

/** The metadata of `policy`: its id and docs anchor come from its name, so they cannot drift from it. */
export function ruleMetadata(policy: { name: string }, text: { rationale: string; remediation: string }): RuleMetadata {
    return { id: policy.name, ...text, docsAnchor: `#${policy.name}` };
}

/** What a rule file exports for the registry (policies/registry.ts): its policy and that policy's metadata. */
export interface PackRule {
    readonly policy: PackPolicy;
    readonly metadata: RuleMetadata;
}
