/**
 * What the tests that run real programs (redis-server, openssl, curl, wget, python3) need to know
 * about the machine: whether the user opted out of them, and where a program came from — for the
 * line each such suite prints ("redis-server 7.0.15 at /usr/bin/redis-server, Debian package …,
 * installed by the test command on …").
 *
 * tests/support/provision-servers.sh (run by `npm test` before mocha) installs those programs and
 * records what it installed; this module reads that record and never installs anything.
 */
import { spawnSync } from "child_process";
import { readFileSync, realpathSync } from "fs";
import { join } from "path";
import { REPO_ROOT } from "./spawn-node";

export const SKIP_REAL_SERVERS_VAR = "HEALTHY_FARGATE_SKIP_REAL_SERVERS";

/** The script that provisions the programs; `npm test` runs it first. */
export const PROVISION_SCRIPT = join(REPO_ROOT, "tests", "support", "provision-servers.sh");

/**
 * True when `HEALTHY_FARGATE_SKIP_REAL_SERVERS=1`: the suites that need real programs skip
 * (mocha "pending"). Accepts the values the provisioning script accepts and rejects the rest the
 * same way, so a typo cannot silently run — or silently skip — the real-server tests.
 */
export function realServersOptedOut(env: NodeJS.ProcessEnv = process.env): boolean {
    const value = env[SKIP_REAL_SERVERS_VAR] ?? "";
    if (value === "1") return true;
    if (value === "" || value === "0") return false;
    throw new Error(
        `${SKIP_REAL_SERVERS_VAR} is '${value}'; set it to 1 to skip the real-server tests, ` +
            "or to 0 (or unset it) to install what they need.",
    );
}

/** The line a suite prints when it skips for the opt-out: the summary then counts it as pending, never as passed. */
export function optOutNotice(what: string): string {
    return `skipped (${SKIP_REAL_SERVERS_VAR}=1): ${what}; mocha counts these tests as pending, not passed.`;
}

/** The absolute path `sh` finds for `program` on PATH, or undefined. */
export function whichProgram(program: string): string | undefined {
    const result = spawnSync("sh", ["-c", 'command -v "$1"', "sh", program], { encoding: "utf8" });
    const path = result.stdout.trim();
    return result.status === 0 && path !== "" ? path : undefined;
}

/** The Debian package that owns `path` (`dpkg-query -S`), e.g. "redis-server". */
function debianOwner(path: string): string | undefined {
    const owner = spawnSync("dpkg-query", ["-S", path], { encoding: "utf8" });
    return owner.status === 0 ? /^([^:\s]+)(?::[^:\s]+)?: /.exec(owner.stdout)?.[1] : undefined;
}

/**
 * The Debian package that owns `path` and its version, where dpkg knows it. The path as found on
 * PATH first (Debian's /usr/bin/redis-server is a symlink into redis-tools' binary), then the
 * resolved one (a /bin path on a merged-/usr system, a symlink elsewhere).
 */
function debianPackage(path: string): { name: string; version: string } | undefined {
    const name = debianOwner(path) ?? debianOwner(realpathSync(path));
    if (!name) return undefined;
    const version = spawnSync("dpkg-query", ["-W", "-f=${Version}", name], { encoding: "utf8" });
    return { name, version: version.status === 0 ? version.stdout.trim() : "unknown version" };
}

/** Where provision-servers.sh keeps its record: the same default as the script's STATE_DIR. */
function provisionDir(env: NodeJS.ProcessEnv = process.env): string {
    const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || "/tmp", ".cache");
    return env.HEALTHY_FARGATE_PROVISION_DIR || join(cacheHome, "healthy-fargate");
}

/** When the provisioning script installed exactly this package version (its record's last such line), if it did. */
function installedByTestCommand(name: string, version: string): string | undefined {
    let record: string;
    try {
        record = readFileSync(join(provisionDir(), "installed-by-test-command"), "utf8");
    } catch {
        return undefined;
    }
    const line = record
        .split("\n")
        .reverse()
        .find((l) => l.startsWith(`${name} ${version} `));
    return line?.split(" ")[2];
}

/**
 * Where `program` comes from, e.g. "/usr/bin/redis-server, Debian package redis-server 5:7.0.15-1~deb12u10,
 * installed by the test command on 2026-12-01T21:07:37Z" or "/opt/redis/bin/redis-server, not from a Debian package".
 */
export function programOrigin(program: string): string {
    const path = whichProgram(program);
    if (!path) return `${program} is not on PATH`;
    const owner = debianPackage(path);
    if (!owner) return `${path}, not from a Debian package`;
    const installedAt = installedByTestCommand(owner.name, owner.version);
    const how = installedAt ? `installed by the test command on ${installedAt}` : "no record of the test command installing it";
    return `${path}, Debian package ${owner.name} ${owner.version}, ${how}`;
}
