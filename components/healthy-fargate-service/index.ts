import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    type DeploymentTimeouts,
    type HealthContract,
    buildHealthContract,
    deploymentTimeouts,
    startupBudgetTags,
} from "@healthy-fargate/domain";
import { awsAccessOf } from "../aws-access";
import { InvalidArgumentsError } from "../errors";
import { type NameScope, ecsLogGroupName, ecsName } from "../physical-names";
import { RolloutVerification } from "../rollout-verification";
import {
    type AlarmKind,
    type ContainerInsightsLevel,
    alarmDefinitions,
    clusterNameOf,
    loadBalancerArnSuffixFromListenerArn,
} from "./alarms";
import { type HealthyFargateServiceArgs } from "./args";
import { listenerRuleIgnoreChanges, serviceIgnoreChanges } from "./blue-green";
import { knownImageProblem, knownSubnetsProblem } from "./checks";
import { ecsInfrastructureTrustPolicy, ecsLoadBalancersManagedPolicyArn, ecsTasksTrustPolicy, executionRolePolicy } from "./iam";
import { type SecretReference, environmentEntryProblem, secretStatements, wireSecrets } from "./secrets";
import { smokeInput } from "./smoke";
import { HEALTHY_FARGATE_SERVICE_TYPE } from "./type-token";
import { type ResolvedArgs, listenerArnSuffixProblem, resolveArgs } from "./validate";

export * from "./args";
export * from "./type-token";
export {
    ALARM_KINDS,
    AlarmKind,
    AlarmsArgs,
    AlarmWindowArgs,
    ContainerInsightsLevel,
    ErrorRateAlarmArgs,
    LatencyAlarmArgs,
} from "./alarms";
export { SecretReference, secretStatements } from "./secrets";
export { BLUE_GREEN_ECS_OWNED } from "./blue-green";

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
    /** Logical name of the component (the `name` it was created with). */
    readonly componentName: string;
    /** ECS cluster name (the `ClusterName` metric dimension). */
    readonly clusterName: pulumi.Output<string>;
    /** The ALB's ARN suffix (the `LoadBalancer` metric dimension). */
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    /** ARN suffixes of the target groups (`TargetGroup` dimension): one, or two with blue/green. */
    readonly targetGroupArnSuffixes: pulumi.Output<string[]>;
    /** Alternate target group of blue/green deployments (undefined for rolling). */
    readonly alternateTargetGroupArn: pulumi.Output<string | undefined>;
    /** Names of the alarms created, by alarm (`alarms` arg key). */
    readonly alarmNames: Partial<Record<AlarmKind, pulumi.Output<string>>>;
    /** ARNs of the alarms created, in `ALARM_KINDS` order. */
    readonly alarmArns: pulumi.Output<string[]>;
    /** The alarms ECS watches during deployments (rolls back when one fires). */
    readonly deploymentAlarmNames: pulumi.Output<string[]>;
    /** What the caller declared about the cluster's Container Insights (`alarms.containerInsights`). */
    readonly containerInsights: ContainerInsightsLevel;
    /** Thresholds of the latency and 5XX-rate alarms that exist (for dashboards). */
    readonly alarmThresholds: { latency: { p90?: number; p99?: number }; errorRatePercent?: number };
    /** The RolloutVerification of this service, unless `verifyRollout` is false. */
    readonly rolloutVerification?: RolloutVerification;
    /** How long `pulumi up` may wait for the service (its `customTimeouts`), derived from the contract's timeline. */
    readonly deploymentTimeouts: DeploymentTimeouts;

    constructor(name: string, args: HealthyFargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate before `super`: a bad arg must leave nothing registered, not even this component.
        const resolved = resolveArgs(name, args);
        if (!resolved.ok) throw new InvalidArgumentsError("HealthyFargateService", resolved.problems);
        const r = resolved.value;
        const contract = contractOf(r, args);
        // The contract is registered as this component's input: policies read it even when the
        // children's values (e.g. containerDefinitions embedding an image URI) are unknown in a preview.
        super(HEALTHY_FARGATE_SERVICE_TYPE, name, { healthContract: contract }, opts);
        this.healthContract = contract;
        this.componentName = name;

        // The order of the builders is the order of registration (unchanged by the split into methods).
        const c = this.buildContext(name, args, r, contract);
        const logGroup = this.buildLogGroup(c);
        const roles = this.buildRoles(c, logGroup);
        const securityGroup = this.buildSecurityGroup(c);
        const taskDefinition = this.buildTaskDefinition(c, logGroup, roles);
        const routing = this.buildTargetGroupsAndRule(c);
        const blueGreen = this.buildBlueGreenRole(c, routing);
        const alarms = this.buildAlarms(c, routing);
        const timeouts = deploymentTimeouts(contract.timeline, contract.timings);
        const service = this.buildService(c, { taskDefinition, securityGroup, routing, blueGreen, alarms, timeouts }, [
            routing.listenerRule,
            roles.executionPolicy,
            ...roles.secretVersions,
            ...(blueGreen ? [blueGreen.policy] : []),
        ]);
        if (r.verifyRollout) this.rolloutVerification = this.buildRolloutVerification(c, service, taskDefinition, timeouts);
        this.deploymentTimeouts = timeouts;

        this.serviceName = service.name;
        this.serviceArn = service.arn;
        this.targetGroupArn = routing.targetGroup.arn;
        this.taskDefinitionArn = taskDefinition.arn;
        this.securityGroupId = securityGroup.id;
        this.taskRoleArn = roles.taskRole.arn;
        this.executionRoleArn = roles.executionRole.arn;
        this.logGroupName = logGroup.name;
        this.clusterName = alarms.clusterName;
        this.loadBalancerArnSuffix = alarms.loadBalancerArnSuffix;
        this.targetGroupArnSuffixes = pulumi.all(routing.arnSuffixes);
        this.alternateTargetGroupArn = routing.alternateTargetGroup ? routing.alternateTargetGroup.arn : pulumi.output(undefined);
        this.alarmNames = Object.fromEntries(alarms.created.map((a) => [a.kind, a.alarm.name]));
        this.alarmArns = pulumi.all(alarms.created.map((a) => a.alarm.arn));
        this.deploymentAlarmNames = pulumi.all(alarms.deployment.map((a) => a.alarm.name));
        this.containerInsights = r.alarms.containerInsights;
        this.alarmThresholds = alarmThresholdsOf(r);
        this.url = urlOf(args, r);
        this.registerOutputs({
            serviceName: this.serviceName,
            serviceArn: this.serviceArn,
            targetGroupArn: this.targetGroupArn,
            taskDefinitionArn: this.taskDefinitionArn,
            url: this.url,
            healthContract: contract,
            alarmArns: this.alarmArns,
            deploymentAlarmNames: this.deploymentAlarmNames,
        });
    }

    /** Names, tags and the account/region/partition lookups every child shares. */
    private buildContext(name: string, args: HealthyFargateServiceArgs, r: ResolvedArgs, contract: HealthContract): BuildContext {
        const parent = { parent: this };
        return {
            name,
            args,
            r,
            contract,
            parent,
            // Physical names carry the project and stack: two stacks in one account must not collide.
            scope: { project: pulumi.getProject(), stack: pulumi.getStack() },
            tags: { "healthy-fargate:service": name, ...(args.tags ?? {}) },
            identity: aws.getCallerIdentityOutput({}, parent),
            region: aws.getRegionOutput({}, parent),
            partition: aws.getPartitionOutput({}, parent),
        };
    }

    private buildLogGroup(c: BuildContext): aws.cloudwatch.LogGroup {
        return new aws.cloudwatch.LogGroup(
            `${c.name}-logs`,
            {
                name: ecsLogGroupName(c.scope, c.name),
                retentionInDays: c.r.logRetentionDays,
                tags: c.tags,
            },
            c.parent,
        );
    }

    /** The execution role (image, logs, secrets and nothing else), the secrets it reads, and the app's task role. */
    private buildRoles(c: BuildContext, logGroup: aws.cloudwatch.LogGroup): Roles {
        const { name, args, tags, parent } = c;
        const trust = c.identity.accountId.apply((id) => JSON.stringify(ecsTasksTrustPolicy(id)));
        const executionRole = new aws.iam.Role(
            `${name}-execution`,
            {
                assumeRolePolicy: trust,
                description: `ECS execution role of ${name}: pulls its image, writes its logs, reads its secrets. Nothing else.`,
                tags,
            },
            parent,
        );
        const location = pulumi
            .all([c.partition.partition, c.region.region, c.identity.accountId])
            .apply(([p, regionName, account]) => ({ partition: p, region: regionName, account }));
        const secrets = wireSecrets(name, args.secrets, { parent: this, tags, location });
        const executionPolicy = new aws.iam.RolePolicy(
            `${name}-execution`,
            {
                role: executionRole.id,
                policy: pulumi
                    .all([logGroup.arn, args.image, c.partition.partition, secrets.references])
                    .apply(([logGroupArn, image, part, references]) =>
                        JSON.stringify(
                            executionRolePolicy({ logGroupArn, image, partition: part, secretStatements: secretStatements(references) }),
                        ),
                    ),
            },
            parent,
        );

        const taskRole = new aws.iam.Role(
            `${name}-task`,
            {
                assumeRolePolicy: trust,
                description: `ECS task role of ${name}: what the app itself may call.`,
                tags,
            },
            parent,
        );
        if (args.taskRoleStatements?.length) {
            new aws.iam.RolePolicy(
                `${name}-task`,
                {
                    role: taskRole.id,
                    policy: pulumi
                        .output(args.taskRoleStatements)
                        .apply((statements) => JSON.stringify({ Version: "2012-10-17", Statement: statements })),
                },
                parent,
            );
        }
        return { executionRole, executionPolicy, taskRole, secretReferences: secrets.references, secretVersions: secrets.versions };
    }

    private buildSecurityGroup(c: BuildContext): aws.ec2.SecurityGroup {
        const { name, args, r } = c;
        return new aws.ec2.SecurityGroup(
            `${name}-tasks`,
            {
                vpcId: args.vpcId,
                description: `Tasks of ${name}: app port from the load balancer only`,
                ingress: [
                    {
                        protocol: "tcp",
                        fromPort: r.port,
                        toPort: r.port,
                        securityGroups: [args.listener.securityGroupId],
                        description: "ALB to app (traffic and health checks)",
                    },
                ],
                egress: [
                    {
                        protocol: "-1",
                        fromPort: 0,
                        toPort: 0,
                        cidrBlocks: ["0.0.0.0/0"],
                        ipv6CidrBlocks: ["::/0"],
                        description: "Image pulls, AWS APIs, dependencies",
                    },
                ],
                tags: c.tags,
            },
            c.parent,
        );
    }

    private buildTaskDefinition(c: BuildContext, logGroup: aws.cloudwatch.LogGroup, roles: Roles): aws.ecs.TaskDefinition {
        const { name, args, r } = c;
        const containerDefinitions = pulumi
            .all([args.image, logGroup.name, c.region.region, pulumi.output(args.environment ?? {}), roles.secretReferences])
            .apply(([image, logGroupName, region, environment, references]) =>
                JSON.stringify([containerDefinition(c, { image, logGroupName, region, environment, references })]),
            );
        return new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                family: ecsName(c.scope, name),
                cpu: String(r.cpu),
                memory: String(r.memory),
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: r.cpuArchitecture },
                executionRoleArn: roles.executionRole.arn,
                taskRoleArn: roles.taskRole.arn,
                containerDefinitions,
                tags: c.tags,
            },
            c.parent,
        );
    }

    /** The target group (two with blue/green, identical) and the listener rule forwarding to it. */
    private buildTargetGroupsAndRule(c: BuildContext): Routing {
        const { name, args, r, tags, parent } = c;
        const targetGroupArgs = targetGroupArgsOf(c);
        const blueGreen = r.deployment.strategy === "blue-green";
        const targetGroup = new aws.lb.TargetGroup(`${name}-tg`, targetGroupArgs, parent);
        const alternateTargetGroup = blueGreen ? new aws.lb.TargetGroup(`${name}-tg-alt`, targetGroupArgs, parent) : undefined;

        const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
        if (args.routing.pathPatterns?.length) conditions.push({ pathPattern: { values: args.routing.pathPatterns } });
        if (args.routing.hostHeaders?.length) conditions.push({ hostHeader: { values: args.routing.hostHeaders } });
        // Blue/green: ECS shifts production traffic by rewriting this rule's weights, so the rule
        // forwards to both groups (100/0 at creation) and Pulumi leaves its actions alone afterwards
        // (else the next `pulumi up` would send traffic back to whichever group it created first).
        const listenerRule = new aws.lb.ListenerRule(
            `${name}-rule`,
            {
                listenerArn: args.listener.listenerArn,
                priority: args.routing.priority,
                conditions,
                actions: alternateTargetGroup
                    ? [
                          {
                              type: "forward",
                              forward: {
                                  targetGroups: [
                                      { arn: targetGroup.arn, weight: 100 },
                                      { arn: alternateTargetGroup.arn, weight: 0 },
                                  ],
                              },
                          },
                      ]
                    : [{ type: "forward", targetGroupArn: targetGroup.arn }],
                tags,
            },
            { parent: this, ignoreChanges: listenerRuleIgnoreChanges(r.deployment.strategy) },
        );
        const arnSuffixes = [targetGroup.arnSuffix, ...(alternateTargetGroup ? [alternateTargetGroup.arnSuffix] : [])];
        return { targetGroup, alternateTargetGroup, listenerRule, arnSuffixes };
    }

    /** Blue/green only: the role ECS assumes to move production traffic between the two target groups. */
    private buildBlueGreenRole(c: BuildContext, routing: Routing): BlueGreenRole | undefined {
        if (!routing.alternateTargetGroup) return undefined;
        const role = new aws.iam.Role(
            `${c.name}-ecs-lb`,
            {
                assumeRolePolicy: JSON.stringify(ecsInfrastructureTrustPolicy()),
                description: `Assumed by ECS for blue/green deployments of ${c.name}: moves production traffic between its two target groups.`,
                tags: c.tags,
            },
            c.parent,
        );
        const policy = new aws.iam.RolePolicyAttachment(
            `${c.name}-ecs-lb`,
            {
                role: role.name,
                policyArn: c.partition.partition.apply(ecsLoadBalancersManagedPolicyArn),
            },
            c.parent,
        );
        return { role, policy };
    }

    /** The alarms and their dimensions; the load balancer's ARN suffix comes from the arg or from the listener ARN. */
    private buildAlarms(c: BuildContext, routing: Routing): Alarms {
        const { name, args, r } = c;
        const clusterName = pulumi.output(args.cluster).apply(clusterNameOf);
        const loadBalancerArnSuffix =
            args.listener.loadBalancerArnSuffix !== undefined
                ? pulumi.output(args.listener.loadBalancerArnSuffix)
                : pulumi.output(args.listener.listenerArn).apply((arn) => {
                      const derived = loadBalancerArnSuffixFromListenerArn(arn);
                      if (!derived) throw new InvalidArgumentsError("HealthyFargateService", [`${name}: ${listenerArnSuffixProblem(arn)}`]);
                      return derived;
                  });
        const definitions = alarmDefinitions<pulumi.Output<string>>(name, r.alarms, {
            targetGroups: routing.arnSuffixes,
            loadBalancer: loadBalancerArnSuffix,
            cluster: clusterName,
            service: pulumi.output(ecsName(c.scope, name)),
            container: r.containerName,
        });
        const actions = args.alarms && args.alarms.snsTopicArn !== undefined ? [args.alarms.snsTopicArn] : undefined;
        const created = definitions.map(({ kind, suffix, ...definition }) => ({
            kind,
            alarm: new aws.cloudwatch.MetricAlarm(
                `${name}-${suffix}`,
                {
                    ...definition,
                    actionsEnabled: true,
                    ...(actions ? { alarmActions: actions, okActions: actions } : {}),
                    tags: c.tags,
                },
                c.parent,
            ),
        }));
        return { clusterName, loadBalancerArnSuffix, created, deployment: created.filter((a) => r.alarms.rollbackOn.includes(a.kind)) };
    }

    /**
     * Tasks start only once the listener rule exists, the execution role may read the secrets,
     * and every secret value the component stores exists (else: ResourceInitializationError): `dependsOn`.
     * `pulumi up` waits as long as the contract's timeline says a deployment (or its rollback) takes.
     */
    private buildService(c: BuildContext, parts: ServiceParts, dependsOn: pulumi.Resource[]): aws.ecs.Service {
        const { name, args, r } = c;
        const { routing, timeouts } = parts;
        const t = c.contract.timings;
        const deploymentAlarms = parts.alarms.deployment;
        return new aws.ecs.Service(
            `${name}-service`,
            {
                name: ecsName(c.scope, name),
                cluster: args.cluster,
                taskDefinition: parts.taskDefinition.arn,
                desiredCount: r.desiredCount,
                launchType: "FARGATE",
                platformVersion: "LATEST",
                networkConfiguration: {
                    subnets: pulumi.output(args.subnetIds).apply((ids) => checkedKnownValue(name, ids, knownSubnetsProblem)),
                    securityGroups: [parts.securityGroup.id],
                    assignPublicIp: false,
                },
                loadBalancers: [serviceLoadBalancer(r, routing, parts.blueGreen)],
                ...(routing.alternateTargetGroup
                    ? { deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: String(r.deployment.bakeTimeMinutes) } }
                    : {}),
                healthCheckGracePeriodSeconds: t.healthCheckGracePeriodSeconds,
                deploymentCircuitBreaker: { enable: true, rollback: true },
                ...(deploymentAlarms.length
                    ? { alarms: { alarmNames: deploymentAlarms.map((a) => a.alarm.name), enable: true, rollback: true } }
                    : {}),
                deploymentMinimumHealthyPercent: r.minimumHealthyPercent,
                deploymentMaximumPercent: r.maximumPercent,
                availabilityZoneRebalancing: "ENABLED",
                waitForSteadyState: r.waitForSteadyState,
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
                // The declared start-up budget, which AWS has no field for: `doctor startup` sets measurements beside it.
                tags: { ...c.tags, ...startupBudgetTags(c.contract.startup) },
            },
            {
                parent: this,
                dependsOn,
                ignoreChanges: serviceIgnoreChanges(r.deployment.strategy),
                customTimeouts: {
                    create: `${timeouts.createMinutes}m`,
                    update: `${timeouts.updateMinutes}m`,
                    delete: `${timeouts.deleteMinutes}m`,
                },
            },
        );
    }

    /**
     * After the service: fails `pulumi up` when ECS rolled this update back (see rollout-verification.ts).
     * It reads ECS with the account, region and endpoints of the provider that deployed the service.
     */
    private buildRolloutVerification(
        c: BuildContext,
        service: aws.ecs.Service,
        taskDefinition: aws.ecs.TaskDefinition,
        timeouts: DeploymentTimeouts,
    ): RolloutVerification {
        const { r } = c;
        const access = awsAccessOf(this, c.region.region);
        return new RolloutVerification(
            `${c.name}-rollout`,
            {
                cluster: c.args.cluster,
                serviceName: service.name,
                taskDefinitionArn: taskDefinition.arn,
                region: access.access.apply((a) => a.region) as pulumi.Output<string>,
                aws: access.access,
                credentials: access.credentials,
                timeout: `${timeouts.updateMinutes}m`,
                smoke: smokeInput(c.args, { livenessPath: r.livenessPath, matcher: r.matcher, protocol: r.protocol }),
            },
            {
                parent: this,
                dependsOn: [service],
                customTimeouts: { create: `${timeouts.updateMinutes + 5}m`, update: `${timeouts.updateMinutes + 5}m`, delete: "1m" },
            },
        );
    }
}

/** What every builder of one service shares. */
interface BuildContext {
    readonly name: string;
    readonly args: HealthyFargateServiceArgs;
    /** The args after validation, with every default applied. */
    readonly r: ResolvedArgs;
    readonly contract: HealthContract;
    readonly parent: { parent: pulumi.Resource };
    readonly scope: NameScope;
    readonly tags: Record<string, string>;
    readonly identity: pulumi.Output<aws.GetCallerIdentityResult>;
    readonly region: pulumi.Output<aws.GetRegionResult>;
    readonly partition: pulumi.Output<aws.GetPartitionResult>;
}

interface Roles {
    readonly executionRole: aws.iam.Role;
    /** The tasks must not start before it: the execution role reads the image, logs and secrets with it. */
    readonly executionPolicy: aws.iam.RolePolicy;
    readonly taskRole: aws.iam.Role;
    readonly secretReferences: pulumi.Output<SecretReference[]>;
    readonly secretVersions: aws.secretsmanager.SecretVersion[];
}

interface Routing {
    readonly targetGroup: aws.lb.TargetGroup;
    /** Blue/green's second target group (undefined for rolling). */
    readonly alternateTargetGroup?: aws.lb.TargetGroup;
    readonly listenerRule: aws.lb.ListenerRule;
    /** ARN suffixes of the target groups (the alarms' `TargetGroup` dimension). */
    readonly arnSuffixes: pulumi.Output<string>[];
}

/** Blue/green only: the role ECS assumes to shift traffic, and its managed policy (the service waits for it). */
interface BlueGreenRole {
    readonly role: aws.iam.Role;
    readonly policy: aws.iam.RolePolicyAttachment;
}

interface Alarms {
    readonly clusterName: pulumi.Output<string>;
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    readonly created: { kind: AlarmKind; alarm: aws.cloudwatch.MetricAlarm }[];
    /** The alarms ECS watches during deployments (`alarms.rollbackOn`). */
    readonly deployment: { kind: AlarmKind; alarm: aws.cloudwatch.MetricAlarm }[];
}

interface ServiceParts {
    readonly taskDefinition: aws.ecs.TaskDefinition;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly routing: Routing;
    readonly blueGreen: BlueGreenRole | undefined;
    readonly alarms: Alarms;
    readonly timeouts: DeploymentTimeouts;
}

/** The health contract of the resolved args: probe, every timing and the deployment timeline. */
function contractOf(r: ResolvedArgs, args: HealthyFargateServiceArgs): HealthContract {
    return buildHealthContract({
        containerName: r.containerName,
        port: r.port,
        tool: r.tool,
        livenessPath: r.livenessPath,
        readinessPath: r.readinessPath,
        statusPath: r.statusPath,
        matcher: r.matcher,
        startup: r.startup,
        drain: args.drain,
        desiredCount: r.desiredCount,
        minimumHealthyPercent: r.minimumHealthyPercent,
        maximumPercent: r.maximumPercent,
        strategy: r.deployment.strategy,
        bakeTimeMinutes: r.deployment.bakeTimeMinutes,
        toolChoice: r.toolChoice,
    });
}

/** The one container of the task, once its image, log group, region, environment and secrets are known. */
function containerDefinition(
    c: BuildContext,
    known: {
        image: string;
        logGroupName: string;
        region: string;
        environment: Record<string, string>;
        references: SecretReference[];
    },
): object {
    const { name, args, r } = c;
    const t = c.contract.timings;
    return {
        name: r.containerName,
        image: checkedKnownValue(name, known.image, knownImageProblem),
        essential: true,
        ...(args.command ? { command: args.command } : {}),
        portMappings: [{ containerPort: r.port, protocol: "tcp" }],
        environment: checkedEnvironment(name, known.environment),
        ...(known.references.length ? { secrets: known.references.map((ref) => ({ name: ref.name, valueFrom: ref.valueFrom })) } : {}),
        healthCheck: {
            command: c.contract.probe.command,
            interval: t.container.interval,
            timeout: t.container.timeout,
            retries: t.container.retries,
            startPeriod: t.container.startPeriod,
        },
        stopTimeout: t.stopTimeout,
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": known.logGroupName, "awslogs-region": known.region, "awslogs-stream-prefix": r.containerName },
        },
    };
}

/**
 * Every field explicit: the provider's documented defaults differ from AWS's. Blue/green's
 * alternate target group gets the very same arguments, so both probe identically.
 */
function targetGroupArgsOf(c: BuildContext): aws.lb.TargetGroupArgs {
    const { r } = c;
    const t = c.contract.timings;
    return {
        port: r.port,
        protocol: "HTTP",
        targetType: "ip",
        vpcId: c.args.vpcId,
        deregistrationDelay: t.deregistrationDelay,
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
        tags: c.tags,
    };
}

/** The service's one load balancer entry; blue/green adds the alternate group, the production rule and ECS's role. */
function serviceLoadBalancer(
    r: ResolvedArgs,
    routing: Routing,
    blueGreen: BlueGreenRole | undefined,
): aws.types.input.ecs.ServiceLoadBalancer {
    const { targetGroup, alternateTargetGroup, listenerRule } = routing;
    return {
        targetGroupArn: targetGroup.arn,
        containerName: r.containerName,
        containerPort: r.port,
        ...(alternateTargetGroup && blueGreen
            ? {
                  advancedConfiguration: {
                      alternateTargetGroupArn: alternateTargetGroup.arn,
                      productionListenerRule: listenerRule.arn,
                      roleArn: blueGreen.role.arn,
                  },
              }
            : {}),
    };
}

/** Thresholds of the latency and 5XX-rate alarms that exist (for dashboards). */
function alarmThresholdsOf(r: ResolvedArgs): HealthyFargateService["alarmThresholds"] {
    const threshold = (kind: AlarmKind) => r.alarms.alarms.find((a) => a.kind === kind)?.threshold;
    return { latency: { p90: threshold("latencyP90"), p99: threshold("latencyP99") }, errorRatePercent: threshold("targetErrorRate") };
}

/** The listener's DNS name + the first path pattern (up to its first `*`), when `listener.dnsName` is given. */
function urlOf(args: HealthyFargateServiceArgs, r: ResolvedArgs): pulumi.Output<string | undefined> {
    const firstPath = (args.routing.pathPatterns?.[0] ?? "/").replace(/\*.*$/, "");
    return args.listener.dnsName === undefined
        ? pulumi.output(undefined)
        : pulumi.interpolate`${r.protocol}://${args.listener.dnsName}${firstPath}`;
}

/**
 * A value that was an Output at construction, checked once known with the same rule as a plain one
 * (`knownImageProblem`, `knownSubnetsProblem`): a bad one fails the update with the same message.
 */
function checkedKnownValue<T>(name: string, value: T, problemOf: (value: unknown) => string | undefined): T {
    const problem = problemOf(value);
    if (problem) throw new InvalidArgumentsError("HealthyFargateService", [`${name}: ${problem}`]);
    return value;
}

/**
 * The container's `environment`, sorted, after checking the values that were unknown when the
 * args were validated: one that turns out to be a credential fails the update instead of
 * landing in the task definition.
 */
function checkedEnvironment(name: string, environment: Record<string, string>): { name: string; value: string }[] {
    const problems = Object.entries(environment).flatMap(([key, value]) => environmentEntryProblem(key, value) ?? []);
    if (problems.length)
        throw new InvalidArgumentsError(
            "HealthyFargateService",
            problems.map((p) => `${name}: ${p}`),
        );
    return Object.entries(environment)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => ({ name: key, value }));
}
