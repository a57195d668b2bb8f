/**
 * `pulumi up` waits as long as the service's deployment timeline says, not the AWS provider's
 * fixed 20 minutes: the service's and the rollout verification's `customTimeouts` and the
 * verification's own timeout come from the contract, and a bake time one IAM role session cannot
 * wait for is rejected before anything is registered.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { HealthyFargateService, type HealthyFargateServiceArgs, InvalidArgumentsError } from "../../components";
import { deploymentTimeouts } from "../../policies/domain";
import { type MockedRun, withMocks } from "../support/pulumi-mocks";
import { serviceArgs } from "../support/service-args";

const SERVICE = "aws:ecs/service:Service";
const VERIFICATION = "pulumi-nodejs:dynamic/healthy-fargate:RolloutVerification";

async function render(change: Partial<HealthyFargateServiceArgs>): Promise<{ run: MockedRun; service: HealthyFargateService }> {
    const run = await withMocks();
    const service = new HealthyFargateService("api", { ...serviceArgs, ...change });
    await run.settle();
    return { run, service };
}

describe("HealthyFargateService timeouts from the deployment timeline", () => {
    it("a short rolling deployment keeps the provider's 20 minutes on the service", async () => {
        const { run, service } = await render({});
        assert.deepEqual(run.customTimeouts.get(`${SERVICE}::api-service`), { create: "20m", update: "20m", delete: "20m" });
        assert.equal(service.deploymentTimeouts.updateMinutes, 20);
    });

    it("a 2-hour blue/green bake gets (deployment + bake) × 1.5 + 5 min on the service and the verification", async () => {
        const { run, service } = await render({ deployment: { strategy: "blue-green", bakeTimeMinutes: 120 } });
        const expected = deploymentTimeouts(service.healthContract.timeline, service.healthContract.timings);
        const withBake = service.healthContract.timeline.rollingDeploymentWithBakeSeconds;
        assert.equal(expected.updateMinutes, Math.ceil((withBake * 1.5 + 300) / 60));
        assert.ok(expected.updateMinutes > 180, `${expected.updateMinutes} min covers the 120-minute bake with room`);
        assert.deepEqual(run.customTimeouts.get(`${SERVICE}::api-service`), {
            create: `${expected.createMinutes}m`,
            update: `${expected.updateMinutes}m`,
            delete: "20m",
        });
        const verification = run.resources.find((r) => r.type === VERIFICATION)!;
        assert.equal((verification.inputs as any).timeout, `${expected.updateMinutes}m`);
        assert.deepEqual(run.customTimeouts.get(`${VERIFICATION}::api-rollout`), {
            create: `${expected.updateMinutes + 5}m`,
            update: `${expected.updateMinutes + 5}m`,
            delete: "1m",
        });
    });

    it("rejects a bake `pulumi up` cannot wait for (24 h), naming the limit, the largest bake that fits and the fix", async () => {
        const run = await withMocks();
        assert.throws(
            () => new HealthyFargateService("api", { ...serviceArgs, deployment: { strategy: "blue-green", bakeTimeMinutes: 1440 } }),
            (e: unknown) => {
                assert.ok(e instanceof InvalidArgumentsError);
                assert.ok(pulumi.RunError.isInstance(e));
                const message = (e as Error).message;
                assert.match(
                    message,
                    /`deployment\.bakeTimeMinutes` 1440: `pulumi up` would wait up to \d+ min .* longer than the 12 h that credentials of one IAM role session last/,
                );
                assert.match(
                    message,
                    /Lower `deployment\.bakeTimeMinutes` to at most \d+, or set `waitForSteadyState: false` and `verifyRollout: false`/,
                );
                return true;
            },
        );
        assert.equal((await run.settle()).length, 0, "nothing registered");
    });

    it("accepts that bake when `pulumi up` does not wait (ECS bakes on its own)", async () => {
        const { run } = await render({
            deployment: { strategy: "blue-green", bakeTimeMinutes: 1440 },
            waitForSteadyState: false,
            verifyRollout: false,
        });
        assert.ok(run.resources.some((r) => r.type === SERVICE));
    });
});
