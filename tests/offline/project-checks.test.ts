/**
 * What the check refuses before a program runs, as `pulumi preview` refuses it: stack names,
 * runtimes, config values of the wrong declared type, invalid containerDefinitions.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { prepareProgram } from "../../cli/offline/prepare";
import { validateStackName } from "../../cli/offline/project";
import { loadStackConfig, matchesConfigType } from "../../cli/offline/stack-config";
import { containerDefinitionsProblem } from "../../cli/offline/registration-checks";
import { SECRET_SIG, SIG_KEY, UNKNOWN } from "../../cli/offline/wire-values";

const PROGRAMS = path.resolve(__dirname, "..", "fixtures", "programs");

/** A throwaway project directory with the given files. */
function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "offline-project-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

describe("offline: stack names are validated as the Pulumi CLI validates them", () => {
    it("accepts plain and qualified names and returns the part that names the config file", () => {
        assert.deepEqual(validateStackName("dev"), { name: "dev", project: undefined });
        assert.deepEqual(validateStackName("acme/shop/prod.eu-1_b"), { name: "prod.eu-1_b", project: "shop" });
        assert.deepEqual(validateStackName("acme/staging"), { name: "staging", project: undefined });
    });

    it("refuses paths, empty parts, bad characters and names over 100 characters, naming the problem", () => {
        assert.throws(() => validateStackName("x/../../../outside"), /Invalid stack name "x\/..\/..\/..\/outside": 4 '\/' separators/);
        assert.throws(() => validateStackName(""), /may not be empty/);
        assert.throws(() => validateStackName("a//b"), /empty part/);
        assert.throws(() => validateStackName("dev stack"), /invalid character " " in "dev stack"/);
        assert.throws(() => validateStackName("prod\\..\\x"), /invalid character "\\\\"/);
        assert.doesNotThrow(() => validateStackName("s".repeat(100)));
        assert.throws(() => validateStackName("s".repeat(101)), /longer than 100 characters/);
    });

    it("a traversing stack name never reads or prints a file outside the program", () => {
        const outside = project({ "Pulumi.outside.yaml": "config:\n  leaked: TOP-SECRET-VALUE\n" });
        const dir = path.join(outside, "program");
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
        const attempt = () => prepareProgram({ programDir: dir, stack: "x/../../outside" });
        assert.throws(attempt, (e: Error) => /Invalid stack name/.test(e.message) && !e.message.includes("TOP-SECRET-VALUE"));
        // A qualified name whose project part is not the program's is refused too.
        assert.throws(() => prepareProgram({ programDir: dir, stack: "acme/../outside" }), /names project '..', but .* is project 'p'/);
    });
});

describe("offline: runtimes other than Node.js are refused with what was found", () => {
    it("runtime: python (map form)", () => {
        assert.throws(
            () => prepareProgram({ programDir: path.join(PROGRAMS, "python-runtime"), stack: "dev" }),
            /The check runs Node\.js programs only .*`runtime: python`/,
        );
    });

    it("runtime: go, and a missing runtime", () => {
        assert.throws(
            () => prepareProgram({ programDir: project({ "Pulumi.yaml": "name: p\nruntime: go\n" }), stack: "dev" }),
            /Node\.js programs only.*`runtime: go`/,
        );
        assert.throws(
            () => prepareProgram({ programDir: project({ "Pulumi.yaml": "name: p\n" }), stack: "dev" }),
            /Node\.js programs only.*no `runtime`/,
        );
    });
});

describe("offline: stack config against the types Pulumi.yaml declares (ValidateConfigValue)", () => {
    it("matches the CLI's rules on values as config.Value holds them", () => {
        assert.equal(matchesConfigType("integer", undefined, "2"), true);
        assert.equal(matchesConfigType("integer", undefined, "two"), false);
        assert.equal(matchesConfigType("integer", undefined, "2.5"), false);
        assert.equal(matchesConfigType("boolean", undefined, "true"), true);
        assert.equal(matchesConfigType("boolean", undefined, "yes"), false);
        assert.equal(matchesConfigType("string", undefined, "5"), true);
        assert.equal(matchesConfigType("string", undefined, { a: 1 }), false);
        assert.equal(matchesConfigType("object", undefined, { a: 1 }), true);
        assert.equal(matchesConfigType("object", undefined, "x"), false);
        assert.equal(matchesConfigType("array", { type: "integer" }, [1, 2]), true);
        assert.equal(matchesConfigType("array", { type: "integer" }, [1, "x"]), false);
        assert.equal(matchesConfigType("array", undefined, [1]), false, "an array without `items` is invalid");
    });

    it("a value of the wrong type stops the run, naming the key, the type and the file", () => {
        assert.throws(
            () => prepareProgram({ programDir: path.join(PROGRAMS, "config-type-violation"), stack: "dev" }),
            /Stack 'dev' with configuration key 'replicas' must be of type 'integer'.*found "two" in Pulumi\.dev\.yaml/,
        );
        const arrays = project({
            "Pulumi.yaml": "name: p\nruntime: nodejs\nconfig:\n  zones:\n    type: array\n    items:\n      type: string\n",
            "Pulumi.dev.yaml": "config:\n  p:zones: eu-west-1a\n",
        });
        assert.throws(
            () =>
                loadStackConfig(
                    arrays,
                    { name: "p", runtime: "nodejs", config: { zones: { type: "array", items: { type: "string" } } as any } },
                    "dev",
                ),
            /'zones' must be of type 'array<string>'/,
        );
    });

    it("a key declared secret must be encrypted; an encrypted value stays a secret placeholder", () => {
        const dir = project({ "Pulumi.dev.yaml": "config:\n  p:token: plain\n  p:other:\n    secure: v1:abc\n" });
        const decl = {
            name: "p",
            runtime: "nodejs",
            config: { token: { type: "string", secret: true } as any, other: { type: "string" } as any },
        };
        assert.throws(() => loadStackConfig(dir, decl, "dev"), /'token' must be encrypted as it's secret/);
        const ok = loadStackConfig(
            project({ "Pulumi.dev.yaml": "config:\n  p:token:\n    secure: v1:def\n  p:other:\n    secure: v1:abc\n" }),
            decl as any,
            "dev",
        );
        assert.deepEqual(ok.secretKeys, ["p:token", "p:other"]);
        assert.match(ok.config["p:other"], /^offline-secret-placeholder:p:other$/);
    });
});

describe("offline: containerDefinitions the AWS provider's Check rejects", () => {
    it("names what is wrong; unknown and valid values pass", () => {
        assert.match(containerDefinitionsProblem(`[{"name": "a",}]`)!, /not valid JSON/);
        assert.match(containerDefinitionsProblem(`{"name": "a"}`)!, /JSON object, not an array/);
        assert.match(containerDefinitionsProblem(`[1]`)!, /element 0 is not a container definition/);
        assert.match(containerDefinitionsProblem({ [SIG_KEY]: SECRET_SIG, value: "nope" })!, /not valid JSON/, "a secret is checked too");
        assert.equal(containerDefinitionsProblem(`[{"name":"a"}]`), undefined);
        assert.equal(containerDefinitionsProblem(UNKNOWN), undefined, "unknown in preview: the provider cannot check it either");
        assert.equal(containerDefinitionsProblem(undefined), undefined);
    });
});
