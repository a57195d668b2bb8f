/**
 * How the program's modules are found and compiled, for one program per process:
 * - **Its own packages first.** Modules resolve from the program's directory (its node_modules, or
 *   a monorepo's above it); a bare import it cannot satisfy falls back to the check's own packages
 *   (`@pulumi/aws`, `@pulumi/awsx`, `@pulumi/docker`, …); one that neither has is recorded so the
 *   runner can name it and the command that installs it.
 * - **One Pulumi runtime.** Every `@pulumi/pulumi[/…]` import, from the program or from a package
 *   that came from the fallback, resolves to the one SDK the mocks are installed in.
 * - **TypeScript as the Node.js language host compiles it** (`sdk/nodejs/cmd/run/run.ts`): ts-node
 *   with the program's `typescript` if it has one, the program's tsconfig `compilerOptions` spread
 *   over the host's defaults (target ES2020, module/moduleResolution `nodenext` for TypeScript ≥ 4.7,
 *   else commonjs/node), and, for `"type": "module"` packages, ts-node's ESM hooks registered with
 *   `module.register` (the host's "automatic ESM mode"). Transpile only: type errors are the
 *   program's CI's business. Deviation: where the program has no ts-node ≥ 10 the check's own
 *   ts-node 10 compiles it (the host would fall back to its vendored ts-node 7).
 * - **TypeScript only when a file must be compiled**: a CommonJS program's files found in the
 *   transpile cache are compiled from it without loading TypeScript or ts-node (`registerLazily`).
 */
import * as fs from "fs";
import * as path from "path";
import { MessageChannel } from "worker_threads";
import { pathToFileURL } from "url";
import { ProgramRunError } from "./errors";
import { cacheTranspiles, transpileCache, type TranspileCache } from "./transpile-cache";
import { rememberCompiled } from "./source-positions";

const Module: any = require("module");

export interface ModuleLoading {
    /** Directory of the `@pulumi/pulumi` package every import resolves to. */
    sdkDir: string;
    /** Bare imports neither the program nor the check could resolve (package names). */
    missing: Set<string>;
    /** Restores Node's resolver (in-process runs only; a child process just exits). */
    restore(): void;
}

/** Resolves `request` from the first directory that has it; `undefined` when none has. */
export function resolveFromDirs(request: string, dirs: string[]): string | undefined {
    for (const dir of dirs) {
        try {
            return require.resolve(request, { paths: [dir] });
        } catch {
            /* next */
        }
    }
    return undefined;
}

const isRelative = (request: string) => /^(\.{0,2}\/|[a-zA-Z]:[\\/]|\/)/.test(request) || request.startsWith("node:");
const isPulumiSdk = (request: string) => request === "@pulumi/pulumi" || request.startsWith("@pulumi/pulumi/");
const packageName = (request: string) =>
    request
        .split("/")
        .slice(0, request.startsWith("@") ? 2 : 1)
        .join("/");

/** The directory whose node_modules holds `@pulumi/pulumi` at `sdkDir` (…/node_modules/@pulumi/pulumi → …). */
function anchorOf(sdkDir: string): string {
    return path.resolve(sdkDir, "..", "..", "..");
}

/** Installs the CommonJS side of the resolution rules above. */
export function installModuleResolution(programDir: string, fallbackDirs: string[]): ModuleLoading {
    const sdkManifest = resolveFromDirs("@pulumi/pulumi/package.json", [programDir, ...fallbackDirs]);
    if (!sdkManifest) {
        throw new ProgramRunError(
            `The program needs @pulumi/pulumi, which neither ${programDir} nor the check has: run \`npm install\` in ${programDir}.`,
        );
    }
    const sdkDir = path.dirname(sdkManifest);
    const anchor = anchorOf(sdkDir);
    const missing = new Set<string>();
    const original = Module._resolveFilename;
    Module._resolveFilename = function (request: string, parent: unknown, isMain: boolean, options?: unknown) {
        if (isPulumiSdk(request)) return original.call(this, request, parent, isMain, { paths: [anchor] });
        try {
            return original.call(this, request, parent, isMain, options);
        } catch (error) {
            if ((error as { code?: string }).code !== "MODULE_NOT_FOUND" || isRelative(request)) throw error;
            for (const dir of fallbackDirs) {
                try {
                    return original.call(this, request, parent, isMain, { paths: [dir] });
                } catch {
                    /* next */
                }
            }
            missing.add(packageName(request));
            throw error;
        }
    };
    return {
        sdkDir,
        missing,
        restore: () => {
            Module._resolveFilename = original;
        },
    };
}

/** What {@link registerTypeScript} needs to know about the program. */
export interface TypeScriptSetup {
    pwd: string;
    isModule: boolean;
    /** `runtime.options.tsconfig` of Pulumi.yaml, relative to `pwd`. */
    tsconfig?: string;
    fallbackDirs: string[];
    sdkDir: string;
    /** Where {@link ModuleLoading.missing} learns about imports the ESM hooks could not resolve. */
    missing: Set<string>;
}

/** The tsconfig's own `compilerOptions` (not its `extends`), as the SDK's `loadTypeScriptCompilerOptions` reads them. */
function rawCompilerOptions(ts: any, file: string): Record<string, unknown> {
    try {
        return ts.parseConfigFileTextToJson(file, fs.readFileSync(file, "utf8")).config?.compilerOptions ?? {};
    } catch {
        return {};
    }
}

/** ts-node of the program if it is 10 or newer (its ESM hooks and options), else the check's. */
function tsNodeFor(pwd: string, fallbackDirs: string[]): string {
    const own = resolveFromDirs("ts-node/package.json", [pwd]);
    const version = own ? Number(JSON.parse(fs.readFileSync(own, "utf8")).version.split(".")[0]) : 0;
    return own && version >= 10 ? path.dirname(own) : path.dirname(resolveFromDirs("ts-node/package.json", [...fallbackDirs, __dirname])!);
}

/**
 * Registers TypeScript for the program exactly where the language host would (see the module
 * comment); also registers the ES-module resolution hooks for `"type": "module"` programs.
 */
export function registerTypeScript(setup: TypeScriptSetup, typescript: boolean): void {
    const tsconfigPath = path.resolve(setup.pwd, setup.tsconfig ?? "tsconfig.json");
    if (setup.tsconfig && !fs.existsSync(tsconfigPath)) {
        throw new ProgramRunError(
            `Pulumi.yaml \`runtime.options.tsconfig\` is ${setup.tsconfig}, but ${tsconfigPath} was not found (the Pulumi CLI refuses it too).`,
        );
    }
    const tsPath = typescript ? resolveFromDirs("typescript", [setup.pwd, ...setup.fallbackDirs, __dirname]) : undefined;
    const tsVersion = tsPath ? packageVersion(tsPath, "typescript") : undefined;
    const [major, minor] = String(tsVersion ?? "0.0")
        .split(".")
        .map(Number);
    const nodeNext = major > 4 || (major === 4 && minor >= 7);
    const options = {
        compiler: tsPath,
        transpileOnly: true,
        project: tsconfigPath,
        skipProject: !fs.existsSync(tsconfigPath),
        compilerOptions: {} as Record<string, unknown>,
    };
    const ownOptions = () => (options.skipProject ? {} : rawCompilerOptions(require(tsPath!), tsconfigPath));
    const tsNode = tsPath ? tsNodeFor(setup.pwd, setup.fallbackDirs) : undefined;
    if (setup.isModule) {
        const esmTs = tsPath && nodeNext && tsNode;
        options.compilerOptions = {
            target: "ES2022",
            module: "nodenext",
            moduleResolution: "nodenext",
            sourceMap: true,
            ...(tsPath ? ownOptions() : {}),
        };
        registerEsmHooks(setup, esmTs ? tsNode : undefined, options);
        if (esmTs) return;
    }
    if (!tsPath || !tsNode) return;
    const defaults = {
        target: "ES2020",
        module: nodeNext ? "nodenext" : "commonjs",
        moduleResolution: nodeNext ? "nodenext" : "node",
        sourceMap: true,
    };
    const tsNodeVersion = packageVersion(path.join(tsNode, "package.json"), "ts-node");
    const lazySalt = lazyTranspileSalt(options, defaults, [tsVersion, tsNodeVersion]);
    const register = () => {
        options.compilerOptions = { ...defaults, ...ownOptions() };
        const service = require(tsNode).register(options);
        cacheTranspiles(service, tsNodeVersion ?? "unknown", undefined, lazySalt);
        rememberCompiledOutputs(service);
    };
    const cache = transpileCache();
    if (cache && lazySalt !== undefined) registerLazily(cache, lazySalt, register);
    else register();
}

/** The `version` of the package whose manifest is `file`, or of the package a file of it belongs to. */
function packageVersion(file: string, name: string): string | undefined {
    const manifest = path.basename(file) === "package.json" ? file : resolveFromDirs(`${name}/package.json`, [path.dirname(file)]);
    try {
        return JSON.parse(fs.readFileSync(manifest!, "utf8")).version;
    } catch {
        return undefined;
    }
}

/**
 * What a transpiled file depends on besides its own text, known without loading TypeScript: the
 * TypeScript and ts-node versions, the options handed to ts-node, the host's defaults and the
 * tsconfig's text. `undefined` where that text does not settle the options — a tsconfig that
 * `extends` another, compiles JavaScript (`allowJs`) or configures ts-node itself: those programs
 * load TypeScript as always.
 */
function lazyTranspileSalt(options: object, defaults: object, versions: Array<string | undefined>): string | undefined {
    const { project, skipProject } = options as { project: string; skipProject: boolean };
    const text = skipProject ? "" : fs.readFileSync(project, "utf8");
    if (/"(extends|allowJs|ts-node)"/.test(text) || versions.includes(undefined)) return undefined;
    return JSON.stringify(["without TypeScript", versions, options, defaults, text]);
}

/** Where ts-node 10 would compile: TypeScript files outside node_modules (its default `ignore`). */
const TS_EXTENSIONS = [".ts", ".tsx", ".cts", ".mts"];
const IGNORED_BY_TS_NODE = /[\\/]node_modules[\\/]/;

/**
 * TypeScript and ts-node load only when a file is not in the transpile cache: loading them is
 * ~0.2 s of the program's process (TypeScript's 9 MB module, ts-node's service), on the check's
 * critical path, for programs whose files are all cached from the last run. A `.ts` file found
 * under {@link lazyTranspileSalt}'s key is compiled from the cache; any other file registers
 * ts-node (once) and goes to the handler it installs, as without this.
 */
function registerLazily(cache: TranspileCache, salt: string, register: () => void): void {
    const extensions = Module._extensions as Record<string, (module: any, filename: string) => void>;
    const javascript = extensions[".js"]!;
    let registered = false;
    for (const extension of TS_EXTENSIONS) {
        const lazy = (module: any, filename: string) => {
            // Registered: ts-node calls this (the handler before it) only for files it ignores.
            if (registered) return javascript(module, filename);
            if (extension === ".ts" && !IGNORED_BY_TS_NODE.test(filename)) {
                const code = fs.readFileSync(filename, "utf8");
                const cached = cache.read(cache.key(salt, filename, code));
                if (cached !== undefined) {
                    rememberCompiled(filename, cached);
                    return module._compile(cached, filename);
                }
            }
            registered = true;
            register();
            const handler = extensions[extension];
            return handler && handler !== lazy ? handler(module, filename) : javascript(module, filename);
        };
        extensions[extension] = lazy;
    }
}

/** Keeps each compiled file's output (cached or not) so a resource's position maps back to its TypeScript line. */
function rememberCompiledOutputs(service: { compile(code: string, fileName: string, lineOffset?: number): string }): void {
    const compile = service.compile.bind(service);
    service.compile = (code, fileName, lineOffset) => {
        const output = compile(code, fileName, lineOffset);
        rememberCompiled(fileName, output);
        return output;
    };
}

function registerEsmHooks(setup: TypeScriptSetup, tsNode: string | undefined, tsOptions: object): void {
    const { port1, port2 } = new MessageChannel();
    port1.on("message", (message: { missing?: string }) => {
        if (message.missing) setup.missing.add(message.missing);
    });
    port1.unref();
    const data = { tsNode: tsNode ?? null, tsOptions, sdkAnchor: anchorOf(setup.sdkDir), fallbackDirs: setup.fallbackDirs, port: port2 };
    Module.register(pathToFileURL(path.join(__dirname, "esm-hooks.mjs")).href, { data, transferList: [port2] });
}
