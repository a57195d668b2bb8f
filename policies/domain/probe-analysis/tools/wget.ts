import { addTarget } from "../targets";
import type { Facts, Verdict } from "../types";
import { positionalArguments } from "./arguments";

/** Options that take a value in the next argument (or glued to a short option). */
const WGET_SHORT_WITH_VALUE = new Set("OoaiTtUPewYDBQlARIX".split(""));
const WGET_LONG_WITH_VALUE = new Set([
    "output-document",
    "output-file",
    "append-output",
    "timeout",
    "tries",
    "user-agent",
    "header",
    "post-data",
    "post-file",
    "wait",
    "directory-prefix",
    "method",
    "body-data",
    "body-file",
    "user",
    "password",
    "http-user",
    "http-password",
    "read-timeout",
    "connect-timeout",
    "dns-timeout",
    "execute",
    "input-file",
    "bind-address",
    "proxy-user",
    "proxy-password",
]);

/** wget (GNU and BusyBox) exits non-zero on 4xx/5xx without any flag. */
export function analyzeWget(args: string[], facts: Facts): Verdict {
    for (const url of positionalArguments(args, WGET_SHORT_WITH_VALUE, WGET_LONG_WITH_VALUE))
        addTarget("wget", url, facts, { schemeless: true });
    return "fails";
}
