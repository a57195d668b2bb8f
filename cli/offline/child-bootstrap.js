// Entry of the child process that runs one program (see isolated.ts). Plain JavaScript so that
// the check's own TypeScript (cli/) loads through the check's transpile cache and V8's compile
// cache (cli/check/transpile-cache.js: no TypeScript at all on a warm start), *scoped to cli/*:
// the program's files are compiled only by the registration the runner makes with the program's
// own settings (module-loading.ts), never twice.
"use strict";
const path = require("path");
require("../check/transpile-cache").startCheckModules({ scopeDir: path.join(__dirname, "..") });
require("./child.ts");
