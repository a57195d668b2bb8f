#!/usr/bin/env node
/**
 * Builds the workspace's packages to JavaScript + `.d.ts` (`tsc -p <package>` → `<package>/bin/`)
 * when their sources changed since the last build, so that nothing — the Pulumi CLI, the offline
 * check, the tests, `npm pack` — has to type-check a package at every start, and nothing runs a
 * stale build. (Both the CLI's `pulumi-analyzer-policy` shim and the Node.js language host's
 * `RunPlugin` start @pulumi/pulumi/cmd/run-policy-pack in the pack directory; its run.js registers
 * ts-node with `typeCheck: true` and then `require`s the directory, i.e. package.json `main`: a
 * `.js` main is loaded as is, nothing is compiled.)
 *
 *   node policies/build.js          build every package that is stale (a no-op when up to date: hashing the
 *                                   sources took 0.07-0.4 s on this 2-core machine at load ~20, the same
 *                                   range as hashing the pack alone)
 *   node policies/build.js --pack   only the policy pack (this directory)
 *
 * The packages, in dependency order (docs/architecture.md, "Packages"): @healthy-fargate/domain
 * (policies/domain), the pack @healthy-fargate/policies (policies, which compiles the domain in),
 * @healthy-fargate/doctor (cli/doctor), @healthy-fargate/components (components),
 * @healthy-fargate/cli (cli). Run by `npm ci`/`npm install` (root `prepare`), by the offline check
 * before it starts, and before mocha runs any test (`mochaGlobalSetup` below, required by .mocharc.json).
 *
 * "Stale" compares a hash of a package's inputs (its `.ts` files, tsconfig.json, package.json, the
 * TypeScript version and the build stamps of the packages it depends on) with the one recorded in
 * `bin/.build-stamp` after its last good build. `noEmitOnError` keeps a package with a type error
 * from emitting, so it stays stale and the next start fails again with the compiler's message. A
 * lock directory per package serialises concurrent builds (several checks starting at once after an edit).
 *
 * Plain JavaScript on purpose: it runs before anything is compiled.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const PACK_DIR = __dirname;
const REPO_ROOT = path.join(__dirname, "..");

/**
 * The workspace's packages in dependency order. `skip`: directories of the package that are not
 * its sources (another package nested in it, this repository's own stack); `copy`: plain
 * JavaScript files the compiled package needs next to its output.
 */
const PACKAGES = [
    { label: "the domain", dir: path.join(REPO_ROOT, "policies", "domain"), deps: [] },
    { label: "the policy pack", dir: PACK_DIR, deps: [] },
    { label: "the doctor", dir: path.join(REPO_ROOT, "cli", "doctor"), deps: ["policies/domain"] },
    {
        label: "the components",
        dir: path.join(REPO_ROOT, "components"),
        deps: ["policies/domain", "cli/doctor"],
        skip: ["reference-stack"],
    },
    {
        label: "the CLI",
        dir: path.join(REPO_ROOT, "cli"),
        deps: ["policies/domain", "cli/doctor", "policies"],
        skip: ["doctor"],
        copy: ["offline/child-bootstrap.js", "offline/esm-hooks.mjs", "analyzer/defer-sdk-modules.js"],
    },
];
const SKIP_DIRS = new Set(["node_modules", "bin", ".build-lock"]);

/** Raised when a package does not compile; `message` holds the compiler's diagnostics. */
class PackBuildError extends Error {}

function sourceFiles(dir, skip = new Set()) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) || skip.has(entry.name) ? [] : sourceFiles(file);
        return entry.name.endsWith(".ts") || entry.name.endsWith(".js") || entry.name.endsWith(".mjs") ? [file] : [];
    });
}

const stampOf = (dir) => path.join(dir, "bin", ".build-stamp");

/** Hash of everything a package's build output depends on. */
function inputsHash(pkg) {
    const hash = crypto.createHash("sha256");
    hash.update(`typescript ${require(require.resolve("typescript/package.json", { paths: [pkg.dir] })).version}\n`);
    const own = [...sourceFiles(pkg.dir, new Set(pkg.skip ?? [])), path.join(pkg.dir, "tsconfig.json"), path.join(pkg.dir, "package.json")];
    for (const file of own.sort())
        hash.update(`${path.relative(pkg.dir, file)}\n`)
            .update(fs.readFileSync(file))
            .update("\n");
    for (const dep of pkg.deps) hash.update(`${dep} ${readStamp(path.join(REPO_ROOT, dep))}\n`);
    return hash.digest("hex");
}

function readStamp(dir) {
    try {
        return fs.readFileSync(stampOf(dir), "utf8").trim();
    } catch {
        return "";
    }
}

function compile(pkg) {
    const tsc = require.resolve("typescript/bin/tsc", { paths: [pkg.dir] });
    const result = spawnSync(process.execPath, [tsc, "-p", pkg.dir, "--pretty", "false"], { encoding: "utf8" });
    if (result.status !== 0) {
        const output = `${result.stdout}${result.stderr}`.trim() || String(result.error ?? `tsc exited with ${result.status}`);
        throw new PackBuildError(`${pkg.label} in ${pkg.dir} does not compile:\n${output}`);
    }
    for (const file of pkg.copy ?? []) fs.copyFileSync(path.join(pkg.dir, file), path.join(pkg.dir, "bin", file));
}

function sleep(ms) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes a package's build lock, waiting for another build; a lock whose owner died is taken over. */
function lock(lockDir, waitMs) {
    const until = Date.now() + waitMs;
    for (;;) {
        try {
            fs.mkdirSync(lockDir);
            fs.writeFileSync(path.join(lockDir, "pid"), String(process.pid));
            return;
        } catch (e) {
            if (e.code !== "EEXIST") throw e;
        }
        let owner = NaN;
        try {
            owner = Number(fs.readFileSync(path.join(lockDir, "pid"), "utf8"));
        } catch {
            /* being written or removed */
        }
        if (Number.isInteger(owner) && !isAlive(owner)) fs.rmSync(lockDir, { recursive: true, force: true });
        else if (Date.now() > until) throw new PackBuildError(`another build holds ${lockDir}; remove it if no build is running`);
        else sleep(100);
    }
}

function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return e.code === "EPERM";
    }
}

/** Builds one package unless its last build is up to date. Returns whether it built. */
function ensureBuilt(pkg, log) {
    if (readStamp(pkg.dir) === inputsHash(pkg)) return { built: false };
    const lockDir = path.join(pkg.dir, ".build-lock");
    lock(lockDir, 10 * 60_000);
    try {
        const hash = inputsHash(pkg); // another build may have finished while we waited
        if (readStamp(pkg.dir) === hash) return { built: false };
        log(`building ${pkg.label} (${path.relative(process.cwd(), pkg.dir) || "."}: sources changed since the last build)…`);
        compile(pkg);
        fs.writeFileSync(stampOf(pkg.dir), `${hash}\n`);
        return { built: true };
    } finally {
        fs.rmSync(lockDir, { recursive: true, force: true });
    }
}

const PACK = PACKAGES.find((pkg) => pkg.dir === PACK_DIR);

/**
 * Builds the policy pack (this directory) unless its last build is up to date. Returns whether it built.
 * @throws PackBuildError with the compiler's diagnostics when the pack does not compile.
 */
function ensurePackBuilt({ log = () => undefined } = {}) {
    return ensureBuilt(PACK, log);
}

/** Whether the pack's `bin/` was built from the current sources. */
function isPackBuildFresh() {
    return readStamp(PACK_DIR) === inputsHash(PACK);
}

/**
 * Builds every stale package of the workspace, in dependency order. Returns the labels it built.
 * @throws PackBuildError naming the package that does not compile.
 */
function ensureWorkspaceBuilt({ log = () => undefined } = {}) {
    return PACKAGES.filter((pkg) => ensureBuilt(pkg, log).built).map((pkg) => pkg.label);
}

/** Mocha global fixture: no test may run a stale package. */
function mochaGlobalSetup() {
    ensureWorkspaceBuilt({ log: (message) => console.error(message) });
}

module.exports = { ensurePackBuilt, ensureWorkspaceBuilt, isPackBuildFresh, PackBuildError, mochaGlobalSetup, PACK_DIR, PACKAGES };

if (require.main === module) {
    try {
        const built = process.argv.includes("--pack")
            ? ensurePackBuilt({ log: (message) => console.error(message) }).built
                ? [PACK.label]
                : []
            : ensureWorkspaceBuilt({ log: (message) => console.error(message) });
        if (built.length === 0) console.error("packages: up to date");
    } catch (e) {
        console.error(e instanceof PackBuildError ? `error: ${e.message}` : e);
        process.exitCode = 2;
    }
}
