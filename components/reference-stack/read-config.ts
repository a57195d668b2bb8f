import * as pulumi from "@pulumi/pulumi";
import { type StackConfig, StackConfigError, parseStackConfig, stackConfigSchema } from "./config";

/**
 * Reads the stack's `healthy-fargate:*` settings and validates them. The error is a RunError, so
 * `pulumi up` prints the problems without a stack trace.
 */
export function readStackConfig(): StackConfig {
    const config = new pulumi.Config("healthy-fargate");
    const raw: Record<string, unknown> = {};
    for (const key of Object.keys(stackConfigSchema.shape)) {
        const text = config.get(key);
        if (text === undefined) continue;
        raw[key] = parseValue(text);
    }
    // Unknown keys: Pulumi keeps all config of the namespace; report typos too.
    for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
        const [ns, key] = fullKey.split(":");
        if (ns === "healthy-fargate" && !(key in raw) && !(key in stackConfigSchema.shape)) raw[key] = parseValue(config.get(key) ?? "");
    }
    try {
        return parseStackConfig(raw, pulumi.getStack());
    } catch (e) {
        if (e instanceof StackConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
}

function parseValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
