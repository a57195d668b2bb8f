/**
 * Bench of the offline policy check (`npm run check`): wall time, CPU and peak memory for the
 * repo's dev stack and generated programs of 10 to 2,000 load-balanced services, each beside the
 * floor measured in the same run.
 *
 *   node -r ts-node/register/transpile-only bench/check-bench.ts [--runs 5] [--large-runs 1]
 *        [--only dev,10,100,1000,2000] [--profile] [--sdk-floor]
 *
 * - Each run spawns the check as `npm run --silent check -- --format json` does (node on
 *   cli/check/launch.js), so Node's start-up is included; npm's own start (~0.45 s) is not.
 * - The floor is `node -e 'require("@pulumi/pulumi")'`: the least any process that runs a Pulumi
 *   program or a policy pack pays. It is measured right before every run of a target (same load),
 *   and each target is reported as a multiple of it (goal: dev stack ≤ 5× the floor).
 * - Peak RSS is the largest sum over the check's whole process tree (check, policy pack, a
 *   program child), sampled from /proc every 20 ms; beside it each process's own high-water mark
 *   (VmHWM): the check, the policy pack, the program (cli/offline/child-bootstrap.js).
 * - `analysis after run` is what is left of the analysis once the program ended (the check calls
 *   `Analyze` for each resource as the program registers it, as the engine does); `analysis alone
 *   / resource` is the whole analysis (all Analyze calls and AnalyzeStack) of one more run with
 *   `HEALTHY_FARGATE_ANALYZE_AFTER_RUN=on`, divided by the resources: the policies' evaluation time
 *   per resource, gRPC included (targets under 1,000 services).
 * - `--profile` runs each target below 1,000 services once more under `--cpu-prof` and prints
 *   where the check process's CPU time went (bench/profile-summary.ts), the stages' timings, the
 *   pack's start-up alone, and in which categories the dev stack costs more than the largest
 *   profiled program (issue 10: the 54-resource dev stack was once slower than 1,056 resources).
 * - `--sdk-floor` runs each generated program once more under the Pulumi SDK's own mocks alone
 *   (bench/sdk-mocks-run.js, no part of the check): the memory and time the SDK itself needs for
 *   that program, which its language host needs under `pulumi preview` too. Slow: minutes at
 *   1,000 services.
 *
 * A bench, not a test: nothing here asserts. Programs are generated under .bench-work/ (gitignored).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as Module from "module";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT, generateProgram } from "./generate-program";
import { summarizeProfile } from "./profile-summary";
import { ANALYZE_AFTER_RUN_ENV } from "../cli/check/analyze";
import { compileCacheEnv } from "../cli/analyzer/compile-cache";
import { launchPackProcess } from "../cli/analyzer/pack-process";
import { resolveRunPolicyPack } from "../cli/analyzer/pack-project";

const TIME = ["/usr/bin/time"].find((f) => fs.existsSync(f));
const LAUNCH = path.join(REPO_ROOT, "cli", "check", "launch.js");
const SDK_MOCKS_RUN = path.join(REPO_ROOT, "bench", "sdk-mocks-run.js");

interface Sample {
    wallMs: number;
    /** user + system CPU time of the process and its reaped children (NaN without GNU time). */
    cpuMs: number;
    exitCode: number | null;
    peakTreeRssMb: number;
    /** High-water marks (VmHWM) of the check process, its policy pack process and its program process. */
    hwmMb: Record<Role, number>;
    timings: Record<string, number>;
    resources: number;
}

function readMemoryKb(pid: number): { rss: number; hwm: number } {
    try {
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
        return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
    } catch {
        return { rss: 0, hwm: 0 };
    }
}

function childrenOf(pid: number): number[] {
    try {
        return fs
            .readdirSync(`/proc/${pid}/task`)
            .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
        return [];
    }
}

/** Every process below `pid`, `pid` included. */
function processTree(pid: number): number[] {
    const tree = [pid];
    for (let i = 0; i < tree.length; i++) tree.push(...childrenOf(tree[i]));
    return tree;
}

type Role = "check" | "pack" | "program";

interface Measured {
    wallMs: number;
    cpuMs: number;
    code: number | null;
    stdout: string;
    stderr: string;
    peakTreeRssMb: number;
    hwmMb: Record<Role, number>;
}

/** Which part of the check a process is, from its command line. */
function roleOf(pid: number, checkPid: number): Role | undefined {
    if (pid === checkPid) return "check";
    try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        return cmdline.includes("run-policy-pack") ? "pack" : cmdline.includes("child-bootstrap") ? "program" : undefined;
    } catch {
        return undefined;
    }
}

/** Runs `args` under GNU time (when installed), sampling the process tree's memory. */
function measure(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const [command, commandArgs] = TIME ? [TIME, ["-f", "__cpu__ %U %S", process.execPath, ...args]] : [process.execPath, args];
        const child = spawn(command, commandArgs, {
            cwd: REPO_ROOT,
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, NO_COLOR: "1", ...env },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d) => {
            stdout += d;
        });
        child.stderr.setEncoding("utf8").on("data", (d) => {
            stderr += d;
        });
        let peakKb = 0;
        const hwm: Record<Role, number> = { check: 0, pack: 0, program: 0 };
        const timer = setInterval(() => {
            // Under GNU time the check is time's child.
            const check = TIME ? childrenOf(child.pid!)[0] : child.pid!;
            if (check === undefined) return;
            const tree = processTree(check).map((pid) => ({ pid, ...readMemoryKb(pid) }));
            peakKb = Math.max(
                peakKb,
                tree.reduce((sum, p) => sum + p.rss, 0),
            );
            for (const p of tree) {
                const role = roleOf(p.pid, check);
                if (role) hwm[role] = Math.max(hwm[role], p.hwm);
            }
        }, 20);
        child.on("error", reject);
        child.on("close", (code) => {
            clearInterval(timer);
            const cpu = /__cpu__ ([\d.]+) ([\d.]+)/.exec(stderr);
            resolve({
                wallMs: Number(process.hrtime.bigint() - started) / 1e6,
                cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN,
                code,
                stdout,
                stderr,
                peakTreeRssMb: peakKb / 1024,
                hwmMb: { check: hwm.check / 1024, pack: hwm.pack / 1024, program: hwm.program / 1024 },
            });
        });
    });
}

async function runCheckOnce(programDir: string, env: NodeJS.ProcessEnv = {}): Promise<Sample> {
    const result = await measure([LAUNCH, "--program", programDir, "--format", "json"], env);
    let report: { timings?: Record<string, number>; resources: number };
    try {
        report = JSON.parse(result.stdout);
    } catch {
        throw new Error(`check of ${programDir} exited ${result.code} without JSON:\n${result.stderr}`);
    }
    return { ...result, exitCode: result.code, timings: report.timings ?? {}, resources: report.resources };
}

async function floorOnce(): Promise<number> {
    return (await measure(["-e", "require('@pulumi/pulumi')"])).wallMs;
}

/**
 * The repository's pack alone, launched by the check's own launcher (the CLI's command line plus
 * the check's preload) with the compile cache the check gives it, until it prints its port.
 */
async function packStartOnce(): Promise<number> {
    const packDir = path.join(REPO_ROOT, "policies");
    const started = process.hrtime.bigint();
    const pack = await launchPackProcess({
        packDir,
        runPolicyPack: resolveRunPolicyPack(packDir),
        engineAddress: "127.0.0.1:0",
        extraArgs: [],
        env: { ...process.env, ...compileCacheEnv() },
        nodePath: process.execPath,
        timeoutMs: 120_000,
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    await pack.kill();
    return ms;
}

function median(values: number[]): number {
    const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function machine(): string {
    const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
    const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
    return `nproc ${os.availableParallelism()}, CPU ${model}, RAM ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`;
}

const load = () =>
    os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ");

interface Row {
    label: string;
    samples: Sample[];
    floors: number[];
    /** The analysis of one more run with HEALTHY_FARGATE_ANALYZE_AFTER_RUN=on: all of it after the program, alone. */
    analysisAloneMs?: number;
}

function formatRows(rows: Row[]): string {
    const m = (values: number[], digits = 0) => median(values).toFixed(digits);
    const table = [
        [
            "target",
            "resources",
            "wall ms",
            "min–max",
            "floor ms",
            "× floor",
            "CPU ms",
            "peak RSS MiB (check / pack / program)",
            "program ms",
            "pack ready ms",
            "analysis after run ms",
            "analysis alone / resource",
            "exit",
        ],
    ];
    for (const { label, samples, floors, analysisAloneMs } of rows) {
        const wall = samples.map((s) => s.wallMs);
        const t = (key: string) => samples.map((s) => s.timings[key] ?? NaN);
        table.push([
            label,
            String(samples[0].resources),
            m(wall),
            `${Math.min(...wall).toFixed(0)}–${Math.max(...wall).toFixed(0)}`,
            m(floors),
            (median(wall) / median(floors)).toFixed(1),
            m(samples.map((s) => s.cpuMs)),
            `${m(samples.map((s) => s.peakTreeRssMb))} (${(["check", "pack", "program"] as const).map((r) => m(samples.map((s) => s.hwmMb[r]))).join(" / ")})`,
            m(t("programMs")),
            m(t("packReadyMs")),
            m(t("analyzeMs")),
            analysisAloneMs === undefined ? "—" : `${(analysisAloneMs / samples[0].resources).toFixed(2)} ms`,
            String(samples[0].exitCode),
        ]);
    }
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    return table.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ")).join("\n");
}

/** CPU milliseconds per profile category of the check process, per target (filled by --profile). */
const profiles = new Map<string, Map<string, number>>();

/** Names the categories in which the dev stack costs more than a program with many more resources. */
function explainDevStack(): void {
    const dev = profiles.get("dev stack");
    const bigger = [...profiles.keys()].filter((k) => k !== "dev stack").pop();
    if (!dev || !bigger) return;
    const other = profiles.get(bigger)!;
    const more = [...dev]
        .filter(([name]) => !name.startsWith("idle"))
        .map(([name, ms]) => [name, ms - (other.get(name) ?? 0)] as const)
        .filter(([, d]) => d > 100)
        .sort((a, b) => b[1] - a[1]);
    console.log(
        `\nwhy the dev stack can take as long as ${bigger} (CPU of the check and program processes, profiled runs above): it spends more on`,
    );
    for (const [name, delta] of more) console.log(`  +${delta.toFixed(0).padStart(6)} ms  ${name}`);
    if (more.length === 0) console.log("  nothing: it is cheaper in every category");
}

/** Which process a CPU profile is of: its own entry script is among its frames. */
function profiledProcess(file: string): string {
    const text = fs.readFileSync(file, "utf8");
    return text.includes("child-bootstrap.js") ? "program process" : text.includes("launch.js") ? "check process" : "other process";
}

async function profile(label: string, dir: string, floors: number[], packAlone: number[]): Promise<void> {
    const profDir = fs.mkdtempSync(path.join(os.tmpdir(), "check-prof-"));
    // Inherited by the program's process too; the pack, ended with SIGTERM, writes none.
    const sample = await runCheckOnce(dir, { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profDir}` });
    const t = sample.timings;
    console.log(
        `\n${label}: where the time goes (one profiled run, ${sample.wallMs.toFixed(0)} ms wall; stages from the start of the check):`,
    );
    console.log(
        `  pack spawned ${t.packStartMs} ms · port announced ${t.packPortMs} ms · pack ready ${t.packReadyMs} ms · ` +
            `program done ${t.programMs} ms · analysis ${t.analyzeMs} ms · report ${t.totalMs} ms`,
    );
    console.log(
        `  critical path: ${t.programMs > t.packReadyMs ? "the program run (the pack was ready first)" : "the pack's start-up (the program finished first)"}; ` +
            `the pack alone starts in ${median(packAlone).toFixed(0)} ms, the floor is ${median(floors).toFixed(0)} ms`,
    );
    const categories = new Map<string, number>();
    for (const file of fs.readdirSync(profDir).map((f) => path.join(profDir, f))) {
        const { totalMs, rows } = summarizeProfile(file);
        console.log(`  ${profiledProcess(file)}, CPU profile (${totalMs.toFixed(0)} ms sampled):`);
        for (const [name, ms] of rows) {
            console.log(`    ${ms.toFixed(0).padStart(7)} ms  ${((100 * ms) / totalMs).toFixed(0).padStart(3)} %  ${name}`);
            categories.set(name, (categories.get(name) ?? 0) + ms);
        }
    }
    profiles.set(label, categories);
}

/**
 * The memory floor of a generated program: the same program under the SDK's own mocks alone
 * (bench/sdk-mocks-run.js), with a heap limit high enough that V8's default does not cut it short.
 */
async function sdkFloor(label: string, dir: string): Promise<void> {
    const m = await measure(["--max-old-space-size=16384", SDK_MOCKS_RUN, dir]);
    console.log(
        `${label}: the program under the SDK's own mocks alone (no check): ${m.wallMs.toFixed(0)} ms wall, ` +
            `peak ${m.peakTreeRssMb.toFixed(0)} MiB, exit ${m.code}${m.code === 0 ? "" : `\n${m.stderr.trim()}`}`,
    );
}

async function main(): Promise<void> {
    // The check's compile cache (cli/check/transpile-cache.js), so that compileCacheEnv() hands the
    // pack the directory the check hands it: same Node, same flags.
    (Module as { enableCompileCache?(dir: string): unknown }).enableCompileCache?.(path.join(REPO_ROOT, ".check-cache", "v8"));
    const args = process.argv.slice(2);
    const option = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
    const runs = Number(option("--runs") ?? 5);
    const largeRuns = Number(option("--large-runs") ?? 1);
    if (![runs, largeRuns].every((n) => Number.isInteger(n) && n >= 1))
        throw new Error("--runs and --large-runs must be whole numbers ≥ 1");
    const only = (option("--only") ?? "dev,10,100,1000,2000").split(",");
    const targets: Array<{ label: string; dir: string; runs: number; large: boolean }> = [];
    if (only.includes("dev")) targets.push({ label: "dev stack", dir: REPO_ROOT, runs, large: false });
    for (const n of [10, 100, 1000, 2000]) {
        if (only.includes(String(n)))
            targets.push({ label: `${n} services`, dir: generateProgram(n), runs: n >= 1000 ? largeRuns : runs, large: n >= 1000 });
    }

    console.log(`machine: ${machine()}`);
    console.log(`load average at start: ${load()}`);
    console.log(
        `runs per target: ${runs} (1,000+ services: ${largeRuns}, no warm-up), plus 1 warm-up run, not counted; the floor is measured before each run\n`,
    );
    const rows: Row[] = [];
    for (const target of targets) {
        // Warm-up (file-system and compile caches), not measured; the large programs share the
        // caches warmed by the smaller ones and would only double the bench's length.
        if (!target.large) await runCheckOnce(target.dir);
        const row: Row = { label: target.label, samples: [], floors: [] };
        for (let i = 0; i < target.runs; i++) {
            row.floors.push(await floorOnce());
            const s = await runCheckOnce(target.dir);
            row.samples.push(s);
            process.stderr.write(
                `  ${target.label} run ${i + 1}: ${s.wallMs.toFixed(0)} ms wall (floor ${row.floors[i].toFixed(0)} ms), ` +
                    `${s.cpuMs.toFixed(0)} ms CPU, peak ${s.peakTreeRssMb.toFixed(0)} MiB, exit ${s.exitCode}, load ${os.loadavg()[0].toFixed(2)}\n`,
            );
        }
        // The policies' evaluation time per resource: the check analyzes resources while the program
        // runs, so one more run (not counted above) does all of it after the program, alone.
        if (!target.large) row.analysisAloneMs = (await runCheckOnce(target.dir, { [ANALYZE_AFTER_RUN_ENV]: "on" })).timings["analyzeMs"];
        rows.push(row);
    }
    console.log(formatRows(rows));
    const floors = rows.flatMap((r) => r.floors);
    const packAlone: number[] = [];
    for (let i = 0; i < runs; i++) packAlone.push(await packStartOnce());
    console.log(
        `\npolicy pack alone (policies/, compiled): ${median(packAlone).toFixed(0)} ms median from spawn to port ` +
            `(${Math.min(...packAlone).toFixed(0)}–${Math.max(...packAlone).toFixed(0)}), ${(median(packAlone) / median(floors)).toFixed(1)}× the floor`,
    );
    if (args.includes("--profile")) {
        for (const target of targets.filter((t) => !t.large)) await profile(target.label, target.dir, floors, packAlone);
        explainDevStack();
    }
    if (args.includes("--sdk-floor")) {
        for (const target of targets.filter((t) => t.dir !== REPO_ROOT)) await sdkFloor(target.label, target.dir);
    }
    console.log(`\nload average at end: ${load()}`);
}

main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
