/**
 * What runs, with its network: every `aws:ecs/service:Service` (raw, HealthyFargateService's, the
 * one awsx creates in a real preview) and, offline, the args of an `awsx:ecs:FargateService` that
 * has them and no children (`isJudgedInStack`, awsx.ts). Each with its task definition,
 * `networkConfiguration` and load balancers.
 */
import type { PolicyResource } from "@pulumi/policy";
import { isJudgedInStack } from "./awsx";
import { type TaskDefinitionSource, taskDefinitionSources } from "./containers";
import { type LoadBalancerAttachment, readService } from "./services";
import { taskDefinitionOf } from "./stack";
import { readTaskDefinition } from "./task-definitions";
import { TYPES } from "./types";
import { UNKNOWN, type Unknown, asBoolean, field, rawProps } from "./values";

export interface Workload {
    resource: PolicyResource;
    /** `awsx-args`: an awsx FargateService judged by its args (offline, no child service). */
    kind: "aws" | "awsx-args";
    /** Raw `networkConfiguration` values. */
    subnets: unknown;
    securityGroups: unknown;
    /** `assignPublicIp` (default false, for the ECS API and for awsx). */
    assignPublicIp: boolean | Unknown;
    /** awsx without `networkConfiguration`: awsx picks the default VPC and makes its own security group. */
    awsxDefaultNetwork: boolean;
    /** The task definition it runs, when it can be followed. */
    taskDefinition: TaskDefinitionSource | { undecided: string } | undefined;
    loadBalancers: LoadBalancerAttachment[] | Unknown;
}

function networkOf(props: Record<string, unknown>): Pick<Workload, "subnets" | "securityGroups" | "assignPublicIp"> {
    const net = field(props, "networkConfiguration");
    const assign = net === UNKNOWN ? UNKNOWN : asBoolean(field(net, "assignPublicIp"));
    return {
        subnets: net === UNKNOWN ? UNKNOWN : field(net, "subnets"),
        securityGroups: net === UNKNOWN ? UNKNOWN : field(net, "securityGroups"),
        assignPublicIp: assign === undefined ? false : assign,
    };
}

function rawTaskDefinition(
    service: PolicyResource,
    resources: readonly PolicyResource[],
    sources: TaskDefinitionSource[],
): Workload["taskDefinition"] {
    const found = taskDefinitionOf(service, resources);
    if (found.status === "found") return sources.find((s) => s.resource === found.resource);
    if (found.status === "unknown") return { undecided: found.reason };
    if (found.status === "external") return { undecided: `task definition ${found.reference} is not managed in this stack` };
    return undefined;
}

/** Every workload of the stack (see the file comment). */
export function workloads(resources: readonly PolicyResource[]): Workload[] {
    const sources = taskDefinitionSources(resources);
    const out: Workload[] = [];
    for (const resource of resources) {
        const props = rawProps(resource.props);
        if (resource.type === TYPES.service) {
            const view = readService(resource.type, props);
            out.push({
                resource,
                kind: "aws",
                ...networkOf(props),
                awsxDefaultNetwork: false,
                taskDefinition: rawTaskDefinition(resource, resources, sources),
                loadBalancers: view?.loadBalancers ?? [],
            });
        } else if (resource.type === TYPES.awsxFargateService && isJudgedInStack(resource, resources)) {
            const view = readService(resource.type, props);
            const td = readTaskDefinition(resource.type, props);
            const net = field(props, "networkConfiguration");
            const assign = asBoolean(field(props, "assignPublicIp"));
            out.push({
                resource,
                kind: "awsx-args",
                ...networkOf(props),
                ...(net === undefined ? { assignPublicIp: assign === undefined ? false : assign } : {}),
                awsxDefaultNetwork: net === undefined,
                taskDefinition: td ? { resource, view: td, containersProperty: "taskDefinitionArgs" } : undefined,
                loadBalancers: view?.loadBalancers ?? [],
            });
        }
    }
    return out;
}
