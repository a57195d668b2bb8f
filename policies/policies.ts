/**
 * The pack's policies, in the order the README documents them, derived from the one list of rules
 * (registry.ts). Adding a policy: see registry.ts.
 *
 * Kept apart from index.ts because constructing a PolicyPack starts its gRPC server: tests and
 * tools import this list instead.
 */
import type { PackPolicy } from "./kit/metadata";
import { RULES } from "./registry";

export type { PackPolicy } from "./kit/metadata";

export const policies: PackPolicy[] = RULES.map((r) => r.policy);
