/**
 * The health contracts a program's HealthyFargateServices registered (their `healthContract`
 * input), read from the offline run's captured resources. Here, in the offline engine, so that
 * both the check's report and `preview:offline` read them without `cli/offline` importing `cli/check`.
 */
import { type HealthContract, HEALTHY_FARGATE_SERVICE_TYPE } from "@healthy-fargate/domain";
import type { CapturedResource } from "./program-runner";

export interface ServiceContract {
    service: string;
    urn: string;
    contract: HealthContract;
}

export function healthContractsOf(resources: CapturedResource[]): ServiceContract[] {
    return resources
        .filter((r) => r.type === HEALTHY_FARGATE_SERVICE_TYPE && r.inputs && typeof r.inputs.healthContract === "object")
        .map((r) => ({ service: r.name, urn: r.urn, contract: r.inputs.healthContract as HealthContract }));
}
