/**
 * Names in a policy config that the pack does not know.
 *
 * The Pulumi CLI sends a config entry for an unknown policy name along, and @pulumi/policy
 * ignores it; an option a policy's schema does not declare passes schema validation (schemas
 * rarely set `additionalProperties: false`) and is never read. Either way a typo silently leaves
 * a policy at its default. The offline check refuses both, naming the nearest valid name.
 */
import { nearestName } from "@healthy-fargate/domain";
import type { PolicyConfigLayerEntry, PolicyConfigSchema } from "./policy-config";

/** What the check needs to know about a policy. */
export interface PolicyNames {
    name: string;
    configSchema?: PolicyConfigSchema;
}

/** One problem per unknown name, each a complete sentence naming the nearest valid name. */
export function unknownConfigNames(packName: string, policies: PolicyNames[], config: Record<string, PolicyConfigLayerEntry>): string[] {
    const byName = new Map(policies.map((p) => [p.name, p]));
    const problems: string[] = [];
    for (const [name, entry] of Object.entries(config)) {
        if (name === "all") {
            if (entry.properties)
                problems.push(
                    `"all" sets only an enforcement level; put options under a policy's name (got ${Object.keys(entry.properties).join(", ")}).`,
                );
            continue;
        }
        const policy = byName.get(name);
        if (!policy) {
            problems.push(
                `${packName} has no policy "${name}"${suggestion(name, [...byName.keys()])} Its policies: ${[...byName.keys()].join(", ")}.`,
            );
            continue;
        }
        // A policy without a schema may still read options (getConfig): the CLI passes them, so does the check.
        const declared = Object.keys(policy.configSchema?.properties ?? {});
        if (!policy.configSchema) continue;
        for (const option of Object.keys(entry.properties ?? {})) {
            if (declared.includes(option)) continue;
            problems.push(
                `policy "${name}" has no option "${option}"${suggestion(option, declared)} ` +
                    (declared.length ? `Its options: ${declared.join(", ")}.` : "It takes no options, only an enforcement level."),
            );
        }
    }
    return problems;
}

/** Ends the sentence: `: did you mean "x"?` for a candidate close enough to be a typo, else `.`. */
function suggestion(name: string, candidates: string[]): string {
    const nearest = nearestName(name, candidates);
    return nearest ? `: did you mean "${nearest}"?` : ".";
}
