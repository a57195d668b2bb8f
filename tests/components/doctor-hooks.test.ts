/**
 * What HealthyFargateService hands the doctor: the declared start-up budget as service tags
 * (read back by `doctor startup`), and the opt-in smoke step of its rollout verification.
 */
import { strict as assert } from "assert";
import { HealthyFargateService, HealthyFargateServiceArgs } from "../../components";
import { startupBudgetFromTags } from "../../policies/domain";
import { MockedRun, withMocks } from "../support/pulumi-mocks";

const baseArgs: HealthyFargateServiceArgs = {
    cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/platform",
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-a", "subnet-b"],
    listener: { listenerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/2", securityGroupId: "sg-alb", dnsName: "alb.example.com" },
    routing: { priority: 10, pathPatterns: ["/*"] },
    image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.2.3",
    startup: { expectedSeconds: 20, worstCaseSeconds: 60 },
};

describe("HealthyFargateService → doctor", () => {
    let run: MockedRun;

    before(async () => {
        run = await withMocks();
        new HealthyFargateService("api", baseArgs);
        new HealthyFargateService("worker", { ...baseArgs, routing: { priority: 11, pathPatterns: ["/w/*"] }, startup: { expectedSeconds: 45 } });
        await run.settle();
    });

    it("tags the ECS service with its declared start-up budget, which the doctor reads back", () => {
        const services = run.resources.filter(r => r.type === "aws:ecs/service:Service");
        const budgets = services.map(s => {
            const tags = Object.entries((s.inputs as any).tags as Record<string, string>).map(([key, value]) => ({ key, value }));
            return startupBudgetFromTags(tags);
        });
        // worker: the worst case defaults to twice the expected start-up, as every timing assumes.
        assert.deepEqual(budgets, [{ expectedSeconds: 20, worstCaseSeconds: 60 }, { expectedSeconds: 45, worstCaseSeconds: 90 }]);
        // Only the service carries them (tasks inherit them through propagateTags).
        const td = run.resources.find(r => r.type === "aws:ecs/taskDefinition:TaskDefinition")!;
        assert.equal(startupBudgetFromTags(Object.entries((td.inputs as any).tags).map(([key, value]) => ({ key, value: String(value) }))), undefined);
    });
});
