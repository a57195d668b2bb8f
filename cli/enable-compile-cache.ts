/**
 * Imported first by the `healthy-fargate` command: Node's compile cache in its default directory
 * (`os.tmpdir()/node-compile-cache`) before any other module loads. Compiling JavaScript is about
 * half of the start of each process the check runs (itself, the program, the policy pack); they
 * share this cache (cli/analyzer/compile-cache.ts). Node honours `NODE_COMPILE_CACHE` and
 * `NODE_DISABLE_COMPILE_CACHE` here as everywhere.
 */
import * as nodeModule from "module";

(nodeModule as { enableCompileCache?(): unknown }).enableCompileCache?.();
