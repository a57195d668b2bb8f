/**
 * Runs the generated container health-check commands for real, exactly as ECS runs the exec form
 * (`CMD` → argv, no shell), against a real local HTTP server, for each probe tool on this machine.
 * `npm test` installs the tools a fresh machine lacks (curl, wget, python3; tests/support/provision-servers.sh);
 * a missing tool fails its suite, except with `HEALTHY_FARGATE_SKIP_REAL_SERVERS=1`, which skips it (pending).
 */
import { strict as assert } from "assert";
import { spawn, spawnSync } from "child_process";
import * as http from "http";
import { type AddressInfo } from "net";
import { PROBE_TOOLS, type ProbeTool, probeCommand } from "../../policies/domain";
import { optOutNotice, programOrigin, realServersOptedOut, whichProgram } from "../support/real-servers";

/** The executable a probe tool runs (python → python3). */
const executable = (tool: ProbeTool): string => (tool === "python" ? "python3" : tool);

function available(tool: ProbeTool): boolean {
    return whichProgram(executable(tool)) !== undefined;
}

/** "curl 7.88.1 (/usr/bin/curl, Debian package curl 7.88.1-10+deb12u14, …)": which tool the tests run. */
function describeTool(tool: ProbeTool): string {
    const exe = executable(tool);
    const version = /\d+(?:\.\d+)+/.exec(spawnSync(exe, ["--version"], { encoding: "utf8" }).stdout)?.[0] ?? "(unknown version)";
    return `${exe} ${version} (${programOrigin(exe)})`;
}

/** Without the tool: skips under the opt-out (pending, not passed), else fails with what to run. */
function requireTool(context: Mocha.Context, tool: ProbeTool): void {
    if (available(tool)) return;
    if (realServersOptedOut()) {
        console.log(`      ${optOutNotice(`${executable(tool)} is not on this machine`)}`);
        context.skip();
    }
    throw new Error(
        `${executable(tool)} is not on PATH; \`npm test\` installs it (tests/support/provision-servers.sh), ` +
            "or set HEALTHY_FARGATE_SKIP_REAL_SERVERS=1 to skip these tests",
    );
}

/** The health check `timeout` ECS would apply: the probe is killed and counted as failed after it. */
const ECS_TIMEOUT_MS = 3000;

/**
 * Runs an exec-form health-check command like ECS does: argv without a shell, killed after the
 * health check timeout. Resolves with healthy (exit 0 in time), the exit code and the duration.
 */
function runProbe(command: string[]): Promise<{ healthy: boolean; code: number | null; ms: number }> {
    assert.equal(command[0], "CMD", "exec form");
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn(command[1], command.slice(2), { stdio: "ignore" });
        const timer = setTimeout(() => child.kill("SIGKILL"), ECS_TIMEOUT_MS);
        child.on("exit", (code) => {
            clearTimeout(timer);
            resolve({ healthy: code === 0, code, ms: Date.now() - started });
        });
        child.on("error", () => {
            clearTimeout(timer);
            resolve({ healthy: false, code: 127, ms: Date.now() - started });
        });
    });
}

describe("generated probe commands against a real HTTP server", function () {
    let server: http.Server;
    let port: number;
    let status = 200;

    before(async () => {
        server = http.createServer((req, res) => {
            if (req.url === "/health/live") {
                if (status === 0) return; // hang: never answer
                res.writeHead(status, status === 302 ? { location: "/health/live-ok" } : {}).end("x");
            } else if (req.url === "/health/live-ok") {
                res.writeHead(200).end("ok");
            } else {
                res.writeHead(404).end();
            }
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        port = (server.address() as AddressInfo).port;
    });
    after(() => {
        server.closeAllConnections();
        server.close();
    });

    it("finds at least the runtime probes (node, python) on this machine", function () {
        requireTool(this, "node");
        requireTool(this, "python");
    });

    for (const tool of PROBE_TOOLS) {
        describe(tool, () => {
            const command = () => probeCommand(tool, { port, path: "/health/live", timeoutSeconds: 2 });
            before(function () {
                requireTool(this, tool);
                console.log(`      ${describeTool(tool)}`);
            });

            it("exits 0 on HTTP 200", async () => {
                status = 200;
                assert.equal((await runProbe(command())).healthy, true);
            });

            it("exits non-zero on HTTP 500", async () => {
                status = 500;
                assert.equal((await runProbe(command())).healthy, false);
            });

            it("exits non-zero on HTTP 404", async () => {
                status = 404;
                assert.equal((await runProbe(command())).healthy, false);
            });

            it("follows the app's redirect to a healthy page or accepts the 3xx (status < 400)", async () => {
                status = 302;
                assert.equal((await runProbe(command())).healthy, true);
            });

            it("exits non-zero when nothing listens", async () => {
                const closed = probeCommand(tool, { port: 1, path: "/health/live", timeoutSeconds: 2 });
                const { healthy, code, ms } = await runProbe(closed);
                assert.equal(healthy, false);
                assert.notEqual(code, null, "the tool itself reports the refused connection, before ECS's timeout");
                assert.ok(ms < ECS_TIMEOUT_MS, `gave up after ${ms} ms`);
            });

            it("is unhealthy within the health check timeout when the app hangs", async () => {
                status = 0;
                const { healthy, ms } = await runProbe(command());
                assert.equal(healthy, false);
                // GNU wget retries after its own 2 s read timeout, so ECS's timeout ends it; the others exit by themselves.
                assert.ok(ms <= ECS_TIMEOUT_MS + 500, `took ${ms} ms`);
            });
        });
    }
});
