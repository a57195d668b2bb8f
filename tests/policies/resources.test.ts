import * as assert from "assert";
import { Secret, unknownCheckingProxy } from "@pulumi/policy";
import * as proxy from "@pulumi/policy/proxy";
import { isUndecidedMessage } from "../../policies/kit";
import {
    UNKNOWN,
    UNKNOWN_SENTINELS,
    ancestorTypes,
    asNumberValue,
    containsUnknown,
    field,
    fieldPath,
    isUnknown,
    parseUrn,
    rawProps,
    readContainerDefinitions,
    readTargetGroup,
    readTaskDefinition,
    show,
    TYPES,
} from "../../policies/resources";
import { U, appContainer, awsxServiceProps } from "./fixtures";

describe("policies/resources (reader layer)", () => {
    it("knows every unknown sentinel of @pulumi/policy", () => {
        const p = proxy as unknown as Record<string, string>;
        const theirs = [
            "unknownBooleanValue",
            "unknownNumberValue",
            "unknownStringValue",
            "unknownArrayValue",
            "unknownAssetValue",
            "unknownArchiveValue",
            "unknownObjectValue",
        ].map((k) => p[k]);
        assert.deepStrictEqual([...UNKNOWN_SENTINELS].sort(), [...theirs].sort());
    });

    it("reads through the unknown-checking proxy without throwing", () => {
        const props = unknownCheckingProxy({ a: U, b: { c: U, d: 1 } }) as Record<string, unknown>;
        assert.throws(() => props.a, /can't be known during preview/, "the proxy itself throws");
        const raw = rawProps(props);
        assert.strictEqual(field(raw, "a"), UNKNOWN);
        assert.strictEqual(fieldPath(raw, "b.c"), UNKNOWN);
        assert.strictEqual(fieldPath(raw, "b.d"), 1);
        assert.ok(containsUnknown(raw));
    });

    it("unwraps secrets (Secret objects and wire envelopes) and never prints them", () => {
        assert.strictEqual(field({ a: new Secret(5) }, "a"), 5);
        assert.strictEqual(field({ a: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x" } }, "a"), "x");
        assert.strictEqual(show(new Secret("hunter2")), "[secret]");
        assert.strictEqual(rawProps(new Secret({ a: 1 })).a, 1);
    });

    it("reads numbers, unknowns and odd values", () => {
        assert.strictEqual(asNumberValue("512"), 512);
        assert.strictEqual(asNumberValue(U), UNKNOWN);
        assert.strictEqual(asNumberValue({}), undefined);
        assert.strictEqual(rawProps(null as unknown).a, undefined);
        assert.strictEqual(field([1], "0"), undefined);
        assert.ok(isUnknown(U) && !isUnknown("x"));
    });

    it("parses containerDefinitions JSON, unknown and invalid", () => {
        const ok = readContainerDefinitions(JSON.stringify([appContainer()]));
        assert.ok(ok.status === "ok" && ok.containers[0].name === "app" && ok.containers[0].path === "containerDefinitions[app]");
        assert.deepStrictEqual(readContainerDefinitions(U), { status: "unknown", field: "containerDefinitions" });
        assert.strictEqual(readContainerDefinitions("{nope").status, "invalid");
        assert.strictEqual(readContainerDefinitions("{}").status, "invalid");
    });

    it("reads awsx container args at their path", () => {
        const td = readTaskDefinition(TYPES.awsxFargateService, awsxServiceProps());
        assert.ok(td && td.containers.status === "ok");
        assert.strictEqual(td.containers.status === "ok" && td.containers.containers[0].path, "taskDefinitionArgs.container");
        const map = readTaskDefinition(TYPES.awsxFargateTaskDefinition, { containers: { web: appContainer() } });
        assert.ok(map && map.containers.status === "ok" && map.containers.containers[0].path === "containers.web");
        assert.strictEqual(readTaskDefinition(TYPES.awsxFargateService, { taskDefinition: "arn" }), undefined);
    });

    it("applies the ALB defaults of a target group without a health check block", () => {
        const tg = readTargetGroup({ protocol: "HTTP" });
        assert.strictEqual(tg.path, "/");
        assert.strictEqual(tg.pathIsDefault, true);
        assert.strictEqual(tg.port, "traffic-port");
    });

    it("parses URNs with parent types", () => {
        const urn = "urn:pulumi:prod::p::healthy-fargate:ecs:HealthyFargateService$aws:ecs/service:Service::api::x";
        assert.deepStrictEqual(parseUrn(urn), {
            stack: "prod",
            project: "p",
            typeChain: ["healthy-fargate:ecs:HealthyFargateService", "aws:ecs/service:Service"],
            name: "api::x",
        });
        assert.deepStrictEqual(ancestorTypes(urn), ["healthy-fargate:ecs:HealthyFargateService"]);
        assert.strictEqual(parseUrn("nope"), undefined);
    });

    it("recognises undecided messages, also after the description line the CLI prepends", () => {
        assert.ok(isUndecidedMessage("[undecided] 'a' (t) `x`: cannot verify."));
        assert.ok(isUndecidedMessage("Policy description.\n[undecided] 'a' (t) `x`: cannot verify."));
        assert.ok(!isUndecidedMessage("Policy description.\n'a' (t) `x`: found [undecided]."));
    });
});
