/**
 * The walk over a command: shell text (CMD-SHELL, `sh -c`, `$(…)`) → and-or lists → pipelines →
 * simple commands → one argv, handed to the analyzer of its tool (`tools/`). Script and argv
 * analysis recurse into each other (`sh -c '…'`, `exec …`), so they live in one file.
 */
import { type Pipeline, parseShellScript } from "../shell-parser";
import { addUrlTargets } from "./targets";
import { analyzeCurl } from "./tools/curl";
import { analyzeGrpcProbe } from "./tools/grpc-health-probe";
import { analyzeInlineCode } from "./tools/inline-code";
import { analyzeNetcat } from "./tools/netcat";
import { analyzeWget } from "./tools/wget";
import { type Facts, MAX_NESTING, type Verdict } from "./types";

const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"]);

/** Analyses shell text (CMD-SHELL, `sh -c`, `$(…)`), adding to `facts`; returns its exit-status verdict. */
export function analyzeScript(script: string, depth: number, facts: Facts): Verdict {
    if (depth > MAX_NESTING) return "unknown";
    const { lists, controlFlow } = parseShellScript(script);
    const verdicts: { verdict: Verdict; text: string; masks: string[] }[] = [];
    let errexit = false;
    for (const list of lists) {
        let acc: Verdict | undefined;
        const masks: string[] = [];
        list.pipelines.forEach((pipeline, index) => {
            const verdict = pipelineVerdict(pipeline, depth, facts, masks);
            if (acc === undefined) {
                acc = verdict;
                return;
            }
            const op = list.operators[index - 1];
            if (op === "||" && verdict === "always-ok") masks.push(`|| ${pipelineText(pipeline)}`);
            acc =
                op === "&&"
                    ? both(acc, verdict === "passthrough" ? "always-ok" : verdict)
                    : either(acc, verdict === "passthrough" ? "always-fail" : verdict);
        });
        if (list.pipelines.some((p) => p.commands.some((c) => isErrexit(c.words.map((w) => w.text))))) errexit = true;
        verdicts.push({ verdict: acc ?? "always-ok", text: list.text.join(" "), masks });
    }
    if (verdicts.length === 0) return "always-ok";
    if (controlFlow) return "unknown";
    if (errexit) {
        for (const v of verdicts) facts.masks.push(...v.masks);
        return verdicts.reduce<Verdict>((acc, v) => both(acc, v.verdict === "passthrough" ? "always-ok" : v.verdict), "always-ok");
    }
    // Without `set -e` only the last list decides; a bare `exit` hands on the status before it.
    let last = verdicts.length - 1;
    while (last > 0 && verdicts[last].verdict === "passthrough") last--;
    const decisive = verdicts[last];
    facts.masks.push(...decisive.masks);
    if (decisive.verdict === "always-ok" && last > 0) facts.masks.push(`; ${decisive.text}`);
    return decisive.verdict === "passthrough" ? "unknown" : decisive.verdict;
}

function pipelineText(pipeline: Pipeline): string {
    return pipeline.commands.map((c) => c.words.map((w) => w.text).join(" ")).join(" | ");
}

function isErrexit(words: string[]): boolean {
    if (words[0] !== "set") return false;
    return words.some((w, i) => /^-[a-z]*e[a-z]*$/.test(w) || (w === "-o" && words[i + 1] === "errexit"));
}

/** Programs that pass their input on and exit 0: after a `|` they hide the status before them. */
const PIPE_SINKS = new Set(["cat", "head", "tail", "tee", "wc", "sort", "uniq", "tr", "cut", "sed", "awk"]);

function pipelineVerdict(pipeline: Pipeline, depth: number, facts: Facts, masks: string[]): Verdict {
    let verdict: Verdict = "always-ok";
    pipeline.commands.forEach((command, index) => {
        const words = command.words.map((w) => w.text);
        const own = analyzeWords(words, depth, facts);
        // Programs and URLs inside $(…) count; their exit status and masks do not decide the command's.
        const masksBefore = facts.masks.length;
        for (const word of command.words) for (const inner of word.substitutions) analyzeScript(inner, depth + 1, facts);
        facts.masks.length = masksBefore;
        // Without `pipefail` (sh has none) the last command's status is the pipeline's.
        const sink = index > 0 && PIPE_SINKS.has(baseName(firstProgramWord(words) ?? ""));
        if (sink && verdict !== "always-ok") masks.push(`| ${words.join(" ")}`);
        verdict = sink ? "always-ok" : own;
    });
    if (!pipeline.negated) return verdict;
    return verdict === "always-ok" ? "always-fail" : verdict === "always-fail" ? "always-ok" : "unknown";
}

/** a && b: fails when either fails. */
function both(a: Verdict, b: Verdict): Verdict {
    if (a === "always-fail" || b === "always-fail") return "always-fail";
    if (a === "fails" || b === "fails") return "fails";
    if (a === "unknown" || b === "unknown" || a === "passthrough" || b === "passthrough") return "unknown";
    if (a === "passes" || b === "passes") return "passes";
    return "always-ok";
}

/** a || b: fails only when both fail. */
function either(a: Verdict, b: Verdict): Verdict {
    if (a === "always-ok" || b === "always-ok") return "always-ok";
    if (b === "always-fail") return a;
    if (a === "always-fail") return b;
    if (a === "passes" || b === "passes") return "passes";
    if (a === "fails" && b === "fails") return "fails";
    return "unknown";
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Shell builtins with a fixed status; they need no program in the image. */
const ALWAYS_OK_BUILTINS = new Set([
    "true",
    ":",
    "echo",
    "printf",
    "set",
    "export",
    "unset",
    "local",
    "trap",
    "alias",
    "umask",
    "readonly",
]);
/** Builtins (and test) whose status we cannot judge; they need no program either. */
const UNKNOWN_BUILTINS = new Set([
    "test",
    "[",
    "[[",
    "cd",
    "read",
    "shift",
    "wait",
    "type",
    "hash",
    ".",
    "source",
    "eval",
    "let",
    "getopts",
    "ulimit",
]);

function firstProgramWord(words: string[]): string | undefined {
    return words.find((w) => !ASSIGNMENT.test(w));
}

function baseName(path: string): string {
    return path.slice(path.lastIndexOf("/") + 1);
}

function addTool(facts: Facts, executable: string): string {
    const tool = canonicalTool(executable);
    if (tool !== "") facts.tools.add(tool);
    facts.executables.add(executable);
    return tool;
}

function canonicalTool(executable: string): string {
    const base = baseName(executable);
    return /^python3\.\d+$/.test(base) ? "python3" : base;
}

/** Analyses one argv (already split: exec form, or a simple command of a script). */
export function analyzeWords(allWords: string[], depth: number, facts: Facts): Verdict {
    const start = allWords.findIndex((w) => !ASSIGNMENT.test(w));
    if (start < 0) return "always-ok";
    const words = allWords.slice(start);
    const head = words[0];
    const args = words.slice(1);
    switch (head) {
        case "exit":
        case "return":
            return exitVerdict(args[0]);
        case "false":
            return "always-fail";
        case "exec":
        case "builtin":
            return analyzeWords(args, depth, facts);
        case "command":
            // `command -v curl` only looks a program up; `command curl …` runs it.
            if (args[0] === "-v" || args[0] === "-V") return "unknown";
            return analyzeWords(args[0] === "-p" ? args.slice(1) : args, depth, facts);
    }
    if (ALWAYS_OK_BUILTINS.has(head)) return "always-ok";
    if (UNKNOWN_BUILTINS.has(head)) return "unknown";
    if (head === "") return "unknown";

    const tool = addTool(facts, head);
    switch (tool) {
        case "timeout":
            return analyzeWords(skipTimeoutPrefix(args), depth, facts);
        case "env":
            return analyzeWords(skipEnvPrefix(args), depth, facts);
        case "busybox":
            return args.length > 0 ? analyzeWords(args, depth, facts) : "unknown";
        case "curl":
            return analyzeCurl(args, facts);
        case "wget":
            return analyzeWget(args, facts);
        case "nc":
        case "ncat":
        case "netcat":
            return analyzeNetcat(tool, args, facts);
        case "grpc_health_probe":
            return analyzeGrpcProbe(args, facts);
    }
    if (SHELLS.has(tool)) {
        facts.needsShell = true;
        const script = shellScriptArgument(args);
        return script === undefined ? "unknown" : analyzeScript(script, depth + 1, facts);
    }
    if (tool === "node" || tool === "nodejs" || tool === "bun" || tool === "deno")
        return analyzeInlineCode("node", tool, args, ["-e", "--eval", "-p", "--print"], facts);
    if (/^python[23]?$/.test(tool)) return analyzeInlineCode("python", tool, args, ["-c"], facts);
    if (tool === "php") return analyzeInlineCode("other", tool, args, ["-r"], facts);
    if (tool === "ruby" || tool === "perl") return analyzeInlineCode("other", tool, args, ["-e"], facts);
    // Any other program: note the URLs it is given, but we cannot tell how it reports errors.
    for (const arg of args) addUrlTargets(tool, arg, facts);
    return "unknown";
}

function exitVerdict(status: string | undefined): Verdict {
    if (status === undefined || status === "$?") return "passthrough";
    if (/^\d+$/.test(status)) return Number(status) % 256 === 0 ? "always-ok" : "always-fail";
    return "unknown";
}

function skipTimeoutPrefix(args: string[]): string[] {
    let i = 0;
    while (i < args.length && args[i].startsWith("-")) i += ["-s", "-k", "--signal", "--kill-after"].includes(args[i]) ? 2 : 1;
    return args.slice(i + 1); // the duration
}

function skipEnvPrefix(args: string[]): string[] {
    let i = 0;
    while (i < args.length && (args[i].startsWith("-") || ASSIGNMENT.test(args[i])))
        i += ["-u", "--unset", "-C", "--chdir", "-S"].includes(args[i]) ? 2 : 1;
    return args.slice(i);
}

/** The script of `sh -c 'script'` (flags may be combined, as in `sh -ec`). */
function shellScriptArgument(args: string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (!arg.startsWith("-") || arg === "-" || arg === "--") return undefined;
        if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg)) return args[i + 1];
        if (arg === "-o") i++;
    }
    return undefined;
}
