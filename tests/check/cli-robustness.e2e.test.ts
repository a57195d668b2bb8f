/**
 * End to end: the check never hangs, never lies, never leaks (issue 16) and runs any pack with
 * the stack's config (issue 10): exit codes, messages, signals, time limits, several checks at
 * once. Programs that must differ from the fixtures are written to temp directories (copies of
 * tests/fixtures/programs/raw-clean with one change each; their imports resolve from the check's
 * own packages, as for any program without node_modules).
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { childPids, isAlive } from "../support/processes";
import { CHECK_COMMAND, PACKS, REPO_ROOT, checkOnce, parseJson, program, runCheckCli, writePolicyConfig } from "./cli";

/** A copy of raw-clean with its stack config replaced, one text of its program replaced, and code appended. */
function variantOfRawClean(options: { stackConfig?: string; replace?: [string, string]; append?: string }): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-program-"));
    for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml", "index.ts"])
        fs.copyFileSync(path.join(program("raw-clean"), file), path.join(dir, file));
    if (options.stackConfig) fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), options.stackConfig);
    if (options.replace) {
        const [from, to] = options.replace;
        const source = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
        assert.ok(source.includes(from), `raw-clean's index.ts no longer contains ${JSON.stringify(from)}`);
        fs.writeFileSync(path.join(dir, "index.ts"), source.replace(from, to));
    }
    if (options.append) fs.appendFileSync(path.join(dir, "index.ts"), `\n${options.append}\n`);
    return dir;
}

/** The check's child whose command line contains `marker` (run-policy-pack, the program's child-bootstrap.js). */
function childOf(checkPid: number, marker: string): number | undefined {
    return childPids(checkPid).find((pid) => {
        try {
            return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
        } catch {
            return false;
        }
    });
}

async function gone(pid: number, ms: number): Promise<boolean> {
    for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
        if (!isAlive(pid)) return true;
    }
    return !isAlive(pid);
}

const faultyOnly = (policy: string) => writePolicyConfig({ all: "disabled", [policy]: "mandatory" });

describe("check CLI: exit 2 with a message of its own, never a stack", function () {
    this.timeout(300_000);

    it("a policy that throws: `error: policy <name>: …` naming the resource, no host stack", async () => {
        const result = await checkOnce([
            "--program",
            program("raw-clean"),
            "--policy-pack",
            path.join(PACKS, "faulty-pack"),
            "--policy-pack-config",
            faultyOnly("throws-on-task-definitions"),
            "--format",
            "json",
        ]);
        assert.equal(result.code, 2);
        assert.equal(result.stdout, "");
        assert.equal(
            result.stderr.trim(),
            "error: policy throws-on-task-definitions: threw on 'web' (aws:ecs/taskDefinition:TaskDefinition): " +
                "TypeError: containerDefinitions.map is not a function (thrown at index.js:22:23)",
        );
    });

    it("a flag without a value, an unknown flag and a stray argument: exit 2 with usage, each its own message", async () => {
        for (const [args, message] of [
            [["--stack"], "error: --stack needs a value"],
            [["--stacks", "dev"], "error: unknown option --stacks"],
            [["tests/fixtures/programs/raw-clean"], 'error: unexpected argument "tests/fixtures/programs/raw-clean"'],
        ] as const) {
            const result = await runCheckCli([...args]);
            assert.equal(result.code, 2, args.join(" "));
            assert.equal(result.stdout, "");
            assert.ok(result.stderr.startsWith(message), result.stderr);
            assert.match(result.stderr, /usage:/);
        }
    });

    it("a misspelled policy in --policy-pack-config: exit 2 naming the nearest policy", async () => {
        const config = writePolicyConfig({ "probe-tool-present-in-imag": "disabled" });
        const result = await checkOnce(["--program", program("raw-clean"), "--policy-pack-config", config, "--format", "json"]);
        assert.equal(result.code, 2);
        assert.equal(result.stdout, "");
        assert.match(
            result.stderr,
            /^error: policy pack config: validating policy config:\n {2}healthy-fargate has no policy "probe-tool-present-in-imag": did you mean "probe-tool-present-in-image"\?/,
        );
    });

    it("`environments` in --policy-pack-config is accepted as the CLI accepts it, and the report says it was not applied", async () => {
        const config = writePolicyConfig({ environments: ["acme/policy-settings"], "fargate-task-size-valid": "mandatory" });
        const result = await checkOnce(["--program", program("raw-clean"), "--policy-pack-config", config, "--format", "json"]);
        assert.equal(result.code, 0, result.stderr);
        assert.ok(parseJson(result).notes.some((n: string) => n.includes("ESC environments (acme/policy-settings)")));
    });
});

describe("check CLI: bounded in time", function () {
    this.timeout(300_000);

    it("a program that never finishes: exit 2 after --timeout, naming what it waits for", async () => {
        const result = await runCheckCli(["--program", program("never-resolves"), "--format", "json", "--timeout", "40s"]);
        assert.equal(result.code, 2);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /^error: program: The program did not finish within 40 s — still waiting for: .*approved-by/m);
        assert.match(result.stderr, /raise the limit with --timeout or HEALTHY_FARGATE_CHECK_TIMEOUT/);
    });

    it("a program that leaves a timer running: the report is printed and the check exits", async () => {
        const dir = variantOfRawClean({ append: "setInterval(() => undefined, 1000);" });
        const result = await runCheckCli(["--program", dir, "--format", "json"]);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(parseJson(result).resources, 6);
    });

    it("a pack that never starts: exit 2 naming the pack's start-up and the limit", async () => {
        const result = await runCheckCli([
            "--program",
            program("raw-clean"),
            "--policy-pack",
            path.join(PACKS, "hanging-pack"),
            "--timeout",
            "40s",
        ]);
        assert.equal(result.code, 2);
        assert.equal(result.stdout, "");
        assert.match(
            result.stderr,
            /^error: policy pack: policy pack at ".*hanging-pack" failed to start: its start-up did not finish within 40 s/,
        );
        assert.match(result.stderr, /raise the limit with --timeout or HEALTHY_FARGATE_CHECK_TIMEOUT/);
    });
});

describe("check CLI: any pack, with the stack's config", function () {
    this.timeout(300_000);

    it("a pack with config schemas but none of ours (tiny-pack): runs, nothing injected", async () => {
        const result = await checkOnce([
            "--program",
            program("raw-clean"),
            "--policy-pack",
            path.join(PACKS, "tiny-pack"),
            "--format",
            "json",
        ]);
        assert.equal(result.code, 0, result.stderr);
        const report = parseJson(result);
        assert.equal(report.policyPack.name, "tiny-pack");
        assert.deepEqual(report.findings, []);
    });

    it("a pack without any config schema gets the stack's config as under the CLI: PULUMI_CONFIG, project, stack, dry run", async () => {
        const dir = variantOfRawClean({
            stackConfig: [
                "config:",
                "  aws:region: eu-central-1",
                "  fixture-raw-clean:team: platform",
                "  fixture-raw-clean:apiToken:",
                "    secure: v1:c2VjcmV0:c2VjcmV0LXRva2Vu",
                "",
            ].join("\n"),
        });
        const result = await runCheckCli(["--program", dir, "--policy-pack", path.join(PACKS, "stack-config-pack"), "--format", "json"]);
        assert.equal(result.code, 0, result.stderr);
        const report = parseJson(result);
        const echo = report.findings.find((f: { policy: string }) => f.policy === "stack-config-echo");
        assert.ok(echo, JSON.stringify(report.findings));
        assert.deepEqual(JSON.parse(echo.message.slice(echo.message.indexOf("\n") + 1)), {
            project: "fixture-raw-clean",
            stack: "dev",
            dryRun: true,
            team: "platform",
            apiToken: null,
            region: "eu-central-1",
            resources: 6,
        });
        assert.ok(
            report.notes.some((n: string) => n.includes("Encrypted config (fixture-raw-clean:apiToken) is not passed to the policy pack")),
            JSON.stringify(report.notes),
        );
    });
});

describe("check CLI: this repository's pack reads the stack's config (issue 12 item 5)", function () {
    this.timeout(300_000);

    // One task on stack `dev`: fine unless the stack says it is production-like, which only the
    // stack config can say here (`dev` does not match productionStackPattern).
    const singleTask = (productionLike: boolean) =>
        variantOfRawClean({
            replace: ["desiredCount: 2", "desiredCount: 1"],
            stackConfig: [
                "config:",
                "  aws:region: eu-central-1",
                ...(productionLike ? ['  healthy-fargate:productionLike: "true"'] : []),
                "",
            ].join("\n"),
        });
    const rollout = (report: { findings: Array<{ policy: string; resourceName: string; message: string }> }) =>
        report.findings.filter((f) => f.policy === "zero-downtime-rollout");

    it('`healthy-fargate:productionLike: "true"` in Pulumi.dev.yaml: zero-downtime-rollout reports the single task', async () => {
        const result = await runCheckCli(["--program", singleTask(true), "--stack", "dev", "--format", "json"]);
        assert.equal(result.code, 1, result.stderr);
        const found = rollout(parseJson(result));
        assert.equal(found.length, 1, JSON.stringify(found));
        assert.equal(found[0].resourceName, "web");
        assert.match(found[0].message, /`desiredCount` is 1/);
    });

    it("without it: the same program on stack `dev` passes zero-downtime-rollout", async () => {
        const result = await runCheckCli(["--program", singleTask(false), "--stack", "dev", "--format", "json"]);
        assert.notEqual(result.code, 2, result.stderr);
        assert.deepEqual(rollout(parseJson(result)), []);
    });
});

describe("check CLI: signals and neighbours", function () {
    this.timeout(300_000);

    for (const [signal, code] of [
        ["SIGTERM", 143],
        ["SIGINT", 130],
    ] as const) {
        it(`${signal} stops the policy pack and the program's process, and exits ${code}`, async () => {
            const [command, ...args] = CHECK_COMMAND;
            // A pack that never starts and a program that never finishes: both stay up until the signal.
            const child = spawn(
                command,
                [...args, "--program", program("never-resolves"), "--policy-pack", path.join(PACKS, "hanging-pack")],
                { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
            );
            const exited = new Promise<number | null>((resolve) => child.on("close", (exitCode) => resolve(exitCode)));
            let packPid: number | undefined;
            let programPid: number | undefined;
            while (packPid === undefined || programPid === undefined) {
                await new Promise((resolve) => setTimeout(resolve, 100));
                packPid ??= childOf(child.pid!, "run-policy-pack");
                programPid ??= childOf(child.pid!, "child-bootstrap");
            }
            child.kill(signal);
            assert.equal(await exited, code);
            assert.equal(isAlive(packPid), false, `the pack process ${packPid} outlived the check`);
            // The program's process is SIGKILLed as the check exits; the init process reaps it.
            assert.ok(await gone(programPid, 5000), `the program's process ${programPid} outlived the check`);
        });
    }

    it("three checks at once on one machine do not interfere (ports, files)", async () => {
        const args = ["--program", program("raw-broken"), "--format", "json"];
        const results = await Promise.all([runCheckCli(args), runCheckCli(args), runCheckCli(args)]);
        const findings = results.map((r) => {
            assert.equal(r.code, 1, r.stderr);
            return JSON.stringify(parseJson(r).findings);
        });
        assert.equal(new Set(findings).size, 1, "the same findings three times");
        assert.ok(JSON.parse(findings[0]).length > 0);
    });
});
