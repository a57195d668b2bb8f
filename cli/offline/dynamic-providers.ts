/**
 * Dynamic providers (`pulumi.dynamic.Resource`) offline: their provider object is not serialized.
 *
 * The SDK serializes a dynamic resource's provider into its `__provider` input
 * (`serializeProvider` in `@pulumi/pulumi/dynamic/index.js`, 3.270: `require("../runtime/closure/
 * serializeClosure").serializeFunction(() => provider, { allowSecrets: true })`, once per provider
 * object). Closure serialization opens a V8 inspector session and enables its debugger, which
 * reports every script loaded so far: about 0.5 s on this repository's dev stack, a sixth of the
 * whole check, for an input no policy reads. So while the program runs offline, that function
 * returns a placeholder text naming what was not done. The difference from `pulumi preview`: an
 * error only serialization finds (a captured value that cannot be serialized) shows there, not
 * here (README, "What can differ from a real preview").
 *
 * Only the closure module's own export is replaced, which is what `dynamic/index.js` calls;
 * `pulumi.runtime.serializeFunction` (callback Lambdas, `aws.lambda.CallbackFunction`) keeps the
 * SDK's function. `HEALTHY_FARGATE_SERIALIZE_DYNAMIC_PROVIDERS=on` keeps it for dynamic providers too.
 */
import * as path from "path";

export const SERIALIZE_DYNAMIC_PROVIDERS_ENV = "HEALTHY_FARGATE_SERIALIZE_DYNAMIC_PROVIDERS";

/** The `__provider` input of a dynamic resource offline. */
export const UNSERIALIZED_PROVIDER = "exports.handler = undefined; // healthy-fargate check: dynamic provider not serialized offline";

interface SerializedFunction {
    text: string;
    exportName: string;
    containsSecrets: boolean;
}

/** Installs the placeholder (see the module comment); returns the function that restores the SDK's. */
export function skipDynamicProviderSerialization(sdkDir: string, notes: string[]): () => void {
    if (process.env[SERIALIZE_DYNAMIC_PROVIDERS_ENV] === "on") return () => undefined;
    let closure: { serializeFunction?: (func: unknown, args?: { exportName?: string }) => Promise<SerializedFunction> };
    try {
        closure = require(path.join(sdkDir, "runtime", "closure", "serializeClosure"));
    } catch {
        return () => undefined; // an SDK laid out otherwise: it serializes as it always did
    }
    const original = closure.serializeFunction;
    if (typeof original !== "function") return () => undefined;
    let noted = false;
    closure.serializeFunction = async (_func, args) => {
        if (!noted) {
            noted = true;
            notes.push(
                `Dynamic providers are not serialized offline (their \`__provider\` input is a placeholder); \`pulumi preview\` serializes them and fails on a provider that captures something it cannot serialize (set ${SERIALIZE_DYNAMIC_PROVIDERS_ENV}=on to do it here too).`,
            );
        }
        return { text: UNSERIALIZED_PROVIDER, exportName: args?.exportName ?? "handler", containsSecrets: false };
    };
    return () => {
        closure.serializeFunction = original;
    };
}
