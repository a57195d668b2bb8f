/**
 * Dockerfile analysis: which probe tools and which shell the image built from a Dockerfile has,
 * so a container health check can be checked against the image before it is deployed.
 *
 * We follow the FINAL stage back through `FROM <stage>` references to the external base image,
 * start from what that image ships (see `base-images`), then replay the chain's instructions:
 * package installs and removals, binaries copied in, shell-form RUN lines (which prove a shell).
 * Anything we cannot decide stays `"unknown"`: an image we do not know, a package installed
 * through a variable, a build arg without a default.
 *
 * Pure: no Pulumi, no I/O, never throws (odd input yields an empty analysis with warnings).
 */
import { type ToolPresence, TRACKED_TOOLS, canonicalToolName, toolsInImage } from "./base-images";
import { shellSimpleCommands } from "./probe-analysis";

/** One instruction, after joining continuation lines and removing comments. */
export interface DockerInstruction {
    /** Upper-case keyword: `FROM`, `RUN`, `COPY`, … */
    keyword: string;
    /** Everything after the keyword, flags included, continuations joined. */
    args: string;
    /** 1-based line of the keyword. */
    line: number;
    /** Bodies of heredocs (`RUN <<EOF … EOF`). */
    heredocs: string[];
}

export interface DockerStage {
    index: number;
    /** The `AS` name, lower case (stage names are case-insensitive). */
    name?: string;
    /** The base as written, build args substituted where known. */
    from: string;
    /** Index of the earlier stage `from` refers to, when it does. */
    fromStage?: number;
    platform?: string;
    line: number;
    /** The instructions after this stage's FROM. */
    instructions: DockerInstruction[];
}

/** A Dockerfile `HEALTHCHECK` (ECS ignores it; reported so it can be moved into the task definition). */
export interface DockerfileHealthcheck {
    /** In ECS form: `["CMD", …]`, `["CMD-SHELL", "…"]` or `["NONE"]`. */
    command: string[];
    /** Seconds, from `--interval`, `--timeout`, `--start-period`; count from `--retries`. */
    interval?: number;
    timeout?: number;
    startPeriod?: number;
    retries?: number;
    line: number;
}

export type ShellPresence = "present" | "absent" | "unknown";

/**
 * A `CMD` or `ENTRYPOINT` as written: the exec (JSON) form runs its argv directly; the shell form
 * runs through the stage's `SHELL` (default `/bin/sh -c`), which then becomes PID 1.
 */
export type DockerProcessSpec =
    { form: "exec"; argv: string[]; line: number } | { form: "shell"; text: string; shell: string[]; line: number };

/** What {@link analyzeDockerfile} found. */
export interface DockerfileAnalysis {
    /** Parser directives at the top (`syntax`, `escape`, `check`), lower-case keys. */
    directives: Record<string, string>;
    stages: DockerStage[];
    /** Stage indexes from the final stage back to the one whose base is an external image. */
    chain: number[];
    /** The external image the final stage is built on (`scratch` included); `undefined` without a FROM. */
    finalBase?: string;
    /** Every tracked tool plus any other tool installed, by name. */
    tools: Record<string, ToolPresence>;
    /** `/bin/sh`, which `CMD-SHELL` health checks need. */
    shell: ShellPresence;
    shellEvidence: string;
    /** The HEALTHCHECK the final image inherits, for information. */
    healthcheck?: DockerfileHealthcheck;
    /** `EXPOSE`d ports of the final chain (numeric ones only). */
    exposedPorts: number[];
    /**
     * The final image's `ENTRYPOINT` and `CMD` as set by this Dockerfile's chain; `undefined` when
     * the chain sets none (the external base image's then apply). An `ENTRYPOINT` resets a `CMD` set
     * before it, as Docker does (`cmdResetByEntrypoint`).
     */
    entrypoint?: DockerProcessSpec;
    cmd?: DockerProcessSpec;
    /** True when the chain sets an ENTRYPOINT after (or without) a CMD, so the base image's CMD no longer applies. */
    cmdResetByEntrypoint?: boolean;
    /** `STOPSIGNAL` of the final chain, upper case as written. */
    stopSignal?: string;
    /** What could not be resolved (build args without defaults, unknown stages, …). */
    warnings: string[];
}

export interface DockerfileOptions {
    /** `--build-arg` values; they override the defaults of global ARGs. */
    buildArgs?: Record<string, string>;
}

const KNOWN_DIRECTIVES = new Set(["syntax", "escape", "check"]);

/** Inputs longer than this are analysed only up to this length. */
const MAX_DOCKERFILE_CHARS = 1_000_000;

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

interface ParsedDockerfile {
    directives: Record<string, string>;
    instructions: DockerInstruction[];
}

/**
 * Splits Dockerfile text into instructions: parser directives (only at the very top), comments,
 * line continuations with the escape character (`\` or the `escape` directive's), and heredocs.
 */
export function parseDockerfileInstructions(text: unknown): ParsedDockerfile {
    const directives: Record<string, string> = {};
    const instructions: DockerInstruction[] = [];
    if (typeof text !== "string") return { directives, instructions };
    const lines = (text.length > MAX_DOCKERFILE_CHARS ? text.slice(0, MAX_DOCKERFILE_CHARS) : text).replace(/^\uFEFF/, "").split(/\r?\n/);

    // Directives must come first: the first other line (blank, plain comment, unknown directive,
    // repeated directive or instruction) ends them.
    let i = 0;
    for (; i < lines.length; i++) {
        const match = /^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$/.exec(lines[i]);
        const name = match?.[1].toLowerCase();
        if (!match || name === undefined || !KNOWN_DIRECTIVES.has(name) || directives[name] !== undefined) break;
        directives[name] = match[2];
    }
    const escape = directives.escape === "`" ? "`" : "\\";
    const continuation = new RegExp(`${escape === "`" ? "`" : "\\\\"}\\s*$`);

    while (i < lines.length) {
        const first = lines[i];
        if (/^\s*(#|$)/.test(first)) {
            i++;
            continue;
        }
        const startLine = i + 1;
        let logical = "";
        let current = first;
        // Join continuation lines; comment lines inside a continuation are dropped (as Docker does).
        while (continuation.test(current) && i + 1 < lines.length) {
            logical += current.replace(continuation, "");
            i++;
            while (i < lines.length && /^\s*(#.*)?$/.test(lines[i]) && i + 1 < lines.length) i++;
            current = lines[i];
        }
        logical += continuation.test(current) ? current.replace(continuation, "") : current;
        i++;
        const match = /^\s*([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(logical);
        if (!match) continue;
        const keyword = match[1].toUpperCase();
        const args = (match[2] ?? "").trim();
        const heredocs: string[] = [];
        if (["RUN", "COPY", "ADD"].includes(keyword)) {
            const markers = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
            let marker: RegExpExecArray | null;
            while ((marker = markers.exec(args)) !== null && heredocs.length < 16) {
                const stripTabs = marker[1] === "-";
                const delimiter = marker[3];
                const body: string[] = [];
                while (i < lines.length) {
                    const raw = lines[i++];
                    const candidate = stripTabs ? raw.replace(/^\t+/, "") : raw;
                    if (candidate === delimiter) break;
                    body.push(candidate);
                }
                heredocs.push(body.join("\n"));
            }
        }
        instructions.push({ keyword, args, line: startLine, heredocs });
    }
    return { directives, instructions };
}

/** Replaces `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}` from `vars`; unknown variables stay as written. */
function substitute(text: string, vars: Map<string, string>, unresolved: Set<string>): string {
    return text.replace(
        /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
        (whole, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
            const name = (braced ?? bare)!;
            const value = vars.get(name);
            if (op === "-") return value !== undefined && value !== "" ? value : (word ?? "");
            if (op === "+") return value !== undefined && value !== "" ? (word ?? "") : "";
            if (value !== undefined) return value;
            unresolved.add(name);
            return whole;
        },
    );
}

/** Leading `--name=value` / `--name` flags of an instruction, and the rest. */
function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
    const flags: Record<string, string> = {};
    let rest = args;
    for (;;) {
        const match = /^--([A-Za-z][A-Za-z0-9-]*)(?:=("[^"]*"|'[^']*'|\S*))?\s*/.exec(rest);
        if (!match) break;
        flags[match[1].toLowerCase()] = (match[2] ?? "").replace(/^["']|["']$/g, "");
        rest = rest.slice(match[0].length);
    }
    return { flags, rest };
}

/** `["a", "b"]` (the JSON/exec form) → its strings; `undefined` when the text is not a JSON string array. */
function jsonForm(text: string): string[] | undefined {
    if (!text.trim().startsWith("[")) return undefined;
    try {
        const value: unknown = JSON.parse(text);
        return Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : undefined;
    } catch {
        return undefined;
    }
}

/** `ARG A=1 B="two" C` → [[A, "1"], [B, "two"], [C, undefined]]. */
function parseArgInstruction(args: string): [string, string | undefined][] {
    const out: [string, string | undefined][] = [];
    const pattern = /([A-Za-z_][A-Za-z0-9_]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(args)) !== null) {
        const raw = match[2];
        out.push([match[1], raw === undefined ? undefined : raw.replace(/^"([\s\S]*)"$|^'([\s\S]*)'$/, (_, d, s) => d ?? s)]);
        if (match[0] === "") pattern.lastIndex++;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Analysis
// ---------------------------------------------------------------------------------------------

/**
 * Parses a Dockerfile and decides which tools the final image has. See {@link DockerfileAnalysis}.
 * Never throws: non-string input or a Dockerfile without FROM gives an analysis with warnings
 * and every tool unknown.
 */
export function analyzeDockerfile(text: unknown, options: DockerfileOptions = {}): DockerfileAnalysis {
    try {
        return analyzeUnchecked(text, options);
    } catch (error) {
        const analysis = emptyAnalysis({});
        analysis.warnings.push(`The Dockerfile could not be analysed: ${error instanceof Error ? error.message : typeof error}.`);
        return analysis;
    }
}

function emptyAnalysis(directives: Record<string, string>): DockerfileAnalysis {
    const tools: Record<string, ToolPresence> = {};
    for (const tool of TRACKED_TOOLS) tools[tool] = { present: "unknown", evidence: "no base image found" };
    return {
        directives,
        stages: [],
        chain: [],
        tools,
        shell: "unknown",
        shellEvidence: "no base image found",
        exposedPorts: [],
        warnings: [],
    };
}

function analyzeUnchecked(text: unknown, options: DockerfileOptions): DockerfileAnalysis {
    const { directives, instructions } = parseDockerfileInstructions(text);
    const analysis = emptyAnalysis(directives);
    if (typeof text !== "string") {
        analysis.warnings.push(`Expected Dockerfile text, got ${text === null ? "null" : typeof text}.`);
        return analysis;
    }
    const stages = buildStages(instructions, options, analysis.warnings);
    analysis.stages = stages;
    if (stages.length === 0) {
        analysis.warnings.push("The Dockerfile has no FROM instruction.");
        return analysis;
    }
    // Final stage → its parents, until a stage built on an external image.
    const chain: number[] = [];
    let index: number | undefined = stages.length - 1;
    while (index !== undefined && !chain.includes(index)) {
        chain.push(index);
        index = stages[index].fromStage;
    }
    analysis.chain = chain;
    const root = stages[chain[chain.length - 1]];
    analysis.finalBase = root.from;

    const base = toolsInImage(root.from);
    const tools: Record<string, ToolPresence> = {};
    for (const [name, presence] of Object.entries(base.tools))
        tools[name] = { ...presence, evidence: `base image ${root.from}: ${presence.evidence}` };
    if (root.from.includes("$") && base.family === undefined)
        analysis.warnings.push(`The base image "${root.from}" uses a build arg without a default; its tools are unknown.`);

    const state: ChainState = { tools, shellProgram: "/bin/sh", virtualPackages: new Map(), stagesByName: stageNames(stages) };
    const ordered = [...chain].reverse();
    for (const stageIndex of ordered) {
        for (const instruction of stages[stageIndex].instructions) applyInstruction(instruction, state, analysis);
    }
    analysis.tools = tools;
    const sh = tools.sh;
    analysis.shell = sh.present === true ? "present" : sh.present === false ? "absent" : "unknown";
    analysis.shellEvidence = sh.evidence;
    return analysis;
}

function stageNames(stages: DockerStage[]): Map<string, number> {
    const names = new Map<string, number>();
    for (const stage of stages) if (stage.name !== undefined) names.set(stage.name, stage.index);
    return names;
}

/** Groups instructions by FROM, resolving global ARGs in FROM lines and references to earlier stages. */
function buildStages(instructions: DockerInstruction[], options: DockerfileOptions, warnings: string[]): DockerStage[] {
    const globalArgs = new Map<string, string>();
    const buildArgs = options.buildArgs && typeof options.buildArgs === "object" ? options.buildArgs : {};
    const stages: DockerStage[] = [];
    const names = new Map<string, number>();
    for (const instruction of instructions) {
        if (instruction.keyword === "ARG" && stages.length === 0) {
            for (const [name, value] of parseArgInstruction(instruction.args)) {
                const given = Object.prototype.hasOwnProperty.call(buildArgs, name) ? buildArgs[name] : undefined;
                const resolved = typeof given === "string" ? given : value;
                if (resolved !== undefined) globalArgs.set(name, substitute(resolved, globalArgs, new Set()));
            }
            continue;
        }
        if (instruction.keyword !== "FROM") {
            if (stages.length > 0) stages[stages.length - 1].instructions.push(instruction);
            continue;
        }
        const { flags, rest } = splitFlags(instruction.args);
        const unresolved = new Set<string>();
        const words = substitute(rest, globalArgs, unresolved).split(/\s+/).filter(Boolean);
        const from = words[0] ?? "";
        const name = words.length >= 3 && words[1].toLowerCase() === "as" ? words[2].toLowerCase() : undefined;
        for (const variable of unresolved)
            warnings.push(`FROM on line ${instruction.line} uses \`$${variable}\`, which has no default (pass it as a build arg).`);
        const stage: DockerStage = { index: stages.length, from, line: instruction.line, instructions: [] };
        if (name !== undefined) stage.name = name;
        if (flags.platform !== undefined) stage.platform = flags.platform;
        const referenced = names.get(from.toLowerCase());
        if (referenced !== undefined) stage.fromStage = referenced;
        stages.push(stage);
        if (name !== undefined) names.set(name, stage.index);
    }
    return stages;
}

interface ChainState {
    tools: Record<string, ToolPresence>;
    /** The shell RUN's shell form uses (`SHELL [...]` changes it). */
    shellProgram: string;
    /** The whole `SHELL [...]` argv, when the Dockerfile sets one (shell-form CMD/ENTRYPOINT run through it). */
    shellArgv?: string[];
    /** `apk add --virtual .build-deps curl …` groups, so `apk del .build-deps` removes curl again. */
    virtualPackages: Map<string, string[]>;
    stagesByName: Map<string, number>;
}

function setTool(state: ChainState, tool: string, present: boolean, evidence: string, path?: string): void {
    const presence: ToolPresence = { present, evidence };
    if (path !== undefined && present) presence.path = path;
    state.tools[tool] = presence;
}

function applyInstruction(instruction: DockerInstruction, state: ChainState, analysis: DockerfileAnalysis): void {
    const where = `line ${instruction.line}`;
    switch (instruction.keyword) {
        case "SHELL": {
            const argv = jsonForm(instruction.args);
            if (argv?.[0] !== undefined) {
                state.shellProgram = argv[0];
                state.shellArgv = argv;
            }
            return;
        }
        case "RUN": {
            const { rest } = splitFlags(instruction.args);
            const exec = jsonForm(rest);
            if (exec) {
                applyCommand(exec, state, where);
                return;
            }
            // A shell-form RUN only builds if its shell exists, so it proves that shell.
            const shellTool = canonicalToolName(state.shellProgram);
            if (shellTool === "sh" || shellTool === "bash")
                setTool(state, shellTool, true, `shell-form RUN on ${where} runs through ${state.shellProgram}`);
            const script = rest.replace(/<<-?(["']?)[A-Za-z_][A-Za-z0-9_]*\1/g, "").trim();
            const scripts = script === "" ? instruction.heredocs : [script, ...(/^(ba)?sh\b/.test(script) ? instruction.heredocs : [])];
            for (const body of scripts) for (const words of shellSimpleCommands(body)) applyCommand(words, state, where);
            return;
        }
        case "COPY":
        case "ADD":
            applyCopy(instruction, state, where);
            return;
        case "HEALTHCHECK": {
            const healthcheck = parseHealthcheck(instruction);
            if (healthcheck) analysis.healthcheck = healthcheck;
            return;
        }
        case "CMD":
        case "ENTRYPOINT": {
            const exec = jsonForm(instruction.args);
            const spec: DockerProcessSpec = exec
                ? { form: "exec", argv: exec, line: instruction.line }
                : { form: "shell", text: instruction.args, shell: state.shellArgv ?? ["/bin/sh", "-c"], line: instruction.line };
            if (instruction.keyword === "CMD") analysis.cmd = spec;
            else {
                analysis.entrypoint = spec;
                delete analysis.cmd;
                analysis.cmdResetByEntrypoint = true;
            }
            return;
        }
        case "STOPSIGNAL":
            analysis.stopSignal = instruction.args.trim().toUpperCase();
            return;
        case "EXPOSE":
            for (const word of instruction.args.split(/\s+/)) {
                const match = /^(\d{1,5})(\/(tcp|udp|sctp))?$/i.exec(word);
                if (match && Number(match[1]) <= 65535 && !analysis.exposedPorts.includes(Number(match[1])))
                    analysis.exposedPorts.push(Number(match[1]));
            }
            return;
    }
}

// ---------------------------------------------------------------------------------------------
// RUN: package managers, removals, downloaded binaries
// ---------------------------------------------------------------------------------------------

/** Package names → the tool they put on PATH (Debian, Alpine, RHEL/Fedora names). */
function toolsOfPackage(rawPackage: string): string[] {
    const name = rawPackage
        .toLowerCase()
        .replace(/[=<>~].*$/, "")
        .replace(/:(amd64|arm64|i386|armhf)$/, "");
    if (name === "curl" || name === "curl-minimal") return ["curl"];
    if (name === "wget" || name === "wget2-wget") return ["wget"];
    if (name === "bash") return ["bash"];
    if (name === "busybox" || name === "busybox-static") return ["busybox"];
    if (/^(netcat|netcat-openbsd|netcat-traditional|openbsd-netcat|nmap-ncat)$/.test(name)) return ["nc"];
    if (name === "ncat") return ["ncat"];
    if (name === "nodejs" || name === "nodejs-current") return ["node"];
    if (/^python3(\.\d+)?(-minimal)?$/.test(name) || name === "python3-pip" || name === "py3-pip") return ["python3"];
    if (name === "python-is-python3") return ["python"];
    if (
        /^(openjdk-\d+-(jre|jdk)(-headless)?|default-(jre|jdk)(-headless)?|java-[\d.]+-openjdk(-headless|-devel)?|openjdk\d+(-jre|-jdk)?(-headless)?)$/.test(
            name,
        )
    )
        return ["java"];
    if (/^php(\d+(\.\d+)?)?(-cli)?$/.test(name)) return ["php"];
    if (name === "ruby") return ["ruby"];
    return [];
}

/** Skips `sudo`, `env`, `VAR=x` and friends to the program actually run. */
function programWords(words: string[]): string[] {
    let i = 0;
    while (
        i < words.length &&
        (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]) || ["sudo", "env", "exec", "command", "nice", "nohup"].includes(words[i]))
    )
        i++;
    return words.slice(i);
}

function applyCommand(allWords: string[], state: ChainState, where: string): void {
    const words = programWords(allWords);
    if (words.length === 0) return;
    const program = canonicalToolName(words[0]);
    const args = words.slice(1);
    const change = packageChange(program, args, state);
    if (change) {
        for (const pkg of change.packages) {
            for (const tool of toolsOfPackage(pkg)) {
                setTool(
                    state,
                    tool,
                    change.install,
                    `${change.install ? "installed" : "removed"} by \`${program} ${change.verb} ${pkg}\` (${where})`,
                );
            }
        }
        return;
    }
    if (program === "rm") {
        for (const arg of args) {
            const removed = binaryInPath(arg);
            if (removed) setTool(state, removed, false, `\`rm ${arg}\` (${where})`);
        }
        return;
    }
    // Downloads and copies of a single binary: `curl -o /usr/local/bin/grpc_health_probe …`,
    // `cp … /bin/curl`, `ln -s /usr/bin/python3 /usr/bin/python`, `chmod +x /bin/grpc_health_probe`.
    if (["curl", "wget", "cp", "mv", "install", "ln", "chmod"].includes(program)) {
        const target =
            program === "ln" || program === "cp" || program === "mv" || program === "install"
                ? args.filter((a) => !a.startsWith("-")).slice(-1)
                : args;
        for (const arg of target) {
            // `-o /path` is two arguments (both scanned); `-qO/path` and `--output=/path` glue the path on.
            const path = arg.replace(/^-[A-Za-z]*[oO](?=\/)/, "").replace(/^--output(-document)?=/, "");
            const added = binaryInPath(path);
            if (added) setTool(state, added, true, `\`${program} … ${path}\` (${where})`, path);
        }
    }
}

/** `/usr/local/bin/curl` → `curl` when it is a tool we track or a well-known probe program. */
function binaryInPath(path: string): string | undefined {
    const match = /^(?:\/usr)?(?:\/local)?\/s?bin\/([A-Za-z0-9_.+-]+)$/.exec(path);
    if (!match) return undefined;
    const tool = canonicalToolName(match[1]);
    return (TRACKED_TOOLS as readonly string[]).includes(tool) || ["ncat", "php", "ruby"].includes(tool) ? tool : undefined;
}

interface PackageChange {
    install: boolean;
    verb: string;
    packages: string[];
}

const APT_OPTIONS_WITH_VALUE = new Set(["-o", "-t", "-c", "--target-release", "--option", "--config-file"]);
const APK_OPTIONS_WITH_VALUE = new Set(["-t", "--virtual", "-X", "--repository", "--arch", "--root", "-p", "--cache-dir", "--keys-dir"]);
const RPM_OPTIONS_WITH_VALUE = new Set(["--setopt", "--enablerepo", "--disablerepo", "--releasever", "--installroot", "-c", "--config"]);

/** Reads `apt-get install`, `apk add/del`, `yum/dnf/microdnf/tdnf install/remove`, `zypper in/rm`. */
function packageChange(program: string, args: string[], state: ChainState): PackageChange | undefined {
    let withValue: Set<string>;
    let installVerbs: string[];
    let removeVerbs: string[];
    if (program === "apt-get" || program === "apt" || program === "aptitude") {
        withValue = APT_OPTIONS_WITH_VALUE;
        installVerbs = ["install"];
        removeVerbs = ["remove", "purge"];
    } else if (program === "apk") {
        withValue = APK_OPTIONS_WITH_VALUE;
        installVerbs = ["add"];
        removeVerbs = ["del"];
    } else if (["yum", "dnf", "microdnf", "tdnf"].includes(program)) {
        withValue = RPM_OPTIONS_WITH_VALUE;
        installVerbs = ["install"];
        removeVerbs = ["remove", "erase"];
    } else if (program === "zypper") {
        withValue = new Set(["-r", "--repo"]);
        installVerbs = ["install", "in"];
        removeVerbs = ["remove", "rm"];
    } else {
        return undefined;
    }
    let verb: string | undefined;
    let virtual: string | undefined;
    const packages: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg.startsWith("-")) {
            if (program === "apk" && (arg === "-t" || arg === "--virtual")) virtual = args[i + 1];
            if (program === "apk" && arg.startsWith("--virtual=")) virtual = arg.slice("--virtual=".length);
            if (withValue.has(arg)) i++;
            continue;
        }
        if (verb === undefined) {
            verb = arg;
            continue;
        }
        packages.push(arg);
    }
    if (verb === undefined) return undefined;
    if (installVerbs.includes(verb)) {
        if (virtual !== undefined) state.virtualPackages.set(virtual, packages);
        return { install: true, verb, packages };
    }
    if (removeVerbs.includes(verb)) {
        const expanded = packages.flatMap((p) => state.virtualPackages.get(p) ?? [p]);
        return { install: false, verb, packages: expanded };
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// COPY/ADD of binaries, HEALTHCHECK
// ---------------------------------------------------------------------------------------------

function applyCopy(instruction: DockerInstruction, state: ChainState, where: string): void {
    const { flags, rest } = splitFlags(instruction.args);
    const paths = jsonForm(rest) ?? rest.split(/\s+/).filter(Boolean);
    if (paths.length < 2) return;
    const sources = paths.slice(0, -1);
    const destination = paths[paths.length - 1];
    const origin =
        flags.from !== undefined ? ` from ${state.stagesByName.has(flags.from.toLowerCase()) ? `stage ${flags.from}` : flags.from}` : "";
    for (const source of sources) {
        // Count only binaries that land in a bin directory: `COPY --from=x /usr/bin/curl /usr/bin/`.
        const sourceTool = binaryInPath(source);
        const destinationTool = binaryInPath(destination);
        const destinationIsDirectory = destination.endsWith("/");
        const tool =
            destinationTool ?? (sourceTool && (destinationIsDirectory || /\/s?bin\/?$/.test(destination)) ? sourceTool : undefined);
        if (tool === undefined) continue;
        const path = destinationTool ? destination : `${destination.replace(/\/$/, "")}/${source.slice(source.lastIndexOf("/") + 1)}`;
        setTool(
            state,
            tool,
            true,
            `${instruction.keyword} ${source}${origin} → ${destination} (${where}; shared libraries it needs are not checked)`,
            path,
        );
    }
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go duration (`30s`, `1m30s`, `500ms`) → seconds; `undefined` when unreadable. */
function parseDuration(text: string): number | undefined {
    if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
    let seconds = 0;
    for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) seconds += Number(match[1]) * DURATION_UNITS[match[2]];
    return seconds;
}

function parseHealthcheck(instruction: DockerInstruction): DockerfileHealthcheck | undefined {
    const { flags, rest } = splitFlags(instruction.args);
    const line = instruction.line;
    if (/^none\s*$/i.test(rest)) return { command: ["NONE"], line };
    const match = /^cmd\s+([\s\S]*)$/i.exec(rest);
    if (!match) return undefined;
    const exec = jsonForm(match[1]);
    const healthcheck: DockerfileHealthcheck = { command: exec ? ["CMD", ...exec] : ["CMD-SHELL", match[1].trim()], line };
    const interval = flags.interval !== undefined ? parseDuration(flags.interval) : undefined;
    const timeout = flags.timeout !== undefined ? parseDuration(flags.timeout) : undefined;
    const startPeriod = flags["start-period"] !== undefined ? parseDuration(flags["start-period"]) : undefined;
    if (interval !== undefined) healthcheck.interval = interval;
    if (timeout !== undefined) healthcheck.timeout = timeout;
    if (startPeriod !== undefined) healthcheck.startPeriod = startPeriod;
    if (flags.retries !== undefined && /^\d+$/.test(flags.retries)) healthcheck.retries = Number(flags.retries);
    return healthcheck;
}
