/**
 * The check behind the `RolloutVerification` resource: the deployment of the task definition
 * just registered must become the PRIMARY one and complete, not fail or roll back; with `smoke`,
 * the service must then also answer through its load balancer. Kept here (not in the component)
 * so the Pulumi dynamic provider loads one module with `require`.
 */
import { AwsReader, type DoctorClients } from "./aws-reader";
import { createClients } from "./clients";
import { parseDuration } from "./duration";
import { formatSmoke } from "./format-smoke";
import { formatWaitResult } from "./format-text";
import { runSmoke, type SmokeReport } from "./smoke";
import { discoverSmokeTarget } from "./smoke-discover";
import { waitForRollout, type WaitResult } from "./wait";

/** The opt-in smoke step: requests through the load balancer once the deployment completed. */
export interface SmokeSpec {
    /** Base URL (`https://api.example.com`). @default - discovered from the service's load balancer */
    readonly url?: string;
    /** @default - the target group's health-check path */
    readonly paths?: string[];
    /** ALB matcher syntax. @default - the target group's matcher */
    readonly matcher?: string;
    /** Requests per path. @default 3 */
    readonly requests?: number;
    /** Per request, e.g. `5s`. @default "5s" */
    readonly timeout?: string;
}

/** What to verify (the `RolloutVerification` resource's inputs). */
export interface VerifyRolloutArgs {
    readonly cluster: string;
    readonly serviceName: string;
    /** The task definition ARN the update registered. */
    readonly taskDefinitionArn: string;
    /** @default - the SDK's region chain */
    readonly region?: string;
    /** @default "15m" */
    readonly timeout?: string;
    /** @default "10s" */
    readonly pollInterval?: string;
    /** @default - no smoke step */
    readonly smoke?: SmokeSpec;
}

/** The rollout did not succeed; `message` is the full text diagnosis. */
export class RolloutFailedError extends Error {
    constructor(
        message: string,
        readonly result: WaitResult,
    ) {
        super(message);
        this.name = "RolloutFailedError";
    }
}

/** The rollout completed but the service does not answer through its load balancer. */
export class SmokeFailedError extends Error {
    constructor(
        message: string,
        readonly report: SmokeReport,
    ) {
        super(message);
        this.name = "SmokeFailedError";
    }
}

/** The verification's result: the wait, and the smoke report when there was a smoke step. */
export type VerifyResult = WaitResult & { readonly smoke?: SmokeReport };

/** Time kept after the wait's own timeout for its final diagnosis and the smoke step. */
const AFTER_WAIT_MS = 2 * 60_000;

/** Runs the smoke step; throws when an answer does not match. */
async function smokeAfterRollout(aws: AwsReader, args: VerifyRolloutArgs, spec: SmokeSpec): Promise<SmokeReport> {
    const found = spec.url
        ? { target: { url: spec.url, paths: spec.paths ?? ["/"], matcher: spec.matcher ?? "200-399" }, notes: [] }
        : await discoverSmokeTarget(
              aws,
              { cluster: args.cluster, service: args.serviceName },
              {
                  paths: spec.paths,
                  matcher: spec.matcher,
              },
          );
    const report = await runSmoke(
        {
            ...found.target,
            requests: spec.requests ?? 3,
            followRedirects: false,
            timeoutMs: parseDuration(spec.timeout ?? "5s", "smoke.timeout"),
        },
        { notes: found.notes },
    );
    if (!report.ok) {
        const what = `${args.serviceName}: the deployment completed, but the smoke test through the load balancer failed`;
        throw new SmokeFailedError(`${what}:\n${formatSmoke(report)}`, report);
    }
    return report;
}

/**
 * Waits for the deployment of `taskDefinitionArn` and returns once it completed (and, with
 * `smoke`, answered through its load balancer).
 * @throws RolloutFailedError with the diagnosis when it failed, rolled back, was superseded or timed out.
 * @throws SmokeFailedError with the smoke report when an answer did not match.
 * @throws ServiceUnreadableError when the service cannot be read.
 */
export async function verifyRollout(args: VerifyRolloutArgs, clients?: DoctorClients): Promise<VerifyResult> {
    const timeoutMs = parseDuration(args.timeout ?? "15m", "timeout");
    const deadline = new Date(Date.now() + timeoutMs + AFTER_WAIT_MS);
    const aws = new AwsReader(clients ?? createClients({ region: args.region }), { deadline });
    try {
        const result = await waitForRollout(
            aws,
            { cluster: args.cluster, service: args.serviceName },
            {
                timeoutMs,
                pollMs: parseDuration(args.pollInterval ?? "10s", "pollInterval"),
                expectedTaskDefinition: args.taskDefinitionArn,
            },
        );
        if (result.outcome !== "succeeded") throw new RolloutFailedError(formatWaitResult(result), result);
        return args.smoke ? { ...result, smoke: await smokeAfterRollout(aws, args, args.smoke) } : result;
    } finally {
        if (!clients) aws.clients.destroy?.();
    }
}
