/**
 * The component the provider host exposes to other languages: `healthy-fargate:index:HealthyFargateService`.
 * It converts its portable args (portable-args.ts) into the TypeScript component's args, validates
 * them with the TypeScript component's own rules before registering anything, and builds the real
 * `healthy-fargate:ecs:HealthyFargateService` as its only child — so there is one component, one
 * set of rules and one set of resources, and the policy pack finds what it reads (the inner
 * component's `healthContract` input and its `aws:*` children) in a real preview, where the
 * engine shows the analyzer only what this provider registers.
 */
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentsError } from "../components/errors";
import { HealthyFargateService as TypedHealthyFargateService } from "../components/healthy-fargate-service";
import type { HealthyFargateServiceArgs } from "../components/healthy-fargate-service";
import { resolveArgs } from "../components/healthy-fargate-service/validate";
import type { PortableServiceArgs } from "./portable-args";
import { portableWording } from "./portable-wording";
import { rolloutVerificationHostProblem } from "./rollout-host";
import { toServiceArgs } from "./to-service-args";

/**
 * Type token: `<package name>:index:<class name>`, as the provider host derives it (run-plugin reads
 * the package name from package.json; the analyzer accepts only the `index` module).
 */
export const PORTABLE_SERVICE_TYPE = "healthy-fargate:index:HealthyFargateService";

/**
 * The TypeScript args for `args`, or an `InvalidArgumentsError` listing every problem (conversion,
 * then the TypeScript component's validation, in the portable args' words). Registers nothing.
 */
export function validatedServiceArgs(name: string, args: PortableServiceArgs, programDir = process.cwd()): HealthyFargateServiceArgs {
    const { value, problems } = toServiceArgs(args);
    const all = [...problems.map((p) => `${name}: ${p}`), ...(value === undefined ? [] : validationProblems(name, value, programDir))];
    if (all.length || value === undefined) throw new InvalidArgumentsError("HealthyFargateService", all);
    return value;
}

function validationProblems(name: string, args: HealthyFargateServiceArgs, programDir: string): string[] {
    const resolved = resolveArgs(name, args);
    const problems = resolved.ok ? [] : resolved.problems.map(portableWording);
    const host = args?.verifyRollout ? rolloutVerificationHostProblem(programDir) : undefined;
    return host ? [...problems, `${name}: ${host}`] : problems;
}

/**
 * A load-balanced ECS Fargate service whose health checks cannot disagree: the container probe and
 * the ALB probe hit the same liveness path and port, every timing is derived from one start-up
 * budget, and deployments roll back on failure (circuit breaker and deployment alarms). Creates the
 * task definition, target group, listener rule, ECS service, roles with exact secret grants, log
 * group and alarms. Bad arguments fail before anything is created, naming the field and the fix.
 */
export class HealthyFargateService extends pulumi.ComponentResource {
    /** ECS service name (`<project>-<stack>-<name>`). */
    readonly serviceName: pulumi.Output<string>;
    /** ECS service ARN. */
    readonly serviceArn: pulumi.Output<string>;
    /** Target group the listener rule forwards to. */
    readonly targetGroupArn: pulumi.Output<string>;
    /** Task definition ARN (with revision) of this update. */
    readonly taskDefinitionArn: pulumi.Output<string>;
    /** CloudWatch log group of the container (`/ecs/<project>/<stack>/<name>`). */
    readonly logGroupName: pulumi.Output<string>;
    /** Security group of the tasks (ingress from the ALB only). */
    readonly securityGroupId: pulumi.Output<string>;
    /** Task role: what the app may call. */
    readonly taskRoleArn: pulumi.Output<string>;
    /** Execution role: image pull, logs, exactly the secrets of `secrets`. */
    readonly executionRoleArn: pulumi.Output<string>;
    /** Public URL (listener DNS name + first path pattern); set only when `listener.dnsName` is given. */
    readonly url: pulumi.Output<string | undefined>;
    /** ECS cluster name (the `ClusterName` metric dimension). */
    readonly clusterName: pulumi.Output<string>;
    /** The ALB's ARN suffix (the `LoadBalancer` metric dimension). */
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    /** ARN suffixes of the target groups (`TargetGroup` dimension): one, or two with blue/green. */
    readonly targetGroupArnSuffixes: pulumi.Output<string[]>;
    /** ARNs of the alarms created. */
    readonly alarmArns: pulumi.Output<string[]>;
    /** The alarms ECS watches during deployments (it rolls back when one fires). */
    readonly deploymentAlarmNames: pulumi.Output<string[]>;
    /**
     * The derived health contract as JSON: the probe (tool, how it was chosen, exact command, paths,
     * matcher, port), the start-up budget, every timing and the deployment timeline.
     */
    readonly healthContractJson: pulumi.Output<string>;

    constructor(name: string, args: PortableServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before `super`: bad input must leave nothing registered, not even this component.
        const serviceArgs = validatedServiceArgs(name, args);
        // No inputs of its own: the inner component registers the health contract the pack reads.
        super(PORTABLE_SERVICE_TYPE, name, {}, opts);
        const service = new TypedHealthyFargateService(name, serviceArgs, { parent: this });
        this.serviceName = service.serviceName;
        this.serviceArn = service.serviceArn;
        this.targetGroupArn = service.targetGroupArn;
        this.taskDefinitionArn = service.taskDefinitionArn;
        this.logGroupName = service.logGroupName;
        this.securityGroupId = service.securityGroupId;
        this.taskRoleArn = service.taskRoleArn;
        this.executionRoleArn = service.executionRoleArn;
        this.url = service.url;
        this.clusterName = service.clusterName;
        this.loadBalancerArnSuffix = service.loadBalancerArnSuffix;
        this.targetGroupArnSuffixes = service.targetGroupArnSuffixes;
        this.alarmArns = service.alarmArns;
        this.deploymentAlarmNames = service.deploymentAlarmNames;
        this.healthContractJson = pulumi.output(JSON.stringify(service.healthContract));
        this.registerOutputs({
            serviceName: this.serviceName,
            serviceArn: this.serviceArn,
            targetGroupArn: this.targetGroupArn,
            taskDefinitionArn: this.taskDefinitionArn,
            logGroupName: this.logGroupName,
            securityGroupId: this.securityGroupId,
            taskRoleArn: this.taskRoleArn,
            executionRoleArn: this.executionRoleArn,
            url: this.url,
            clusterName: this.clusterName,
            loadBalancerArnSuffix: this.loadBalancerArnSuffix,
            targetGroupArnSuffixes: this.targetGroupArnSuffixes,
            alarmArns: this.alarmArns,
            deploymentAlarmNames: this.deploymentAlarmNames,
            healthContractJson: this.healthContractJson,
        });
    }
}
