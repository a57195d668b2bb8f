/**
 * `scan`: every service of a cluster, one row each — status, tasks, last deployment, cause
 * codes, age of the last failure.
 *
 * Cheap first, deep where it matters: ListServices (paginated), then DescribeServices ten at a
 * time. A service whose answer alone shows a settled deployment and no failure event since
 * `since` is reported healthy from it (a tenth of a call); every other service gets the full
 * `collect` + `diagnose` of `doctor diagnose`, with bounded concurrency. A part that cannot be
 * read (a batch, a service, an optional read) degrades that row and says so; only a cluster that
 * cannot be listed stops the scan.
 */
import type { Service } from "@aws-sdk/client-ecs";
import type { AwsReader } from "./aws-reader";
import type { CallStats } from "./calls";
import { collect } from "./collect";
import { mapLimit } from "./concurrency";
import { diagnose } from "./diagnose";
import { describeError, unreadable } from "./errors";
import { taskDefinitionLabel } from "./rollout";
import type { CauseCode, Diagnosis, ServiceStatus, Snapshot } from "./types";

/** DescribeServices accepts at most 10 services per call (ECS API reference). */
export const DESCRIBE_SERVICES_BATCH = 10;
/** ListServices pages read at most (100 services each). */
const MAX_LIST_PAGES = 50;

/** Tuning of `scanCluster`. */
export interface ScanOptions {
    /** Oldest event / stopped task worth reading. */
    readonly since: Date;
    /** Reads in flight at once. @default 4 */
    readonly concurrency?: number;
    /** @default () => new Date() */
    readonly now?: () => Date;
    /** Told after each service is judged. */
    readonly onProgress?: (progress: ScanProgress) => void;
}

export interface ScanProgress {
    readonly done: number;
    readonly total: number;
    /** Services judged not healthy so far. */
    readonly problems: number;
    readonly calls: number;
}

/** One service's row. `unreadable` rows carry the reason in `notes`. */
export interface ScanRow {
    readonly service: string;
    readonly status: ServiceStatus | "unreadable";
    readonly running?: number;
    readonly desired?: number;
    /** Newest deployment: `web:7 COMPLETED`, `web:7 FAILED, rolled back to web:6`; the controller for CODE_DEPLOY/EXTERNAL. */
    readonly lastDeployment?: string;
    readonly causes: CauseCode[];
    /** Time of the newest failure evidence (ISO). */
    readonly lastFailureAt?: string;
    /** `quick`: judged from DescribeServices alone; `full`: diagnosed like `doctor diagnose`. */
    readonly depth: "quick" | "full" | "none";
    readonly notes: string[];
}

/** The scan's result; `--format json` prints it as one object. */
export interface ScanResult {
    readonly cluster: string;
    readonly region?: string;
    readonly checkedAt: string;
    readonly since: string;
    readonly services: ScanRow[];
    readonly summary: Partial<Record<ScanRow["status"], number>> & { total: number };
    readonly calls: CallStats;
    /** Problems of the scan itself (e.g. only the first N services were listed). */
    readonly notes: string[];
}

/** Statuses that make the scan exit 1: something is wrong, not just moving. */
export const PROBLEM_STATUSES: readonly ScanRow["status"][] = ["failed", "rolled-back", "stuck", "unhealthy"];

/**
 * Scans every service of `cluster`.
 * @throws ServiceUnreadableError when the cluster's services cannot be listed (exit 2).
 */
export async function scanCluster(aws: AwsReader, cluster: string, options: ScanOptions): Promise<ScanResult> {
    const now = options.now ?? (() => new Date());
    const concurrency = options.concurrency ?? 4;
    const notes: string[] = [];
    const arns = await listServiceArns(aws, cluster, notes);
    const batches = chunk(arns, DESCRIBE_SERVICES_BATCH);
    const described = (await mapLimit(batches, concurrency, (batch) => describeBatch(aws, cluster, batch))).flat();

    let done = 0;
    let problems = 0;
    const rows = await mapLimit(described, concurrency, async (entry) => {
        const row = "service" in entry ? await judge(aws, cluster, entry.service, options.since, now) : entry.row;
        done++;
        if (row.status !== "healthy" && row.status !== "in-progress") problems++;
        options.onProgress?.({ done, total: described.length, problems, calls: aws.stats.total });
        return row;
    });
    return {
        cluster,
        region: await aws.region(),
        checkedAt: now().toISOString(),
        since: options.since.toISOString(),
        services: rows,
        summary: summarize(rows),
        calls: { ...aws.stats, byApi: { ...aws.stats.byApi } },
        notes,
    };
}

async function listServiceArns(aws: AwsReader, cluster: string, notes: string[]): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    try {
        for (let page = 0; page < MAX_LIST_PAGES; page++) {
            const out = await aws.listServices({ cluster, maxResults: 100, nextToken });
            arns.push(...out.serviceArns!);
            nextToken = out.nextToken ?? undefined;
            if (!nextToken) return arns;
        }
    } catch (err) {
        throw unreadable(err, `the services of cluster ${cluster}`);
    }
    notes.push(`only the first ${arns.length} services were listed (${MAX_LIST_PAGES} pages of ListServices)`);
    return arns;
}

function chunk<T>(items: T[], size: number): T[][] {
    return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** `service/prod/web` → `web`. */
function nameOf(arn: string): string {
    return arn.split("/").pop() ?? arn;
}

/** One DescribeServices call for up to ten services; a failure makes those rows unreadable, not the scan. */
async function describeBatch(aws: AwsReader, cluster: string, arns: string[]): Promise<({ service: Service } | { row: ScanRow })[]> {
    try {
        const out = await aws.describeServices({ cluster, services: arns });
        const found = (out.services ?? []).map((service) => ({ service }));
        const missing = (out.failures ?? []).map((f) => ({
            row: unreadableRow(nameOf(f.arn ?? "?"), `DescribeServices: ${f.reason ?? "?"}${f.detail ? ` (${f.detail})` : ""}`),
        }));
        return [...found, ...missing];
    } catch (err) {
        return arns.map((arn) => ({ row: unreadableRow(nameOf(arn), `DescribeServices failed: ${describeError(err)}`) }));
    }
}

function unreadableRow(service: string, note: string): ScanRow {
    return { service, status: "unreadable", causes: [], depth: "none", notes: [note] };
}

/** The diagnosis of a service from DescribeServices alone (no task, log or target reads). */
function quickDiagnosis(cluster: string, service: Service, since: Date, now: Date): Diagnosis {
    const snapshot: Snapshot = {
        cluster,
        since,
        collectedAt: now,
        service,
        serviceDeployments: [],
        tasks: [],
        taskDefinitions: {},
        targetHealth: [],
        logs: [],
        notes: [],
    };
    return diagnose(snapshot);
}

/** Quick when that settles it (healthy, or a non-ECS deployment still moving), else the full diagnosis. */
async function judge(aws: AwsReader, cluster: string, service: Service, since: Date, now: () => Date): Promise<ScanRow> {
    const quick = quickDiagnosis(cluster, service, since, now());
    if (quick.status === "healthy") return rowOf(quick, "quick");
    const ref = { cluster, service: service.serviceName ?? service.serviceArn ?? "?" };
    try {
        return rowOf(diagnose(await collect(aws, ref, { since, now, service })), "full");
    } catch (err) {
        return { ...rowOf(quick, "quick"), notes: [`full diagnosis failed, judged from DescribeServices only: ${describeError(err)}`] };
    }
}

/**
 * `web:7 COMPLETED`; after a rollback the deployment that failed, not the rollback that followed
 * it (`web:7 FAILED, rolled back to web:6`); the controller for CODE_DEPLOY/EXTERNAL services.
 */
function lastDeploymentOf(d: Diagnosis): string | undefined {
    const primary = d.deployments.find((x) => x.status === "PRIMARY");
    const failed = d.deployments.find((x) => x.rolloutState === "FAILED");
    if (failed && primary && failed.id !== primary.id) {
        return `${taskDefinitionLabel(failed.taskDefinition)} FAILED, rolled back to ${taskDefinitionLabel(primary.taskDefinition)}`;
    }
    const newest = [...d.deployments].sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""))[0];
    if (newest) return `${taskDefinitionLabel(newest.taskDefinition)} ${newest.rolloutState ?? newest.status}`;
    const set = d.taskSets.find((t) => t.status === "PRIMARY");
    if (d.controller === "ECS") return undefined;
    return set ? `${d.controller} ${taskDefinitionLabel(set.taskDefinition)} ${set.stabilityStatus ?? ""}`.trimEnd() : d.controller;
}

function rowOf(d: Diagnosis, depth: ScanRow["depth"]): ScanRow {
    const primary = d.deployments.find((x) => x.status === "PRIMARY");
    const sets = d.taskSets.find((t) => t.status === "PRIMARY");
    const lastFailureAt = d.causes
        .flatMap((c) => c.evidence)
        .filter((e) => e.kind !== "log" && e.at)
        .map((e) => e.at!)
        .sort()
        .pop();
    return {
        service: d.service,
        status: d.status,
        running: primary?.running ?? sets?.running,
        desired: primary?.desired ?? sets?.desired,
        lastDeployment: lastDeploymentOf(d),
        causes: d.causes.map((c) => c.code),
        ...(lastFailureAt ? { lastFailureAt } : {}),
        depth,
        notes: [...d.notes],
    };
}

function summarize(rows: ScanRow[]): ScanResult["summary"] {
    const out: Partial<Record<ScanRow["status"], number>> & { total: number } = { total: rows.length };
    for (const row of rows) out[row.status] = (out[row.status] ?? 0) + 1;
    return out;
}
