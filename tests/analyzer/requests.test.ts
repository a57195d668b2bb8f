/**
 * cli/analyzer/requests.ts: the AnalyzeStack request encoded one resource at a time is the same
 * message, byte for byte, as the one google-protobuf builds from a list.
 */
import * as assert from "assert";
import { AnalyzeStackRequest } from "@pulumi/pulumi/proto/analyzer_pb";
import { secret, unknown, type StackResourceToAnalyze } from "../../cli/analyzer";
import { buildAnalyzeStackRequest } from "../../cli/analyzer/requests";

const CTX = { stack: "dev", project: "shop" };

function resources(count: number): StackResourceToAnalyze[] {
    return Array.from({ length: count }, (_, i) => ({
        type: i % 2 ? "aws:ecs/service:Service" : "aws:ecs/taskDefinition:TaskDefinition",
        name: `svc-${i}`,
        properties: {
            family: `svc-${i}`,
            desiredCount: i,
            password: secret(`p-${i}`),
            arn: unknown,
            nested: { list: [1, "two", { three: true }], empty: {} },
        },
        parent: i > 0 ? `urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev` : undefined,
        dependencies: i > 0 ? [`urn:pulumi:dev::shop::aws:ecs/taskDefinition:TaskDefinition::svc-${i - 1}`] : [],
        propertyDependencies: { family: i > 0 ? [`urn:x-${i}`] : [], desiredCount: [] },
        options: { protect: i % 3 === 0, ignoreChanges: i % 5 === 0 ? ["desiredCount"] : [], customTimeouts: { create: i } },
        provider: i % 4 === 0 ? { type: "pulumi:providers:aws", name: "default", properties: { region: "eu-west-1" } } : undefined,
    }));
}

describe("AnalyzeStack request, encoded resource by resource", () => {
    for (const count of [0, 1, 7, 300]) {
        it(`${count} resources: the bytes decode to the resources in order and re-encode to the same bytes`, () => {
            const given = resources(count);
            const bytes = buildAnalyzeStackRequest(given, CTX).serializeBinary();
            const decoded = AnalyzeStackRequest.deserializeBinary(bytes);
            const list = decoded.getResourcesList();
            assert.deepStrictEqual(
                list.map((r) => r.getName()),
                given.map((r) => r.name),
            );
            assert.deepStrictEqual(
                list.map((r) => r.getProperties()?.toJavaScript()["desiredCount"]),
                given.map((r) => r.properties!["desiredCount"]),
            );
            // google-protobuf's own encoding of the decoded message: canonical, field by field.
            assert.deepStrictEqual(Buffer.from(decoded.serializeBinary()), Buffer.from(bytes));
        });
    }

    it("reads back like any request (getResourcesList), with parents, dependencies and providers", () => {
        const request = buildAnalyzeStackRequest(resources(5), CTX);
        assert.ok(request instanceof AnalyzeStackRequest, "the gRPC serializer accepts only AnalyzeStackRequest");
        const second = request.getResourcesList()[1]!;
        assert.strictEqual(second.getUrn(), "urn:pulumi:dev::shop::aws:ecs/service:Service::svc-1");
        assert.deepStrictEqual(second.getDependenciesList(), ["urn:pulumi:dev::shop::aws:ecs/taskDefinition:TaskDefinition::svc-0"]);
        assert.deepStrictEqual(second.getPropertydependenciesMap().get("family")?.getUrnsList(), ["urn:x-1"]);
        assert.strictEqual(second.getPropertydependenciesMap().get("desiredCount"), undefined, "no entry without dependencies, as the CLI");
        assert.strictEqual(request.getResourcesList()[4]!.getProvider()?.getName(), "default");
    });
});
