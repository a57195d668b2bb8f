/**
 * The memory floor of a large program, for bench/check-bench.ts: the program run under the Pulumi
 * SDK's own mocks alone (`pulumi.runtime.setMocks`, every resource's state = its inputs), inside
 * `runInPulumiStack` as the SDK's language host runs it, until every registration is done. No
 * part of the check runs: what this process holds at its peak is the SDK's own object graph for
 * the program, which a `pulumi preview` of it holds too (with the engine's monitor instead of mocks).
 *
 *   node bench/sdk-mocks-run.js <program dir>     (prints nothing; measure it from outside)
 */
"use strict";
const path = require("path");

const programDir = path.resolve(process.argv[2]);
// Transpiled only, as the check transpiles (the generated programs have no tsconfig.json).
require("ts-node").register({
    transpileOnly: true,
    skipProject: true,
    compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node" },
});
const pulumi = require("@pulumi/pulumi");
const settings = require("@pulumi/pulumi/runtime/settings");
const stack = require("@pulumi/pulumi/runtime/stack");

pulumi.runtime.setMocks(
    {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: (args) => args.inputs,
    },
    "memory-floor",
    "dev",
    true,
);
stack
    .runInPulumiStack(() => require(programDir))
    .then(() => settings.waitForRPCs())
    .then(
        () => process.exit(0),
        (error) => {
            console.error(error);
            process.exit(1);
        },
    );
