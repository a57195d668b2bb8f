/**
 * The keys each args object of HealthyFargateService accepts, for {@link unknownArgKeyProblems}.
 * Each list is a `Record<keyof T, true>`: a key missing here, or one the interface does not have,
 * does not compile, so the lists cannot drift from the documented interfaces in args.ts.
 */
import type { DrainBudget, StartupBudget } from "@healthy-fargate/domain";
import { unknownKeyProblems } from "@healthy-fargate/domain";
import type { DeploymentArgs, HealthyFargateServiceArgs, ProbeArgs, RoutingRule, SharedListener, SmokeArgs } from "./args";

type Keys<T> = Record<keyof T, true>;

const ARGS: Keys<HealthyFargateServiceArgs> = {
    cluster: true,
    vpcId: true,
    subnetIds: true,
    listener: true,
    routing: true,
    image: true,
    port: true,
    containerName: true,
    command: true,
    environment: true,
    secrets: true,
    cpu: true,
    memory: true,
    cpuArchitecture: true,
    probe: true,
    startup: true,
    drain: true,
    desiredCount: true,
    minimumHealthyPercent: true,
    maximumPercent: true,
    waitForSteadyState: true,
    deployment: true,
    alarms: true,
    verifyRollout: true,
    smoke: true,
    logRetentionDays: true,
    taskRoleStatements: true,
    tags: true,
};
const LISTENER: Keys<SharedListener> = {
    listenerArn: true,
    securityGroupId: true,
    dnsName: true,
    protocol: true,
    loadBalancerArnSuffix: true,
};
const ROUTING: Keys<RoutingRule> = { priority: true, pathPatterns: true, hostHeaders: true };
const PROBE: Keys<ProbeArgs> = { tool: true, livenessPath: true, readinessPath: true, statusPath: true, matcher: true };
const STARTUP: Keys<StartupBudget> = { expectedSeconds: true, worstCaseSeconds: true };
const DRAIN: Keys<DrainBudget> = { longestRequestSeconds: true, shutdownSeconds: true };
const DEPLOYMENT: Keys<DeploymentArgs> = { strategy: true, bakeTimeMinutes: true };
const SMOKE: Keys<SmokeArgs> = { paths: true, requests: true, timeoutSeconds: true };

/**
 * Keys of the args and of their nested objects that HealthyFargateService does not take (`alarms`
 * and `secrets` entries are checked where they are resolved, with the same wording).
 */
export function unknownArgKeyProblems(args: HealthyFargateServiceArgs): string[] {
    const nested: Array<[string, unknown, object]> = [
        ["listener", args.listener, LISTENER],
        ["routing", args.routing, ROUTING],
        ["probe", args.probe, PROBE],
        ["startup", args.startup, STARTUP],
        ["drain", args.drain, DRAIN],
        ["deployment", args.deployment, DEPLOYMENT],
        ["smoke", args.smoke, SMOKE],
    ];
    return [
        ...unknownKeyProblems("", args, Object.keys(ARGS)),
        ...nested.flatMap(([field, value, keys]) => unknownKeyProblems(field, value, Object.keys(keys))),
    ];
}
