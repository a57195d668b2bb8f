/**
 * The kit's wrappers: an exception inside a policy is reported, at the policy's own enforcement
 * level, with the `policy error:` marker — never thrown, never an advisory `[undecided]` note that
 * would let a mandatory policy pass a resource it did not judge.
 */
import * as assert from "assert";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    POLICY_ERROR_MARKER,
    formatUndecided,
    isPolicyErrorMessage,
    isUndecidedMessage,
    resourceRule,
    stackRule,
} from "../../policies/kit";
import { TYPES } from "../../policies/resources";
import { runResource, runStack } from "./harness";
import { baselineStack, taskDefinitionProps } from "./fixtures";

function crashingResourcePolicy(level: "mandatory" | "advisory"): ResourceValidationPolicy {
    return {
        name: `crashing-${level}`,
        description: "A policy with a bug.",
        enforcementLevel: level,
        validateResource: resourceRule([TYPES.taskDefinition], {}, (ctx) => {
            if (ctx.name === "boom") throw new TypeError("Cannot read properties of undefined (reading 'x')");
        }),
    };
}

describe("kit: a crashing policy never passes quietly", () => {
    it("reports an exception in a mandatory resource policy as a mandatory `policy error:` diagnostic, not as undecided", () => {
        const [d, ...rest] = runResource(crashingResourcePolicy("mandatory"), {
            type: TYPES.taskDefinition,
            name: "boom",
            props: taskDefinitionProps(),
        });
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(d.enforcementLevel, "mandatory");
        assert.strictEqual(d.undecided, false);
        assert.ok(isPolicyErrorMessage(d.message), d.message);
        assert.ok(!isUndecidedMessage(d.message));
        assert.match(
            d.message,
            /\npolicy error: 'boom' \(aws:ecs\/taskDefinition:TaskDefinition\): Cannot read properties of undefined \(reading 'x'\) The policy could not judge this resource/,
        );
        // The same policy passes a resource it judged without crashing.
        assert.deepStrictEqual(
            runResource(crashingResourcePolicy("mandatory"), { type: TYPES.taskDefinition, name: "fine", props: taskDefinitionProps() }),
            [],
        );
    });

    it("keeps an advisory policy's crash advisory", () => {
        const [d] = runResource(crashingResourcePolicy("advisory"), { type: TYPES.taskDefinition, name: "boom", props: {} });
        assert.strictEqual(d.enforcementLevel, "advisory");
        assert.ok(d.message.includes(POLICY_ERROR_MARKER));
    });

    it("reports an exception in a stack policy at its level, also when the thrown value is not an Error", () => {
        const policy: StackValidationPolicy = {
            name: "crashing-stack",
            description: "A stack policy with a bug.",
            enforcementLevel: "mandatory",
            validateStack: stackRule({}, () => {
                throw "a string";
            }),
        };
        const [d, ...rest] = runStack(policy, baselineStack());
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(d.enforcementLevel, "mandatory");
        assert.match(d.message, /\npolicy error: 'stack' \(pulumi:pulumi:Stack\): a string\./);
    });

    it("recognises the marker only at the start of a line", () => {
        assert.ok(isPolicyErrorMessage("Description.\npolicy error: 'a' (t): boom."));
        assert.ok(!isPolicyErrorMessage("Description.\n'a' (t) `x`: found \"policy error: x\"."));
        assert.ok(!isPolicyErrorMessage(undefined));
    });
});

describe("kit: an undecided report says when it will be decided only when an update decides it", () => {
    const subject = { name: "web", type: "aws:ecs/service:Service", urn: "urn:web" };

    it("promises a decision during `pulumi up` for a value computed from another resource", () => {
        assert.match(formatUndecided(subject, { path: "loadBalancers" }), /during `pulumi up`/);
        assert.match(
            formatUndecided(subject, { path: "x", reason: "the security groups of 'db' are not known yet" }),
            /during `pulumi up`/,
        );
    });

    it("promises nothing for what an update does not change: unmanaged resources, unknown images, IAM conditions", () => {
        for (const reason of [
            "security group sg-123 of 'web' is not managed in this stack",
            "the Redis URL points at an ElastiCache endpoint that is not managed in this stack, so its in-transit encryption is unknown",
            'image "acme/app:1" is neither built by this program nor in the table of known base images',
            "the only statements that grant it have a `Condition`, which this pack does not evaluate",
        ]) {
            const message = formatUndecided(subject, { path: "x", reason });
            assert.doesNotMatch(message, /pulumi up/, message);
            assert.ok(isUndecidedMessage(message));
        }
    });
});
