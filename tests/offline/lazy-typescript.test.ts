/**
 * cli/offline/module-loading.ts: the program's process loads TypeScript only to compile a file its
 * transpile cache does not hold — a second run of an unchanged program loads none — and a changed
 * file, or a tsconfig whose text does not settle the options (`extends`), compiles as always.
 * Observed in the real child process: a preloaded tracer records whether TypeScript was loaded.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_PROGRAM_TIMEOUT_MS, runProgramIsolated } from "../../cli/offline/isolated";
import { copyProgramOutside } from "../support/installed-fixture";

const TRACER = `
const fs = require("fs");
// Only in the program's process (its entry is child-bootstrap.js), written as it exits.
if (process.argv.some((a) => a.endsWith("child-bootstrap.js"))) {
    process.on("exit", () => {
        const loaded = Object.keys(require.cache).some((f) => f.endsWith("/typescript/lib/typescript.js"));
        fs.appendFileSync(process.env.HF_TEST_TYPESCRIPT_MARKS, JSON.stringify(loaded) + "\\n");
    });
}
`;

describe("offline program runs: TypeScript loads only for files the transpile cache lacks", function () {
    this.timeout(10 * 60_000);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "lazy-typescript-"));
    const tracer = path.join(work, "tracer.js");
    const marks = path.join(work, "marks");
    fs.writeFileSync(tracer, TRACER);
    const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, HF_TEST_TYPESCRIPT_MARKS: process.env.HF_TEST_TYPESCRIPT_MARKS };
    before(() => {
        process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ""} --require ${tracer}`.trim();
        process.env.HF_TEST_TYPESCRIPT_MARKS = marks;
    });
    after(() => {
        for (const [key, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
        }
    });

    /** Runs the program; whether its process loaded TypeScript, and the run's resources. */
    async function run(dir: string): Promise<{ typescript: boolean; resources: string[] }> {
        fs.rmSync(marks, { force: true });
        const result = await runProgramIsolated({
            programDir: dir,
            stack: "dev",
            timeoutMs: DEFAULT_PROGRAM_TIMEOUT_MS,
            onOutput: () => undefined,
        });
        const lines = fs.readFileSync(marks, "utf8").trim().split("\n");
        assert.equal(lines.length, 1, "one program process");
        return { typescript: JSON.parse(lines[0]!), resources: result.resources.map((r) => `${r.type}::${r.name}`).sort() };
    }

    it("an unchanged program's second run loads no TypeScript, with the same resources; a changed file compiles again", async () => {
        const dir = copyProgramOutside("raw-clean");
        const first = await run(dir);
        assert.equal(first.typescript, true, "the first run compiles");
        assert.ok(first.resources.length > 3, first.resources.join(", "));
        const second = await run(dir);
        assert.deepEqual(second, { typescript: false, resources: first.resources });
        fs.appendFileSync(path.join(dir, "index.ts"), '\nexport const changed: string = "yes";\n');
        const changed = await run(dir);
        assert.deepEqual(changed, { typescript: true, resources: first.resources });
    });

    it("a tsconfig that extends another loads TypeScript every run (its text does not settle the options)", async () => {
        const dir = copyProgramOutside("raw-clean", {
            "tsconfig.base.json": JSON.stringify({ compilerOptions: { strict: true } }),
            "tsconfig.json": JSON.stringify({
                extends: "./tsconfig.base.json",
                compilerOptions: { module: "commonjs", moduleResolution: "node" },
            }),
        });
        await run(dir);
        const second = await run(dir);
        assert.equal(second.typescript, true);
    });
});
