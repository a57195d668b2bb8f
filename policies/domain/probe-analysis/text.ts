/** Small text helpers of the probe analysis: shell-looking words and quoting values in messages. */

const SHELL_OPERATOR_WORDS = new Set(["||", "&&", "|", ";", ">", ">>", "<", "2>&1", "&", "1>&2", ">&2"]);

export function isShellOperatorWord(word: string): boolean {
    return SHELL_OPERATOR_WORDS.has(word) || /^\d?>>?\S*$/.test(word);
}

/** In the exec form these reach the program literally (no shell expands or interprets them). */
export function looksLikeShellSyntax(word: string): boolean {
    return isShellOperatorWord(word) || /\$(\{|\(|[A-Za-z_])/.test(word) || word.includes("`");
}

export function quote(text: string): string {
    return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

export function describeValue(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "an object";
    if (typeof value === "string") return `the string ${quote(value)}`;
    return `${typeof value} ${String(value).slice(0, 40)}`;
}
