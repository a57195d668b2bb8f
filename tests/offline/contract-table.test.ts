import * as assert from "assert";
import { contractRows, formatContractTable } from "../../policies/domain/contract-table";
import { type HealthContractInput, buildHealthContract, chooseProbeTool } from "../../policies/domain";
import { healthContractInput } from "../support/health-contract-input";

const base = healthContractInput({ matcher: "200", startup: { expectedSeconds: 20 } });

function rowOf(label: string, ...inputs: HealthContractInput[]): string[] {
    const rows = contractRows(inputs.map((input, i) => ({ service: `svc${i}`, contract: buildHealthContract(input) })));
    const row = rows.find((r) => r[0] === label);
    assert.ok(row, `no row "${label}" in ${rows.map((r) => r[0]).join(", ")}`);
    return row.slice(1);
}

describe("health-contract table", () => {
    it("says how each service's probe tool was chosen: by the args, from the image, or by default", () => {
        const fromImage = chooseProbeTool("public.ecr.aws/docker/library/python:3.12-slim", "curl");
        const byDefault = chooseProbeTool("registry.example.com/team/app:1.0", "curl");
        assert.equal(fromImage.choice.by, "image");
        assert.equal(byDefault.choice.by, "default");
        const cells = rowOf(
            "probe tool chosen by",
            { ...base, toolChoice: { by: "args", reason: "set by the caller" } },
            { ...base, tool: fromImage.tool!, toolChoice: fromImage.choice },
            { ...base, toolChoice: byDefault.choice },
        );
        assert.deepEqual(cells, ["probe.tool", "the image (its runtime or tools)", "default: image unknown, set probe.tool"]);
        assert.match(rowOf("probe", { ...base, tool: fromImage.tool!, toolChoice: fromImage.choice })[0], /^python → :8080\/health\/live/);
    });

    it("treats a contract without a recorded choice as chosen by the args", () => {
        assert.deepEqual(rowOf("probe tool chosen by", base), ["probe.tool"]);
    });

    it("aligns columns and names an empty program", () => {
        assert.equal(formatContractTable([]), "(no HealthyFargateService in this program)");
        const table = formatContractTable([{ service: "api", contract: buildHealthContract(base) }]).split("\n");
        assert.match(table[0], /^\s+api$/);
        assert.match(table[1], /^─+ {2}─+$/);
        const valueColumn = table[0].indexOf("api");
        // Every value starts in the header's column, after at least two spaces.
        for (const line of table.slice(2)) assert.match(line.slice(valueColumn - 2), /^ {2}\S/, line);
    });
});
