/**
 * Pulumi URNs: `urn:pulumi:<stack>::<project>::<parent type>$…$<type>::<name>`. Resource
 * policies get no stack name and no parent resource, but the URN carries both the stack and the
 * chain of parent types.
 */

export interface ParsedUrn {
    stack: string;
    project: string;
    /** Types from the outermost parent to the resource itself. */
    typeChain: string[];
    name: string;
}

/** Parses a URN; `undefined` when it is not one. Never throws. */
export function parseUrn(urn: unknown): ParsedUrn | undefined {
    if (typeof urn !== "string" || !urn.startsWith("urn:pulumi:")) return undefined;
    const parts = urn.slice("urn:pulumi:".length).split("::");
    if (parts.length < 4) return undefined;
    const [stack, project, types] = parts;
    return { stack, project, typeChain: types.split("$"), name: parts.slice(3).join("::") };
}

/** The stack name of a URN, or `undefined`. */
export function stackOfUrn(urn: unknown): string | undefined {
    return parseUrn(urn)?.stack;
}

/** True when one of the resource's ancestors (from the URN's type chain) has type `type`. */
export function hasAncestorType(urn: unknown, types: readonly string[]): boolean {
    const chain = parseUrn(urn)?.typeChain ?? [];
    return chain.slice(0, -1).some((t) => types.includes(t));
}

/** Types of the resource's ancestors, outermost first (from the URN). */
export function ancestorTypes(urn: unknown): string[] {
    return (parseUrn(urn)?.typeChain ?? []).slice(0, -1);
}
