/**
 * Property values as the Pulumi engine hands them to an analyzer, from what the SDK sent the
 * resource monitor. The analyzer plugin marshals with `KeepUnknowns`, `KeepSecrets` and without
 * `KeepResources` (`pkg/resource/plugin/analyzer_plugin.go` `Analyze`; `sdk/go/common/resource/plugin/rpc.go`
 * `MarshalPropertyValue`), so:
 * - a secret stays a secret where it is: `{"4dabf…": "1b47…", value}` (the pack host passes it on as is);
 * - an unknown stays the unknown sentinel string;
 * - a resource reference becomes its ID (a custom resource; the unknown sentinel while the ID is
 *   not known) or its URN (a component);
 * - an output value (`keepOutputValues`) becomes its value (or unknown), kept secret if it was.
 * Pure: no Pulumi imports.
 */
import { PULUMI_UNKNOWN_SENTINEL } from "@healthy-fargate/domain";

export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
/** The engine's unknown value (one definition: the domain's). */
export const UNKNOWN = PULUMI_UNKNOWN_SENTINEL;

export type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };

export function secretWire(value: Wire): Wire {
    return { [SIG_KEY]: SECRET_SIG, value };
}

export function isSecretWire(value: unknown): value is { value: Wire } {
    return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** The analyzer's view of one serialized property value (see the module comment). */
export function analyzerView(value: unknown): Wire {
    if (Array.isArray(value)) return value.map(analyzerView);
    if (value === null || typeof value !== "object") return value === undefined ? null : (value as Wire);
    const obj = value as Record<string, unknown>;
    switch (obj[SIG_KEY]) {
        case SECRET_SIG:
            return secretWire(analyzerView(obj.value));
        case RESOURCE_SIG:
            if (typeof obj.id === "string") return obj.id === "" ? UNKNOWN : obj.id;
            return typeof obj.urn === "string" ? obj.urn : UNKNOWN;
        case OUTPUT_SIG: {
            const inner = "value" in obj ? analyzerView(obj.value) : UNKNOWN;
            return obj.secret === true ? secretWire(inner) : inner;
        }
        case undefined:
            return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, analyzerView(v)]));
        default:
            return obj as { [key: string]: Wire }; // assets and archives travel as they are
    }
}

/** {@link analyzerView} of a whole property map. */
export function analyzerProperties(map: Record<string, unknown> | undefined): Record<string, Wire> {
    return analyzerView(map ?? {}) as Record<string, Wire>;
}
