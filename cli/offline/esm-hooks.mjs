// Module hooks for ES-module programs, registered with `module.register` by module-loading.ts
// (they run on Node's loader thread, so this file is plain JavaScript).
//
// 1. TypeScript: as the Node.js language host's automatic ESM mode (sdk/nodejs/cmd/run/run.ts and
//    hooks.ts of @pulumi/pulumi): ts-node's `register(options)` and `createEsmHooks(service)`.
// 2. One Pulumi runtime: every import of `@pulumi/pulumi[/…]` resolves to the one SDK the check
//    installed its mocks in.
// 3. Fallback: a bare import the program's own node_modules cannot satisfy resolves from the
//    check's packages; one that neither has is recorded (the runner names it and the install command).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

let data = { tsNode: null, tsOptions: null, sdkAnchor: null, fallbackDirs: [], port: null };
let tsHooks = null;

export async function initialize(options) {
    data = { ...data, ...options };
    if (data.tsNode) {
        const tsNode = createRequire(import.meta.url)(data.tsNode);
        tsHooks = tsNode.createEsmHooks(tsNode.register(data.tsOptions));
    }
}

const isBare = (specifier) => !/^(\.{0,2}\/|file:|node:|data:|[a-zA-Z]+:)/.test(specifier);
const isPulumiSdk = (specifier) => specifier === "@pulumi/pulumi" || specifier.startsWith("@pulumi/pulumi/");
const packageName = (specifier) =>
    specifier
        .split("/")
        .slice(0, specifier.startsWith("@") ? 2 : 1)
        .join("/");
const anchorURL = (dir) => pathToFileURL(`${dir}/noop.js`).href;

export async function resolve(specifier, context, nextResolve) {
    const next = (spec, ctx) => (tsHooks ? tsHooks.resolve(spec, ctx, nextResolve) : nextResolve(spec, ctx));
    if (isPulumiSdk(specifier) && data.sdkAnchor) return next(specifier, { ...context, parentURL: anchorURL(data.sdkAnchor) });
    try {
        return await next(specifier, context);
    } catch (error) {
        // ts-node's resolver rethrows Node's ERR_MODULE_NOT_FOUND without its code: match the message too.
        const notFound = error?.code === "ERR_MODULE_NOT_FOUND" || /^Cannot find (package|module) /.test(String(error?.message));
        if (!notFound || !isBare(specifier)) throw error;
        for (const dir of data.fallbackDirs) {
            try {
                return await next(specifier, { ...context, parentURL: anchorURL(dir) });
            } catch {
                /* next fallback */
            }
        }
        data.port?.postMessage({ missing: packageName(specifier) });
        throw error;
    }
}

export async function load(url, context, nextLoad) {
    return tsHooks ? tsHooks.load(url, context, nextLoad) : nextLoad(url, context);
}
