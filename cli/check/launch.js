#!/usr/bin/env node
/**
 * Starts the offline check (`npm run check`) without ts-node, so that a warm start costs no
 * TypeScript at all: the check's own `.ts` modules go through a transpile cache and every module
 * through Node's compile cache (transpile-cache.js, `startCheckModules`). Both live in
 * `.check-cache/` (gitignored, safe to delete). The installed CLI (`healthy-fargate check`) runs
 * the compiled `bin/` instead; this launcher is for this repository's sources. Plain JavaScript on
 * purpose: it runs before anything is compiled.
 */
"use strict";
const { ensureWorkspaceBuilt, PackBuildError } = require("../../policies/build.js");
// The check imports the workspace's packages (domain, doctor, the pack's kit) by name: compiled.
try {
    ensureWorkspaceBuilt({ log: (message) => process.stderr.write(`${message}\n`) });
} catch (e) {
    process.stderr.write(`error: ${e instanceof PackBuildError ? e.message : e}\n`);
    process.exit(2);
}
require("./transpile-cache").startCheckModules();
require("./main.ts").runCli();
