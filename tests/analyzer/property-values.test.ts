/**
 * Unit tests of the wire encoding of resource properties.
 */
import * as assert from "assert";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { encodeProperties, secret, SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN_VALUE, unknown } from "../../cli/analyzer";
import { toPropertyStruct } from "../../cli/analyzer/property-values";
import { PULUMI_UNKNOWN_SENTINEL } from "../../policies/domain";

describe("property values: encoding", () => {
    it("uses the sentinels of @pulumi/pulumi's runtime", () => {
        assert.strictEqual(UNKNOWN_VALUE, rpc.unknownValue);
        assert.strictEqual(PULUMI_UNKNOWN_SENTINEL, rpc.unknownValue);
        assert.strictEqual(SECRET_SIG, rpc.specialSecretSig);
        assert.strictEqual(SPECIAL_SIG_KEY, rpc.specialSigKey);
    });

    it("encodes secrets and unknowns, nested in objects and arrays", () => {
        assert.deepStrictEqual(
            encodeProperties({
                password: secret("hunter2"),
                arn: unknown,
                list: [1, secret(unknown), { deep: secret({ a: [true] }) }],
            }),
            {
                password: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: "hunter2" },
                arn: UNKNOWN_VALUE,
                list: [
                    1,
                    { [SPECIAL_SIG_KEY]: SECRET_SIG, value: UNKNOWN_VALUE },
                    { deep: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: { a: [true] } } },
                ],
            },
        );
    });

    it("drops absent and internal keys, keeps nulls, nulls absent array slots", () => {
        assert.deepStrictEqual(
            encodeProperties({
                gone: undefined,
                __defaults: ["acl"],
                nested: { __meta: 1, kept: null },
                list: [undefined, "x"],
            }),
            { nested: { kept: null }, list: [null, "x"] },
        );
    });

    it("refuses values a Struct cannot carry", () => {
        assert.throws(() => encodeProperties({ n: NaN }), /non-finite number NaN/);
    });

    it("produces a Struct that round-trips", () => {
        const struct = toPropertyStruct({ a: secret(1), b: [unknown] });
        const decoded = Struct.deserializeBinary(struct.serializeBinary()).toJavaScript();
        assert.deepStrictEqual(decoded, { a: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: 1 }, b: [UNKNOWN_VALUE] });
    });
});
