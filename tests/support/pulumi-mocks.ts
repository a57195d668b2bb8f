/**
 * Unit-test harness for components: installs the project's recording mocks (the same placeholder
 * outputs the offline check uses) and gives access to every registration with its parent.
 */
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, installRecordingMocks } from "../../cli/offline/program-runner";

// Internal runtime module: the public API has no "wait until all registrations are done".
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped on purpose: `waitForRPCs` is not in its .d.ts
const settings = require("@pulumi/pulumi/runtime/settings");

export interface MockedRun {
    resources: CapturedResource[];
    /** `customTimeouts` each registration carried, by `<type>::<name>` (the offline recorder does not keep them). */
    customTimeouts: Map<string, { create?: string; update?: string; delete?: string }>;
    /** Waits until every registration has been answered, then returns the captured resources. */
    settle(): Promise<CapturedResource[]>;
}

/** Wraps the (already recording) mock monitor once more to keep each registration's `customTimeouts`. */
function recordCustomTimeouts(): MockedRun["customTimeouts"] {
    const timeouts: MockedRun["customTimeouts"] = new Map();
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, res: unknown) => void) => {
        const t = req.getCustomtimeouts();
        if (t && (t.getCreate() || t.getUpdate() || t.getDelete())) {
            const recorded = { create: t.getCreate() || undefined, update: t.getUpdate() || undefined, delete: t.getDelete() || undefined };
            timeouts.set(`${req.getType()}::${req.getName()}`, recorded);
        }
        register(req, callback);
    };
    return timeouts;
}

export async function withMocks(config: Record<string, string> = {}, stack = "test"): Promise<MockedRun> {
    const recorder = await installRecordingMocks(pulumi, settings, "healthy-fargate", stack);
    pulumi.runtime.setAllConfig({ "aws:region": "us-east-1", ...config });
    return {
        resources: recorder.resources,
        customTimeouts: recordCustomTimeouts(),
        settle: async () => {
            await settings.waitForRPCs();
            recorder.attachOutputs();
            return recorder.resources;
        },
    };
}

/** Resolves an Output's value (test only). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) =>
        output.apply((v) => {
            resolve(v);
            return v;
        }),
    );
}

/** Waits for an Output and returns its value or the error it failed with (test only). */
export async function settleOutput<T>(output: pulumi.Output<T>): Promise<{ value?: T; error?: Error }> {
    try {
        return { value: await (output as any).promise() };
    } catch (error) {
        return { error: error as Error };
    }
}
