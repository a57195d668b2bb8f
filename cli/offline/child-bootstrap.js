// Entry of the child process that runs one program (see isolated.ts). Plain JavaScript so that
// the check's own TypeScript is compiled by a ts-node registration *scoped to this directory*:
// the program's files are compiled only by the registration the runner makes with the program's
// own settings (module-loading.ts), never twice.
"use strict";
const path = require("path");
require("ts-node").register({
    transpileOnly: true,
    project: path.join(__dirname, "..", "..", "tsconfig.json"),
    scope: true,
    scopeDir: __dirname,
});
require("./child.ts");
