/**
 * The portable HealthyFargateService (provider/healthy-fargate-service.ts) constructed in-process
 * under Pulumi's mocks, as its provider's `construct` does it (`new Class(name, inputs, opts)`):
 * what it registers, that it builds exactly what the TypeScript component builds, and that bad
 * input fails before anything is registered with the TypeScript component's messages in the
 * portable args' words. The same over the real gRPC `Construct`: construct-grpc.test.ts.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { HEALTHY_FARGATE_SERVICE_TYPE, HealthyFargateService as TypedHealthyFargateService, InvalidArgumentsError } from "../../components";
import { HealthyFargateService, PORTABLE_SERVICE_TYPE, validatedServiceArgs } from "../../provider/healthy-fargate-service";
import type { PortableServiceArgs } from "../../provider/portable-args";
import { rolloutVerificationHostProblem } from "../../provider/rollout-host";
import { valueOf, withMocks } from "../support/pulumi-mocks";
import { portableServiceArgs, serviceArgs } from "../support/service-args";
import { REPO_ROOT } from "../support/spawn-node";
import type { CapturedResource } from "../../cli/offline/program-runner";

/** Custom resources as comparable records: type, name and inputs (their parents differ by construction). */
const children = (resources: CapturedResource[]) =>
    resources
        .filter((r) => r.custom)
        .map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }))
        .sort((a, b) => `${a.type}${a.name}`.localeCompare(`${b.type}${b.name}`));

function rejection(args: unknown, programDir?: string): string {
    try {
        validatedServiceArgs("api", args as PortableServiceArgs, programDir);
    } catch (e) {
        assert.ok(e instanceof InvalidArgumentsError);
        assert.ok(pulumi.RunError.isInstance(e), "a RunError: the CLI prints it without a stack trace");
        return (e as Error).message;
    }
    return assert.fail("expected InvalidArgumentsError");
}

describe("portable HealthyFargateService (in-process, under mocks)", () => {
    it("registers itself without inputs, the TypeScript component as its child, and the AWS resources under that", async () => {
        const run = await withMocks();
        const service = new HealthyFargateService("api", portableServiceArgs);
        const resources = await run.settle();
        const outer = resources.find((r) => r.type === PORTABLE_SERVICE_TYPE)!;
        const inner = resources.find((r) => r.type === HEALTHY_FARGATE_SERVICE_TYPE)!;
        assert.deepEqual(outer.inputs, {});
        assert.equal(inner.parent, outer.urn);
        assert.equal((inner.inputs.healthContract as any).probe.livenessPath, "/health/live", "the contract the pack reads");
        const custom = resources.filter((r) => r.custom);
        assert.ok(
            custom.length > 10 && custom.every((r) => r.parent === inner.urn),
            "every AWS resource is a child of the inner component",
        );
        assert.ok(!resources.some((r) => r.type.includes("RolloutVerification")), "verifyRollout is off by default here");
        assert.equal(await valueOf(service.serviceName), "healthy-fargate-test-api");
        assert.equal(
            JSON.parse(await valueOf(service.healthContractJson)).timings.healthCheckGracePeriodSeconds,
            (inner.inputs.healthContract as any).timings.healthCheckGracePeriodSeconds,
        );
    });

    it("builds exactly the resources the TypeScript component builds from the same args", async () => {
        const typed = await withMocks();
        new TypedHealthyFargateService("api", { ...serviceArgs, verifyRollout: false });
        const fromTypeScript = children(await typed.settle());
        const portable = await withMocks();
        new HealthyFargateService("api", portableServiceArgs);
        const fromPortable = children(await portable.settle());
        assert.ok(fromTypeScript.length > 10);
        assert.deepEqual(fromPortable, fromTypeScript);
    });

    it("adds the rollout verification when verifyRollout is true and the program's directory can run it", async () => {
        const run = await withMocks();
        new HealthyFargateService("api", { ...portableServiceArgs, verifyRollout: true });
        const resources = await run.settle();
        assert.ok(resources.some((r) => r.type === "pulumi-nodejs:dynamic/healthy-fargate:RolloutVerification"));
    });

    it("fails before registering anything, with every problem, conversion and validation alike", async () => {
        const run = await withMocks();
        assert.throws(
            () =>
                new HealthyFargateService("api", { ...portableServiceArgs, port: 0, secrets: { DB: { kind: "vault", ref: "x" } } } as any),
            (e: Error) =>
                e instanceof InvalidArgumentsError &&
                /- api: `secrets\.DB\.kind` must be one of/.test(e.message) &&
                /- api: `port` must be an integer 1–65535, got 0\./.test(e.message),
        );
        assert.throws(
            () => new HealthyFargateService("api", { ...portableServiceArgs, desiredCont: 3, port: 0 } as any),
            (e: Error) => /did you mean `desiredCount`/.test(e.message) && !/`port`/.test(e.message),
            "malformed args stop before validation",
        );
        assert.throws(
            () => new HealthyFargateService("api", { ...portableServiceArgs, port: 0, desiredCount: -1 }),
            (e: Error) =>
                /^Invalid arguments for HealthyFargateService:\n {2}- api: /.test(e.message) && e.message.split("\n  - ").length === 3,
        );
        assert.equal((await run.settle()).length, 0, "nothing registered, not even the component");
    });

    it("words the TypeScript component's secret messages in portable terms: `ref` and `{ kind, ref }`", () => {
        const byName = rejection({
            ...portableServiceArgs,
            secrets: { DB: { kind: "secretsManager", ref: "arn:aws:ssm:us-east-1:123456789012:parameter/db" } },
        });
        assert.match(
            byName,
            /`secrets\.DB\.ref` is an SSM parameter ARN \(`arn:aws:ssm:us-east-1:123456789012:parameter\/db`\)\. Pass it as `\{ kind: "ssmParameter", ref: "arn:aws:ssm:us-east-1:123456789012:parameter\/db" \}`\./,
        );
        const empty = rejection({ ...portableServiceArgs, secrets: { TOKEN: { kind: "value", ref: " " } } });
        assert.match(empty, /`secrets\.TOKEN\.ref` is empty\. Pass the secret's value, or remove `TOKEN`\./);
        const credential = rejection({ ...portableServiceArgs, environment: { DB_PASSWORD: "hunter2hunter2" } });
        assert.match(credential, /`secrets: \{ DB_PASSWORD: \{ kind: "value", ref: <the value> \} \}`/);
        assert.match(credential, /`secrets: \{ DB_PASSWORD: \{ kind: "ssmParameter", ref: "\/app\/db-password" \} \}`/);
        assert.doesNotMatch(credential, /\{ (value|secretsManager|ssmParameter):/);
    });

    it("words the alarm and smoke messages for `enabled` and the portable verifyRollout default", () => {
        assert.match(
            rejection({ ...portableServiceArgs, alarms: { containerHealth: { enabled: true } } }),
            /`alarms\.containerHealth` cannot be created: .*Remove it or set its `enabled` to false\./,
        );
        assert.match(
            rejection({ ...portableServiceArgs, smoke: { enabled: true } }),
            /`smoke` runs inside the rollout verification: it needs `verifyRollout` \(set `verifyRollout: true`, or turn `smoke` off\)\./,
        );
    });

    it("refuses verifyRollout where Pulumi could not run the verification (no Node modules in the program's directory)", () => {
        const pythonProgram = fs.mkdtempSync(path.join(os.tmpdir(), "hf-python-"));
        try {
            const message = rejection({ ...portableServiceArgs, verifyRollout: true }, pythonProgram);
            assert.match(message, /`verifyRollout` is true, but the rollout verification is a Node\.js dynamic resource/);
            const missing =
                /`@pulumi\/pulumi` and `@healthy-fargate\/components` and `@healthy-fargate\/doctor` cannot be found from there/;
            assert.match(message, missing);
            assert.doesNotThrow(() => validatedServiceArgs("api", { ...portableServiceArgs, verifyRollout: false }, pythonProgram));
        } finally {
            fs.rmSync(pythonProgram, { recursive: true, force: true });
        }
    });

    it("finds the dynamic-provider host and the compiled verifier packages through the program's node_modules", () => {
        const program = fs.mkdtempSync(path.join(os.tmpdir(), "hf-node-program-"));
        const link = (name: string) => {
            fs.mkdirSync(path.dirname(path.join(program, "node_modules", name)), { recursive: true });
            fs.symlinkSync(fs.realpathSync(path.join(REPO_ROOT, "node_modules", name)), path.join(program, "node_modules", name));
        };
        try {
            assert.match(rolloutVerificationHostProblem(program) ?? "", /`@pulumi\/pulumi` and `@healthy-fargate\/components`/);
            link("@pulumi/pulumi");
            const verifierMissing = /`@healthy-fargate\/components` and `@healthy-fargate\/doctor` cannot be found/;
            assert.match(rolloutVerificationHostProblem(program) ?? "", verifierMissing);
            link("@healthy-fargate/components");
            link("@healthy-fargate/doctor");
            assert.equal(rolloutVerificationHostProblem(program), undefined);
        } finally {
            fs.rmSync(program, { recursive: true, force: true });
        }
    });
});
