/**
 * Fixture programs that need their own node_modules commit only package.json and
 * package-lock.json. This installs them once, with `npm ci`, into a copy of the fixture under the
 * gitignored `.check-cache/programs/<name>-<hash of the lock file>/`, and returns that directory.
 * Install scripts are not run (`--ignore-scripts`: @pulumi/docker 3 would download a plugin).
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const PROGRAMS = path.join(REPO_ROOT, "tests", "fixtures", "programs");
const CACHE = path.join(REPO_ROOT, ".check-cache", "programs");
const MARKER = ".npm-ci-done";

export function installedFixture(name: string): string {
    const source = path.join(PROGRAMS, name);
    const lock = fs.readFileSync(path.join(source, "package-lock.json"));
    const dir = path.join(CACHE, `${name}-${createHash("sha256").update(lock).digest("hex").slice(0, 12)}`);
    if (fs.existsSync(path.join(dir, MARKER))) return dir;
    const staging = `${dir}.staging-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(source, staging, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
    const npm = spawnSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
        cwd: staging,
        encoding: "utf8",
        timeout: 15 * 60_000,
        env: { ...process.env, npm_config_update_notifier: "false" },
    });
    if (npm.status !== 0) {
        fs.rmSync(staging, { recursive: true, force: true });
        throw new Error(
            `npm ci of fixture program '${name}' failed (exit ${npm.status}${npm.error ? `, ${npm.error.message}` : ""}); ` +
                `these tests need the npm registry once to install it into ${CACHE}. npm said:\n${(npm.stderr ?? "").slice(-2000)}`,
        );
    }
    fs.writeFileSync(path.join(staging, MARKER), new Date().toISOString());
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
    return dir;
}

/** A copy of a fixture program outside this repository (no node_modules above it), with files replaced. */
export function copyProgramOutside(name: string, replace: Record<string, string> = {}): string {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "offline-program-")), name);
    fs.cpSync(path.join(PROGRAMS, name), dir, { recursive: true });
    for (const [file, text] of Object.entries(replace)) fs.writeFileSync(path.join(dir, file), text);
    return dir;
}
