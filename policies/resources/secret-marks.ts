/**
 * Which property values came from a Pulumi secret. The engine (and the offline check) send secrets
 * to the analyzer marked (`{ "4dabf1…": "1b4706…", value }`), but @pulumi/policy 1.21 unwraps them
 * before a policy sees them (server.js: `deserializeProperties(req.getProperties(), false)` for
 * Analyze and AnalyzeStack). kit/secret-marks.ts keeps, next to each deserialized property object,
 * the wire form it came from; {@link secretPaths} reads the marks from there — or from secret
 * wrappers inside the value when a host passes them through (tests, other hosts). Nothing else
 * about the properties changes, so other rules are unaffected.
 */
import { isSecretWrapper } from "./values";

/** One step of a property path: an object key or an array index. */
export type PathStep = string | number;

const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The wire form (a `google.protobuf.Struct` message) behind each deserialized property object. */
const wireForms = new WeakMap<object, { toJavaScript(): unknown }>();
const computed = new WeakMap<object, PathStep[][]>();

/** Called by the deserializer hook: `props` was deserialized from `wire`. */
export function rememberWireForm(props: object, wire: { toJavaScript(): unknown }): void {
    wireForms.set(props, wire);
}

/** Paths of secret values in a wire-form JSON value (a secret inside a secret is not listed again). */
function wireSecretPaths(value: unknown, path: PathStep[] = [], out: PathStep[][] = [], depth = 0): PathStep[][] {
    if (depth > 64 || value === null || typeof value !== "object") return out;
    if ((value as Record<string, unknown>)[SPECIAL_SIG_KEY] === SECRET_SIG) {
        out.push(path);
        return out;
    }
    if (Array.isArray(value)) value.forEach((v, i) => wireSecretPaths(v, [...path, i], out, depth + 1));
    else for (const [k, v] of Object.entries(value as Record<string, unknown>)) wireSecretPaths(v, [...path, k], out, depth + 1);
    return out;
}

/** Paths of in-band secret wrappers (`Secret` objects, wire envelopes) inside a plain value. */
function inBandSecretPaths(value: unknown, path: PathStep[] = [], out: PathStep[][] = [], depth = 0): PathStep[][] {
    if (depth > 64 || value === null || typeof value !== "object") return out;
    if (isSecretWrapper(value)) {
        out.push(path);
        return out;
    }
    if (Array.isArray(value)) value.forEach((v, i) => inBandSecretPaths(v, [...path, i], out, depth + 1));
    else for (const [k, v] of Object.entries(value as Record<string, unknown>)) inBandSecretPaths(v, [...path, k], out, depth + 1);
    return out;
}

/**
 * Paths (from the top of a resource's properties) whose value was a Pulumi secret. `props` is the
 * plain object behind `args.props` (`rawProps`). Never throws; empty when nothing is known.
 */
export function secretPaths(props: Record<string, unknown>): PathStep[][] {
    try {
        const cached = computed.get(props);
        if (cached) return cached;
        const wire = wireForms.get(props);
        const paths = wire ? wireSecretPaths(wire.toJavaScript()) : inBandSecretPaths(props);
        computed.set(props, paths);
        return paths;
    } catch {
        return [];
    }
}

/** True when the value at `path` was secret, or sits inside a secret value. */
export function isSecretAt(props: Record<string, unknown>, path: PathStep[]): boolean {
    return secretPaths(props).some((p) => p.length <= path.length && p.every((step, i) => String(step) === String(path[i])));
}

/** Secret paths that start with `prefix` (values inside the value at `prefix`). */
export function secretPathsUnder(props: Record<string, unknown>, prefix: PathStep[]): PathStep[][] {
    return secretPaths(props).filter((p) => p.length >= prefix.length && prefix.every((step, i) => String(step) === String(p[i])));
}
