/**
 * Encoding of resource properties into the `google.protobuf.Struct` wire form that the Pulumi
 * CLI sends to analyzers (Go `MarshalProperties` with `KeepUnknowns`, `KeepSecrets` and
 * `SkipInternalKeys`).
 *
 * Callers describe properties as plain JSON plus two markers, {@link secret} and
 * {@link unknown}. On the pack side, @pulumi/policy (deserialize.js, proxy.js) unwraps secrets
 * to their raw value for `validateResource`/`validateStack`, and leaves unknowns as the sentinel
 * string; its proxy throws `UnknownValueError` when a policy reads one, which the pack turns into
 * an advisory "can't run policy ... during preview" diagnostic.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PULUMI_UNKNOWN_SENTINEL } from "@healthy-fargate/domain";

/** Key that marks an object as a special Pulumi value (runtime/rpc.js `specialSigKey`). */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature of a secret value (runtime/rpc.js `specialSecretSig`). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Signature of an asset (runtime/rpc.js `specialAssetSig`). */
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
/** Signature of an archive (runtime/rpc.js `specialArchiveSig`). */
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
/**
 * The sentinel the CLI sends for a value that is unknown during preview (runtime/rpc.js
 * `unknownValue`; the Go engine sends this one string for computed values of any type).
 */
export const UNKNOWN_VALUE = PULUMI_UNKNOWN_SENTINEL;

/** Marker for a secret property value; see {@link secret}. */
export class SecretValue<T extends PropertyValue = PropertyValue> {
    constructor(public readonly value: T) {}
}

/** Marker for a value that is unknown during preview; see {@link unknown}. */
export class UnknownValue {
    /** Only one instance exists: {@link unknown}. */
    static readonly instance = new UnknownValue();
    private constructor() {}
}

/** A property value as callers of the analyzer host write it. `undefined` means "absent". */
export type PropertyValue =
    null | undefined | boolean | number | string | SecretValue | UnknownValue | PropertyValue[] | { [key: string]: PropertyValue };

/** A resource's property bag (inputs for `Analyze`, outputs for `AnalyzeStack`). */
export type PropertyMap = { [key: string]: PropertyValue };

/** Marks `value` as secret, as a `pulumi.secret(...)` input would arrive at the analyzer. */
export function secret<T extends PropertyValue>(value: T): SecretValue<T> {
    return new SecretValue(value);
}

/** The value of a property that is not known until the update runs (e.g. an ARN in preview). */
export const unknown: UnknownValue = UnknownValue.instance;

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Converts a property map to the wire `Struct`. Keys starting with `__` are dropped like the
 * CLI's `SkipInternalKeys`; `undefined` members are dropped (absent), `undefined` array elements
 * become `null` because a Struct cannot carry "absent" inside a list.
 */
export function toPropertyStruct(properties: PropertyMap): Struct {
    return Struct.fromJavaScript(encodeObject(properties));
}

/** The JSON form of {@link toPropertyStruct}; exported for tests and debugging. */
export function encodeProperties(properties: PropertyMap): { [key: string]: JsonValue } {
    return encodeObject(properties);
}

function encodeObject(obj: { [key: string]: PropertyValue }): { [key: string]: JsonValue } {
    const result: { [key: string]: JsonValue } = {};
    for (const [key, value] of Object.entries(obj)) {
        if (value === undefined || key.startsWith("__")) {
            continue;
        }
        result[key] = encodeValue(value);
    }
    return result;
}

function encodeValue(value: PropertyValue): JsonValue {
    if (value === undefined || value === null) {
        return null;
    }
    if (value instanceof UnknownValue) {
        return UNKNOWN_VALUE;
    }
    if (value instanceof SecretValue) {
        // A secret around an unknown stays a secret-wrapped unknown, as the CLI sends it.
        return { [SPECIAL_SIG_KEY]: SECRET_SIG, value: encodeValue(value.value) };
    }
    if (Array.isArray(value)) {
        return value.map(encodeValue);
    }
    switch (typeof value) {
        case "boolean":
        case "string":
            return value;
        case "number":
            if (!Number.isFinite(value)) {
                // protobuf's number_value cannot round-trip NaN/Infinity through JSON semantics.
                throw new TypeError(`cannot encode non-finite number ${value} as a property value`);
            }
            return value;
        case "object":
            // Objects already in wire form (e.g. an asset with SPECIAL_SIG_KEY) pass through as is.
            return encodeObject(value);
        default:
            throw new TypeError(`cannot encode ${typeof value} as a property value`);
    }
}
