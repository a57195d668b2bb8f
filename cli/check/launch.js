#!/usr/bin/env node
/**
 * Starts the offline check (`npm run check`) without ts-node, so that a warm start costs no
 * TypeScript at all: the check's own `.ts` modules go through a transpile cache and every module
 * through Node's compile cache (transpile-cache.js, `startCheckModules`). Both live in
 * `.check-cache/` (gitignored, safe to delete). Plain JavaScript on purpose: it runs before
 * anything is compiled.
 */
"use strict";
require("./transpile-cache").startCheckModules();
require("./main.ts").runCli();
