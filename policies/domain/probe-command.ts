/**
 * Container probe commands: generating one for a chosen tool.
 *
 * Every generated command uses the exec form (`["CMD", …]`), so it needs no shell in the image
 * (distroless images have none), targets `localhost` (a probe of a remote host says nothing
 * about this container), and fails on HTTP errors (status ≥ 400) and on timeouts.
 */

/** The program that performs the HTTP request inside the container. */
export type ProbeTool = "curl" | "wget" | "node" | "python";
export const PROBE_TOOLS: readonly ProbeTool[] = ["curl", "wget", "node", "python"];

export interface ProbeTarget {
    /** Container port the app listens on. */
    port: number;
    /** Liveness path, starting with `/`. */
    path: string;
    /** Seconds the request may take; keep it below the health check `timeout` so the tool reports the failure itself. */
    timeoutSeconds: number;
}

/** The URL a probe requests: always loopback, so it tests this container and nothing else. */
export function probeUrl(target: Pick<ProbeTarget, "port" | "path">): string {
    return `http://localhost:${target.port}${target.path}`;
}

/**
 * Builds the ECS `healthCheck.command` for `tool`.
 * - curl: `-f` makes HTTP ≥ 400 exit 22 (without it a 500 is "healthy"); `-sS` keeps logs quiet
 *   but shows errors; `--max-time` bounds the request.
 * - wget (GNU and BusyBox): exits non-zero on 4xx/5xx by itself; `-T` bounds one attempt. GNU
 *   wget retries after a read timeout (BusyBox has no `-t` flag to stop it, so none is passed):
 *   ECS's own health check timeout then ends the probe, which counts as a failure either way.
 * - node: for images with Node ≥ 18 on PATH but neither curl nor wget (node:*-slim). Not for
 *   gcr.io/distroless/nodejs*: node is /nodejs/bin/node there, off PATH (and there is no shell).
 * - python: for images with Python 3 but neither tool (e.g. python:*-slim).
 */
export function probeCommand(tool: ProbeTool, target: ProbeTarget): string[] {
    const url = probeUrl(target);
    const seconds = Math.max(1, Math.floor(target.timeoutSeconds));
    switch (tool) {
        case "curl":
            return ["CMD", "curl", "-fsS", "-o", "/dev/null", "--max-time", String(seconds), url];
        case "wget":
            return ["CMD", "wget", "-q", "-O", "/dev/null", "-T", String(seconds), url];
        case "node":
            return [
                "CMD",
                "node",
                "-e",
                `fetch(${JSON.stringify(url)},{signal:AbortSignal.timeout(${seconds * 1000})}).then(r=>process.exit(r.status<400?0:1),()=>process.exit(1))`,
            ];
        case "python":
            return [
                "CMD",
                "python3",
                "-c",
                `import sys,urllib.request as u\ntry:\n  sys.exit(0 if u.urlopen(${JSON.stringify(url)},timeout=${seconds}).status<400 else 1)\nexcept Exception:\n  sys.exit(1)`,
            ];
    }
}
