import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type PartialTimings, type PortField, checkPortValue, parseHttpMatcher, validateHealthTimings } from "../domain/index";
import { type ResourceContext, resourceRule } from "../kit";
import {
    CONTRACT_FIELD,
    NET_TYPES,
    TARGET_GROUP_TYPES,
    TYPES,
    type TargetGroupView,
    UNKNOWN,
    asArray,
    field,
    isHttpTargetGroup,
    isUnknown,
    readHealthContract,
    readTargetGroup,
    readTargetGroupOf,
    readTaskDefinition,
    show,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

/**
 * Runs the domain's range and timeout-below-interval checks on one probe (`container` or `alb`)
 * and reports each finding at `pathOf(<field name>)`.
 */
function judgeProbe(
    ctx: ResourceContext<object>,
    probe: "container" | "alb",
    raw: Record<string, unknown>,
    pathOf: (name: string) => string,
): void {
    const values: Record<string, unknown> = {};
    const names =
        probe === "container"
            ? ["interval", "timeout", "retries", "startPeriod"]
            : ["interval", "timeout", "healthyThreshold", "unhealthyThreshold"];
    for (const n of names) values[n] = field(raw, n);
    const timings: PartialTimings = probe === "container" ? { container: values } : { alb: values };
    const result = validateHealthTimings(timings);
    const own = (f: string) => f.startsWith(`${probe}.`);
    for (const f of result.undecided.filter(own)) {
        const name = f.slice(probe.length + 1);
        if (isUnknown(values[name])) {
            ctx.report.undecided(ctx.subject, { path: pathOf(name) });
        } else {
            ctx.report.violation(ctx.subject, {
                path: pathOf(name),
                found: show(values[name]),
                problem: `\`${name}\` must be a whole number of ${name.endsWith("Threshold") || name === "retries" ? "checks" : "seconds"}`,
                fix: `Set \`${name}\` to a number (AWS default applies when it is left out)`,
            });
        }
    }
    for (const finding of result.findings.filter((x) => own(x.field))) {
        const name = finding.field.slice(probe.length + 1);
        ctx.report.violation(ctx.subject, { path: pathOf(name), found: show(values[name]), problem: finding.message, fix: finding.fix });
    }
}

const LISTENER_TYPES: readonly string[] = [NET_TYPES.lbListener, NET_TYPES.albListener];

/** A port AWS refuses (`checkPortValue`), reported at `path`. Unset and unknown values are not garbage. */
function judgePort(ctx: ResourceContext<object>, raw: unknown, path: string, kind: PortField = "port"): void {
    if (raw === undefined || isUnknown(raw)) return;
    const problem = checkPortValue(raw, kind);
    if (problem) ctx.report.violation(ctx.subject, { path, found: problem.found, problem: problem.message, fix: problem.fix });
}

/** The ports a target group's args set themselves (not the listener port awsx fills in: judged as the listener's). */
function judgeTargetGroupPorts(ctx: ResourceContext<object>, args: unknown, prefix: string): void {
    judgePort(ctx, field(args, "port"), `${prefix}port`);
    judgePort(ctx, field(field(args, "healthCheck"), "port"), `${prefix}healthCheck.port`, "health-check-port");
}

/** The ports of an awsx ApplicationLoadBalancer's args: its listener(s), `defaultTargetGroupPort`, its default target group's. */
function judgeAwsxAlbPorts(ctx: ResourceContext<object>): void {
    judgePort(ctx, field(ctx.props, "defaultTargetGroupPort"), "defaultTargetGroupPort");
    judgePort(ctx, field(field(ctx.props, "listener"), "port"), "listener.port");
    const listeners = asArray(field(ctx.props, "listeners"));
    if (Array.isArray(listeners)) listeners.forEach((l, i) => judgePort(ctx, field(l, "port"), `listeners[${i}].port`));
    judgeTargetGroupPorts(ctx, field(ctx.props, "defaultTargetGroup"), "defaultTargetGroup.");
}

/**
 * AWS rejects out-of-range probe settings, and the ALB API a target group whose timeout is not below
 * its interval. Judges task definitions (also the one awsx creates), target groups (also the default
 * one of an awsx ApplicationLoadBalancer), awsx args when they are the program's (offline) and the
 * HealthyFargateService contract. The same goes for a port that cannot exist on a listener, a target
 * group or its health check (issue 16: it never deploys, yet the offline check said PASSED);
 * container ports are container-definition-registers' (RegisterTaskDefinition refuses them).
 */
export const healthCheckRangesValid: ResourceValidationPolicy = {
    name: "health-check-ranges-valid",
    description:
        "Container and target group health checks must use values inside AWS's ranges, with the timeout below the interval and a valid HTTP matcher, and load balancer listeners, target groups and health checks must use ports that exist (1-65535).",
    enforcementLevel: "mandatory",
    validateResource: resourceRule(
        [
            TYPES.taskDefinition,
            TYPES.awsxFargateTaskDefinition,
            TYPES.awsxFargateService,
            ...TARGET_GROUP_TYPES,
            TYPES.awsxApplicationLoadBalancer,
            TYPES.healthyFargateService,
            ...LISTENER_TYPES,
        ],
        {},
        (ctx) => {
            if (ctx.type === TYPES.healthyFargateService) {
                const read = readHealthContract(ctx.props);
                if (read.status === "unknown") ctx.report.undecided(ctx.subject, { path: CONTRACT_FIELD });
                if (read.status !== "ok") return;
                for (const probe of ["container", "alb"] as const) {
                    const raw = read.contract.timings[probe];
                    if (raw === UNKNOWN) ctx.report.undecided(ctx.subject, { path: `${CONTRACT_FIELD}.timings.${probe}` });
                    else if (raw) judgeProbe(ctx, probe, raw, (n) => `${CONTRACT_FIELD}.timings.${probe}.${n}`);
                }
                judgeMatcher(ctx, read.contract.matcher, `${CONTRACT_FIELD}.probe.matcher`);
                return;
            }
            if (LISTENER_TYPES.includes(ctx.type)) return judgePort(ctx, field(ctx.props, "port"), "port");
            if (TARGET_GROUP_TYPES.includes(ctx.type)) {
                judgeTargetGroupPorts(ctx, ctx.props, "");
                return judgeTargetGroup(ctx, readTargetGroup(ctx.props), "");
            }
            if (ctx.type === TYPES.awsxApplicationLoadBalancer) {
                judgeAwsxAlbPorts(ctx);
                // Its `defaultTargetGroup` args (offline). In a real preview they are not in the inputs
                // and the target group awsx creates is judged instead; unset fields are AWS's valid defaults.
                if (field(ctx.props, "defaultTargetGroup") === undefined) return;
                return judgeTargetGroup(ctx, readTargetGroupOf(ctx.type, ctx.props), "defaultTargetGroup.");
            }
            const td = readTaskDefinition(ctx.type, ctx.props);
            if (!td) return;
            const read = td.containers;
            if (read.status === "unknown") {
                if (!ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: read.field });
                return;
            }
            if (read.status !== "ok") return;
            for (const c of read.containers) {
                if (c.healthCheck === UNKNOWN) ctx.report.undecided(ctx.subject, { path: `${c.path}.healthCheck` });
                else if (c.healthCheck) judgeProbe(ctx, "container", c.healthCheck, (n) => `${c.path}.healthCheck.${n}`);
            }
        },
    ),
};

/** The health check of a target group (or of an awsx ALB's default one, its fields below `prefix`). */
function judgeTargetGroup(ctx: ResourceContext<object>, tg: TargetGroupView, prefix: string): void {
    if (tg.healthCheck === UNKNOWN) {
        if (!ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: `${prefix}healthCheck` });
        return;
    }
    if (tg.healthCheck === undefined || tg.healthCheckEnabled === false) return;
    judgeProbe(ctx, "alb", tg.healthCheck, (n) => `${prefix}healthCheck.${n}`);
    const http = isHttpTargetGroup(tg);
    const grpc = tg.protocolVersion !== UNKNOWN && tg.protocolVersion?.toUpperCase() === "GRPC";
    if (http === true && !grpc) judgeMatcher(ctx, field(tg.healthCheck, "matcher"), `${prefix}healthCheck.matcher`);
}

function judgeMatcher(ctx: ResourceContext<object>, raw: unknown, path: string): void {
    if (raw === undefined) return; // AWS default "200"
    if (isUnknown(raw)) {
        ctx.report.undecided(ctx.subject, { path });
        return;
    }
    const code = typeof raw === "object" && raw !== null ? field(raw, "httpCode") : raw; // awsx/lb matcher objects
    if (code === undefined) return;
    if (isUnknown(code)) {
        ctx.report.undecided(ctx.subject, { path });
        return;
    }
    const parsed = parseHttpMatcher(code);
    if (!parsed.ok) {
        ctx.report.violation(ctx.subject, {
            path,
            found: show(code),
            problem: `The ALB rejects this matcher: ${parsed.reason}`,
            fix: 'Use HTTP codes between 200 and 499, e.g. "200", "200,302" or "200-399"',
        });
    }
}

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(healthCheckRangesValid, {
    checks: `container health checks (interval 5–300, timeout 2–60, retries 1–10, startPeriod
0–300), target group health checks (interval 5–300, timeout 2–120, thresholds 2–10, and the
timeout below the interval), and the HTTP matcher (codes 200–499; skipped for gRPC and TCP),
via \`validateHealthTimings\` and \`parseHttpMatcher\` — on task definitions and target groups (also
those awsx creates), awsx container args and an awsx ApplicationLoadBalancer's
\`defaultTargetGroup.healthCheck\` (offline; unset fields are AWS's valid defaults). Also the
HealthyFargateService contract's timings. A container timeout at or above its interval is not
reported: ECS accepts it. And ports that cannot exist (\`checkPortValue\`, \`domain/port-numbers.ts\`):
a target group's \`port\` and \`healthCheck.port\` (\`"traffic-port"\` or 1–65535), a listener's \`port\`
(\`aws:lb/listener:Listener\`, \`aws:alb/listener:Listener\`), and offline an awsx
ApplicationLoadBalancer's \`listener.port\`, \`listeners[].port\`, \`defaultTargetGroupPort\` and
\`defaultTargetGroup.port\`/\`.healthCheck.port\` — \`-1\`, \`0\`, \`70000\`, \`3000.5\`, \`"http"\` are
violations; a port not known yet is not judged. (Container ports: container-definition-registers.)`,
    rationale: `AWS rejects out-of-range values and ports outside 1–65535 (ELBv2 API reference, \`Port\`),
and the ELBv2 API rejects a target group whose timeout is not below its interval ("Health check
interval must be greater than the timeout").`,
    config: `none.`,
    remediation: `Keep each value in range and the timeout below the interval. HTTP matcher codes stay
within 200-499; ports within 1-65535.`,
    examples: `Fails:
\`\`\`ts
healthCheck: { path: "/health/live", port: "http", interval: 10, timeout: 10, healthyThreshold: 1 }
\`\`\`
Passes:
\`\`\`ts
healthCheck: { path: "/health/live", port: "traffic-port", interval: 10, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: "200-399" }
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: healthCheckRangesValid, metadata };
