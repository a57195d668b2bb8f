import { addUrlTargets } from "../targets";
import type { Facts, Verdict } from "../types";

/**
 * `node -e`, `python3 -c` and similar: URLs come from the code. The verdict is "fails" only for
 * recognisable patterns: Node code that exits on the response status, Python's `urlopen` (raises
 * on HTTP ≥ 400) or an explicit status check; anything else is unknown.
 */
export function analyzeInlineCode(
    language: "node" | "python" | "other",
    tool: string,
    args: string[],
    codeFlags: string[],
    facts: Facts,
): Verdict {
    const flagIndex = args.findIndex((a) => codeFlags.includes(a));
    const code = flagIndex >= 0 ? args[flagIndex + 1] : undefined;
    if (code === undefined) {
        for (const arg of args) addUrlTargets(tool, arg, facts);
        return "unknown";
    }
    addUrlTargets(tool, code, facts);
    if (language === "node" && /process\.exit/.test(code) && /\.(status|statusCode|ok)\b/.test(code)) return "fails";
    if (
        language === "python" &&
        (/urlopen\s*\(/.test(code) || /raise_for_status\s*\(/.test(code) || (/\bstatus(_code)?\b/.test(code) && /exit\s*\(/.test(code)))
    )
        return "fails";
    return "unknown";
}
