/**
 * The shape of every AWS answer the doctor reads, one zod schema per API, and the check that
 * turns a malformed answer into `unexpected response from <API>: <field>: <problem>` instead of a
 * TypeError deep inside the diagnosis (or, worse, a wrong story: an empty 200 body once read as
 * "no such service").
 *
 * Why a check at all: the SDK's deserializer passes wrong JSON types through unchanged (a string
 * where a list belongs reaches the caller as a string) and reads a missing list as `undefined`.
 * Only the fields the doctor reads are described; everything else passes. Lists AWS always sends
 * (`services`, `taskArns`, `events`, …) are required, so an empty or truncated answer is caught.
 * ELBv2 speaks XML, where an empty list may arrive as absent: those lists are optional.
 */
import { z } from "zod";
import { UnexpectedResponseError } from "./errors";

const str = z.string().nullish();
const num = z.number().nullish();
const date = z.date().nullish();
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();
/** A list AWS always sends: its absence means the answer is broken. */
const required = <T extends z.ZodType>(item: T) => z.array(item);

const event = z.object({ id: str, createdAt: date, message: str });
const deployment = z.object({
    id: str,
    status: str,
    taskDefinition: str,
    desiredCount: num,
    runningCount: num,
    pendingCount: num,
    failedTasks: num,
    rolloutState: str,
    rolloutStateReason: str,
    createdAt: date,
    updatedAt: date,
});
const taskSet = z.object({
    id: str,
    status: str,
    taskDefinition: str,
    computedDesiredCount: num,
    runningCount: num,
    pendingCount: num,
    stabilityStatus: str,
    externalId: str,
    createdAt: date,
});
const service = z.object({
    serviceName: str,
    serviceArn: str,
    status: str,
    desiredCount: num,
    runningCount: num,
    pendingCount: num,
    taskDefinition: str,
    healthCheckGracePeriodSeconds: num,
    deployments: list(deployment),
    events: list(event),
    taskSets: list(taskSet),
    loadBalancers: list(z.object({ targetGroupArn: str, containerName: str, containerPort: num })),
    deploymentController: z.object({ type: str }).nullish(),
    deploymentConfiguration: z
        .object({
            minimumHealthyPercent: num,
            maximumPercent: num,
            strategy: str,
            bakeTimeInMinutes: z.union([z.string(), z.number()]).nullish(),
        })
        .nullish(),
    tags: list(z.object({ key: str, value: str })),
});
const container = z.object({ name: str, exitCode: num, reason: str, healthStatus: str, lastStatus: str });
const task = z.object({
    taskArn: str,
    taskDefinitionArn: str,
    startedBy: str,
    group: str,
    lastStatus: str,
    desiredStatus: str,
    stopCode: str,
    stoppedReason: str,
    createdAt: date,
    connectivityAt: date,
    pullStartedAt: date,
    pullStoppedAt: date,
    startedAt: date,
    stoppingAt: date,
    stoppedAt: date,
    containers: list(container),
});
const containerDefinition = z.object({
    name: str,
    essential: z.boolean().nullish(),
    stopTimeout: num,
    healthCheck: z.object({ command: list(z.string()), interval: num, timeout: num, retries: num, startPeriod: num }).nullish(),
    secrets: list(z.object({ name: str, valueFrom: str })),
    portMappings: list(z.object({ containerPort: num })),
    logConfiguration: z.object({ logDriver: str, options: z.record(z.string(), z.string()).nullish() }).nullish(),
});
const serviceDeployment = z.object({
    serviceDeploymentArn: str,
    status: str,
    statusReason: str,
    createdAt: date,
    startedAt: date,
    finishedAt: date,
    rollback: z.object({ reason: str }).nullish(),
    deploymentCircuitBreaker: z.object({ status: str, failureCount: num, threshold: num }).nullish(),
});
const logEvent = z.object({ timestamp: num, message: str, logStreamName: str });
const action = z.object({
    Type: str,
    TargetGroupArn: str,
    ForwardConfig: z.object({ TargetGroups: list(z.object({ TargetGroupArn: str, Weight: num })) }).nullish(),
});

/** One schema per API the doctor calls (the answer after the SDK deserialized it). */
export const RESPONSES = {
    "ECS.DescribeServices": z.object({ services: required(service), failures: list(z.object({ arn: str, reason: str, detail: str })) }),
    "ECS.ListServices": z.object({ serviceArns: required(z.string()), nextToken: str }),
    "ECS.ListServiceDeployments": z.object({ serviceDeployments: required(serviceDeployment), nextToken: str }),
    "ECS.DescribeServiceDeployments": z.object({ serviceDeployments: required(serviceDeployment) }),
    "ECS.ListTasks": z.object({ taskArns: required(z.string()), nextToken: str }),
    "ECS.DescribeTasks": z.object({ tasks: required(task) }),
    "ECS.DescribeTaskDefinition": z.object({
        taskDefinition: z.object({ taskDefinitionArn: str, executionRoleArn: str, containerDefinitions: list(containerDefinition) }),
    }),
    "ELBv2.DescribeTargetHealth": z.object({
        TargetHealthDescriptions: list(
            z.object({
                Target: z.object({ Id: str, Port: num }).nullish(),
                TargetHealth: z.object({ State: str, Reason: str, Description: str }).nullish(),
            }),
        ),
    }),
    "ELBv2.DescribeTargetGroups": z.object({
        TargetGroups: list(
            z.object({
                TargetGroupArn: str,
                HealthCheckPath: str,
                HealthCheckIntervalSeconds: num,
                HealthCheckTimeoutSeconds: num,
                HealthyThresholdCount: num,
                UnhealthyThresholdCount: num,
                Matcher: z.object({ HttpCode: str }).nullish(),
                LoadBalancerArns: list(z.string()),
                Port: num,
                Protocol: str,
            }),
        ),
    }),
    "ELBv2.DescribeTargetGroupAttributes": z.object({ Attributes: list(z.object({ Key: str, Value: str })) }),
    "ELBv2.DescribeLoadBalancers": z.object({ LoadBalancers: list(z.object({ LoadBalancerArn: str, DNSName: str })) }),
    "ELBv2.DescribeListeners": z.object({
        Listeners: list(z.object({ ListenerArn: str, Port: num, Protocol: str, DefaultActions: list(action) })),
        NextMarker: str,
    }),
    "ELBv2.DescribeRules": z.object({
        Rules: list(
            z.object({
                RuleArn: str,
                Priority: str,
                IsDefault: z.boolean().nullish(),
                Actions: list(action),
                Conditions: list(
                    z.object({
                        Field: str,
                        Values: list(z.string()),
                        PathPatternConfig: z.object({ Values: list(z.string()) }).nullish(),
                        HostHeaderConfig: z.object({ Values: list(z.string()) }).nullish(),
                    }),
                ),
            }),
        ),
        NextMarker: str,
    }),
    "Logs.GetLogEvents": z.object({ events: required(logEvent) }),
    "Logs.FilterLogEvents": z.object({ events: required(logEvent), nextToken: str }),
} as const;

/** The APIs the doctor calls, as `<service>.<operation>`. */
export type ApiName = keyof typeof RESPONSES;

/** `services[0].deployments` from a zod issue path. */
function fieldOf(path: readonly PropertyKey[]): string {
    const step = (out: string, key: PropertyKey) => {
        if (typeof key === "number") return `${out}[${key}]`;
        return out ? `${out}.${String(key)}` : String(key);
    };
    const field = path.reduce<string>(step, "");
    return field || "(the answer)";
}

/** The first problems of a failed check, as `field: problem` (at most three). */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
    const parts = issues.slice(0, 3).map((issue) => {
        const problem = /received undefined$/.test(issue.message) ? "is missing" : issue.message.replace(/^Invalid input: /, "");
        return `${fieldOf(issue.path)} ${problem}`;
    });
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : "";
    return parts.join("; ") + more;
}

/**
 * Checks `output` against the schema of `api` and returns it unchanged.
 * @throws UnexpectedResponseError naming the API and the first fields that are wrong.
 */
export function checkResponse<T>(api: ApiName, output: T): T {
    const result = RESPONSES[api].safeParse(output ?? {});
    if (!result.success) throw new UnexpectedResponseError(api, describeIssues(result.error.issues));
    return output;
}
