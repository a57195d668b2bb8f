/**
 * The pack process's start-up timer and the child registry, with a stand-in for run-policy-pack
 * (a script that prints a port at once), so that the timing can be forced, not hoped for.
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stopTrackedChildren, trackChildProcess, trackedChildPids } from "../../cli/analyzer";
import { launchPackProcess } from "../../cli/analyzer/pack-process";
import { isAlive } from "../support/processes";

/** Writes a stand-in pack: prints `port`, then notes (in a file) that the line was flushed. */
function fakePack(dir: string, port: string): string {
    const script = path.join(dir, "fake-run-policy-pack.js");
    fs.writeFileSync(
        script,
        [
            `process.stdout.write(${JSON.stringify(`${port}\n`)}, () => require("fs").writeFileSync(process.env.PORT_WRITTEN, "yes"));`,
            "setInterval(() => undefined, 1000);",
        ].join("\n"),
    );
    return script;
}

describe("pack process: start-up timer", function () {
    this.timeout(60_000);

    it("a port that arrived in time wins over the timer, even when this process's event loop was busy past the limit", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-process-"));
        const written = path.join(dir, "port-written");
        const started = Date.now();
        const launching = launchPackProcess({
            packDir: dir,
            runPolicyPack: fakePack(dir, "43210"),
            engineAddress: "127.0.0.1:0",
            extraArgs: [],
            env: { ...process.env, PORT_WRITTEN: written },
            nodePath: process.execPath,
            timeoutMs: 500,
        });
        // Block the event loop (as a program running in-process does) until the pack has written
        // its port AND the limit has passed: both the timer and the port line are then pending.
        while (!(fs.existsSync(written) && Date.now() - started > 1000)) {
            /* busy */
        }
        const pack = await launching;
        try {
            assert.strictEqual(pack.port, 43210);
        } finally {
            await pack.kill();
        }
    });

    it("still times out a pack that announced nothing, naming the start-up", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-process-"));
        const silent = path.join(dir, "silent.js");
        fs.writeFileSync(silent, "setInterval(() => undefined, 1000);");
        await assert.rejects(
            launchPackProcess({
                packDir: dir,
                runPolicyPack: silent,
                engineAddress: "127.0.0.1:0",
                extraArgs: [],
                env: process.env,
                nodePath: process.execPath,
                timeoutMs: 300,
            }),
            /start-up did not finish within 0 s \(no port announced within 300 ms\)/,
        );
    });
});

describe("child registry", function () {
    this.timeout(30_000);

    it("stopTrackedChildren ends every tracked child, SIGKILLing one that ignores SIGTERM", async () => {
        const polite = spawn(process.execPath, ["-e", "setInterval(() => undefined, 1000)"], { stdio: "ignore" });
        const stubborn = spawn(
            process.execPath,
            ["-e", "process.on('SIGTERM', () => undefined); console.log('ready'); setInterval(() => undefined, 1000)"],
            { stdio: ["ignore", "pipe", "ignore"] },
        );
        await new Promise((resolve) => stubborn.stdout!.once("data", resolve)); // its SIGTERM handler is installed
        trackChildProcess(polite);
        trackChildProcess(stubborn);
        assert.ok(trackedChildPids().includes(polite.pid!) && trackedChildPids().includes(stubborn.pid!));
        await stopTrackedChildren(300);
        assert.strictEqual(polite.signalCode, "SIGTERM");
        assert.strictEqual(stubborn.signalCode, "SIGKILL");
        assert.ok(!isAlive(polite.pid!) && !isAlive(stubborn.pid!));
        assert.deepStrictEqual(
            trackedChildPids().filter((pid) => pid === polite.pid || pid === stubborn.pid),
            [],
        );
    });
});
