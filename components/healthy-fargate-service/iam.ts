/**
 * IAM documents of the service, as pure functions of plain values (tested without Pulumi).
 */

/** Trust policy that lets ECS tasks assume a role, limited to this account's tasks (confused-deputy guard). */
export function ecsTasksTrustPolicy(accountId: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}

/**
 * The repository ARN of an ECR image URI (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]`),
 * or `undefined` for images from other registries (which need no ECR permissions).
 */
export function ecrRepositoryArn(image: string, partition = "aws"): string | undefined {
    const m = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?:[:@].*)?$/.exec(image);
    return m ? `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${m[3]}` : undefined;
}

/**
 * The execution role's only permissions: write to its own log group, pull its own image, and read
 * exactly the secrets it is given (`secretStatements`, the seam used by secrets wiring). Unlike
 * `AmazonECSTaskExecutionRolePolicy`, nothing here is `*` except `ecr:GetAuthorizationToken`,
 * which AWS only accepts on `*`.
 */
export function executionRolePolicy(args: { logGroupArn: string; image: string; secretStatements?: object[]; partition?: string }): object {
    const statements: object[] = [
        {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [`${args.logGroupArn.replace(/:\*$/, "")}:*`],
        },
    ];
    const repository = ecrRepositoryArn(args.image, args.partition);
    if (repository) {
        statements.push(
            { Sid: "EcrAuth", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
            {
                Sid: "PullOwnImage",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                Resource: [repository],
            },
        );
    }
    statements.push(...(args.secretStatements ?? []));
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * Trust policy of the role ECS assumes for native blue/green deployments (the "ECS infrastructure
 * role for load balancers"): the ECS service principal, as in AWS's guide.
 */
export function ecsInfrastructureTrustPolicy(): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AllowAccessToECSForInfrastructureManagement",
                Effect: "Allow",
                Principal: { Service: "ecs.amazonaws.com" },
                Action: "sts:AssumeRole",
            },
        ],
    };
}

/**
 * AWS managed policy for that role: ELB describe calls, register/deregister targets on target
 * groups, ModifyListener/ModifyRule on listeners and listener rules. Nothing outside
 * Elastic Load Balancing. Attached rather than copied: AWS revises it as ECS's blue/green
 * needs change (v2 → v6 between July 2025 and February 2026), and a stale copy fails deployments.
 */
export function ecsLoadBalancersManagedPolicyArn(partition = "aws"): string {
    return `arn:${partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers`;
}
