/**
 * A refresh after a blue/green deployment reads the target groups swapped: the paths that differ
 * from the program must be exactly what the service and its listener rule leave to ECS
 * (`ignoreChanges`), so the next `pulumi up` sends nothing back — and nothing else is hidden.
 */
import { strict as assert } from "assert";
import type { CapturedResource } from "../../cli/offline/program-runner";
import { BLUE_GREEN_ECS_OWNED, HealthyFargateService, type HealthyFargateServiceArgs } from "../../components";
import { withMocks } from "../support/pulumi-mocks";
import { serviceArgs } from "../support/service-args";

const SERVICE = "aws:ecs/service:Service";
const RULE = "aws:lb/listenerRule:ListenerRule";

async function render(change: Partial<HealthyFargateServiceArgs>) {
    const run = await withMocks();
    new HealthyFargateService("api", { ...serviceArgs, ...change });
    const resources = await run.settle();
    const one = (type: string) => resources.find((r) => r.type === type) as CapturedResource;
    return { service: one(SERVICE), rule: one(RULE) };
}

/** Every leaf path where `a` and `b` differ, in Pulumi's property path syntax (`a.b[0].c`). */
function changedPaths(a: unknown, b: unknown, path = ""): string[] {
    if (a === b) return [];
    const bothObjects = a && b && typeof a === "object" && typeof b === "object";
    if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) return [path];
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    return [...keys].flatMap((k) =>
        changedPaths((a as any)[k], (b as any)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k),
    );
}

/** Whether `ignoreChanges` covers `path` (an entry equal to it or a parent of it, as the engine and the bridge match). */
const covered = (path: string, ignoreChanges: readonly string[] = []) =>
    ignoreChanges.some((i) => path === i || path.startsWith(`${i}.`) || path.startsWith(`${i}[`));

/** The state a refresh reads after one blue/green deployment: ECS swapped primary and alternate. */
function afterDeployment(service: any, rule: any) {
    const s = structuredClone(service);
    const lb = s.loadBalancers[0];
    [lb.targetGroupArn, lb.advancedConfiguration.alternateTargetGroupArn] = [
        lb.advancedConfiguration.alternateTargetGroupArn,
        lb.targetGroupArn,
    ];
    const r = structuredClone(rule);
    // ECS moves the weight to the group of the new revision (observed: new 100, old 0).
    const [primary, alternate] = r.actions[0].forward.targetGroups;
    r.actions[0].forward.targetGroups = [
        { arn: primary.arn, weight: 0 },
        { arn: alternate.arn, weight: 100 },
    ];
    return { service: s, rule: r };
}

describe("HealthyFargateService blue/green: ECS-owned fields are left to ECS", () => {
    let service: CapturedResource;
    let rule: CapturedResource;
    before(async () => ({ service, rule } = await render({ deployment: { strategy: "blue-green" } })));

    it("the refreshed state differs from the program exactly in the swapped target groups and weights", () => {
        const refreshed = afterDeployment(service.inputs, rule.inputs);
        assert.deepEqual(changedPaths(service.inputs, refreshed.service).sort(), [
            "loadBalancers[0].advancedConfiguration.alternateTargetGroupArn",
            "loadBalancers[0].targetGroupArn",
        ]);
        assert.deepEqual(changedPaths(rule.inputs, refreshed.rule).sort(), [
            "actions[0].forward.targetGroups[0].weight",
            "actions[0].forward.targetGroups[1].weight",
        ]);
    });

    it("records ignoreChanges that cover every refreshed difference, and only the ECS-owned values", () => {
        const refreshed = afterDeployment(service.inputs, rule.inputs);
        assert.deepEqual(service.options.ignoreChanges, [...BLUE_GREEN_ECS_OWNED.service]);
        assert.deepEqual(rule.options.ignoreChanges, [...BLUE_GREEN_ECS_OWNED.listenerRule]);
        for (const [resource, state] of [
            [service, refreshed.service],
            [rule, refreshed.rule],
        ] as const) {
            const diff = changedPaths(resource.inputs, state);
            assert.deepEqual(
                diff.filter((p) => !covered(p, resource.options.ignoreChanges)),
                [],
                `${resource.type}: a swapped value would be sent back`,
            );
            for (const entry of resource.options.ignoreChanges ?? []) {
                assert.ok(
                    diff.some((p) => covered(p, [entry])),
                    `${resource.type}: ignoreChanges entry ${entry} covers nothing ECS changes`,
                );
            }
        }
    });

    it("still sends every other change: a new image, desired count or grace period is not ignored", async () => {
        const changed = await render({
            deployment: { strategy: "blue-green" },
            desiredCount: 4,
            image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.2.4",
            startup: { expectedSeconds: 40, worstCaseSeconds: 120 },
        });
        const diff = changedPaths(service.inputs, changed.service.inputs);
        assert.ok(diff.includes("desiredCount") && diff.includes("healthCheckGracePeriodSeconds"), diff.join(", "));
        assert.deepEqual(
            diff.filter((p) => covered(p, service.options.ignoreChanges)),
            [],
            "only ECS-owned paths are ignored",
        );
    });

    it("a rolling service ignores nothing: Pulumi owns its target group and rule", async () => {
        const rolling = await render({});
        assert.equal(rolling.service.options.ignoreChanges, undefined);
        assert.equal(rolling.rule.options.ignoreChanges, undefined);
    });
});
