/**
 * The probe tool chosen from the image (and recorded, with the reason, in the health contract),
 * and args known only later (an image from a build or registry, subnets from a VPC): checked with
 * the same rules once known, never a crash before.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { HealthyFargateService, type HealthyFargateServiceArgs } from "../../components";
import { settleOutput, withMocks } from "../support/pulumi-mocks";
import { serviceArgs } from "../support/service-args";

const PYTHON_SLIM = "public.ecr.aws/docker/library/python:3.12-slim";

async function render(change: Partial<HealthyFargateServiceArgs>) {
    const run = await withMocks();
    const service = new HealthyFargateService("api", { ...serviceArgs, ...change });
    const resources = await run.settle();
    const td = resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition");
    const container = td ? JSON.parse(td.inputs.containerDefinitions as string)[0] : undefined;
    const component = resources.find((r) => r.type === "healthy-fargate:ecs:HealthyFargateService");
    return { service, container, component };
}

describe("HealthyFargateService chooses the probe tool from the image", () => {
    it("python:*-slim without `probe.tool` probes with python3 and says why in the contract", async () => {
        const { service, container, component } = await render({ image: PYTHON_SLIM });
        assert.equal(container.healthCheck.command[1], "python3");
        assert.equal(service.healthContract.probe.tool, "python");
        assert.deepEqual(service.healthContract.probe.toolChoice, {
            by: "image",
            reason: "`python` chosen from the image: python:*-slim (Debian slim) ships python3.",
        });
        assert.deepEqual(
            (component!.inputs as any).healthContract.probe.toolChoice,
            service.healthContract.probe.toolChoice,
            "the pack reads it too",
        );
    });

    it("node:*-slim → node; nginx → curl", async () => {
        assert.equal((await render({ image: "node:22-slim" })).container.healthCheck.command[1], "node");
        assert.equal((await render({ image: "nginx:1.27" })).container.healthCheck.command[1], "curl");
    });

    it("an image the table does not know keeps the default (curl) and says so", async () => {
        const { service } = await render({});
        assert.equal(service.healthContract.probe.tool, "curl");
        assert.equal(service.healthContract.probe.toolChoice?.by, "default");
        assert.match(service.healthContract.probe.toolChoice!.reason, /is not in the table of known base images.*set `probe\.tool`/);
    });

    it("an explicit tool is kept and recorded as the caller's choice", async () => {
        const { service } = await render({ image: "python:3.12", probe: { tool: "curl" } });
        assert.deepEqual(service.healthContract.probe.toolChoice, { by: "args", reason: "`curl` as set in `probe.tool`." });
    });

    it("an Output image keeps the default and says it is known only at deployment", async () => {
        const { service } = await render({ image: pulumi.output(PYTHON_SLIM) });
        assert.match(service.healthContract.probe.toolChoice!.reason, /the image is an Output, known only at deployment/);
    });
});

describe("HealthyFargateService checks Output args once known", () => {
    let swallow: (e: unknown) => void;
    before(() => {
        swallow = () => undefined;
        process.on("unhandledRejection", swallow);
    });
    after(() => {
        process.off("unhandledRejection", swallow);
    });

    it("a valid Output image passes into the task definition", async () => {
        const { container } = await render({ image: pulumi.output("123456789012.dkr.ecr.us-east-1.amazonaws.com/api:2.0.0") });
        assert.equal(container.image, "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:2.0.0");
    });

    it("an Output image that turns out invalid fails the update with the same message; no task definition", async () => {
        const run = await withMocks();
        const service = new HealthyFargateService("late", { ...serviceArgs, image: pulumi.output("ghcr.io/Org/App:1") });
        const { error } = await settleOutput(service.taskDefinitionArn);
        assert.ok(error, "the update fails");
        assert.match(
            error!.message,
            /late: `image` "ghcr.io\/Org\/App:1" is not a valid reference: its repository `Org\/App` has upper-case letters/,
        );
        assert.ok(!(await run.settle()).some((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition"));
    });

    it("Output subnets that turn out empty fail the update naming `subnetIds`; no service", async () => {
        const run = await withMocks();
        const service = new HealthyFargateService("late", { ...serviceArgs, subnetIds: pulumi.output([] as string[]) });
        const { error } = await settleOutput(service.serviceArn);
        assert.ok(error);
        assert.match(error!.message, /late: `subnetIds` is empty/);
        assert.ok(!(await run.settle()).some((r) => r.type === "aws:ecs/service:Service"));
    });
});
