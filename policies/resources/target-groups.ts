/**
 * Target groups (`aws:lb/targetGroup:TargetGroup`, `aws:alb/targetGroup:TargetGroup`): the health
 * check block with AWS's defaults made explicit, and the deregistration delay.
 */
import { ALB_DEFAULT_HEALTH_CHECK_PATH, ALB_DEFAULT_HEALTH_CHECK_PORT } from "../domain/index";
import { awsxDefaultTargetGroupArgs } from "./awsx";
import { TYPES } from "./types";
import { UNKNOWN, type Unknown, asBoolean, asRecord, asString, field } from "./values";

export interface TargetGroupView {
    /** `arn` (outputs only; unknown in a preview of a new target group). */
    arn: unknown;
    /** Target group protocol (`HTTP`, `HTTPS`, `TCP`, …). */
    protocol: string | Unknown | undefined;
    protocolVersion: string | Unknown | undefined;
    /** The `healthCheck` block; `undefined` when absent (AWS then probes `/` on the traffic port). */
    healthCheck: Record<string, unknown> | Unknown | undefined;
    /** `healthCheck.enabled`; AWS default true. */
    healthCheckEnabled: boolean | Unknown;
    /** Probe path with the AWS default (`/`) applied. */
    path: string | Unknown;
    /** Whether `path` came from the AWS default. */
    pathIsDefault: boolean;
    /** Probe port with the AWS default (`traffic-port`) applied. */
    port: string | Unknown;
    /** The target group's own `port` (where traffic goes unless a target says otherwise), raw. */
    trafficPort: unknown;
    deregistrationDelay: unknown;
}

export function readTargetGroup(props: Record<string, unknown>): TargetGroupView {
    const healthCheck = asRecord(field(props, "healthCheck"));
    const hc = healthCheck === UNKNOWN ? UNKNOWN : (healthCheck ?? {});
    const rawPath = hc === UNKNOWN ? UNKNOWN : asString(field(hc, "path"));
    const rawPort = hc === UNKNOWN ? UNKNOWN : field(hc, "port");
    const enabled = hc === UNKNOWN ? UNKNOWN : asBoolean(field(hc, "enabled"));
    return {
        arn: field(props, "arn"),
        protocol: asString(field(props, "protocol")),
        protocolVersion: asString(field(props, "protocolVersion")),
        healthCheck,
        healthCheckEnabled: enabled === undefined ? true : enabled,
        path: rawPath === undefined || rawPath === "" ? ALB_DEFAULT_HEALTH_CHECK_PATH : rawPath,
        pathIsDefault: rawPath === undefined || rawPath === "",
        port: rawPort === UNKNOWN ? UNKNOWN : rawPort === undefined || rawPort === "" ? ALB_DEFAULT_HEALTH_CHECK_PORT : String(rawPort),
        trafficPort: field(props, "port"),
        deregistrationDelay: field(props, "deregistrationDelay"),
    };
}

/** A target group none of whose settings is known yet. */
function unknownTargetGroup(): TargetGroupView {
    return {
        arn: UNKNOWN,
        protocol: UNKNOWN,
        protocolVersion: UNKNOWN,
        healthCheck: UNKNOWN,
        healthCheckEnabled: UNKNOWN,
        path: UNKNOWN,
        pathIsDefault: false,
        port: UNKNOWN,
        trafficPort: UNKNOWN,
        deregistrationDelay: UNKNOWN,
    };
}

/**
 * The target group a resource stands for: a target group's own settings, or the default target
 * group of an awsx ApplicationLoadBalancer's args (what awsx passes it: see awsx.ts).
 */
export function readTargetGroupOf(type: string, props: Record<string, unknown>): TargetGroupView {
    if (type !== TYPES.awsxApplicationLoadBalancer) return readTargetGroup(props);
    const args = awsxDefaultTargetGroupArgs(props);
    return args === UNKNOWN ? unknownTargetGroup() : readTargetGroup(args);
}

/** How messages name the target group a resource stands for. */
export function targetGroupLabel(resource: { type: string; name: string }): string {
    return resource.type === TYPES.awsxApplicationLoadBalancer
        ? `the default target group of awsx ApplicationLoadBalancer '${resource.name}'`
        : `target group '${resource.name}'`;
}

/** True for protocols whose health check is an HTTP request with a path and a matcher. */
export function isHttpTargetGroup(tg: TargetGroupView): boolean | Unknown {
    if (tg.protocol === UNKNOWN) return UNKNOWN;
    const hcProtocol = tg.healthCheck && tg.healthCheck !== UNKNOWN ? asString(field(tg.healthCheck, "protocol")) : undefined;
    if (hcProtocol === UNKNOWN) return UNKNOWN;
    const p = (hcProtocol ?? tg.protocol ?? "HTTP").toUpperCase();
    return p === "HTTP" || p === "HTTPS";
}
