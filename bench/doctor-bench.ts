/**
 * Bench of the ECS doctor: AWS calls and wall time against the loopback AWS endpoint of the
 * tests (`tests/doctor/fake-aws.ts`) with an injected latency per call (default 50 ms, about an
 * AWS API round trip from inside the region).
 *
 *   node -r ts-node/register/transpile-only bench/doctor-bench.ts [--runs 5] [--latency 50] [--only diagnose,startup,scan10,scan200]
 *
 * Scenarios: `diagnose` of a settled two-task service (goal ≤ 6 calls) and of the seed's
 * rollback, `startup` over 20 tasks, `scan` of 10 and 200 services (every fifth rolled back) at
 * concurrency 8 (goals: 200 services ≤ 4 × the calls per service of 10, wall ≤ 30 s). Each run
 * spawns the CLI as `npm run doctor` does (Node and TypeScript start-up included: "CLI wall"),
 * and also runs `main` in-process ("doctor wall": the doctor's own time). Medians of the runs,
 * the machine and its load average are printed. A bench, not a test: nothing here asserts.
 */
import { spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../cli/doctor/main";
import { clusterOf } from "../tests/doctor/cluster-stories";
import { fakeAwsEnv, loopbackClients, startFakeAws, type FakeAws } from "../tests/doctor/fake-aws";
import { startupStory } from "../tests/doctor/startup-story";
import { CLUSTER, healthyStory, rollbackStory, SERVICE, type Story } from "../tests/doctor/stories";
import { clusterApi } from "../tests/doctor/story-api";

const ROOT = path.resolve(__dirname, "..");

interface Scenario {
    readonly id: string;
    readonly label: string;
    readonly stories: () => Story[];
    readonly args: string[];
    /** Services the scenario covers (for calls per service). */
    readonly services: number;
}

const SERVICE_ARGS = ["--cluster", CLUSTER, "--service", SERVICE];
const SCAN_ARGS = ["scan", "--cluster", CLUSTER, "--concurrency", "8", "--max-calls", "20000"];
const SCENARIOS: Scenario[] = [
    {
        id: "diagnose",
        label: "diagnose, settled 2-task service",
        services: 1,
        stories: () => [healthyStory(new Date())],
        args: ["diagnose", ...SERVICE_ARGS],
    },
    {
        id: "diagnose",
        label: "diagnose, seed rollback (2 running + 3 failed tasks)",
        services: 1,
        stories: () => [rollbackStory(new Date())],
        args: ["diagnose", ...SERVICE_ARGS],
    },
    {
        id: "startup",
        label: "startup over 20 tasks",
        services: 1,
        stories: () => [startupStory(new Date(), { slowest: 52 })],
        args: ["startup", ...SERVICE_ARGS],
    },
    { id: "scan10", label: "scan of 10 services, concurrency 8", services: 10, stories: () => clusterOf(new Date(), 10), args: SCAN_ARGS },
    {
        id: "scan200",
        label: "scan of 200 services, concurrency 8",
        services: 200,
        stories: () => clusterOf(new Date(), 200),
        args: SCAN_ARGS,
    },
];

function option(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function spawnCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null }> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const argv = ["-r", "ts-node/register/transpile-only", "cli/doctor/main.ts", ...args];
        const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: "ignore" });
        child.on("error", reject);
        child.on("close", (code) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code }));
    });
}

async function inProcess(fake: FakeAws, args: string[]): Promise<{ ms: number; code: number }> {
    const started = process.hrtime.bigint();
    const sink = { write: () => true };
    const code = await main(args, { stdout: sink, stderr: sink, clients: () => loopbackClients(fake.url) });
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, code };
}

async function bench(s: Scenario, runs: number, latencyMs: number) {
    const fake = await startFakeAws(clusterApi(s.stories()));
    fake.latencyMs = latencyMs;
    const calls: number[] = [];
    const cliMs: number[] = [];
    const ownMs: number[] = [];
    let code: number | null = null;
    try {
        for (let i = 0; i < runs; i++) {
            const before = fake.calls.length;
            const own = await inProcess(fake, s.args);
            calls.push(fake.calls.length - before);
            ownMs.push(own.ms);
            const cli = await spawnCli(s.args, fakeAwsEnv(fake));
            cliMs.push(cli.ms);
            code = cli.code;
        }
    } finally {
        await fake.close();
    }
    return {
        calls: median(calls),
        perService: median(calls) / s.services,
        ownMs: median(ownMs),
        cliMs: median(cliMs),
        ownRange: [Math.min(...ownMs), Math.max(...ownMs)],
        code,
    };
}

async function run(): Promise<void> {
    const runs = Number(option("runs", "5"));
    const latencyMs = Number(option("latency", "50"));
    const only = option("only", "").split(",").filter(Boolean);
    const cpu = os.cpus()[0]?.model ?? "?";
    console.log(
        `machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; ` +
            `load average ${os
                .loadavg()
                .map((l) => l.toFixed(1))
                .join(" ")}`,
    );
    console.log(`injected latency ${latencyMs} ms per AWS call; medians of ${runs} runs\n`);
    const rows: string[][] = [["scenario", "AWS calls", "calls/service", "doctor wall (min–max)", "CLI wall", "exit"]];
    const results: Record<string, { perService: number; ownMs: number; calls: number }> = {};
    for (const s of SCENARIOS.filter((x) => only.length === 0 || only.includes(x.id))) {
        const r = await bench(s, runs, latencyMs);
        results[s.label] = r;
        const sec = (ms: number) => (ms / 1000).toFixed(2);
        const own = `${sec(r.ownMs)} s (${sec(r.ownRange[0])}–${sec(r.ownRange[1])})`;
        rows.push([s.label, String(r.calls), r.perService.toFixed(2), own, `${sec(r.cliMs)} s`, String(r.code)]);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join("  "));
    const s10 = results[SCENARIOS[3].label];
    const s200 = results[SCENARIOS[4].label];
    const healthy = results[SCENARIOS[0].label];
    console.log("");
    if (healthy) console.log(`goal diagnose ≤ 6 calls: ${healthy.calls}`);
    if (s10 && s200) {
        const ratio = (s200.perService / s10.perService).toFixed(2);
        const perService = `${s200.perService.toFixed(2)} vs ${s10.perService.toFixed(2)}`;
        console.log(`goal 200 services ≤ 4 × calls/service of 10: ${perService} (ratio ${ratio})`);
    }
    if (s200) console.log(`goal 200 services ≤ 30 s at concurrency 8: ${(s200.ownMs / 1000).toFixed(2)} s (doctor wall)`);
    console.log(
        `load average after: ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")}`,
    );
}

run().catch((err) => {
    console.error(err);
    process.exitCode = 1;
});
