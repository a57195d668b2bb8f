/** curl: the URLs it requests, and whether an HTTP error fails it (`-f`/`--fail`, or a config file we cannot read). */
import { addTarget } from "../targets";
import type { Facts, Verdict } from "../types";

const CURL_SHORT_WITH_VALUE = new Set("AbcCdDeEFHhKmoPQrtTuUwxXyYz".split(""));
const CURL_LONG_WITH_VALUE = new Set([
    "max-time",
    "connect-timeout",
    "output",
    "header",
    "user-agent",
    "request",
    "data",
    "data-raw",
    "data-binary",
    "data-urlencode",
    "data-ascii",
    "json",
    "form",
    "form-string",
    "retry",
    "retry-delay",
    "retry-max-time",
    "write-out",
    "unix-socket",
    "abstract-unix-socket",
    "resolve",
    "connect-to",
    "proxy",
    "noproxy",
    "cacert",
    "capath",
    "cert",
    "key",
    "user",
    "url",
    "interface",
    "local-port",
    "max-filesize",
    "limit-rate",
    "speed-limit",
    "speed-time",
    "expect100-timeout",
    "keepalive-time",
    "dns-servers",
    "cookie",
    "cookie-jar",
    "referer",
    "range",
    "upload-file",
    "config",
    "stderr",
    "trace",
    "trace-ascii",
    "output-dir",
    "happy-eyeballs-timeout-ms",
    "ciphers",
    "pinnedpubkey",
    "proto",
    "proto-redir",
    "proto-default",
    "max-redirs",
    "cert-type",
    "key-type",
    "pass",
    "oauth2-bearer",
    "variable",
    "ipfs-gateway",
]);

export function analyzeCurl(args: string[], facts: Facts): Verdict {
    let fail = false;
    let config = false;
    let unixSocket = false;
    const urls: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === "--") {
            urls.push(...args.slice(i + 1));
            break;
        }
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
