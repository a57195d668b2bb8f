/**
 * awsx components in the two worlds a policy runs in. `awsx:ecs:FargateService`,
 * `awsx:ecs:FargateTaskDefinition` and `awsx:lb:ApplicationLoadBalancer` are remote components:
 *
 * - Real `pulumi preview`/`up`: the engine never shows the analyzer what the program wrote (a remote
 *   component's program-side registration does not go through the step generator:
 *   pkg/resource/deploy/source_eval.go of pulumi/pulumi). The awsx provider constructs the component
 *   in its own process and registers it with EMPTY inputs — `super(name, {}, opts)` in
 *   awsx/ecs/fargateService.ts, fargateTaskDefinition.ts and lb/applicationLoadBalancer.ts; the
 *   provider bundles @pulumi/pulumi 3.200, whose ComponentResource does not register its args
 *   (pulumi-awsx e60adf3, v3.8.0+16) — then real `aws:*` children (parent = the component) whose
 *   inputs awsx computes from the args, defaults filled in.
 * - Offline (the check, under `pulumi.runtime.setMocks`): the component is registered with the args
 *   the program wrote, and no child exists.
 *
 * So a policy judges awsx children whenever they exist, and a component's args only when it has
 * them; never an awsx component's empty inputs. This file knows which args mark a registration as
 * the program's, which resources a stack policy judges ({@link isJudgedInStack}), and what awsx
 * fills in (default target group, log group). Pure; never throws.
 */
import type { PolicyResource } from "@pulumi/policy";
import { ancestorOfType } from "./stack";
import { AWSX_COMPONENT_TYPES, TYPES } from "./types";
import { UNKNOWN, type Unknown, asArray, asNumberValue, asRecord, asString, field, isUnknown, rawProps } from "./values";

/**
 * Whether the inputs of an awsx component are the args the program wrote (offline) rather than the
 * empty registration of the awsx provider (a real preview). Decided by the args awsx requires:
 * FargateService throws without `taskDefinition` or `taskDefinitionArgs`, FargateTaskDefinition
 * without `container` or `containers` (awsx/ecs/fargateService.ts, containers.ts). Every args object
 * of an ApplicationLoadBalancer is valid (`{}` = all defaults), so for it only the args that shape
 * its default target group count; stack policies read an ALB without children as all defaults
 * ({@link isJudgedInStack}). `true` for any other type.
 */
export function hasAwsxArgs(type: string, props: Record<string, unknown>): boolean {
    const has = (...keys: string[]) => keys.some((k) => field(props, k) !== undefined);
    switch (type) {
        case TYPES.awsxFargateService:
            return has("taskDefinitionArgs", "taskDefinition");
        case TYPES.awsxFargateTaskDefinition:
            return has("container", "containers");
        case TYPES.awsxApplicationLoadBalancer:
            return has("defaultTargetGroup", "defaultTargetGroupPort", "listener", "listeners");
        default:
            return true;
    }
}

const parentsCache = new WeakMap<readonly PolicyResource[], Set<PolicyResource>>();

/** True when a resource of the stack has `resource` as its parent. */
export function hasChildrenInStack(resource: PolicyResource, resources: readonly PolicyResource[]): boolean {
    let parents = parentsCache.get(resources);
    if (!parents) {
        parents = new Set(resources.map((r) => r.parent).filter((p): p is PolicyResource => p !== undefined));
        parentsCache.set(resources, parents);
    }
    return parents.has(resource);
}

/**
 * The resources a stack policy judges: every resource, except an awsx component whose children are
 * in the stack (a real preview: the children carry what awsx computed) or whose inputs are not the
 * program's args ({@link hasAwsxArgs}). An ApplicationLoadBalancer without children is judged with
 * its args, `{}` meaning all defaults.
 */
export function isJudgedInStack(resource: PolicyResource, resources: readonly PolicyResource[]): boolean {
    if (!AWSX_COMPONENT_TYPES.includes(resource.type)) return true;
    if (hasChildrenInStack(resource, resources)) return false;
    return resource.type === TYPES.awsxApplicationLoadBalancer || hasAwsxArgs(resource.type, rawProps(resource.props));
}

/**
 * What a reference to `source` stands for in this stack: for an awsx component, its one descendant of
 * `types` when the stack has it (a real preview), else the component itself (offline: its args);
 * any other resource is itself.
 */
export function resolveAwsxSource(source: PolicyResource, resources: readonly PolicyResource[], types: readonly string[]): PolicyResource {
    if (!AWSX_COMPONENT_TYPES.includes(source.type)) return source;
    const rendered = resources.filter((r) => types.includes(r.type) && ancestorOfType(r, [source.type]) === source);
    return rendered.length === 1 ? rendered[0] : source;
}

/** The listener port/protocol awsx gives the default target group (lb/applicationLoadBalancer.ts `getDefaultProtocol`). */
function defaultListenerProtocol(props: Record<string, unknown>): { port: unknown; protocol: unknown } | undefined | Unknown {
    let listener: unknown = field(props, "listener");
    const listeners = asArray(field(props, "listeners"));
    if (listeners === UNKNOWN) return UNKNOWN;
    if (listeners !== undefined) {
        // awsx's own rule: with exactly one entry in `listeners` it gives the target group no default.
        if (listeners.length === 1) return undefined;
        listener = listeners[0];
    }
    if (listener === UNKNOWN) return UNKNOWN;
    const port = field(listener, "port");
    const protocol = field(listener, "protocol");
    const portNumber = asNumberValue(port);
    const protocolName = asString(protocol);
    if (listener !== undefined && port && protocol) return { port, protocol };
    if (listener !== undefined && port) return { port, protocol: portNumber === UNKNOWN ? UNKNOWN : portNumber === 443 ? "HTTPS" : "HTTP" };
    if (listener !== undefined && protocol) {
        return { protocol, port: protocolName === UNKNOWN ? UNKNOWN : protocolName === "HTTPS" ? 443 : 80 };
    }
    return { port: field(props, "defaultTargetGroupPort") ?? 80, protocol: "HTTP" };
}

/**
 * The args awsx passes to the default target group of an ApplicationLoadBalancer:
 * `{ targetType: "ip", <listener port/protocol>, ...defaultTargetGroup }`
 * (lb/applicationLoadBalancer.ts). Health check and deregistration delay come from
 * `defaultTargetGroup` alone: unset, AWS's defaults apply (path "/", matcher 200, 300 s drain).
 */
export function awsxDefaultTargetGroupArgs(albProps: Record<string, unknown>): Record<string, unknown> | Unknown {
    const given = field(albProps, "defaultTargetGroup");
    if (given === UNKNOWN) return UNKNOWN;
    const defaults = defaultListenerProtocol(albProps);
    if (defaults === UNKNOWN) return UNKNOWN;
    const record = asRecord(given);
    return { targetType: "ip", ...(defaults ?? {}), ...(record && record !== UNKNOWN ? record : {}) };
}

/** The log group awsx creates for a task definition's args (cloudwatch/logGroup.ts `defaultLogGroup`). */
export type AwsxLogGroup = { created: false } | { created: true; retentionInDays: unknown; path: string } | Unknown;

/**
 * awsx creates a log group for every FargateTaskDefinition (also the one of a FargateService)
 * unless `logGroup.skip` or `logGroup.existing` is set, with `logGroup.args` and no default
 * retention. `prefix` is where the task definition args sit (`""` or `"taskDefinitionArgs."`).
 */
export function awsxLogGroup(taskDefinitionArgs: unknown, prefix: string): AwsxLogGroup {
    const logGroup = field(taskDefinitionArgs, "logGroup");
    if (logGroup === UNKNOWN) return UNKNOWN;
    const skip = field(logGroup, "skip");
    const existing = field(logGroup, "existing");
    if (isUnknown(skip) || existing === UNKNOWN) return UNKNOWN;
    if (skip === true || skip === "true" || existing !== undefined) return { created: false };
    const args = field(logGroup, "args");
    if (args === UNKNOWN) return UNKNOWN;
    return { created: true, retentionInDays: field(args, "retentionInDays"), path: `${prefix}logGroup.args.retentionInDays` };
}
