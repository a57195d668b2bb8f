/**
 * cli/analyzer/compile-cache.ts: the processes the check starts share its compile cache, unless the
 * user chose a cache or turned it off. Run in a fresh Node process that enabled a cache.
 */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO = path.resolve(__dirname, "..", "..");

/** compileCacheEnv() in a process that enabled its compile cache in `cacheDir`, with `env`. */
function childEnvOf(cacheDir: string, env: NodeJS.ProcessEnv, scope?: string): NodeJS.ProcessEnv {
    const script = `
        require("module").enableCompileCache(${JSON.stringify(cacheDir)});
        const { compileCacheEnv } = require("./cli/analyzer/compile-cache.ts");
        console.log(JSON.stringify(compileCacheEnv(process.env, ${JSON.stringify(scope)})));`;
    const clean = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith("NODE_COMPILE") && k !== "NODE_DISABLE_COMPILE_CACHE"),
    );
    const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
        cwd: REPO,
        env: { ...clean, ...env },
        encoding: "utf8",
    });
    return JSON.parse(out);
}

describe("compile cache of the check's child processes", function () {
    this.timeout(120_000);
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "hf-compile-cache-"));
    after(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

    it("children get the check's cache directory", () => {
        const env = childEnvOf(cacheDir, {});
        // Node keeps its cache in a versioned subdirectory of the one given.
        assert.ok(env["NODE_COMPILE_CACHE"]?.startsWith(cacheDir), JSON.stringify(env));
    });

    it("nothing is set when the user chose a cache or turned it off (Node honours both)", () => {
        assert.deepStrictEqual(childEnvOf(cacheDir, { NODE_DISABLE_COMPILE_CACHE: "1" }), {});
        assert.deepStrictEqual(childEnvOf(cacheDir, { NODE_COMPILE_CACHE: path.join(cacheDir, "mine") }), {});
    });

    it("a scoped child (the program's process, under another V8 flag) gets a subdirectory of the check's cache, or of the user's", () => {
        const shared = childEnvOf(cacheDir, {})["NODE_COMPILE_CACHE"]!;
        assert.equal(childEnvOf(cacheDir, {}, "program")["NODE_COMPILE_CACHE"], path.join(shared, "program"));
        const mine = path.join(cacheDir, "mine");
        assert.deepStrictEqual(childEnvOf(cacheDir, { NODE_COMPILE_CACHE: mine }, "program"), {
            NODE_COMPILE_CACHE: path.join(mine, "program"),
        });
        assert.deepStrictEqual(childEnvOf(cacheDir, { NODE_DISABLE_COMPILE_CACHE: "1" }, "program"), {});
    });

    it("why it is scoped: a cache made after the program process's V8 flag change is rejected by a process without it", () => {
        const dir = fs.mkdtempSync(path.join(cacheDir, "flags-"));
        /** Loads part of the SDK with the cache in `dir`; how many cache entries Node says V8 rejected. */
        const rejectedEntries = (flag: string) => {
            const run = spawnSync(process.execPath, ["-e", `${flag} require("@pulumi/pulumi/runtime/settings");`], {
                cwd: REPO,
                env: { ...process.env, NODE_COMPILE_CACHE: dir, NODE_DEBUG_NATIVE: "COMPILE_CACHE" },
                encoding: "utf8",
            });
            assert.equal(run.status, 0, run.stderr);
            return (run.stderr.match(/was rejected/g) ?? []).length;
        };
        const programsFlag = `require("v8").setFlagsFromString("--heap-growing-percent=30");`;
        rejectedEntries(programsFlag);
        assert.ok(rejectedEntries("") > 0, "made under the program's flag, rejected without it");
        assert.equal(rejectedEntries(""), 0, "made without it, accepted without it");
    });
});
