/** The analysis's public result types and the facts it gathers while it walks a command. */

/** How ECS runs the command: `CMD` exec form, `CMD-SHELL` through `/bin/sh -c`, `NONE` disables. */
export type ProbeCommandForm = "CMD" | "CMD-SHELL" | "NONE" | "invalid" | "unknown";

/** Stable identifiers of probe problems (policies and docs cite them; never reuse one). */
export type ProbeProblemId =
    | "command-not-a-list"
    | "command-invalid"
    | "command-empty"
    | "non-string-element"
    | "unknown-command-form"
    | "missing-executable"
    | "exec-form-single-string"
    | "shell-syntax-in-exec-form"
    | "health-check-disabled"
    | "curl-without-fail"
    | "failure-masked"
    | "always-healthy"
    | "always-unhealthy"
    | "port-check-only"
    | "remote-target"
    | "analysis-failed";

/** One thing wrong with a probe command, with the reason and the fix. */
export interface ProbeProblem {
    id: ProbeProblemId;
    message: string;
    fix: string;
}

/** An endpoint the command requests. */
export interface ProbeRequestTarget {
    /** The text as written (`http://localhost:8080/health`, `localhost:8080`, `:50051`). */
    raw: string;
    /** The program that requests it (`curl`, `wget`, `node`, `nc`, …). */
    tool: string;
    /** `http`/`https` for URLs; `undefined` for TCP (`nc`) and gRPC addresses. */
    scheme?: string;
    /** Lower-case host without brackets (`::1`); empty when none was written. */
    host: string;
    /** The port requested; for a URL without one, the scheme default. `undefined` when it is a shell variable or unreadable. */
    port?: number;
    /** Whether the port was written out (else it is the scheme default). */
    portExplicit: boolean;
    /** URL path without the query (`/` when the URL has none); `undefined` for TCP/gRPC targets. */
    path?: string;
    /** Query string without `?`, when present. */
    query?: string;
    /** Loopback (`localhost`, `127.x`, `0.0.0.0`, `::1`, unix socket) or not; `"unknown"` when the host is a shell variable. */
    local: boolean | "unknown";
}

/** What {@link analyzeProbeCommand} found. */
export interface ProbeCommandAnalysis {
    form: ProbeCommandForm;
    /** Whether the image needs `/bin/sh` (CMD-SHELL, or an exec form that runs `sh -c`). */
    needsShell: boolean;
    /** Programs the command runs, by base name (`/usr/bin/curl` → `curl`, `python3.12` → `python3`), in order, once each. */
    tools: string[];
    /** The same programs as written (`/nodejs/bin/node`), in order, once each. */
    executables: string[];
    /**
     * `true` when an HTTP error status (or no answer) makes the command exit non-zero; `false` when
     * the command succeeds anyway (`curl` without `-f`, `|| true`, `; exit 0`, a TCP-only check);
     * `"unknown"` when we cannot tell (a script file, control flow, an unknown program).
     */
    failsOnHttpErrors: boolean | "unknown";
    targets: ProbeRequestTarget[];
    problems: ProbeProblem[];
}

/** Verdict of one piece of a command: does it fail on HTTP errors, or is its status fixed? */
export type Verdict = "fails" | "passes" | "unknown" | "always-ok" | "always-fail" | "passthrough";
/** Why a piece passes on HTTP errors (turned into problems when that decides the whole command). */
export type PassReason = "curl-without-fail" | "port-check-only";

export interface Facts {
    /** Insertion-ordered sets: a hostile script with thousands of commands stays linear. */
    tools: Set<string>;
    executables: Set<string>;
    targets: Map<string, ProbeRequestTarget>;
    passReasons: Set<PassReason>;
    /** Texts like `|| true` and `; exit 0` that force success in the part that decides the status. */
    masks: string[];
    needsShell: boolean;
}

/** Nested `$(…)`/`sh -c` deeper than this is not analysed (bounded work on hostile input). */
export const MAX_NESTING = 4;
/** At most this many targets are kept (real probes request one or two). */
export const MAX_TARGETS = 64;

export function newFacts(): Facts {
    return { tools: new Set(), executables: new Set(), targets: new Map(), passReasons: new Set(), masks: [], needsShell: false };
}
