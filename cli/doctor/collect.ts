/**
 * Every AWS read of the doctor, and only reads (Describe*, List*, Get*). One required read
 * (DescribeServices); everything else is best effort: a failing optional call adds a note to
 * the snapshot and the diagnosis is made without it.
 *
 * Retries and backoff are the SDK's (see `clients.ts`): a call that still fails was retried.
 */
import {
    DescribeServiceDeploymentsCommand,
    DescribeServicesCommand,
    DescribeTaskDefinitionCommand,
    DescribeTasksCommand,
    ListServiceDeploymentsCommand,
    ListTasksCommand,
    type DesiredStatus,
    type ECSClient,
    type Service,
    type ServiceDeployment,
    type Task,
    type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetLogEventsCommand, type CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { isRoutineStop } from "./catalogue";
import { describeError, ServiceUnreadableError, unreadable } from "./errors";
import type { ContainerLog, Snapshot, TargetGroupHealth } from "./types";

/** The SDK clients the doctor reads through (injected so tests can mock or redirect them). */
export interface DoctorClients {
    readonly ecs: ECSClient;
    /** Optional: without it target health is skipped. */
    readonly elb?: ElasticLoadBalancingV2Client;
    /** Optional: a Logs client for a region (awslogs-region may differ from the service's). */
    readonly logs?: (region: string | undefined) => CloudWatchLogsClient;
}

/** Which service to read. */
export interface ServiceRef {
    readonly cluster: string;
    readonly service: string;
}

/** Limits of `collect`. */
export interface CollectOptions {
    /** Oldest event / stopped task worth reading. */
    readonly since: Date;
    /** @default () => new Date() */
    readonly now?: () => Date;
    /** Stopped tasks whose containers' logs are read. @default 2 */
    readonly maxLogTasks?: number;
    /** ListTasks pages (100 tasks each) read per desired status. @default 10 */
    readonly maxTaskPages?: number;
    /** Task definitions described. @default 5 */
    readonly maxTaskDefinitions?: number;
}

/** DescribeTasks accepts at most 100 ARNs per call. */
export const DESCRIBE_TASKS_BATCH = 100;
const LOG_LINES = 20;
const CONTAINERS_PER_TASK = 2;

/**
 * Reads the service (the one read that must succeed).
 * @throws ServiceUnreadableError with a sentence saying why (credentials, not found, throttled…).
 */
export async function readService(ecs: ECSClient, ref: ServiceRef): Promise<Service> {
    const what = `service ${ref.service} in cluster ${ref.cluster}`;
    let out;
    try {
        out = await ecs.send(new DescribeServicesCommand({ cluster: ref.cluster, services: [ref.service] }));
    } catch (err) {
        throw unreadable(err, what);
    }
    const service = out.services?.[0];
    if (!service) {
        const failure = out.failures?.[0];
        const why = failure ? `${failure.reason ?? "?"}${failure.detail ? ` (${failure.detail})` : ""}` : "no such service";
        throw new ServiceUnreadableError("not-found", `cannot read ${what}: ${why}; check --cluster, --service and --region`);
    }
    if (service.status === "INACTIVE") {
        throw new ServiceUnreadableError("not-found", `cannot read ${what}: the service is INACTIVE (deleted)`);
    }
    return service;
}

/** Reads everything `diagnose` needs about one service. */
export async function collect(clients: DoctorClients, ref: ServiceRef, options: CollectOptions): Promise<Snapshot> {
    const now = options.now ?? (() => new Date());
    const notes: string[] = [];
    const service = await readService(clients.ecs, ref);
    const since = options.since;
    // ListTasks filters by service *name* only; `--service` may be an ARN.
    const byName: ServiceRef = { cluster: ref.cluster, service: service.serviceName ?? ref.service };

    const [serviceDeployments, tasks] = await Promise.all([
        optional(notes, "service deployments (ListServiceDeployments/DescribeServiceDeployments; used DescribeServices deployments only)", [],
            () => readServiceDeployments(clients.ecs, ref, since, notes)),
        readTasks(clients.ecs, byName, notes, options.maxTaskPages ?? 10),
    ]);
    const failing = tasks
        .filter((t) => t.lastStatus === "STOPPED" && !isRoutineStop(t.stoppedReason) && (!t.stoppedAt || t.stoppedAt >= since))
        .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));

    const region = await regionOf(clients.ecs);
    const taskDefinitions = await readTaskDefinitions(clients.ecs, relevantTaskDefinitions(service, failing, tasks, options.maxTaskDefinitions ?? 5), notes);
    const [targetHealth, logs] = await Promise.all([
        readTargetHealth(clients.elb, service, notes),
        readLogs(clients.logs, failing.slice(0, options.maxLogTasks ?? 2), taskDefinitions, region, notes),
    ]);
    return {
        cluster: ref.cluster,
        region,
        since,
        collectedAt: now(),
        service,
        serviceDeployments,
        tasks,
        taskDefinitions,
        targetHealth,
        logs,
        notes,
    };
}

/** Runs an optional read; on failure records why and returns `fallback`. */
async function optional<T>(notes: string[], what: string, fallback: T, read: () => Promise<T>): Promise<T> {
    try {
        return await read();
    } catch (err) {
        notes.push(`${what} unavailable: ${describeError(err)}`);
        return fallback;
    }
}

async function regionOf(ecs: ECSClient): Promise<string | undefined> {
    try {
        const region = ecs.config.region;
        return typeof region === "function" ? await region() : region;
    } catch {
        return undefined;
    }
}

/** The newer API: rollback reason and circuit-breaker counts. Not every endpoint has it. */
async function readServiceDeployments(ecs: ECSClient, ref: ServiceRef, since: Date, notes: string[]): Promise<ServiceDeployment[]> {
    const list = await ecs.send(new ListServiceDeploymentsCommand({
        cluster: ref.cluster, service: ref.service, createdAt: { after: since }, maxResults: 10,
    }));
    const arns = (list.serviceDeployments ?? []).map((d) => d.serviceDeploymentArn).filter((a): a is string => !!a);
    if (list.nextToken) notes.push(`only the first ${arns.length} service deployments since ${since.toISOString()} were read`);
    if (arns.length === 0) return [];
    // DescribeServiceDeployments takes at most 20 ARNs; 10 listed above fit in one call.
    const described = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }));
    return described.serviceDeployments ?? [];
}

/** Stopped then running tasks of the service (each status read on its own, best effort). */
async function readTasks(ecs: ECSClient, ref: ServiceRef, notes: string[], maxPages: number): Promise<Task[]> {
    const out: Task[] = [];
    for (const status of ["STOPPED", "RUNNING"] as DesiredStatus[]) {
        const tasks = await optional(notes, `${status.toLowerCase()} tasks`, [] as Task[], async () => {
            const arns = await listTaskArns(ecs, ref, status, maxPages, notes);
            return describeTasks(ecs, ref.cluster, arns);
        });
        out.push(...tasks);
    }
    return out;
}

/** Follows ListTasks' nextToken up to `maxPages` pages. */
export async function listTaskArns(ecs: ECSClient, ref: ServiceRef, desiredStatus: DesiredStatus, maxPages: number, notes: string[]): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < maxPages; page++) {
        const out = await ecs.send(new ListTasksCommand({
            cluster: ref.cluster, serviceName: ref.service, desiredStatus, maxResults: 100, nextToken,
        }));
        arns.push(...(out.taskArns ?? []));
        nextToken = out.nextToken;
        if (!nextToken) return arns;
    }
    notes.push(`only the first ${arns.length} ${desiredStatus.toLowerCase()} tasks were read`);
    return arns;
}

/** DescribeTasks in batches of at most 100 ARNs. */
export async function describeTasks(ecs: ECSClient, cluster: string, arns: string[]): Promise<Task[]> {
    const out: Task[] = [];
    for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_BATCH) {
        const batch = arns.slice(i, i + DESCRIBE_TASKS_BATCH);
        const res = await ecs.send(new DescribeTasksCommand({ cluster, tasks: batch }));
        out.push(...(res.tasks ?? []));
    }
    return out;
}

/** Task definitions of failing tasks first (their probes and secrets explain them), then of deployments. */
function relevantTaskDefinitions(service: Service, failing: Task[], tasks: Task[], max: number): string[] {
    const unhealthy = tasks.filter((t) => t.containers?.some((c) => c.healthStatus === "UNHEALTHY"));
    const arns = [
        ...failing.map((t) => t.taskDefinitionArn),
        ...unhealthy.map((t) => t.taskDefinitionArn),
        ...(service.deployments ?? []).map((d) => d.taskDefinition),
    ].filter((a): a is string => !!a);
    return [...new Set(arns)].slice(0, max);
}

async function readTaskDefinitions(ecs: ECSClient, arns: string[], notes: string[]): Promise<Record<string, TaskDefinition>> {
    const out: Record<string, TaskDefinition> = {};
    await Promise.all(arns.map((arn) => optional(notes, `task definition ${arn}`, undefined, async () => {
        const res = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
        if (res.taskDefinition) out[arn] = res.taskDefinition;
    })));
    return out;
}

async function readTargetHealth(elb: ElasticLoadBalancingV2Client | undefined, service: Service, notes: string[]): Promise<TargetGroupHealth[]> {
    if (!elb) return [];
    const groups = [...new Set((service.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((a): a is string => !!a))];
    const out: TargetGroupHealth[] = [];
    for (const arn of groups) {
        await optional(notes, `target health of ${arn}`, undefined, async () => {
            const res = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
            out.push({ targetGroupArn: arn, targets: res.TargetHealthDescriptions ?? [] });
        });
    }
    return out;
}

/**
 * Last lines of the containers that failed, from the awslogs stream
 * `<awslogs-stream-prefix>/<container>/<task id>` (the name ECS gives it on Fargate).
 */
async function readLogs(
    logsFor: DoctorClients["logs"],
    tasks: Task[],
    taskDefinitions: Record<string, TaskDefinition>,
    defaultRegion: string | undefined,
    notes: string[],
): Promise<ContainerLog[]> {
    if (!logsFor) return [];
    const out: ContainerLog[] = [];
    for (const task of tasks) {
        const td = task.taskDefinitionArn ? taskDefinitions[task.taskDefinitionArn] : undefined;
        const taskId = task.taskArn?.split("/").pop();
        if (!td || !taskId) continue;
        const broken = (task.containers ?? []).filter((c) => (c.exitCode ?? 0) !== 0 || c.reason || c.healthStatus === "UNHEALTHY");
        const names = (broken.length > 0 ? broken : task.containers ?? []).map((c) => c.name).slice(0, CONTAINERS_PER_TASK);
        for (const name of names) {
            const def = td.containerDefinitions?.find((d) => d.name === name);
            const opts = def?.logConfiguration?.logDriver === "awslogs" ? def.logConfiguration.options ?? {} : undefined;
            const group = opts?.["awslogs-group"];
            const prefix = opts?.["awslogs-stream-prefix"];
            if (!group || !prefix || !name) continue;
            const stream = `${prefix}/${name}/${taskId}`;
            await optional(notes, `logs of ${name} in task ${taskId} (${group})`, undefined, async () => {
                const res = await logsFor(opts["awslogs-region"] ?? defaultRegion).send(new GetLogEventsCommand({
                    logGroupName: group, logStreamName: stream, limit: LOG_LINES, startFromHead: false,
                }));
                const lines = (res.events ?? []).map((e) => (e.message ?? "").replace(/\s+$/, "")).filter((l) => l.length > 0);
                out.push({ taskArn: task.taskArn!, container: name, logGroup: group, logStream: stream, lines });
            });
        }
    }
    return out;
}
