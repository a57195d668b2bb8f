/**
 * The health contract HealthyFargateService registers as its own input `healthContract` (shape:
 * `HealthContract` in domain/health-contract.ts). Plain data known at preview time, so policies
 * decide on the component even when its children's values (e.g. `containerDefinitions`) are unknown.
 */
import type { HealthContract } from "../domain/index";
import { UNKNOWN, type Unknown, asArray, asRecord, asString, field, fieldPath } from "./values";

/** The parts of a contract the policies read; values stay raw (`unknown`) and are judged by the domain. */
export interface ContractView {
    containerName: string | Unknown | undefined;
    command: unknown[] | Unknown | undefined;
    livenessPath: string | Unknown | undefined;
    readinessPath: string | Unknown | undefined;
    statusPath: string | Unknown | undefined;
    matcher: unknown;
    port: unknown;
    timings: {
        container: Record<string, unknown> | Unknown | undefined;
        alb: Record<string, unknown> | Unknown | undefined;
        healthCheckGracePeriodSeconds: unknown;
        deregistrationDelay: unknown;
        stopTimeout: unknown;
    };
    worstCaseStartupSeconds: unknown;
    deployment: { desiredCount: unknown; minimumHealthyPercent: unknown; maximumPercent: unknown };
}

export type ContractRead =
    { status: "ok"; contract: ContractView } | { status: "unknown" } | { status: "absent" } | { status: "invalid"; reason: string };

/** Field names in contract terms, for messages (`healthContract.timings.alb.interval`). */
export const CONTRACT_FIELD = "healthContract";

export function readHealthContract(props: Record<string, unknown>): ContractRead {
    const raw = field(props, CONTRACT_FIELD);
    if (raw === UNKNOWN) return { status: "unknown" };
    if (raw === undefined) return { status: "absent" };
    const c = asRecord(raw);
    if (c === UNKNOWN) return { status: "unknown" };
    if (!c) return { status: "invalid", reason: "`healthContract` is not an object" };
    const schema = field(c, "schema");
    if (schema !== undefined && schema !== UNKNOWN && schema !== (1 satisfies HealthContract["schema"])) {
        return { status: "invalid", reason: `\`healthContract.schema\` is ${JSON.stringify(schema)}; this pack reads schema 1` };
    }
    const probe = field(c, "probe");
    const timings = field(c, "timings");
    const deployment = field(c, "deployment");
    return {
        status: "ok",
        contract: {
            containerName: asString(field(c, "containerName")),
            command: asArray(field(probe, "command")),
            livenessPath: asString(field(probe, "livenessPath")),
            readinessPath: asString(field(probe, "readinessPath")),
            statusPath: asString(field(probe, "statusPath")),
            matcher: field(probe, "matcher"),
            port: field(probe, "port"),
            timings: {
                container: asRecord(field(timings, "container")),
                alb: asRecord(field(timings, "alb")),
                healthCheckGracePeriodSeconds: field(timings, "healthCheckGracePeriodSeconds"),
                deregistrationDelay: field(timings, "deregistrationDelay"),
                stopTimeout: field(timings, "stopTimeout"),
            },
            worstCaseStartupSeconds: fieldPath(c, "startup.worstCaseSeconds"),
            deployment: {
                desiredCount: field(deployment, "desiredCount"),
                minimumHealthyPercent: field(deployment, "minimumHealthyPercent"),
                maximumPercent: field(deployment, "maximumPercent"),
            },
        },
    };
}
