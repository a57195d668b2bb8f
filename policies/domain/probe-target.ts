/**
 * Probe paths: comparing the path two probes request, and telling a deep (dependency-checking)
 * endpoint from a shallow liveness one. Reading a command's URL is probe-analysis.ts
 * (`probePathAndPort`); generating commands is probe-command.ts.
 *
 * Pure: no Pulumi, no I/O, never throws on odd input.
 */

/**
 * A request path without query or fragment, `/` when empty. Cut at the first `?`/`#` by index:
 * `/[?#].*$/` rescans to the end from every `?` before a newline (quadratic on long odd input).
 */
export function normalizeProbePath(path: string): string {
    const text = String(path);
    const cut = text.search(/[?#]/);
    const bare = cut < 0 ? text : text.slice(0, cut);
    return bare === "" ? "/" : bare;
}

/**
 * `p` without trailing slashes, by a loop: `/\/+$/` is quadratic on a long run of `/` followed by
 * anything else (36,864 of them took 2 s; found by tests/policies/fuzz-limits.test.ts).
 */
function withoutTrailingSlashes(p: string): string {
    let end = p.length;
    while (end > 0 && p[end - 1] === "/") end--;
    return p.slice(0, end);
}

/** Whether two probes request the same path (exact, query ignored: most apps route `/health` and `/health/` differently). */
export function sameProbePath(a: string, b: string): boolean {
    return normalizeProbePath(a) === normalizeProbePath(b);
}

/**
 * Paths that conventionally report dependency state (database, cache, upstreams): probing them
 * from something that kills tasks (container health check, ALB health check of an ECS service)
 * restarts every task when a dependency degrades. `/health` is deliberately absent: it is the most
 * common *shallow* endpoint name. `/actuator/health` is present: Spring Boot aggregates the
 * database and other indicators into it by default (its liveness group is `/actuator/health/liveness`).
 */
export const DEFAULT_DEEP_HEALTH_PATHS: readonly string[] = [
    "/ready",
    "/readyz",
    "/readiness",
    "/health/ready",
    "/health/readiness",
    "/status",
    "/health/status",
    "/health/deep",
    "/health/dependencies",
    "/actuator/health",
];

/** True when `path` (query ignored, trailing slash ignored, case-insensitive) is one of `deepPaths`. */
export function isDeepHealthPath(path: string, deepPaths: readonly string[] = DEFAULT_DEEP_HEALTH_PATHS): boolean {
    const canonical = (p: string) => {
        const n = normalizeProbePath(p).toLowerCase();
        return n.length > 1 ? withoutTrailingSlashes(n) || "/" : n;
    };
    const wanted = canonical(path);
    return deepPaths.some((d) => typeof d === "string" && canonical(d) === wanted);
}
