/**
 * aws-sdk-client-mock wiring of a story: every command the doctor may send answers from the
 * story's API semantics. Note that the mock replaces `client.send`, so the SDK's retry
 * middleware does not run here; retries are tested against the loopback server instead.
 */
import {
    DescribeServiceDeploymentsCommand,
    DescribeServicesCommand,
    DescribeTaskDefinitionCommand,
    DescribeTasksCommand,
    ECSClient,
    ListServiceDeploymentsCommand,
    ListTasksCommand,
} from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { mockClient } from "aws-sdk-client-mock";
import type { DoctorClients } from "../../cli/doctor/collect";
import { REGION, type Story } from "./stories";
import { storyApi } from "./story-api";

/** An SDK-shaped service error (name, message, $metadata) as the real client raises it. */
export function sdkError(name: string, message: string, status = 400, attempts = 1): Error {
    return Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode: status, attempts } });
}

/** Mocks the three clients with `story`; call `restore()` in afterEach. */
export function mockStory(story: Story) {
    const api = storyApi(story);
    const ecs = mockClient(ECSClient);
    const elb = mockClient(ElasticLoadBalancingV2Client);
    const logs = mockClient(CloudWatchLogsClient);
    const answer = (key: string) => async (input: unknown) => {
        try {
            return api[key](input);
        } catch (err) {
            const e = err as Error & { status?: number };
            throw sdkError(e.name, e.message, e.status ?? 400);
        }
    };
    ecs.on(DescribeServicesCommand).callsFake(answer("ECS.DescribeServices"));
    ecs.on(ListServiceDeploymentsCommand).callsFake(answer("ECS.ListServiceDeployments"));
    ecs.on(DescribeServiceDeploymentsCommand).callsFake(answer("ECS.DescribeServiceDeployments"));
    ecs.on(ListTasksCommand).callsFake(answer("ECS.ListTasks"));
    ecs.on(DescribeTasksCommand).callsFake(answer("ECS.DescribeTasks"));
    ecs.on(DescribeTaskDefinitionCommand).callsFake(answer("ECS.DescribeTaskDefinition"));
    elb.on(DescribeTargetHealthCommand).callsFake(answer("ELBv2.DescribeTargetHealth"));
    logs.on(GetLogEventsCommand).callsFake(answer("Logs.GetLogEvents"));
    const clients: DoctorClients = {
        ecs: new ECSClient({ region: REGION }),
        elb: new ElasticLoadBalancingV2Client({ region: REGION }),
        logs: () => new CloudWatchLogsClient({ region: REGION }),
    };
    return {
        ecs,
        elb,
        logs,
        clients,
        /** Names of every command sent, in order (e.g. `DescribeServicesCommand`). */
        sent: () => [...ecs.calls(), ...elb.calls(), ...logs.calls()].map((c) => (c.args[0] as object).constructor.name),
        restore() {
            ecs.restore();
            elb.restore();
            logs.restore();
        },
    };
}
