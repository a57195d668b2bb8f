/**
 * Runs a program offline in THIS process and prints the captured run as JSON on stdout.
 * Tests spawn it because Pulumi's runtime state is global: one program per process.
 *   node -r ts-node/register/transpile-only tests/support/offline-run-json.ts <programDir> <stack>
 */
import { runProgramOffline } from "../../cli/offline/program-runner";

runProgramOffline({ programDir: process.argv[2], stack: process.argv[3] }).then(
    // Exit only once the write has been flushed: a large run exceeds what a pipe takes at once.
    run => { process.stdout.write(JSON.stringify(run), () => process.exit(0)); },
    (e: Error) => { process.stderr.write(e.message); process.exit(2); },
);
