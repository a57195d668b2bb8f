/**
 * The API semantics over stories: what ECS, ELBv2 and CloudWatch Logs answer for a cluster of
 * services, with the limits and paging the doctor must respect (DescribeServices ≤ 10 services,
 * DescribeTasks ≤ 100 tasks, ListServices/ListTasks/FilterLogEvents pages, an unknown cluster).
 * Operations are named `ECS.ListTasks`, `ELBv2.DescribeRules`, `Logs.FilterLogEvents`, …; inputs
 * arrive as the wire has them (JSON for ECS/Logs, flattened Query parameters for ELBv2).
 */
import type { Service, ServiceDeployment, Task } from "@aws-sdk/client-ecs";
import type { TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CLUSTER, CLUSTER_ARN, StoryError, type LogLine, type Story } from "./stories";

type Handler = (input: any) => unknown;

/** Synthetic times of log lines given as plain strings. */
const FIRST_LOG_MS = 1_700_000_000_000;

/** `TargetGroupArns.member.1`, `…member.2` of a Query request (or the SDK input's list, for mocks) → a list. */
function members(input: Record<string, any>, name: string): string[] {
    if (Array.isArray(input[name])) return input[name];
    return Object.keys(input)
        .filter((k) => k.startsWith(`${name}.member.`))
        .sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop()))
        .map((k) => input[k]);
}

/** One page of `items` from the offset in `token` (tokens are offsets, as strings). */
function page<T>(items: T[], token: string | undefined, size: number): { items: T[]; next?: string } {
    const start = token ? Number(token) : 0;
    const next = start + size < items.length ? String(start + size) : undefined;
    return { items: items.slice(start, start + size), ...(next ? { next } : {}) };
}

function logEvents(story: Story): { stream: string; group: string; at: number; message: string }[] {
    return Object.entries(story.logs).flatMap(([key, lines]) => {
        const [group, stream] = key.split("|");
        return lines.map((line, i) =>
            typeof line === "string"
                ? { group, stream, at: FIRST_LOG_MS + i, message: line }
                : { group, stream, at: (line as LogLine).at.getTime(), message: (line as LogLine).message },
        );
    });
}

/** The ECS, ELBv2 and Logs operations over a cluster of `stories` (one per service). */
export function clusterApi(stories: Story[], cluster = CLUSTER): Record<string, Handler> {
    const fail = (v: unknown) => {
        if (v instanceof StoryError) throw v;
    };
    const inCluster = (input: { cluster?: string }) => {
        if (input.cluster !== undefined && input.cluster !== cluster && input.cluster !== CLUSTER_ARN.replace(/\/[^/]+$/, `/${cluster}`)) {
            throw new StoryError("ClusterNotFoundException", "Cluster not found.");
        }
    };
    const storyOf = (name: string | undefined) => stories.find((s) => s.service.serviceName === name || s.service.serviceArn === name);
    const tasks = () => stories.flatMap((s) => s.tasks);
    const alb = () => stories.flatMap((s) => (s.alb ? [s.alb] : []));
    return {
        "ECS.ListServices": (input) => {
            inCluster(input);
            const arns = stories.map((s) => s.service.serviceArn!);
            const { items, next } = page(arns, input.nextToken, Math.min(input.maxResults ?? 10, 100));
            return { serviceArns: items, ...(next ? { nextToken: next } : {}) };
        },
        "ECS.DescribeServices": (input) => {
            inCluster(input);
            if (input.services.length > 10) throw new StoryError("InvalidParameterException", "services can have at most 10 items.");
            const withTags = (input.include ?? []).includes("TAGS");
            const found: Service[] = [];
            const failures: { arn: string; reason: string }[] = [];
            for (const name of input.services as string[]) {
                const story = storyOf(name);
                if (!story) failures.push({ arn: name, reason: "MISSING" });
                else found.push(withTags ? story.service : { ...story.service, tags: undefined });
            }
            return { services: found, failures };
        },
        "ECS.ListServiceDeployments": (input) => {
            inCluster(input);
            const story = storyOf(input.service);
            if (!story) throw new StoryError("ServiceNotFoundException", "Service not found.");
            fail(story.serviceDeployments);
            const list = story.serviceDeployments as ServiceDeployment[];
            return {
                serviceDeployments: list.map((d) => ({
                    serviceDeploymentArn: d.serviceDeploymentArn,
                    status: d.status,
                    createdAt: d.createdAt,
                })),
            };
        },
        "ECS.DescribeServiceDeployments": (input) => {
            const all = stories.flatMap((s) => (s.serviceDeployments instanceof StoryError ? [] : s.serviceDeployments));
            stories.forEach((s) => fail(s.serviceDeployments));
            return { serviceDeployments: all.filter((d) => input.serviceDeploymentArns.includes(d.serviceDeploymentArn)), failures: [] };
        },
        "ECS.ListTasks": (input) => {
            inCluster(input);
            const story = storyOf(input.serviceName);
            const arns = (story?.tasks ?? []).filter((t) => t.desiredStatus === (input.desiredStatus ?? "RUNNING")).map((t) => t.taskArn!);
            const { items, next } = page(arns, input.nextToken, input.maxResults ?? 100);
            return { taskArns: items, ...(next ? { nextToken: next } : {}) };
        },
        "ECS.DescribeTasks": (input) => {
            inCluster(input);
            if (input.tasks.length > 100) throw new StoryError("InvalidParameterException", "Tasks cannot be longer than 100.");
            return { tasks: tasks().filter((t: Task) => input.tasks.includes(t.taskArn)), failures: [] };
        },
        "ECS.DescribeTaskDefinition": (input) => {
            const def = stories.flatMap((s) => s.taskDefinitions).find((d) => d.taskDefinitionArn === input.taskDefinition);
            if (!def) throw new StoryError("ClientException", "Unable to describe task definition.");
            return { taskDefinition: def };
        },
        "Logs.GetLogEvents": (input) => {
            const key = `${input.logGroupName}|${input.logStreamName}`;
            const story = stories.find((s) => key in s.logs);
            if (!story) throw new StoryError("ResourceNotFoundException", "The specified log stream does not exist.");
            const events = logEvents(story).filter((e) => e.group === input.logGroupName && e.stream === input.logStreamName);
            return { events: events.map((e) => ({ timestamp: e.at, message: e.message, ingestionTime: e.at })) };
        },
        "Logs.FilterLogEvents": (input) => {
            const events = stories
                .flatMap(logEvents)
                .filter((e) => e.group === input.logGroupName && (!input.logStreamNames || input.logStreamNames.includes(e.stream)))
                .filter(
                    (e) =>
                        (input.startTime === undefined || e.at >= input.startTime) &&
                        (input.endTime === undefined || e.at <= input.endTime),
                )
                .sort((a, b) => a.at - b.at);
            const { items, next } = page(events, input.nextToken, input.limit ?? 10_000);
            return {
                events: items.map((e) => ({ logStreamName: e.stream, timestamp: e.at, message: e.message, ingestionTime: e.at })),
                ...(next ? { nextToken: next } : {}),
            };
        },
        "ELBv2.DescribeTargetHealth": (input) => {
            for (const s of stories) fail(s.targetHealth);
            const groups = Object.assign({}, ...stories.map((s) => s.targetHealth)) as Record<string, TargetHealthDescription[]>;
            return { TargetHealthDescriptions: groups[input.TargetGroupArn] ?? [] };
        },
        "ELBv2.DescribeTargetGroups": (input) => {
            const arns = members(input, "TargetGroupArns");
            const groups = alb()
                .flatMap((a) => a.targetGroups)
                .filter((g) => arns.includes(g.TargetGroupArn!));
            if (groups.length < arns.length) throw new StoryError("TargetGroupNotFound", "One or more target groups not found");
            return { TargetGroups: groups };
        },
        "ELBv2.DescribeTargetGroupAttributes": (input) => ({
            Attributes:
                alb()
                    .map((a) => a.attributes[input.TargetGroupArn])
                    .find(Boolean) ?? [],
        }),
        "ELBv2.DescribeLoadBalancers": (input) => {
            const arns = members(input, "LoadBalancerArns");
            return {
                LoadBalancers: alb()
                    .flatMap((a) => a.loadBalancers)
                    .filter((lb) => arns.includes(lb.LoadBalancerArn!)),
            };
        },
        "ELBv2.DescribeListeners": (input) => ({
            Listeners: alb()
                .flatMap((a) => a.listeners)
                .filter((l) => l.LoadBalancerArn === input.LoadBalancerArn),
        }),
        "ELBv2.DescribeRules": (input) => ({
            Rules:
                alb()
                    .map((a) => a.rules[input.ListenerArn])
                    .find(Boolean) ?? [],
        }),
    };
}

/** The API over one service's story. */
export function storyApi(story: Story): Record<string, Handler> {
    return clusterApi([story]);
}
