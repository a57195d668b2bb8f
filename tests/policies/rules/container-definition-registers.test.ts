import * as assert from "assert";
import { containerDefinitionRegisters as policy } from "../../../policies/rules/container-definition-registers";
import { TYPES } from "../../../policies/resources";
import { runResource, undecided, violations } from "../harness";
import { type Json, U, appContainer, awsxServiceProps, set, taskDefinitionProps } from "../fixtures";

describe("container-definition-registers", () => {
    const run = (containers: Json[], extra: Json = {}) =>
        runResource(policy, { type: TYPES.taskDefinition, name: "api-task", props: taskDefinitionProps(containers, extra) });
    const sidecar = (extra: Json = {}): Json => ({
        name: "proxy",
        image: "public.ecr.aws/docker/library/nginx:1.27",
        essential: false,
        ...extra,
    });

    it("passes the compliant container, a sidecar and awsx args", () => {
        assert.deepStrictEqual(run([appContainer()]), []);
        assert.deepStrictEqual(
            run([set(appContainer(), "memoryReservation", 512), sidecar({ memory: 256, portMappings: [{ containerPort: 9901 }] })]),
            [],
        );
        assert.deepStrictEqual(runResource(policy, { type: TYPES.awsxFargateService, name: "web", props: awsxServiceProps() }), []);
    });

    it("rejects an image that is a stringified Output or an object", () => {
        const [v, ...rest] = run([
            set(
                appContainer(),
                "image",
                "Calling [toJSON] on an [Output<T>] is not supported.\n\nTo get the value of an Output as a JSON value or JSON string consider…",
            ),
        ]);
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.match(
            v.message,
            /'api-task' \(aws:ecs\/taskDefinition:TaskDefinition\) `containerDefinitions\[app\]\.image`: found "Calling \[toJSON\].*stringified Pulumi Output.*CannotPullContainerError.*Fix: Pass the Output itself/s,
        );
        assert.match(
            run([set(appContainer(), "image", { repositoryUrl: "x" })])[0].message,
            /`containerDefinitions\[app\]\.image`: found a object\. ECS needs `image` to be a string/,
        );
    });

    it("rejects containerDefinitions that is not JSON or not a JSON array, without echoing the value", () => {
        const notJson = run([], { containerDefinitions: '[{"name": "app", "environment": [{"value": "s3cret"' });
        assert.strictEqual(notJson.length, 1, notJson.map((d) => d.message).join("\n"));
        assert.strictEqual(notJson[0].enforcementLevel, "mandatory");
        assert.match(
            notJson[0].message,
            /`containerDefinitions`: found a string of 51 characters\. `containerDefinitions` is not valid JSON, so ECS rejects/,
        );
        assert.ok(!notJson[0].message.includes("s3cret"));
        const [notArray] = violations(run([], { containerDefinitions: JSON.stringify({ name: "app", image: "nginx" }) }));
        assert.match(notArray.message, /is not a JSON array of container definitions/);
        assert.deepStrictEqual(run([], { containerDefinitions: JSON.stringify([appContainer()]) }), []);
    });

    it("rejects log options that are not strings, misspelt awslogs options and missing required ones", () => {
        const options = { "awslogs-group": "/ecs/api", "awslogs-region": {}, "awslogs-stream-prefixs": "app" };
        const ds = run([set(appContainer(), "logConfiguration.options", options)]);
        assert.strictEqual(ds.length, 2, ds.map((d) => d.message).join("\n"));
        assert.match(
            ds[0].message,
            /`containerDefinitions\[app\]\.logConfiguration\.options\.awslogs-region`: found an object \(a stringified Promise or Output is `\{\}`\)/,
        );
        assert.match(
            ds[1].message,
            /`containerDefinitions\[app\]\.logConfiguration\.options\.awslogs-stream-prefixs`: found "awslogs-stream-prefixs"\. .*you meant \(`awslogs-stream-prefix`\).*Fix: Rename the option to `awslogs-stream-prefix`/,
        );
        const [missing] = run([
            set(appContainer(), "logConfiguration.options", { "awslogs-group": "/ecs/api", "awslogs-region": "eu-west-1" }),
        ]);
        assert.match(missing.message, /found no `awslogs-stream-prefix`\. The awslogs driver requires `awslogs-stream-prefix` on Fargate/);
        // Not Fargate: the stream prefix is optional; other drivers' option names are not judged.
        assert.deepStrictEqual(
            run([set(appContainer(), "logConfiguration.options", { "awslogs-group": "g", "awslogs-region": "eu-west-1" })], {
                requiresCompatibilities: ["EC2"],
                networkMode: "bridge",
            }),
            [],
        );
        assert.deepStrictEqual(
            run([set(appContainer(), "logConfiguration", { logDriver: "splunk", options: { "splunk-url": "https://splunk" } })]),
            [],
        );
    });

    it("rejects a health check without its form on a non-essential container (essential ones are container-health-check-required's)", () => {
        const [v] = run([appContainer(), sidecar({ healthCheck: { command: ["curl", "-f", "http://localhost:9901/ready"] } })]);
        assert.match(
            v.message,
            /`containerDefinitions\[proxy\]\.healthCheck\.command\[0\]`: found "curl"\..*Fix: Prefix the command with its form: `\["CMD", "curl", "-f", …\]`/,
        );
        assert.deepStrictEqual(run([set(appContainer(), "healthCheck.command", ["curl", "-f", "http://localhost:8080/health/live"])]), []);
    });

    it("rejects container memory below 6 MiB, above the task's, a reservation not below the limit, and a sum above the task", () => {
        assert.match(
            run([set(appContainer(), "memory", 4)])[0].message,
            /`containerDefinitions\[app\]\.memory`: found 4 MiB\. Docker reserves at least 6 MiB/,
        );
        assert.match(run([set(appContainer(), "memory", 2048)])[0].message, /found 2048 MiB, task memory 1024 MiB/);
        assert.match(
            run([set(set(appContainer(), "memory", 512), "memoryReservation", 512)])[0].message,
            /`containerDefinitions\[app\]\.memoryReservation`: found memoryReservation 512 MiB, memory 512 MiB/,
        );
        const [sum] = run([set(appContainer(), "memoryReservation", 768), sidecar({ memoryReservation: 512 })]);
        assert.match(sum.message, /`memory`: found 'app' 768 \+ 'proxy' 512 = 1280 MiB, task memory 1024 MiB/);
    });

    it("rejects a port mapped twice in one awsvpc task and a host port that differs", () => {
        const [dup] = run([appContainer(), sidecar({ portMappings: [{ containerPort: 8080, protocol: "tcp" }] })]);
        assert.match(
            dup.message,
            /`containerDefinitions\[proxy\]\.portMappings\[0\]\.containerPort`: found 8080\/tcp, already mapped by container 'app'/,
        );
        const [host] = run([set(appContainer(), "portMappings", [{ containerPort: 8080, hostPort: 80 }])]);
        assert.match(host.message, /`containerDefinitions\[app\]\.portMappings\[0\]\.hostPort`: found hostPort 80, containerPort 8080/);
    });

    it("rejects a container or host port that cannot exist, in task definitions and awsx args, but not 0 as a host port", () => {
        for (const port of [-1, 0, 70000, 3000.5, "http", "8080x"]) {
            const [v, ...rest] = run([set(appContainer(), "portMappings", [{ containerPort: port }])]);
            assert.strictEqual(rest.length, 0, `one finding for containerPort ${JSON.stringify(port)}`);
            assert.match(
                v.message,
                /`containerDefinitions\[app\]\.portMappings\[0\]\.containerPort`: found .*AWS accepts a whole number from 1 to 65535/,
            );
            assert.strictEqual(v.enforcementLevel, "mandatory");
        }
        const bridge = { networkMode: "bridge", requiresCompatibilities: ["EC2"] };
        const [host] = run([set(appContainer(), "portMappings", [{ containerPort: 8080, hostPort: 65536 }])], bridge);
        assert.match(host.message, /`containerDefinitions\[app\]\.portMappings\[0\]\.hostPort`: found 65536\. The port is outside 1–65535/);
        assert.deepStrictEqual(
            run([set(appContainer(), "portMappings", [{ containerPort: 8080, hostPort: 0 }])], bridge),
            [],
            "dynamic host port",
        );
        assert.deepStrictEqual(run([set(appContainer(), "portMappings", [{ containerPort: "8080" }])]), [], "a numeric string is a port");
        const container = set(appContainer(), "portMappings", [{ containerPort: 70000 }]);
        const [awsx] = runResource(policy, { type: TYPES.awsxFargateService, name: "web", props: awsxServiceProps(container) });
        assert.match(
            awsx.message,
            /'web' \(awsx:ecs:FargateService\) `taskDefinitionArgs\.container\.portMappings\[0\]\.containerPort`: found 70000/,
        );
        const unknown = run([set(appContainer(), "portMappings", [{ containerPort: U }])]);
        assert.strictEqual(violations(unknown).length, 0, "an unknown port is not garbage");
    });

    it("rejects a task without an essential container", () => {
        const [v] = run([set(appContainer(), "essential", false)]);
        assert.match(
            v.message,
            /`containerDefinitions`: found 1 container\(s\), none essential\. A task definition needs at least one essential container/,
        );
    });

    it("judges awsx container args with their own paths", () => {
        const container = set(appContainer(), "logConfiguration.options.awslogs-stream-prefixs", "app");
        const [v] = runResource(policy, { type: TYPES.awsxFargateService, name: "web", props: awsxServiceProps(container) });
        assert.match(
            v.message,
            /'web' \(awsx:ecs:FargateService\) `taskDefinitionArgs\.container\.logConfiguration\.options\.awslogs-stream-prefixs`/,
        );
    });

    it("reports unknown values as undecided, never as a pass or a violation", () => {
        let ds = runResource(policy, {
            type: TYPES.awsxFargateService,
            name: "web",
            props: awsxServiceProps(set(appContainer(), "image", U)),
        });
        assert.strictEqual(violations(ds).length, 0);
        assert.match(undecided(ds)[0].message, /^\[undecided\] 'web' .*`taskDefinitionArgs\.container\.image`: cannot verify/);
        ds = run([set(appContainer(), "logConfiguration.options.awslogs-group", U)]);
        assert.strictEqual(violations(ds).length, 0);
        assert.match(undecided(ds)[0].message, /`containerDefinitions\[app\]\.logConfiguration\.options\.awslogs-group`: cannot verify/);
        ds = run([], { containerDefinitions: U });
        assert.match(undecided(ds)[0].message, /`containerDefinitions`: cannot verify/);
    });
});
