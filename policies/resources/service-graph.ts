/**
 * One ECS service with everything its health depends on, resolved inside a stack: its task
 * definition's containers, each load balancer attachment's target group, and the health contract
 * of an enclosing HealthyFargateService (the fallback when a child's value is unknown in a preview).
 */
import type { PolicyResource } from "@pulumi/policy";
import { ContractView, readHealthContract } from "./health-contract";
import { ServiceView, readService } from "./services";
import { Lookup, ancestorOfType, targetGroupOf, taskDefinitionOf } from "./stack";
import { ContainersRead, readTaskDefinition } from "./task-definitions";
import { TargetGroupView, readTargetGroup } from "./target-groups";
import { TYPES } from "./types";
import { UNKNOWN, Unknown, rawProps } from "./values";

export interface AttachmentGraph {
    index: number;
    containerName: unknown;
    containerPort: unknown;
    targetGroup: Lookup;
    /** Set when `targetGroup` was found. */
    targetGroupView?: TargetGroupView;
}

export interface ServiceGraph {
    resource: PolicyResource;
    view: ServiceView;
    taskDefinition: Lookup;
    containers: ContainersRead;
    attachments: AttachmentGraph[] | Unknown;
    /** Contract of the enclosing HealthyFargateService, when the service is one of its children. */
    contract?: ContractView;
    component?: PolicyResource;
}

/**
 * Resolves every `aws:ecs/service:Service` of the stack. (awsx services are components: their child
 * `aws:ecs/service:Service` is what runs and what the stack policies judge.)
 */
export function serviceGraphs(resources: readonly PolicyResource[]): ServiceGraph[] {
    const graphs: ServiceGraph[] = [];
    for (const resource of resources) {
        if (resource.type !== TYPES.service) continue;
        const view = readService(resource.type, rawProps(resource.props));
        if (!view) continue;
        const taskDefinition = taskDefinitionOf(resource, resources);
        const containers: ContainersRead = taskDefinition.status === "found"
            ? readTaskDefinition(taskDefinition.resource.type, rawProps(taskDefinition.resource.props))?.containers ?? { status: "none", reason: "not a task definition" }
            : taskDefinition.status === "unknown"
                ? { status: "unknown", field: "taskDefinition" }
                : { status: "none", reason: taskDefinition.status === "external" ? `task definition ${taskDefinition.reference} is not in this stack` : "no `taskDefinition`" };
        const attachments = view.loadBalancers === UNKNOWN ? UNKNOWN : view.loadBalancers.map(lb => {
            const targetGroup = targetGroupOf(resource, lb.targetGroupArn, lb.index, (view.loadBalancers as unknown[]).length, resources);
            return {
                index: lb.index, containerName: lb.containerName, containerPort: lb.containerPort, targetGroup,
                ...(targetGroup.status === "found" ? { targetGroupView: readTargetGroup(rawProps(targetGroup.resource.props)) } : {}),
            };
        });
        const component = ancestorOfType(resource, [TYPES.healthyFargateService]);
        const contractRead = component ? readHealthContract(rawProps(component.props)) : undefined;
        graphs.push({
            resource, view, taskDefinition, containers, attachments,
            ...(component ? { component } : {}),
            ...(contractRead?.status === "ok" ? { contract: contractRead.contract } : {}),
        });
    }
    return graphs;
}
