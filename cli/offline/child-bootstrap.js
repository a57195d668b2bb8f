// Entry of the child process that runs one program (see isolated.ts). Plain JavaScript so that
// the check's own TypeScript (cli/) loads through the check's transpile cache and V8's compile
// cache (cli/check/transpile-cache.js: no TypeScript at all on a warm start), *scoped to cli/*:
// the program's files are compiled only by the registration the runner makes with the program's
// own settings (module-loading.ts), never twice. In the compiled package (@healthy-fargate/cli,
// `bin/offline/`, where the build copies this file) child.js sits next to it and is loaded as is.
"use strict";
// First of all: the Pulumi SDK the program loads defers npm's arborist (see the file).
require("../analyzer/defer-sdk-modules");
const fs = require("fs");
const path = require("path");
if (!fs.existsSync(path.join(__dirname, "child.js"))) {
    require("../check/transpile-cache").startCheckModules({ scopeDir: path.join(__dirname, ".."), sourceMaps: false });
}
require("./child");
