/**
 * Runs the offline check the way `npm run --silent check -- …` does: node on cli/check/launch.js,
 * stdout and stderr piped (not a TTY).
 * Runs are memoised by arguments: several tests assert on one run.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const PROGRAMS = path.join(REPO_ROOT, "tests", "fixtures", "programs");
export const PACKS = path.join(REPO_ROOT, "tests", "fixtures", "packs");

/** The command `npm run --silent check` runs (without npm): node, then its arguments. */
export const CHECK_COMMAND = [process.execPath, path.join(REPO_ROOT, "cli/check/launch.js")];

export interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

export function runCheckCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
        delete childEnv.FORCE_COLOR;
        const [command, ...commandArgs] = CHECK_COMMAND;
        const child = spawn(command, [...commandArgs, ...args], {
            cwd: REPO_ROOT,
            env: childEnv,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d) => {
            stdout += d;
        });
        child.stderr.setEncoding("utf8").on("data", (d) => {
            stderr += d;
        });
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

const memo = new Map<string, Promise<CliResult>>();

/** {@link runCheckCli}, once per distinct argument list. */
export function checkOnce(args: string[]): Promise<CliResult> {
    const key = JSON.stringify(args);
    if (!memo.has(key)) memo.set(key, runCheckCli(args));
    return memo.get(key)!;
}

export function program(name: string): string {
    return path.join(PROGRAMS, name);
}

/** Parses stdout as exactly one JSON value (fails on anything before or after it). */
export function parseJson(result: CliResult): any {
    try {
        return JSON.parse(result.stdout);
    } catch (e) {
        throw new Error(
            `stdout is not one JSON document (${(e as Error).message}); exit ${result.code}, stderr:\n${result.stderr}\nstdout:\n${result.stdout.slice(0, 2000)}`,
        );
    }
}

/** Writes a policy pack config file into a fresh temp dir and returns its path. */
export function writePolicyConfig(config: unknown): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-config-"));
    const file = path.join(dir, "policy-config.json");
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
}

/** Matches ANSI escape sequences (colour codes). */
export const ANSI = /\u001b\[/;
