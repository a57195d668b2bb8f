/**
 * Cost of recording where each resource is constructed (SARIF locations,
 * cli/offline/source-positions.ts) on the bench's generated programs: the program's run alone
 * (the check's child process, as the check starts it), with the recording on and off
 * (`HEALTHY_FARGATE_SOURCE_POSITIONS=off`), alternating so both see the same load.
 *
 *   node -r ts-node/register/transpile-only bench/source-positions-bench.ts [--runs 5] [--services 100]
 *
 * Each sample is one process (`--one`) under GNU time: wall and CPU (user + system, the program's
 * child included). Medians are printed with the machine and the load average. A bench, not a test.
 */
import { spawn } from "child_process";
import * as os from "os";
import * as fs from "fs";
import { generateProgram } from "./generate-program";
import { runProgramIsolated } from "../cli/offline/isolated";

const argValue = (flag: string, fallback: number) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function one(dir: string): Promise<void> {
    const run = await runProgramIsolated({ programDir: dir, stack: "dev", timeoutMs: 30 * 60_000, onOutput: () => undefined });
    const located = run.resources.filter((r) => r.source).length;
    process.stdout.write(JSON.stringify({ resources: run.resources.length, located }) + "\n");
}

function sample(dir: string, positions: boolean): Promise<{ wallS: number; cpuS: number; located: number; resources: number }> {
    const timeFile = `${os.tmpdir()}/positions-bench-${process.pid}.time`;
    const args = ["-f", "%e %U %S", "-o", timeFile, process.execPath, "-r", "ts-node/register/transpile-only", __filename, "--one", dir];
    return new Promise((resolve, reject) => {
        let out = "";
        const child = spawn("/usr/bin/time", args, {
            env: { ...process.env, HEALTHY_FARGATE_SOURCE_POSITIONS: positions ? "on" : "off" },
            stdio: ["ignore", "pipe", "inherit"],
        });
        child.stdout.on("data", (d) => {
            out += d;
        });
        child.on("close", (code) => {
            if (code !== 0) return reject(new Error(`sample exited ${code}`));
            const [wall, user, system] = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
            resolve({ wallS: wall, cpuS: user + system, ...JSON.parse(out.trim().split("\n").pop()!) });
        });
    });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
    if (process.argv[2] === "--one") return one(process.argv[3]);
    const runs = argValue("--runs", 5);
    const dir = generateProgram(argValue("--services", 100));
    await sample(dir, true); // warm-up: transpile caches
    const on: Awaited<ReturnType<typeof sample>>[] = [];
    const off: typeof on = [];
    const load = [os.loadavg()[0]];
    for (let i = 0; i < runs; i++) {
        on.push(await sample(dir, true));
        off.push(await sample(dir, false));
        load.push(os.loadavg()[0]);
    }
    const row = (label: string, s: typeof on) =>
        `${label}: wall ${median(s.map((x) => x.wallS)).toFixed(2)} s, CPU ${median(s.map((x) => x.cpuS)).toFixed(2)} s ` +
        `(CPU ${s.map((x) => x.cpuS.toFixed(2)).join(", ")}), ${s[0].located}/${s[0].resources} resources located`;
    console.log(
        `${os.cpus().length} vCPU ${os.cpus()[0]?.model}, Node ${process.version}, load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`,
    );
    console.log(row("positions on ", on));
    console.log(row("positions off", off));
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
