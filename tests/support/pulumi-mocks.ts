/**
 * Unit-test harness for components: installs the project's recording mocks (the same placeholder
 * outputs the offline check uses) and gives access to every registration with its parent.
 */
import * as pulumi from "@pulumi/pulumi";
import { CapturedResource, installRecordingMocks } from "../../cli/offline/program-runner";

// Internal runtime module: the public API has no "wait until all registrations are done".
const settings = require("@pulumi/pulumi/runtime/settings");

export interface MockedRun {
    resources: CapturedResource[];
    /** Waits until every registration has been answered, then returns the captured resources. */
    settle(): Promise<CapturedResource[]>;
}

export async function withMocks(config: Record<string, string> = {}, stack = "test"): Promise<MockedRun> {
    const recorder = await installRecordingMocks(pulumi, settings, "healthy-fargate", stack);
    pulumi.runtime.setAllConfig({ "aws:region": "us-east-1", ...config });
    return {
        resources: recorder.resources,
        settle: async () => {
            await settings.waitForRPCs();
            recorder.attachOutputs();
            return recorder.resources;
        },
    };
}

/** Resolves an Output's value (test only). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise(resolve => output.apply(v => { resolve(v); return v; }));
}
