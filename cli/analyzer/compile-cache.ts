/**
 * Node's compile cache (`module.enableCompileCache`, Node >= 22.1) for the processes the check
 * starts. Compiling JavaScript is most of a Pulumi process's start (the SDK, the pack, the
 * program's packages: ~1 s of a policy pack's 2 s start on this repository's bench machine); a
 * child inherits the cache through `NODE_COMPILE_CACHE`, which Node reads at start-up. The check's
 * own process enables its cache first (cli/check/transpile-cache.js in this repository's sources,
 * Node's default directory for the installed CLI); children use the same directory. Nothing is
 * set when the check runs without a cache, or the user chose one (`NODE_COMPILE_CACHE`) or turned
 * it off (`NODE_DISABLE_COMPILE_CACHE`), which Node itself honours.
 */
import * as nodeModule from "module";

/** Node < 22.8 has no `getCompileCacheDir`: then no child gets a cache. */
const Module = nodeModule as { getCompileCacheDir?(): string | undefined };

/** Environment entries that give a child process this process's compile cache (empty when there is none). */
export function compileCacheEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    if (env["NODE_COMPILE_CACHE"] || env["NODE_DISABLE_COMPILE_CACHE"]) return {};
    const dir = Module.getCompileCacheDir?.();
    return dir ? { NODE_COMPILE_CACHE: dir } : {};
}
