#!/usr/bin/env node
/**
 * Builds the policy pack to JavaScript (`tsc -p policies` → `policies/bin/`, the pack's `main`)
 * when its sources changed since the last build, so that nothing — the Pulumi CLI, the offline
 * check, the tests — has to type-check the pack at every start, and nothing runs a stale build.
 * (Both the CLI's `pulumi-analyzer-policy` shim and the Node.js language host's `RunPlugin` start
 * @pulumi/pulumi/cmd/run-policy-pack in the pack directory; its run.js registers ts-node with
 * `typeCheck: true` and then `require`s the directory, i.e. package.json `main`: a `.js` main is
 * loaded as is, nothing is compiled.)
 *
 *   node policies/build.js          build if stale (a no-op in ~5 ms when up to date)
 *
 * Run by `npm ci`/`npm install` (root `prepare`), by the offline check before it starts this
 * pack, and before mocha runs any test (`mochaGlobalSetup` below, required by .mocharc.json).
 *
 * "Stale" compares a hash of the inputs (every `.ts` of the pack, tsconfig.json, package.json
 * and the TypeScript version) with the one recorded in `bin/.build-stamp` after the last good
 * build. `noEmitOnError` (tsconfig.json) keeps a pack with a type error from emitting, so it
 * stays stale and the next start fails again with the compiler's message. A lock directory
 * serialises concurrent builds (several checks starting at once after an edit).
 *
 * Plain JavaScript on purpose: it runs before anything is compiled.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const PACK_DIR = __dirname;
const OUT_DIR = path.join(PACK_DIR, "bin");
const STAMP = path.join(OUT_DIR, ".build-stamp");
const LOCK = path.join(PACK_DIR, ".build-lock");
const SKIP_DIRS = new Set(["node_modules", "bin", ".build-lock"]);

/** Raised when the pack does not compile; `message` holds the compiler's diagnostics. */
class PackBuildError extends Error {}

function sourceFiles(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : sourceFiles(file);
        return entry.name.endsWith(".ts") ? [file] : [];
    });
}

/** Hash of everything the build output depends on. */
function inputsHash() {
    const hash = crypto.createHash("sha256");
    hash.update(`typescript ${require(require.resolve("typescript/package.json", { paths: [PACK_DIR] })).version}\n`);
    const files = [...sourceFiles(PACK_DIR), path.join(PACK_DIR, "tsconfig.json"), path.join(PACK_DIR, "package.json")].sort();
    for (const file of files) hash.update(`${path.relative(PACK_DIR, file)}\n`).update(fs.readFileSync(file)).update("\n");
    return hash.digest("hex");
}

function isFresh(hash) {
    try {
        return fs.readFileSync(STAMP, "utf8").trim() === hash;
    } catch {
        return false;
    }
}

function compile() {
    const tsc = require.resolve("typescript/bin/tsc", { paths: [PACK_DIR] });
    const result = spawnSync(process.execPath, [tsc, "-p", PACK_DIR, "--pretty", "false"], { encoding: "utf8" });
    if (result.status !== 0) {
        const output = `${result.stdout}${result.stderr}`.trim() || String(result.error ?? `tsc exited with ${result.status}`);
        throw new PackBuildError(`the policy pack in ${PACK_DIR} does not compile:\n${output}`);
    }
}

function sleep(ms) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes the build lock, waiting for another build; a lock whose owner died is taken over. */
function lock(waitMs) {
    const until = Date.now() + waitMs;
    for (;;) {
        try {
            fs.mkdirSync(LOCK);
            fs.writeFileSync(path.join(LOCK, "pid"), String(process.pid));
            return;
        } catch (e) {
            if (e.code !== "EEXIST") throw e;
        }
        let owner = NaN;
        try {
            owner = Number(fs.readFileSync(path.join(LOCK, "pid"), "utf8"));
        } catch { /* being written or removed */ }
        if (Number.isInteger(owner) && !isAlive(owner)) fs.rmSync(LOCK, { recursive: true, force: true });
        else if (Date.now() > until) throw new PackBuildError(`another build of the policy pack holds ${LOCK}; remove it if no build is running`);
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

/**
 * Builds the pack unless the last build is up to date. Returns whether it built.
 * @throws PackBuildError with the compiler's diagnostics when the pack does not compile.
 */
function ensurePackBuilt({ log = () => undefined } = {}) {
    if (isPackBuildFresh()) return { built: false };
    lock(10 * 60_000);
    try {
        const hash = inputsHash(); // another build may have finished while we waited
        if (isFresh(hash)) return { built: false };
        log(`building the policy pack (${path.relative(process.cwd(), PACK_DIR) || "."}: sources changed since the last build)…`);
        compile();
        fs.writeFileSync(STAMP, `${hash}\n`);
        return { built: true };
    } finally {
        fs.rmSync(LOCK, { recursive: true, force: true });
    }
}

/** Whether `bin/` was built from the current sources. */
function isPackBuildFresh() {
    return isFresh(inputsHash());
}

/** Mocha global fixture: no test may boot a stale pack. */
function mochaGlobalSetup() {
    ensurePackBuilt({ log: message => console.error(message) });
}

module.exports = { ensurePackBuilt, isPackBuildFresh, PackBuildError, mochaGlobalSetup, PACK_DIR };

if (require.main === module) {
    try {
        const { built } = ensurePackBuilt({ log: message => console.error(message) });
        if (!built) console.error("policy pack: up to date");
    } catch (e) {
        console.error(e instanceof PackBuildError ? `error: ${e.message}` : e);
        process.exitCode = 2;
    }
}
