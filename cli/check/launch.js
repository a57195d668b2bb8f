#!/usr/bin/env node
/**
 * Starts the offline check (`npm run check`) without ts-node, so that a warm start costs no
 * TypeScript at all:
 *
 * - the check's own `.ts` modules are transpiled once per content and kept in `.check-cache/ts/`
 *   (key: file, source, compiler options and TypeScript version — a stale entry cannot be hit);
 *   TypeScript itself is loaded only on a miss. Options: the repository's tsconfig.json, as
 *   ts-node transpile-only uses them. Entries are written to a temp file and renamed, so checks
 *   running at once share the cache safely.
 * - Node's own compile cache (`module.enableCompileCache`, Node ≥ 22.1) keeps V8 bytecode of
 *   every module (the check's, @pulumi/pulumi's, grpc's) in `.check-cache/v8/`.
 *
 * A cache that cannot be written (read-only checkout) only costs speed. Plain JavaScript on
 * purpose: it runs before anything is compiled.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const CACHE_DIR = path.join(REPO_ROOT, ".check-cache");

/** Serves `.ts` requires from the transpile cache; returns nothing, changes `require`. */
function registerTranspileCache() {
    const tsconfig = fs.readFileSync(path.join(REPO_ROOT, "tsconfig.json"), "utf8");
    const tsVersion = require("typescript/package.json").version;
    const keyPrefix = `${tsVersion}\0${tsconfig}\0`;
    let compilerOptions;
    const transpile = (filename, source) => {
        const ts = require("typescript");
        compilerOptions ??= ts.convertCompilerOptionsFromJson(
            { ...JSON.parse(tsconfig).compilerOptions, sourceMap: false, inlineSourceMap: true, inlineSources: false }, REPO_ROOT).options;
        return ts.transpileModule(source, { fileName: filename, compilerOptions }).outputText;
    };
    Module._extensions[".ts"] = (module, filename) => {
        const source = fs.readFileSync(filename, "utf8");
        const key = crypto.createHash("sha256").update(keyPrefix).update(filename).update("\0").update(source).digest("hex");
        const entry = path.join(CACHE_DIR, "ts", key.slice(0, 2), `${key}.js`);
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

Module.enableCompileCache?.(path.join(CACHE_DIR, "v8"));
// Stack traces of the check's own errors point at the TypeScript lines (inline source maps).
process.setSourceMapsEnabled(true);
registerTranspileCache();
require("./main.ts").runCli();
