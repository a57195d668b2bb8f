/**
 * Bench of the component package's plugin (provider/): how long the Pulumi CLI would wait for it.
 *
 *   node -r ts-node/register/transpile-only bench/provider-bench.ts [--runs 5]
 *
 * Each run starts the plugin as the CLI does (`node run-plugin provider <engine>` in a Python
 * program's directory; tests/support/provider-plugin.ts) and times: the port announcement
 * (run-plugin type-checks the plugin with ts-node), `GetSchema` (the analyzer builds a TypeScript
 * program of the component's types: what `pulumi package add` waits for once per SDK), and one
 * `Construct` of a service against a mock resource monitor (what each `pulumi preview`/`up` adds
 * per remote component, after the start). Medians with min–max, the machine and its load average
 * (other work on the machine makes wall times noisy).
 *
 * A bench, not a test: nothing here asserts.
 */
import * as os from "os";
import { construct, outputValue, startMonitor, startProviderPlugin, stopProviderPlugin } from "../tests/support/provider-plugin";
import { PORTABLE_SERVICE_TYPE } from "../provider/healthy-fargate-service";

interface Sample {
    startMs: number;
    schemaMs: number;
    constructMs: number;
}

const inputs = {
    cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/platform",
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
    listener: {
        listenerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2",
        securityGroupId: "sg-alb",
    },
    routing: { priority: 20, pathPatterns: ["/api/*"] },
    image: "public.ecr.aws/docker/library/python:3.12-slim",
    secrets: { TOKEN: { kind: "value", ref: outputValue("s3cr3t", { secret: true }) } },
};

async function once(): Promise<Sample> {
    const t0 = performance.now();
    const plugin = await startProviderPlugin();
    const t1 = performance.now();
    try {
        await plugin.schema();
        const t2 = performance.now();
        const monitor = await startMonitor("bench", "dev");
        const result = await construct(plugin.client, monitor.address, {
            type: PORTABLE_SERVICE_TYPE,
            name: "api",
            project: "bench",
            stack: "dev",
            inputs,
        });
        const t3 = performance.now();
        await monitor.close();
        if (result.error) throw result.error;
        return { startMs: t1 - t0, schemaMs: t2 - t1, constructMs: t3 - t2 };
    } finally {
        await stopProviderPlugin(plugin);
    }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
    const runsArg = process.argv.indexOf("--runs");
    const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
    const samples: Sample[] = [];
    const loads: number[] = [];
    for (let i = 0; i < runs; i++) {
        loads.push(os.loadavg()[0]);
        samples.push(await once());
        const s = samples[samples.length - 1];
        console.error(
            `run ${i + 1}/${runs}: start ${seconds(s.startMs)}, GetSchema ${seconds(s.schemaMs)}, Construct ${seconds(s.constructMs)}`,
        );
    }
    loads.push(os.loadavg()[0]);
    const cpu = os.cpus();
    console.log(
        `${cpu.length} × ${cpu[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.versions.node}; ` +
            `load average (1 min) ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; ${runs} runs`,
    );
    for (const key of ["startMs", "schemaMs", "constructMs"] as const) {
        const xs = samples.map((s) => s[key]);
        console.log(
            `${key.replace("Ms", "").padEnd(10)} median ${seconds(median(xs))} (${seconds(Math.min(...xs))}–${seconds(Math.max(...xs))})`,
        );
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
