/**
 * One ECS service with everything its health depends on, resolved inside a stack: its task
 * definition's containers, each load balancer attachment's target group, and the health contract
 * of an enclosing HealthyFargateService (the fallback when a child's value is unknown in a preview).
 *
 * Services are every `aws:ecs/service:Service` — including the one awsx creates in a real preview —
 * and the args of an awsx FargateService that has them (offline, where awsx renders no child): its
 * `taskDefinitionArgs` containers, and its attachments as awsx computes them (awsx.ts).
 */
import type { PolicyResource } from "@pulumi/policy";
import { isJudgedInStack } from "./awsx";
import { type ContractView, readHealthContract } from "./health-contract";
import { type ServiceView, readService } from "./services";
import { type Lookup, ancestorOfType, propertyDependencies, targetGroupOf, taskDefinitionOf } from "./stack";
import { type ContainerView, type ContainersRead, readTaskDefinition } from "./task-definitions";
import { type TargetGroupView, readTargetGroupOf, targetGroupLabel } from "./target-groups";
import { TARGET_GROUP_SOURCE_TYPES, TYPES } from "./types";
import { UNKNOWN, type Unknown, field, rawProps } from "./values";

export interface AttachmentGraph {
    index: number;
    /** Where the attachment is declared: `loadBalancers[0]`, or `taskDefinitionArgs.container.portMappings[0].targetGroup` (awsx). */
    path: string;
    containerName: unknown;
    containerPort: unknown;
    targetGroup: Lookup;
    /** Set when `targetGroup` was found. */
    targetGroupView?: TargetGroupView;
    /** How messages name the target group (set when found): `target group 'api-tg'`, or an awsx ALB's default one. */
    targetGroupLabel?: string;
}

export interface ServiceGraph {
    resource: PolicyResource;
    view: ServiceView;
    taskDefinition: Lookup;
    containers: ContainersRead;
    attachments: AttachmentGraph[] | Unknown;
    /** Why `attachments` is unknown, when it is not the `loadBalancers` value itself that is. */
    attachmentsUnknownReason?: string;
    /** Contract of the enclosing HealthyFargateService, when the service is one of its children. */
    contract?: ContractView;
    component?: PolicyResource;
}

function containersOf(lookup: Lookup): ContainersRead {
    if (lookup.status === "found") {
        const view = readTaskDefinition(lookup.resource.type, rawProps(lookup.resource.props));
        return view?.containers ?? { status: "none", reason: "not a task definition" };
    }
    if (lookup.status === "unknown") return { status: "unknown", field: "taskDefinition" };
    const reason = lookup.status === "external" ? `task definition ${lookup.reference} is not in this stack` : "no `taskDefinition`";
    return { status: "none", reason };
}

function attachment(base: Omit<AttachmentGraph, "targetGroupView" | "targetGroupLabel">): AttachmentGraph {
    const tg = base.targetGroup;
    if (tg.status !== "found") return base;
    const targetGroupView = readTargetGroupOf(tg.resource.type, rawProps(tg.resource.props));
    return { ...base, targetGroupView, targetGroupLabel: targetGroupLabel(tg.resource) };
}

/** `loadBalancers[]` of a service (or of awsx FargateService args), each followed to its target group. */
function declaredAttachments(
    resource: PolicyResource,
    view: ServiceView,
    resources: readonly PolicyResource[],
): AttachmentGraph[] | Unknown {
    if (view.loadBalancers === UNKNOWN) return UNKNOWN;
    const count = view.loadBalancers.length;
    return view.loadBalancers.map((lb) =>
        attachment({
            index: lb.index,
            path: `loadBalancers[${lb.index}]`,
            containerName: lb.containerName,
            containerPort: lb.containerPort,
            targetGroup: targetGroupOf(resource, lb.targetGroupArn, lb.index, count, resources),
        }),
    );
}

/**
 * The attachments awsx computes from `portMappings[].targetGroup` when a FargateService gives no
 * `loadBalancers` (ecs/containers.ts `computeLoadBalancers`): one per mapping with a target group,
 * `containerPort` = the target group's port (awsx drops a mapping whose target group has none).
 */
function portMappingAttachments(
    resource: PolicyResource,
    containers: ContainersRead,
    resources: readonly PolicyResource[],
): { list: AttachmentGraph[] | Unknown; reason?: string } {
    if (containers.status === "unknown") return { list: UNKNOWN, reason: `the containers (\`${containers.field}\`) are unknown` };
    if (containers.status !== "ok") return { list: [] };
    const mappings: Array<{ c: ContainerView; index: number; mapping: unknown }> = [];
    for (const c of containers.containers) {
        if (c.portMappings === UNKNOWN) return { list: UNKNOWN, reason: `\`${c.path}.portMappings\` is unknown` };
        (c.portMappings ?? []).forEach((mapping, index) => {
            if (field(mapping, "targetGroup") !== undefined) mappings.push({ c, index, mapping });
        });
    }
    const list: AttachmentGraph[] = [];
    for (const { c, index, mapping } of mappings) {
        const reference = field(mapping, "targetGroup");
        const targetGroup = targetGroupOf(resource, reference, list.length, mappings.length, resources, "taskDefinitionArgs");
        const tgPort =
            targetGroup.status === "found"
                ? readTargetGroupOf(targetGroup.resource.type, rawProps(targetGroup.resource.props)).trafficPort
                : undefined;
        if (targetGroup.status === "found" && tgPort === undefined) continue;
        list.push(
            attachment({
                index: list.length,
                path: `${c.path}.portMappings[${index}].targetGroup`,
                containerName: c.name,
                containerPort: tgPort ?? field(mapping, "containerPort") ?? field(mapping, "hostPort"),
                targetGroup,
            }),
        );
    }
    return { list };
}

/**
 * True when a target group (or awsx ALB) of the stack feeds `taskDefinitionArgs` but the run did not
 * render the outputs it could be referenced by (an awsx ALB's `defaultTargetGroup`): a program's
 * `targetGroup: alb.defaultTargetGroup` then arrives as nothing, and "not attached" cannot be told
 * from "reference lost".
 */
function unrenderedTargetGroupFeeds(resource: PolicyResource): PolicyResource | undefined {
    const rendered = (alb: PolicyResource) => typeof field(field(rawProps(alb.props), "defaultTargetGroup"), "arn") === "string";
    return propertyDependencies(resource, "taskDefinitionArgs").find(
        (r) => TARGET_GROUP_SOURCE_TYPES.includes(r.type) && (r.type !== TYPES.awsxApplicationLoadBalancer || !rendered(r)),
    );
}

function awsxServiceGraph(resource: PolicyResource, view: ServiceView, resources: readonly PolicyResource[]): ServiceGraph {
    const props = rawProps(resource.props);
    // Its own `taskDefinitionArgs`, or an existing `taskDefinition` followed like a raw service's.
    const taskDefinition: Lookup =
        field(props, "taskDefinitionArgs") !== undefined ? { status: "found", resource } : taskDefinitionOf(resource, resources);
    const containers = containersOf(taskDefinition);
    if (field(props, "loadBalancers") !== undefined) {
        return { resource, view, taskDefinition, containers, attachments: declaredAttachments(resource, view, resources) };
    }
    const { list, reason } = portMappingAttachments(resource, containers, resources);
    const feeding = list !== UNKNOWN && list.length === 0 ? unrenderedTargetGroupFeeds(resource) : undefined;
    if (feeding) {
        const why =
            `'${feeding.name}' (${feeding.type}) feeds \`taskDefinitionArgs\`, but no \`portMappings[].targetGroup\` ` +
            "reference to it was rendered, so whether it fronts this service cannot be told";
        return { resource, view, taskDefinition, containers, attachments: UNKNOWN, attachmentsUnknownReason: why };
    }
    return { resource, view, taskDefinition, containers, attachments: list, ...(reason ? { attachmentsUnknownReason: reason } : {}) };
}

function serviceGraph(resource: PolicyResource, view: ServiceView, resources: readonly PolicyResource[]): ServiceGraph {
    const taskDefinition = taskDefinitionOf(resource, resources);
    const component = ancestorOfType(resource, [TYPES.healthyFargateService]);
    const contractRead = component ? readHealthContract(rawProps(component.props)) : undefined;
    return {
        resource,
        view,
        taskDefinition,
        containers: containersOf(taskDefinition),
        attachments: declaredAttachments(resource, view, resources),
        ...(component ? { component } : {}),
        ...(contractRead?.status === "ok" ? { contract: contractRead.contract } : {}),
    };
}

/**
 * Resolves every ECS service of the stack: each `aws:ecs/service:Service`, and the args of each awsx
 * FargateService a stack policy judges (offline; in a real preview its child service is the one).
 */
export function serviceGraphs(resources: readonly PolicyResource[]): ServiceGraph[] {
    const graphs: ServiceGraph[] = [];
    for (const resource of resources) {
        if (resource.type !== TYPES.service && resource.type !== TYPES.awsxFargateService) continue;
        if (!isJudgedInStack(resource, resources)) continue;
        const view = readService(resource.type, rawProps(resource.props));
        if (!view) continue;
        graphs.push(
            resource.type === TYPES.service ? serviceGraph(resource, view, resources) : awsxServiceGraph(resource, view, resources),
        );
    }
    return graphs;
}
