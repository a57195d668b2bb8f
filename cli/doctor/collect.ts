/**
 * The reads behind `diagnose`, and only reads (Describe*, List*, Get*). One required read
 * (DescribeServices); everything else is best effort: a failing optional call adds a note to
 * the snapshot and the diagnosis is made without it.
 *
 * Every call goes through the run's `AwsReader` (timeouts, retries, budget, response check).
 * Calls for a settled two-task service: DescribeServices, ListServiceDeployments, ListTasks ×2
 * (stopped, running), one DescribeTasks for both, DescribeTargetHealth — six. Task definitions,
 * service-deployment details and logs are read only for what failed.
 */
import type { DesiredStatus, Service, ServiceDeployment, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import { readerOf, type AwsReader, type DoctorClients } from "./aws-reader";
import { isRoutineStop } from "./catalogue";
import { describeError, ServiceUnreadableError, unreadable } from "./errors";
import type { ContainerLog, Snapshot, TargetGroupHealth } from "./types";

export type { DoctorClients } from "./aws-reader";

/** Which service to read. */
export interface ServiceRef {
    readonly cluster: string;
    readonly service: string;
}

/** Limits of `collect`. */
export interface CollectOptions {
    /** Oldest event / stopped task worth reading. */
    readonly since: Date;
    /** The service as DescribeServices just returned it (the scan reads ten at once): not read again. */
    readonly service?: Service;
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
 * Reads the service (the one read that must succeed); with `tags`, its tags too.
 * @throws ServiceUnreadableError with a sentence saying why (credentials, not found, throttled…).
 */
export async function readService(source: AwsReader | DoctorClients, ref: ServiceRef, options: { tags?: boolean } = {}): Promise<Service> {
    const what = `service ${ref.service} in cluster ${ref.cluster}`;
    let out;
    try {
        out = await readerOf(source).describeServices({
            cluster: ref.cluster,
            services: [ref.service],
            ...(options.tags ? { include: ["TAGS"] } : {}),
        });
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
export async function collect(source: AwsReader | DoctorClients, ref: ServiceRef, options: CollectOptions): Promise<Snapshot> {
    const aws = readerOf(source);
    const now = options.now ?? (() => new Date());
    const notes: string[] = [];
    const service = options.service ?? (await readService(aws, ref));
    const since = options.since;
    // ListTasks filters by service *name* only; `--service` may be an ARN.
    const byName: ServiceRef = { cluster: ref.cluster, service: service.serviceName ?? ref.service };

    // Independent reads in parallel: the critical path is DescribeServices → ListTasks → DescribeTasks
    // → (task definitions → logs, only for failed tasks).
    const [serviceDeployments, tasks, targetHealth] = await Promise.all([
        optional(
            notes,
            "service deployments (ListServiceDeployments/DescribeServiceDeployments; used DescribeServices deployments only)",
            [],
            () => readServiceDeployments(aws, ref, since, notes),
        ),
        readTasks(aws, byName, notes, options.maxTaskPages ?? 10),
        readTargetHealth(aws, service, notes),
    ]);
    const failing = tasks
        .filter((t) => t.lastStatus === "STOPPED" && !isRoutineStop(t.stoppedReason) && (!t.stoppedAt || t.stoppedAt >= since))
        .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));

    const region = await aws.region();
    const taskDefinitions = await readTaskDefinitions(aws, relevantTaskDefinitions(failing, tasks, options.maxTaskDefinitions ?? 5), notes);
    const logs = await readLogs(aws, failing.slice(0, options.maxLogTasks ?? 2), taskDefinitions, region, notes);
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

/** Runs an optional read; on failure records why (in `notes`) and returns `fallback`. */
export async function optional<T>(notes: string[], what: string, fallback: T, read: () => Promise<T>): Promise<T> {
    try {
        return await read();
    } catch (err) {
        notes.push(`${what} unavailable: ${describeError(err)}`);
        return fallback;
    }
}

/**
 * The newer API: rollback reason and circuit-breaker counts. Not every endpoint has it. Only
 * deployments that did not simply succeed are described (the list's brief already says
 * SUCCESSFUL); for a settled service that saves the call.
 */
async function readServiceDeployments(aws: AwsReader, ref: ServiceRef, since: Date, notes: string[]): Promise<ServiceDeployment[]> {
    const list = await aws.listServiceDeployments({
        cluster: ref.cluster,
        service: ref.service,
        createdAt: { after: since },
        maxResults: 10,
    });
    const briefs = list.serviceDeployments ?? [];
    if (list.nextToken) notes.push(`only the first ${briefs.length} service deployments since ${since.toISOString()} were read`);
    const arns = briefs
        .filter((d) => d.status !== "SUCCESSFUL")
        .map((d) => d.serviceDeploymentArn)
        .filter((a): a is string => !!a);
    // DescribeServiceDeployments takes at most 20 ARNs; 10 listed above fit in one call.
    const described =
        arns.length > 0 ? ((await aws.describeServiceDeployments({ serviceDeploymentArns: arns })).serviceDeployments ?? []) : [];
    const byArn = new Map(described.map((d) => [d.serviceDeploymentArn, d]));
    return briefs.map((brief) => byArn.get(brief.serviceDeploymentArn) ?? (brief as ServiceDeployment));
}

/** Stopped then running tasks of the service: each status listed on its own (best effort), described together. */
async function readTasks(aws: AwsReader, ref: ServiceRef, notes: string[], maxPages: number): Promise<Task[]> {
    const lists = await Promise.all(
        (["STOPPED", "RUNNING"] as DesiredStatus[]).map((status) =>
            optional(notes, `${status.toLowerCase()} tasks`, [] as string[], () => listTaskArns(aws, ref, status, maxPages, notes)),
        ),
    );
    return optional(notes, "tasks (DescribeTasks)", [] as Task[], () => describeTasks(aws, ref.cluster, lists.flat()));
}

/** Follows ListTasks' nextToken up to `maxPages` pages. */
export async function listTaskArns(
    aws: AwsReader,
    ref: ServiceRef,
    desiredStatus: DesiredStatus,
    maxPages: number,
    notes: string[],
): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < maxPages; page++) {
        const out = await aws.listTasks({ cluster: ref.cluster, serviceName: ref.service, desiredStatus, maxResults: 100, nextToken });
        arns.push(...(out.taskArns ?? []));
        nextToken = out.nextToken;
        if (!nextToken) return arns;
    }
    notes.push(`only the first ${arns.length} ${desiredStatus.toLowerCase()} tasks were read`);
    return arns;
}

/** DescribeTasks in batches of at most 100 ARNs. */
export async function describeTasks(aws: AwsReader, cluster: string, arns: string[]): Promise<Task[]> {
    const out: Task[] = [];
    for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_BATCH) {
        const batch = arns.slice(i, i + DESCRIBE_TASKS_BATCH);
        const res = await aws.describeTasks({ cluster, tasks: batch });
        out.push(...(res.tasks ?? []));
    }
    return out;
}

/** Task definitions of failing and unhealthy tasks: their probes, secrets and log streams explain them. */
function relevantTaskDefinitions(failing: Task[], tasks: Task[], max: number): string[] {
    const unhealthy = tasks.filter((t) => t.containers?.some((c) => c.healthStatus === "UNHEALTHY"));
    const arns = [...failing, ...unhealthy].map((t) => t.taskDefinitionArn).filter((a): a is string => !!a);
    return [...new Set(arns)].slice(0, max);
}

async function readTaskDefinitions(aws: AwsReader, arns: string[], notes: string[]): Promise<Record<string, TaskDefinition>> {
    const out: Record<string, TaskDefinition> = {};
    await Promise.all(
        arns.map((arn) =>
            optional(notes, `task definition ${arn}`, undefined, async () => {
                const res = await aws.describeTaskDefinition({ taskDefinition: arn });
                if (res.taskDefinition) out[arn] = res.taskDefinition;
            }),
        ),
    );
    return out;
}

async function readTargetHealth(aws: AwsReader, service: Service, notes: string[]): Promise<TargetGroupHealth[]> {
    if (!aws.hasElb) return [];
    const groups = [...new Set((service.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((a): a is string => !!a))];
    const out: TargetGroupHealth[] = [];
    for (const arn of groups) {
        await optional(notes, `target health of ${arn}`, undefined, async () => {
            const res = await aws.describeTargetHealth({ TargetGroupArn: arn });
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
    aws: AwsReader,
    tasks: Task[],
    taskDefinitions: Record<string, TaskDefinition>,
    defaultRegion: string | undefined,
    notes: string[],
): Promise<ContainerLog[]> {
    if (!aws.hasLogs) return [];
    const out: ContainerLog[] = [];
    for (const task of tasks) {
        const td = task.taskDefinitionArn ? taskDefinitions[task.taskDefinitionArn] : undefined;
        const taskId = task.taskArn?.split("/").pop();
        if (!td || !taskId) continue;
        const broken = (task.containers ?? []).filter((c) => (c.exitCode ?? 0) !== 0 || c.reason || c.healthStatus === "UNHEALTHY");
        const names = (broken.length > 0 ? broken : (task.containers ?? [])).map((c) => c.name).slice(0, CONTAINERS_PER_TASK);
        for (const name of names) {
            const def = td.containerDefinitions?.find((d) => d.name === name);
            const opts = def?.logConfiguration?.logDriver === "awslogs" ? (def.logConfiguration.options ?? {}) : undefined;
            const group = opts?.["awslogs-group"];
            const prefix = opts?.["awslogs-stream-prefix"];
            if (!group || !prefix || !name) continue;
            const stream = `${prefix}/${name}/${taskId}`;
            await optional(notes, `logs of ${name} in task ${taskId} (${group})`, undefined, async () => {
                const res = await aws.getLogEvents(opts["awslogs-region"] ?? defaultRegion, {
                    logGroupName: group,
                    logStreamName: stream,
                    limit: LOG_LINES,
                    startFromHead: false,
                });
                const lines = (res.events ?? []).map((e) => (e.message ?? "").replace(/\s+$/, "")).filter((l) => l.length > 0);
                out.push({ taskArn: task.taskArn!, container: name, logGroup: group, logStream: stream, lines });
            });
        }
    }
    return out;
}
