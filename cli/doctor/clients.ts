/**
 * SDK clients for the doctor. Credentials, region and endpoints come from the SDK's standard
 * chain (env, shared config/SSO, web identity, container/instance role); the SDK also honours
 * `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_ECS`, `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2` and
 * `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS` by itself, so nothing here reads them.
 *
 * Each client makes ONE attempt per `send`: retries, backoff, timeouts and the call count are
 * `calls.ts`'s, so that a run can stop at its own deadline and count what it sent.
 */
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { DoctorClients } from "./aws-reader";

/** Options shared by every client. */
export interface ClientOptions {
    /** @default - the SDK's region chain (AWS_REGION, profile) */
    readonly region?: string;
}

/** Creates the ECS, ELBv2 and (per region, cached) CloudWatch Logs clients. */
export function createClients(options: ClientOptions = {}): DoctorClients {
    const common = { region: options.region, maxAttempts: 1 };
    const logs = new Map<string, CloudWatchLogsClient>();
    const ecs = new ECSClient(common);
    const elb = new ElasticLoadBalancingV2Client(common);
    return {
        ecs,
        elb,
        // Closes idle keep-alive sockets, so a finished run exits at once.
        destroy: () => [ecs, elb, ...logs.values()].forEach((c) => c.destroy()),
        logs: (region) => {
            const key = region ?? "";
            let client = logs.get(key);
            if (!client) logs.set(key, (client = new CloudWatchLogsClient({ ...common, region: region ?? options.region })));
            return client;
        },
    };
}
