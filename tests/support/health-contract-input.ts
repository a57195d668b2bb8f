/**
 * The health contract input of one compliant service (`buildHealthContract`'s argument: container,
 * port, probe, start-up, task counts): the one literal the tests that need a contract start from,
 * each changing only the fields it is about.
 */
import type { HealthContractInput } from "../../policies/domain";

/** A compliant contract input: curl probing /health/live on 8080, a 30 s start-up, two tasks rolled 100/200. */
export function healthContractInput(change: Partial<HealthContractInput> = {}): HealthContractInput {
    return {
        containerName: "app",
        port: 8080,
        tool: "curl",
        livenessPath: "/health/live",
        readinessPath: "/health/ready",
        matcher: "200-399",
        startup: { expectedSeconds: 30 },
        desiredCount: 2,
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        ...change,
    };
}
