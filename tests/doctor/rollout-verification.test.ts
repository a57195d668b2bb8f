/**
 * `RolloutVerification`'s dynamic provider, run the way Pulumi runs it: serialized with
 * `pulumi.runtime.serializeFunction`, loaded from a string with `require-from-string` (a devDependency,
 * the module @pulumi/pulumi's `cmd/dynamic-provider` loads providers with) in a
 * plain Node process (no ts-node, no module-level imports of the component), then `create`
 * called against the loopback AWS. This is what proves the imports-inside-methods rule holds.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { RolloutVerificationProvider } from "../../components/rollout-verification";
import { fakeAwsEnv, runNode, startFakeAws, type FakeAws } from "./fake-aws";
import { startAppServer, type AppServer } from "./smoke-server";
import { CLUSTER, healthyStory, HEALTHY_DEPLOYMENT, rollbackStory, SERVICE, td } from "./stories";
import { storyApi } from "./story-api";

const ROOT = path.resolve(__dirname, "../..");

/** What the Pulumi dynamic-provider host does with the serialized provider, then `create`. */
const HOST = `
const requireFromString = require("require-from-string");
const provider = requireFromString(require("fs").readFileSync(process.argv[1], "utf8")).handler();
provider.create(JSON.parse(process.argv[2])).then(
    (r) => { process.stdout.write(JSON.stringify(r)); },
    (e) => { process.stderr.write(e.message); process.exitCode = 3; },
);`;

/** Plain node (no ts-node) in this repository, whose node_modules links the compiled workspace packages. */
function host(file: string, inputs: object, env: NodeJS.ProcessEnv) {
    return runNode(["-e", HOST, file, JSON.stringify(inputs)], { cwd: ROOT, env });
}

describe("RolloutVerification provider (serialized like Pulumi does)", () => {
    let fake: FakeAws | undefined;
    let dir: string;
    let file: string;

    before(async () => {
        const provider = new RolloutVerificationProvider();
        const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-verification-"));
        file = path.join(dir, "provider.js");
        fs.writeFileSync(file, serialized.text);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    let app: AppServer | undefined;
    afterEach(async () => {
        await fake?.close();
        await app?.close();
        fake = undefined;
        app = undefined;
    });

    it("the serialized code carries no import of the component's modules", () => {
        const text = fs.readFileSync(file, "utf8");
        assert.ok(!/require\(["']@pulumi\/pulumi["']\)/.test(text), "the provider must not capture @pulumi/pulumi");
        assert.ok(text.includes('"@healthy-fargate/doctor"'), "the verifier is required by package name, from the program's node_modules");
        assert.ok(!text.includes(path.join(ROOT, "cli")), "no path into the source checkout");
    });

    it("create succeeds when the PRIMARY deployment runs the expected task definition and completed", async () => {
        fake = await startFakeAws(storyApi(healthyStory(new Date())));
        const inputs = { cluster: CLUSTER, serviceName: SERVICE, taskDefinitionArn: td(7), timeout: "1m", pollInterval: "1s" };
        const out = await host(file, inputs, fakeAwsEnv(fake));
        assert.equal(out.code, 0, out.stderr);
        const result = JSON.parse(out.stdout);
        assert.equal(result.id, `${CLUSTER}/${SERVICE}`);
        assert.equal(result.outs.deploymentId, HEALTHY_DEPLOYMENT);
    });

    it("create fails with the diagnosis when ECS rolled the task definition back", async () => {
        fake = await startFakeAws(storyApi(rollbackStory(new Date())));
        const inputs = { cluster: CLUSTER, serviceName: SERVICE, taskDefinitionArn: td(7), timeout: "1m", pollInterval: "1s" };
        const out = await host(file, inputs, fakeAwsEnv(fake));
        assert.equal(out.code, 3);
        assert.match(out.stderr, /^web: deployment ecs-svc\/4470237516214734908 \(web:7\) ROLLED BACK: /);
        assert.match(out.stderr, /container-health-check-failed/);
        assert.match(out.stderr, /probe-tool-present-in-image/);
    });

    it("smoke step: the rollout completed but a path fails through the load balancer, so create fails with the smoke report", async () => {
        fake = await startFakeAws(storyApi(healthyStory(new Date())));
        app = await startAppServer();
        const smoke = { url: app.url, paths: ["/health/live", "/health/ready"], matcher: "200-399", requests: 2, timeout: "2s" };
        const inputs = { cluster: CLUSTER, serviceName: SERVICE, taskDefinitionArn: td(7), timeout: "1m", pollInterval: "1s", smoke };
        const out = await host(file, inputs, fakeAwsEnv(fake));
        assert.equal(out.code, 3, out.stderr);
        assert.match(
            out.stderr,
            /^web: the deployment completed, but the smoke test through the load balancer failed:\nsmoke http:\/\/127\.0\.0\.1:\d+ \(matcher 200-399, 2 requests per path\): FAILED/,
        );
        assert.match(out.stderr, /\nFAIL {2}\/health\/ready {2}0\/2 {2}status 503 ×2/);

        const passing = await host(file, { ...inputs, smoke: { ...smoke, paths: ["/health/live"] } }, fakeAwsEnv(fake));
        assert.equal(passing.code, 0, passing.stderr);
        assert.equal(app.requests.filter((r) => r.path === "/health/live").length, 4);
    });

    it("diff: a new task definition is an update; the same one is no change", async () => {
        const provider = new RolloutVerificationProvider();
        const olds = { cluster: CLUSTER, serviceName: SERVICE, taskDefinitionArn: td(6) };
        assert.deepEqual(await provider.diff("id", olds, { ...olds, taskDefinitionArn: td(7) }), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.equal((await provider.diff("id", olds, { ...olds, timeout: "30m" })).changes, false);
        // Turning the smoke step on is not a new rollout: it runs at the next one.
        assert.equal((await provider.diff("id", olds, { ...olds, smoke: { paths: ["/health/live"] } })).changes, false);
        assert.deepEqual((await provider.diff("id", olds, { ...olds, serviceName: "api" })).replaces, ["serviceName"]);
    });
});
