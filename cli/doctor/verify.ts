/**
 * The check behind the `RolloutVerification` resource: the deployment of the task definition
 * just registered must become the PRIMARY one and complete, not fail or roll back. Kept here
 * (not in the component) so the Pulumi dynamic provider loads one module with `require`.
 */
import { createClients } from "./clients";
import type { DoctorClients } from "./collect";
import { parseDuration } from "./duration";
import { formatWaitResult } from "./format-text";
import { waitForRollout, type WaitResult } from "./wait";

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
}

/** The rollout did not succeed; `message` is the full text diagnosis. */
export class RolloutFailedError extends Error {
    constructor(message: string, readonly result: WaitResult) {
        super(message);
        this.name = "RolloutFailedError";
    }
}

/**
 * Waits for the deployment of `taskDefinitionArn` and returns once it completed.
 * @throws RolloutFailedError with the diagnosis when it failed, rolled back, was superseded or timed out.
 * @throws ServiceUnreadableError when the service cannot be read.
 */
export async function verifyRollout(args: VerifyRolloutArgs, clients?: DoctorClients): Promise<WaitResult> {
    const result = await waitForRollout(
        clients ?? createClients({ region: args.region }),
        { cluster: args.cluster, service: args.serviceName },
        {
            timeoutMs: parseDuration(args.timeout ?? "15m", "timeout"),
            pollMs: parseDuration(args.pollInterval ?? "10s", "pollInterval"),
            expectedTaskDefinition: args.taskDefinitionArn,
        },
    );
    if (result.outcome !== "succeeded") throw new RolloutFailedError(formatWaitResult(result), result);
    return result;
}
