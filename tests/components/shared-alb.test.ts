/**
 * `SharedAlb` under the recording mocks: what it registers without and with a certificate. Every
 * listener has exactly one default action (blue/green needs single-action rules, docs/blue-green.md)
 * and a request no service rule matches gets a 404, never some service.
 */
import { strict as assert } from "assert";
import { SharedAlb } from "../../components";
import { withMocks } from "../support/pulumi-mocks";

const ARGS = { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"] };
/** A captured resource's inputs, for reading nested fields (plain JSON). */
const props = (resource: { inputs: Record<string, unknown> }) => resource.inputs as Record<string, any>;
const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f7b4a3c-1111-2222-3333-444455556666";

describe("SharedAlb", () => {
    it("without a certificate: one HTTP listener on 80 answering 404, a security group opening 80 only", async () => {
        const run = await withMocks();
        const alb = new SharedAlb("edge", ARGS);
        const resources = await run.settle();
        const children = resources.filter((r) => r.parent?.endsWith("SharedAlb::edge"));
        const listeners = children.filter((r) => r.type === "aws:lb/listener:Listener");
        assert.deepEqual(
            listeners.map((l) => [l.name, props(l).port, props(l).protocol]),
            [["edge-http", 80, "HTTP"]],
        );
        assert.deepEqual(
            props(listeners[0]).defaultActions.map((a: any) => [a.type, a.fixedResponse?.statusCode]),
            [["fixed-response", "404"]],
        );
        const sg = children.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")!;
        assert.deepEqual(
            props(sg).ingress.map((rule: any) => rule.fromPort),
            [80],
        );
        assert.equal(alb.protocol, "http");
    });

    it("with a certificate: HTTPS on 443 answering 404, HTTP on 80 only redirecting, 80 and 443 open", async () => {
        const run = await withMocks();
        const alb = new SharedAlb("edge", { ...ARGS, certificateArn: CERTIFICATE });
        const resources = await run.settle();
        const children = resources.filter((r) => r.parent?.endsWith("SharedAlb::edge"));
        const listeners = new Map(children.filter((r) => r.type === "aws:lb/listener:Listener").map((l) => [l.name, props(l)]));
        assert.deepEqual([...listeners.keys()].sort(), ["edge-https", "edge-redirect"]);
        const https = listeners.get("edge-https")!;
        assert.equal(https.certificateArn, CERTIFICATE);
        assert.match(https.sslPolicy, /TLS13/);
        assert.deepEqual(
            https.defaultActions.map((a: any) => a.type),
            ["fixed-response"],
        );
        assert.deepEqual(
            listeners.get("edge-redirect")!.defaultActions.map((a: any) => [a.type, a.redirect?.protocol]),
            [["redirect", "HTTPS"]],
        );
        const sg = children.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")!;
        assert.deepEqual(
            props(sg).ingress.map((rule: any) => rule.fromPort),
            [80, 443],
        );
        assert.equal(alb.protocol, "https");
    });
});
