/**
 * Unit tests of the check's command line (cli/check/args.ts): each kind of mistake gets a
 * message of its own; stack names and the time limit are validated before anything runs.
 */
import * as assert from "assert";
import * as path from "path";
import { DEFAULT_TIMEOUT, TIMEOUT_ENV, parseArgs } from "../../cli/check/args";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

function errorOf(argv: string[], env: NodeJS.ProcessEnv = {}): string {
    const parsed = parseArgs(argv, env);
    assert.ok("error" in parsed, `expected an error for ${JSON.stringify(argv)}, got ${JSON.stringify(parsed)}`);
    return parsed.error;
}

describe("check arguments", () => {
    it("defaults: this repository, stack dev, its own pack, text, the default limit", () => {
        assert.deepStrictEqual(parseArgs([], {}), {
            programDir: REPO_ROOT,
            stack: "dev",
            packDir: path.join(REPO_ROOT, "policies"),
            policyPackConfigFile: undefined,
            format: "text",
            timeoutMs: 10 * 60_000,
        });
        assert.strictEqual(DEFAULT_TIMEOUT, "10m");
    });

    it("reads `--flag value` and `--flag=value`", () => {
        const parsed = parseArgs(["--program=tests", "--stack", "org/proj/ci-1", "--format", "json", "--timeout=90s"], {});
        assert.ok(!("error" in parsed) && !("help" in parsed));
        assert.deepStrictEqual(
            [parsed.programDir, parsed.stack, parsed.format, parsed.timeoutMs],
            [path.resolve("tests"), "org/proj/ci-1", "json", 90_000],
        );
    });

    it("a flag without a value, an unknown flag and a stray argument each say what they are", () => {
        assert.strictEqual(errorOf(["--stack"]), "--stack needs a value");
        assert.strictEqual(errorOf(["--stack", "--format", "json"]), "--stack needs a value");
        assert.strictEqual(errorOf(["--program="]), "--program needs a value");
        assert.strictEqual(errorOf(["--stacks", "dev"]), "unknown option --stacks");
        assert.strictEqual(errorOf(["-s", "dev"]), "unknown option -s");
        assert.strictEqual(
            errorOf(["../app"]),
            'unexpected argument "../app": the check takes flags only (to check the program in a directory: --program ../app)',
        );
        assert.strictEqual(
            errorOf(["--format", "json", "extra"]),
            'unexpected argument "extra": the check takes flags only (to check the program in a directory: --program extra)',
        );
    });

    it("stack names are Pulumi names, refused before any file is read (cli/offline's validator)", () => {
        for (const bad of ["x/../../../outside", "a/b/c/d", "dev stack", "dev/", "a\\b", ""]) {
            assert.match(errorOf(["--stack=" + bad]), bad === "" ? /^--stack needs a value$/ : /^Invalid stack name /, bad);
        }
        for (const good of ["dev", "prod.eu-west-1", "my_org/dev", "org/project/dev"]) {
            const parsed = parseArgs(["--stack", good], {});
            assert.ok(!("error" in parsed), good);
        }
    });

    it("the limit comes from --timeout, else the environment, else the default; bad values are refused", () => {
        const limit = (argv: string[], env: NodeJS.ProcessEnv) => {
            const parsed = parseArgs(argv, env);
            assert.ok("timeoutMs" in parsed, JSON.stringify(parsed));
            return parsed.timeoutMs;
        };
        assert.strictEqual(limit([], { [TIMEOUT_ENV]: "2m" }), 120_000);
        assert.strictEqual(limit(["--timeout", "45s"], { [TIMEOUT_ENV]: "2m" }), 45_000);
        assert.match(errorOf(["--timeout", "15"]), /--timeout must be a duration such as 90s/);
        assert.match(errorOf([], { [TIMEOUT_ENV]: "soon" }), new RegExp(`${TIMEOUT_ENV} must be a duration`));
        assert.match(errorOf(["--timeout", "0s"]), /--timeout must be at least 1s/);
        assert.match(
            errorOf(["--timeout", "200000000d"]),
            /--timeout must be at most 1d: a limit longer than a day is no limit for a check/,
        );
    });

    it("an unknown --format names the valid ones", () => {
        assert.strictEqual(errorOf(["--format", "xml"]), '--format must be one of text, json, sarif, markdown, got "xml"');
    });

    it("--source-root: an existing directory, resolved; a missing one is refused naming the flag", () => {
        const parsed = parseArgs(["--source-root", "tests"]);
        assert.ok("sourceRoot" in parsed, JSON.stringify(parsed));
        assert.strictEqual(parsed.sourceRoot, path.resolve("tests"));
        assert.ok(!("sourceRoot" in (parseArgs([]) as object)), "unset by default: the program's git top-level is used");
        assert.strictEqual(
            errorOf(["--source-root", "no/such/dir"]),
            "--source-root no/such/dir: no such directory (give the repository's root, which SARIF paths are relative to)",
        );
    });
});
