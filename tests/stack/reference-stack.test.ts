import { strict as assert } from "assert";
import { parseStackConfig } from "../../components/reference-stack/config";
import type { OfflineRun } from "../../cli/offline/program-runner";
import { REPO_ROOT, runTs } from "../support/spawn-node";

function render(stack: string): OfflineRun {
    const result = runTs("tests/support/offline-run-json.ts", [REPO_ROOT, stack]);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout);
}

const count = (run: OfflineRun, type: string) => run.resources.filter(r => r.type === type).length;

describe("reference stack", () => {
    let dev: OfflineRun;
    before(() => { dev = render("dev"); });

    it("renders the dev stack: two healthy services behind one ALB in a VPC", () => {
        assert.equal(count(dev, "healthy-fargate:ecs:HealthyFargateService"), 2);
        assert.equal(count(dev, "aws:lb/loadBalancer:LoadBalancer"), 1);
        assert.equal(count(dev, "aws:lb/listener:Listener"), 1, "HTTP only without a certificate");
        assert.equal(count(dev, "aws:lb/listenerRule:ListenerRule"), 2);
        assert.equal(count(dev, "aws:ecs/service:Service"), 2);
        assert.equal(count(dev, "awsx:ec2:Vpc"), 1);
        assert.match(dev.notes.join("\n"), /awsx:ec2:Vpc.*children are not rendered/);
    });

    it("routes /mlflow before the API's catch-all and probes MLflow under /mlflow with its redirect code", () => {
        const rules = dev.resources.filter(r => r.type === "aws:lb/listenerRule:ListenerRule").map(r => r.inputs as any).sort((a, b) => a.priority - b.priority);
        assert.deepEqual(rules.map(r => r.conditions[0].pathPattern.values), [["/mlflow", "/mlflow/*"], ["/*"]]);
        const mlflow = dev.resources.find(r => r.type === "healthy-fargate:ecs:HealthyFargateService" && r.name === "mlflow")!.inputs as any;
        assert.equal(mlflow.healthContract.probe.livenessPath, "/mlflow/health");
        assert.equal(mlflow.healthContract.probe.matcher, "200,302");
        assert.equal(mlflow.healthContract.probe.tool, "python");
    });

    it("applies the dev stack's sizes and start-up budgets", () => {
        const tds = dev.resources.filter(r => r.type === "aws:ecs/taskDefinition:TaskDefinition").map(r => r.inputs as any);
        assert.deepEqual(tds.map(t => `${t.family}:${t.cpu}/${t.memory}`).sort(), ["api:512/1024", "mlflow:1024/2048"]);
        const api = dev.resources.find(r => r.type === "aws:ecs/service:Service" && (r.inputs as any).name === "api")!.inputs as any;
        assert.equal(api.healthCheckGracePeriodSeconds, 80);
        assert.equal(api.desiredCount, 2);
    });

    it("passes the MLflow URL through the ALB to the API", () => {
        const apiTd = dev.resources.find(r => r.type === "aws:ecs/taskDefinition:TaskDefinition" && (r.inputs as any).family === "api")!.inputs as any;
        const env = JSON.parse(apiTd.containerDefinitions)[0].environment;
        assert.match(env.find((e: any) => e.name === "MLFLOW_TRACKING_URI").value, /^http:\/\/platform-[0-9a-f]+-\d+\.us-east-1\.elb\.amazonaws\.com\/mlflow$/);
    });

    it("renders the prod stack with HTTPS, a redirect, 3 AZs and more tasks", () => {
        const prod = render("prod");
        assert.equal(count(prod, "aws:lb/listener:Listener"), 2);
        const api = prod.resources.find(r => r.type === "aws:ecs/service:Service" && (r.inputs as any).name === "api")!.inputs as any;
        assert.equal(api.desiredCount, 4);
        const apiTd = prod.resources.find(r => r.type === "aws:ecs/taskDefinition:TaskDefinition" && (r.inputs as any).family === "api")!.inputs as any;
        assert.deepEqual([apiTd.cpu, apiTd.memory], ["1024", "2048"]);
        assert.equal((prod.resources.find(r => r.type === "awsx:ec2:Vpc")!.inputs as any).numberOfAvailabilityZones, 3);
    });

    it("rejects a misspelt or mistyped stack setting with the key and no resources", () => {
        assert.throws(() => parseStackConfig({ api: { image: "x", desiredCont: 2 }, mlflow: { image: "y" } }), /`api.desiredCont` is not a known setting/);
        assert.throws(() => parseStackConfig({ api: { image: "x", desiredCount: "two" }, mlflow: { image: "y" } }), /`api.desiredCount`: .*number/);
        assert.throws(() => parseStackConfig({ api: { image: "x" } }), /`mlflow`/);
        assert.equal(parseStackConfig({ api: { image: "x" }, mlflow: { image: "y" } }).api.desiredCount, 2);
    });

    it("a missing stack file is a clear error", () => {
        const result = runTs("tests/support/offline-run-json.ts", [REPO_ROOT, "nosuchstack"]);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /No stack file Pulumi\.nosuchstack\.yaml .* Stacks here: dev, prod\. Pass --stack NAME\./);
    });
});
