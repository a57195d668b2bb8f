/**
 * Runs a Pulumi TypeScript/JavaScript program in-process under Pulumi's own mocks
 * (`pulumi.runtime.setMocks`), with a stack's configuration, and captures every resource
 * registration: type, name, URN, parent, provider, inputs, outputs, dependencies, property
 * dependencies and options. No Pulumi CLI, no cloud credentials.
 *
 * One program per process: Pulumi's runtime state is global.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { DEFAULT_PLACEMENT, Placement, invokeResult, resourceOutputs } from "./placeholder-outputs";

/** Raised when the program, its project file or its stack config cannot be run (exit code 2). */
export class ProgramRunError extends Error {
    constructor(message: string, readonly detail?: string) {
        super(message);
        this.name = "ProgramRunError";
    }
}

export interface CapturedResource {
    urn: string;
    type: string;
    name: string;
    /** true for provider-managed resources, false for components. */
    custom: boolean;
    /** true for components built by a provider plugin (awsx): their children are not rendered offline. */
    remote: boolean;
    parent?: string;
    provider?: string;
    id?: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    options: { protect?: boolean; ignoreChanges?: string[]; deleteBeforeReplace?: boolean; retainOnDelete?: boolean };
}

export interface ProjectFile {
    name: string;
    runtime: unknown;
    main?: string;
    config?: Record<string, { default?: unknown; value?: unknown }>;
}

export interface OfflineRun {
    project: string;
    stack: string;
    programDir: string;
    resources: CapturedResource[];
    stackOutputs: Record<string, unknown>;
    /** Data-source tokens the offline run had no answer for (they returned empty results). */
    unknownInvokes: string[];
    /** Things a reader should know: placeholders for secrets, remote components, … */
    notes: string[];
    placement: Placement;
}

export interface RunOptions {
    programDir: string;
    stack: string;
    /** Where modules are resolved from when the program has no node_modules of its own. */
    fallbackModuleDirs?: string[];
}

/** Reads `Pulumi.yaml` of a program directory. */
export function readProjectFile(programDir: string): ProjectFile {
    const file = ["Pulumi.yaml", "Pulumi.yml"].map(f => path.join(programDir, f)).find(f => fs.existsSync(f));
    if (!file) throw new ProgramRunError(`No Pulumi.yaml in ${programDir}: --program must be a Pulumi project directory.`);
    let doc: any;
    try {
        doc = yaml.load(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new ProgramRunError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
    if (!doc || typeof doc.name !== "string") throw new ProgramRunError(`${file} has no project \`name\`.`);
    return doc as ProjectFile;
}

/**
 * The stack's configuration as Pulumi's runtime expects it (`project:key` → string), plus the keys
 * that are secret. Defaults declared in Pulumi.yaml apply first. Encrypted values cannot be
 * decrypted offline: they get a placeholder and a note.
 */
export function loadStackConfig(programDir: string, project: ProjectFile, stack: string): { config: Record<string, string>; secretKeys: string[]; notes: string[] } {
    const file = path.join(programDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const available = fs.readdirSync(programDir).filter(f => /^Pulumi\..+\.ya?ml$/.test(f)).map(f => f.replace(/^Pulumi\.|\.ya?ml$/g, ""));
        throw new ProgramRunError(`No stack file Pulumi.${stack}.yaml in ${programDir}.${available.length ? ` Stacks here: ${available.join(", ")}.` : ""} Pass --stack NAME.`);
    }
    let doc: any;
    try {
        doc = yaml.load(fs.readFileSync(file, "utf8")) ?? {};
    } catch (e) {
        throw new ProgramRunError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
    const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const notes: string[] = [];
    // A declaration is a map (`{type, description, default | value}`); anything else is the
    // short-hand value itself (a primitive or an array).
    const declared = (decl: unknown): unknown => (decl && typeof decl === "object" && !Array.isArray(decl)
        ? ((decl as { default?: unknown }).default ?? (decl as { value?: unknown }).value) : decl) ?? undefined;
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        const value = declared(decl);
        if (value !== undefined) config[qualify(key)] = typeof value === "string" ? value : JSON.stringify(value);
    }
    // As the CLI does before running anything: a key of the project's own namespace declared
    // without a default or value must be set by every stack.
    const stackKeys = new Set(Object.keys(doc.config ?? {}).map(qualify));
    const missing = Object.entries(project.config ?? {})
        .filter(([key, decl]) => qualify(key).split(":")[0] === project.name && declared(decl) === undefined && !stackKeys.has(qualify(key)))
        .map(([key]) => `'${key}'`);
    if (missing.length) {
        throw new ProgramRunError(`Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (declared in Pulumi.yaml without a default, so \`pulumi preview\` refuses the stack too): set ${missing.length > 1 ? "them" : "it"} in ${path.basename(file)}, or give the declaration a \`default\` in Pulumi.yaml.`);
    }
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        const k = qualify(key);
        if (value && typeof value === "object" && "secure" in (value as object)) {
            config[k] = "offline-secret-placeholder";
            secretKeys.push(k);
            notes.push(`Config \`${k}\` is encrypted and cannot be decrypted offline; the check used a placeholder.`);
        } else {
            config[k] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { config, secretKeys, notes };
}

/** Resolves the program's entry file from `main` (file or directory) the way the Node.js language host does. */
export function resolveProgramEntry(programDir: string, project: ProjectFile): string {
    const main = path.resolve(programDir, project.main ?? ".");
    const candidates = fs.existsSync(main) && fs.statSync(main).isFile() ? [main] : ["index.ts", "index.js"].map(f => path.join(main, f));
    const found = candidates.find(f => fs.existsSync(f));
    if (!found) throw new ProgramRunError(`Program entry not found: looked for ${candidates.join(", ")}.`);
    return found;
}

/** Runs the program of `programDir` with stack `stack` under mocks and returns what it registered. */
export async function runProgramOffline(options: RunOptions): Promise<OfflineRun> {
    const programDir = path.resolve(options.programDir);
    const project = readProjectFile(programDir);
    const { config, secretKeys, notes } = loadStackConfig(programDir, project, options.stack);
    const entry = resolveProgramEntry(programDir, project);
    const placement: Placement = { ...DEFAULT_PLACEMENT, region: config["aws:region"] ?? DEFAULT_PLACEMENT.region };

    // Pulumi must be loaded from where the program resolves it, so both share one runtime.
    const pulumiPath = resolveFrom(programDir, "@pulumi/pulumi", options.fallbackModuleDirs);
    const pulumi: typeof import("@pulumi/pulumi") = require(pulumiPath);
    const settings = require(path.join(path.dirname(pulumiPath), "runtime", "settings"));
    const stackModule = require(path.join(path.dirname(pulumiPath), "runtime", "stack"));

    const recorder = await installRecordingMocks(pulumi, settings, project.name, options.stack, placement);
    pulumi.runtime.setAllConfig(config, secretKeys);
    const { resources, unknownInvokes } = recorder;

    const tsNode = resolveFrom(programDir, "ts-node", options.fallbackModuleDirs);
    if (entry.endsWith(".ts")) {
        // Transpile only: type errors are the program's CI's business; the check wants its registrations fast.
        require(tsNode).register({ transpileOnly: true, compilerOptions: { module: "commonjs" }, skipProject: !fs.existsSync(path.join(programDir, "tsconfig.json")), project: path.join(programDir, "tsconfig.json") });
    }

    let stackOutputs: Record<string, unknown> = {};
    const previousCwd = process.cwd();
    const restoreStackTraces = cheapCaptureStackTraces();
    // Pulumi's Stack resource also leaves the program's error in a promise nobody awaits; the
    // error is reported once, as a ProgramRunError, not again as a crash.
    const reported = new Set<unknown>();
    process.on("unhandledRejection", reason => {
        if (!reported.has(reason)) throw reason;
    });
    try {
        process.chdir(programDir);
        stackOutputs = await stackModule.runInPulumiStack(async () => {
            const exported = require(entry);
            // A program may export a default async function (Pulumi calls it and uses its result as outputs).
            return typeof exported?.default === "function" ? await exported.default() : exported;
        }) ?? {};
        await settings.waitForRPCs();
    } catch (e) {
        reported.add(e);
        const err = e instanceof Error ? e : new Error(String(e));
        // A RunError (e.g. a component's InvalidArgumentsError) is a message for people: no stack.
        // Otherwise the message and where in the program it was thrown.
        // (Line numbers are left out: they point into the transpiled code.)
        const frame = (err.stack ?? "").split("\n").find(line => line.includes(programDir) && !line.includes("node_modules"));
        const file = frame ? /(\/[^\s():]+\.[jt]s)/.exec(frame)?.[1] : undefined;
        const message = pulumi.RunError.isInstance(err as unknown) ? err.message : `${err.message}${file ? ` (thrown in ${path.relative(programDir, file)})` : ""}`;
        throw new ProgramRunError(`The program ${path.relative(previousCwd, entry) || entry} failed: ${message}`);
    } finally {
        process.chdir(previousCwd);
        restoreStackTraces();
    }

    recorder.attachOutputs();
    const remote = resources.filter(r => r.remote);
    if (remote.length) {
        notes.push(`${remote.length} remote component(s) (${[...new Set(remote.map(r => r.type))].join(", ")}) are built by their provider plugin; offline, only their inputs are checked and their children are not rendered.`);
    }
    if (unknownInvokes.size) notes.push(`Data sources without an offline answer returned empty results: ${[...unknownInvokes].join(", ")}.`);
    return { project: project.name, stack: options.stack, programDir, resources, stackOutputs: plain(stackOutputs), unknownInvokes: [...unknownInvokes], notes, placement };
}

/** What {@link installRecordingMocks} captures while a program runs. */
export interface Recorder {
    resources: CapturedResource[];
    unknownInvokes: Set<string>;
    /** Copies each resource's placeholder outputs onto its captured record (call after the run). */
    attachOutputs(): void;
}

/**
 * Installs Pulumi mocks that answer with {@link resourceOutputs}/{@link invokeResult} and wraps the
 * mock monitor so that every registration is captured with its parent, dependencies and options
 * (which the `Mocks` interface alone does not see). Used by the offline runner and by unit tests.
 */
export async function installRecordingMocks(
    pulumi: typeof import("@pulumi/pulumi"), settings: { getMonitor(): any }, project: string, stack: string, placement: Placement = DEFAULT_PLACEMENT,
): Promise<Recorder> {
    const unknownInvokes = new Set<string>();
    const outputsByName = new Map<string, Record<string, unknown>>();
    await pulumi.runtime.setMocks({
        newResource: args => {
            const { id, state } = resourceOutputs(args.type, args.name, args.inputs, placement);
            outputsByName.set(`${args.type}::${args.name}`, state);
            return { id: args.custom ? id : undefined, state };
        },
        call: args => {
            const result = invokeResult(args.token, args.inputs, placement);
            if (result === undefined) {
                unknownInvokes.add(args.token);
                return {};
            }
            return result;
        },
    }, project, stack, false);

    const resources: CapturedResource[] = [];
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, res: any) => void) => {
        register(req, (err: unknown, res: any) => {
            if (!err && res) {
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps: any, key: string) => { propertyDependencies[key] = deps.getUrnsList(); });
                resources.push({
                    urn: res.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    remote: req.getRemote(),
                    parent: req.getParent() || undefined,
                    provider: req.getProvider() || undefined,
                    id: res.getId() || undefined,
                    inputs: pulumi.runtime.deserializeProperties(req.getObject()),
                    outputs: {},
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    options: {
                        protect: req.getProtect() || undefined,
                        ignoreChanges: req.getIgnorechangesList().length ? req.getIgnorechangesList() : undefined,
                        deleteBeforeReplace: req.getDeletebeforereplace() || undefined,
                        retainOnDelete: req.getRetainondelete() || undefined,
                    },
                });
            }
            callback(err, res);
        });
    };

    return {
        resources,
        unknownInvokes,
        attachOutputs: () => { for (const r of resources) r.outputs = outputsByName.get(`${r.type}::${r.name}`) ?? {}; },
    };
}

/**
 * Pulumi's SDK reads `new Error().stack` for every resource (its source position) and for every
 * internal promise (leak diagnostics): thousands of stack traces per program, each source-mapped
 * by ts-node's `source-map-support` hook — half of the run time of a 100-service program. The
 * check uses neither, so while the program runs, a stack of a message-less plain `Error` (those
 * captures) is not formatted at all. Every other error keeps its full, source-mapped stack, so a
 * program's own exception still says where it was thrown. Returns the function that restores the
 * previous formatter.
 */
function cheapCaptureStackTraces(): () => void {
    const previous = Error.prepareStackTrace;
    Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
        if (error instanceof Error && error.constructor === Error && error.message === "") return "Error";
        if (previous) return previous(error, frames);
        return `${String(error)}${frames.map(frame => `\n    at ${frame}`).join("")}`;
    };
    return () => { Error.prepareStackTrace = previous; };
}

/** Resolves a module from the program directory (and its parents), then the fallbacks. */
function resolveFrom(programDir: string, moduleName: string, fallbacks: string[] = []): string {
    for (const dir of [programDir, ...fallbacks, __dirname]) {
        try {
            return require.resolve(moduleName, { paths: [dir] });
        } catch { /* next */ }
    }
    throw new ProgramRunError(`Cannot resolve ${moduleName} from ${programDir}: run \`npm install\` in the program directory.`);
}

/** Stack outputs as plain JSON-able data (Outputs already resolved by the stack resource). */
function plain(value: unknown): Record<string, unknown> {
    try {
        return JSON.parse(JSON.stringify(value ?? {}));
    } catch {
        return {};
    }
}
