/**
 * The doctor's only door to AWS: one method per read-only API it uses, each going through
 * `AwsCalls` (timeouts, retries, budget, response check). Everything that reads AWS takes an
 * `AwsReader`, so one run shares one count, one budget and one deadline.
 */
import {
    DescribeServiceDeploymentsCommand,
    DescribeServicesCommand,
    DescribeTaskDefinitionCommand,
    DescribeTasksCommand,
    ListServiceDeploymentsCommand,
    ListServicesCommand,
    ListTasksCommand,
    type DescribeServiceDeploymentsCommandInput,
    type DescribeServiceDeploymentsCommandOutput,
    type DescribeServicesCommandInput,
    type DescribeServicesCommandOutput,
    type DescribeTaskDefinitionCommandInput,
    type DescribeTaskDefinitionCommandOutput,
    type DescribeTasksCommandInput,
    type DescribeTasksCommandOutput,
    type ECSClient,
    type ListServiceDeploymentsCommandInput,
    type ListServiceDeploymentsCommandOutput,
    type ListServicesCommandInput,
    type ListServicesCommandOutput,
    type ListTasksCommandInput,
    type ListTasksCommandOutput,
} from "@aws-sdk/client-ecs";
import {
    DescribeListenersCommand,
    DescribeLoadBalancersCommand,
    DescribeRulesCommand,
    DescribeTargetGroupAttributesCommand,
    DescribeTargetGroupsCommand,
    DescribeTargetHealthCommand,
    type DescribeListenersCommandInput,
    type DescribeListenersCommandOutput,
    type DescribeLoadBalancersCommandInput,
    type DescribeLoadBalancersCommandOutput,
    type DescribeRulesCommandInput,
    type DescribeRulesCommandOutput,
    type DescribeTargetGroupAttributesCommandInput,
    type DescribeTargetGroupAttributesCommandOutput,
    type DescribeTargetGroupsCommandInput,
    type DescribeTargetGroupsCommandOutput,
    type DescribeTargetHealthCommandInput,
    type DescribeTargetHealthCommandOutput,
    type ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
    FilterLogEventsCommand,
    GetLogEventsCommand,
    type CloudWatchLogsClient,
    type FilterLogEventsCommandInput,
    type FilterLogEventsCommandOutput,
    type GetLogEventsCommandInput,
    type GetLogEventsCommandOutput,
} from "@aws-sdk/client-cloudwatch-logs";
import { AwsCalls, type CallPolicy, type CallStats } from "./calls";

/** The SDK clients the doctor reads through (injected so tests can mock or redirect them). */
export interface DoctorClients {
    readonly ecs: ECSClient;
    /** Optional: without it target health and load-balancer reads are skipped. */
    readonly elb?: ElasticLoadBalancingV2Client;
    /** Optional: a Logs client for a region (awslogs-region may differ from the service's). */
    readonly logs?: (region: string | undefined) => CloudWatchLogsClient;
    /** Closes the clients' connections (`createClients` provides it). */
    readonly destroy?: () => void;
}

/** A read that needs a client the caller did not give (no ELB or Logs client). */
export class MissingClientError extends Error {
    constructor(readonly client: "elb" | "logs") {
        super(`no ${client === "elb" ? "ELBv2" : "CloudWatch Logs"} client was given`);
        this.name = "MissingClientError";
    }
}

/** Typed, bounded, checked reads (see the file comment). */
export class AwsReader {
    readonly calls: AwsCalls;

    constructor(
        readonly clients: DoctorClients,
        policy: CallPolicy = {},
    ) {
        this.calls = new AwsCalls(policy);
    }

    get stats(): CallStats {
        return this.calls.stats;
    }

    get hasElb(): boolean {
        return this.clients.elb !== undefined;
    }

    get hasLogs(): boolean {
        return this.clients.logs !== undefined;
    }

    describeServices(input: DescribeServicesCommandInput): Promise<DescribeServicesCommandOutput> {
        return this.calls.send("ECS.DescribeServices", this.clients.ecs, () => new DescribeServicesCommand(input));
    }

    listServices(input: ListServicesCommandInput): Promise<ListServicesCommandOutput> {
        return this.calls.send("ECS.ListServices", this.clients.ecs, () => new ListServicesCommand(input));
    }

    listServiceDeployments(input: ListServiceDeploymentsCommandInput): Promise<ListServiceDeploymentsCommandOutput> {
        return this.calls.send("ECS.ListServiceDeployments", this.clients.ecs, () => new ListServiceDeploymentsCommand(input));
    }

    describeServiceDeployments(input: DescribeServiceDeploymentsCommandInput): Promise<DescribeServiceDeploymentsCommandOutput> {
        return this.calls.send("ECS.DescribeServiceDeployments", this.clients.ecs, () => new DescribeServiceDeploymentsCommand(input));
    }

    listTasks(input: ListTasksCommandInput): Promise<ListTasksCommandOutput> {
        return this.calls.send("ECS.ListTasks", this.clients.ecs, () => new ListTasksCommand(input));
    }

    describeTasks(input: DescribeTasksCommandInput): Promise<DescribeTasksCommandOutput> {
        return this.calls.send("ECS.DescribeTasks", this.clients.ecs, () => new DescribeTasksCommand(input));
    }

    describeTaskDefinition(input: DescribeTaskDefinitionCommandInput): Promise<DescribeTaskDefinitionCommandOutput> {
        return this.calls.send("ECS.DescribeTaskDefinition", this.clients.ecs, () => new DescribeTaskDefinitionCommand(input));
    }

    describeTargetHealth(input: DescribeTargetHealthCommandInput): Promise<DescribeTargetHealthCommandOutput> {
        return this.calls.send("ELBv2.DescribeTargetHealth", this.elb(), () => new DescribeTargetHealthCommand(input));
    }

    describeTargetGroups(input: DescribeTargetGroupsCommandInput): Promise<DescribeTargetGroupsCommandOutput> {
        return this.calls.send("ELBv2.DescribeTargetGroups", this.elb(), () => new DescribeTargetGroupsCommand(input));
    }

    describeTargetGroupAttributes(input: DescribeTargetGroupAttributesCommandInput): Promise<DescribeTargetGroupAttributesCommandOutput> {
        return this.calls.send("ELBv2.DescribeTargetGroupAttributes", this.elb(), () => new DescribeTargetGroupAttributesCommand(input));
    }

    describeLoadBalancers(input: DescribeLoadBalancersCommandInput): Promise<DescribeLoadBalancersCommandOutput> {
        return this.calls.send("ELBv2.DescribeLoadBalancers", this.elb(), () => new DescribeLoadBalancersCommand(input));
    }

    describeListeners(input: DescribeListenersCommandInput): Promise<DescribeListenersCommandOutput> {
        return this.calls.send("ELBv2.DescribeListeners", this.elb(), () => new DescribeListenersCommand(input));
    }

    describeRules(input: DescribeRulesCommandInput): Promise<DescribeRulesCommandOutput> {
        return this.calls.send("ELBv2.DescribeRules", this.elb(), () => new DescribeRulesCommand(input));
    }

    getLogEvents(region: string | undefined, input: GetLogEventsCommandInput): Promise<GetLogEventsCommandOutput> {
        return this.calls.send("Logs.GetLogEvents", this.logs(region), () => new GetLogEventsCommand(input));
    }

    filterLogEvents(region: string | undefined, input: FilterLogEventsCommandInput): Promise<FilterLogEventsCommandOutput> {
        return this.calls.send("Logs.FilterLogEvents", this.logs(region), () => new FilterLogEventsCommand(input));
    }

    /** The region the ECS client talks to (for output and for awslogs streams without their own). */
    async region(): Promise<string | undefined> {
        try {
            const region = this.clients.ecs.config.region;
            return typeof region === "function" ? await region() : region;
        } catch {
            return undefined;
        }
    }

    private elb(): ElasticLoadBalancingV2Client {
        if (!this.clients.elb) throw new MissingClientError("elb");
        return this.clients.elb;
    }

    private logs(region: string | undefined): CloudWatchLogsClient {
        if (!this.clients.logs) throw new MissingClientError("logs");
        return this.clients.logs(region);
    }
}

/** The reader of a run: the one given, or a new one over plain clients with default limits. */
export function readerOf(source: AwsReader | DoctorClients, policy?: CallPolicy): AwsReader {
    return source instanceof AwsReader ? source : new AwsReader(source, policy);
}
