/** Type token of HealthyFargateService; policies find its registered health contract by it. Kept free of imports so light readers (CLI, policies) can use it. */
export const HEALTHY_FARGATE_SERVICE_TYPE = "healthy-fargate:ecs:HealthyFargateService";
