// Entry of the child process that runs one program (see isolated.ts). Plain JavaScript so that
// the check's own TypeScript (cli/) loads through the check's transpile cache and V8's compile
// cache (cli/check/transpile-cache.js: no TypeScript at all on a warm start), *scoped to cli/*:
// the program's files are compiled only by the registration the runner makes with the program's
// own settings (module-loading.ts), never twice. In the compiled package (@healthy-fargate/cli,
// `bin/offline/`, where the build copies this file) child.js sits next to it and is loaded as is.
"use strict";
// V8's heap of the program's process grows by at most 30 % between two full collections (V8's own
// factor reaches 4x while a program allocates fast). A run keeps every resource alive to its end
// (the SDK's objects), and the default let a 1,000-service program's heap reach twice its live
// size: 2,590 MB peak RSS, 2,244 MB with this, in the same run time (bench/check-bench.ts, this
// repository's 2-core bench machine). Memory only: what the program computes is unchanged. Set
// here rather than on the command line: a V8 that no longer knew the flag would refuse to start
// the process ("bad option"), while setFlagsFromString only prints that it does not know it.
require("v8").setFlagsFromString("--heap-growing-percent=30");
// First of all: the Pulumi SDK the program loads defers npm's arborist (see the file).
require("../analyzer/defer-sdk-modules");
const fs = require("fs");
const path = require("path");
if (!fs.existsSync(path.join(__dirname, "child.js"))) {
    require("../check/transpile-cache").startCheckModules({ scopeDir: path.join(__dirname, "..") });
}
require("./child");
