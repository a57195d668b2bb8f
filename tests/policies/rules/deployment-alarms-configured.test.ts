import * as assert from "assert";
import { deploymentAlarmsConfigured as policy } from "../../../policies/rules/deployment-alarms-configured";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith, compliantAwsxProgram } from "../awsx-worlds";
import { runResource, undecided, violations } from "../harness";
import { U, serviceProps, set } from "../fixtures";

describe("deployment-alarms-configured", () => {
    const run = (props: Record<string, unknown>, config?: Record<string, unknown>) => runResource(policy, { type: TYPES.service, name: "api-service", props, config });

    it("passes alarms with enable and rollback", () => {
        assert.deepStrictEqual(run(serviceProps()), []);
    });

    it("advises on a service without deployment alarms", () => {
        const [v, ...rest] = run(set(serviceProps(), "alarms", undefined));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "advisory");
        assert.match(v.message, /'api-service' \(aws:ecs\/service:Service\) `alarms`: found unset\. No deployment alarms.*Fix: Set `alarms: \{ alarmNames:/);
    });

    it("advises on empty alarm names and rollback off (unless requireRollback is false)", () => {
        assert.match(run(set(serviceProps(), "alarms.alarmNames", []))[0].message, /`alarms\.alarmNames`: found \[\]\. No alarm is watched/);
        const noRollback = set(serviceProps(), "alarms.rollback", false);
        assert.match(run(noRollback)[0].message, /`alarms\.rollback`: found false\. A firing alarm fails the deployment but does not roll it back/);
        assert.deepStrictEqual(run(noRollback, { requireRollback: false }), []);
    });

    it("reports unknown alarm names as undecided", () => {
        const ds = run(set(serviceProps(), "alarms.alarmNames", [U]));
        assert.strictEqual(violations(ds).length, 0);
        assert.match(undecided(ds)[0].message, /`alarms\.alarmNames`: cannot verify/);
    });

    describe("awsx FargateService, offline (args) and in a real preview (children)", () => {
        it("reports missing alarms once, in both worlds, at advisory level", () => {
            assertBothWorlds(policy, awsxProgramWith("alarms", undefined), ["deployment-alarms-configured advisory decided awsx:ecs:FargateService::web"]);
            assertBothWorlds(policy, compliantAwsxProgram(), []);
        });

        it("never fires on the empty inputs a real preview shows for the component", () => {
            assert.deepStrictEqual(runResource(policy, { type: TYPES.awsxFargateService, name: "web", props: {} }), []);
        });
    });
});
