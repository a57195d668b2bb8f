import { strict as assert } from "assert";
import { chooseProbeTool, probeToolProblem } from "../../policies/domain/probe-tool-choice";

describe("chooseProbeTool", () => {
    const cases: Array<[string, string | undefined, "image" | "default"]> = [
        ["public.ecr.aws/docker/library/python:3.12-slim", "python", "image"],
        ["python:3.12", "python", "image"], // has curl too: the runtime comes first
        ["node:22-slim", "node", "image"],
        ["nginx:1.27", "curl", "image"],
        ["alpine:3.20", "wget", "image"], // BusyBox wget
        ["ghcr.io/mlflow/mlflow:v2.22.0", "python", "image"],
        ["gcr.io/distroless/nodejs22-debian12", undefined, "image"], // node is off PATH, no shell, no curl
        ["gcr.io/distroless/static-debian12", undefined, "image"],
        ["123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.2.3", "curl", "default"],
    ];
    for (const [image, tool, by] of cases) {
        it(`${image} → ${tool ?? "none"} (${by})`, () => {
            const { tool: chosen, choice } = chooseProbeTool(image, "curl");
            assert.equal(chosen, tool);
            assert.equal(choice.by, by);
            assert.ok(choice.reason.length > 20);
        });
    }

    it("says why: the evidence of the table, or that the image is unknown", () => {
        assert.match(
            chooseProbeTool("python:3.12-slim", "curl").choice.reason,
            /^`python` chosen from the image: python:\*-slim \(Debian slim\) ships python3\.$/,
        );
        assert.match(
            chooseProbeTool("registry.example.com/app:1", "curl").choice.reason,
            /`curl` by default: image "registry.example.com\/app:1" is not in the table of known base images/,
        );
    });
});

describe("probeToolProblem", () => {
    it("curl on python:3.12-slim is a problem with the fix", () => {
        const problem = probeToolProblem("curl", "public.ecr.aws/docker/library/python:3.12-slim");
        assert.ok(problem);
        assert.match(problem.problem, /cannot run `curl`: python:\*-slim \(Debian slim\) does not ship curl/);
        assert.match(problem.fix, /Set `probe.tool: "python"`/);
    });
    it("node on distroless nodejs: off PATH, and no alternative", () => {
        const problem = probeToolProblem("node", "gcr.io/distroless/nodejs22-debian12");
        assert.ok(problem);
        assert.match(problem.problem, /not on PATH/);
        assert.match(problem.fix, /Install a probe tool in the image/);
    });
    it("no problem when the tool runs or the image is unknown", () => {
        assert.equal(probeToolProblem("python", "python:3.12-slim"), undefined);
        assert.equal(probeToolProblem("curl", "nginx:1.27"), undefined);
        assert.equal(probeToolProblem("curl", "registry.example.com/app:1"), undefined);
    });
});
