/**
 * A `require` hook for `.ts` files that transpiles each file once per content and keeps the
 * JavaScript in a cache directory: a warm start loads no TypeScript at all. Transpile-only, like
 * ts-node's `transpileOnly` (no type-check), with the given compiler options.
 *
 * The cache key is the file's path and source, the compiler options and the TypeScript version,
 * so a stale entry cannot be hit. Entries are written to a temp file and renamed, so processes
 * running at once share the cache safely; a cache that cannot be written only costs speed.
 * Plain JavaScript on purpose: it runs before anything is compiled.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

/**
 * Makes `require` of `.ts` files go through the cache.
 * @param {{ cacheDir: string, compilerOptions: object, baseDir: string, scopeDir?: string }} options
 *   compiler options as tsconfig.json writes them (JSON), resolved relative to `baseDir`; with
 *   `scopeDir`, only files below it (a `.ts` file elsewhere goes to whatever handled `.ts` before,
 *   or to a registration made later, such as ts-node's for a program).
 */
function registerTranspileCache({ cacheDir, compilerOptions, baseDir, scopeDir }) {
    const tsVersion = require(require.resolve("typescript/package.json", { paths: [baseDir, __dirname] })).version;
    const keyPrefix = `${tsVersion}\0${JSON.stringify(compilerOptions)}\0`;
    let options;
    const transpile = (filename, source) => {
        const ts = require(require.resolve("typescript", { paths: [baseDir, __dirname] }));
        options ??= ts.convertCompilerOptionsFromJson(compilerOptions, baseDir).options;
        return ts.transpileModule(source, { fileName: filename, compilerOptions: options }).outputText;
    };
    // Node's own loader as it is now: a later registration (ts-node's) may wrap `.js` too.
    const previous = Module._extensions[".ts"] ?? Module._extensions[".js"];
    const scope = scopeDir && path.resolve(scopeDir) + path.sep;
    Module._extensions[".ts"] = (module, filename) => {
        // Outside the scope the file is not the check's: whatever handled `.ts` before, else Node's own
        // loader (as if this hook did not exist), so a registration made later that wraps this one
        // (ts-node's, for a program) compiles the file's own source, not the check's transpile of it.
        if (scope && !filename.startsWith(scope)) return previous(module, filename);
        const source = fs.readFileSync(filename, "utf8");
        const key = crypto.createHash("sha256").update(keyPrefix).update(filename).update("\0").update(source).digest("hex");
        const entry = path.join(cacheDir, key.slice(0, 2), `${key}.js`);
        let output;
        try {
            output = fs.readFileSync(entry, "utf8");
        } catch {
            output = transpile(filename, source);
            writeAtomically(entry, output);
        }
        module._compile(output, filename);
    };
}

function writeAtomically(file, text) {
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temp, text);
        fs.renameSync(temp, file);
    } catch {
        // Only a slower next start.
    }
}

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const CACHE_DIR = path.join(REPO_ROOT, ".check-cache");

/**
 * The check's own start, in the check's process (launch.js) and in a program's process
 * (cli/offline/child-bootstrap.js): its `.ts` modules through the transpile cache in
 * `.check-cache/ts/` with the repository's tsconfig.json options (as ts-node transpile-only
 * would use them, with inline source maps), and Node's compile cache (`module.enableCompileCache`,
 * Node >= 22.1) for every module in `.check-cache/v8/`.
 *
 * Node's source-map support stays off, as in the installed CLI: once on, it reads and measures the
 * map of every module loaded after it that names one (all of `@pulumi/*`, the SDK's generated
 * protobuf code the largest): ~0.2 s of the check's process for the dev stack, profiled. The maps
 * are kept inline, so `NODE_OPTIONS=--enable-source-maps` maps an internal error's stack trace to
 * the TypeScript lines. (The program's process turns it on for ES-module programs only, whose
 * positions need it: cli/offline/source-positions.ts.)
 * @param {{ scopeDir?: string }} options `scopeDir`: see {@link registerTranspileCache}.
 */
function startCheckModules({ scopeDir } = {}) {
    Module.enableCompileCache?.(path.join(CACHE_DIR, "v8"));
    const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "tsconfig.json"), "utf8"));
    registerTranspileCache({
        cacheDir: path.join(CACHE_DIR, "ts"),
        compilerOptions: { ...compilerOptions, sourceMap: false, inlineSourceMap: true, inlineSources: false },
        baseDir: REPO_ROOT,
        scopeDir,
    });
}

module.exports = { registerTranspileCache, startCheckModules };
