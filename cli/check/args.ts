/**
 * The check's command line: flags, defaults, and a message of its own for each kind of mistake.
 */
import * as fs from "fs";
import * as path from "path";
// The duration parser alone: the doctor's main entry loads the AWS SDK, which the check never needs.
import { parseDurationWithin } from "@healthy-fargate/doctor/duration";
import { validateStackName } from "../offline/project";

/**
 * The pack the check runs unless `--policy-pack` names another: the `@healthy-fargate/policies`
 * package the CLI depends on (in this repository, the workspace link to `policies/`).
 */
export function bundledPackDir(): string {
    return path.dirname(require.resolve("@healthy-fargate/policies/package.json"));
}
export const FORMATS = ["text", "json", "sarif", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

/** Environment variable with the default of `--timeout` (same format). */
export const TIMEOUT_ENV = "HEALTHY_FARGATE_CHECK_TIMEOUT";
/**
 * Limit of each stage — the pack's start-up, the program's run, the pack's analysis — unless
 * `--timeout` or the env var says otherwise. Generous: 2,000 services on a loaded 2-core machine
 * take minutes; a stuck policy or a promise that never resolves is still reported, not waited on.
 */
export const DEFAULT_TIMEOUT = "10m";

export const USAGE = `usage: healthy-fargate check [--program DIR] [--stack NAME] [--policy-pack DIR]
                             [--policy-pack-config FILE] [--format text|json|sarif|markdown] [--timeout DURATION]
                             [--source-root DIR]
  --program DIR              Pulumi TypeScript/JavaScript program (default: the current directory)
  --stack NAME               stack whose Pulumi.<NAME>.yaml config is used (default: dev)
  --policy-pack DIR          CrossGuard policy pack (default: the bundled @healthy-fargate/policies)
  --policy-pack-config FILE  JSON config, as for \`pulumi preview --policy-pack-config\`
  --format FORMAT            text (default), json, sarif, markdown
  --timeout DURATION         limit of each stage: pack start-up, program run, analysis (default ${DEFAULT_TIMEOUT},
                             or $${TIMEOUT_ENV}), e.g. 90s, 5m
  --source-root DIR          SARIF paths are relative to it (default: the git top-level of --program)
exit codes: 0 no mandatory finding, 1 mandatory findings, 2 could not run (also a usage error)`;

export interface CliOptions {
    programDir: string;
    stack: string;
    packDir: string;
    policyPackConfigFile?: string;
    format: Format;
    /** Limit of each stage, in ms. */
    timeoutMs: number;
    /** Directory SARIF paths are relative to (`%SRCROOT%`); unset: the git top-level of the program. */
    sourceRoot?: string;
}

export type ParsedArgs = CliOptions | { error: string } | { help: true };

const VALUE_FLAGS = ["--program", "--stack", "--policy-pack", "--policy-pack-config", "--format", "--timeout", "--source-root"] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

/** Parses argv (without node and script); `env` supplies the timeout's default. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
    const values: Partial<Record<ValueFlag, string>> = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "-h" || arg === "--help") return { help: true };
        if (!arg.startsWith("-")) return { error: strayArgument(arg) };
        const eq = arg.indexOf("=");
        const name = eq > 0 ? arg.slice(0, eq) : arg;
        if (!(VALUE_FLAGS as readonly string[]).includes(name)) return { error: `unknown option ${name}` };
        // A following flag is not a value: `--stack --format json` lacks the stack's name.
        const value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1]?.startsWith("--") ? undefined : argv[++i];
        if (value === undefined || value === "") return { error: `${name} needs a value` };
        values[name as ValueFlag] = value;
    }
    return toOptions(values, env);
}

function toOptions(values: Partial<Record<ValueFlag, string>>, env: NodeJS.ProcessEnv): ParsedArgs {
    const format = values["--format"] ?? "text";
    if (!(FORMATS as readonly string[]).includes(format))
        return { error: `--format must be one of ${FORMATS.join(", ")}, got "${format}"` };
    const stack = values["--stack"] ?? "dev";
    try {
        validateStackName(stack); // a name, never a path: checked before any file is touched
    } catch (e) {
        return { error: (e as Error).message };
    }
    const timeout = timeoutMs(values["--timeout"], env);
    if (typeof timeout === "string") return { error: timeout };
    const sourceRoot = values["--source-root"] && path.resolve(values["--source-root"]);
    if (sourceRoot && !isDirectory(sourceRoot))
        return {
            error: `--source-root ${values["--source-root"]}: no such directory (give the repository's root, which SARIF paths are relative to)`,
        };
    return {
        programDir: path.resolve(values["--program"] ?? "."),
        stack,
        packDir: path.resolve(values["--policy-pack"] ?? bundledPackDir()),
        policyPackConfigFile: values["--policy-pack-config"] && path.resolve(values["--policy-pack-config"]),
        format: format as Format,
        timeoutMs: timeout,
        ...(sourceRoot ? { sourceRoot } : {}),
    };
}

function isDirectory(dir: string): boolean {
    try {
        return fs.statSync(dir).isDirectory();
    } catch {
        return false;
    }
}

function strayArgument(arg: string): string {
    return `unexpected argument "${arg}": the check takes flags only (to check the program in a directory: --program ${arg})`;
}

/** Node's timers hold at most 2^31 - 1 ms (~24.8 days); a day is more than any check needs. */
const TIMEOUT_BOUNDS = { minMs: 1000, maxMs: 86_400_000, why: "a limit longer than a day is no limit for a check" };

function timeoutMs(flag: string | undefined, env: NodeJS.ProcessEnv): number | string {
    const [source, value] =
        flag !== undefined ? ["--timeout", flag] : env[TIMEOUT_ENV] ? [TIMEOUT_ENV, env[TIMEOUT_ENV]!] : ["--timeout", DEFAULT_TIMEOUT];
    try {
        return parseDurationWithin(value, source, TIMEOUT_BOUNDS);
    } catch (e) {
        return (e as Error).message.replace(/`/g, "");
    }
}
