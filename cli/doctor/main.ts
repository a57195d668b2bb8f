/**
 * Command line of the doctor: argument parsing, output format and exit codes. Everything else
 * is the library (`index.ts`).
 *
 *   doctor diagnose --cluster C --service S [--region R] [--since 2h] [--format text|json]
 *   doctor wait     --cluster C --service S [--region R] [--timeout 15m] [--interval 10s] [--format text|json]
 *
 * Exit codes: 0 healthy / deployment succeeded; 1 a cause was found, the service has not
 * settled, or the deployment failed, rolled back, was superseded or timed out; 2 the service
 * could not be read; 64 bad arguments.
 */
import { parseArgs } from "node:util";
import { createClients } from "./clients";
import { collect, type DoctorClients } from "./collect";
import { diagnose } from "./diagnose";
import { parseDuration } from "./duration";
import { ServiceUnreadableError } from "./errors";
import { formatDiagnosis, formatWaitResult } from "./format-text";
import { createProgressDisplay, type ProgressStream } from "./progress";
import { MIN_POLL_MS, waitForRollout } from "./wait";

/** Exit codes (public). */
export const EXIT = { ok: 0, problem: 1, unreadable: 2, usage: 64 } as const;

/** What `main` talks to; tests pass their own. */
export interface MainIO {
    readonly stdout: { write(text: string): unknown };
    readonly stderr: ProgressStream;
    /** @default createClients */
    readonly clients?: (options: { region?: string }) => DoctorClients;
    readonly now?: () => Date;
    readonly sleep?: (ms: number) => Promise<void>;
}

const USAGE = `usage:
  doctor diagnose --cluster C --service S [--region R] [--since 2h] [--format text|json]
  doctor wait     --cluster C --service S [--region R] [--timeout 15m] [--interval 10s] [--format text|json]
exit codes: 0 healthy/succeeded, 1 cause found or deployment failed, 2 service unreadable, 64 bad arguments
`;

class UsageError extends Error {}

interface Parsed {
    readonly command: "diagnose" | "wait";
    readonly cluster: string;
    readonly service: string;
    readonly region?: string;
    readonly format: "text" | "json";
    readonly sinceMs: number;
    readonly timeoutMs: number;
    readonly intervalMs: number;
}

/** Parses argv (without node and script). @throws UsageError */
export function parseCommandLine(argv: string[]): Parsed {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                cluster: { type: "string" },
                service: { type: "string" },
                region: { type: "string" },
                since: { type: "string", default: "2h" },
                format: { type: "string", default: "text" },
                timeout: { type: "string", default: "15m" },
                interval: { type: "string", default: "10s" },
            },
        });
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    const { values, positionals } = parsed;
    const command = positionals[0];
    if (command !== "diagnose" && command !== "wait") throw new UsageError(`unknown command ${command ? `"${command}"` : "(none)"}: use \`diagnose\` or \`wait\`.`);
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}".`);
    if (!values.cluster || !values.service) throw new UsageError("`--cluster` and `--service` are required.");
    if (values.format !== "text" && values.format !== "json") throw new UsageError(`\`--format\` must be text or json (got "${values.format}").`);
    let durations;
    try {
        durations = {
            sinceMs: parseDuration(values.since!, "--since"),
            timeoutMs: parseDuration(values.timeout!, "--timeout"),
            intervalMs: parseDuration(values.interval!, "--interval"),
        };
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    // A zero interval would call DescribeServices in a tight loop until the timeout and throttle
    // the account's ECS API for everyone (deployments included).
    if (durations.intervalMs < MIN_POLL_MS) throw new UsageError(`\`--interval\` must be at least 1s (got "${values.interval}").`);
    return {
        command,
        cluster: values.cluster,
        service: values.service,
        ...(values.region ? { region: values.region } : {}),
        format: values.format,
        ...durations,
    };
}

/** Runs one command and returns its exit code (never throws for expected failures). */
export async function main(argv: string[], io: MainIO): Promise<number> {
    let args: Parsed;
    try {
        args = parseCommandLine(argv);
    } catch (err) {
        io.stderr.write(`doctor: ${(err as Error).message}\n${USAGE}`);
        return EXIT.usage;
    }
    const now = io.now ?? (() => new Date());
    const clients = (io.clients ?? createClients)({ region: args.region });
    const ref = { cluster: args.cluster, service: args.service };
    const print = (value: unknown, text: string) => io.stdout.write(args.format === "json" ? JSON.stringify(value, null, 2) + "\n" : text);
    try {
        if (args.command === "diagnose") {
            const diagnosis = diagnose(await collect(clients, ref, { since: new Date(now().getTime() - args.sinceMs), now }));
            print(diagnosis, formatDiagnosis(diagnosis));
            return diagnosis.status === "healthy" ? EXIT.ok : EXIT.problem;
        }
        const display = createProgressDisplay(io.stderr);
        let result;
        try {
            result = await waitForRollout(clients, ref, {
                timeoutMs: args.timeoutMs, pollMs: args.intervalMs, onProgress: display.onProgress, now, sleep: io.sleep,
            });
        } finally {
            display.done();
        }
        print(result, formatWaitResult(result));
        return result.outcome === "succeeded" ? EXIT.ok : EXIT.problem;
    } catch (err) {
        if (!(err instanceof ServiceUnreadableError)) throw err;
        io.stderr.write(`doctor: ${err.message}\n`);
        if (args.format === "json") {
            print({ service: args.service, cluster: args.cluster, status: "unreadable", error: { reason: err.reason, message: err.message } }, "");
        }
        return EXIT.unreadable;
    }
}

if (require.main === module) {
    main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
        (code) => { process.exitCode = code; },
        (err) => {
            // A bug, not an AWS answer: show the stack, and use 2 since no diagnosis was made.
            process.stderr.write(`doctor: unexpected error: ${err instanceof Error ? err.stack : String(err)}\n`);
            process.exitCode = EXIT.unreadable;
        },
    );
}
