import { analyzeProbeCommand } from "./analyze";

/** Where a probe command sends its request, for aligning it with the ALB health check. */
export interface ProbeEndpoint {
    /** URL path without the query (`/health`). */
    path: string;
    /** Port requested, `undefined` when written as a variable. */
    port?: number;
    portExplicit: boolean;
    host: string;
    scheme: string;
    query?: string;
}

/**
 * The path and port of the first local HTTP(S) request a probe command makes, or `undefined` when
 * it makes none we can read (TCP check, script file, unknown value). Never throws.
 */
export function probePathAndPort(command: unknown): ProbeEndpoint | undefined {
    const target = analyzeProbeCommand(command).targets.find(
        (t) => t.local !== false && t.path !== undefined && (t.scheme === "http" || t.scheme === "https"),
    );
    if (!target || target.path === undefined || target.scheme === undefined) return undefined;
    const endpoint: ProbeEndpoint = {
        path: target.path,
        port: target.port,
        portExplicit: target.portExplicit,
        host: target.host,
        scheme: target.scheme,
    };
    if (target.query !== undefined) endpoint.query = target.query;
    return endpoint;
}
