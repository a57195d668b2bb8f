/**
 * `npm run --silent check -- [--program DIR] [--stack NAME] [--policy-pack DIR]
 *                            [--policy-pack-config FILE] [--format text|json|sarif|markdown]`
 *
 * Exit codes: 0 no mandatory finding; 1 at least one mandatory finding; 2 the program, its
 * config or the pack could not be run (the message says which and why).
 */
import * as path from "path";
import { CheckSetupError, runCheck } from "./run-check";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const FORMATS = ["text", "json", "sarif", "markdown"] as const;
type Format = typeof FORMATS[number];

const USAGE = `usage: npm run --silent check -- [--program DIR] [--stack NAME] [--policy-pack DIR]
                              [--policy-pack-config FILE] [--format text|json|sarif|markdown]
  --program DIR              Pulumi TypeScript/JavaScript program (default: this repository)
  --stack NAME               stack whose Pulumi.<NAME>.yaml config is used (default: dev)
  --policy-pack DIR          CrossGuard policy pack (default: policies/ of this repository)
  --policy-pack-config FILE  JSON config, as for \`pulumi preview --policy-pack-config\`
  --format FORMAT            text (default), json, sarif, markdown
exit codes: 0 no mandatory finding, 1 mandatory findings, 2 could not run`;

export interface CliOptions {
    programDir: string;
    stack: string;
    packDir: string;
    policyPackConfigFile?: string;
    format: Format;
}

/** Parses argv; returns an error message for unknown flags or missing values. */
export function parseArgs(argv: string[]): CliOptions | { error: string } | { help: true } {
    const options: CliOptions = { programDir: REPO_ROOT, stack: "dev", packDir: path.join(REPO_ROOT, "policies"), format: "text" };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        if (flag === "-h" || flag === "--help") return { help: true };
        const [name, inline] = flag.includes("=") ? [flag.slice(0, flag.indexOf("=")), flag.slice(flag.indexOf("=") + 1)] : [flag, undefined];
        const value = inline ?? argv[++i];
        if (value === undefined || value === "") return { error: `${name} needs a value` };
        switch (name) {
            case "--program": options.programDir = path.resolve(value); break;
            case "--stack": options.stack = value; break;
            case "--policy-pack": options.packDir = path.resolve(value); break;
            case "--policy-pack-config": options.policyPackConfigFile = path.resolve(value); break;
            case "--format":
                if (!(FORMATS as readonly string[]).includes(value)) return { error: `--format must be one of ${FORMATS.join(", ")}, got "${value}"` };
                options.format = value as Format;
                break;
            default: return { error: `unknown option ${name}` };
        }
    }
    return options;
}

/** Writes to stdout and waits until it is flushed (a pipe may take a large SARIF log in chunks). */
function writeStdout(text: string): Promise<void> {
    return new Promise((resolve, reject) => process.stdout.write(text, err => (err ? reject(err) : resolve())));
}

async function main(): Promise<number> {
    const parsed = parseArgs(process.argv.slice(2));
    if ("help" in parsed) { console.log(USAGE); return 0; }
    if ("error" in parsed) { console.error(`error: ${parsed.error}\n${USAGE}`); return 2; }
    const { report, entryFile } = await runCheck(parsed);
    // Formatters load after the run: nothing should delay the start of the policy pack.
    const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
    const output = parsed.format === "json" ? JSON.stringify(report, null, 2)
        : parsed.format === "sarif" ? (require("./format-sarif") as typeof import("./format-sarif")).formatSarif(report, entryFile)
        : parsed.format === "markdown" ? (require("./format-markdown") as typeof import("./format-markdown")).formatMarkdown(report)
        : (require("./format-text") as typeof import("./format-text")).formatText(report, color);
    await writeStdout(output + "\n");
    return (require("./report") as typeof import("./report")).exitCodeOf(report);
}

if (require.main === module) {
    main().then(code => { process.exitCode = code; }, (e: unknown) => {
        console.error(e instanceof CheckSetupError ? `error: ${e.message}` : `error: ${(e as Error)?.stack ?? e}`);
        process.exitCode = 2;
    });
}
