/**
 * The composite action `.github/actions/check/action.yml` a team's workflow uses: its structure
 * (inputs, steps, outputs — what cli/check/README.md documents), and its shell steps run here with
 * bash as the runner would run them (inputs as environment variables; the check step against this
 * repository's real check). GitHub's own actions (setup-node, upload-sarif) cannot run here.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { CHECK_COMMAND, PROGRAMS, REPO_ROOT } from "./cli";

interface Step {
    name: string;
    id?: string;
    if?: string;
    uses?: string;
    run?: string;
    shell?: string;
    env?: Record<string, string>;
    with?: Record<string, string>;
}
interface Action {
    name: string;
    description: string;
    inputs: Record<string, { description: string; default?: string; required?: boolean }>;
    outputs: Record<string, { description: string; value: string }>;
    runs: { using: string; steps: Step[] };
}

const ACTION_FILE = path.join(REPO_ROOT, ".github", "actions", "check", "action.yml");
const action = yaml.load(fs.readFileSync(ACTION_FILE, "utf8")) as Action;
const step = (name: string) => {
    const found = action.runs.steps.find((s) => s.name === name);
    assert.ok(found, `no step "${name}" in ${action.runs.steps.map((s) => s.name).join(", ")}`);
    return found;
};

/** Runs a step's shell script with bash, its env (the runner's expressions replaced by `env`), and GITHUB_OUTPUT. */
function runStep(name: string, env: Record<string, string>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "action-step-"));
    const output = path.join(dir, "output");
    fs.writeFileSync(output, "");
    // As the runner runs `shell: bash`: `bash --noprofile --norc -eo pipefail`.
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step(name).run!], {
        encoding: "utf8",
        cwd: REPO_ROOT,
        env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            GITHUB_OUTPUT: output,
            RUNNER_TEMP: dir,
            GITHUB_WORKSPACE: REPO_ROOT,
            ...env,
        },
    });
    const outputs = Object.fromEntries(
        fs
            .readFileSync(output, "utf8")
            .trim()
            .split("\n")
            .filter(Boolean)
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, outputs, dir };
}

/** First-column names (in backticks) of the table under the README heading `#### <heading>`. */
function readmeTable(heading: string): string[] {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "cli", "check", "README.md"), "utf8");
    const start = readme.indexOf(`#### ${heading}\n`);
    assert.ok(start >= 0, `no "#### ${heading}" in cli/check/README.md`);
    const rows = readme
        .slice(start)
        .split("\n")
        .slice(1)
        .filter((l) => l.trim() !== "");
    const end = rows.findIndex((l) => !l.startsWith("|"));
    return rows.slice(2, end < 0 ? undefined : end).map((l) => /^\| `([^`]+)`/.exec(l)?.[1] ?? l);
}

describe("composite action: structure", () => {
    it("is a composite action with the inputs the README documents, each with a description and a default", () => {
        assert.equal(action.runs.using, "composite");
        assert.deepEqual(Object.keys(action.inputs), [
            "program",
            "stack",
            "formats",
            "policy-pack-config",
            "version",
            "source-root",
            "upload-sarif",
            "sarif-category",
            "comment",
            "github-token",
            "fail-on-findings",
            "node-version",
        ]);
        for (const [name, input] of Object.entries(action.inputs)) {
            assert.ok(input.description?.length > 10, `input ${name} has a description`);
            assert.ok(typeof input.default === "string", `input ${name} has a default`);
        }
        assert.deepEqual(readmeTable("Action inputs"), Object.keys(action.inputs), "cli/check/README.md lists every input, in order");
        assert.deepEqual(readmeTable("Action outputs"), Object.keys(action.outputs), "cli/check/README.md lists every output, in order");
    });

    it("steps: Node, the pinned CLI, the check, SARIF upload, PR comment, verdict", () => {
        assert.deepEqual(
            action.runs.steps.map((s) => s.name),
            [
                "Set up Node.js",
                "Install the healthy-fargate CLI",
                "Run the policy check",
                "Upload SARIF to code scanning",
                "Comment on the pull request",
                "Verdict",
            ],
        );
        assert.equal(step("Set up Node.js").uses, "actions/setup-node@v4");
        assert.equal(step("Upload SARIF to code scanning").uses, "github/codeql-action/upload-sarif@v3");
        assert.equal(step("Upload SARIF to code scanning").with?.sarif_file, "${{ steps.check.outputs.sarif-file }}");
        assert.match(step("Install the healthy-fargate CLI").run!, /npm install --prefix "\$prefix" .*"@healthy-fargate\/cli@\$VERSION"/);
        assert.match(step("Run the policy check").run!, /args=\(check --program "\$PROGRAM" --stack "\$STACK" --source-root/);
    });

    it("no expression inside a script (inputs reach shells as env vars, never spliced into code); every reference resolves", () => {
        const text = fs.readFileSync(ACTION_FILE, "utf8");
        for (const s of action.runs.steps) assert.ok(!s.run?.includes("${{"), `step "${s.name}" splices an expression into its script`);
        for (const [, input] of text.matchAll(/inputs\.([a-z-]+)/g)) assert.ok(input in action.inputs, `unknown input ${input}`);
        const ids = new Set(action.runs.steps.map((s) => s.id).filter(Boolean));
        for (const [, id] of text.matchAll(/steps\.([a-z-]+)\.outputs/g)) assert.ok(ids.has(id), `unknown step id ${id}`);
        for (const [name, out] of Object.entries(action.outputs))
            assert.match(out.value, /^\$\{\{ steps\.check\.outputs\.[a-z-]+ \}\}$/, name);
    });
});

describe("composite action: its shell steps, run with bash", function () {
    this.timeout(20 * 60_000);

    it("install: a version that is not exact (a branch ref of the action) is refused, naming the input", () => {
        // A program without the CLI in its own node_modules (this repository has it, as a workspace).
        const program = fs.mkdtempSync(path.join(os.tmpdir(), "team-program-"));
        const result = runStep("Install the healthy-fargate CLI", { PROGRAM: program, VERSION: "", ACTION_REF: "main" });
        assert.equal(result.code, 2);
        assert.match(
            result.stdout,
            /::error title=healthy-fargate check::input `version` must be an exact version such as 0\.2\.0 \(got "main"/,
        );
    });

    it("install: without `version`, the CLI of the program's own lock is used (nothing installed)", () => {
        const program = fs.mkdtempSync(path.join(os.tmpdir(), "team-program-"));
        fs.mkdirSync(path.join(program, "node_modules", "@healthy-fargate", "cli"), { recursive: true });
        fs.writeFileSync(
            path.join(program, "node_modules", "@healthy-fargate", "cli", "package.json"),
            JSON.stringify({ version: "0.2.0" }),
        );
        const result = runStep("Install the healthy-fargate CLI", { PROGRAM: program, VERSION: "", ACTION_REF: "v0.2.0" });
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /Using @healthy-fargate\/cli 0\.2\.0 from the program's lock/);
        assert.equal(result.outputs.bin, path.join(fs.realpathSync(program), "node_modules", ".bin", "healthy-fargate"));
    });

    it("check: writes each format, exit-code 1 on mandatory findings, SARIF paths relative to the repository root", () => {
        const bin = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hf-bin-")), "healthy-fargate");
        // The installed CLI's `healthy-fargate check …` is this repository's check.
        fs.writeFileSync(bin, `#!/bin/sh\nshift\nexec ${CHECK_COMMAND.map((a) => `'${a}'`).join(" ")} "$@"\n`, { mode: 0o755 });
        const result = runStep("Run the policy check", {
            BIN: bin,
            PROGRAM: path.relative(REPO_ROOT, path.join(PROGRAMS, "raw-broken")),
            STACK: "dev",
            FORMATS: "sarif, markdown",
            POLICY_CONFIG: "",
            SOURCE_ROOT: "",
            OUT_DIR: path.join(os.tmpdir(), `action-out-${process.pid}`),
        });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.outputs["exit-code"], "1");
        const sarif = JSON.parse(fs.readFileSync(result.outputs["sarif-file"], "utf8"));
        assert.deepEqual(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation, {
            uri: "tests/fixtures/programs/raw-broken/index.ts",
            uriBaseId: "%SRCROOT%",
        });
        assert.match(fs.readFileSync(result.outputs["markdown-file"], "utf8"), /^### ❌ healthy-fargate policy check/);
    });

    it("check: an unknown format stops the step before any run, naming the input", () => {
        const result = runStep("Run the policy check", {
            BIN: "/nonexistent",
            PROGRAM: ".",
            STACK: "dev",
            FORMATS: "sarif,xml",
            POLICY_CONFIG: "",
            SOURCE_ROOT: "",
            OUT_DIR: os.tmpdir(),
        });
        assert.equal(result.code, 2);
        assert.match(
            result.stdout,
            /::error title=healthy-fargate check::input `formats`: unknown format "xml" \(use sarif, markdown, json, text\)/,
        );
    });

    it("verdict: findings fail only with fail-on-findings; a check that could not run always fails", () => {
        const verdict = (CODE: string, FAIL_ON_FINDINGS: string) => runStep("Verdict", { CODE, FAIL_ON_FINDINGS }).code;
        assert.deepEqual(
            [verdict("0", "true"), verdict("1", "true"), verdict("1", "false"), verdict("2", "false"), verdict("", "true")],
            [0, 1, 0, 2, 2],
        );
    });
});
