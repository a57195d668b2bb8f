/**
 * The readers that tell the two worlds of an awsx component apart (policies/resources/awsx.ts) and
 * what awsx fills in from its args.
 */
import * as assert from "assert";
import type { PolicyResource } from "@pulumi/policy";
import {
    UNKNOWN,
    awsxDefaultTargetGroupArgs,
    awsxLogGroup,
    hasAwsxArgs,
    isJudgedInStack,
    readService,
    readTaskDefinition,
    resolveAwsxSource,
    TYPES,
} from "../../policies/resources";
import { U, appContainer, awsxServiceProps } from "./fixtures";

function resource(type: string, props: Record<string, unknown>, parent?: PolicyResource): PolicyResource {
    return {
        type,
        name: "web",
        urn: `urn:pulumi:dev::p::${type}::web`,
        props,
        parent,
        dependencies: [],
        propertyDependencies: {},
        opts: {} as never,
        isType: () => false,
        asType: () => undefined,
    } as PolicyResource;
}

describe("policies/resources/awsx (both worlds)", () => {
    it("tells the program's args from the empty registration of a real preview", () => {
        assert.strictEqual(hasAwsxArgs(TYPES.awsxFargateService, awsxServiceProps()), true);
        assert.strictEqual(hasAwsxArgs(TYPES.awsxFargateService, { taskDefinition: "arn:aws:ecs:eu-west-1:1:task-definition/x:1" }), true);
        assert.strictEqual(hasAwsxArgs(TYPES.awsxFargateService, {}), false);
        // A later SDK could register `{ name, args, opts }`: still no args awsx requires.
        assert.strictEqual(hasAwsxArgs(TYPES.awsxFargateService, { name: "web", args: {}, opts: {} }), false);
        assert.strictEqual(hasAwsxArgs(TYPES.awsxFargateTaskDefinition, { containers: { web: appContainer() } }), true);
        assert.strictEqual(hasAwsxArgs(TYPES.awsxFargateTaskDefinition, {}), false);
        assert.strictEqual(readService(TYPES.awsxFargateService, {}), undefined);
        assert.strictEqual(readTaskDefinition(TYPES.awsxFargateTaskDefinition, {}), undefined);
        assert.ok(readService(TYPES.awsxFargateService, awsxServiceProps()));
    });

    it("judges an awsx component in a stack only without children, and an ALB with all defaults offline", () => {
        const svc = resource(TYPES.awsxFargateService, awsxServiceProps());
        assert.strictEqual(isJudgedInStack(svc, [svc]), true);
        const child = resource(TYPES.service, {}, svc);
        assert.strictEqual(isJudgedInStack(svc, [svc, child]), false, "a real preview: the children are judged");
        assert.strictEqual(isJudgedInStack(resource(TYPES.awsxFargateService, {}), []), false, "empty inputs");
        const alb = resource(TYPES.awsxApplicationLoadBalancer, {});
        assert.strictEqual(isJudgedInStack(alb, [alb]), true);
        const tg = resource(TYPES.lbTargetGroup, {}, alb);
        assert.strictEqual(isJudgedInStack(alb, [alb, tg]), false);
        assert.strictEqual(resolveAwsxSource(alb, [alb, tg], [TYPES.lbTargetGroup]), tg);
        assert.strictEqual(resolveAwsxSource(alb, [alb], [TYPES.lbTargetGroup]), alb);
        assert.strictEqual(isJudgedInStack(tg, [alb, tg]), true);
    });

    it("gives the default target group awsx's listener port and protocol, and the args over them", () => {
        assert.deepStrictEqual(awsxDefaultTargetGroupArgs({}), { targetType: "ip", port: 80, protocol: "HTTP" });
        assert.deepStrictEqual(awsxDefaultTargetGroupArgs({ defaultTargetGroupPort: 8080 }), {
            targetType: "ip",
            port: 8080,
            protocol: "HTTP",
        });
        assert.deepStrictEqual(awsxDefaultTargetGroupArgs({ listener: { port: 443 } }), { targetType: "ip", port: 443, protocol: "HTTPS" });
        assert.deepStrictEqual(awsxDefaultTargetGroupArgs({ listener: { protocol: "HTTPS" } }), {
            targetType: "ip",
            port: 443,
            protocol: "HTTPS",
        });
        // awsx gives no default when `listeners` has exactly one entry; with two it takes the first.
        assert.deepStrictEqual(awsxDefaultTargetGroupArgs({ listeners: [{ port: 8443, protocol: "HTTPS" }] }), { targetType: "ip" });
        assert.deepStrictEqual(
            awsxDefaultTargetGroupArgs({
                listeners: [
                    { port: 81, protocol: "HTTP" },
                    { port: 443, protocol: "HTTPS" },
                ],
            }),
            { targetType: "ip", port: 81, protocol: "HTTP" },
        );
        const given = awsxDefaultTargetGroupArgs({
            defaultTargetGroup: { port: 8080, healthCheck: { path: "/health/live" }, deregistrationDelay: 15 },
        });
        assert.deepStrictEqual(given, {
            targetType: "ip",
            port: 8080,
            protocol: "HTTP",
            healthCheck: { path: "/health/live" },
            deregistrationDelay: 15,
        });
        assert.strictEqual(awsxDefaultTargetGroupArgs({ defaultTargetGroup: U }), UNKNOWN);
        assert.strictEqual(awsxDefaultTargetGroupArgs({ listeners: U }), UNKNOWN);
    });

    it("knows when awsx creates a log group, and with which retention", () => {
        assert.deepStrictEqual(awsxLogGroup({}, ""), { created: true, retentionInDays: undefined, path: "logGroup.args.retentionInDays" });
        assert.deepStrictEqual(awsxLogGroup({ logGroup: { args: { retentionInDays: 7 } } }, "taskDefinitionArgs."), {
            created: true,
            retentionInDays: 7,
            path: "taskDefinitionArgs.logGroup.args.retentionInDays",
        });
        assert.deepStrictEqual(awsxLogGroup({ logGroup: { skip: true } }, ""), { created: false });
        assert.deepStrictEqual(awsxLogGroup({ logGroup: { existing: { name: "/ecs/x" } } }, ""), { created: false });
        assert.strictEqual(awsxLogGroup({ logGroup: U }, ""), UNKNOWN);
    });
});
