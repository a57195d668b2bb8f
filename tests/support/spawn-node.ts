import { spawnSync } from "child_process";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Runs a TypeScript entry point of the repo with the project's Node (transpile-only), synchronously. */
export function runTs(script: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(REPO_ROOT, script), ...args], {
        cwd: options.cwd ?? REPO_ROOT,
        env: { ...process.env, ...options.env },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
