import * as assert from "assert";
import {
    analyzeDockerfile,
    judgeShellScript,
    judgeSigterm,
    shellOfImageFamily,
    toolsInImage,
    topLevelCommands,
} from "../../policies/domain";

const dash = shellOfImageFamily("python-slim");
const busybox = shellOfImageFamily("node-alpine");

describe("signals: who receives SIGTERM", () => {
    it("maps image families to their /bin/sh", () => {
        assert.strictEqual(shellOfImageFamily(toolsInImage("python:3.12-slim").family).flavour, "dash");
        assert.strictEqual(shellOfImageFamily(toolsInImage("node:22-alpine").family).flavour, "busybox");
        assert.strictEqual(shellOfImageFamily(toolsInImage("registry.access.redhat.com/ubi9/ubi:9.4").family).flavour, "bash");
        assert.strictEqual(shellOfImageFamily(toolsInImage("gcr.io/distroless/nodejs22-debian12").family).flavour, "none");
        assert.strictEqual(shellOfImageFamily(toolsInImage("myorg/app:1").family).flavour, "unknown");
    });

    it("splits scripts into top-level commands outside quotes", () => {
        assert.deepStrictEqual(topLevelCommands("a && b; c\nd || e"), ["a", "b", "c", "d", "e"]);
        assert.deepStrictEqual(topLevelCommands("echo 'a; b' && exec app --flag=\"x && y\""), ["echo 'a; b'", 'exec app --flag="x && y"']);
    });

    it("judges a -c script by the shell that runs it (measured: dash keeps PID 1, bash and BusyBox exec the last simple command)", () => {
        assert.strictEqual(judgeShellScript("node server.js", dash).keepsPid1, true);
        assert.strictEqual(judgeShellScript("node server.js", busybox).keepsPid1, false);
        assert.strictEqual(judgeShellScript("migrate && node server.js", { flavour: "bash", describe: "bash" }).keepsPid1, false);
        assert.strictEqual(judgeShellScript("node server.js | tee log", busybox).keepsPid1, true);
        assert.strictEqual(judgeShellScript("node server.js &", busybox).keepsPid1, true);
        assert.strictEqual(judgeShellScript("exec node server.js", dash).keepsPid1, false);
        assert.strictEqual(judgeShellScript("trap 'kill -TERM $P' TERM; node server.js & P=$!; wait $P", dash).keepsPid1, false);
        assert.strictEqual(judgeShellScript("node server.js", { flavour: "unknown", describe: "?" }).keepsPid1, "unknown");
    });

    it("follows Docker's ENTRYPOINT/CMD rules and ECS's overrides", () => {
        const image = {
            entrypoint: undefined,
            cmd: { form: "shell" as const, text: "node server.js", shell: ["/bin/sh", "-c"] },
            sh: dash,
            describe: "img",
        };
        assert.strictEqual(judgeSigterm({ initProcessEnabled: false, image }).verdict, "lost");
        assert.strictEqual(judgeSigterm({ initProcessEnabled: true, image }).verdict, "receives");
        assert.strictEqual(
            judgeSigterm({ initProcessEnabled: false, command: ["node", "server.js"], image }).verdict,
            "receives",
            "`command` replaces the CMD",
        );
        const tini = { ...image, entrypoint: { form: "exec" as const, argv: ["/usr/bin/tini", "--"] } };
        assert.strictEqual(judgeSigterm({ initProcessEnabled: false, image: tini }).verdict, "receives");
        assert.strictEqual(
            judgeSigterm({ initProcessEnabled: false, entryPoint: ["sh", "-c", "node server.js"], image: tini }).verdict,
            "lost",
            "`entryPoint` replaces the init",
        );
        assert.strictEqual(
            judgeSigterm({ initProcessEnabled: false, command: ["sh", "-c", "node server.js"], image: { ...image, entrypoint: "unknown" } })
                .verdict,
            "unknown",
        );
    });

    it("records the final chain's ENTRYPOINT/CMD in the Dockerfile analysis", () => {
        const a = analyzeDockerfile(
            'FROM node:22 AS build\nCMD node build.js\nFROM node:22-slim\nSHELL ["/bin/bash", "-c"]\nCMD node server.js\nSTOPSIGNAL sigint\n',
        );
        assert.deepStrictEqual(a.cmd, { form: "shell", text: "node server.js", shell: ["/bin/bash", "-c"], line: 5 });
        assert.strictEqual(a.stopSignal, "SIGINT");
        const b = analyzeDockerfile('FROM node:22-slim\nCMD ["node", "a.js"]\nENTRYPOINT ["./start.sh"]\n');
        assert.strictEqual(b.cmd, undefined, "ENTRYPOINT resets the CMD before it");
        assert.deepStrictEqual(b.entrypoint, { form: "exec", argv: ["./start.sh"], line: 3 });
    });
});
