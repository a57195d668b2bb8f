/**
 * `wait`: follow one deployment until its outcome is known, then explain a failure.
 *
 * Polls DescribeServices only (one cheap call per interval) and judges each answer with
 * `judgeRollout`, which reads the followed deployment's rolloutState and whether it is still
 * PRIMARY. That is what makes a circuit-breaker rollback a failure here, where waiting for
 * steady state would report success. The full `collect` + `diagnose` runs once, at the end,
 * only when the deployment did not succeed.
 */
import type { Service, ServiceEvent } from "@aws-sdk/client-ecs";
import { readerOf, type AwsReader } from "./aws-reader";
import { collect, readService, type DoctorClients, type ServiceRef } from "./collect";
import { diagnose } from "./diagnose";
import { describeError, ServiceUnreadableError } from "./errors";
import {
    chooseDeployment,
    deploymentControllerOf,
    describeUntrackedDeployments,
    hasEcsDeployments,
    judgeRollout,
    summarizeDeployment,
    type FollowedDeployment,
    type RolloutVerdict,
} from "./rollout";
import type { DeploymentSummary, Diagnosis } from "./types";

/** How a wait ended. Only `succeeded` exits 0. */
export type WaitOutcome = "succeeded" | "failed" | "rolled-back" | "superseded" | "timed-out";

/** One poll's view, for the progress display. */
export interface Progress {
    readonly service: string;
    readonly followed: FollowedDeployment;
    /** The followed deployment as ECS reports it now (absent once ECS dropped it). */
    readonly deployment?: DeploymentSummary;
    /** Id of the PRIMARY deployment (differs from `followed.id` after a rollback). */
    readonly primaryId?: string;
    /** Service events not shown before, oldest first. */
    readonly newEvents: { at?: string; text: string }[];
    readonly elapsedMs: number;
}

/** The result of `waitForRollout`. */
export interface WaitResult {
    readonly outcome: WaitOutcome;
    readonly service: string;
    readonly cluster: string;
    readonly deployment?: FollowedDeployment;
    /** One sentence: what happened to the followed deployment. */
    readonly reason: string;
    /** Present when the outcome is not `succeeded` (and the service could still be read). */
    readonly diagnosis?: Diagnosis;
    readonly notes: string[];
}

/** Tuning of `waitForRollout`. */
export interface WaitOptions {
    readonly timeoutMs: number;
    /** Time between DescribeServices calls. */
    readonly pollMs: number;
    /**
     * Follow the deployment of this task definition ARN instead of the newest deployment
     * (what `RolloutVerification` uses: a rollback that already finished is then still caught).
     */
    readonly expectedTaskDefinition?: string;
    readonly onProgress?: (progress: Progress) => void;
    /**
     * Consecutive failed polls tolerated when the failure is throttling or the network (the
     * SDK already retried each). @default 3
     */
    readonly maxFailedPolls?: number;
    /** @default setTimeout */
    readonly sleep?: (ms: number) => Promise<void>;
    /** @default () => new Date() */
    readonly now?: () => Date;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Shortest poll interval: a tight DescribeServices loop throttles the account's ECS API. */
export const MIN_POLL_MS = 1_000;
/** Failures of the followed deployment are read from a little before it was created. */
const DIAGNOSIS_LEAD_MS = 60_000;
/** `diagnose`'s default `--since`. */
const DEFAULT_LOOKBACK_MS = 2 * 3_600_000;

function sinceOf(followed: FollowedDeployment, started: number): Date {
    return new Date((followed.createdAt?.getTime() ?? started) - DIAGNOSIS_LEAD_MS);
}

/**
 * Follows the newest (or the expected) deployment of a service until it succeeds, fails, is
 * rolled back or superseded, or `timeoutMs` passes.
 * @throws ServiceUnreadableError when the service cannot be read (exit code 2).
 * @throws RangeError when `pollMs` is shorter than {@link MIN_POLL_MS}.
 */
export async function waitForRollout(source: AwsReader | DoctorClients, ref: ServiceRef, options: WaitOptions): Promise<WaitResult> {
    if (!(options.pollMs >= MIN_POLL_MS))
        throw new RangeError(`the poll interval must be at least ${MIN_POLL_MS / 1000}s (got ${options.pollMs} ms)`);
    const clients = readerOf(source);
    const now = options.now ?? (() => new Date());
    const sleep = options.sleep ?? defaultSleep;
    const started = now().getTime();
    const notes: string[] = [];
    let service = await readService(clients, ref);
    // CODE_DEPLOY / EXTERNAL controllers leave `deployments` empty: there is nothing to follow.
    if (!hasEcsDeployments(service)) {
        const what = deploymentControllerOf(service) === "ECS" ? "" : "it is ";
        throw new ServiceUnreadableError(
            "controller",
            `cannot follow a deployment of service ${ref.service}: ` +
                `${what}${describeUntrackedDeployments(service)} \`doctor diagnose\` still explains what ECS saw.`,
        );
    }

    const choice = chooseDeployment(service, options.expectedTaskDefinition);
    // The failed deployment may be gone already: look back as far as `diagnose` does by default.
    if ("verdict" in choice)
        return finish(
            clients,
            ref,
            choice.verdict.state,
            choice.verdict.reason,
            undefined,
            notes,
            new Date(started - DEFAULT_LOOKBACK_MS),
            now,
        );
    let followed = choice.follow;
    const shown = new Set<string>();
    // Events from before the followed deployment are history, not progress.
    for (const e of service.events ?? []) if (followed.createdAt && e.createdAt && e.createdAt < followed.createdAt) shown.add(eventKey(e));

    for (;;) {
        const verdict: RolloutVerdict = judgeRollout(service, followed);
        options.onProgress?.(progressOf(service, followed, shown, now().getTime() - started));
        if (verdict.state === "switch") {
            notes.push(`followed ${verdict.to.id}, which replaced ${followed.id} with the same task definition`);
            followed = verdict.to;
            continue;
        }
        if (verdict.state === "succeeded") {
            return {
                outcome: "succeeded",
                service: ref.service,
                cluster: ref.cluster,
                deployment: followed,
                reason: `deployment ${followed.id} completed`,
                notes,
            };
        }
        if (verdict.state !== "in-progress")
            return finish(clients, ref, verdict.state, verdict.reason, followed, notes, sinceOf(followed, started), now);

        const remaining = options.timeoutMs - (now().getTime() - started);
        if (remaining <= 0) {
            return finish(
                clients,
                ref,
                "timed-out",
                `deployment ${followed.id} did not finish within ${Math.round(options.timeoutMs / 1000)}s`,
                followed,
                notes,
                sinceOf(followed, started),
                now,
            );
        }
        await sleep(Math.min(options.pollMs, remaining));
        service = await pollAgain(clients, ref, notes, options.maxFailedPolls ?? 3, () => sleep(options.pollMs));
    }
}

/** Re-reads the service, riding out a few throttled or dropped polls. */
async function pollAgain(
    clients: AwsReader,
    ref: ServiceRef,
    notes: string[],
    maxFailed: number,
    pause: () => Promise<void>,
): Promise<Service> {
    for (let failed = 0; ; failed++) {
        try {
            return await readService(clients, ref);
        } catch (err) {
            const transient = err instanceof ServiceUnreadableError && (err.reason === "throttled" || err.reason === "network");
            if (!transient || failed + 1 >= maxFailed) throw err;
            notes.push(`a poll failed and was retried: ${describeError(err.cause ?? err)}`);
            await pause();
        }
    }
}

function eventKey(e: ServiceEvent): string {
    return e.id ?? `${e.createdAt?.getTime()}:${e.message}`;
}

function progressOf(service: Service, followed: FollowedDeployment, shown: Set<string>, elapsedMs: number): Progress {
    const fresh = (service.events ?? []).filter((e) => !shown.has(eventKey(e))).reverse(); // ECS lists newest first
    for (const e of fresh) shown.add(eventKey(e));
    const current = service.deployments?.find((d) => d.id === followed.id);
    return {
        service: service.serviceName ?? "?",
        followed,
        ...(current ? { deployment: summarizeDeployment(current) } : {}),
        primaryId: service.deployments?.find((d) => d.status === "PRIMARY")?.id,
        newEvents: fresh.map((e) => ({ at: e.createdAt?.toISOString(), text: e.message ?? "" })),
        elapsedMs,
    };
}

/** Builds the final result; on anything but success, diagnoses the service once. */
async function finish(
    clients: AwsReader,
    ref: ServiceRef,
    outcome: Exclude<WaitOutcome, "succeeded">,
    reason: string,
    followed: FollowedDeployment | undefined,
    notes: string[],
    since: Date,
    now: () => Date,
): Promise<WaitResult> {
    let diagnosis: Diagnosis | undefined;
    try {
        // A wait that timed out has, by the caller's own deadline, a stuck deployment.
        // The same clock as the wait, so "IN_PROGRESS for N min" and checkedAt agree with it.
        diagnosis = diagnose(await collect(clients, ref, { since, now }), outcome === "timed-out" ? { stuckAfterMs: 0 } : {});
    } catch (err) {
        notes.push(`no diagnosis: ${err instanceof Error ? err.message : describeError(err)}`);
    }
    return {
        outcome,
        service: ref.service,
        cluster: ref.cluster,
        ...(followed ? { deployment: followed } : {}),
        reason,
        ...(diagnosis ? { diagnosis } : {}),
        notes,
    };
}
