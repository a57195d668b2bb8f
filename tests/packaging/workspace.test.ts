/**
 * The workspace's packages as npm will see them (docs/architecture.md, "Packages"): one version,
 * the metadata a consumer expects, internal dependencies pinned to that version, Pulumi as peers
 * whose range holds the versions this repository tests with, and the pack's own import of the
 * domain that keeps it self-contained. `tests/install/install.test.ts` proves them by installing.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const root = readJson(path.join(ROOT, "package.json"));
const LOCK = readJson(path.join(ROOT, "package-lock.json"));
const REPOSITORY = "https://github.com/healthy-fargate/healthy-fargate";
/** npm's range semantics, from the `semver` the Pulumi SDK itself depends on (not a dependency of ours). */
const semver: { satisfies(version: string, range: string): boolean } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from the Pulumi SDK at run time
    require(require.resolve("semver", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));

function readJson(file: string) {
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** The published workspaces (provider/, the source-based component package for other languages, is private). */
const packages = (root.workspaces as string[])
    .map((dir) => ({ dir, pkg: readJson(path.join(ROOT, dir, "package.json")) }))
    .filter(({ pkg }) => pkg.private !== true);

describe("workspace packages", () => {
    it("are the five @healthy-fargate packages, all at one version", () => {
        assert.deepEqual(packages.map((p) => p.pkg.name).sort(), [
            "@healthy-fargate/cli",
            "@healthy-fargate/components",
            "@healthy-fargate/doctor",
            "@healthy-fargate/domain",
            "@healthy-fargate/policies",
        ]);
        assert.deepEqual([...new Set(packages.map((p) => p.pkg.version))], ["0.2.0"]);
        assert.equal(root.private, true, "the repository's own package is never published");
    });

    for (const { dir, pkg } of packages) {
        it(`${pkg.name} (${dir}) carries what a consumer expects`, () => {
            assert.equal(pkg.private, undefined);
            assert.equal(pkg.license, "Apache-2.0");
            assert.equal(pkg.engines.node, ">=22", "every maintained LTS the dependencies allow (22, 24)");
            assert.equal(pkg.repository.url, `git+${REPOSITORY}.git`);
            assert.equal(pkg.repository.directory, dir);
            assert.equal(pkg.bugs.url, `${REPOSITORY}/issues`);
            assert.ok(pkg.homepage.startsWith(REPOSITORY));
            assert.ok(pkg.exports && pkg.exports["./package.json"], "an exports map");
            // Node resolves the package's name through `exports`; a `main` would also redirect this
            // repository's relative imports of the directory (`../../components`) to the compiled
            // copy, and a class loaded twice (source and bin/) is two classes. Only the pack keeps
            // one: run-policy-pack requires the pack's directory.
            if (pkg.name !== "@healthy-fargate/policies") assert.equal(pkg.main, undefined, "no main");
            assert.ok(Array.isArray(pkg.files) && pkg.files.every((f: string) => !/\.ts$/.test(f) || f.endsWith(".d.ts")));
            assert.ok(fs.existsSync(path.join(ROOT, dir, "README.md")), "a README");
            for (const [name, version] of Object.entries(pkg.dependencies ?? {})) {
                if (name.startsWith("@healthy-fargate/")) assert.equal(version, pkg.version, `${name}: released together, pinned exactly`);
            }
        });
    }

    it("components take @pulumi/pulumi and @pulumi/aws as peers whose range holds the tested (locked) versions", () => {
        const components = packages.find((p) => p.pkg.name === "@healthy-fargate/components")!.pkg;
        for (const name of ["@pulumi/pulumi", "@pulumi/aws"]) {
            assert.equal(components.dependencies[name], undefined, `${name} is not a dependency: the program's version wins`);
            const locked = LOCK.packages[`node_modules/${name}`].version;
            assert.ok(
                semver.satisfies(locked, components.peerDependencies[name]),
                `${name} ${locked} in ${components.peerDependencies[name]}`,
            );
        }
    });

    it("the domain depends on nothing; nothing but the CLI depends on the pack", () => {
        const byName = new Map(packages.map((p) => [p.pkg.name, p.pkg]));
        assert.deepEqual(byName.get("@healthy-fargate/domain").dependencies ?? {}, {});
        for (const [name, pkg] of byName) {
            if (name !== "@healthy-fargate/cli") assert.equal(pkg.dependencies?.["@healthy-fargate/policies"], undefined, name);
        }
    });

    it("the pack imports its domain by file, never the bare directory (which resolves to the domain package's compiled types)", () => {
        const offenders: string[] = [];
        const walk = (dir: string): void => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const file = path.join(dir, entry.name);
                if (entry.isDirectory()) {
                    if (!["bin", "node_modules", "domain"].includes(entry.name)) walk(file);
                } else if (entry.name.endsWith(".ts") && /from "(\.\.\/)+domain"/.test(fs.readFileSync(file, "utf8"))) {
                    offenders.push(path.relative(ROOT, file));
                }
            }
        };
        walk(path.join(ROOT, "policies"));
        assert.deepEqual(offenders, [], 'write `from "../domain/index"`');
    });

    it("the CLI's `healthy-fargate` bin picks the command: doctor reaches the doctor; anything else is exit 2 with the usage", () => {
        const bin = path.join(ROOT, "cli", readJson(path.join(ROOT, "cli", "package.json")).bin["healthy-fargate"]);
        const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: ROOT });
        const unknown = run(["deploy"]);
        assert.equal(unknown.status, 2);
        assert.match(unknown.stderr, /unknown command "deploy"\nusage: healthy-fargate <command>/);
        const doctor = run(["doctor"]);
        assert.equal(doctor.status, 64, "the doctor's own usage error (its exit codes are its own)");
        assert.match(doctor.stderr, /doctor diagnose --cluster C --service S/);
    });
});
