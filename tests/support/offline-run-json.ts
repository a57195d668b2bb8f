/**
 * Runs a program offline (in a child process, as the check does) and prints the captured run as
 * JSON on stdout.
 *   node -r ts-node/register/transpile-only tests/support/offline-run-json.ts <programDir> <stack>
 */
import { DEFAULT_PROGRAM_TIMEOUT_MS, runProgramIsolated } from "../../cli/offline/isolated";

runProgramIsolated({ programDir: process.argv[2], stack: process.argv[3], timeoutMs: DEFAULT_PROGRAM_TIMEOUT_MS }).then(
    // Exit only once the write has been flushed: a large run exceeds what a pipe takes at once.
    (run) => {
        process.stdout.write(JSON.stringify(run), () => process.exit(0));
    },
    (e: Error) => {
        process.stderr.write(e.message);
        process.exit(2);
    },
);
