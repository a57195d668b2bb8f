import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HealthContract, buildHealthContract } from "../../policies/domain";
import { InvalidArgumentsError } from "../errors";
import { DEFAULTS, HealthyFargateServiceArgs } from "./args";
import { ecsTasksTrustPolicy, executionRolePolicy } from "./iam";
import { environmentEntryProblem, secretStatements, wireSecrets } from "./secrets";
import { HEALTHY_FARGATE_SERVICE_TYPE } from "./type-token";
import { resolveArgs } from "./validate";

export * from "./args";
export * from "./type-token";
export { SecretReference, secretStatements } from "./secrets";


/**
 * A load-balanced ECS Fargate service whose health checks cannot disagree: the container probe
 * and the ALB probe hit the same liveness path and port, every timing is derived from one
 * start-up budget, and deployments roll back on failure. See README.md next to this file.
 */
export class HealthyFargateService extends pulumi.ComponentResource {
    /** ECS service name. */
    readonly serviceName: pulumi.Output<string>;
    /** ECS service ARN. */
    readonly serviceArn: pulumi.Output<string>;
    /** Target group the listener rule forwards to. */
    readonly targetGroupArn: pulumi.Output<string>;
    /** Task definition ARN (with revision) of this update. */
    readonly taskDefinitionArn: pulumi.Output<string>;
    /** Public URL of the service (listener DNS name + first path pattern), when `listener.dnsName` is given. */
    readonly url: pulumi.Output<string | undefined>;
    /** The derived health contract: probe, every timing and the deployment timeline (plain data). */
    readonly healthContract: HealthContract;
    /** Security group of the tasks (ingress from the ALB only). */
    readonly securityGroupId: pulumi.Output<string>;
    /** Roles, for callers that grant the app more (task role) or inspect the execution role. */
    readonly taskRoleArn: pulumi.Output<string>;
    readonly executionRoleArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: HealthyFargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate before `super`: a bad arg must leave nothing registered, not even this component.
        const resolved = resolveArgs(name, args);
        if (!resolved.ok) throw new InvalidArgumentsError("HealthyFargateService", resolved.problems);
        const r = resolved.value;
        const contract = buildHealthContract({
            containerName: r.containerName, port: r.port, tool: r.tool,
            livenessPath: r.livenessPath, readinessPath: r.readinessPath, statusPath: r.statusPath, matcher: r.matcher,
            startup: r.startup, drain: args.drain,
            desiredCount: r.desiredCount, minimumHealthyPercent: r.minimumHealthyPercent, maximumPercent: r.maximumPercent,
        });
        // The contract is registered as this component's input: policies read it even when the
        // children's values (e.g. containerDefinitions embedding an image URI) are unknown in a preview.
        super(HEALTHY_FARGATE_SERVICE_TYPE, name, { healthContract: contract }, opts);
        this.healthContract = contract;

        const parent = { parent: this };
        const tags = { "healthy-fargate:service": name, ...(args.tags ?? {}) };
        const identity = aws.getCallerIdentityOutput({}, parent);
        const region = aws.getRegionOutput({}, parent);
        const partition = aws.getPartitionOutput({}, parent);

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: `/ecs/${name}`,
            retentionInDays: r.logRetentionDays,
            tags,
        }, parent);

        const trust = identity.accountId.apply(id => JSON.stringify(ecsTasksTrustPolicy(id)));
        const executionRole = new aws.iam.Role(`${name}-execution`, {
            assumeRolePolicy: trust,
            description: `ECS execution role of ${name}: pulls its image, writes its logs, reads its secrets. Nothing else.`,
            tags,
        }, parent);
        const location = pulumi.all([partition.partition, region.region, identity.accountId])
            .apply(([p, regionName, account]) => ({ partition: p, region: regionName, account }));
        const secrets = wireSecrets(name, args.secrets, { parent: this, tags, location });
        const executionPolicy = new aws.iam.RolePolicy(`${name}-execution`, {
            role: executionRole.id,
            policy: pulumi.all([logGroup.arn, args.image, partition.partition, secrets.references]).apply(([logGroupArn, image, part, references]) =>
                JSON.stringify(executionRolePolicy({ logGroupArn, image, partition: part, secretStatements: secretStatements(references) }))),
        }, parent);

        const taskRole = new aws.iam.Role(`${name}-task`, {
            assumeRolePolicy: trust,
            description: `ECS task role of ${name}: what the app itself may call.`,
            tags,
        }, parent);
        if (args.taskRoleStatements?.length) {
            new aws.iam.RolePolicy(`${name}-task`, {
                role: taskRole.id,
                policy: pulumi.output(args.taskRoleStatements).apply(statements => JSON.stringify({ Version: "2012-10-17", Statement: statements })),
            }, parent);
        }

        const securityGroup = new aws.ec2.SecurityGroup(`${name}-tasks`, {
            vpcId: args.vpcId,
            description: `Tasks of ${name}: app port from the load balancer only`,
            ingress: [{ protocol: "tcp", fromPort: r.port, toPort: r.port, securityGroups: [args.listener.securityGroupId], description: "ALB to app (traffic and health checks)" }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"], description: "Image pulls, AWS APIs, dependencies" }],
            tags,
        }, parent);

        const t = contract.timings;
        const containerDefinitions = pulumi.all([args.image, logGroup.name, region.region, pulumi.output(args.environment ?? {}), secrets.references]).apply(
            ([image, logGroupName, regionName, environment, references]) => JSON.stringify([{
                name: r.containerName,
                image,
                essential: true,
                ...(args.command ? { command: args.command } : {}),
                portMappings: [{ containerPort: r.port, protocol: "tcp" }],
                environment: checkedEnvironment(name, environment),
                ...(references.length ? { secrets: references.map(ref => ({ name: ref.name, valueFrom: ref.valueFrom })) } : {}),
                healthCheck: {
                    command: contract.probe.command,
                    interval: t.container.interval,
                    timeout: t.container.timeout,
                    retries: t.container.retries,
                    startPeriod: t.container.startPeriod,
                },
                stopTimeout: t.stopTimeout,
                logConfiguration: {
                    logDriver: "awslogs",
                    options: { "awslogs-group": logGroupName, "awslogs-region": regionName, "awslogs-stream-prefix": r.containerName },
                },
            }]));

        const taskDefinition = new aws.ecs.TaskDefinition(`${name}-task`, {
            family: name,
            cpu: String(r.cpu),
            memory: String(r.memory),
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: args.cpuArchitecture ?? DEFAULTS.cpuArchitecture },
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            containerDefinitions,
            tags,
        }, parent);

        const targetGroup = new aws.lb.TargetGroup(`${name}-tg`, {
            port: r.port,
            protocol: "HTTP",
            targetType: "ip",
            vpcId: args.vpcId,
            deregistrationDelay: t.deregistrationDelay,
            // Every field explicit: the provider's documented defaults differ from AWS's.
            healthCheck: {
                enabled: true,
                protocol: "HTTP",
                path: r.livenessPath,
                port: "traffic-port",
                matcher: r.matcher,
                interval: t.alb.interval,
                timeout: t.alb.timeout,
                healthyThreshold: t.alb.healthyThreshold,
                unhealthyThreshold: t.alb.unhealthyThreshold,
            },
            tags,
        }, parent);

        const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
        if (args.routing.pathPatterns?.length) conditions.push({ pathPattern: { values: args.routing.pathPatterns } });
        if (args.routing.hostHeaders?.length) conditions.push({ hostHeader: { values: args.routing.hostHeaders } });
        const listenerRule = new aws.lb.ListenerRule(`${name}-rule`, {
            listenerArn: args.listener.listenerArn,
            priority: args.routing.priority,
            conditions,
            actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
            tags,
        }, parent);

        // Tasks start only once the listener rule exists, the execution role may read the secrets,
        // and every secret value the component stores exists (else: ResourceInitializationError).
        const service = new aws.ecs.Service(`${name}-service`, {
            name,
            cluster: args.cluster,
            taskDefinition: taskDefinition.arn,
            desiredCount: r.desiredCount,
            launchType: "FARGATE",
            platformVersion: "LATEST",
            networkConfiguration: { subnets: args.subnetIds, securityGroups: [securityGroup.id], assignPublicIp: false },
            loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName: r.containerName, containerPort: r.port }],
            healthCheckGracePeriodSeconds: t.healthCheckGracePeriodSeconds,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentMinimumHealthyPercent: r.minimumHealthyPercent,
            deploymentMaximumPercent: r.maximumPercent,
            availabilityZoneRebalancing: "ENABLED",
            waitForSteadyState: args.waitForSteadyState ?? DEFAULTS.waitForSteadyState,
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
            tags,
        }, { parent: this, dependsOn: [listenerRule, executionPolicy, ...secrets.versions] });

        this.serviceName = service.name;
        this.serviceArn = service.arn;
        this.targetGroupArn = targetGroup.arn;
        this.taskDefinitionArn = taskDefinition.arn;
        this.securityGroupId = securityGroup.id;
        this.taskRoleArn = taskRole.arn;
        this.executionRoleArn = executionRole.arn;
        this.logGroupName = logGroup.name;
        const firstPath = (args.routing.pathPatterns?.[0] ?? "/").replace(/\*.*$/, "");
        this.url = args.listener.dnsName === undefined
            ? pulumi.output(undefined)
            : pulumi.interpolate`${args.listener.protocol ?? DEFAULTS.protocol}://${args.listener.dnsName}${firstPath}`;

        this.registerOutputs({
            serviceName: this.serviceName,
            serviceArn: this.serviceArn,
            targetGroupArn: this.targetGroupArn,
            taskDefinitionArn: this.taskDefinitionArn,
            url: this.url,
            healthContract: contract,
        });
    }
}

/**
 * The container's `environment`, sorted, after checking the values that were unknown when the
 * args were validated: one that turns out to be a credential fails the update instead of
 * landing in the task definition.
 */
function checkedEnvironment(name: string, environment: Record<string, string>): { name: string; value: string }[] {
    const problems = Object.entries(environment).flatMap(([key, value]) => environmentEntryProblem(key, value) ?? []);
    if (problems.length) throw new InvalidArgumentsError("HealthyFargateService", problems.map(p => `${name}: ${p}`));
    return Object.entries(environment).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ name: key, value }));
}
