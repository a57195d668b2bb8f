/**
 * Names in a policy config that the pack does not know.
 *
 * The Pulumi CLI sends a config entry for an unknown policy name along, and @pulumi/policy
 * ignores it; an option a policy's schema does not declare passes schema validation (schemas
 * rarely set `additionalProperties: false`) and is never read. Either way a typo silently leaves
 * a policy at its default. The offline check refuses both, naming the nearest valid name.
 */
import type { PolicyConfigLayerEntry, PolicyConfigSchema } from "./policy-config";

/** What the check needs to know about a policy. */
export interface PolicyNames {
    name: string;
    configSchema?: PolicyConfigSchema;
}

/** One problem per unknown name, each a complete sentence naming the nearest valid name. */
export function unknownConfigNames(packName: string, policies: PolicyNames[], config: Record<string, PolicyConfigLayerEntry>): string[] {
    const byName = new Map(policies.map(p => [p.name, p]));
    const problems: string[] = [];
    for (const [name, entry] of Object.entries(config)) {
        if (name === "all") {
            if (entry.properties) problems.push(`"all" sets only an enforcement level; put options under a policy's name (got ${Object.keys(entry.properties).join(", ")}).`);
            continue;
        }
        const policy = byName.get(name);
        if (!policy) {
            problems.push(`${packName} has no policy "${name}"${suggestion(name, [...byName.keys()])} Its policies: ${[...byName.keys()].join(", ")}.`);
            continue;
        }
        // A policy without a schema may still read options (getConfig): the CLI passes them, so does the check.
        const declared = Object.keys(policy.configSchema?.properties ?? {});
        if (!policy.configSchema) continue;
        for (const option of Object.keys(entry.properties ?? {})) {
            if (declared.includes(option)) continue;
            problems.push(`policy "${name}" has no option "${option}"${suggestion(option, declared)} ` +
                (declared.length ? `Its options: ${declared.join(", ")}.` : "It takes no options, only an enforcement level."));
        }
    }
    return problems;
}

/** Ends the sentence: `: did you mean "x"?` for a candidate close enough to be a typo, else `.`. */
function suggestion(name: string, candidates: string[]): string {
    const nearest = nearestName(name, candidates);
    return nearest ? `: did you mean "${nearest}"?` : ".";
}

/** The candidate with the smallest edit distance to `name`, when that distance looks like a typo. */
export function nearestName(name: string, candidates: string[]): string | undefined {
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
        if (!best || distance < best.distance) best = { candidate, distance };
    }
    const tolerated = Math.max(2, Math.floor(name.length / 3));
    return best && best.distance <= tolerated ? best.candidate : undefined;
}

/** Levenshtein distance (insertions, deletions, substitutions), one row at a time. */
function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = row;
    }
    return previous[b.length];
}
