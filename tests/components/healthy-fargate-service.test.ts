import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { type MockedRun, valueOf, withMocks } from "../support/pulumi-mocks";
import {
    HEALTHY_FARGATE_SERVICE_TYPE,
    HealthyFargateService,
    type HealthyFargateServiceArgs,
    InvalidArgumentsError,
} from "../../components";
import { ecrRepositoryArn, executionRolePolicy } from "../../components/healthy-fargate-service/iam";

const baseArgs: HealthyFargateServiceArgs = {
    cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/platform",
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-a", "subnet-b"],
    listener: {
        listenerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/2",
        securityGroupId: "sg-alb",
        dnsName: "alb.example.com",
    },
    routing: { priority: 10, pathPatterns: ["/api/*"] },
    image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.2.3",
    startup: { expectedSeconds: 20, worstCaseSeconds: 60 },
};

function containerOf(run: MockedRun) {
    const td = run.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!;
    return JSON.parse(td.inputs.containerDefinitions as string)[0];
}

describe("HealthyFargateService", () => {
    let run: MockedRun;
    let service: HealthyFargateService;

    before(async () => {
        run = await withMocks();
        service = new HealthyFargateService("api", baseArgs);
        await run.settle();
    });

    it("registers its children, each with the component as parent", () => {
        const component = run.resources.find((r) => r.type === HEALTHY_FARGATE_SERVICE_TYPE)!;
        const children = run.resources
            .filter((r) => r.parent === component.urn)
            .map((r) => r.type)
            .sort();
        assert.deepEqual(children, [
            "aws:cloudwatch/logGroup:LogGroup",
            ...Array(5).fill("aws:cloudwatch/metricAlarm:MetricAlarm"),
            "aws:ec2/securityGroup:SecurityGroup",
            "aws:ecs/service:Service",
            "aws:ecs/taskDefinition:TaskDefinition",
            "aws:iam/role:Role",
            "aws:iam/role:Role",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:lb/listenerRule:ListenerRule",
            "aws:lb/targetGroup:TargetGroup",
            "pulumi-nodejs:dynamic/healthy-fargate:RolloutVerification",
        ]);
    });

    it("probes the same liveness path and port from the container and the ALB", () => {
        const container = containerOf(run);
        const tg = run.resources.find((r) => r.type === "aws:lb/targetGroup:TargetGroup")!.inputs as any;
        assert.deepEqual(container.healthCheck.command, [
            "CMD",
            "curl",
            "-fsS",
            "-o",
            "/dev/null",
            "--max-time",
            "4",
            "http://localhost:8080/health/live",
        ]);
        assert.equal(tg.healthCheck.path, "/health/live");
        assert.equal(tg.healthCheck.port, "traffic-port");
        assert.equal(tg.port, 8080);
        assert.deepEqual(container.portMappings, [{ containerPort: 8080, protocol: "tcp" }]);
    });

    it("derives every timing from the start-up budget", () => {
        const container = containerOf(run);
        const tg = run.resources.find((r) => r.type === "aws:lb/targetGroup:TargetGroup")!.inputs as any;
        const svc = run.resources.find((r) => r.type === "aws:ecs/service:Service")!.inputs as any;
        const t = service.healthContract.timings;
        assert.deepEqual(container.healthCheck, { command: container.healthCheck.command, ...t.container });
        assert.equal(t.container.startPeriod, 60);
        assert.deepEqual(
            {
                interval: tg.healthCheck.interval,
                timeout: tg.healthCheck.timeout,
                healthyThreshold: tg.healthCheck.healthyThreshold,
                unhealthyThreshold: tg.healthCheck.unhealthyThreshold,
            },
            t.alb,
        );
        assert.equal(svc.healthCheckGracePeriodSeconds, 80);
        assert.equal(tg.deregistrationDelay, 15);
        assert.equal(container.stopTimeout, 15);
    });

    it("configures the service for safe rolling deployments", () => {
        const svc = run.resources.find((r) => r.type === "aws:ecs/service:Service")!.inputs as any;
        assert.deepEqual(svc.deploymentCircuitBreaker, { enable: true, rollback: true });
        assert.equal(svc.desiredCount, 2);
        assert.equal(svc.deploymentMinimumHealthyPercent, 100);
        assert.equal(svc.deploymentMaximumPercent, 200);
        assert.equal(svc.waitForSteadyState, true);
        assert.equal(svc.availabilityZoneRebalancing, "ENABLED");
        assert.equal(svc.launchType, "FARGATE");
        assert.equal(svc.networkConfiguration.assignPublicIp, false);
        assert.deepEqual(svc.loadBalancers[0].containerName, "app");
        const rule = run.resources.find((r) => r.type === "aws:lb/listenerRule:ListenerRule")!;
        assert.ok(
            run.resources.find((r) => r.type === "aws:ecs/service:Service")!.dependencies.includes(rule.urn),
            "service waits for its listener rule",
        );
    });

    it("creates a Fargate task definition with explicit log retention", () => {
        const td = run.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!.inputs as any;
        assert.deepEqual([td.cpu, td.memory, td.networkMode, td.requiresCompatibilities], ["512", "1024", "awsvpc", ["FARGATE"]]);
        const logs = run.resources.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")!.inputs as any;
        assert.equal(logs.retentionInDays, 30);
        assert.equal(containerOf(run).logConfiguration.options["awslogs-group"], "/ecs/healthy-fargate/test/api");
    });

    it("gives the execution role only its log group and its own ECR repository", () => {
        const policy = JSON.parse(run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy")!.inputs.policy as string);
        const resources = policy.Statement.flatMap((s: any) => [].concat(s.Resource));
        assert.deepEqual(resources, [
            "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/healthy-fargate/test/api:*",
            "*",
            "arn:aws:ecr:us-east-1:123456789012:repository/api",
        ]);
        assert.deepEqual(policy.Statement.find((s: any) => s.Resource === "*").Action, ["ecr:GetAuthorizationToken"]);
    });

    it("registers its health contract as its own input and exposes outputs", async () => {
        const component = run.resources.find((r) => r.type === HEALTHY_FARGATE_SERVICE_TYPE)!;
        assert.deepEqual(component.inputs.healthContract, JSON.parse(JSON.stringify(service.healthContract)));
        assert.equal(await valueOf(service.url), "http://alb.example.com/api/");
        assert.match(await valueOf(service.serviceArn), /^arn:aws:ecs:us-east-1:123456789012:service\/platform\/healthy-fargate-test-api$/);
        assert.equal(service.healthContract.timeline.circuitBreakerThreshold, 3);
    });
});

describe("HealthyFargateService probe tools and options", () => {
    it("generates a python one-liner for slim images and honours port, paths and matcher", async () => {
        const run = await withMocks();
        new HealthyFargateService("mlflow", {
            ...baseArgs,
            image: "ghcr.io/mlflow/mlflow:v2.22.0",
            port: 5000,
            probe: { tool: "python", livenessPath: "/mlflow/health", readinessPath: "/mlflow/version", matcher: "200,302" },
            routing: { priority: 5, hostHeaders: ["mlflow.example.com"] },
        });
        await run.settle();
        const container = containerOf(run);
        assert.equal(container.healthCheck.command[1], "python3");
        assert.match(container.healthCheck.command[3], /http:\/\/localhost:5000\/mlflow\/health/);
        const tg = run.resources.find((r) => r.type === "aws:lb/targetGroup:TargetGroup")!.inputs as any;
        assert.equal(tg.healthCheck.matcher, "200,302");
        const rule = run.resources.find((r) => r.type === "aws:lb/listenerRule:ListenerRule")!.inputs as any;
        assert.deepEqual(rule.conditions, [{ hostHeader: { values: ["mlflow.example.com"] } }]);
        // Not an ECR image: no ECR permissions at all.
        const policy = JSON.parse(run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy")!.inputs.policy as string);
        assert.equal(policy.Statement.length, 1);
    });

    it('accepts task sizes in "vCPU"/"GB" form', async () => {
        const run = await withMocks();
        new HealthyFargateService("sized", { ...baseArgs, cpu: "1 vCPU", memory: "2 GB" });
        await run.settle();
        const td = run.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!.inputs as any;
        assert.deepEqual([td.cpu, td.memory], ["1024", "2048"]);
    });
});

describe("HealthyFargateService rejects bad args before registering anything", () => {
    const cases: Array<[string, Partial<HealthyFargateServiceArgs>, RegExp]> = [
        [
            "a cpu/memory pair Fargate does not offer",
            { cpu: 256, memory: 4096 },
            /`memory`: memory 4096 MiB is not offered with cpu 256.*For cpu 256 use 512, 1024, 2048/,
        ],
        ["8 vCPU with memory in 1 GiB steps", { cpu: "8 vCPU", memory: 17408 }, /not offered with cpu 8192/],
        ["a relative liveness path", { probe: { livenessPath: "health" } }, /`probe.livenessPath` must be an absolute URL path/],
        ["liveness equal to readiness", { probe: { livenessPath: "/health", readinessPath: "/health" } }, /must differ from the readiness/],
        ["a matcher accepting 4xx", { probe: { matcher: "200-404" } }, /accepts 4xx codes/],
        ["an unknown probe tool", { probe: { tool: "nc" as any } }, /`probe.tool` must be one of/],
        ["a negative start-up", { startup: { expectedSeconds: -5 } }, /`startup.expectedSeconds`/],
        [
            "100/100 percent",
            { minimumHealthyPercent: 100, maximumPercent: 100 },
            /`maximumPercent` 100 with `minimumHealthyPercent` 100 and 2 task\(s\) lets ECS neither start an extra task nor stop an old one: deployments never progress\. Raise `maximumPercent` to at least 150/,
        ],
        [
            "one task with 150 % (ECS rounds the maximum down: no room either)",
            { desiredCount: 1, maximumPercent: 150 },
            /`maximumPercent` 150 with `minimumHealthyPercent` 100 and 1 task\(s\) lets ECS neither start.*Raise `maximumPercent` to at least 200/,
        ],
        ["an unknown CPU architecture", { cpuArchitecture: "arm64" as any }, /`cpuArchitecture` must be "X86_64" or "ARM64".*got "arm64"/],
        ["a non-boolean waitForSteadyState", { waitForSteadyState: "yes" as any }, /`waitForSteadyState` must be true or false, got "yes"/],
        ["a log retention CloudWatch does not offer", { logRetentionDays: 10 }, /`logRetentionDays` must be one of/],
        ["a rule without conditions", { routing: { priority: 3 } }, /needs `pathPatterns` or `hostHeaders`/],
        ["a port out of range", { port: 70000 }, /`port` must be an integer 1–65535/],
        ["a missing image", { image: undefined as any }, /`image` is required/],
        ["a blank image", { image: "  " }, /`image` is blank\. Pass the image to run/],
        ["an image that is not a string", { image: 42 as any }, /`image` is a number, not a string\. Pass the image reference as a string/],
        [
            "an image with upper-case letters in its repository",
            { image: "ghcr.io/Org/App:1" },
            /`image` "ghcr.io\/Org\/App:1" is not a valid reference: its repository `Org\/App` has upper-case letters.*Write it as `org\/app`/,
        ],
        [
            "a truncated sha256 digest",
            { image: "ghcr.io/org/app@sha256:abcd" },
            /`image` "ghcr.io\/org\/app@sha256:abcd" is not a valid reference: its digest/,
        ],
        [
            "an image given as a URL",
            { image: "https://ghcr.io/org/app:1" },
            /is a URL; image references have no scheme\. Drop `https:\/\/`/,
        ],
        ["empty subnetIds", { subnetIds: [] }, /`subnetIds` is empty: awsvpc tasks need at least one subnet/],
        ["a blank subnet id", { subnetIds: ["subnet-a", ""] }, /`subnetIds\[1\]` is blank/],
        [
            "a desiredCount above ECS's Tasks-per-service quota",
            { desiredCount: 5001 },
            /`desiredCount` 5001 is above ECS's "Tasks per service" quota of 5000/,
        ],
        [
            "an unknown top-level argument (JavaScript caller)",
            { desiredCont: 3 } as any,
            /`desiredCont` is not an argument: did you mean `desiredCount`\?/,
        ],
        [
            "an unknown probe argument",
            { probe: { livenesPath: "/healthz" } as any },
            /`probe\.livenesPath` is not an argument of `probe`: did you mean `probe\.livenessPath`\?/,
        ],
        [
            "an unknown startup argument",
            { startup: { expectedSecond: 20 } as any },
            /`startup\.expectedSecond` is not an argument of `startup`: did you mean `startup\.expectedSeconds`\?/,
        ],
        [
            "an unknown smoke argument",
            { smoke: { path: ["/health/live"] } as any },
            /`smoke\.path` is not an argument of `smoke`: did you mean `smoke\.paths`\?/,
        ],
        [
            "an unknown listener argument without a near one",
            { listener: { ...baseArgs.listener, zzz: 1 } as any },
            /`listener\.zzz` is not an argument of `listener`; the arguments are `listenerArn`, `securityGroupId`/,
        ],
        [
            "an unknown key in a secrets entry",
            {
                secrets: {
                    DB: { secretsManager: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", jsonkey: "password" },
                } as any,
            },
            /`secrets\.DB`: `jsonkey` does not apply to a `secretsManager` source.*did you mean `secrets\.DB\.jsonKey`\?/,
        ],
        [
            "a misspelt secret kind",
            { secrets: { DB: { secretManager: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" } } as any },
            /`secrets\.DB` must be exactly one of .*did you mean `secrets\.DB\.secretsManager`\?/,
        ],
        [
            "curl on python:3.12-slim",
            { image: "public.ecr.aws/docker/library/python:3.12-slim", probe: { tool: "curl" } },
            /`probe\.tool` "curl": image "public\.ecr\.aws\/docker\/library\/python:3\.12-slim" cannot run `curl`: python:\*-slim \(Debian slim\) does not ship curl.*Set `probe\.tool: "python"`/,
        ],
        [
            "an image with no probe tool at all (distroless static)",
            { image: "gcr.io/distroless/static-debian12" },
            /`probe\.tool` cannot be chosen: image "gcr\.io\/distroless\/static-debian12" \(distroless-static\) runs none of/,
        ],
    ];
    for (const [what, change, message] of cases) {
        it(`rejects ${what}`, async () => {
            const run = await withMocks();
            assert.throws(
                () => new HealthyFargateService("bad", { ...baseArgs, ...change }),
                (e: unknown) => {
                    assert.ok(e instanceof InvalidArgumentsError);
                    assert.ok(pulumi.RunError.isInstance(e), "a RunError: the CLI prints it without a stack trace");
                    assert.match((e as Error).message, message);
                    assert.match((e as Error).message, /^Invalid arguments for HealthyFargateService:\n  - bad: /);
                    return true;
                },
            );
            assert.equal((await run.settle()).length, 0, "nothing registered");
        });
    }

    it("lists every problem at once", () => {
        assert.throws(
            () => new HealthyFargateService("bad", { ...baseArgs, port: 0, desiredCount: -1 }),
            (e: Error) => e.message.split("\n  - ").length === 3,
        );
    });
});

describe("execution role policy document", () => {
    it("derives the repository ARN from ECR image URIs only", () => {
        assert.equal(
            ecrRepositoryArn("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api@sha256:abc"),
            "arn:aws:ecr:eu-west-1:123456789012:repository/team/api",
        );
        assert.equal(ecrRepositoryArn("public.ecr.aws/docker/library/python:3.12-slim"), undefined);
        assert.equal(ecrRepositoryArn("nginx:latest"), undefined);
    });

    it("appends the secret statements of the seam unchanged", () => {
        const doc: any = executionRolePolicy({
            logGroupArn: "arn:aws:logs:us-east-1:1:log-group:/ecs/x",
            image: "nginx",
            secretStatements: [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: ["arn:s"] }],
        });
        assert.deepEqual(
            doc.Statement.map((s: any) => s.Sid ?? s.Action[0]),
            ["WriteOwnLogs", "secretsmanager:GetSecretValue"],
        );
    });
});
