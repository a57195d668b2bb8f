/**
 * POSIX shell text → tokens → and-or lists of pipelines of simple commands: the approximation of
 * the shell grammar the probe analysis (`probe-analysis/`) and the Dockerfile analysis (RUN lines)
 * read commands with. Pure; never throws on malformed input.
 */

/** Scripts longer than this are read only up to this length (bounded work on hostile input). */
export const MAX_SCRIPT_CHARS = 200_000;

export interface WordToken {
    kind: "word";
    text: string;
    quoted: boolean;
    substitutions: string[];
}
interface OperatorToken {
    kind: "op";
    op: string;
}
type ShellToken = WordToken | OperatorToken;

/** Index of the `)` closing the `(` at `open`, skipping quoted text; `text.length` when unclosed. */
function matchingParen(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === "\\") {
            i++;
            continue;
        }
        if (c === "'") {
            const end = text.indexOf("'", i + 1);
            i = end < 0 ? text.length : end;
            continue;
        }
        if (c === "(") depth++;
        else if (c === ")" && --depth === 0) return i;
    }
    return text.length;
}

/**
 * The tokenizer's state while it reads one script: the tokens so far and the word being read
 * (its text, whether it has started, was quoted, and the command substitutions inside it). Each
 * `read…` method consumes one construct at index `i` and returns the index after it.
 */
class ShellLexer {
    readonly tokens: ShellToken[] = [];
    private word = "";
    private inWord = false;
    private quoted = false;
    private substitutions: string[] = [];

    constructor(private readonly text: string) {}

    /** Ends the current word, if one has started. */
    flush(): void {
        if (this.inWord) this.tokens.push({ kind: "word", text: this.word, quoted: this.quoted, substitutions: this.substitutions });
        this.word = "";
        this.inWord = false;
        this.quoted = false;
        this.substitutions = [];
    }

    /** One construct at `i`: an escape, quotes, a substitution, a parameter, a comment, a blank, an operator or a character. */
    read(i: number): number {
        const text = this.text;
        const c = text[i];
        if (c === "\\") return this.readEscape(i);
        if (c === "'") return this.readSingleQuoted(i);
        if (c === '"') return this.readDoubleQuoted(i);
        if ((c === "$" && text[i + 1] === "(") || c === "`") {
            this.inWord = true;
            return this.readSubstitution(i);
        }
        if (c === "$" && text[i + 1] === "{") return this.readParameter(i);
        if (c === "#" && !this.inWord) {
            const end = text.indexOf("\n", i);
            return end < 0 ? text.length : end;
        }
        if (c === " " || c === "\t" || c === "\r") {
            this.flush();
            return i + 1;
        }
        if (c === "\n") {
            this.flush();
            this.tokens.push({ kind: "op", op: ";" });
            return i + 1;
        }
        if ("|&;()<>".includes(c)) return this.readOperator(i);
        this.word += c;
        this.inWord = true;
        return i + 1;
    }

    /** `\x` outside quotes: the character itself; a backslash-newline joins lines. */
    private readEscape(i: number): number {
        if (this.text[i + 1] !== "\n") {
            this.word += this.text[i + 1] ?? "";
            this.inWord = true;
        }
        return i + 2;
    }

    /** `'…'`: literal text up to the next `'` (to the end when unclosed). */
    private readSingleQuoted(i: number): number {
        const end = this.text.indexOf("'", i + 1);
        const stop = end < 0 ? this.text.length : end;
        this.word += this.text.slice(i + 1, stop);
        this.inWord = true;
        this.quoted = true;
        return stop + 1;
    }

    /** `"…"`: text with backslash escapes of `"`, `\`, `$`, a backquote and newline, and command substitutions inside. */
    private readDoubleQuoted(start: number): number {
        const text = this.text;
        this.inWord = true;
        this.quoted = true;
        let i = start + 1;
        while (i < text.length && text[i] !== '"') {
            const d = text[i];
            if (d === "\\" && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1])) {
                if (text[i + 1] !== "\n") this.word += text[i + 1];
                i += 2;
            } else if ((d === "$" && text[i + 1] === "(") || d === "`") {
                i = this.readSubstitution(i);
            } else {
                this.word += d;
                i++;
            }
        }
        return i + 1;
    }

    /** `$(…)`, `$((…))` or `` `…` ``: kept in the word, the command's text set aside; returns the index after it. */
    private readSubstitution(i: number): number {
        const text = this.text;
        if (text[i] === "`") {
            let end = i + 1;
            while (end < text.length && text[end] !== "`") end += text[end] === "\\" ? 2 : 1;
            this.substitutions.push(text.slice(i + 1, end));
            this.word += text.slice(i, end + 1);
            return end + 1;
        }
        const close = matchingParen(text, i + 1);
        // $((…)) is arithmetic, not a command.
        if (text[i + 2] !== "(") this.substitutions.push(text.slice(i + 2, close));
        this.word += text.slice(i, close + 1);
        return close + 1;
    }

    /** `${…}`: kept in the word as written. */
    private readParameter(i: number): number {
        const end = this.text.indexOf("}", i);
        const stop = end < 0 ? this.text.length : end + 1;
        this.word += this.text.slice(i, stop);
        this.inWord = true;
        return stop;
    }

    /** `|`, `||`, `&`, `&&`, `;`, `;;`, `(`, `)` and redirections (all `redir`, with a file descriptor before them dropped). */
    private readOperator(i: number): number {
        const text = this.text;
        const c = text[i];
        // "2>" / "1>&2": the digits name a file descriptor, they are not an argument.
        if ((c === "<" || c === ">") && this.inWord && !this.quoted && /^\d+$/.test(this.word)) {
            this.word = "";
            this.inWord = false;
        }
        this.flush();
        const two = text.slice(i, i + 2);
        if (two === "||" || two === "&&" || two === ";;") {
            this.tokens.push({ kind: "op", op: two });
            return i + 2;
        }
        if ([">>", ">&", "<&", "&>", "<<", ">|", "<>"].includes(two)) {
            this.tokens.push({ kind: "op", op: "redir" });
            let next = i + 2;
            if (two === "&>" && text[next] === ">") next++;
            if (two === "<<" && text[next] === "-") next++;
            return next;
        }
        this.tokens.push({ kind: "op", op: c === "<" || c === ">" ? "redir" : c });
        return i + 1;
    }
}

/**
 * Splits POSIX shell text into words (quotes removed, `$(…)`/backtick bodies kept aside for
 * analysis) and operators (`|`, `||`, `&&`, `;`, `&`, newline as `;`, `(`, `)`, redirections as
 * `redir`). An approximation of the POSIX grammar that is good enough for probe commands and
 * RUN lines; it never fails on malformed input (unclosed quotes run to the end).
 */
export function tokenizeShell(script: string): ShellToken[] {
    const text = script.length > MAX_SCRIPT_CHARS ? script.slice(0, MAX_SCRIPT_CHARS) : script;
    const lexer = new ShellLexer(text);
    let i = 0;
    while (i < text.length) i = lexer.read(i);
    lexer.flush();
    return lexer.tokens;
}

export interface SimpleCommand {
    words: WordToken[];
}
export interface Pipeline {
    commands: SimpleCommand[];
    negated: boolean;
}
export interface AndOrList {
    pipelines: Pipeline[];
    operators: ("&&" | "||")[];
    text: string[];
}

const CONTROL_KEYWORDS = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "esac", "{", "}"]);
const SKIPPED_COMPOUNDS = new Set(["for", "case", "select", "function"]);

/** Groups tokens into and-or lists; notes control flow (which makes the exit status unknowable here). */
export function parseShell(tokens: ShellToken[]): { lists: AndOrList[]; controlFlow: boolean } {
    const lists: AndOrList[] = [];
    let controlFlow = false;
    let list: AndOrList = { pipelines: [], operators: [], text: [] };
    let pipeline: Pipeline = { commands: [], negated: false };
    let command: WordToken[] = [];
    let redirectPending = false;
    let skipCommand = false;
    const endCommand = () => {
        if (command.length > 0 && !skipCommand) pipeline.commands.push({ words: command });
        command = [];
        skipCommand = false;
        redirectPending = false;
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
            if (redirectPending) {
                redirectPending = false;
                continue;
            }
            if (command.length === 0 && !token.quoted) {
                if (token.text === "!") {
                    pipeline.negated = !pipeline.negated;
                    continue;
                }
                if (CONTROL_KEYWORDS.has(token.text)) {
                    controlFlow = true;
                    continue;
                }
                if (SKIPPED_COMPOUNDS.has(token.text)) {
                    controlFlow = true;
                    skipCommand = true;
                }
            }
            command.push(token);
            continue;
        }
        switch (token.op) {
            case "redir":
                redirectPending = true;
                break;
            case "|":
                endCommand();
                break;
            case "&&":
            case "||":
                list.text.push(token.op);
                endPipeline();
                if (list.pipelines.length > 0) list.operators.push(token.op);
                break;
            case "(":
            case ")":
                controlFlow = true;
                endCommand();
                break;
            case ";;":
                controlFlow = true;
                endList();
                break;
            default:
                endList(); // ";", "&", newline
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
        for (const pipeline of list.pipelines) for (const command of pipeline.commands) out.push(command.words.map((w) => w.text));
    }
    return out;
}

/** The parsed script: its and-or lists, and whether it has control flow (its exit status cannot be read then). */
export function parseShellScript(script: string): { lists: AndOrList[]; controlFlow: boolean } {
    return parseShell(tokenizeShell(script));
}
