/**
 * Unit tests of recognising a policy's exception in gRPC error details (cli/analyzer/policy-failure.ts).
 */
import * as assert from "assert";
import { parsePolicyFailure } from "../../cli/analyzer";

describe("policy failure: parsePolicyFailure", () => {
    // As @pulumi/policy 1.21 words it (server.js + protoutil.js asGrpcError).
    const details =
        "Error validating resource with policy 'reads-containers' from policy pack 'team-pack@v1.2.0':\n" +
        "TypeError: containerDefinitions.map is not a function\n" +
        "    at validateResource (/packs/team/node_modules/helper/index.js:3:9)\n" +
        "    at check (/packs/team/rules/containers.ts:12:7)\n" +
        "    at /packs/team/node_modules/@pulumi/policy/server.js:249:61";

    it("names the policy, the pack, the message and the first frame of the pack's own code", () => {
        assert.deepStrictEqual(parsePolicyFailure(details, "/packs/team"), {
            policy: "reads-containers",
            pack: "team-pack@v1.2.0",
            message: "TypeError: containerDefinitions.map is not a function",
            location: "rules/containers.ts:12:7",
        });
    });

    it("drops a plain `Error: ` prefix and copes with a missing stack", () => {
        const failure = parsePolicyFailure("Error validating resource with policy 'p' from policy pack 'x@v1':\nError: boom", undefined);
        assert.deepStrictEqual(failure, { policy: "p", pack: "x@v1", message: "boom", location: undefined });
    });

    it("returns undefined for any other error", () => {
        assert.strictEqual(parsePolicyFailure("Deadline exceeded", "/packs/team"), undefined);
        assert.strictEqual(parsePolicyFailure("", undefined), undefined);
    });
});
