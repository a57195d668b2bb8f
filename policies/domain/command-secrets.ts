/**
 * Credentials written into a container's `command` or `entryPoint`: a flag that takes a secret
 * followed by a literal (`--requirepass s3cr3t`, `--password=…`, `--api-key …`), a URL with a
 * password, a token-shaped argument. Like `environment`, these are part of the task definition
 * (readable by anyone who may describe it) and also show in `ps` inside the container.
 *
 * `sh -c "<script>"` scripts are split into words; a value that is a variable (`$REDIS_PASSWORD`,
 * filled from `secrets`) or a file path is the right way and is not reported.
 *
 * Pure: no Pulumi, no I/O, never throws. Findings never carry the value.
 */
import { shellSimpleCommands } from "./probe-analysis";
import { isSecretLikeName } from "./secret-names";
import { detectToken } from "./secret-tokens";
import { urlWithPassword } from "./url-credentials";

/** Flags of well-known servers that take a password although their names do not say so. */
const SECRET_FLAGS = new Set(["requirepass", "masterauth", "pass", "passwd", "auth-token"]);

export type CommandSecretFindingId = "url-with-password-in-command" | "token-in-command" | "secret-flag-in-command";

export interface CommandSecretFinding {
    id: CommandSecretFindingId;
    /** Index of the argv element that holds it. */
    index: number;
    /** What it is, without the value: "`--requirepass` followed by a literal value". */
    what: string;
    message: string;
    fix: string;
}

/** `--flag=value` / `--flag` → the flag name without dashes and the glued value, for secret-taking flags. */
function secretFlag(word: string): { flag: string; glued?: string } | undefined {
    const m = /^--?([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$/s.exec(word);
    if (!m) return undefined;
    const name = m[1].toLowerCase();
    if (!SECRET_FLAGS.has(name) && !isSecretLikeName(name)) return undefined;
    return { flag: `${word.startsWith("--") ? "--" : "-"}${m[1]}`, ...(m[2] !== undefined ? { glued: m[2] } : {}) };
}

/** A value that points at a secret (a variable, a file) or cannot be one (empty, a flag, a small number). */
function isNotALiteralSecret(value: string | undefined): boolean {
    if (value === undefined) return true;
    const v = value.trim();
    return (
        v === "" ||
        /^\$/.test(v) ||
        /^[/~.]/.test(v) ||
        v.startsWith("-") ||
        /^(true|false|yes|no|\d{1,6})$/i.test(v) ||
        /^(<.*>|\*+|changeme)$/i.test(v)
    );
}

function fix(flag?: string): string {
    return (
        `Give the value to the container through \`secrets\` (ECS sets it as an environment variable from Secrets Manager or SSM) and reference the variable instead: ` +
        `\`["sh", "-c", "exec redis-server ${flag ?? "--requirepass"} \\"$REDIS_PASSWORD\\""]\`, with \`secrets: [{ name: "REDIS_PASSWORD", valueFrom: <secret ARN> }]\``
    );
}

/** Findings in the words of one command (argv or a script's simple command); `index` is the argv element. */
function classifyWords(words: string[], index: (i: number) => number): CommandSecretFinding[] {
    const out: CommandSecretFinding[] = [];
    for (let i = 0; i < words.length; i++) {
        const word = words[i];
        // `--url=postgres://user:pw@host` carries the URL after the `=`.
        const value = /^--?[A-Za-z][\w.-]*=/.test(word) ? word.slice(word.indexOf("=") + 1) : word;
        const url = urlWithPassword(value);
        if (url !== null) {
            out.push({
                id: "url-with-password-in-command",
                index: index(i),
                what: "a URL with a password",
                message:
                    "The command line holds a URL with a password: the task definition shows it to anyone who may describe it, and `ps` shows it inside the container",
                fix: fix(),
            });
            continue;
        }
        const flag = secretFlag(word);
        if (flag) {
            const value = flag.glued ?? words[i + 1];
            if (!isNotALiteralSecret(value)) {
                out.push({
                    id: "secret-flag-in-command",
                    index: index(flag.glued !== undefined ? i : i + 1),
                    what: `\`${flag.flag}\` followed by a literal value`,
                    message: `\`${flag.flag}\` takes a credential, and the command gives it literally: the task definition shows it to anyone who may describe it`,
                    fix: fix(flag.flag),
                });
                if (flag.glued === undefined) i++;
            }
            continue;
        }
        const token = detectToken(value);
        if (token !== null)
            out.push({
                id: "token-in-command",
                index: index(i),
                what: `what looks like a credential (${token})`,
                message: "The command line holds what looks like a credential: the task definition shows it to anyone who may describe it",
                fix: fix(),
            });
    }
    return out;
}

/** The findings in a container's `command` or `entryPoint` (a list of strings). */
export function classifyCommandArguments(argv: string[]): CommandSecretFinding[] {
    const shell = /(^|\/)(sh|bash|dash|ash|zsh)$/.test(argv[0] ?? "");
    const scriptIndex = shell ? argv.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a)) + 1 : 0;
    const out: CommandSecretFinding[] = [];
    const plain = shell && scriptIndex > 0 ? argv.slice(0, scriptIndex) : argv;
    out.push(...classifyWords(plain, (i) => i));
    if (shell && scriptIndex > 0 && scriptIndex < argv.length) {
        for (const words of shellSimpleCommands(argv[scriptIndex])) out.push(...classifyWords(words, () => scriptIndex));
    }
    return out;
}
