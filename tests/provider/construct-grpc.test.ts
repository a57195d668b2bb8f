/**
 * `Construct` over gRPC, as the engine calls it when a Python (Go, C#, YAML) program registers
 * `healthy-fargate:index:HealthyFargateService`: the plugin started as the CLI starts it, a mock
 * resource monitor that records what the plugin registers (tests/support/provider-plugin.ts), and
 * then the real policy pack, started as `pulumi preview --policy-pack` starts it, judging those
 * registrations — in a real preview they are all the analyzer sees of a remote component.
 */
import { strict as assert } from "assert";
import * as path from "path";
import { type PolicyDiagnostic, type PolicyPackHost, startPolicyPack } from "../../cli/analyzer";
import { HEALTHY_FARGATE_SERVICE_TYPE } from "../../components";
import { isUndecidedMessage } from "../../policies/kit";
import { PORTABLE_SERVICE_TYPE } from "../../provider/healthy-fargate-service";
import {
    type ConstructCall,
    type ProviderPlugin,
    type Registration,
    construct,
    outputValue,
    providerPlugin,
    startMonitor,
} from "../support/provider-plugin";
import { REPO_ROOT } from "../support/spawn-node";

const PROJECT = "healthy-fargate";
const STACK = "python-dev";
const STACK_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`;
const LISTENER_URN = `urn:pulumi:${STACK}::${PROJECT}::aws:lb/listener:Listener::web`;
const LISTENER_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";

/** What a Python program's `HealthyFargateService("api", …)` sends, as the engine forwards it. */
function call(inputs: Record<string, unknown> = {}): ConstructCall {
    return {
        type: PORTABLE_SERVICE_TYPE,
        name: "api",
        project: PROJECT,
        stack: STACK,
        config: { "aws:region": "eu-west-1" },
        inputs: {
            cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/platform",
            vpcId: "vpc-0123456789abcdef0",
            subnetIds: ["subnet-a", "subnet-b"],
            listener: { listenerArn: outputValue(LISTENER_ARN, { dependencies: [LISTENER_URN] }), securityGroupId: "sg-alb" },
            routing: { priority: 20, pathPatterns: ["/api/*"] },
            image: "public.ecr.aws/docker/library/python:3.12-slim",
            secrets: { SESSION_SECRET: { kind: "value", ref: outputValue("s3cr3t", { secret: true }) } },
            ...inputs,
        },
        inputDependencies: { listener: [LISTENER_URN] },
    };
}

async function constructed(plugin: ProviderPlugin, c: ConstructCall) {
    const monitor = await startMonitor(PROJECT, STACK);
    try {
        return { ...(await construct(plugin.client, monitor.address, c)), registrations: [...monitor.registrations] };
    } finally {
        await monitor.close();
    }
}

/**
 * The policy pack's findings on these registrations, as the engine asks for them: Analyze with each
 * resource's inputs, AnalyzeStack with its state (inputs and outputs).
 */
async function findings(pack: PolicyPackHost, registrations: Registration[]): Promise<PolicyDiagnostic[]> {
    const each = await Promise.all(
        registrations.map((r) =>
            pack.analyze({
                type: r.type,
                name: r.name,
                urn: r.urn,
                properties: r.inputs,
                options: { parent: r.parent },
            }),
        ),
    );
    const stack = await pack.analyzeStack(
        registrations.map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            properties: { ...r.inputs, ...r.outputs },
            parent: r.parent,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            options: { parent: r.parent },
        })),
    );
    return [...each.flat(), ...stack];
}

describe("Construct over gRPC (a remote HealthyFargateService, as a Python program gets it)", function () {
    this.timeout(15 * 60_000);
    let plugin: ProviderPlugin;
    let good: Awaited<ReturnType<typeof constructed>>;

    before(async () => {
        plugin = await providerPlugin();
        await plugin.schema(); // as the CLI does before it constructs
        good = await constructed(plugin, call());
    });

    it("answers with the component's URN and outputs, physical names from the request's project and stack", () => {
        assert.equal(good.error, undefined, good.error?.message);
        assert.equal(good.response!.getUrn(), `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack$${PORTABLE_SERVICE_TYPE}::api`);
        const state = good.response!.getState()!.toJavaScript() as Record<string, any>;
        assert.equal(state.serviceName, "healthy-fargate-python-dev-api");
        assert.equal(state.logGroupName, "/ecs/healthy-fargate/python-dev/api");
        const contract = JSON.parse(state.healthContractJson);
        assert.equal(contract.probe.tool, "python", "chosen from the image: python:*-slim has no curl");
        assert.equal(state.url, undefined, "no listener.dnsName, no url");
    });

    it("registers the component under the program's stack, the TypeScript component under it, every AWS resource under that", () => {
        const [outer, inner] = good.registrations;
        assert.deepEqual([outer.type, outer.parent, outer.inputs], [PORTABLE_SERVICE_TYPE, STACK_URN, {}]);
        assert.deepEqual([inner.type, inner.parent], [HEALTHY_FARGATE_SERVICE_TYPE, outer.urn]);
        assert.equal(inner.inputs.healthContract.probe.livenessPath, "/health/live", "the contract the pack reads");
        const custom = good.registrations.filter((r) => r.custom);
        assert.ok(custom.length >= 15 && custom.every((r) => r.parent === inner.urn));
        assert.ok(!good.registrations.some((r) => r.type.includes("RolloutVerification")), "verifyRollout is off unless asked for");
    });

    it("keeps the program's secret a secret and its dependencies dependencies", () => {
        const version = good.registrations.find((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion")!;
        assert.deepEqual(version.inputs.secretString, {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            value: "s3cr3t",
        });
        const rule = good.registrations.find((r) => r.type === "aws:lb/listenerRule:ListenerRule")!;
        assert.equal(rule.inputs.listenerArn, LISTENER_ARN);
        assert.deepEqual(rule.propertyDependencies.listenerArn, [LISTENER_URN]);
    });

    it("fails before registering anything, naming the portable fields", async () => {
        const bad = await constructed(
            plugin,
            call({
                probe: { tool: "curl" },
                secrets: { DB: { kind: "secretManager", ref: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" } },
            }),
        );
        assert.ok(bad.error, "Construct must fail");
        assert.match(
            bad.error.details,
            /Invalid arguments for HealthyFargateService:\n {2}- api: `secrets\.DB\.kind` must be one of "secretsManager", "ssmParameter", "value", got "secretManager"\. Did you mean "secretsManager"\?/,
        );
        assert.match(
            bad.error.details,
            /- api: `probe\.tool` "curl": image "public\.ecr\.aws\/docker\/library\/python:3\.12-slim" cannot run `curl`/,
        );
        assert.deepEqual(bad.registrations, []);
    });

    it("refuses verifyRollout from a program directory without Node modules (where Pulumi would run the verification)", async () => {
        const refused = await constructed(plugin, call({ verifyRollout: true }));
        assert.ok(refused.error);
        const dir = plugin.programDir.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
        assert.match(refused.error.details, new RegExp(`\`verifyRollout\` is true, but .* from the program's directory \\(${dir}\\)`));
        assert.deepEqual(refused.registrations, []);
    });

    describe("the policy pack on what the provider registered", () => {
        let pack: PolicyPackHost;
        before(async () => {
            pack = await startPolicyPack({
                packDir: path.join(REPO_ROOT, "policies"),
                stack: { project: PROJECT, stack: STACK, dryRun: true },
                timeoutMs: 8 * 60_000,
            });
        });
        after(async () => pack?.close());

        it("finds nothing wrong with a healthy service; what it cannot read from the request is undecided", async () => {
            const all = await findings(pack, good.registrations);
            assert.deepEqual(
                all.filter((d) => !isUndecidedMessage(d.message)),
                [],
            );
            // The program passes subnets, security groups and the listener in by id: no registration of
            // this stack describes them, so the reachability policies cannot decide (and say so).
            const undecided = [...new Set(all.filter((d) => isUndecidedMessage(d.message)).map((d) => d.policyName))].sort();
            assert.deepEqual(undecided, ["tasks-reach-aws-apis", "tasks-reach-their-data-stores"]);
        });

        it("judges the inner component's contract and the AWS children: a 300 s drain is reported on both", async () => {
            const slow = await constructed(plugin, call({ drain: { longestRequestSeconds: 300 } }));
            assert.equal(slow.error, undefined, slow.error?.message);
            const typeOf = (urn?: string) => urn?.split("$").pop()?.split("::")[0];
            const reported = (await findings(pack, slow.registrations))
                .filter((d) => !isUndecidedMessage(d.message))
                .map((d) => `${d.policyName} ${d.enforcementLevel} ${d.urn?.split("::").pop()} ${typeOf(d.urn)}`);
            assert.deepEqual(reported.sort(), [
                `graceful-shutdown-aligned advisory api ${HEALTHY_FARGATE_SERVICE_TYPE}`,
                "graceful-shutdown-aligned advisory api-tg aws:lb/targetGroup:TargetGroup",
            ]);
        });
    });
});
