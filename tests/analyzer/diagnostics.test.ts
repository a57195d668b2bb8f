/**
 * Unit tests of the AnalyzeDiagnostic conversion.
 */
import * as assert from "assert";
import { AnalyzeDiagnostic, EnforcementLevel } from "@pulumi/pulumi/proto/analyzer_pb";
import { toPolicyDiagnostic, toPolicyDiagnostics } from "../../cli/analyzer";

function protoDiagnostic(level: EnforcementLevel, urn = ""): AnalyzeDiagnostic {
    return new AnalyzeDiagnostic()
        .setPolicyname("p")
        .setPolicypackname("pack")
        .setPolicypackversion("1.2.3")
        .setDescription("desc")
        .setMessage("msg")
        .setEnforcementlevel(level)
        .setUrn(urn);
}

describe("diagnostics: toPolicyDiagnostic", () => {
    it("converts every field", () => {
        assert.deepStrictEqual(toPolicyDiagnostic(protoDiagnostic(EnforcementLevel.MANDATORY, "urn:pulumi:s::p::t::n")), {
            policyName: "p",
            policyPackName: "pack",
            policyPackVersion: "1.2.3",
            description: "desc",
            message: "msg",
            enforcementLevel: "mandatory",
            urn: "urn:pulumi:s::p::t::n",
        });
    });

    it("maps all enforcement levels and an empty URN to undefined", () => {
        const levels = [EnforcementLevel.ADVISORY, EnforcementLevel.MANDATORY, EnforcementLevel.REMEDIATE, EnforcementLevel.DISABLED];
        assert.deepStrictEqual(
            toPolicyDiagnostics(levels.map((l) => protoDiagnostic(l))).map((d) => [d.enforcementLevel, d.urn]),
            [
                ["advisory", undefined],
                ["mandatory", undefined],
                ["remediate", undefined],
                ["disabled", undefined],
            ],
        );
    });

    it("prefers the PulumiPolicy.yaml version, like the CLI", () => {
        assert.strictEqual(toPolicyDiagnostic(protoDiagnostic(EnforcementLevel.ADVISORY), "9.9.9").policyPackVersion, "9.9.9");
    });

    it("rejects an unknown enforcement level", () => {
        assert.throws(() => toPolicyDiagnostic(protoDiagnostic(7 as EnforcementLevel)), /invalid enforcement level 7/);
    });
});
