/**
 * A loopback app for the smoke tests, over HTTP or HTTPS: a live probe that answers 200, a
 * ready probe that answers 503 (a degraded dependency), a route that never answers, redirects.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";

export interface AppServer {
    readonly url: string;
    readonly port: number;
    /** Path and Host header of every request, in order. */
    readonly requests: { path: string; host?: string; userAgent?: string }[];
    close(): Promise<void>;
}

const ROUTES: Record<string, (res: http.ServerResponse) => void> = {
    "/health/live": (res) => res.writeHead(200, { "content-type": "text/plain" }).end("ok"),
    "/health/status": (res) => res.writeHead(200, { "content-type": "application/json" }).end('{"version":"1.7.0"}'),
    "/health/ready": (res) => res.writeHead(503, { "content-type": "application/json" }).end('{"redis":"down"}'),
    "/moved": (res) => res.writeHead(302, { location: "/health/live" }).end(),
    "/loop": (res) => res.writeHead(302, { location: "/loop" }).end(),
    "/slow": () => {}, // accepted, never answered
};

/** Starts the app on 127.0.0.1; with `tls`, over HTTPS with that certificate. */
export async function startAppServer(tls?: { certPem: string; keyPem: string }): Promise<AppServer> {
    const requests: AppServer["requests"] = [];
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
        const path = new URL(req.url ?? "/", "http://x").pathname;
        requests.push({ path, host: req.headers.host, userAgent: req.headers["user-agent"] });
        (ROUTES[path] ?? ((r: http.ServerResponse) => r.writeHead(404).end()))(res);
    };
    const server = tls ? https.createServer({ cert: tls.certPem, key: tls.keyPem }, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
        port,
        requests,
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}
