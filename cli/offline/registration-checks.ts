/**
 * What the provider's `Check` rejects in a real preview before any policy runs, and the check
 * must reject too (exit 2) rather than pass: a task definition's `containerDefinitions` that is
 * not a JSON array of objects (the AWS provider validates it with `ValidTaskDefinitionContainerDefinitions`
 * and `pulumi preview` fails naming the resource).
 */
import { ProgramRunError } from "./errors";
import { UNKNOWN, isSecretWire } from "./wire-values";
import type { CapturedResource } from "./program-runner";

const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

/** Why `containerDefinitions` is invalid, or `undefined` when it is valid or not known yet. */
export function containerDefinitionsProblem(value: unknown): string | undefined {
    const text = isSecretWire(value) ? value.value : value;
    if (text === undefined || text === null || text === UNKNOWN) return undefined;
    if (typeof text !== "string") return `it is ${Array.isArray(text) ? "an array" : typeof text}, not a JSON string`;
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        return `it is not valid JSON (${(e as Error).message})`;
    }
    if (!Array.isArray(parsed)) return `it is JSON ${parsed === null ? "null" : typeof parsed}, not an array of container definitions`;
    const bad = parsed.findIndex((c) => c === null || typeof c !== "object" || Array.isArray(c));
    return bad >= 0 ? `element ${bad} is not a container definition object` : undefined;
}

/** Throws a ProgramRunError for the first registration a real preview's provider Check would refuse. */
export function validateCapturedResources(resources: CapturedResource[]): void {
    for (const r of resources) {
        if (r.type !== TASK_DEFINITION) continue;
        const problem = containerDefinitionsProblem(r.inputs.containerDefinitions);
        if (problem) {
            throw new ProgramRunError(
                `'${r.name}' (${r.type}) \`containerDefinitions\` is invalid: ${problem}. The AWS provider rejects it in \`pulumi preview\` too; ` +
                    "build it with `JSON.stringify([...])` (or `pulumi.jsonStringify`) of an array of container definitions.",
            );
        }
    }
}
