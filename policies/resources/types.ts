/**
 * Type tokens the pack reads. Raw tokens instead of `@pulumi/aws` classes: importing the AWS SDK
 * types would make the CLI's type-check at pack start-up take many seconds.
 */

import { HEALTHY_FARGATE_SERVICE_TYPE } from "../domain/type-tokens";

/** Type token of the project's HealthyFargateService component: defined once, in the domain. */
export { HEALTHY_FARGATE_SERVICE_TYPE };

export const TYPES = {
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    lbTargetGroup: "aws:lb/targetGroup:TargetGroup",
    albTargetGroup: "aws:alb/targetGroup:TargetGroup",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    awsxFargateTaskDefinition: "awsx:ecs:FargateTaskDefinition",
    awsxFargateService: "awsx:ecs:FargateService",
    awsxApplicationLoadBalancer: "awsx:lb:ApplicationLoadBalancer",
    healthyFargateService: HEALTHY_FARGATE_SERVICE_TYPE,
    ssmParameter: "aws:ssm/parameter:Parameter",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    serverlessCache: "aws:elasticache/serverlessCache:ServerlessCache",
    rdsInstance: "aws:rds/instance:Instance",
    rdsCluster: "aws:rds/cluster:Cluster",
    iamRole: "aws:iam/role:Role",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    iamPolicy: "aws:iam/policy:Policy",
    kmsKey: "aws:kms/key:Key",
    kmsAlias: "aws:kms/alias:Alias",
    awsxEcrImage: "awsx:ecr:Image",
    dockerBuildImage: "docker-build:index:Image",
    dockerImage: "docker:index/image:Image",
} as const;

/** Resources that build a container image from a Dockerfile in the program. */
export const IMAGE_BUILD_TYPES: readonly string[] = [TYPES.awsxEcrImage, TYPES.dockerBuildImage, TYPES.dockerImage];

export const TARGET_GROUP_TYPES: readonly string[] = [TYPES.lbTargetGroup, TYPES.albTargetGroup];
export const SERVICE_TYPES: readonly string[] = [TYPES.service, TYPES.awsxFargateService];
export const TASK_DEFINITION_TYPES: readonly string[] = [TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService];

/**
 * Components whose children are judged through the component's own inputs: when a child's value is
 * unknown during a preview, the component's inputs (checked by the same policy) carry it, so the
 * child's "undecided" report is suppressed. Only HealthyFargateService, whose health contract is
 * plain data known at preview: awsx components are not, because in a real preview the engine shows
 * their inputs empty (see awsx.ts), so an unknown value of an awsx child is reported as undecided.
 */
export const JUDGED_BY_PARENT_TYPES: readonly string[] = [TYPES.healthyFargateService];

/** awsx ECS components: their child `aws:ecs/taskDefinition:TaskDefinition` carries the containers of their args. */
export const AWSX_ECS_TYPES: readonly string[] = [TYPES.awsxFargateService, TYPES.awsxFargateTaskDefinition];

/** The awsx components the pack reads (remote components: see awsx.ts for what each world shows). */
export const AWSX_COMPONENT_TYPES: readonly string[] = [...AWSX_ECS_TYPES, TYPES.awsxApplicationLoadBalancer];

/** Where a target group comes from: a target group, or an awsx ApplicationLoadBalancer (its default target group). */
export const TARGET_GROUP_SOURCE_TYPES: readonly string[] = [...TARGET_GROUP_TYPES, TYPES.awsxApplicationLoadBalancer];

/** Where a task definition comes from: an `aws:ecs/taskDefinition:TaskDefinition`, or an awsx FargateTaskDefinition. */
export const TASK_DEFINITION_SOURCE_TYPES: readonly string[] = [TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition];
