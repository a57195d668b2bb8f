/**
 * Test inputs on the Analyzer's wire (cli/analyzer): fixture and fuzz values encoded as the engine
 * sends them, and the same values marked as secrets for a direct call, so that a direct call and
 * the real pack see the same input.
 */
import { Secret } from "@pulumi/policy";
import { type PropertyMap, type PropertyValue, type StackResourceToAnalyze, secret, unknown } from "../../cli/analyzer";
import { UNKNOWN_SENTINELS } from "../../policies/resources";
import { type StackResourceInput, urnOf } from "./harness";

/**
 * Fixture values → wire values: every unknown sentinel becomes `unknown` (the engine sends one
 * unknown for any computed value), an in-band `Secret` a wire secret, and `secretKeys` are sent
 * as secrets.
 */
export function toWire(value: unknown, secretKeys: readonly string[] = [], key = ""): PropertyValue {
    if (typeof value === "string" && UNKNOWN_SENTINELS.includes(value)) return unknown;
    if (value instanceof Secret) return secret(toWire(value.value));
    if (Array.isArray(value)) return value.map((v) => toWire(v, secretKeys));
    if (value !== null && typeof value === "object") {
        const out: PropertyMap = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toWire(v, secretKeys, k);
        return out;
    }
    const plain = value as PropertyValue;
    return secretKeys.includes(key) ? secret(plain) : plain;
}

function urnChain(inputs: StackResourceInput[], input: StackResourceInput): string {
    const parents: string[] = [];
    for (let p = inputs.find((i) => i.key === input.parent); p; p = inputs.find((i) => i.key === p!.parent)) parents.unshift(p.type);
    return urnOf(input.type, input.name ?? input.key, parents);
}

export function toStackRequest(inputs: StackResourceInput[], secretKeys: readonly string[]): StackResourceToAnalyze[] {
    const urnOfKey = (key: string) =>
        urnChain(
            inputs,
            inputs.find((i) => i.key === key)!,
        );
    return inputs.map((i) => ({
        type: i.type,
        name: i.name ?? i.key,
        urn: urnChain(inputs, i),
        properties: toWire(i.props, secretKeys) as PropertyMap,
        ...(i.parent ? { parent: urnOfKey(i.parent) } : {}),
        dependencies: (i.dependsOn ?? []).map(urnOfKey),
        propertyDependencies: Object.fromEntries(Object.entries(i.propertyDependencies ?? {}).map(([k, keys]) => [k, keys.map(urnOfKey)])),
    }));
}

/**
 * Fixture values with `secretKeys` wrapped as in-band secrets, so that calling the policies directly
 * sees the same "was secret" marks the pack keeps from the wire (policies/kit/secret-marks.ts).
 */
export function withSecrets<T>(value: T, secretKeys: readonly string[], key = ""): T {
    if (Array.isArray(value)) return value.map((v) => withSecrets(v, secretKeys)) as T;
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, withSecrets(v, secretKeys, k)]),
        ) as T;
    }
    return (secretKeys.includes(key) ? new Secret(value) : value) as T;
}
