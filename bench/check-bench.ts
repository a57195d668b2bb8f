/**
 * Bench of the offline policy check (`npm run check`): wall time and peak memory for the repo's
 * dev stack and for generated programs of 10 and 100 load-balanced services.
 *
 *   node -r ts-node/register/transpile-only bench/check-bench.ts [--runs 5] [--only dev,10,100]
 *
 * Each run spawns the check exactly as `npm run --silent check -- --format json` does (node with
 * ts-node/register/transpile-only on cli/check/main.ts), so TypeScript start-up is included.
 * Peak RSS is sampled from /proc every 20 ms: the check process plus its policy pack process (the
 * largest sum seen), and each process's own high-water mark (VmHWM). Medians are printed, with
 * the machine and its load average (other work on the machine makes wall times noisy).
 *
 * A bench, not a test: nothing here asserts. Programs are generated under .bench-work/ (gitignored).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT, generateProgram } from "./generate-program";

const TIME = ["/usr/bin/time"].find(f => fs.existsSync(f));

interface Sample {
    wallMs: number;
    /** user + system CPU time of the check and its pack (NaN without GNU time). */
    cpuMs: number;
    exitCode: number | null;
    peakTreeRssMb: number;
    cliHwmMb: number;
    packHwmMb: number;
    timings: Record<string, number>;
    resources: number;
}

function readStatus(pid: number): { rss: number; hwm: number } | undefined {
    try {
        const text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
        return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
    } catch {
        return undefined;
    }
}

function childrenOf(pid: number): number[] {
    try {
        return fs.readdirSync(`/proc/${pid}/task`).flatMap(tid =>
            fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
        return [];
    }
}

function runCheckOnce(programDir: string): Promise<Sample> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const checkArgs = ["-r", "ts-node/register/transpile-only", path.join(REPO_ROOT, "cli/check/main.ts"), "--program", programDir, "--format", "json"];
        // GNU time (when installed) adds the CPU time of the check and its reaped pack process: a
        // figure that other load on the machine disturbs much less than wall time.
        const [command, args] = TIME ? [TIME, ["-f", "__cpu__ %U %S", process.execPath, ...checkArgs]] : [process.execPath, checkArgs];
        const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", d => { stdout += d; });
        child.stderr.setEncoding("utf8").on("data", d => { stderr += d; });
        let peakTree = 0;
        let checkPid = -1;
        const hwm = new Map<number, number>();
        const sample = () => {
            const check = TIME ? childrenOf(child.pid!)[0] : child.pid!;
            if (check === undefined) return;
            checkPid = check;
            const pids = [check, ...childrenOf(check)];
            let sum = 0;
            for (const pid of pids) {
                const s = readStatus(pid);
                if (!s) continue;
                sum += s.rss;
                hwm.set(pid, Math.max(hwm.get(pid) ?? 0, s.hwm));
            }
            peakTree = Math.max(peakTree, sum);
        };
        const timer = setInterval(sample, 20);
        child.on("error", reject);
        child.on("close", code => {
            clearInterval(timer);
            const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
            let report: any;
            try {
                report = JSON.parse(stdout);
            } catch {
                reject(new Error(`check of ${programDir} exited ${code} without JSON:\n${stderr}`));
                return;
            }
            const cliHwm = hwm.get(checkPid) ?? 0;
            const packHwm = Math.max(0, ...[...hwm].filter(([pid]) => pid !== checkPid).map(([, v]) => v));
            const cpu = /__cpu__ ([\d.]+) ([\d.]+)/.exec(stderr);
            resolve({
                cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN,
                wallMs, exitCode: code, peakTreeRssMb: peakTree / 1024, cliHwmMb: cliHwm / 1024, packHwmMb: packHwm / 1024,
                timings: report.timings ?? {}, resources: report.resources,
            });
        });
    });
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function machine(): string {
    const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
    const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
    return `nproc ${os.availableParallelism()}, CPU ${model}, RAM ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`;
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const option = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
    const runs = Number(option("--runs") ?? 5);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, got ${JSON.stringify(option("--runs"))}`);
    const only = (option("--only") ?? "dev,10,100").split(",");
    const targets: Array<{ label: string; dir: string }> = [];
    if (only.includes("dev")) targets.push({ label: "dev stack", dir: REPO_ROOT });
    for (const n of [10, 100]) if (only.includes(String(n))) targets.push({ label: `${n} services`, dir: generateProgram(n) });

    console.log(`machine: ${machine()}`);
    console.log(`load average at start: ${os.loadavg().map(l => l.toFixed(2)).join(" ")}`);
    console.log(`runs per target: ${runs} (plus 1 warm-up run, not counted)\n`);
    const medians = new Map<string, number>();
    const cpuMedians = new Map<string, number>();
    const rows: string[][] = [["target", "resources", "wall ms", "min–max ms", "CPU ms", "peak RSS MiB (check+pack)", "check HWM", "pack HWM", "program ms", "pack ready ms", "analyze ms"]];
    for (const target of targets) {
        await runCheckOnce(target.dir); // warm-up: file-system cache, not measured
        const samples: Sample[] = [];
        for (let i = 0; i < runs; i++) {
            const s = await runCheckOnce(target.dir);
            samples.push(s);
            process.stderr.write(`  ${target.label} run ${i + 1}: ${s.wallMs.toFixed(0)} ms wall, ${s.cpuMs.toFixed(0)} ms CPU, peak ${s.peakTreeRssMb.toFixed(0)} MiB, exit ${s.exitCode}, load ${os.loadavg()[0].toFixed(2)}\n`);
        }
        const wall = median(samples.map(s => s.wallMs));
        medians.set(target.label, wall);
        cpuMedians.set(target.label, median(samples.map(s => s.cpuMs)));
        const m = (f: (s: Sample) => number) => median(samples.map(f)).toFixed(0);
        rows.push([
            target.label, String(samples[0].resources), wall.toFixed(0),
            `${Math.min(...samples.map(s => s.wallMs)).toFixed(0)}–${Math.max(...samples.map(s => s.wallMs)).toFixed(0)}`,
            m(s => s.cpuMs), m(s => s.peakTreeRssMb), m(s => s.cliHwmMb), m(s => s.packHwmMb),
            m(s => s.timings.programMs ?? NaN), m(s => s.timings.packReadyMs ?? NaN), m(s => s.timings.analyzeMs ?? NaN),
        ]);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
    console.log(rows.map(r => r.map((c, i) => c.padEnd(widths[i])).join("  ")).join("\n"));
    if (medians.has("10 services") && medians.has("100 services")) {
        console.log(`\n100 services / 10 services (median wall): ${(medians.get("100 services")! / medians.get("10 services")!).toFixed(2)}×, (median CPU): ${(cpuMedians.get("100 services")! / cpuMedians.get("10 services")!).toFixed(2)}×`);
    }
    console.log(`load average at end: ${os.loadavg().map(l => l.toFixed(2)).join(" ")}`);
}

main().catch(e => {
    console.error(e);
    process.exitCode = 1;
});
