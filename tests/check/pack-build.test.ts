/**
 * The precompiled policy pack (policies/build.js): a copy of the pack in a temp directory
 * (its node_modules a link to the repository's) is built the way `npm ci`, `npm test` and the
 * check build it, so that editing sources here cannot disturb other tests.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const POLICIES = path.join(REPO_ROOT, "policies");

interface BuildModule {
    ensurePackBuilt(options?: { log?(message: string): void }): { built: boolean };
    isPackBuildFresh(): boolean;
    PackBuildError: new (...args: unknown[]) => Error;
}

/** Copies the pack's sources, build script and current build (bin/, already fresh: mocha's global setup built it). */
function copyOfThePack(): { dir: string; build: BuildModule } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pack-build-"));
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
    const dir = path.join(root, "policies");
    fs.cpSync(POLICIES, dir, {
        recursive: true,
        filter: (source) => !source.includes(`${path.sep}node_modules`) && !source.endsWith(".build-lock"),
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the copy's own build.js, by path
    return { dir, build: require(path.join(dir, "build.js")) as BuildModule };
}

describe("policy pack build", function () {
    this.timeout(300_000);

    it("is the pack's `main`: run-policy-pack loads compiled JavaScript, not TypeScript", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(POLICIES, "package.json"), "utf8"));
        assert.strictEqual(pkg.main, "bin/index.js");
        assert.ok(fs.existsSync(path.join(POLICIES, pkg.main)), "the build exists (npm ci / mocha's global setup ran policies/build.js)");
    });

    it("rebuilds after a source edit, does nothing when up to date, and never emits a pack that does not compile", () => {
        const { dir, build } = copyOfThePack();
        const messages: string[] = [];
        const log = (message: string) => messages.push(message);
        assert.deepStrictEqual(build.ensurePackBuilt({ log }), { built: false }, "a fresh copy of a fresh build is up to date");

        const index = path.join(dir, "index.ts");
        fs.writeFileSync(
            index,
            fs.readFileSync(index, "utf8").replace("Rejects ECS Fargate configurations", "EDITED: rejects ECS Fargate configurations"),
        );
        assert.deepStrictEqual(build.ensurePackBuilt({ log }), { built: true });
        assert.match(fs.readFileSync(path.join(dir, "bin", "index.js"), "utf8"), /EDITED: rejects/);
        assert.match(messages.join("\n"), /building the policy pack .*sources changed since the last build/);
        assert.deepStrictEqual(build.ensurePackBuilt({ log }), { built: false });

        fs.appendFileSync(index, '\nconst broken: number = "not a number";\n');
        assert.throws(
            () => build.ensurePackBuilt({ log }),
            (e: Error) =>
                e instanceof build.PackBuildError &&
                /does not compile/.test(e.message) &&
                /index\.ts\(\d+,7\): error TS2322/.test(e.message),
        );
        assert.strictEqual(build.isPackBuildFresh(), false, "still stale: the next start fails again instead of running the old build");
        assert.match(fs.readFileSync(path.join(dir, "bin", "index.js"), "utf8"), /EDITED: rejects/, "the last good build stays");
        assert.doesNotMatch(fs.readFileSync(path.join(dir, "bin", "index.js"), "utf8"), /not a number/);
    });
});
