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
    /** Answers the next `n` calls of `op` with a ThrottlingException. */
    throttle(op: string, n: number): void;
    close(): Promise<void>;
}

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
    if (value && typeof value === "object") return Object.entries(value).map(([k, v]) => `<${k}>${toXml(v)}</${k}>`).join("");
    return xmlEscape(String(value));
}

/** Starts the server on 127.0.0.1 with `api` (see `storyApi`). */
export async function startFakeAws(api: Record<string, Handler>): Promise<FakeAws> {
    const calls: Call[] = [];
    const throttled = new Map<string, number>();
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks).toString("utf8");
            const target = req.headers["x-amz-target"];
            const json = typeof target === "string";
            let op: string;
            let input: any;
            if (json) {
                const [prefix, name] = target.split(".");
                op = `${TARGET_PREFIX[prefix] ?? prefix}.${name}`;
                input = body ? JSON.parse(body) : {};
            } else {
                const form = new URLSearchParams(body);
                op = `ELBv2.${form.get("Action")}`;
                input = Object.fromEntries(form);
            }
            calls.push({ op, input, authorization: req.headers.authorization });
            const sendError = (type: string, message: string, status: number) => {
                if (json) {
                    res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": type });
                    res.end(JSON.stringify({ __type: type, message }));
                } else {
                    res.writeHead(status, { "content-type": "text/xml" });
                    res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${type}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`);
                }
            };
            const left = throttled.get(op) ?? 0;
            if (left > 0) {
                throttled.set(op, left - 1);
                return sendError("ThrottlingException", "Rate exceeded", 400);
            }
            const handler = api[op];
            if (!handler) return sendError("UnknownOperationException", `no such operation ${op}`, 400);
            let output: unknown;
            try {
                output = handler(input);
            } catch (err) {
                if (err instanceof StoryError) return sendError(err.type, err.message, err.status);
                return sendError("InternalFailure", String(err), 500);
            }
            if (json) {
                res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
                res.end(JSON.stringify(toWire(output)));
            } else {
                const action = op.slice("ELBv2.".length);
                res.writeHead(200, { "content-type": "text/xml" });
                res.end(`<${action}Response xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><${action}Result>${toXml(output)}</${action}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${action}Response>`);
            }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        calls,
        throttle: (op, n) => throttled.set(op, n),
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
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
export function runNode(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; stdout: string; stderr: string }> {
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
