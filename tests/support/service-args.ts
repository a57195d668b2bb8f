/** Minimal valid HealthyFargateService args for component tests (a shared ALB listener, an ECR image). */
import type { HealthyFargateServiceArgs } from "../../components";
import type { PortableServiceArgs } from "../../provider/portable-args";

export const LISTENER_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";

export const serviceArgs: HealthyFargateServiceArgs = {
    cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/platform",
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-a", "subnet-b"],
    listener: { listenerArn: LISTENER_ARN, securityGroupId: "sg-alb" },
    routing: { priority: 10, pathPatterns: ["/api/*"] },
    image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.2.3",
    startup: { expectedSeconds: 20, worstCaseSeconds: 60 },
};

/** The same in the portable args of the component package (provider/portable-args.ts). */
export const portableServiceArgs: PortableServiceArgs = {
    cluster: serviceArgs.cluster,
    vpcId: serviceArgs.vpcId,
    subnetIds: serviceArgs.subnetIds,
    image: serviceArgs.image,
    listener: { listenerArn: LISTENER_ARN, securityGroupId: "sg-alb" },
    routing: { priority: 10, pathPatterns: ["/api/*"] },
    startup: { expectedSeconds: 20, worstCaseSeconds: 60 },
};
