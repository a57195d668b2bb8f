/**
 * Node's compile cache (`module.enableCompileCache`, Node >= 22.1) for the processes the check
 * starts. Compiling JavaScript is most of a Pulumi process's start (the SDK, the pack, the
 * program's packages: ~1 s of a policy pack's 2 s start on this repository's bench machine); a
 * child inherits the cache through `NODE_COMPILE_CACHE`, which Node reads at start-up. The check's
 * own process enables its cache first (cli/check/transpile-cache.js in this repository's sources,
 * Node's default directory for the installed CLI); children use the same directory, the program's
 * process a subdirectory of it (see `compileCacheEnv`). A cache the user chose (`NODE_COMPILE_CACHE`)
 * is inherited as is, and nothing is set when the check runs without a cache or the user turned it
 * off (`NODE_DISABLE_COMPILE_CACHE`); Node itself honours both.
 */
import * as nodeModule from "module";
import * as path from "path";

/** Node < 22.8 has no `getCompileCacheDir`: then no child gets a cache. */
const Module = nodeModule as { getCompileCacheDir?(): string | undefined };

/**
 * Environment entries that give a child process this process's compile cache (empty when there is none).
 *
 * `scope` names a subdirectory for a process whose V8 flags differ from the others': V8 checks a
 * code cache against a hash of the flags in force when it was made, and rejects it under other
 * flags. The program's process changes a flag as it starts (`--heap-growing-percent`,
 * cli/offline/child-bootstrap.js); sharing one directory, it and the pack rejected and rewrote
 * each other's entries for the modules both load (@pulumi/pulumi, gRPC, TypeScript: 320 of the
 * pack's 485) on every run. A cache the user chose gets the same subdirectory.
 */
export function compileCacheEnv(env: NodeJS.ProcessEnv = process.env, scope?: string): NodeJS.ProcessEnv {
    if (env["NODE_DISABLE_COMPILE_CACHE"]) return {};
    const chosen = env["NODE_COMPILE_CACHE"];
    if (chosen) return scope ? { NODE_COMPILE_CACHE: path.join(chosen, scope) } : {};
    const dir = Module.getCompileCacheDir?.();
    if (!dir) return {};
    return { NODE_COMPILE_CACHE: scope ? path.join(dir, scope) : dir };
}
