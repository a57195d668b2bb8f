/**
 * Finds a service's front door from ECS and ELBv2: its target group (health-check path and
 * matcher), the load balancer's DNS name, the listener whose rule forwards to that target group
 * (HTTPS preferred) and the rule's host header and path patterns. Five reads for a service with
 * one target group behind one listener: DescribeServices, DescribeTargetGroups,
 * DescribeLoadBalancers, DescribeListeners, DescribeRules.
 */
import type { Action, Listener, Rule, TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AwsReader } from "./aws-reader";
import { readService, type ServiceRef } from "./collect";
import { CannotRunError, unreadable } from "./errors";
import type { SmokeTarget } from "./smoke";

/** What the caller fixed; the rest is discovered. */
export interface SmokeDiscoveryOptions {
    readonly paths?: readonly string[];
    readonly matcher?: string;
}

/** A discovered target, and how it was found. */
export interface DiscoveredTarget {
    readonly target: Pick<SmokeTarget, "url" | "paths" | "matcher" | "hostHeader">;
    readonly notes: string[];
}

function forwardsTo(actions: readonly Action[] | undefined, targetGroupArn: string): boolean {
    return (actions ?? []).some(
        (a) =>
            a.Type === "forward" &&
            (a.TargetGroupArn === targetGroupArn || (a.ForwardConfig?.TargetGroups ?? []).some((g) => g.TargetGroupArn === targetGroupArn)),
    );
}

/** ALB path-pattern matching: `*` any characters, `?` one, case-sensitive. */
export function pathPatternMatches(pattern: string, path: string): boolean {
    const re = new RegExp(
        `^${pattern
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
    );
    return re.test(path);
}

/** The rule (or default action) of `listeners` that forwards to the target group; HTTPS first. */
async function findRoute(
    aws: AwsReader,
    listeners: Listener[],
    targetGroupArn: string,
): Promise<{ listener: Listener; rule?: Rule } | undefined> {
    const ordered = [...listeners].sort((a, b) => (a.Protocol === "HTTPS" ? 0 : 1) - (b.Protocol === "HTTPS" ? 0 : 1));
    for (const listener of ordered) {
        const rules = (await aws.describeRules({ ListenerArn: listener.ListenerArn! })).Rules ?? [];
        const rule = rules.find((r) => !r.IsDefault && forwardsTo(r.Actions, targetGroupArn));
        if (rule) return { listener, rule };
        if (forwardsTo(listener.DefaultActions, targetGroupArn)) return { listener };
    }
    return undefined;
}

function conditionValues(rule: Rule | undefined, field: "host-header" | "path-pattern"): string[] {
    const c = rule?.Conditions?.find((x) => x.Field === field);
    return (field === "host-header" ? c?.HostHeaderConfig?.Values : c?.PathPatternConfig?.Values) ?? c?.Values ?? [];
}

async function readTargetGroup(aws: AwsReader, arn: string): Promise<TargetGroup> {
    const group = (await aws.describeTargetGroups({ TargetGroupArns: [arn] })).TargetGroups?.[0];
    if (!group) throw new CannotRunError("not-found", `target group ${arn} was not found`);
    return group;
}

/**
 * Discovers the URL, paths and matcher for smoke-testing a service through its load balancer.
 * @throws CannotRunError when the service has no load balancer or no listener routes to it.
 */
export async function discoverSmokeTarget(aws: AwsReader, ref: ServiceRef, options: SmokeDiscoveryOptions = {}): Promise<DiscoveredTarget> {
    const service = await readService(aws, ref);
    const tgArn = service.loadBalancers?.find((lb) => lb.targetGroupArn)?.targetGroupArn;
    if (!tgArn) {
        throw new CannotRunError("no-load-balancer", `service ${ref.service} has no load balancer to smoke-test through; pass --url`);
    }
    try {
        const group = await readTargetGroup(aws, tgArn);
        const lbArn = group.LoadBalancerArns?.[0];
        if (!lbArn) {
            throw new CannotRunError("no-load-balancer", `target group ${group.TargetGroupName ?? tgArn} is attached to no load balancer`);
        }
        const lb = (await aws.describeLoadBalancers({ LoadBalancerArns: [lbArn] })).LoadBalancers?.[0];
        const listeners = (await aws.describeListeners({ LoadBalancerArn: lbArn })).Listeners ?? [];
        const route = await findRoute(aws, listeners, tgArn);
        if (!lb?.DNSName || !route) {
            throw new CannotRunError("no-load-balancer", `no listener of ${lbArn} forwards to target group ${tgArn}`);
        }
        const host = conditionValues(route.rule, "host-header").find((h) => !/[*?]/.test(h));
        const patterns = conditionValues(route.rule, "path-pattern");
        const healthPath = group.HealthCheckPath ?? "/";
        const how = route.rule ? `rule priority ${route.rule.Priority}` : "default action";
        const notes = [`found through ${route.listener.Protocol} listener :${route.listener.Port} of ${lb.DNSName}, ${how}`];
        if (!options.paths && patterns.length > 0 && !patterns.some((p) => pathPatternMatches(p, healthPath))) {
            notes.push(
                `the health-check path ${healthPath} does not match the rule's path patterns (${patterns.join(", ")}): ` +
                    "the ALB sends it elsewhere; pass --paths",
            );
        }
        const scheme = route.listener.Protocol === "HTTPS" ? "https" : "http";
        const defaultPort = scheme === "https" ? 443 : 80;
        const port = route.listener.Port && route.listener.Port !== defaultPort ? `:${route.listener.Port}` : "";
        return {
            target: {
                url: `${scheme}://${lb.DNSName}${port}`,
                paths: options.paths ?? [healthPath],
                matcher: options.matcher ?? group.Matcher?.HttpCode ?? "200",
                ...(host ? { hostHeader: host } : {}),
            },
            notes,
        };
    } catch (err) {
        if (err instanceof CannotRunError) throw err;
        throw unreadable(err, `the load balancer of service ${ref.service}`);
    }
}
