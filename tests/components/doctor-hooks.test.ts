/**
 * What HealthyFargateService hands the doctor: the declared start-up budget as service tags
 * (read back by `doctor startup`), and the opt-in smoke step of its rollout verification.
 */
import { strict as assert } from "assert";
import { HealthyFargateService, type HealthyFargateServiceArgs, InvalidArgumentsError } from "../../components";
import { startupBudgetFromTags } from "../../policies/domain";
import { type MockedRun, withMocks } from "../support/pulumi-mocks";

const baseArgs: HealthyFargateServiceArgs = {
    cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/platform",
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-a", "subnet-b"],
    listener: {
        listenerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/2",
        securityGroupId: "sg-alb",
        dnsName: "alb.example.com",
    },
    routing: { priority: 10, pathPatterns: ["/*"] },
    image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.2.3",
    startup: { expectedSeconds: 20, worstCaseSeconds: 60 },
};

describe("HealthyFargateService → doctor", () => {
    let run: MockedRun;

    before(async () => {
        run = await withMocks();
        new HealthyFargateService("api", baseArgs);
        new HealthyFargateService("worker", {
            ...baseArgs,
            routing: { priority: 11, pathPatterns: ["/w/*"] },
            startup: { expectedSeconds: 45 },
        });
        new HealthyFargateService("web", {
            ...baseArgs,
            routing: { priority: 12, pathPatterns: ["/web/*"] },
            smoke: true,
            probe: { matcher: "200,302" },
        });
        new HealthyFargateService("admin", {
            ...baseArgs,
            routing: { priority: 13, hostHeaders: ["admin.example.com"] },
            listener: { ...baseArgs.listener, dnsName: undefined },
            smoke: { paths: ["/health/live", "/health/status"], requests: 2, timeoutSeconds: 3 },
        });
        await run.settle();
    });

    const verificationOf = (service: string) =>
        run.resources.find((r) => r.type.endsWith("RolloutVerification") && r.name === `${service}-rollout`)!.inputs as any;

    it("tags the ECS service with its declared start-up budget, which the doctor reads back", () => {
        const services = ["api-service", "worker-service"].map((name) =>
            run.resources.find((r) => r.type === "aws:ecs/service:Service" && r.name === name)!,
        );
        const budgets = services.map((s) => {
            const tags = Object.entries((s.inputs as any).tags as Record<string, string>).map(([key, value]) => ({ key, value }));
            return startupBudgetFromTags(tags);
        });
        // worker: the worst case defaults to twice the expected start-up, as every timing assumes.
        assert.deepEqual(budgets, [
            { expectedSeconds: 20, worstCaseSeconds: 60 },
            { expectedSeconds: 45, worstCaseSeconds: 90 },
        ]);
        // Only the service carries them (tasks inherit them through propagateTags).
        const td = run.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!;
        assert.equal(
            startupBudgetFromTags(Object.entries((td.inputs as any).tags).map(([key, value]) => ({ key, value: String(value) }))),
            undefined,
        );
    });

    it("smoke is opt-in: without it the rollout verification has no smoke step", () => {
        assert.equal(verificationOf("api").smoke, undefined);
    });

    it("smoke: true requests the liveness path with the probe's matcher through listener.dnsName", () => {
        assert.deepEqual(verificationOf("web").smoke, {
            paths: ["/health/live"],
            matcher: "200,302",
            requests: 3,
            timeout: "5s",
            url: "http://alb.example.com",
        });
    });

    it("smoke with paths and no dnsName: the doctor finds the load balancer itself (no url)", () => {
        assert.deepEqual(verificationOf("admin").smoke, {
            paths: ["/health/live", "/health/status"],
            matcher: "200-399",
            requests: 2,
            timeout: "3s",
        });
    });

    it("rejects bad smoke args before anything is registered, naming each", () => {
        assert.throws(
            () => new HealthyFargateService("bad", { ...baseArgs, smoke: { paths: ["health"], requests: 0, timeoutSeconds: 90 } }),
            (e: Error) =>
                e instanceof InvalidArgumentsError &&
                /`smoke\.paths` must be a non-empty list of absolute paths/.test(e.message) &&
                /`smoke\.requests` must be a whole number 1–100, got 0/.test(e.message) &&
                /`smoke\.timeoutSeconds` must be a whole number of seconds 1–60, got 90/.test(e.message),
        );
        assert.throws(
            () => new HealthyFargateService("bad2", { ...baseArgs, smoke: true, verifyRollout: false }),
            /`smoke` runs inside the rollout verification: it needs `verifyRollout`/,
        );
        assert.equal(
            run.resources.some((r) => r.name.startsWith("bad")),
            false,
        );
    });
});
