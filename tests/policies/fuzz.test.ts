/**
 * Random and unknown-laden property shapes through every policy of the pack (iterating the pack's
 * list, so policies added later are fuzzed too): no exception, no UnknownValueError from the proxy,
 * no internal "policy error", every report a string message.
 */
import * as assert from "assert";
import fc from "fast-check";
import { policies } from "../../policies/policies";
import { isStackPolicy, runResource, runStack } from "./harness";
import { check, resourceCase, stackCase } from "./fuzz-shapes";

describe("fuzz: every policy of the pack on random and unknown-laden shapes", function () {
    this.timeout(120000);

    it("resource policies never throw", () => {
        const resourcePolicies = policies.filter((p) => !isStackPolicy(p));
        assert.ok(resourcePolicies.length > 0);
        fc.assert(
            fc.property(resourceCase, (c) => {
                for (const p of resourcePolicies) check(runResource(p, c as never));
            }),
            { numRuns: 3000 },
        );
    });

    it("stack policies never throw", () => {
        const stackPolicies = policies.filter(isStackPolicy);
        assert.ok(stackPolicies.length > 0);
        fc.assert(
            fc.property(stackCase, fc.constantFrom(undefined, { deepPaths: ["/"] }, { maxGracePeriodSeconds: -1 }), (resources, config) => {
                for (const p of stackPolicies) check(runStack(p, resources, { config }));
            }),
            { numRuns: 1500 },
        );
    });
});
