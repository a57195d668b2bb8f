/**
 * The check's `.ts` hook (cli/check/transpile-cache.js) in a program's process: a file outside its
 * scope (the program's) reaches a hook registered later — ts-node's, which wraps `.ts` and `.js`
 * and compiles what `module._compile` receives — as its own source, not as the check's transpile
 * of it (the program was once compiled twice, first with this repository's compiler options, so
 * its stack traces and SARIF lines pointed at the wrong lines).
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

describe("check transpile hook: scope", function () {
    this.timeout(120_000);

    it("a program's .ts file reaches a later-registered compiler as its own source", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "transpile-scope-"));
        const source = 'import * as os from "os";\nconst n: number = os.cpus().length;\nexport default n;\n';
        fs.writeFileSync(path.join(dir, "program.ts"), source);
        // As ts-node registers: wrap `.js` and `.ts`, patch module._compile, hand on to the previous handler.
        const script = `
            const Module = require("module");
            require(${JSON.stringify(path.join(REPO_ROOT, "cli/check/transpile-cache.js"))}).registerTranspileCache({
                cacheDir: ${JSON.stringify(path.join(dir, "cache"))}, compilerOptions: { module: "commonjs" },
                baseDir: ${JSON.stringify(REPO_ROOT)}, scopeDir: ${JSON.stringify(path.join(REPO_ROOT, "cli"))},
            });
            const received = [];
            for (const ext of [".js", ".ts"]) {
                const old = Module._extensions[ext];
                Module._extensions[ext] = (m, filename) => {
                    const compile = m._compile;
                    m._compile = function (code, fileName) { received.push(code); return compile.call(this, "module.exports = 1;", fileName); };
                    return old(m, filename);
                };
            }
            require(${JSON.stringify(path.join(dir, "program.ts"))});
            process.stdout.write(JSON.stringify(received));`;
        const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
        assert.equal(result.status, 0, result.stderr);
        assert.deepEqual(JSON.parse(result.stdout), [source], "compiled once, from the file's own text");
    });
});
