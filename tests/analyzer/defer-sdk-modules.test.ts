/**
 * cli/analyzer/defer-sdk-modules.js: the Pulumi SDK's imports of npm's arborist and of TypeScript
 * are deferred to their first use, in a real Node process with the real SDK, and nothing else
 * changes.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";

const REPO = path.resolve(__dirname, "..", "..");
const PRELOAD = path.join(REPO, "cli", "analyzer", "defer-sdk-modules.js");

/** Runs `script` in a fresh Node process (with the preload when asked) and returns what it printed as JSON. */
function inNode(script: string, preload: boolean): any {
    const args = [...(preload ? ["--require", PRELOAD] : []), "-e", script];
    // stderr is kept off the test output (closure serialization warns about deprecated globals it walks).
    return JSON.parse(execFileSync(process.execPath, args, { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
}

const LOADED_ARBORIST = `Object.keys(require.cache).some((f) => f.includes("/@npmcli/arborist/"))`;

describe("defer-sdk-modules: the SDK's npm modules load on first use", function () {
    this.timeout(120_000);

    it("require('@pulumi/pulumi') loads arborist without the preload, not with it", () => {
        const script = `require("@pulumi/pulumi"); console.log(JSON.stringify(${LOADED_ARBORIST}))`;
        assert.strictEqual(inNode(script, false), true, "the SDK loads arborist at import (if not, the preload is no longer needed)");
        assert.strictEqual(inNode(script, true), false);
    });

    it("the SDK's own use still works: computeCodePaths reaches the real arborist", () => {
        const script = `
            const pulumi = require("@pulumi/pulumi");
            pulumi.runtime.computeCodePaths({ extraIncludePaths: [] }).then(
                (paths) => console.log(JSON.stringify({ loaded: ${LOADED_ARBORIST}, paths: paths.size, pulumi: [...paths.keys()].some((p) => p.includes("@pulumi")) })),
                (e) => console.log(JSON.stringify({ error: String(e) })),
            );`;
        const withPreload = inNode(script, true);
        const without = inNode(script, false);
        assert.strictEqual(withPreload.error, undefined, withPreload.error);
        assert.strictEqual(withPreload.loaded, true, "arborist loaded once it was used");
        assert.deepStrictEqual(withPreload, without);
    });

    it("the stand-in behaves as the module: property, namespace import, default import, new, call", () => {
        const script = `
            const Module = require("module");
            // A module of the SDK's folder asks for arborist, as codePaths.js does (3.270: __importStar(require(...))).
            const sdkFile = require.resolve("@pulumi/pulumi/runtime/closure/codePaths.js");
            const fromSdk = Module.createRequire(sdkFile);
            const standIn = fromSdk("@npmcli/arborist");
            const before = ${LOADED_ARBORIST};
            const real = require("@npmcli/arborist");
            console.log(JSON.stringify({
                before,
                esModule: standIn.__esModule === true,
                sameClass: standIn.Arborist === real.Arborist,
                defaultIsModule: standIn.default.Arborist === real.Arborist,
                constructs: new standIn({ path: "." }) instanceof real,
                fromElsewhere: require("@npmcli/arborist") === real,
            }));`;
        assert.deepStrictEqual(inNode(script, true), {
            before: false,
            esModule: true,
            sameClass: true,
            defaultIsModule: true,
            constructs: true,
            fromElsewhere: true,
        });
    });

    const LOADED_TYPESCRIPT = `Object.keys(require.cache).some((f) => f.endsWith("/typescript/lib/typescript.js"))`;

    it("require('@pulumi/pulumi') loads TypeScript without the preload, not with it; closure serialization still reaches it", () => {
        const script = `
            const pulumi = require("@pulumi/pulumi");
            const atImport = ${LOADED_TYPESCRIPT};
            // Serializing a function parses it with TypeScript (runtime/closure/parseFunction.js).
            pulumi.runtime.serializeFunction(() => 42).then(
                (f) => console.log(JSON.stringify({ atImport, afterUse: ${LOADED_TYPESCRIPT}, exports: f.exportName, text: f.text.includes("42") })),
                (e) => console.log(JSON.stringify({ error: String(e) })),
            );`;
        const without = inNode(script, false);
        const withPreload = inNode(script, true);
        assert.strictEqual(without.atImport, true, "the SDK loads TypeScript at import (if not, its deferral is no longer needed)");
        assert.strictEqual(withPreload.error, undefined, withPreload.error);
        assert.deepStrictEqual(withPreload, { ...without, atImport: false });
    });

    it("TypeScript that does not resolve is not deferred: the SDK's shim still falls back to its vendored copy", () => {
        const script = `
            const Module = require("module");
            const resolve = Module._resolveFilename;
            // As in a pack installed without TypeScript: the shim's require("typescript") throws.
            Module._resolveFilename = function (request, ...rest) {
                if (request === "typescript") throw Object.assign(new Error("Cannot find module 'typescript'"), { code: "MODULE_NOT_FOUND" });
                return resolve.call(this, request, ...rest);
            };
            const ts = require("@pulumi/pulumi/typescript-shim");
            console.log(JSON.stringify({ version: ts.version }));`;
        assert.deepStrictEqual(inNode(script, true), { version: "3.8.3" });
    });
});
