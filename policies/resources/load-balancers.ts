/**
 * Which load balancers send traffic to a target group: listeners whose default actions forward to
 * it and listener rules whose actions do, followed to their `loadBalancerArn` — by ARN, or by
 * property dependencies when ARNs are unknown in a preview.
 */
import type { PolicyResource } from "@pulumi/policy";
import { propertyDependencies } from "./stack";
import { NET_TYPES } from "./types-network";
import { UNKNOWN, asArray, asString, field, rawProps } from "./values";

const LISTENER_TYPES: readonly string[] = [NET_TYPES.lbListener, NET_TYPES.albListener];
const RULE_TYPES: readonly string[] = [NET_TYPES.lbListenerRule, NET_TYPES.albListenerRule];
export const LOAD_BALANCER_TYPES: readonly string[] = [NET_TYPES.lbLoadBalancer, NET_TYPES.albLoadBalancer];

/** Target group ARNs an actions list forwards to (`targetGroupArn`, `forward.targetGroups[].arn`); whether one is unknown. */
function forwardedArns(actions: unknown): { arns: string[]; unknown: boolean } {
    const list = asArray(actions);
    if (list === UNKNOWN) return { arns: [], unknown: true };
    const arns: string[] = [];
    let unknown = false;
    const add = (v: unknown) => {
        const s = asString(v);
        if (s === UNKNOWN) unknown = true;
        else if (typeof s === "string") arns.push(s);
    };
    for (const action of list ?? []) {
        add(field(action, "targetGroupArn"));
        const groups = asArray(field(field(action, "forward"), "targetGroups"));
        if (groups === UNKNOWN) unknown = true;
        else for (const g of groups ?? []) add(field(g, "arn"));
    }
    return { arns, unknown };
}

function forwardsTo(holder: PolicyResource, property: string, tg: PolicyResource): boolean {
    const { arns, unknown } = forwardedArns(field(rawProps(holder.props), property));
    const arn = field(rawProps(tg.props), "arn");
    if (typeof arn === "string" && arns.includes(arn)) return true;
    return unknown && propertyDependencies(holder, property).includes(tg);
}

function referenced(
    holder: PolicyResource,
    property: string,
    types: readonly string[],
    resources: readonly PolicyResource[],
): PolicyResource | undefined {
    const ref = asString(field(rawProps(holder.props), property));
    if (typeof ref === "string") return resources.find((r) => types.includes(r.type) && field(rawProps(r.props), "arn") === ref);
    return propertyDependencies(holder, property).find((r) => types.includes(r.type));
}

/** The load balancers of this stack that forward to `tg`. */
export function loadBalancersOf(tg: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
    const listeners = new Set<PolicyResource>();
    for (const r of resources) {
        if (LISTENER_TYPES.includes(r.type) && forwardsTo(r, "defaultActions", tg)) listeners.add(r);
        if (RULE_TYPES.includes(r.type) && forwardsTo(r, "actions", tg)) {
            const listener = referenced(r, "listenerArn", LISTENER_TYPES, resources);
            if (listener) listeners.add(listener);
        }
    }
    const lbs = [...listeners]
        .map((l) => referenced(l, "loadBalancerArn", LOAD_BALANCER_TYPES, resources))
        .filter((lb): lb is PolicyResource => lb !== undefined);
    return [...new Set(lbs)];
}
