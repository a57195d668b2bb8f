/**
 * The reads behind `startup`: the service (with its tags, where the declared budget lives), its
 * newest tasks with their timestamps, their task definitions, the target group (probe settings,
 * deregistration delay) and the first minutes of each task's log stream.
 *
 * One call per API where it can be: ListTasks once per status, DescribeTasks for up to 100 tasks,
 * one DescribeTaskDefinition per revision, one FilterLogEvents (paginated) per *wave* of tasks
 * that started together (a deployment), over all their streams at once.
 */
import type { Service, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import type { TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AwsReader } from "./aws-reader";
import { describeTasks, listTaskArns, optional, readService, type ServiceRef } from "./collect";

/** Log lines of one task's app container from its first minutes: `at` in ms since epoch. */
export interface TaskLog {
    readonly taskArn: string;
    readonly logGroup: string;
    readonly lines: { at: number; message: string }[];
}

/** Everything `analyzeStartup` reads. */
export interface StartupData {
    readonly cluster: string;
    readonly region?: string;
    readonly collectedAt: Date;
    readonly service: Service;
    /** The newest tasks (running and stopped), newest first. */
    readonly tasks: Task[];
    readonly taskDefinitions: Record<string, TaskDefinition>;
    /** The container the load balancer sends traffic to (whose start-up is measured). */
    readonly container?: string;
    readonly targetGroup?: TargetGroup;
    readonly deregistrationDelaySeconds?: number;
    readonly logs: TaskLog[];
    readonly notes: string[];
}

/** Limits of `readStartup`. */
export interface StartupReadOptions {
    /** How many of the newest tasks to measure. @default 20 */
    readonly tasks?: number;
    /** Log lines are read from task creation to this long after the task started. @default 10 minutes */
    readonly logWindowMs?: number;
    /** FilterLogEvents pages per wave. @default 5 */
    readonly maxLogPages?: number;
    /** @default () => new Date() */
    readonly now?: () => Date;
}

const DEFAULT_LOG_WINDOW_MS = 10 * 60_000;
/** FilterLogEvents takes at most 100 stream names. */
const STREAMS_PER_CALL = 100;

/** Reads what `startup` measures. @throws ServiceUnreadableError when the service cannot be read. */
export async function readStartup(aws: AwsReader, ref: ServiceRef, options: StartupReadOptions = {}): Promise<StartupData> {
    const now = options.now ?? (() => new Date());
    const notes: string[] = [];
    const service = await readService(aws, ref, { tags: true });
    const byName = { cluster: ref.cluster, service: service.serviceName ?? ref.service };
    const lists = await Promise.all(
        (["RUNNING", "STOPPED"] as const).map((status) =>
            optional(notes, `${status.toLowerCase()} tasks`, [] as string[], () => listTaskArns(aws, byName, status, 1, notes)),
        ),
    );
    const described = await optional(notes, "tasks (DescribeTasks)", [] as Task[], () => describeTasks(aws, ref.cluster, lists.flat()));
    const tasks = described.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0)).slice(0, options.tasks ?? 20);

    const taskDefinitions: Record<string, TaskDefinition> = {};
    for (const arn of [...new Set(tasks.map((t) => t.taskDefinitionArn).filter((a): a is string => !!a))].slice(0, 3)) {
        await optional(notes, `task definition ${arn}`, undefined, async () => {
            taskDefinitions[arn] = (await aws.describeTaskDefinition({ taskDefinition: arn })).taskDefinition!;
        });
    }
    const container = appContainer(service, Object.values(taskDefinitions)[0]);
    const { targetGroup, deregistrationDelaySeconds } = await readTargetGroup(aws, service, notes);
    const logs = container ? await readTaskLogs(aws, tasks, taskDefinitions, container, await aws.region(), options, notes) : [];
    return {
        cluster: ref.cluster,
        region: await aws.region(),
        collectedAt: now(),
        service,
        tasks,
        taskDefinitions,
        ...(container ? { container } : {}),
        ...(targetGroup ? { targetGroup } : {}),
        ...(deregistrationDelaySeconds !== undefined ? { deregistrationDelaySeconds } : {}),
        logs,
        notes,
    };
}

/** The load balancer's container, else the first essential one with a health check, else the first. */
export function appContainer(service: Service, td: TaskDefinition | undefined): string | undefined {
    const fromLb = service.loadBalancers?.find((lb) => lb.containerName)?.containerName;
    const defs = td?.containerDefinitions ?? [];
    return fromLb ?? defs.find((d) => d.essential !== false && d.healthCheck)?.name ?? defs[0]?.name;
}

async function readTargetGroup(
    aws: AwsReader,
    service: Service,
    notes: string[],
): Promise<{ targetGroup?: TargetGroup; deregistrationDelaySeconds?: number }> {
    const arn = service.loadBalancers?.find((lb) => lb.targetGroupArn)?.targetGroupArn;
    if (!arn || !aws.hasElb) return {};
    const targetGroup = await optional(
        notes,
        `target group ${arn}`,
        undefined,
        async () => (await aws.describeTargetGroups({ TargetGroupArns: [arn] })).TargetGroups?.[0],
    );
    const delay = await optional(notes, `attributes of target group ${arn}`, undefined, async () => {
        const attrs = (await aws.describeTargetGroupAttributes({ TargetGroupArn: arn })).Attributes ?? [];
        const raw = attrs.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value;
        return raw !== undefined && raw !== null ? Number(raw) : undefined;
    });
    const known = delay !== undefined && Number.isFinite(delay);
    return { ...(targetGroup ? { targetGroup } : {}), ...(known ? { deregistrationDelaySeconds: delay } : {}) };
}

/** One task's awslogs stream of `container`, if its task definition logs there. */
function streamOf(
    task: Task,
    td: TaskDefinition | undefined,
    container: string,
): { group: string; stream: string; region?: string } | undefined {
    const def = td?.containerDefinitions?.find((d) => d.name === container);
    const opts = def?.logConfiguration?.logDriver === "awslogs" ? (def.logConfiguration.options ?? {}) : undefined;
    const taskId = task.taskArn?.split("/").pop();
    if (!opts?.["awslogs-group"] || !opts["awslogs-stream-prefix"] || !taskId) return undefined;
    const stream = `${opts["awslogs-stream-prefix"]}/${container}/${taskId}`;
    return { group: opts["awslogs-group"], stream, region: opts["awslogs-region"] };
}

/** A set of tasks whose log windows overlap, read with one (paginated) FilterLogEvents. */
interface Wave {
    group: string;
    region?: string;
    start: number;
    end: number;
    streams: Map<string, string>; // stream → task ARN
}

/** Groups tasks into waves: same log group, overlapping [created, started + window], ≤ 100 streams. */
function wavesOf(tasks: Task[], tds: Record<string, TaskDefinition>, container: string, windowMs: number): Wave[] {
    const waves: Wave[] = [];
    const started = tasks.filter((t) => t.createdAt && t.startedAt).sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
    for (const task of started) {
        const where = streamOf(task, tds[task.taskDefinitionArn ?? ""], container);
        if (!where) continue;
        const start = task.createdAt!.getTime();
        const end = task.startedAt!.getTime() + windowMs;
        const wave = waves.find(
            (w) => w.group === where.group && w.region === where.region && start <= w.end && w.streams.size < STREAMS_PER_CALL,
        );
        if (wave) {
            wave.end = Math.max(wave.end, end);
            wave.streams.set(where.stream, task.taskArn!);
        } else {
            waves.push({ group: where.group, region: where.region, start, end, streams: new Map([[where.stream, task.taskArn!]]) });
        }
    }
    return waves;
}

async function readTaskLogs(
    aws: AwsReader,
    tasks: Task[],
    tds: Record<string, TaskDefinition>,
    container: string,
    region: string | undefined,
    options: StartupReadOptions,
    notes: string[],
): Promise<TaskLog[]> {
    if (!aws.hasLogs) return [];
    const byTask = new Map<string, TaskLog>();
    for (const wave of wavesOf(tasks, tds, container, options.logWindowMs ?? DEFAULT_LOG_WINDOW_MS)) {
        await optional(notes, `logs of ${wave.streams.size} tasks in ${wave.group}`, undefined, async () => {
            let nextToken: string | undefined;
            for (let page = 0; page < (options.maxLogPages ?? 5); page++) {
                const out = await aws.filterLogEvents(wave.region ?? region, {
                    logGroupName: wave.group,
                    logStreamNames: [...wave.streams.keys()],
                    startTime: wave.start,
                    endTime: wave.end,
                    nextToken,
                });
                for (const e of out.events ?? []) {
                    const taskArn = wave.streams.get(e.logStreamName ?? "");
                    if (!taskArn || e.timestamp === undefined || e.timestamp === null) continue;
                    const log = byTask.get(taskArn) ?? { taskArn, logGroup: wave.group, lines: [] };
                    log.lines.push({ at: e.timestamp, message: e.message ?? "" });
                    byTask.set(taskArn, log);
                }
                nextToken = out.nextToken ?? undefined;
                if (!nextToken) return;
            }
            notes.push(`logs of ${wave.streams.size} tasks in ${wave.group}: only the first ${options.maxLogPages ?? 5} pages were read`);
        });
    }
    return [...byTask.values()];
}
