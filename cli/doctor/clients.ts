/**
 * SDK clients for the doctor. Credentials, region and endpoints come from the SDK's standard
 * chain (env, shared config/SSO, web identity, container/instance role); the SDK also honours
 * `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_ECS`, `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2` and
 * `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS` by itself, so nothing here reads them.
 */
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { DoctorClients } from "./collect";

/** Options shared by every client. */
export interface ClientOptions {
    /** @default - the SDK's region chain (AWS_REGION, profile) */
    readonly region?: string;
    /**
     * Attempts per call, retries included. The SDK's standard retry mode backs off
     * exponentially with jitter, longer for throttling errors.
     * @default - AWS_MAX_ATTEMPTS when set, else 5
     */
    readonly maxAttempts?: number;
}

/** A diagnosis makes bursts of calls; more patience than the SDK's default 3 attempts. */
const DEFAULT_MAX_ATTEMPTS = 5;

/** Creates the ECS, ELBv2 and (per region, cached) CloudWatch Logs clients. */
export function createClients(options: ClientOptions = {}): DoctorClients {
    const configured = process.env.AWS_MAX_ATTEMPTS !== undefined;
    const common = {
        region: options.region,
        retryMode: "standard",
        // Left undefined when the user configured attempts, so the SDK's own loader applies.
        maxAttempts: options.maxAttempts ?? (configured ? undefined : DEFAULT_MAX_ATTEMPTS),
    };
    const logs = new Map<string, CloudWatchLogsClient>();
    return {
        ecs: new ECSClient(common),
        elb: new ElasticLoadBalancingV2Client(common),
        logs: (region) => {
            const key = region ?? "";
            let client = logs.get(key);
            if (!client) logs.set(key, (client = new CloudWatchLogsClient({ ...common, region: region ?? options.region })));
            return client;
        },
    };
}
