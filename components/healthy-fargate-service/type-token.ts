/** Type token of HealthyFargateService (defined once, in the domain, for the CLI and policies to share). */
export { HEALTHY_FARGATE_SERVICE_TYPE } from "@healthy-fargate/domain";
