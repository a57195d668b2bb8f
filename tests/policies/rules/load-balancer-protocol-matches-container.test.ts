import * as assert from "assert";
import { loadBalancerProtocolMatchesContainer as policy } from "../../../policies/rules/load-balancer-protocol-matches-container";
import { TYPES } from "../../../policies/resources";
import { runStack, undecided, violations } from "../harness";
import {
    type Json,
    U,
    appContainer,
    awsxServiceProps,
    baselineStack,
    serviceProps,
    set,
    targetGroupProps,
    taskDefinitionProps,
} from "../fixtures";

const redis = (port = 6379, image = "public.ecr.aws/docker/library/redis:7.2"): Json => ({
    ...appContainer(),
    image,
    portMappings: [{ containerPort: port }],
    healthCheck: { command: ["CMD", "redis-cli", "ping"] },
});
const attach = (port: number) =>
    set(serviceProps(), "loadBalancers", [
        { targetGroupArn: serviceProps().loadBalancers[0].targetGroupArn, containerName: "app", containerPort: port },
    ]);

describe("load-balancer-protocol-matches-container", () => {
    it("passes an HTTP app behind an ALB, and Redis behind a TCP target group with a TCP health check", () => {
        assert.deepStrictEqual(runStack(policy, baselineStack()), []);
        const tcp = {
            ...targetGroupProps(),
            port: 6379,
            protocol: "TCP",
            healthCheck: { enabled: true, protocol: "TCP", port: "traffic-port" },
        };
        assert.deepStrictEqual(runStack(policy, baselineStack({ td: taskDefinitionProps([redis()]), tg: tcp, service: attach(6379) })), []);
    });

    it("rejects Redis behind an ALB target group (by image and by port)", () => {
        const [v, ...rest] = runStack(policy, baselineStack({ td: taskDefinitionProps([redis()]), service: attach(6379) }));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.match(
            v.message,
            /'api-service' \(aws:ecs\/service:Service\) `loadBalancers\[0\]`: found target group 'api-tg' \(HTTP\) in front of container 'app' on port 6379 \(image "public\.ecr\.aws\/docker\/library\/redis:7\.2" runs Redis\)\. Redis does not speak HTTP.*Fix: Reach Redis without an Application Load Balancer.*Network Load Balancer/,
        );
        const [byPort] = runStack(
            policy,
            baselineStack({ td: taskDefinitionProps([redis(5432, "myorg/db-proxy:1")]), service: attach(5432) }),
        );
        assert.match(byPort.message, /port 5432 is PostgreSQL's/);
    });

    it("rejects an HTTP health check on the traffic port of an NLB target group in front of PostgreSQL", () => {
        const nlb = {
            ...targetGroupProps(),
            port: 5432,
            protocol: "TCP",
            healthCheck: { enabled: true, protocol: "HTTP", port: "traffic-port", path: "/" },
        };
        const [v] = runStack(
            policy,
            baselineStack({ td: taskDefinitionProps([redis(5432, "postgres:16")]), tg: nlb, service: attach(5432) }),
        );
        assert.match(
            v.message,
            /target group 'api-tg' \(TCP\) in front of container 'app' on port 5432 \(image "postgres:16" runs PostgreSQL\)/,
        );
    });

    it("judges awsx FargateService args offline: an awsx ApplicationLoadBalancer feeding a Redis container", () => {
        const stack = [
            { key: "lb", type: TYPES.awsxApplicationLoadBalancer, name: "lb", props: {} },
            {
                key: "svc",
                type: TYPES.awsxFargateService,
                name: "cache",
                props: awsxServiceProps(redis()),
                propertyDependencies: { taskDefinitionArgs: ["lb"] },
            },
        ];
        const [v] = runStack(policy, stack);
        assert.match(
            v.message,
            /'cache' \(awsx:ecs:FargateService\) `taskDefinitionArgs\.container\.portMappings\[0\]`: found awsx ApplicationLoadBalancer 'lb' \(HTTP\) in front of container 'app' on port 6379/,
        );
        // In a real preview the component's args are empty and its child service is judged instead: one report, on the child.
        const preview = [
            { key: "svc", type: TYPES.awsxFargateService, name: "cache", props: {} },
            ...baselineStack({ td: taskDefinitionProps([redis()]), service: attach(6379) }).map((r) => ({ ...r, parent: "svc" })),
        ];
        const ds = runStack(policy, preview);
        assert.strictEqual(ds.length, 1);
        assert.match(ds[0].message, /'api-service' \(aws:ecs\/service:Service\)/);
    });

    it("reports unknown protocols and images as undecided", () => {
        let ds = runStack(
            policy,
            baselineStack({ td: taskDefinitionProps([redis()]), tg: { ...targetGroupProps(), protocol: U }, service: attach(6379) }),
        );
        assert.strictEqual(violations(ds).length, 0);
        assert.match(
            undecided(ds)[0].message,
            /`loadBalancers\[0\]`: cannot verify: the protocol of target group 'api-tg' is not known yet/,
        );
        ds = runStack(policy, baselineStack({ td: taskDefinitionProps([set(appContainer(), "image", U)]) }));
        assert.match(undecided(ds)[0].message, /the container's image is not known yet/);
    });
});
