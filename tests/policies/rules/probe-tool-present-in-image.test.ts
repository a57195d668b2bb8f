import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { probeCommand } from "../../../policies/domain";
import { probeToolPresentInImage as policy } from "../../../policies/rules/probe-tool-present-in-image";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith } from "../awsx-worlds";
import { type StackResourceInput, runStack, undecided, violations, assertFinding } from "../harness";
import { type Json, U, appContainer, componentPreviewStack, contract, set, taskDefinitionProps } from "../fixtures";

const CURL = probeCommand("curl", { port: 8080, path: "/health/live", timeoutSeconds: 4 });
const PYTHON = probeCommand("python", { port: 8080, path: "/health/live", timeoutSeconds: 4 });
const IMAGE_URI =
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

let programDir: string;
const config = () => ({ programDirectory: programDir });

function container(image: unknown, command: unknown = CURL): Json {
    return set(set(appContainer(), "image", image), "healthCheck.command", command);
}

function stack(image: unknown, command: unknown = CURL, build?: Json, buildType: string = TYPES.awsxEcrImage): StackResourceInput[] {
    const out: StackResourceInput[] = [
        {
            key: "td",
            type: TYPES.taskDefinition,
            name: "api-task",
            props: taskDefinitionProps([container(image, command)]),
            propertyDependencies: { containerDefinitions: build ? ["img"] : [] },
        },
    ];
    if (build) out.push({ key: "img", type: buildType, name: "api-image", props: build });
    return out;
}

describe("probe-tool-present-in-image", () => {
    before(() => {
        programDir = fs.mkdtempSync(path.join(os.tmpdir(), "probe-tool-"));
        fs.mkdirSync(path.join(programDir, "app"));
        fs.writeFileSync(
            path.join(programDir, "app", "Dockerfile"),
            "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n",
        );
        fs.writeFileSync(path.join(programDir, "app", "Dockerfile.slim"), "FROM python:3.12-slim\nCOPY . /app\n");
    });
    after(() => fs.rmSync(programDir, { recursive: true, force: true }));

    it("passes a probe tool the public base image ships", () => {
        assert.deepStrictEqual(runStack(policy, stack("python:3.12-slim", PYTHON), { config: config() }), []);
        assert.deepStrictEqual(runStack(policy, stack("nginx:1.27", CURL), { config: config() }), []);
    });

    it("rejects curl in python:*-slim and suggests the tool the image has", () => {
        const [v, ...rest] = runStack(policy, stack("public.ecr.aws/docker/library/python:3.12-slim"), { config: config() });
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assertFinding(v, {
            resource: "api-task",
            type: "aws:ecs/taskDefinition:TaskDefinition",
            path: "containerDefinitions[app].healthCheck.command",
            undecided: false,
        });
        assert.match(
            v.message,
            /found Container 'app' runs `curl`, which image "public\.ecr\.aws\/docker\/library\/python:3\.12-slim" lacks \(python:\*-slim \(Debian slim\) does not ship curl\)/,
        );
        assert.match(v.message, /Fix: Probe with `python3`, which the image has\./);
    });

    it("rejects CMD-SHELL in a distroless image and node by name in distroless nodejs", () => {
        const [v] = runStack(policy, stack("gcr.io/distroless/python3-debian12", ["CMD-SHELL", "python3 -c 'print(1)'"]), {
            config: config(),
        });
        assert.match(v.message, /runs `\/bin\/sh` \(CMD-SHELL runs the command through it\)/);
        const [w] = runStack(
            policy,
            stack("gcr.io/distroless/nodejs22-debian12", probeCommand("node", { port: 8080, path: "/health/live", timeoutSeconds: 4 })),
            { config: config() },
        );
        assert.match(w.message, /runs `node`.*Fix: Call it by its path `\/nodejs\/bin\/node`/);
    });

    it("decides from the Dockerfile of an awsx:ecr:Image linked by imageUri", () => {
        const build = { context: "./app", imageUri: IMAGE_URI, repositoryUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api" };
        assert.deepStrictEqual(
            runStack(policy, stack(IMAGE_URI, CURL, build), { config: config() }),
            [],
            "curl installed by the Dockerfile",
        );
        const [v] = runStack(policy, stack(IMAGE_URI, CURL, { ...build, dockerfile: "app/Dockerfile.slim" }), { config: config() });
        assert.match(
            v.message,
            /runs `curl`, which the Dockerfile of image build 'api-image' \(final image based on python:3\.12-slim\) lacks/,
        );
    });

    it("reads docker-build inline Dockerfiles and docker build contexts, linked by propertyDependencies when the image is unknown", () => {
        const inline = { context: { location: "./app" }, dockerfile: { inline: "FROM node:22-slim\n" }, ref: U };
        const [v] = runStack(policy, stack(U, CURL, inline, TYPES.dockerBuildImage), { config: config() });
        assert.match(v.message, /the inline Dockerfile of image build 'api-image' \(final image based on node:22-slim\) lacks/);
        const docker = { build: { context: "./app" }, imageName: "api:latest" };
        assert.deepStrictEqual(runStack(policy, stack("api:latest", CURL, docker, TYPES.dockerImage), { config: config() }), []);
    });

    it("judges HealthyFargateService's probe.tool against its container's image", () => {
        const s = componentPreviewStack(contract({ tool: "curl" }));
        s[1].props = taskDefinitionProps([container("python:3.12-slim")]);
        const [v] = runStack(policy, s, { config: config() });
        assertFinding(v, {
            resource: "api",
            type: "healthy-fargate:ecs:HealthyFargateService",
            path: "healthContract.probe.tool",
            undecided: false,
        });
        assert.match(v.message, /found The component's probe \(`probe\.tool: "curl"`\) runs `curl`.*Fix: Set `probe\.tool: "python"`/);
        const ok = componentPreviewStack(contract({ tool: "python" }));
        ok[1].props = taskDefinitionProps([container("python:3.12-slim", PYTHON)]);
        assert.deepStrictEqual(runStack(policy, ok, { config: config() }), []);
    });

    it("reports undecided (advisory) for unknown images, unreadable Dockerfiles and other build targets", () => {
        let ds = runStack(policy, stack("registry.example.com/team/api:1.4"), { config: config() });
        assert.strictEqual(violations(ds).length, 0);
        assert.strictEqual(ds[0].enforcementLevel, "advisory");
        assert.match(
            ds[0].message,
            /^\[undecided\] 'api-task'.*cannot verify: image "registry\.example\.com\/team\/api:1\.4" is neither built by this program nor in the table of known base images/,
        );
        ds = runStack(policy, stack(IMAGE_URI, CURL, { context: "./missing", imageUri: IMAGE_URI }), { config: config() });
        assert.match(undecided(ds)[0].message, /the Dockerfile of image build 'api-image' cannot be read .*`programDirectory`/);
        ds = runStack(policy, stack(IMAGE_URI, CURL, { context: "./app", imageUri: IMAGE_URI, target: "builder" }), { config: config() });
        assert.match(undecided(ds)[0].message, /builds stage `builder`/);
        ds = runStack(policy, stack("node:22", PYTHON), { config: config() });
        assert.match(undecided(ds)[0].message, /whether image "node:22" contains python3/);
        ds = runStack(policy, componentPreviewStack(), { config: config() });
        assert.match(
            undecided(ds)[0].message,
            /'api' .*`healthContract\.probe\.tool`: cannot verify: the image is not known yet and no image build\(s\)/,
        );
    });

    it("judges an awsx container's image and probe offline (args) and in a real preview (the task definition awsx creates) alike", () => {
        const program = awsxProgramWith("taskDefinitionArgs.container.image", "public.ecr.aws/docker/library/python:3.12-slim");
        assertBothWorlds(policy, program, ["probe-tool-present-in-image mandatory decided awsx:ecs:FargateService::web"], {
            config: config(),
        });
        program.services[0].args.taskDefinitionArgs.container.healthCheck.command = PYTHON;
        assertBothWorlds(policy, program, [], { config: config() });
    });
});
