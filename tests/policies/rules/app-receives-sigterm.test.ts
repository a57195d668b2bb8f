import * as assert from "assert";
import { appReceivesSigterm as policy } from "../../../policies/rules/app-receives-sigterm";
import { TYPES } from "../../../policies/resources";
import { type StackResourceInput, runStack, undecided, violations } from "../harness";
import { type Json, U, appContainer, awsxServiceProps, set, taskDefinitionProps } from "../fixtures";

const SLIM = "public.ecr.aws/docker/library/python:3.12-slim";
const ALPINE = "public.ecr.aws/docker/library/python:3.12-alpine";
const IMAGE_URI = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:0123";

function stack(container: Json, extra: StackResourceInput[] = []): StackResourceInput[] {
    return [
        {
            key: "td",
            type: TYPES.taskDefinition,
            name: "api-task",
            props: taskDefinitionProps([container]),
            propertyDependencies: { containerDefinitions: extra.map((e) => e.key) },
        },
        ...extra,
    ];
}

/** A docker-build image with an inline Dockerfile, referenced by its outputs. */
function build(dockerfile: string): StackResourceInput {
    return {
        key: "img",
        type: TYPES.dockerBuildImage,
        name: "api-image",
        props: { dockerfile: { inline: dockerfile }, context: { location: "." }, ref: IMAGE_URI },
    };
}

const withImage = (image: string, extra: Json = {}) => ({ ...set(appContainer(), "image", image), ...extra });

describe("app-receives-sigterm", () => {
    it("passes exec-form commands, `exec` in the script, an init process, and BusyBox's exec of the last command", () => {
        assert.deepStrictEqual(runStack(policy, stack(withImage(SLIM, { command: ["python", "-m", "app"] }))), []);
        assert.deepStrictEqual(
            runStack(policy, stack(withImage(SLIM, { command: ["sh", "-c", "python -m migrate && exec python -m app"] }))),
            [],
        );
        assert.deepStrictEqual(
            runStack(
                policy,
                stack(withImage(SLIM, { command: ["sh", "-c", "python -m app"], linuxParameters: { initProcessEnabled: true } })),
            ),
            [],
        );
        assert.deepStrictEqual(
            runStack(policy, stack(withImage(ALPINE, { command: ["sh", "-c", "python -m migrate && python -m app"] }))),
            [],
        );
    });

    it("rejects `sh -c` on a Debian-based image, where dash stays PID 1", () => {
        const [v, ...rest] = runStack(policy, stack(withImage(SLIM, { command: ["sh", "-c", "python -m app"] })));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.match(
            v.message,
            /'api-task' \(aws:ecs\/taskDefinition:TaskDefinition\) `containerDefinitions\[app\]\.command`: found container 'app' runs \["sh", "-c", "python -m app"\] as PID 1 \(from `command`\)\. PID 1 is `sh` and dash \(Debian\/Ubuntu \/bin\/sh\) runs every command of a `-c` script as its child/,
        );
        assert.match(v.message, /SIGKILL after `stopTimeout`.*Fix: Start the script's last command with `exec`.*initProcessEnabled: true/);
    });

    it("rejects a pipeline or a command after the app in every shell", () => {
        const [v] = runStack(policy, stack(withImage(ALPINE, { command: ["sh", "-c", "python -m app | tee /tmp/app.log"] })));
        assert.match(v.message, /its last command is a pipeline, so the shell stays PID 1 in every shell/);
        const [w] = runStack(policy, stack(withImage("myorg/api:1.4", { entryPoint: ["/bin/bash", "-c", "python -m app &\nwait"] })));
        assert.match(
            w.message,
            /`containerDefinitions\[app\]\.entryPoint`: found .*\["\/bin\/bash", "-c", "python -m app &\\nwait"\].*it runs the app in the background/,
        );
    });

    it("judges the CMD and ENTRYPOINT of a Dockerfile the program builds", () => {
        const shellCmd = build("FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCMD node server.js\n");
        const [v] = runStack(policy, stack(withImage(IMAGE_URI), [shellCmd]));
        assert.match(
            v.message,
            /`containerDefinitions\[app\]\.image`: found container 'app' runs \["\/bin\/sh", "-c", "node server\.js"\] as PID 1 \(from the inline Dockerfile of image build 'api-image' \(based on node:22-slim\)\).*Fix: Use the exec form in the Dockerfile/,
        );
        assert.deepStrictEqual(
            runStack(policy, stack(withImage(IMAGE_URI), [build('FROM node:22-slim\nCMD ["node", "server.js"]\n')])),
            [],
        );
        assert.deepStrictEqual(
            runStack(policy, stack(withImage(IMAGE_URI), [build('FROM node:22-slim\nENTRYPOINT ["tini", "--"]\nCMD node server.js\n')])),
            [],
        );
        // The task's `command` replaces the image's CMD.
        assert.deepStrictEqual(runStack(policy, stack(withImage(IMAGE_URI, { command: ["node", "server.js"] }), [shellCmd])), []);
        // Unknown image URI in a preview: the build that feeds the containers is followed.
        const [u] = runStack(
            policy,
            stack(withImage(U), [shellCmd]).map((r) =>
                r.key === "td"
                    ? { ...r, props: taskDefinitionProps([withImage("x")], { containerDefinitions: JSON.stringify([withImage(U)]) }) }
                    : r,
            ),
        );
        assert.match(u.message, /from the inline Dockerfile of image build 'api-image'/);
    });

    it("judges awsx args offline, and the awsx child task definition (not the empty component) in a real preview", () => {
        const container = withImage(SLIM, { command: ["sh", "-c", "python -m app"] });
        const [offline] = runStack(policy, [
            { key: "svc", type: TYPES.awsxFargateService, name: "web", props: awsxServiceProps(container) },
        ]);
        assert.match(offline.message, /'web' \(awsx:ecs:FargateService\) `taskDefinitionArgs\.container\.command`/);
        const preview = runStack(policy, [
            { key: "svc", type: TYPES.awsxFargateService, name: "web", props: {} },
            { key: "tdx", type: TYPES.awsxFargateTaskDefinition, name: "web", props: {}, parent: "svc" },
            { key: "td", type: TYPES.taskDefinition, name: "web", props: taskDefinitionProps([container]), parent: "tdx" },
        ]);
        assert.strictEqual(preview.length, 1);
        assert.match(preview[0].message, /'web' \(aws:ecs\/taskDefinition:TaskDefinition\) `containerDefinitions\[app\]\.command`/);
    });

    it("says nothing about images it cannot see into, and is undecided where a shell meets an unknown", () => {
        assert.deepStrictEqual(runStack(policy, stack(withImage("myorg/api:1.4"))), [], "no command, unknown image: nothing to judge");
        let ds = runStack(policy, stack(withImage("myorg/api:1.4", { command: ["sh", "-c", "python -m app"] })));
        assert.strictEqual(violations(ds).length, 0);
        assert.match(
            undecided(ds)[0].message,
            /`containerDefinitions\[app\]\.command`: cannot verify: the ENTRYPOINT of image "myorg\/api:1\.4" is not known/,
        );
        ds = runStack(policy, stack(withImage(SLIM, { command: U })));
        assert.match(undecided(ds)[0].message, /`containerDefinitions\[app\]\.command`: cannot verify/);
        ds = runStack(policy, [
            { key: "td", type: TYPES.taskDefinition, name: "api-task", props: taskDefinitionProps([], { containerDefinitions: U }) },
        ]);
        assert.match(undecided(ds)[0].message, /`containerDefinitions`: cannot verify: the containers/);
    });
});
