/**
 * Command line of the doctor: runs one command (parsed by `command-line.ts`), prints its
 * result, and maps it to an exit code. Everything else is the library (`index.ts`).
 *
 * Exit codes, one meaning each: 0 healthy / succeeded / within budget; 1 a problem was found
 * (a cause, a failed or rolled-back deployment, a start-up beyond its budget, a failed smoke
 * request, a failed service in the scan); 2 the command could not run (credentials, not found,
 * throttled, a call timed out, the run's --timeout or --max-calls reached, an unexpected
 * answer); 64 bad arguments.
 */
import { AwsReader, type DoctorClients } from "./aws-reader";
import type { CallStats } from "./calls";
import { createClients } from "./clients";
import { collect } from "./collect";
import {
    parseCommandLine,
    USAGE,
    type Command,
    type DiagnoseCommand,
    type ScanCommand,
    type SmokeCommand,
    type StartupCommand,
    type WaitCommand,
} from "./command-line";
import { diagnose } from "./diagnose";
import { CannotRunError } from "./errors";
import { formatScan, formatScanMarkdown } from "./format-scan";
import { formatSmoke } from "./format-smoke";
import { formatStartup } from "./format-startup";
import { formatDiagnosis, formatWaitResult } from "./format-text";
import { createProgressDisplay, createScanProgress, type ProgressStream } from "./progress";
import { PROBLEM_STATUSES, scanCluster } from "./scan";
import { runSmoke } from "./smoke";
import { discoverSmokeTarget } from "./smoke-discover";
import { analyzeStartup } from "./startup";
import { readStartup } from "./startup-read";
import { waitForRollout } from "./wait";

/** Exit codes (public). */
export const EXIT = { ok: 0, problem: 1, cannotRun: 2, usage: 64 } as const;

/** What `main` talks to; tests pass their own. */
export interface MainIO {
    readonly stdout: { write(text: string): unknown };
    readonly stderr: ProgressStream;
    /** @default createClients */
    readonly clients?: (options: { region?: string }) => DoctorClients;
    readonly now?: () => Date;
    readonly sleep?: (ms: number) => Promise<void>;
}

/** What a command's runner gets. */
interface Run<C extends Command> {
    readonly command: C;
    readonly aws: AwsReader;
    readonly io: MainIO;
    readonly now: () => Date;
    /** Writes the result: JSON when `--format json`, else the text. */
    print(value: unknown, text: string): void;
}

/**
 * `wait` stops polling early enough to diagnose within its own --timeout: a quarter of it, at
 * most a minute, is kept for the final diagnosis.
 */
export function diagnosisReserveMs(timeoutMs: number): number {
    return Math.min(60_000, Math.floor(timeoutMs / 4));
}

async function runDiagnose({ command, aws, now, print }: Run<DiagnoseCommand>): Promise<number> {
    const ref = { cluster: command.cluster, service: command.service };
    const diagnosis = diagnose(await collect(aws, ref, { since: new Date(now().getTime() - command.sinceMs), now }));
    print(diagnosis, formatDiagnosis(diagnosis));
    return diagnosis.status === "healthy" ? EXIT.ok : EXIT.problem;
}

async function runWait({ command, aws, io, now, print }: Run<WaitCommand>): Promise<number> {
    const display = createProgressDisplay(io.stderr);
    let result;
    try {
        result = await waitForRollout(
            aws,
            { cluster: command.cluster, service: command.service },
            {
                timeoutMs: command.timeoutMs - diagnosisReserveMs(command.timeoutMs),
                pollMs: command.intervalMs,
                onProgress: display.onProgress,
                now,
                sleep: io.sleep,
            },
        );
    } finally {
        display.done();
    }
    print(result, formatWaitResult(result));
    return result.outcome === "succeeded" ? EXIT.ok : EXIT.problem;
}

async function runScan({ command, aws, io, now, print }: Run<ScanCommand>): Promise<number> {
    const progress = createScanProgress(io.stderr);
    let result;
    try {
        result = await scanCluster(aws, command.cluster, {
            since: new Date(now().getTime() - command.sinceMs),
            concurrency: command.concurrency,
            now,
            onProgress: progress.onProgress,
        });
    } finally {
        progress.done();
    }
    print(result, command.format === "markdown" ? formatScanMarkdown(result) : formatScan(result));
    if (result.services.some((r) => PROBLEM_STATUSES.includes(r.status))) return EXIT.problem;
    // Nothing wrong found, but not every service could be read: the scan could not fully run.
    return result.services.some((r) => r.status === "unreadable") ? EXIT.cannotRun : EXIT.ok;
}

async function runStartup({ command, aws, now, print }: Run<StartupCommand>): Promise<number> {
    const data = await readStartup(aws, { cluster: command.cluster, service: command.service }, { tasks: command.tasks, now });
    const declared =
        command.expectedSeconds !== undefined && command.worstCaseSeconds !== undefined
            ? { expectedSeconds: command.expectedSeconds, worstCaseSeconds: command.worstCaseSeconds }
            : undefined;
    const report = analyzeStartup(data, {
        ...(declared ? { declared } : {}),
        ...(command.probePattern ? { probePattern: command.probePattern } : {}),
    });
    print(report, formatStartup(report));
    return report.findings.length > 0 ? EXIT.problem : EXIT.ok;
}

async function runSmokeCommand({ command, aws, now, print }: Run<SmokeCommand>): Promise<number> {
    const fixed = { requests: command.requests, timeoutMs: command.timeoutMs, followRedirects: command.followRedirects };
    const found = command.url
        ? { target: { url: command.url, paths: command.paths ?? [], matcher: command.matcher ?? "200-399" }, notes: [] }
        : await discoverSmokeTarget(
              aws,
              { cluster: command.cluster!, service: command.service! },
              {
                  paths: command.paths,
                  matcher: command.matcher,
              },
          );
    const report = await runSmoke({ ...found.target, ...fixed }, { now, notes: found.notes });
    print(report, formatSmoke(report));
    return report.ok ? EXIT.ok : EXIT.problem;
}

const RUNNERS: { [K in Command["command"]]: (run: Run<Extract<Command, { command: K }>>) => Promise<number> } = {
    diagnose: runDiagnose,
    wait: runWait,
    startup: runStartup,
    smoke: runSmokeCommand,
    scan: runScan,
};

/** `AWS calls: 6 (ECS.DescribeServices 1, …), 0 retries`. */
export function describeCallStats(stats: CallStats): string {
    const apis = Object.entries(stats.byApi)
        .map(([api, n]) => `${api} ${n}`)
        .join(", ");
    return `AWS calls: ${stats.total}${apis ? ` (${apis})` : ""}, ${stats.retries} retries\n`;
}

/** What `--format json` prints when the command could not run. */
function cannotRunJson(command: Command, err: CannotRunError): object {
    const target = "service" in command && command.service ? { service: command.service } : {};
    const cluster = "cluster" in command && command.cluster ? { cluster: command.cluster } : {};
    const url = command.command === "smoke" && command.url ? { url: command.url } : {};
    const status = err.reason === "controller" ? "unsupported" : "unreadable";
    return { ...target, ...cluster, ...url, status, error: { reason: err.reason, message: err.message } };
}

/** Runs one command and returns its exit code (never throws for expected failures). */
export async function main(argv: string[], io: MainIO): Promise<number> {
    let command: Command;
    try {
        command = parseCommandLine(argv);
    } catch (err) {
        io.stderr.write(`doctor: ${(err as Error).message}\n${USAGE}`);
        return EXIT.usage;
    }
    const now = io.now ?? (() => new Date());
    const clients = (io.clients ?? createClients)({ region: command.region });
    // smoke's --timeout bounds each request, not the run (issue 14's interface).
    const deadline = command.command === "smoke" ? undefined : new Date(now().getTime() + command.timeoutMs);
    const aws = new AwsReader(clients, {
        callTimeoutMs: command.callTimeoutMs,
        maxCalls: command.maxCalls,
        deadline,
        now,
        sleep: io.sleep,
    });
    const print = (value: unknown, text: string) => {
        io.stdout.write(command.format === "json" ? JSON.stringify(value, null, 2) + "\n" : text);
    };
    try {
        const runner = RUNNERS[command.command] as (run: Run<Command>) => Promise<number>;
        return await runner({ command, aws, io, now, print });
    } catch (err) {
        if (!(err instanceof CannotRunError)) throw err;
        io.stderr.write(`doctor: ${err.message}\n`);
        if (command.format === "json") io.stdout.write(JSON.stringify(cannotRunJson(command, err), null, 2) + "\n");
        return EXIT.cannotRun;
    } finally {
        if (command.verbose) io.stderr.write(describeCallStats(aws.stats));
        clients.destroy?.();
    }
}

/** Runs the doctor as a command: the exit code set, a bug reported in one line. */
export function runCli(argv: string[] = process.argv.slice(2)): void {
    main(argv, { stdout: process.stdout, stderr: process.stderr }).then(
        (code) => {
            process.exitCode = code;
        },
        (err) => {
            // A bug, not an AWS answer: one line (the stack with DOCTOR_DEBUG=1), and 2: no result was made.
            const detail = process.env.DOCTOR_DEBUG ? (err as Error)?.stack : ((err as Error)?.message ?? String(err));
            const hint = process.env.DOCTOR_DEBUG ? "" : " (DOCTOR_DEBUG=1 shows the stack)";
            process.stderr.write(`doctor: internal error: ${detail}${hint}\n`);
            process.exitCode = EXIT.cannotRun;
        },
    );
}

if (require.main === module) runCli();
