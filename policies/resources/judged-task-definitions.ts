/**
 * The task definitions a stack policy judges, right in both worlds of awsx (docs/pulumi-engine-facts):
 * in a real preview an awsx ECS component has empty inputs and real `aws:ecs/taskDefinition` children
 * (judged: they carry what runs); offline the component has the user's args and no children (its
 * args are judged). A component whose child task definition is in the stack is therefore skipped,
 * and an awsx FargateTaskDefinition created by a FargateService is judged once, on the service.
 */
import type { PolicyResource } from "@pulumi/policy";
import { ancestorOfType } from "./stack";
import { TaskDefinitionSource, taskDefinitionSources } from "./containers";
import { AWSX_ECS_TYPES, TYPES } from "./types";

export function judgedTaskDefinitionSources(resources: readonly PolicyResource[]): TaskDefinitionSource[] {
    const sources = taskDefinitionSources(resources, { includeAwsxChildren: true });
    const judgedThroughChild = new Set<PolicyResource>();
    for (const s of sources) {
        for (let p = s.awsxParent; p; p = ancestorOfType(p, AWSX_ECS_TYPES)) judgedThroughChild.add(p);
    }
    return sources.filter(s => {
        if (judgedThroughChild.has(s.resource)) return false;
        return !(s.resource.type === TYPES.awsxFargateTaskDefinition && ancestorOfType(s.resource, [TYPES.awsxFargateService]));
    });
}
