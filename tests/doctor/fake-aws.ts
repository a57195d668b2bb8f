/**
 * A loopback HTTP server that speaks the wire protocols of the installed SDK clients, so the
 * CLI can be run as a user runs it (real SDK, real signing, real retries) without AWS:
 * - ECS and CloudWatch Logs: AWS JSON 1.1 (`POST /`, `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Op>`
 *   / `Logs_20140328.<Op>`, timestamps as epoch seconds), as `@aws-sdk/client-ecs` 3.1164 and
 *   `client-cloudwatch-logs` 3.1169 declare (`AwsJson1_1Protocol`);
 * - ELBv2: AWS Query (form-encoded `Action=…`, XML answers), `AwsQueryProtocol`.
 */
import { spawn } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { DoctorClients } from "../../cli/doctor/aws-reader";
import { main } from "../../cli/doctor/main";
import { StoryError } from "./stories";

type Handler = (input: any) => unknown;

/** One request the server answered. */
export interface Call {
    readonly op: string;
    readonly input: any;
    readonly authorization?: string;
}

export interface FakeAws {
    readonly url: string;
    readonly calls: Call[];
    /** Answers the next `n` calls of `op` with a ThrottlingException (or, with `status`, a bare HTTP error). */
    throttle(op: string, n: number, status?: number): void;
    /** Answers the next `n` calls of `op` (default: all) with this raw body and HTTP status. */
    answerRaw(op: string, body: string, options?: { status?: number; n?: number }): void;
    /** Accepts the next `n` calls of `op` (default: all) and never answers them. */
    hang(op: string, n?: number): void;
    /** Delay before every answer, in ms (the bench's injected latency). */
    latencyMs: number;
    close(): Promise<void>;
}

/** A fault planned for the next calls of one operation. */
type Fault = { kind: "throttle"; status?: number } | { kind: "raw"; body: string; status: number } | { kind: "hang" };

const TARGET_PREFIX: Record<string, string> = { AmazonEC2ContainerServiceV20141113: "ECS", Logs_20140328: "Logs" };

/** Dates become epoch seconds, as AWS JSON 1.1 sends timestamps. */
function toWire(value: unknown): unknown {
    if (value instanceof Date) return value.getTime() / 1000;
    if (Array.isArray(value)) return value.map(toWire);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
    return value;
}

function xmlEscape(s: string): string {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Minimal AWS Query XML for an object: arrays become `<member>` lists. */
function toXml(value: unknown): string {
    if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join("");
    if (value && typeof value === "object")
        return Object.entries(value)
            .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
            .join("");
    return xmlEscape(String(value));
}

/** An operation's name (`ECS.ListTasks`, `ELBv2.DescribeRules`) and input, from a request. */
function parseRequest(req: http.IncomingMessage, body: string): { op: string; input: any; json: boolean } {
    const target = req.headers["x-amz-target"];
    if (typeof target === "string") {
        const [prefix, name] = target.split(".");
        return { op: `${TARGET_PREFIX[prefix] ?? prefix}.${name}`, input: body ? JSON.parse(body) : {}, json: true };
    }
    const form = new URLSearchParams(body);
    return { op: `ELBv2.${form.get("Action")}`, input: Object.fromEntries(form), json: false };
}

function sendError(res: http.ServerResponse, json: boolean, type: string, message: string, status: number): void {
    if (json) {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": type });
        res.end(JSON.stringify({ __type: type, message }));
    } else {
        res.writeHead(status, { "content-type": "text/xml" });
        res.end(
            `<ErrorResponse><Error><Type>Sender</Type><Code>${type}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
        );
    }
}

/** Answers from the story's API: JSON 1.1 for ECS and Logs, Query XML for ELBv2. */
function answer(api: Record<string, Handler>, op: string, input: any, json: boolean, res: http.ServerResponse): void {
    const handler = api[op];
    if (!handler) return sendError(res, json, "UnknownOperationException", `no such operation ${op}`, 400);
    let output: unknown;
    try {
        output = handler(input);
    } catch (err) {
        if (err instanceof StoryError) return sendError(res, json, err.type, err.message, err.status);
        return sendError(res, json, "InternalFailure", String(err), 500);
    }
    if (json) {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(toWire(output)));
        return;
    }
    const action = op.slice("ELBv2.".length);
    res.writeHead(200, { "content-type": "text/xml" });
    res.end(
        `<${action}Response xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><${action}Result>${toXml(output)}</${action}Result>` +
            `<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${action}Response>`,
    );
}

/** Plays a planned fault; false when there is none for this call. */
function playFault(fault: Fault | undefined, json: boolean, res: http.ServerResponse): boolean {
    if (!fault) return false;
    if (fault.kind === "hang") return true; // accepted, never answered
    if (fault.kind === "raw") {
        res.writeHead(fault.status, { "content-type": json ? "application/x-amz-json-1.1" : "text/xml" });
        res.end(fault.body);
    } else if (fault.status) {
        res.writeHead(fault.status, { "content-type": "text/plain" });
        res.end("Too Many Requests");
    } else {
        sendError(res, json, "ThrottlingException", "Rate exceeded", 400);
    }
    return true;
}

/** Starts the server on 127.0.0.1 with `api` (see `storyApi`). */
export async function startFakeAws(api: Record<string, Handler>): Promise<FakeAws> {
    const calls: Call[] = [];
    const faults = new Map<string, { fault: Fault; left: number }[]>();
    const plan = (op: string, fault: Fault, n: number) => faults.set(op, [...(faults.get(op) ?? []), { fault, left: n }]);
    /** The fault for this call of `op`, if one is planned (each plan is used `left` times). */
    const nextFault = (op: string): Fault | undefined => {
        const planned = faults.get(op)?.find((f) => f.left > 0);
        if (planned) planned.left--;
        return planned?.fault;
    };
    let latencyMs = 0;
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
            const { op, input, json } = parseRequest(req, Buffer.concat(chunks).toString("utf8"));
            calls.push({ op, input, authorization: req.headers.authorization });
            const fault = nextFault(op);
            const respond = () => playFault(fault, json, res) || answer(api, op, input, json, res);
            if (latencyMs > 0 && fault?.kind !== "hang") setTimeout(respond, latencyMs);
            else respond();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        calls,
        throttle: (op, n, status) => plan(op, { kind: "throttle", status }, n),
        answerRaw: (op, body, options = {}) => plan(op, { kind: "raw", body, status: options.status ?? 200 }, options.n ?? Infinity),
        hang: (op, n = Infinity) => plan(op, { kind: "hang" }, n),
        get latencyMs() {
            return latencyMs;
        },
        set latencyMs(ms: number) {
            latencyMs = ms;
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections(); // hung requests included
            }),
    };
}

/** A loopback URL where nothing listens (connection refused). */
export async function refusedUrl(): Promise<string> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return `http://127.0.0.1:${port}`;
}

/** Environment for a CLI child process talking to `fake` with fake credentials only. */
export function fakeAwsEnv(fake: FakeAws, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const keep = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
    return {
        ...keep,
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLEDOCTOR",
        AWS_SECRET_ACCESS_KEY: "doctor-test-secret",
        AWS_REGION: "eu-west-1",
        // The SDK's per-service endpoint variables (service ids "ECS", "Elastic Load Balancing v2",
        // "CloudWatch Logs"); no generic AWS_ENDPOINT_URL, so each name is proven to work.
        AWS_ENDPOINT_URL_ECS: fake.url,
        AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: fake.url,
        AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fake.url,
        // Hermetic: no profile files, no instance metadata lookups.
        AWS_CONFIG_FILE: "/nonexistent/doctor-config",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/doctor-credentials",
        AWS_EC2_METADATA_DISABLED: "true",
        ...extra,
    };
}

/** Runs `node <args>` asynchronously (the fake server lives in this process) and captures it. */
export function runNode(
    args: string[],
    options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, options);
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

/**
 * Real SDK clients (real serialization, signing and parsing) talking to `url`, for in-process
 * runs of `main` — what the CLI builds from the AWS_ENDPOINT_URL_* variables, without a child process.
 */
export function loopbackClients(url: string, region = "eu-west-1"): DoctorClients {
    const common = {
        region,
        endpoint: url,
        maxAttempts: 1,
        credentials: { accessKeyId: "AKIDEXAMPLEDOCTOR", secretAccessKey: "doctor-test-secret" },
    };
    const ecs = new ECSClient(common);
    const elb = new ElasticLoadBalancingV2Client(common);
    const logs = new CloudWatchLogsClient(common);
    return { ecs, elb, logs: () => logs, destroy: () => [ecs, elb, logs].forEach((c) => c.destroy()) };
}

/**
 * Runs the doctor's `main` in-process against `url` with real SDK clients, capturing its output.
 * Backoff pauses are skipped (the retries themselves still happen) unless `realTime`.
 */
export async function runMainOn(url: string, args: string[], options: { tty?: boolean; realTime?: boolean } = {}) {
    let stdout = "";
    let stderr = "";
    const code = await main(args, {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { isTTY: options.tty ?? false, write: (t: string) => (stderr += t) },
        clients: () => loopbackClients(url),
        ...(options.realTime ? {} : { sleep: async () => {} }),
    });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}
