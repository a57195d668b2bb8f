#!/usr/bin/env node
/**
 * Starts the offline check (`npm run check`) without ts-node, so that a warm start costs no
 * TypeScript at all:
 *
 * - the check's own `.ts` modules go through a transpile cache in `.check-cache/ts/`
 *   (transpile-cache.js), with the repository's tsconfig.json options, as ts-node
 *   transpile-only would use them;
 * - Node's own compile cache (`module.enableCompileCache`, Node ≥ 22.1) keeps V8 bytecode of
 *   every module (the check's, @pulumi/pulumi's, grpc's) in `.check-cache/v8/`.
 *
 * Both directories are gitignored and safe to delete. Plain JavaScript on purpose: it runs
 * before anything is compiled.
 */
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");
const { registerTranspileCache } = require("./transpile-cache");

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const CACHE_DIR = path.join(REPO_ROOT, ".check-cache");

Module.enableCompileCache?.(path.join(CACHE_DIR, "v8"));
// Stack traces of the check's own errors point at the TypeScript lines (inline source maps).
process.setSourceMapsEnabled(true);
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "tsconfig.json"), "utf8"));
registerTranspileCache({
    cacheDir: path.join(CACHE_DIR, "ts"),
    compilerOptions: { ...compilerOptions, sourceMap: false, inlineSourceMap: true, inlineSources: false },
    baseDir: REPO_ROOT,
});
require("./main.ts").runCli();
