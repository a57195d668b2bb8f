/**
 * Reading raw property values as @pulumi/policy hands them to policies, without ever throwing.
 *
 * How values arrive (see node_modules/@pulumi/policy/server.js, deserialize.js, proxy.js):
 * - `args.props` / `resource.props` is wrapped in `unknownCheckingProxy`: reading a property whose
 *   value is unknown (a computed value during `pulumi preview`) THROWS `UnknownValueError`, which
 *   the pack turns into a generic "can't run policy during preview" advisory. We never read through
 *   the proxy: {@link rawProps} takes the plain object behind it, where an unknown value is one of
 *   the sentinel strings below (the engine sends the string sentinel for computed values of any type).
 * - Secrets are unwrapped to their plain value before policies see them (`proxySecrets` false), so a
 *   secret cannot be told from a plain value in `validateResource`/`validateStack`. The readers still
 *   unwrap a `Secret` object or a wire-form secret envelope if one arrives (tests, other hosts), and
 *   messages never print environment values or other free text that may hold one.
 */
import { PULUMI_UNKNOWN_SENTINEL, asNumber } from "../domain/index";

/** The sentinels of unknown values (`@pulumi/policy/proxy.js`, `unknown*Value`). */
export const UNKNOWN_SENTINELS: readonly string[] = [
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    PULUMI_UNKNOWN_SENTINEL, // string (what the engine sends for any computed value; the domain's probe analysis knows it too)
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
];

/** The string unknown sentinel, used by tests and fixtures to write "unknown during preview". */
export const UNKNOWN_VALUE = UNKNOWN_SENTINELS[2];

/** Wire-form special values (`@pulumi/pulumi/runtime/rpc.js`). */
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Key of the proxy that returns the proxied target (`@pulumi/policy/proxy.js` `getSpecialProxyTarget`). */
const PROXY_TARGET_KEY = "__getSpecialProxyTarget";

/** A value the program does not know yet (preview). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

/** True for an unknown sentinel (or our {@link UNKNOWN} marker). */
export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN || (typeof value === "string" && UNKNOWN_SENTINELS.includes(value));
}

/** True when `value` or anything inside it is unknown. Cycles and depth are bounded. */
export function containsUnknown(value: unknown, depth = 0): boolean {
    if (isUnknown(value)) return true;
    if (depth > 32 || value === null || typeof value !== "object") return false;
    const v = unwrapSecret(value);
    if (v !== value) return containsUnknown(v, depth + 1);
    const items = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
    return items.some((item) => containsUnknown(item, depth + 1));
}

/** True for a secret wrapper (a `Secret` instance of @pulumi/policy, or a wire-form secret envelope). */
export function isSecretWrapper(value: unknown): boolean {
    if (value === null || typeof value !== "object") return false;
    const o = value as Record<string, unknown>;
    if (o[SPECIAL_SIG_KEY] === SECRET_SIG) return true;
    const ctor = (value as { constructor?: { name?: string } }).constructor;
    return ctor?.name === "Secret" && "value" in o && Object.keys(o).length === 1;
}

/** The value inside a secret wrapper (repeatedly), or the value itself. */
export function unwrapSecret(value: unknown): unknown {
    let v = value;
    for (let i = 0; i < 8 && isSecretWrapper(v); i++) v = (v as { value: unknown }).value;
    return v;
}

/**
 * The plain object behind `args.props` (or any value): unwraps the unknown-checking proxy and
 * secret wrappers. Never throws; returns `{}` for anything that is not an object.
 */
export function rawProps(props: unknown): Record<string, unknown> {
    try {
        if (props === null || typeof props !== "object") return {};
        const target = (props as Record<string, unknown>)[PROXY_TARGET_KEY];
        const plain = target !== undefined && target !== null && typeof target === "object" ? target : props;
        const v = unwrapSecret(plain);
        return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
        return {};
    }
}

/** Reads `obj[key]` of a plain value: secrets unwrapped, unknowns as {@link UNKNOWN}, absent/null as `undefined`. */
export function field(obj: unknown, key: string): unknown {
    const o = unwrapSecret(obj);
    if (isUnknown(o)) return UNKNOWN;
    if (o === null || typeof o !== "object" || Array.isArray(o)) return undefined;
    let v: unknown;
    try {
        v = Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined;
    } catch {
        return undefined;
    }
    v = unwrapSecret(v);
    if (isUnknown(v)) return UNKNOWN;
    return v === null ? undefined : v;
}

/** Reads a dotted path (`"healthCheck.path"`) with {@link field} at each step; the first unknown step wins. */
export function fieldPath(obj: unknown, dotted: string): unknown {
    let v: unknown = obj;
    for (const key of dotted.split(".")) {
        v = field(v, key);
        if (v === UNKNOWN || v === undefined) return v;
    }
    return v;
}

/** A plain object (not array), unknown, or `undefined` for anything else. */
export function asRecord(value: unknown): Record<string, unknown> | Unknown | undefined {
    const v = unwrapSecret(value);
    if (isUnknown(v)) return UNKNOWN;
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** An array, unknown, or `undefined` for anything else. Elements keep their raw form. */
export function asArray(value: unknown): unknown[] | Unknown | undefined {
    const v = unwrapSecret(value);
    if (isUnknown(v)) return UNKNOWN;
    return Array.isArray(v) ? v : undefined;
}

/** A string, unknown, or `undefined`. */
export function asString(value: unknown): string | Unknown | undefined {
    const v = unwrapSecret(value);
    if (isUnknown(v)) return UNKNOWN;
    return typeof v === "string" ? v : undefined;
}

/** A finite number (numeric strings accepted, as the ECS API does: the domain's `asNumber`), unknown, or `undefined`. */
export function asNumberValue(value: unknown): number | Unknown | undefined {
    const v = unwrapSecret(value);
    if (isUnknown(v)) return UNKNOWN;
    return asNumber(v);
}

/** A boolean (also "true"/"false" strings), unknown, or `undefined`. */
export function asBoolean(value: unknown): boolean | Unknown | undefined {
    const v = unwrapSecret(value);
    if (isUnknown(v)) return UNKNOWN;
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    return undefined;
}

/**
 * A short, safe rendering of a found value for messages: JSON, cut at 80 characters; `unset` for
 * absent, `unknown` for unknown. Strings are rendered as given: only pass values that are not
 * credentials (never environment values).
 */
export function show(value: unknown): string {
    if (value === undefined) return "unset";
    if (isUnknown(value)) return "unknown";
    if (isSecretWrapper(value)) return "[secret]";
    let text: string;
    try {
        text = JSON.stringify(value) ?? String(value);
    } catch {
        text = String(value);
    }
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
