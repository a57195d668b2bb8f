/**
 * Which values can be a TCP/UDP port where AWS takes one: a load balancer listener, a target group,
 * its health check, a container's port mapping. A port that cannot exist (`-1`, `0`, `70000`,
 * `3000.5`, `"http"`) never deploys: the provider's validation or the AWS API refuses it, while the
 * offline check (which runs no provider) said PASSED.
 *
 * Sources (read Dec 2026):
 * - ELBv2 API reference, `CreateTargetGroup` / `TargetGroup` `Port` and `CreateListener` /
 *   `Listener` `Port`: "Valid Range: Minimum value of 1. Maximum value of 65535".
 * - ELBv2 API reference, `HealthCheckPort` (a string): "traffic-port" (the default: the port each
 *   target receives traffic on) or a port number.
 * - ECS API reference, `PortMapping`: `containerPort` is the port the container listens on;
 *   `hostPort` may be omitted or 0 with the bridge network mode ("your container automatically
 *   receives a port in the ephemeral port range"), so 0 is a valid host port (awsvpc's "blank or
 *   equal to containerPort" is `checkPortMappings`' rule).
 *
 * Pure: no Pulumi, no I/O, never throws. Values that are not known yet (a preview's computed
 * value) are the caller's to filter out: they are not garbage.
 */
import { ALB_DEFAULT_HEALTH_CHECK_PORT as TRAFFIC_PORT } from "./aws-limits";
import { asNumber } from "./health-timing-validation";

/** The port numbers AWS accepts (ELBv2 `Port`, ECS `PortMapping.containerPort`). */
export const PORT_RANGE = { min: 1, max: 65535 } as const;

/** What a port field is, for the range it accepts. */
export type PortField = "port" | "health-check-port" | "host-port";

/** A port value AWS refuses. */
export interface PortProblem {
    /** The value as found, shortened (a port field holds no credentials). */
    found: string;
    message: string;
    fix: string;
}

/** The number a port value stands for: finite numbers and numeric strings (the AWS APIs and the provider accept both). */
const portNumberOf = asNumber;

/** True for a whole number from 1 to 65535 (or its numeric string). */
export function isPortNumber(value: unknown): boolean {
    const n = portNumberOf(value);
    return n !== undefined && Number.isInteger(n) && n >= PORT_RANGE.min && n <= PORT_RANGE.max;
}

function shown(value: unknown): string {
    const text = typeof value === "string" ? JSON.stringify(value) : typeof value === "number" ? String(value) : undefined;
    if (text !== undefined) return text.length > 40 ? `${text.slice(0, 37)}...` : text;
    return value === null ? "null" : Array.isArray(value) ? "a list" : `a ${typeof value}`;
}

/**
 * Checks a known port value of `kind`: `port` (listener, target group, container port: 1–65535),
 * `health-check-port` (also `"traffic-port"`), `host-port` (also 0, a dynamic host port).
 * `undefined` when AWS accepts it (or it is unset).
 */
export function checkPortValue(value: unknown, kind: PortField = "port"): PortProblem | undefined {
    if (value === undefined) return undefined;
    // An empty health check port is the provider's unset, i.e. the default "traffic-port" (resources/target-groups.ts reads it so).
    if (kind === "health-check-port" && (value === TRAFFIC_PORT || value === "")) return undefined;
    if (kind === "host-port" && portNumberOf(value) === 0) return undefined;
    if (isPortNumber(value)) return undefined;
    const n = portNumberOf(value);
    const what =
        n === undefined
            ? "is not a number"
            : !Number.isInteger(n)
              ? "is not a whole number"
              : `is outside ${PORT_RANGE.min}–${PORT_RANGE.max}`;
    const accepted =
        kind === "health-check-port"
            ? `"${TRAFFIC_PORT}" or a whole number from ${PORT_RANGE.min} to ${PORT_RANGE.max}`
            : kind === "host-port"
              ? `0 (a dynamic host port) or a whole number from ${PORT_RANGE.min} to ${PORT_RANGE.max}`
              : `a whole number from ${PORT_RANGE.min} to ${PORT_RANGE.max}`;
    return {
        found: shown(value),
        message: `The port ${what}: AWS accepts ${accepted}, so the resource never deploys`,
        fix:
            kind === "health-check-port"
                ? `Set the port the container listens on, or "${TRAFFIC_PORT}" (the default) to probe the port traffic goes to`
                : "Set the port the service really listens on (e.g. 80, 443, 8080), as a number",
    };
}
