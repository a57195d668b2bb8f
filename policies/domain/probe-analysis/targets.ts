/** Endpoints a probe requests: URLs, `host:port` addresses, and whether they are this container. */
import { MAX_SCRIPT_CHARS } from "../shell-parser";
import { type Facts, MAX_TARGETS, type ProbeRequestTarget } from "./types";

/** String literals and bare `http(s)://` URLs in text (code, arguments). */
function urlsInText(source: string): string[] {
    const urls: string[] = [];
    const text = source.length > MAX_SCRIPT_CHARS ? source.slice(0, MAX_SCRIPT_CHARS) : source;
    const literal = /(["'`])((?:\\.|(?!\1)[^\\\n])*?)\1/g;
    let match: RegExpExecArray | null;
    const seen = new Set<string>();
    while ((match = literal.exec(text)) !== null && urls.length < MAX_TARGETS) {
        const content = match[2].replace(/\\(.)/g, "$1");
        if (/^https?:\/\//i.test(content)) {
            urls.push(content);
            seen.add(content);
        }
    }
    const bare = /https?:\/\/(?:\$\{[^}\s]*\}|[^\s'"`<>(){}\\|;,])+/gi;
    while ((match = bare.exec(text)) !== null && urls.length < MAX_TARGETS) {
        const found = match[0];
        if (![...seen].some((u) => u.includes(found))) urls.push(found);
    }
    return urls;
}

export function addUrlTargets(tool: string, text: string, facts: Facts): void {
    for (const url of urlsInText(text)) addTarget(tool, url, facts, { schemeless: false });
}

/** Adds a target parsed from `raw`; `schemeless` accepts `localhost:8080/health` as curl and wget do. */
export function addTarget(tool: string, raw: string, facts: Facts, options: { schemeless: boolean; local?: boolean }): void {
    const target = parseUrlTarget(tool, raw, options.schemeless);
    if (!target) return;
    if (options.local !== undefined) target.local = options.local;
    pushTarget(facts, target);
}

export function pushTarget(facts: Facts, target: ProbeRequestTarget): void {
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
        raw,
        tool,
        scheme,
        host,
        port: port ?? (portText !== undefined && portText !== "" ? undefined : defaultPort),
        portExplicit,
        path,
        local: host === "" ? "unknown" : hostLocality(host),
    };
    if (query !== undefined) target.query = query;
    return target;
}

/** `host:port`, `[::1]:8080`, `:50051`, `localhost` → host (lower case, no brackets) and port. */
export function parseHostPort(authority: string): { host: string; port?: number } {
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

export function normalizeHost(host: string): string {
    return host
        .toLowerCase()
        .replace(/^\[|\]$/g, "")
        .replace(/\.$/, "");
}

/** Loopback and "this host" addresses; a `$VARIABLE` host is unknown. */
export function hostLocality(rawHost: string): boolean | "unknown" {
    const host = normalizeHost(rawHost);
    if (host.includes("$") || host.includes("`")) return "unknown";
    if (host === "localhost" || host.endsWith(".localhost") || host === "ip6-localhost" || host === "ip6-loopback") return true;
    if (/^127(\.\d{1,3}){3}$/.test(host) || host === "0.0.0.0" || host === "0") return true;
    if (host === "::1" || host === "::" || /^(0{1,4}:){7}0{0,3}1$/.test(host) || host === "::ffff:127.0.0.1") return true;
    return false;
}
