// Loaded first in every process that loads a Pulumi SDK for the check: the program's child
// (cli/offline/child.ts requires it) and the policy pack (`node --require <this file>
// run-policy-pack …`, cli/analyzer/pack-process.ts). Plain JavaScript so that it runs before
// anything can compile TypeScript; the build copies it next to the compiled analyzer.
//
// Why: `require("@pulumi/pulumi")` loads `runtime/closure/codePaths.js`, which imports npm's
// `@npmcli/arborist` at module load (3.270: `const arborist = __importStar(require("@npmcli/arborist"))`)
// — with pacote, sigstore, cacache and ~600 other modules, half of the SDK's load time. The SDK
// uses it only inside `computeCodePaths` (packaging a serialized function with its dependencies,
// for callback functions such as a Lambda's), which the check's programs and the pack rarely reach.
// So a request for it from inside a `@pulumi/pulumi` package gets a stand-in that loads the real
// module on first use: every property read, call and `new` reaches the real module, only later.
// Behaviour is unchanged; only when the ~0.35 s of loading is paid moves, to never for most runs.
//
// The same for `typescript` (9 MB, ~0.12 s with a warm compile cache): `runtime/closure/parseFunction.js`
// imports it at load through `typescript-shim.js` for closure serialization only. The shim falls back
// to the SDK's vendored TypeScript when `require("typescript")` throws, so the stand-in is given
// only where `typescript` resolves; elsewhere the request goes through (and throws) as always. The
// program's process then loads TypeScript only to compile a file its transpile cache does not hold
// (cli/offline/module-loading.ts); the pack loads it anyway (run-policy-pack registers ts-node).
"use strict";
const Module = require("module");

const DEFERRED = new Set(["@npmcli/arborist", "typescript"]);
const INSTALLED = Symbol.for("healthy-fargate.deferSdkModules");
const FROM_SDK = /[\\/]@pulumi[\\/]pulumi[\\/]/;

/** A stand-in for the module `load()` returns, loading it on first use. */
function deferred(load) {
    let real;
    const target = () => (real ??= load());
    // A function target, so that the stand-in can be called and constructed like a CommonJS export that is a class.
    return new Proxy(function deferredModule() {}, {
        get(_, key) {
            // `__esModule` makes TypeScript's `__importStar` hand over the stand-in itself instead of
            // copying (and so reading) every export at import time.
            if (key === "__esModule") return true;
            // …and so `__importDefault` reads `.default`: the real module (or its own default), still deferred.
            if (key === "default") return deferred(() => (target()?.__esModule ? target().default : target()));
            return Reflect.get(target(), key);
        },
        has: (_, key) => key in target(),
        apply: (_, self, args) => Reflect.apply(target(), self, args),
        construct: (_, args) => Reflect.construct(target(), args),
    });
}

/** Whether `request` resolves from `parent`: a request that would throw is not deferred (see above). */
function resolves(request, parent) {
    try {
        Module._resolveFilename(request, parent, false);
        return true;
    } catch {
        return false;
    }
}

/** Installs the deferral (idempotent: once per process, whoever asks first). */
function deferSdkModules() {
    if (globalThis[INSTALLED]) return;
    globalThis[INSTALLED] = true;
    const load = Module._load;
    Module._load = function (request, parent, isMain) {
        if (DEFERRED.has(request) && FROM_SDK.test(parent?.filename ?? "") && resolves(request, parent)) {
            return deferred(() => load.call(Module, request, parent, isMain));
        }
        return load.apply(this, arguments);
    };
}

deferSdkModules();
module.exports = { deferSdkModules };
