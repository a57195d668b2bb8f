/**
 * What each portable args object accepts, and where an Output may stand. Both are checked before
 * anything is registered: a JavaScript caller can pass any key, and a generated SDK (Python, Go, …)
 * passes an Output wherever its caller put one, even where the schema declares a plain value.
 *
 * The key lists are `Record<keyof T, true>`, so they cannot drift from portable-args.ts;
 * `INPUT_PATHS` is compared with the schema's non-plain properties by tests/provider/schema.test.ts.
 */
import { unknownKeyProblems } from "@healthy-fargate/domain";
import type {
    AlarmName,
    AlarmWindow,
    Alarms,
    Deployment,
    Drain,
    ErrorRateAlarm,
    LatencyAlarm,
    Listener,
    PortableServiceArgs,
    Probe,
    Routing,
    SecretSource,
    Smoke,
    Startup,
    TaskRoleStatement,
} from "./portable-args";

type Keys<T> = Record<keyof T, true>;

const ARGS: Keys<PortableServiceArgs> = {
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
const LISTENER: Keys<Listener> = { listenerArn: true, securityGroupId: true, dnsName: true, protocol: true, loadBalancerArnSuffix: true };
const ROUTING: Keys<Routing> = { priority: true, pathPatterns: true, hostHeaders: true };
const PROBE: Keys<Probe> = { tool: true, livenessPath: true, readinessPath: true, statusPath: true, matcher: true };
const STARTUP: Keys<Startup> = { expectedSeconds: true, worstCaseSeconds: true };
const DRAIN: Keys<Drain> = { longestRequestSeconds: true, shutdownSeconds: true };
const DEPLOYMENT: Keys<Deployment> = { strategy: true, bakeTimeMinutes: true };
const SMOKE: Keys<Smoke> = { enabled: true, paths: true, requests: true, timeoutSeconds: true };
const ALARMS: Keys<Alarms> = {
    enabled: true,
    snsTopicArn: true,
    containerInsights: true,
    unhealthyHosts: true,
    targetErrorRate: true,
    latencyP90: true,
    latencyP99: true,
    runningTasks: true,
    containerHealth: true,
    rollbackOn: true,
};
const WINDOW: Keys<AlarmWindow> = { enabled: true, evaluationMinutes: true, datapointsToAlarm: true };
const ERROR_RATE: Keys<ErrorRateAlarm> = { ...WINDOW, thresholdPercent: true, minimumRequests: true };
const LATENCY: Keys<LatencyAlarm> = { ...WINDOW, thresholdSeconds: true };
const SECRET_SOURCE_KEYS: Keys<SecretSource> = {
    kind: true,
    ref: true,
    jsonKey: true,
    versionStage: true,
    versionId: true,
    kmsKeyArn: true,
};
const STATEMENT: Keys<TaskRoleStatement> = { sid: true, effect: true, actions: true, resources: true, conditions: true };

/**
 * Every portable args object's keys, by the name of its interface in portable-args.ts; compared
 * with the TypeScript component's args by tests/provider/args-coverage.test.ts.
 */
export const PORTABLE_KEYS: Readonly<Record<string, object>> = {
    PortableServiceArgs: ARGS,
    Listener: LISTENER,
    Routing: ROUTING,
    Probe: PROBE,
    Startup: STARTUP,
    Drain: DRAIN,
    Deployment: DEPLOYMENT,
    Smoke: SMOKE,
    Alarms: ALARMS,
    AlarmWindow: WINDOW,
    ErrorRateAlarm: ERROR_RATE,
    LatencyAlarm: LATENCY,
    SecretSource: SECRET_SOURCE_KEYS,
    TaskRoleStatement: STATEMENT,
};

/** The keys of each alarm's settings object, by alarm. */
const ALARM_KEYS: Record<AlarmName, object> = {
    unhealthyHosts: WINDOW,
    targetErrorRate: ERROR_RATE,
    latencyP90: LATENCY,
    latencyP99: LATENCY,
    runningTasks: WINDOW,
    containerHealth: WINDOW,
};

const asObject = (value: unknown): Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Keys the portable args (and their nested objects) do not take, each named with the nearest valid one. */
export function portableKeyProblems(args: PortableServiceArgs): string[] {
    const a = asObject(args);
    const alarms = asObject(a.alarms);
    const nested: Array<[string, unknown, object]> = [
        ["listener", a.listener, LISTENER],
        ["routing", a.routing, ROUTING],
        ["probe", a.probe, PROBE],
        ["startup", a.startup, STARTUP],
        ["drain", a.drain, DRAIN],
        ["deployment", a.deployment, DEPLOYMENT],
        ["smoke", a.smoke, SMOKE],
        ["alarms", a.alarms, ALARMS],
        ...Object.entries(ALARM_KEYS).map(([kind, keys]): [string, unknown, object] => [`alarms.${kind}`, alarms[kind], keys]),
        ...Object.entries(asObject(a.secrets)).map(([name, source]): [string, unknown, object] => [
            `secrets.${name}`,
            source,
            SECRET_SOURCE_KEYS,
        ]),
        ...(Array.isArray(a.taskRoleStatements) ? a.taskRoleStatements : []).map((statement, i): [string, unknown, object] => [
            `taskRoleStatements[${i}]`,
            statement,
            STATEMENT,
        ]),
    ];
    return [
        ...unknownKeyProblems("", a, Object.keys(ARGS)),
        ...nested.flatMap(([field, value, keys]) => unknownKeyProblems(field, value, Object.keys(keys))),
    ];
}

/**
 * Where the schema lets a value be an Output (a `pulumi.Input` in portable-args.ts), as dotted
 * paths in which `*` stands for any map key or list index. Everywhere else the component needs the
 * value itself when the program runs.
 */
export const INPUT_PATHS: readonly string[] = [
    "cluster",
    "vpcId",
    "subnetIds",
    "subnetIds.*",
    "image",
    "listener.listenerArn",
    "listener.securityGroupId",
    "listener.dnsName",
    "listener.loadBalancerArnSuffix",
    "environment.*",
    "secrets.*.ref",
    "secrets.*.kmsKeyArn",
    "alarms.snsTopicArn",
    "taskRoleStatements.*.resources.*",
];
