/**
 * Where a program starts and how it is loaded, decided as the Pulumi CLI and its Node.js language
 * host decide it:
 * - `pkg/engine/project.go` `getPwdMain`: `main` (file or directory, relative to the project) sets
 *   the working directory (the directory of `main`, or `main` itself) and the entry (`.` or the
 *   file name);
 * - `sdk/nodejs/cmd/run/run.ts` `run`: for entry `.`, package.json `exports` then `main` (looked up
 *   from the working directory upwards) name the entry; a package with `"type": "module"` is
 *   imported as ES module (a directory → index.js, index.mjs, index.ts, index.mts), otherwise the
 *   entry is `require`d (a directory → Node's own lookup: its package.json `main`, index.js, …, index.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { ProgramRunError } from "./errors";
import type { ProjectFile } from "./project";

export interface ProgramEntry {
    /** The program's working directory (`--pwd` of the language host). */
    pwd: string;
    /** What the language host loads: a file or a directory. */
    program: string;
    /** The file that runs first (for messages and SARIF locations). */
    file: string;
    /** `"type": "module"` in the nearest package.json: the entry is imported, not required. */
    isModule: boolean;
    /** The directory of the nearest package.json (or the working directory). */
    packageRoot: string;
}

/** `getPwdMain` of the Pulumi CLI. */
function pwdAndMain(projectDir: string, main: string | undefined): { pwd: string; main: string } {
    if (!main) return { pwd: projectDir, main: "." };
    const target = path.resolve(projectDir, main);
    if (!fs.existsSync(target)) {
        throw new ProgramRunError(
            `Pulumi.yaml \`main: ${main}\` could not be read: ${target} does not exist (the Pulumi CLI refuses it too).`,
        );
    }
    return fs.statSync(target).isDirectory() ? { pwd: target, main: "." } : { pwd: path.dirname(target), main: path.basename(target) };
}

/** The nearest package.json from `dir` upwards (the SDK's `searchupPackageManifest`). */
function findPackageJson(dir: string): string | undefined {
    for (let current = dir; ; current = path.dirname(current)) {
        const candidate = path.join(current, "package.json");
        if (fs.existsSync(candidate)) return candidate;
        if (path.dirname(current) === current) return undefined;
    }
}

function readJson(file: string | undefined): Record<string, any> {
    if (!file) return {};
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        return {}; // best effort, as the SDK's packageObjectFromProjectRoot
    }
}

/** The package.json entry point the language host uses for entry `.` (`exports`, then `main`), if that file exists. */
function packageEntry(packageRoot: string, pkg: Record<string, any>): string | undefined {
    const dot = pkg.exports && typeof pkg.exports === "object" ? pkg.exports["."] : undefined;
    const exported =
        typeof pkg.exports === "string"
            ? pkg.exports
            : pkg.exports && typeof pkg.exports === "object"
              ? typeof dot === "string"
                  ? dot
                  : (dot?.default ?? dot?.require ?? dot?.import)
              : pkg.main;
    if (typeof exported !== "string") return undefined;
    const file = path.join(packageRoot, exported);
    return fs.existsSync(file) ? file : undefined;
}

const ESM_INDEX = ["index.js", "index.mjs", "index.ts", "index.mts"];
// Node's CommonJS directory lookup with ts-node's `.ts` appended to the known extensions.
const CJS_INDEX = ["index.js", "index.json", "index.node", "index.ts"];

/** The file Node loads for `program` (a file, or a directory looked up as described above). */
function entryFile(program: string, isModule: boolean): string | undefined {
    if (!fs.existsSync(program)) return undefined;
    if (fs.statSync(program).isFile()) return program;
    if (!isModule) {
        const main = readJson(path.join(program, "package.json")).main;
        if (typeof main === "string") {
            const candidates = [main, `${main}.js`, `${main}.ts`, path.join(main, "index.js"), path.join(main, "index.ts")].map((m) =>
                path.join(program, m),
            );
            const found = candidates.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
            if (found) return found;
        }
    }
    return (isModule ? ESM_INDEX : CJS_INDEX).map((f) => path.join(program, f)).find((f) => fs.existsSync(f));
}

/** Resolves the program's working directory, entry and module kind the way `pulumi preview` does. */
export function resolveEntry(projectDir: string, project: ProjectFile): ProgramEntry {
    const { pwd, main } = pwdAndMain(projectDir, project.main);
    let program = path.join(pwd, main);
    const manifest = findPackageJson(pwd);
    const packageRoot = manifest ? path.dirname(manifest) : pwd;
    const pkg = readJson(manifest);
    if (main === ".") program = packageEntry(packageRoot, pkg) ?? program;
    const isModule = pkg.type === "module";
    const file = entryFile(program, isModule);
    if (!file) {
        const looked =
            fs.existsSync(program) && fs.statSync(program).isDirectory()
                ? (isModule ? ESM_INDEX : CJS_INDEX).map((f) => path.join(program, f)).join(", ")
                : program;
        throw new ProgramRunError(
            `Program entry not found: looked for ${looked}. Set \`main\` in Pulumi.yaml (or package.json) to the program's entry file.`,
        );
    }
    return { pwd, program, file, isModule, packageRoot };
}
