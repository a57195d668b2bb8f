/**
 * `npm run --silent check -- [--program DIR] [--stack NAME] [--policy-pack DIR]
 *                            [--policy-pack-config FILE] [--format text|json|sarif|markdown] [--timeout DURATION]
 *                            [--source-root DIR]`
 *
 * Exit codes: 0 no mandatory finding; 1 at least one mandatory finding (the report was printed);
 * 2 the check could not run — usage, program, config, pack, a policy that failed or did not
 * finish (`error: <stage>: …` on stderr, nothing on stdout); 130/143 stopped by SIGINT/SIGTERM.
 * The process exits as soon as the report is written, whatever the program or pack left running.
 */
import { stopTrackedChildren } from "../analyzer";
import { USAGE, parseArgs } from "./args";
import { CheckError } from "./errors";
import { formatMarkdown } from "./format-markdown";
import { defaultSourceRoot, formatSarif } from "./format-sarif";
import { formatText } from "./format-text";
import { exitCodeOf } from "./report";
import { runCheck } from "./run-check";

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** Writes and waits until it is flushed (a pipe may take a large SARIF log in chunks). */
function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
    return new Promise((resolve) => stream.write(text, () => resolve()));
}

/** Stops the pack and any other child, then exits with 128 + the signal's number. */
function exitOnSignals(): void {
    for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
        process.once(signal, () => {
            void stopTrackedChildren().finally(() => process.exit(code));
        });
    }
}

async function main(argv: string[]): Promise<number> {
    const parsed = parseArgs(argv);
    if ("help" in parsed) {
        await write(process.stdout, `${USAGE}\n`);
        return 0;
    }
    if ("error" in parsed) {
        await write(process.stderr, `error: ${parsed.error}\n${USAGE}\n`);
        return 2;
    }
    const { report, entryFile } = await runCheck(parsed);
    const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
    const output =
        parsed.format === "json"
            ? JSON.stringify(report, null, 2)
            : parsed.format === "sarif"
              ? formatSarif(report, { entryFile, sourceRoot: parsed.sourceRoot ?? defaultSourceRoot(report.program) })
              : parsed.format === "markdown"
                ? formatMarkdown(report)
                : formatText(report, color);
    await write(process.stdout, output + "\n");
    return exitCodeOf(report);
}

/** A check error is a message for people; anything else is a bug of the check, with its stack. */
async function reportError(e: unknown): Promise<number> {
    const text = e instanceof CheckError ? e.message : `internal error of the check: ${(e as Error)?.stack ?? String(e)}`;
    await write(process.stderr, `error: ${text}\n`);
    return 2;
}

/** Runs the check as a command: signals handled, exit code set, the process ended. */
export function runCli(argv: string[] = process.argv.slice(2)): void {
    exitOnSignals();
    // Nothing awaits this chain: `finally` makes sure the process ends with the verdict even if stopping the
    // children failed (no rejection is left unhandled, eslint's no-floating-promises).
    void main(argv)
        .catch(reportError)
        .then(async (code) => {
            try {
                await stopTrackedChildren();
            } finally {
                // Whatever the program or the pack left running (timers, sockets), the verdict is out.
                process.exit(code);
            }
        });
}

// `node -r ts-node/register/transpile-only cli/check/main.ts` (tests, debugging); `npm run check` goes through launch.js.
if (require.main === module) runCli();
