import { hostLocality, normalizeHost, pushTarget } from "../targets";
import type { Facts, Verdict } from "../types";
import { positionalArguments } from "./arguments";

/** Options that take a value in the next argument (or glued to a short option). */
const NC_SHORT_WITH_VALUE = new Set("wipsXxqWIOTV".split(""));

/** nc/ncat/netcat: a TCP connect, which passes whatever the app answers. */
export function analyzeNetcat(tool: string, args: string[], facts: Facts): Verdict {
    const positional = positionalArguments(args, NC_SHORT_WITH_VALUE, new Set());
    if (positional.length > 0) {
        const host = positional[0];
        const port = positional[1] !== undefined && /^\d+$/.test(positional[1]) ? Number(positional[1]) : undefined;
        pushTarget(facts, {
            raw: positional.slice(0, 2).join(" "),
            tool,
            host: normalizeHost(host),
            port,
            portExplicit: port !== undefined,
            local: hostLocality(host),
        });
    }
    facts.passReasons.add("port-check-only");
    return "passes";
}
