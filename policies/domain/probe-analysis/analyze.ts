// Policies and the doctor meet commands we did not write: `["CMD-SHELL", "curl http://localhost/ || exit 1"]`,
// `["CMD", "wget", …]`, plain strings, values still unknown during a preview. The analyzer reads
// them as ECS does (exec form runs argv directly; CMD-SHELL runs `/bin/sh -c`) and reports what
// matters for a liveness probe: which programs must exist in the image, whether an HTTP error makes
// the command fail, and which endpoint it requests. It never throws: anything it cannot read
// becomes "invalid"/"unknown" instead.
import { PULUMI_UNKNOWN_SENTINEL } from "../pulumi-unknown";
import { analyzeScript, analyzeWords } from "./commands";
import { emptyAnalysis, finish } from "./result";
import { describeValue, isShellOperatorWord, looksLikeShellSyntax, quote } from "./text";
import { type ProbeCommandAnalysis, type ProbeCommandForm, type ProbeProblem, newFacts } from "./types";

const EXEC_FORM_EXAMPLE = '["CMD", "curl", "-fsS", "http://localhost:PORT/health"]';

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
        return emptyAnalysis("invalid", [
            {
                id: "analysis-failed",
                message: `The health check command could not be analysed (${error instanceof Error ? error.message : typeof error}).`,
                fix: `Use the exec form \`${EXEC_FORM_EXAMPLE}\`.`,
            },
        ]);
    }
}

function analyzeUnchecked(command: unknown): ProbeCommandAnalysis {
    if (command === undefined || command === PULUMI_UNKNOWN_SENTINEL) return emptyAnalysis("unknown", []);
    if (typeof command === "string") return analyzeString(command);
    if (!Array.isArray(command)) {
        return emptyAnalysis("invalid", [
            {
                id: "command-invalid",
                message: `\`healthCheck.command\` is ${describeValue(command)}; ECS expects a list of strings.`,
                fix: `Use \`${EXEC_FORM_EXAMPLE}\` (exec form, needs no shell).`,
            },
        ]);
    }
    const items: unknown[] = Array.from(command as unknown[]);
    if (items.length === 0) {
        return emptyAnalysis("invalid", [
            {
                id: "command-empty",
                message: "`healthCheck.command` is an empty list.",
                fix: `Start it with \`CMD\` and the program to run, e.g. \`${EXEC_FORM_EXAMPLE}\`.`,
            },
        ]);
    }
    if (items.some((item) => item === PULUMI_UNKNOWN_SENTINEL)) return emptyAnalysis("unknown", []);
    return analyzeList(items);
}

/** A plain string: read as shell text (what the author likely meant), reported as not a list. */
function analyzeString(command: string): ProbeCommandAnalysis {
    const facts = newFacts();
    const verdict = analyzeScript(command, 0, facts);
    const problems: ProbeProblem[] = [
        {
            id: "command-not-a-list",
            message: "`healthCheck.command` is a string; ECS expects a list whose first element is `CMD`, `CMD-SHELL` or `NONE`.",
            fix: `Write \`["CMD-SHELL", ${quote(command)}]\`, or better the exec form \`${EXEC_FORM_EXAMPLE}\`.`,
        },
    ];
    return finish("invalid", true, facts, verdict, problems);
}

/** A non-empty list: `NONE`, `CMD-SHELL` + script, or (`CMD` or anything else) + argv. */
function analyzeList(items: unknown[]): ProbeCommandAnalysis {
    const problems: ProbeProblem[] = [];
    const nonStrings = items.filter((item) => typeof item !== "string");
    if (nonStrings.length > 0) {
        problems.push({
            id: "non-string-element",
            message: `\`healthCheck.command\` contains ${nonStrings.map(describeValue).join(", ")}; every element must be a string.`,
            fix: 'Write every argument as a string (`"5"`, not `5`).',
        });
    }
    const strings = items.filter((item): item is string => typeof item === "string");
    const head = typeof items[0] === "string" ? items[0] : undefined;
    const rest = strings.slice(head === undefined ? 0 : 1);
    const valid = nonStrings.length === 0;

    if (head === "NONE") {
        problems.push({
            id: "health-check-disabled",
            message: '`["NONE"]` disables the container health check: ECS never learns that the app stopped answering.',
            fix: `Probe the app's liveness path, e.g. \`${EXEC_FORM_EXAMPLE}\`.`,
        });
        return finish(valid ? "NONE" : "invalid", false, newFacts(), "always-ok", problems, { skipVerdictProblems: true });
    }
    if (head === "CMD-SHELL") {
        const script = rest.join(" ");
        if (script.trim() === "") {
            problems.push({
                id: "missing-executable",
                message: "`CMD-SHELL` is not followed by a command.",
                fix: 'Add the shell command as the second element, e.g. `["CMD-SHELL", "curl -fsS http://localhost:PORT/health"]`.',
            });
            return finish("invalid", true, newFacts(), "unknown", problems);
        }
        const facts = newFacts();
        const verdict = analyzeScript(script, 0, facts);
        return finish(valid ? "CMD-SHELL" : "invalid", true, facts, verdict, problems);
    }
    if (head === "CMD") return analyzeExecForm(valid ? "CMD" : "invalid", rest, problems);
    // Docker requires CMD, CMD-SHELL or NONE first; how ECS treats other values is not verified,
    // so report it and analyse the rest as an exec form (the likeliest intent).
    problems.push({
        id: "unknown-command-form",
        message: `\`healthCheck.command\` starts with ${head === undefined ? "a non-string" : quote(head)}; the first element must be \`CMD\`, \`CMD-SHELL\` or \`NONE\`.`,
        fix: `Prefix the command with "CMD" (exec form)${strings.length > 0 ? `: \`${JSON.stringify(["CMD", ...strings.slice(0, 6)])}\`` : ""}.`,
    });
    return analyzeExecForm("invalid", strings, problems);
}

/** The exec form: `argv` runs as it is, with no shell to split words or read operators. */
function analyzeExecForm(form: ProbeCommandForm, argv: string[], problems: ProbeProblem[]): ProbeCommandAnalysis {
    if (argv.length === 0 || argv[0].trim() === "") {
        problems.push({
            id: "missing-executable",
            message: "The exec form names no program to run.",
            fix: `Add the program and its arguments, e.g. \`${EXEC_FORM_EXAMPLE}\`.`,
        });
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
