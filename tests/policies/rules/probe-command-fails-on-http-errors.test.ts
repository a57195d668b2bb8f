import * as assert from "assert";
import { probeCommandFailsOnHttpErrors as policy } from "../../../policies/rules/probe-command-fails-on-http-errors";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram } from "../awsx-worlds";
import { runResource, undecided, violations, assertFinding } from "../harness";
import { U, appContainer, awsxServiceProps, contract, set, taskDefinitionProps } from "../fixtures";

const withCommand = (command: unknown) => taskDefinitionProps([set(appContainer(), "healthCheck.command", command)]);
const td = (props: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    runResource(policy, { type: TYPES.taskDefinition, name: "api-task", props, ...extra });

describe("probe-command-fails-on-http-errors", () => {
    it("passes the baseline (curl -fsS on localhost) and the component's generated commands", () => {
        assert.deepStrictEqual(td(taskDefinitionProps()), []);
        for (const tool of ["curl", "wget", "node", "python"] as const) {
            assert.deepStrictEqual(
                runResource(policy, { type: TYPES.healthyFargateService, name: "api", props: { healthContract: contract({ tool }) } }),
                [],
            );
        }
    });

    it("rejects curl without -f", () => {
        const [v, ...rest] = td(withCommand(["CMD", "curl", "-sS", "http://localhost:8080/health/live"]));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assertFinding(v, {
            resource: "api-task",
            type: "aws:ecs/taskDefinition:TaskDefinition",
            path: "containerDefinitions[app].healthCheck.command",
            undecided: false,
        });
        assert.match(v.message, /found \["CMD","curl","-sS","http:\/\/localhost:8080\/health\/live"\]/);
        assert.match(v.message, /Fix: Add `-f`/);
    });

    it("rejects a masked failure (`|| true`, `; exit 0`)", () => {
        const [v] = td(withCommand(["CMD-SHELL", "curl -f http://localhost:8080/health/live || true"]));
        assert.match(v.message, /\[failure-masked\]: `\|\| true` makes the command succeed/);
        const [w] = td(withCommand(["CMD-SHELL", "curl -f http://localhost:8080/health/live; exit 0"]));
        assert.match(w.message, /\[failure-masked\]/);
    });

    it("rejects a probe of another host", () => {
        const ds = td(withCommand(["CMD", "curl", "-f", "http://api.example.com/health/live"]));
        assert.strictEqual(ds.length, 1);
        assert.match(ds[0].message, /\[remote-target\]: The probe requests "api\.example\.com", not this container/);
    });

    it("rejects a command that always passes or can never run as written", () => {
        assert.match(td(withCommand(["CMD-SHELL", "true"]))[0].message, /\[always-healthy\]/);
        assert.match(td(withCommand(["CMD", "curl -f http://localhost:8080/health/live"]))[0].message, /\[exec-form-single-string\]/);
    });

    it("leaves what container-health-check-required reports to it", () => {
        for (const command of [["NONE"], "curl -f http://localhost/", [], ["curl", "-f", "http://localhost/"]]) {
            assert.deepStrictEqual(td(withCommand(command)), [], JSON.stringify(command));
        }
    });

    it("accepts TCP-only checks unless allowPortCheckOnly is false", () => {
        const props = withCommand(["CMD", "nc", "-z", "localhost", "8080"]);
        assert.deepStrictEqual(td(props), []);
        const [v] = td(props, { config: { allowPortCheckOnly: false } });
        assert.match(v.message, /\[port-check-only\]/);
    });

    it("judges awsx container args and the component's contract", () => {
        const ds = runResource(policy, {
            type: TYPES.awsxFargateService,
            name: "web",
            props: awsxServiceProps(set(appContainer(), "healthCheck.command", ["CMD", "curl", "http://localhost:8080/"])),
        });
        assert.match(ds[0].message, /`taskDefinitionArgs\.container\.healthCheck\.command`.*\[curl-without-fail\]/);
        const c = set(contract(), "probe.command", ["CMD", "curl", "http://localhost:8080/health/live"]);
        const [v] = runResource(policy, { type: TYPES.healthyFargateService, name: "api", props: { healthContract: c } });
        assert.match(
            v.message,
            /'api' \(healthy-fargate:ecs:HealthyFargateService\) `healthContract\.probe\.command`.*The component's container health check \[curl-without-fail\]/,
        );
    });

    it("reports the same finding offline (awsx args) and in a real preview (the task definition awsx creates)", () => {
        const curl = ["CMD-SHELL", "curl http://localhost:8080/health/live"];
        assertBothWorlds(policy, awsxProgramWith("taskDefinitionArgs.container.healthCheck.command", curl), [
            "probe-command-fails-on-http-errors mandatory decided awsx:ecs:FargateService::web",
        ]);
        assertBothWorlds(policy, compliantAwsxProgram(), []);
        // In a real preview a container list awsx computed from unknown values is undecided, never skipped.
        const ds = td(taskDefinitionProps([], { containerDefinitions: U }), {
            parentTypes: [TYPES.awsxFargateService, TYPES.awsxFargateTaskDefinition],
        });
        assertFinding(undecided(ds)[0], { path: "containerDefinitions", undecided: true });
    });

    it("reports unknown commands as undecided (advisory), except in a component's children", () => {
        const ds = td(withCommand(["CMD", "curl", U]));
        assert.strictEqual(violations(ds).length, 0);
        assert.match(
            undecided(ds)[0].message,
            /^\[undecided\] 'api-task' .* `containerDefinitions\[app\]\.healthCheck\.command`: cannot verify/,
        );
        assert.strictEqual(undecided(ds)[0].enforcementLevel, "advisory");
        assertFinding(undecided(td(taskDefinitionProps([], { containerDefinitions: U })))[0], {
            path: "containerDefinitions",
            undecided: true,
        });
        assert.deepStrictEqual(
            td(taskDefinitionProps([], { containerDefinitions: U }), { parentTypes: [TYPES.healthyFargateService] }),
            [],
        );
    });
});
