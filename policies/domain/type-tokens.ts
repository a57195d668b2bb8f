/**
 * Type tokens the components register and the CLI looks for. Kept here, free of imports, so that
 * light readers (the check's report, the doctor) need no Pulumi package to know them.
 */

/** Type token of `HealthyFargateService`; policies find its registered health contract by it. */
export const HEALTHY_FARGATE_SERVICE_TYPE = "healthy-fargate:ecs:HealthyFargateService";
