/**
 * ECS services (`aws:ecs/service:Service`, `awsx:ecs:FargateService`): deployment settings and
 * load balancer attachments. awsx's FargateService takes the same top-level names.
 */
import { hasAwsxArgs } from "./awsx";
import { SERVICE_TYPES, TYPES } from "./types";
import { UNKNOWN, type Unknown, asArray, asRecord, asString, field } from "./values";

export interface LoadBalancerAttachment {
    index: number;
    targetGroupArn: unknown;
    containerName: unknown;
    containerPort: unknown;
}

export interface ServiceView {
    kind: "aws" | "awsx";
    name: unknown;
    /** `loadBalancers` entries; unknown when the list itself is unknown. */
    loadBalancers: LoadBalancerAttachment[] | Unknown;
    taskDefinition: unknown;
    desiredCount: unknown;
    minimumHealthyPercent: unknown;
    maximumPercent: unknown;
    healthCheckGracePeriodSeconds: unknown;
    circuitBreaker: Record<string, unknown> | Unknown | undefined;
    alarms: Record<string, unknown> | Unknown | undefined;
    /** `deploymentController.type` (AWS default `ECS`). */
    controller: string | Unknown;
    /** `deploymentConfiguration.strategy` when set (ROLLING by default). */
    strategy: string | Unknown | undefined;
}

/**
 * `undefined` when `type` is not a service type, or for an awsx FargateService registered without
 * the program's args (a real preview: its child `aws:ecs/service:Service` is judged; see awsx.ts).
 */
export function readService(type: string, props: Record<string, unknown>): ServiceView | undefined {
    if (!SERVICE_TYPES.includes(type)) return undefined;
    if (type === TYPES.awsxFargateService && !hasAwsxArgs(type, props)) return undefined;
    const lbs = asArray(field(props, "loadBalancers"));
    const loadBalancers =
        lbs === UNKNOWN
            ? UNKNOWN
            : (lbs ?? []).map((lb, index) => ({
                  index,
                  targetGroupArn: field(lb, "targetGroupArn"),
                  containerName: field(lb, "containerName"),
                  containerPort: field(lb, "containerPort"),
              }));
    const controller = field(props, "deploymentController");
    const controllerType = controller === UNKNOWN ? UNKNOWN : asString(field(controller, "type"));
    const config = field(props, "deploymentConfiguration");
    return {
        kind: type === TYPES.service ? "aws" : "awsx",
        name: field(props, "name"),
        loadBalancers,
        taskDefinition: field(props, "taskDefinition"),
        desiredCount: field(props, "desiredCount"),
        minimumHealthyPercent: field(props, "deploymentMinimumHealthyPercent"),
        maximumPercent: field(props, "deploymentMaximumPercent"),
        healthCheckGracePeriodSeconds: field(props, "healthCheckGracePeriodSeconds"),
        circuitBreaker: asRecord(field(props, "deploymentCircuitBreaker")),
        alarms: asRecord(field(props, "alarms")),
        controller: controllerType === undefined ? "ECS" : controllerType === UNKNOWN ? UNKNOWN : controllerType.toUpperCase(),
        strategy: config === UNKNOWN ? UNKNOWN : asString(field(config, "strategy")),
    };
}

/** Default `desiredCount` when unset: 0 for `aws:ecs/service:Service` (provider), 1 for awsx's FargateService. */
export function defaultDesiredCount(kind: ServiceView["kind"]): number {
    return kind === "aws" ? 0 : 1;
}
