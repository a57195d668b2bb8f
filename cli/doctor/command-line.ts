/**
 * The doctor's command line: argv → one typed command, or a `UsageError` (exit 64) that names
 * the flag and the fix. Part of the CLI layer with `main.ts`; the library never imports it.
 */
import { parseArgs } from "node:util";
import { parseHttpMatcher } from "@healthy-fargate/domain";
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_MAX_CALLS } from "./calls";
import { formatDuration, parseDurationWithin, type DurationBounds } from "./duration";
import { MIN_POLL_MS } from "./wait";

export const USAGE = `usage:
  doctor diagnose --cluster C --service S [--since 2h]
  doctor wait     --cluster C --service S [--interval 10s]
  doctor startup  --cluster C --service S [--tasks 20] [--expected 20s --worst 40s] [--probe-pattern REGEX]
  doctor smoke    --url https://host[/prefix] --paths /health/live,/health/ready [--matcher 200-399]
                  [--requests 5] [--timeout 5s] [--follow-redirects]
  doctor smoke    --cluster C --service S [--paths …] [--requests 5] [--timeout 5s]
  doctor scan     --cluster C [--concurrency 4] [--since 2h] [--format text|json|markdown]
common: [--region R] [--format text|json] [--timeout T (whole run; smoke: per request)]
        [--call-timeout 10s] [--max-calls N] [--verbose]
exit codes: 0 healthy/succeeded/within budget, 1 a problem was found, 2 could not run, 64 bad arguments
`;

/** Bad arguments: exit 64 with this message and the usage. */
export class UsageError extends Error {}

export type Format = "text" | "json" | "markdown";

/** Flags every command takes. */
interface Common {
    readonly format: Format;
    readonly region?: string;
    /** The whole run's time limit (smoke: each request's). */
    readonly timeoutMs: number;
    readonly callTimeoutMs: number;
    readonly maxCalls: number;
    readonly verbose: boolean;
}
interface ServiceTarget {
    readonly cluster: string;
    readonly service: string;
}

export type DiagnoseCommand = Common & ServiceTarget & { readonly command: "diagnose"; readonly sinceMs: number };
export type WaitCommand = Common & ServiceTarget & { readonly command: "wait"; readonly intervalMs: number };
export type StartupCommand = Common &
    ServiceTarget & {
        readonly command: "startup";
        readonly tasks: number;
        readonly expectedSeconds?: number;
        readonly worstCaseSeconds?: number;
        readonly probePattern?: RegExp;
    };
export type SmokeCommand = Common &
    Partial<ServiceTarget> & {
        readonly command: "smoke";
        readonly url?: string;
        readonly paths?: string[];
        readonly matcher?: string;
        readonly requests: number;
        readonly followRedirects: boolean;
    };
export type ScanCommand = Common & {
    readonly command: "scan";
    readonly cluster: string;
    readonly concurrency: number;
    readonly sinceMs: number;
};
export type Command = DiagnoseCommand | WaitCommand | StartupCommand | SmokeCommand | ScanCommand;

const COMMON_FLAGS = ["format", "region", "timeout", "call-timeout", "max-calls", "verbose"];
/** The flags each command accepts besides the common ones. */
const FLAGS: Record<Command["command"], string[]> = {
    diagnose: ["cluster", "service", "since"],
    wait: ["cluster", "service", "interval"],
    startup: ["cluster", "service", "tasks", "expected", "worst", "probe-pattern"],
    smoke: ["url", "cluster", "service", "paths", "matcher", "requests", "follow-redirects"],
    scan: ["cluster", "concurrency", "since"],
};
/** Default whole-run limit per command (smoke: per request). */
const DEFAULT_TIMEOUT: Record<Command["command"], string> = { diagnose: "2m", wait: "15m", startup: "2m", smoke: "5s", scan: "10m" };

const LOOKBACK: DurationBounds = {
    maxMs: 30 * 86_400_000,
    why: "ECS keeps only the last 100 service events and shows stopped tasks for about an hour, so an older look-back reads nothing more",
};
const RUN_LIMIT: DurationBounds = { minMs: 1_000, maxMs: 86_400_000, why: "a run longer than a day is a stuck pipeline, not a wait" };
const CALL_LIMIT: DurationBounds = { minMs: 100, maxMs: 300_000, why: "no AWS read takes that long; a longer limit only delays the error" };
const POLL: DurationBounds = {
    minMs: MIN_POLL_MS,
    maxMs: 3_600_000,
    why: "a slower poll would miss the deployment's outcome by that much",
};
const STARTUP_SECONDS: DurationBounds = {
    maxMs: 3_300_000,
    why: "a container probe (start period 300 s + 10 retries × 300 s) cannot cover more",
};

const OPTIONS = {
    cluster: { type: "string" },
    service: { type: "string" },
    region: { type: "string" },
    format: { type: "string" },
    since: { type: "string" },
    timeout: { type: "string" },
    interval: { type: "string" },
    "call-timeout": { type: "string" },
    "max-calls": { type: "string" },
    verbose: { type: "boolean" },
    tasks: { type: "string" },
    expected: { type: "string" },
    worst: { type: "string" },
    "probe-pattern": { type: "string" },
    url: { type: "string" },
    paths: { type: "string" },
    matcher: { type: "string" },
    requests: { type: "string" },
    "follow-redirects": { type: "boolean" },
    concurrency: { type: "string" },
} as const;

type Values = Partial<Record<keyof typeof OPTIONS, string | boolean>>;

/** Parses argv (without node and script). @throws UsageError */
export function parseCommandLine(argv: string[]): Command {
    let parsed;
    try {
        parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    const { values, positionals } = parsed as { values: Values; positionals: string[] };
    const command = positionals[0] as Command["command"];
    if (!(command in FLAGS)) {
        const known = Object.keys(FLAGS)
            .map((c) => `\`${c}\``)
            .join(", ");
        throw new UsageError(`unknown command ${command ? `"${command}"` : "(none)"}: use ${known}.`);
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}".`);
    const allowed = new Set([...COMMON_FLAGS, ...FLAGS[command]]);
    const stray = Object.keys(values).find((flag) => !allowed.has(flag));
    if (stray) throw new UsageError(`\`--${stray}\` is not an option of \`${command}\`.`);
    return wrapErrors(() => BUILDERS[command](values, common(command, values)));
}

/** Turns a parse error of a value into a usage error. */
function wrapErrors<T>(build: () => T): T {
    try {
        return build();
    } catch (err) {
        throw err instanceof UsageError ? err : new UsageError((err as Error).message);
    }
}

function text(values: Values, flag: keyof typeof OPTIONS): string | undefined {
    const v = values[flag];
    return typeof v === "string" ? v : undefined;
}

function common(command: Command["command"], values: Values): Common {
    const format = text(values, "format") ?? "text";
    const formats = command === "scan" ? ["text", "json", "markdown"] : ["text", "json"];
    if (!formats.includes(format)) throw new UsageError(`\`--format\` must be ${formats.join(", ")} (got "${format}").`);
    const region = text(values, "region");
    return {
        format: format as Format,
        ...(region ? { region } : {}),
        timeoutMs: wrapErrors(() => parseDurationWithin(text(values, "timeout") ?? DEFAULT_TIMEOUT[command], "--timeout", RUN_LIMIT)),
        callTimeoutMs: wrapErrors(() =>
            parseDurationWithin(text(values, "call-timeout") ?? formatDuration(DEFAULT_CALL_TIMEOUT_MS), "--call-timeout", CALL_LIMIT),
        ),
        maxCalls: integer(values, "max-calls", command === "scan" ? 5 * DEFAULT_MAX_CALLS : DEFAULT_MAX_CALLS, 1, 100_000),
        verbose: values.verbose === true,
    };
}

/** An integer flag within [min, max]. */
function integer(values: Values, flag: keyof typeof OPTIONS, fallback: number, min: number, max: number): number {
    const raw = text(values, flag);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
        throw new UsageError(`\`--${flag}\` must be a whole number from ${min} to ${max} (got "${raw}").`);
    }
    return Number(raw);
}

function serviceTarget(values: Values): ServiceTarget {
    const cluster = text(values, "cluster");
    const service = text(values, "service");
    if (!cluster || !service) throw new UsageError("`--cluster` and `--service` are required.");
    return { cluster, service };
}

function seconds(values: Values, flag: "expected" | "worst"): number | undefined {
    const raw = text(values, flag);
    return raw === undefined ? undefined : parseDurationWithin(raw, `--${flag}`, STARTUP_SECONDS) / 1000;
}

const BUILDERS: { [C in Command["command"]]: (values: Values, c: Common) => Extract<Command, { command: C }> } = {
    diagnose: (values, c) => ({
        ...c,
        ...serviceTarget(values),
        command: "diagnose",
        sinceMs: parseDurationWithin(text(values, "since") ?? "2h", "--since", LOOKBACK),
    }),
    wait: (values, c) => ({
        ...c,
        ...serviceTarget(values),
        command: "wait",
        intervalMs: parseDurationWithin(text(values, "interval") ?? "10s", "--interval", POLL),
    }),
    startup: (values, c) => startupCommand(values, c),
    smoke: (values, c) => smokeCommand(values, c),
    scan: (values, c) => {
        const cluster = text(values, "cluster");
        if (!cluster) throw new UsageError("`--cluster` is required.");
        return {
            ...c,
            command: "scan",
            cluster,
            concurrency: integer(values, "concurrency", 4, 1, 32),
            sinceMs: parseDurationWithin(text(values, "since") ?? "2h", "--since", LOOKBACK),
        };
    },
};

function startupCommand(values: Values, c: Common): StartupCommand {
    const expectedSeconds = seconds(values, "expected");
    const worstCaseSeconds = seconds(values, "worst");
    if ((expectedSeconds === undefined) !== (worstCaseSeconds === undefined)) {
        throw new UsageError(
            "`--expected` and `--worst` go together: the declared budget is both numbers " + "(e.g. --expected 20s --worst 40s).",
        );
    }
    if (expectedSeconds !== undefined && worstCaseSeconds !== undefined && worstCaseSeconds < expectedSeconds) {
        throw new UsageError(`\`--worst\` (${worstCaseSeconds}s) must be at least \`--expected\` (${expectedSeconds}s).`);
    }
    const pattern = text(values, "probe-pattern");
    let probePattern: RegExp | undefined;
    try {
        probePattern = pattern === undefined ? undefined : new RegExp(pattern);
    } catch (err) {
        throw new UsageError(`\`--probe-pattern\` is not a valid regular expression: ${(err as Error).message}`);
    }
    return {
        ...c,
        ...serviceTarget(values),
        command: "startup",
        tasks: integer(values, "tasks", 20, 1, 100),
        ...(expectedSeconds !== undefined ? { expectedSeconds } : {}),
        ...(worstCaseSeconds !== undefined ? { worstCaseSeconds } : {}),
        ...(probePattern ? { probePattern } : {}),
    };
}

function smokeCommand(values: Values, c: Common): SmokeCommand {
    const url = text(values, "url");
    const cluster = text(values, "cluster");
    const service = text(values, "service");
    if (url && (cluster || service)) throw new UsageError("give either `--url` or `--cluster` and `--service`, not both.");
    if (!url && !(cluster && service)) throw new UsageError("`--url`, or `--cluster` and `--service`, is required.");
    if (url && !/^https?:\/\/[^/\s]+/i.test(url)) throw new UsageError(`\`--url\` must be an http:// or https:// URL (got "${url}").`);
    const rawPaths = text(values, "paths");
    const paths = rawPaths
        ?.split(",")
        .map((p) => p.trim())
        .filter((p) => p.length > 0);
    if (paths?.some((p) => !p.startsWith("/"))) {
        throw new UsageError(
            `\`--paths\` must be absolute paths separated by commas, e.g. /health/live,/health/ready ` + `(got "${rawPaths}").`,
        );
    }
    if (url && !paths?.length) throw new UsageError("`--paths` is required with `--url` (e.g. --paths /health/live).");
    const matcher = text(values, "matcher");
    const parsed = matcher === undefined ? undefined : parseHttpMatcher(matcher);
    if (parsed && !parsed.ok) throw new UsageError(`\`--matcher\`: ${parsed.reason} (e.g. 200, 200,302 or 200-399).`);
    return {
        ...c,
        command: "smoke",
        ...(url ? { url } : { cluster, service }),
        ...(paths?.length ? { paths } : {}),
        ...(matcher ? { matcher } : {}),
        requests: integer(values, "requests", 5, 1, 100),
        followRedirects: values["follow-redirects"] === true,
    };
}
