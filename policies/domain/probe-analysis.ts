/**
 * Container probe commands of ANY program: what they run, whether they can fail on an HTTP error,
 * and which endpoint they request. (Generating our own probe commands is probe-command.ts.)
 */
// ---------------------------------------------------------------------------------------------
// Analysis of any program's probe command
// ---------------------------------------------------------------------------------------------
//
// Policies and the doctor meet commands we did not write: `["CMD-SHELL", "curl http://localhost/ || exit 1"]`,
// `["CMD", "wget", …]`, plain strings, values still unknown during a preview. The analyzer reads
// them as ECS does (exec form runs argv directly; CMD-SHELL runs `/bin/sh -c`) and reports what
// matters for a liveness probe: which programs must exist in the image, whether an HTTP error makes
// the command fail, and which endpoint it requests. It never throws: anything it cannot read
// becomes "invalid"/"unknown" instead.

/** The value Pulumi's engine uses for an output that is not known yet (preview). */
export const PULUMI_UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** How ECS runs the command: `CMD` exec form, `CMD-SHELL` through `/bin/sh -c`, `NONE` disables. */
export type ProbeCommandForm = "CMD" | "CMD-SHELL" | "NONE" | "invalid" | "unknown";

/** Stable identifiers of probe problems (policies and docs cite them; never reuse one). */
export type ProbeProblemId =
    | "command-not-a-list"
    | "command-invalid"
    | "command-empty"
    | "non-string-element"
    | "unknown-command-form"
    | "missing-executable"
    | "exec-form-single-string"
    | "shell-syntax-in-exec-form"
    | "health-check-disabled"
    | "curl-without-fail"
    | "failure-masked"
    | "always-healthy"
    | "always-unhealthy"
    | "port-check-only"
    | "remote-target"
    | "analysis-failed";

/** One thing wrong with a probe command, with the reason and the fix. */
export interface ProbeProblem {
    id: ProbeProblemId;
    message: string;
    fix: string;
}

/** An endpoint the command requests. */
export interface ProbeRequestTarget {
    /** The text as written (`http://localhost:8080/health`, `localhost:8080`, `:50051`). */
    raw: string;
    /** The program that requests it (`curl`, `wget`, `node`, `nc`, …). */
    tool: string;
    /** `http`/`https` for URLs; `undefined` for TCP (`nc`) and gRPC addresses. */
    scheme?: string;
    /** Lower-case host without brackets (`::1`); empty when none was written. */
    host: string;
    /** The port requested; for a URL without one, the scheme default. `undefined` when it is a shell variable or unreadable. */
    port?: number;
    /** Whether the port was written out (else it is the scheme default). */
    portExplicit: boolean;
    /** URL path without the query (`/` when the URL has none); `undefined` for TCP/gRPC targets. */
    path?: string;
    /** Query string without `?`, when present. */
    query?: string;
    /** Loopback (`localhost`, `127.x`, `0.0.0.0`, `::1`, unix socket) or not; `"unknown"` when the host is a shell variable. */
    local: boolean | "unknown";
}

/** What {@link analyzeProbeCommand} found. */
export interface ProbeCommandAnalysis {
    form: ProbeCommandForm;
    /** Whether the image needs `/bin/sh` (CMD-SHELL, or an exec form that runs `sh -c`). */
    needsShell: boolean;
    /** Programs the command runs, by base name (`/usr/bin/curl` → `curl`, `python3.12` → `python3`), in order, once each. */
    tools: string[];
    /** The same programs as written (`/nodejs/bin/node`), in order, once each. */
    executables: string[];
    /**
     * `true` when an HTTP error status (or no answer) makes the command exit non-zero; `false` when
     * the command succeeds anyway (`curl` without `-f`, `|| true`, `; exit 0`, a TCP-only check);
     * `"unknown"` when we cannot tell (a script file, control flow, an unknown program).
     */
    failsOnHttpErrors: boolean | "unknown";
    targets: ProbeRequestTarget[];
    problems: ProbeProblem[];
}

/** Verdict of one piece of a command: does it fail on HTTP errors, or is its status fixed? */
type Verdict = "fails" | "passes" | "unknown" | "always-ok" | "always-fail" | "passthrough";
/** Why a piece passes on HTTP errors (turned into problems when that decides the whole command). */
type PassReason = "curl-without-fail" | "port-check-only";

interface Facts {
    /** Insertion-ordered sets: a hostile script with thousands of commands stays linear. */
    tools: Set<string>;
    executables: Set<string>;
    targets: Map<string, ProbeRequestTarget>;
    passReasons: Set<PassReason>;
    /** Texts like `|| true` and `; exit 0` that force success in the part that decides the status. */
    masks: string[];
    needsShell: boolean;
}

/** Nested `$(…)`/`sh -c` deeper than this is not analysed (bounded work on hostile input). */
const MAX_NESTING = 4;
/** Scripts longer than this are analysed only up to this length. */
const MAX_SCRIPT_CHARS = 200_000;
/** At most this many targets are kept (real probes request one or two). */
const MAX_TARGETS = 64;
const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"]);

/**
 * Analyses an ECS `healthCheck.command` from any program: `["CMD", exe, …args]`,
 * `["CMD-SHELL", "…"]`, `["NONE"]`, a plain string (read as shell text, reported as not a list),
 * or anything else. Never throws.
 */
export function analyzeProbeCommand(command: unknown): ProbeCommandAnalysis {
    try {
        return analyzeUnchecked(command);
    } catch (error) {
        // Policy packs hand us proxies that throw on unknown (preview) values; anything else is a bug
        // we prefer to report over crashing a policy run.
        if (error instanceof Error && error.name === "UnknownValueError") return emptyAnalysis("unknown", []);
        return emptyAnalysis("invalid", [{
            id: "analysis-failed",
            message: `The health check command could not be analysed (${error instanceof Error ? error.message : typeof error}).`,
            fix: "Use the exec form `[\"CMD\", \"curl\", \"-fsS\", \"http://localhost:PORT/health\"]`.",
        }]);
    }
}

function analyzeUnchecked(command: unknown): ProbeCommandAnalysis {
    if (command === undefined || command === PULUMI_UNKNOWN_SENTINEL) return emptyAnalysis("unknown", []);
    if (typeof command === "string") {
        const facts = newFacts();
        const verdict = analyzeScript(command, 0, facts);
        const problems: ProbeProblem[] = [{
            id: "command-not-a-list",
            message: "`healthCheck.command` is a string; ECS expects a list whose first element is `CMD`, `CMD-SHELL` or `NONE`.",
            fix: `Write \`["CMD-SHELL", ${quote(command)}]\`, or better the exec form \`["CMD", "curl", "-fsS", "http://localhost:PORT/health"]\`.`,
        }];
        return finish("invalid", true, facts, verdict, problems);
    }
    if (!Array.isArray(command)) {
        return emptyAnalysis("invalid", [{
            id: "command-invalid",
            message: `\`healthCheck.command\` is ${describeValue(command)}; ECS expects a list of strings.`,
            fix: "Use `[\"CMD\", \"curl\", \"-fsS\", \"http://localhost:PORT/health\"]` (exec form, needs no shell).",
        }]);
    }
    const items: unknown[] = Array.from(command as unknown[]);
    if (items.length === 0) {
        return emptyAnalysis("invalid", [{ id: "command-empty", message: "`healthCheck.command` is an empty list.", fix: "Start it with `CMD` and the program to run, e.g. `[\"CMD\", \"curl\", \"-fsS\", \"http://localhost:PORT/health\"]`." }]);
    }
    if (items.some(item => item === PULUMI_UNKNOWN_SENTINEL)) return emptyAnalysis("unknown", []);
    const problems: ProbeProblem[] = [];
    const nonStrings = items.filter(item => typeof item !== "string");
    if (nonStrings.length > 0) {
        problems.push({
            id: "non-string-element",
            message: `\`healthCheck.command\` contains ${nonStrings.map(describeValue).join(", ")}; every element must be a string.`,
            fix: "Write every argument as a string (`\"5\"`, not `5`).",
        });
    }
    const strings = items.filter((item): item is string => typeof item === "string");
    const head = typeof items[0] === "string" ? items[0] : undefined;
    const rest = strings.slice(head === undefined ? 0 : 1);
    const valid = nonStrings.length === 0;

    if (head === "NONE") {
        problems.push({
            id: "health-check-disabled",
            message: "`[\"NONE\"]` disables the container health check: ECS never learns that the app stopped answering.",
            fix: "Probe the app's liveness path, e.g. `[\"CMD\", \"curl\", \"-fsS\", \"http://localhost:PORT/health\"]`.",
        });
        return finish(valid ? "NONE" : "invalid", false, newFacts(), "always-ok", problems, { skipVerdictProblems: true });
    }
    if (head === "CMD-SHELL") {
        const script = rest.join(" ");
        if (script.trim() === "") {
            problems.push({ id: "missing-executable", message: "`CMD-SHELL` is not followed by a command.", fix: "Add the shell command as the second element, e.g. `[\"CMD-SHELL\", \"curl -fsS http://localhost:PORT/health\"]`." });
            return finish("invalid", true, newFacts(), "unknown", problems);
        }
        const facts = newFacts();
        const verdict = analyzeScript(script, 0, facts);
        return finish(valid ? "CMD-SHELL" : "invalid", true, facts, verdict, problems);
    }
    let form: ProbeCommandForm = valid ? "CMD" : "invalid";
    let argv = rest;
    if (head !== "CMD") {
        // Docker requires CMD, CMD-SHELL or NONE first; how ECS treats other values is not verified,
        // so report it and analyse the rest as an exec form (the likeliest intent).
        form = "invalid";
        argv = strings;
        problems.push({
            id: "unknown-command-form",
            message: `\`healthCheck.command\` starts with ${head === undefined ? "a non-string" : quote(head)}; the first element must be \`CMD\`, \`CMD-SHELL\` or \`NONE\`.`,
            fix: `Prefix the command with "CMD" (exec form)${argv.length > 0 ? `: \`${JSON.stringify(["CMD", ...argv.slice(0, 6)])}\`` : ""}.`,
        });
    }
    if (argv.length === 0 || argv[0].trim() === "") {
        problems.push({ id: "missing-executable", message: "The exec form names no program to run.", fix: "Add the program and its arguments, e.g. `[\"CMD\", \"curl\", \"-fsS\", \"http://localhost:PORT/health\"]`." });
        return finish("invalid", false, newFacts(), "unknown", problems);
    }
    if (/\s/.test(argv[0].trim())) {
        // Nothing runs: the runtime looks for a program with spaces in its name and fails every time.
        problems.push({
            id: "exec-form-single-string",
            message: `The exec form runs a program literally named ${quote(argv[0])}, which does not exist: arguments must be separate elements.`,
            fix: `Split it into elements (\`${JSON.stringify(["CMD", ...argv[0].trim().split(/\s+/).slice(0, 8)])}\`) or use \`["CMD-SHELL", ${quote(argv[0])}]\`.`,
        });
        const facts = newFacts();
        facts.executables.add(argv[0]);
        return finish("invalid", false, facts, "unknown", problems);
    }
    const shellish = argv.slice(1).filter(looksLikeShellSyntax);
    if (shellish.length > 0) {
        problems.push({
            id: "shell-syntax-in-exec-form",
            message: `The exec form passes ${shellish.slice(0, 4).map(quote).join(", ")} to the program literally: no shell interprets operators, redirections or \`$VARIABLES\` in \`CMD\`.`,
            fix: "Drop the shell syntax (write the port and path out), or use `CMD-SHELL` if the image has a shell.",
        });
    }
    // Arguments after the first shell operator were meant for a shell; reading them as arguments
    // would invent targets ("exit", "1") that the author never meant to request.
    const firstOperator = argv.findIndex((word, i) => i > 0 && isShellOperatorWord(word));
    const words = firstOperator > 0 ? argv.slice(0, firstOperator) : argv;
    const facts = newFacts();
    const verdict = analyzeWords(words, 0, facts);
    return finish(form, facts.needsShell, facts, verdict, problems);
}

function newFacts(): Facts {
    return { tools: new Set(), executables: new Set(), targets: new Map(), passReasons: new Set(), masks: [], needsShell: false };
}

function emptyAnalysis(form: ProbeCommandForm, problems: ProbeProblem[]): ProbeCommandAnalysis {
    return { form, needsShell: false, tools: [], executables: [], failsOnHttpErrors: "unknown", targets: [], problems };
}

/** Turns the facts and the verdict into the public result, adding the problems they imply. */
function finish(form: ProbeCommandForm, needsShell: boolean, facts: Facts, verdict: Verdict, problems: ProbeProblem[], options: { skipVerdictProblems?: boolean } = {}): ProbeCommandAnalysis {
    const out = [...problems];
    const targets = [...facts.targets.values()];
    // Masks and pass reasons matter only when the command as a whole ends up passing.
    const passesAnyway = verdict === "passes" || verdict === "always-ok";
    if (!options.skipVerdictProblems) {
        const masks = passesAnyway ? [...new Set(facts.masks)] : [];
        if (masks.length > 0) {
            out.push({
                id: "failure-masked",
                message: `${masks.map(m => `\`${m}\``).join(" and ")} makes the command succeed even when the probe fails, so the container is never marked unhealthy.`,
                fix: "Remove it: let the probe's own exit status (or `|| exit 1`) decide.",
            });
        }
        if (passesAnyway && facts.passReasons.has("curl-without-fail")) {
            out.push({
                id: "curl-without-fail",
                message: "`curl` without `-f`/`--fail` exits 0 on HTTP 500 and 404, so a broken app still counts as healthy.",
                fix: "Add `-f` (e.g. `curl -fsS http://localhost:PORT/health`), or `--fail-with-body` to keep the body in the logs.",
            });
        }
        if (passesAnyway && facts.passReasons.has("port-check-only")) {
            out.push({
                id: "port-check-only",
                message: "The command only checks that the port accepts connections; an app that answers every request with an error stays healthy.",
                fix: "If the app speaks HTTP, request its liveness path with `curl -fsS` or `wget -q -O /dev/null`.",
            });
        }
        if (verdict === "always-ok" && masks.length === 0) {
            out.push({ id: "always-healthy", message: "The command always exits 0, so the health check can never fail.", fix: "Run a request against the app's liveness path, e.g. `curl -fsS http://localhost:PORT/health`." });
        }
        if (verdict === "always-fail") {
            out.push({ id: "always-unhealthy", message: "The command always exits non-zero, so every task becomes UNHEALTHY and is replaced.", fix: "Make the exit status depend on the probe, e.g. `curl -fsS http://localhost:PORT/health || exit 1`." });
        }
    }
    const remote = [...new Set(targets.filter(t => t.local === false).map(t => t.host || t.raw))];
    if (remote.length > 0) {
        out.push({
            id: "remote-target",
            message: `The probe requests ${remote.slice(0, 3).map(quote).join(", ")}, not this container: its answer says nothing about whether this task is alive (and fails when that host is down).`,
            fix: "Request `localhost` (or `127.0.0.1`) on the container's own port.",
        });
    }
    return {
        form,
        needsShell: needsShell || facts.needsShell,
        tools: [...facts.tools],
        executables: [...facts.executables],
        failsOnHttpErrors: toPublicVerdict(verdict),
        targets,
        problems: out,
    };
}

function toPublicVerdict(verdict: Verdict): boolean | "unknown" {
    switch (verdict) {
        case "fails": case "always-fail": return true;
        case "passes": case "always-ok": return false;
        default: return "unknown";
    }
}

// ---------------------------------------------------------------------------------------------
// Shell text → tokens → lists of pipelines of simple commands
// ---------------------------------------------------------------------------------------------

interface WordToken { kind: "word"; text: string; quoted: boolean; substitutions: string[] }
interface OperatorToken { kind: "op"; op: string }
type ShellToken = WordToken | OperatorToken;

/** Index of the `)` closing the `(` at `open`, skipping quoted text; `text.length` when unclosed. */
function matchingParen(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === "\\") { i++; continue; }
        if (c === "'") { const end = text.indexOf("'", i + 1); i = end < 0 ? text.length : end; continue; }
        if (c === "(") depth++;
        else if (c === ")" && --depth === 0) return i;
    }
    return text.length;
}

/**
 * Splits POSIX shell text into words (quotes removed, `$(…)`/backtick bodies kept aside for
 * analysis) and operators (`|`, `||`, `&&`, `;`, `&`, newline as `;`, `(`, `)`, redirections as
 * `redir`). An approximation of the POSIX grammar that is good enough for probe commands and
 * RUN lines; it never fails on malformed input (unclosed quotes run to the end).
 */
function tokenizeShell(script: string): ShellToken[] {
    const text = script.length > MAX_SCRIPT_CHARS ? script.slice(0, MAX_SCRIPT_CHARS) : script;
    const tokens: ShellToken[] = [];
    let word = "";
    let inWord = false;
    let quoted = false;
    let substitutions: string[] = [];
    const flush = () => {
        if (inWord) tokens.push({ kind: "word", text: word, quoted, substitutions });
        word = ""; inWord = false; quoted = false; substitutions = [];
    };
    /** Consumes `$(…)`, `$((…))` or `` `…` `` at i; returns the index after it. */
    const substitution = (i: number): number => {
        if (text[i] === "`") {
            let end = i + 1;
            while (end < text.length && text[end] !== "`") end += text[end] === "\\" ? 2 : 1;
            substitutions.push(text.slice(i + 1, end));
            word += text.slice(i, end + 1);
            return end + 1;
        }
        const close = matchingParen(text, i + 1);
        // $((…)) is arithmetic, not a command.
        if (text[i + 2] !== "(") substitutions.push(text.slice(i + 2, close));
        word += text.slice(i, close + 1);
        return close + 1;
    };
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (c === "\\") {
            if (text[i + 1] !== "\n") { word += text[i + 1] ?? ""; inWord = true; }
            i += 2;
            continue;
        }
        if (c === "'") {
            const end = text.indexOf("'", i + 1);
            const stop = end < 0 ? text.length : end;
            word += text.slice(i + 1, stop);
            inWord = true; quoted = true;
            i = stop + 1;
            continue;
        }
        if (c === "\"") {
            inWord = true; quoted = true;
            i++;
            while (i < text.length && text[i] !== "\"") {
                const d = text[i];
                if (d === "\\" && i + 1 < text.length && "\"\\$`\n".includes(text[i + 1])) {
                    if (text[i + 1] !== "\n") word += text[i + 1];
                    i += 2;
                } else if ((d === "$" && text[i + 1] === "(") || d === "`") {
                    i = substitution(i);
                } else {
                    word += d;
                    i++;
                }
            }
            i++;
            continue;
        }
        if ((c === "$" && text[i + 1] === "(") || c === "`") { inWord = true; i = substitution(i); continue; }
        if (c === "$" && text[i + 1] === "{") {
            const end = text.indexOf("}", i);
            const stop = end < 0 ? text.length : end + 1;
            word += text.slice(i, stop); inWord = true;
            i = stop;
            continue;
        }
        if (c === "#" && !inWord) {
            const end = text.indexOf("\n", i);
            i = end < 0 ? text.length : end;
            continue;
        }
        if (c === " " || c === "\t" || c === "\r") { flush(); i++; continue; }
        if (c === "\n") { flush(); tokens.push({ kind: "op", op: ";" }); i++; continue; }
        if ("|&;()<>".includes(c)) {
            // "2>" / "1>&2": the digits name a file descriptor, they are not an argument.
            if ((c === "<" || c === ">") && inWord && !quoted && /^\d+$/.test(word)) { word = ""; inWord = false; }
            flush();
            const two = text.slice(i, i + 2);
            if (two === "||" || two === "&&" || two === ";;") { tokens.push({ kind: "op", op: two }); i += 2; continue; }
            if ([">>", ">&", "<&", "&>", "<<", ">|", "<>"].includes(two)) {
                tokens.push({ kind: "op", op: "redir" });
                i += 2;
                if (two === "&>" && text[i] === ">") i++;
                if (two === "<<" && text[i] === "-") i++;
                continue;
            }
            tokens.push({ kind: "op", op: c === "<" || c === ">" ? "redir" : c });
            i++;
            continue;
        }
        word += c; inWord = true;
        i++;
    }
    flush();
    return tokens;
}

interface SimpleCommand { words: WordToken[] }
interface Pipeline { commands: SimpleCommand[]; negated: boolean }
interface AndOrList { pipelines: Pipeline[]; operators: ("&&" | "||")[]; text: string[] }

const CONTROL_KEYWORDS = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "esac", "{", "}"]);
const SKIPPED_COMPOUNDS = new Set(["for", "case", "select", "function"]);

/** Groups tokens into and-or lists; notes control flow (which makes the exit status unknowable here). */
function parseShell(tokens: ShellToken[]): { lists: AndOrList[]; controlFlow: boolean } {
    const lists: AndOrList[] = [];
    let controlFlow = false;
    let list: AndOrList = { pipelines: [], operators: [], text: [] };
    let pipeline: Pipeline = { commands: [], negated: false };
    let command: WordToken[] = [];
    let redirectPending = false;
    let skipCommand = false;
    const endCommand = () => {
        if (command.length > 0 && !skipCommand) pipeline.commands.push({ words: command });
        command = []; skipCommand = false; redirectPending = false;
    };
    const endPipeline = () => {
        endCommand();
        if (pipeline.commands.length > 0) list.pipelines.push(pipeline);
        else if (list.operators.length >= list.pipelines.length && list.operators.length > 0) list.operators.pop();
        pipeline = { commands: [], negated: false };
    };
    const endList = () => {
        endPipeline();
        if (list.pipelines.length > 0) lists.push(list);
        list = { pipelines: [], operators: [], text: [] };
    };
    for (const token of tokens) {
        if (token.kind === "word") {
            list.text.push(token.text);
            if (redirectPending) { redirectPending = false; continue; }
            if (command.length === 0 && !token.quoted) {
                if (token.text === "!") { pipeline.negated = !pipeline.negated; continue; }
                if (CONTROL_KEYWORDS.has(token.text)) { controlFlow = true; continue; }
                if (SKIPPED_COMPOUNDS.has(token.text)) { controlFlow = true; skipCommand = true; }
            }
            command.push(token);
            continue;
        }
        switch (token.op) {
            case "redir": redirectPending = true; break;
            case "|": endCommand(); break;
            case "&&": case "||":
                list.text.push(token.op);
                endPipeline();
                if (list.pipelines.length > 0) list.operators.push(token.op);
                break;
            case "(": case ")": controlFlow = true; endCommand(); break;
            case ";;": controlFlow = true; endList(); break;
            default: endList(); // ";", "&", newline
        }
    }
    endList();
    // An operator with nothing after it ("curl x ||") is a syntax error; ignore the dangling operator.
    for (const l of lists) l.operators.length = Math.min(l.operators.length, l.pipelines.length - 1);
    return { lists, controlFlow };
}

/**
 * The simple commands of a shell script, in order, as word lists (quotes removed), including
 * commands inside `if`/`&&`/pipelines; compound keywords (`if`, `then`, `do`, `{`) are dropped.
 * Used by the Dockerfile analysis to read RUN lines. Never throws.
 */
export function shellSimpleCommands(script: string): string[][] {
    if (typeof script !== "string") return [];
    const out: string[][] = [];
    for (const list of parseShell(tokenizeShell(script)).lists) {
        for (const pipeline of list.pipelines) for (const command of pipeline.commands) out.push(command.words.map(w => w.text));
    }
    return out;
}

/** Analyses shell text (CMD-SHELL, `sh -c`, `$(…)`), adding to `facts`; returns its exit-status verdict. */
function analyzeScript(script: string, depth: number, facts: Facts): Verdict {
    if (depth > MAX_NESTING) return "unknown";
    const { lists, controlFlow } = parseShell(tokenizeShell(script));
    const verdicts: { verdict: Verdict; text: string; masks: string[] }[] = [];
    let errexit = false;
    for (const list of lists) {
        let acc: Verdict | undefined;
        const masks: string[] = [];
        list.pipelines.forEach((pipeline, index) => {
            const verdict = pipelineVerdict(pipeline, depth, facts, masks);
            if (acc === undefined) { acc = verdict; return; }
            const op = list.operators[index - 1];
            if (op === "||" && verdict === "always-ok") masks.push(`|| ${pipelineText(pipeline)}`);
            acc = op === "&&" ? both(acc, verdict === "passthrough" ? "always-ok" : verdict) : either(acc, verdict === "passthrough" ? "always-fail" : verdict);
        });
        if (list.pipelines.some(p => p.commands.some(c => isErrexit(c.words.map(w => w.text))))) errexit = true;
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
    return pipeline.commands.map(c => c.words.map(w => w.text).join(" ")).join(" | ");
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
        const words = command.words.map(w => w.text);
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

// ---------------------------------------------------------------------------------------------
// One simple command (argv)
// ---------------------------------------------------------------------------------------------

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Shell builtins with a fixed status; they need no program in the image. */
const ALWAYS_OK_BUILTINS = new Set(["true", ":", "echo", "printf", "set", "export", "unset", "local", "trap", "alias", "umask", "readonly"]);
/** Builtins (and test) whose status we cannot judge; they need no program either. */
const UNKNOWN_BUILTINS = new Set(["test", "[", "[[", "cd", "read", "shift", "wait", "type", "hash", ".", "source", "eval", "let", "getopts", "ulimit"]);

function firstProgramWord(words: string[]): string | undefined {
    return words.find(w => !ASSIGNMENT.test(w));
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
function analyzeWords(allWords: string[], depth: number, facts: Facts): Verdict {
    const start = allWords.findIndex(w => !ASSIGNMENT.test(w));
    if (start < 0) return "always-ok";
    const words = allWords.slice(start);
    const head = words[0];
    const args = words.slice(1);
    switch (head) {
        case "exit": case "return": return exitVerdict(args[0]);
        case "false": return "always-fail";
        case "exec": case "builtin": return analyzeWords(args, depth, facts);
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
        case "timeout": return analyzeWords(skipTimeoutPrefix(args), depth, facts);
        case "env": return analyzeWords(skipEnvPrefix(args), depth, facts);
        case "busybox": return args.length > 0 ? analyzeWords(args, depth, facts) : "unknown";
        case "curl": return analyzeCurl(args, facts);
        case "wget": return analyzeWget(args, facts);
        case "nc": case "ncat": case "netcat": return analyzeNetcat(tool, args, facts);
        case "grpc_health_probe": return analyzeGrpcProbe(args, facts);
    }
    if (SHELLS.has(tool)) {
        facts.needsShell = true;
        const script = shellScriptArgument(args);
        return script === undefined ? "unknown" : analyzeScript(script, depth + 1, facts);
    }
    if (tool === "node" || tool === "nodejs" || tool === "bun" || tool === "deno") return analyzeInlineCode("node", tool, args, ["-e", "--eval", "-p", "--print"], facts);
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
    while (i < args.length && (args[i].startsWith("-") || ASSIGNMENT.test(args[i]))) i += ["-u", "--unset", "-C", "--chdir", "-S"].includes(args[i]) ? 2 : 1;
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

/** Options, by program, that take a value in the next argument (or glued to a short option). */
const CURL_SHORT_WITH_VALUE = new Set("AbcCdDeEFHhKmoPQrtTuUwxXyYz".split(""));
const CURL_LONG_WITH_VALUE = new Set([
    "max-time", "connect-timeout", "output", "header", "user-agent", "request", "data", "data-raw", "data-binary",
    "data-urlencode", "data-ascii", "json", "form", "form-string", "retry", "retry-delay", "retry-max-time", "write-out",
    "unix-socket", "abstract-unix-socket", "resolve", "connect-to", "proxy", "noproxy", "cacert", "capath", "cert", "key",
    "user", "url", "interface", "local-port", "max-filesize", "limit-rate", "speed-limit", "speed-time", "expect100-timeout",
    "keepalive-time", "dns-servers", "cookie", "cookie-jar", "referer", "range", "upload-file", "config", "stderr",
    "trace", "trace-ascii", "output-dir", "happy-eyeballs-timeout-ms", "ciphers", "pinnedpubkey", "proto",
    "proto-redir", "proto-default", "max-redirs", "cert-type", "key-type", "pass", "oauth2-bearer", "variable", "ipfs-gateway",
]);

function analyzeCurl(args: string[], facts: Facts): Verdict {
    let fail = false;
    let config = false;
    let unixSocket = false;
    const urls: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === "--") { urls.push(...args.slice(i + 1)); break; }
        if (arg.startsWith("--")) {
            const eq = arg.indexOf("=");
            const name = arg.slice(2, eq < 0 ? undefined : eq);
            if (name === "fail" || name === "fail-with-body") fail = true;
            else if (name === "no-fail") fail = false;
            if (name === "config") config = true;
            if (name === "unix-socket" || name === "abstract-unix-socket") unixSocket = true;
            if (CURL_LONG_WITH_VALUE.has(name) && eq < 0) {
                if (name === "url" && args[i + 1] !== undefined) urls.push(args[i + 1]);
                i++;
            } else if (name === "url" && eq >= 0) urls.push(arg.slice(eq + 1));
            continue;
        }
        if (arg.startsWith("-") && arg.length > 1) {
            // Combined short flags (-fsS, -sf): stop at the first one that takes a value.
            for (let j = 1; j < arg.length; j++) {
                const flag = arg[j];
                if (flag === "f") fail = true;
                if (CURL_SHORT_WITH_VALUE.has(flag)) {
                    if (flag === "K") config = true;
                    if (j === arg.length - 1) i++;
                    break;
                }
            }
            continue;
        }
        urls.push(arg);
    }
    for (const url of urls) addTarget("curl", url, facts, { schemeless: true, local: unixSocket ? true : undefined });
    if (fail) return "fails";
    // A config file (-K) may set --fail; we cannot read it.
    if (config) return "unknown";
    facts.passReasons.add("curl-without-fail");
    return "passes";
}

const WGET_SHORT_WITH_VALUE = new Set("OoaiTtUPewYDBQlARIX".split(""));
const WGET_LONG_WITH_VALUE = new Set([
    "output-document", "output-file", "append-output", "timeout", "tries", "user-agent", "header", "post-data", "post-file",
    "wait", "directory-prefix", "method", "body-data", "body-file", "user", "password", "http-user", "http-password",
    "read-timeout", "connect-timeout", "dns-timeout", "execute", "input-file", "bind-address", "proxy-user", "proxy-password",
]);

/** wget (GNU and BusyBox) exits non-zero on 4xx/5xx without any flag. */
function analyzeWget(args: string[], facts: Facts): Verdict {
    for (const url of positionalArguments(args, WGET_SHORT_WITH_VALUE, WGET_LONG_WITH_VALUE)) addTarget("wget", url, facts, { schemeless: true });
    return "fails";
}

const NC_SHORT_WITH_VALUE = new Set("wipsXxqWIOTV".split(""));

function analyzeNetcat(tool: string, args: string[], facts: Facts): Verdict {
    const positional = positionalArguments(args, NC_SHORT_WITH_VALUE, new Set());
    if (positional.length > 0) {
        const host = positional[0];
        const port = positional[1] !== undefined && /^\d+$/.test(positional[1]) ? Number(positional[1]) : undefined;
        pushTarget(facts, { raw: positional.slice(0, 2).join(" "), tool, host: normalizeHost(host), port, portExplicit: port !== undefined, local: hostLocality(host) });
    }
    facts.passReasons.add("port-check-only");
    return "passes";
}

/** grpc_health_probe exits non-zero unless the service reports SERVING. */
function analyzeGrpcProbe(args: string[], facts: Facts): Verdict {
    for (let i = 0; i < args.length; i++) {
        const match = /^--?addr(?:=(.*))?$/.exec(args[i]);
        if (!match) continue;
        const address = match[1] ?? args[++i];
        if (address === undefined) continue;
        const parsed = parseHostPort(address);
        pushTarget(facts, { raw: address, tool: "grpc_health_probe", host: parsed.host, port: parsed.port, portExplicit: parsed.port !== undefined, local: parsed.host === "" ? true : hostLocality(parsed.host) });
    }
    return "fails";
}

function positionalArguments(args: string[], shortWithValue: Set<string>, longWithValue: Set<string>): string[] {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === "--") { out.push(...args.slice(i + 1)); break; }
        if (arg.startsWith("--")) {
            if (!arg.includes("=") && longWithValue.has(arg.slice(2))) i++;
            continue;
        }
        if (arg.startsWith("-") && arg.length > 1) {
            for (let j = 1; j < arg.length; j++) {
                if (shortWithValue.has(arg[j])) { if (j === arg.length - 1) i++; break; }
            }
            continue;
        }
        out.push(arg);
    }
    return out;
}

/**
 * `node -e`, `python3 -c` and similar: URLs come from the code. The verdict is "fails" only for
 * recognisable patterns: Node code that exits on the response status, Python's `urlopen` (raises
 * on HTTP ≥ 400) or an explicit status check; anything else is unknown.
 */
function analyzeInlineCode(language: "node" | "python" | "other", tool: string, args: string[], codeFlags: string[], facts: Facts): Verdict {
    const flagIndex = args.findIndex(a => codeFlags.includes(a));
    const code = flagIndex >= 0 ? args[flagIndex + 1] : undefined;
    if (code === undefined) {
        for (const arg of args) addUrlTargets(tool, arg, facts);
        return "unknown";
    }
    addUrlTargets(tool, code, facts);
    if (language === "node" && /process\.exit/.test(code) && /\.(status|statusCode|ok)\b/.test(code)) return "fails";
    if (language === "python" && (/urlopen\s*\(/.test(code) || /raise_for_status\s*\(/.test(code) || (/\bstatus(_code)?\b/.test(code) && /exit\s*\(/.test(code)))) return "fails";
    return "unknown";
}

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

/** String literals and bare `http(s)://` URLs in text (code, arguments). */
function urlsInText(source: string): string[] {
    const urls: string[] = [];
    const text = source.length > MAX_SCRIPT_CHARS ? source.slice(0, MAX_SCRIPT_CHARS) : source;
    const literal = /(["'`])((?:\\.|(?!\1)[^\\\n])*?)\1/g;
    let match: RegExpExecArray | null;
    const seen = new Set<string>();
    while ((match = literal.exec(text)) !== null && urls.length < MAX_TARGETS) {
        const content = match[2].replace(/\\(.)/g, "$1");
        if (/^https?:\/\//i.test(content)) { urls.push(content); seen.add(content); }
    }
    const bare = /https?:\/\/(?:\$\{[^}\s]*\}|[^\s'"`<>(){}\\|;,])+/gi;
    while ((match = bare.exec(text)) !== null && urls.length < MAX_TARGETS) {
        const found = match[0];
        if (![...seen].some(u => u.includes(found))) urls.push(found);
    }
    return urls;
}

function addUrlTargets(tool: string, text: string, facts: Facts): void {
    for (const url of urlsInText(text)) addTarget(tool, url, facts, { schemeless: false });
}

/** Adds a target parsed from `raw`; `schemeless` accepts `localhost:8080/health` as curl and wget do. */
function addTarget(tool: string, raw: string, facts: Facts, options: { schemeless: boolean; local?: boolean }): void {
    const target = parseUrlTarget(tool, raw, options.schemeless);
    if (!target) return;
    if (options.local !== undefined) target.local = options.local;
    pushTarget(facts, target);
}

function pushTarget(facts: Facts, target: ProbeRequestTarget): void {
    const key = `${target.tool}\u0000${target.raw}`;
    if (facts.targets.size < MAX_TARGETS && !facts.targets.has(key)) facts.targets.set(key, target);
}

function parseUrlTarget(tool: string, raw: string, schemeless: boolean): ProbeRequestTarget | undefined {
    const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(raw);
    if (!schemeMatch && (!schemeless || raw === "" || /\s/.test(raw))) return undefined;
    const scheme = schemeMatch ? schemeMatch[1].toLowerCase() : "http";
    const rest = schemeMatch ? raw.slice(schemeMatch[0].length) : raw;
    const authorityEnd = rest.search(/[/?#]/);
    const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
    const afterAuthority = authorityEnd < 0 ? "" : rest.slice(authorityEnd);
    const { host, port } = parseHostPort(authority.slice(authority.lastIndexOf("@") + 1));
    const pathAndQuery = afterAuthority.split("#")[0];
    const q = pathAndQuery.indexOf("?");
    const path = (q < 0 ? pathAndQuery : pathAndQuery.slice(0, q)) || "/";
    const query = q < 0 ? undefined : pathAndQuery.slice(q + 1);
    const defaultPort = scheme === "https" ? 443 : scheme === "http" ? 80 : undefined;
    const portText = /:([^:\]]*)$/.exec(authority)?.[1];
    const portExplicit = port !== undefined;
    const target: ProbeRequestTarget = {
        raw, tool, scheme, host,
        port: port ?? (portText !== undefined && portText !== "" ? undefined : defaultPort),
        portExplicit,
        path,
        local: host === "" ? "unknown" : hostLocality(host),
    };
    if (query !== undefined) target.query = query;
    return target;
}

/** `host:port`, `[::1]:8080`, `:50051`, `localhost` → host (lower case, no brackets) and port. */
function parseHostPort(authority: string): { host: string; port?: number } {
    let host = authority;
    let portText: string | undefined;
    if (authority.startsWith("[")) {
        const close = authority.indexOf("]");
        host = close < 0 ? authority.slice(1) : authority.slice(1, close);
        const after = close < 0 ? "" : authority.slice(close + 1);
        if (after.startsWith(":")) portText = after.slice(1);
    } else {
        const colons = authority.split(":").length - 1;
        if (colons === 1) {
            const colon = authority.indexOf(":");
            host = authority.slice(0, colon);
            portText = authority.slice(colon + 1);
        }
    }
    const port = portText !== undefined && /^\d{1,5}$/.test(portText) && Number(portText) <= 65535 ? Number(portText) : undefined;
    return { host: normalizeHost(host), port };
}

function normalizeHost(host: string): string {
    return host.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
}

/** Loopback and "this host" addresses; a `$VARIABLE` host is unknown. */
function hostLocality(rawHost: string): boolean | "unknown" {
    const host = normalizeHost(rawHost);
    if (host.includes("$") || host.includes("`")) return "unknown";
    if (host === "localhost" || host.endsWith(".localhost") || host === "ip6-localhost" || host === "ip6-loopback") return true;
    if (/^127(\.\d{1,3}){3}$/.test(host) || host === "0.0.0.0" || host === "0") return true;
    if (host === "::1" || host === "::" || /^(0{1,4}:){7}0{0,3}1$/.test(host) || host === "::ffff:127.0.0.1") return true;
    return false;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const SHELL_OPERATOR_WORDS = new Set(["||", "&&", "|", ";", ">", ">>", "<", "2>&1", "&", "1>&2", ">&2"]);

function isShellOperatorWord(word: string): boolean {
    return SHELL_OPERATOR_WORDS.has(word) || /^\d?>>?\S*$/.test(word);
}

/** In the exec form these reach the program literally (no shell expands or interprets them). */
function looksLikeShellSyntax(word: string): boolean {
    return isShellOperatorWord(word) || /\$(\{|\(|[A-Za-z_])/.test(word) || word.includes("`");
}

function quote(text: string): string {
    return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

function describeValue(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "an object";
    if (typeof value === "string") return `the string ${quote(value)}`;
    return `${typeof value} ${String(value).slice(0, 40)}`;
}

/** Where a probe command sends its request, for aligning it with the ALB health check. */
export interface ProbeEndpoint {
    /** URL path without the query (`/health`). */
    path: string;
    /** Port requested, `undefined` when written as a variable. */
    port?: number;
    portExplicit: boolean;
    host: string;
    scheme: string;
    query?: string;
}

/**
 * The path and port of the first local HTTP(S) request a probe command makes, or `undefined` when
 * it makes none we can read (TCP check, script file, unknown value). Never throws.
 */
export function probePathAndPort(command: unknown): ProbeEndpoint | undefined {
    const target = analyzeProbeCommand(command).targets.find(t => t.local !== false && t.path !== undefined && (t.scheme === "http" || t.scheme === "https"));
    if (!target || target.path === undefined || target.scheme === undefined) return undefined;
    const endpoint: ProbeEndpoint = { path: target.path, port: target.port, portExplicit: target.portExplicit, host: target.host, scheme: target.scheme };
    if (target.query !== undefined) endpoint.query = target.query;
    return endpoint;
}
