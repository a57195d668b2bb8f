import * as assert from "assert";
import { deploymentAlarmsConfigured as policy } from "../../../policies/rules/deployment-alarms-configured";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram } from "../awsx-worlds";
import { runResource, undecided, violations, assertFinding } from "../harness";
import { U, serviceProps, set } from "../fixtures";

describe("deployment-alarms-configured", () => {
    const run = (props: Record<string, unknown>, config?: Record<string, unknown>) =>
        runResource(policy, { type: TYPES.service, name: "api-service", props, config });

    it("passes alarms with enable and rollback", () => {
        assert.deepStrictEqual(run(serviceProps()), []);
    });

    it("advises on a service without deployment alarms", () => {
        const [v, ...rest] = run(set(serviceProps(), "alarms", undefined));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "advisory");
        assertFinding(v, { resource: "api-service", type: "aws:ecs/service:Service", path: "alarms", undecided: false });
        assert.match(v.message, /found unset/);
    });

    it("advises on empty alarm names and rollback off (unless requireRollback is false)", () => {
        assertFinding(run(set(serviceProps(), "alarms.alarmNames", []))[0], { path: "alarms.alarmNames", undecided: false });
        assert.match(run(set(serviceProps(), "alarms.alarmNames", []))[0].message, /found \[\]/);
        const noRollback = set(serviceProps(), "alarms.rollback", false);
        assertFinding(run(noRollback)[0], { path: "alarms.rollback", undecided: false });
        assert.match(run(noRollback)[0].message, /found false/);
        assert.deepStrictEqual(run(noRollback, { requireRollback: false }), []);
    });

    it("reports unknown alarm names as undecided", () => {
        const ds = run(set(serviceProps(), "alarms.alarmNames", [U]));
        assert.strictEqual(violations(ds).length, 0);
        assertFinding(undecided(ds)[0], { path: "alarms.alarmNames", undecided: true });
    });

    describe("awsx FargateService, offline (args) and in a real preview (children)", () => {
        it("reports missing alarms once, in both worlds, at advisory level", () => {
            assertBothWorlds(policy, awsxProgramWith("alarms", undefined), [
                "deployment-alarms-configured advisory decided awsx:ecs:FargateService::web",
            ]);
            assertBothWorlds(policy, compliantAwsxProgram(), []);
        });

        it("never fires on the empty inputs a real preview shows for the component", () => {
            assert.deepStrictEqual(runResource(policy, { type: TYPES.awsxFargateService, name: "web", props: {} }), []);
        });
    });
});
