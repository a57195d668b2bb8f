/**
 * The stack's configuration inside the pack. The Pulumi CLI starts an analyzer with the stack's
 * config in the environment variable `PULUMI_CONFIG` — a JSON object of `namespace:key` → string,
 * secrets decrypted — as it does for programs (`constructEnv` in pulumi/pulumi
 * pkg/resource/plugin/analyzer_plugin.go); the offline check passes it the same way.
 *
 * Read from the environment on each call rather than through `new pulumi.Config(namespace)`: the
 * SDK reads the same variable, but into a process-global store that `pulumi.runtime.setAllConfig`
 * overwrites (tests, and programs run in the same process), while a policy's verdict must depend
 * only on what the CLI passed. Keys of the old form `namespace:config:key` are accepted, as the
 * SDK's `cleanKey` accepts them. Never throws.
 */

/** Namespace of the settings the pack reads from stack config (`healthy-fargate:productionLike`). */
export const PACK_CONFIG_NAMESPACE = "healthy-fargate";

export type StackConfigRead =
    | { status: "unset" }
    | { status: "set"; value: string }
    /** `PULUMI_CONFIG` itself, or the key's value, cannot be read. */
    | { status: "invalid"; reason: string };

/** The value of `namespace:key` in the stack config the CLI passed (`env.PULUMI_CONFIG`). */
export function readStackConfig(namespace: string, key: string, env: NodeJS.ProcessEnv = process.env): StackConfigRead {
    const raw = env.PULUMI_CONFIG;
    if (raw === undefined || raw === "") return { status: "unset" };
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        return { status: "invalid", reason: "PULUMI_CONFIG is not valid JSON" };
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        return { status: "invalid", reason: "PULUMI_CONFIG is not a JSON object" };
    }
    const config = parsed as Record<string, unknown>;
    const value = [`${namespace}:${key}`, `${namespace}:config:${key}`].map((k) => config[k]).find((v) => v !== undefined);
    if (value === undefined || value === null) return { status: "unset" };
    // The CLI sends every value as a string; tolerate plain JSON scalars from other hosts.
    if (typeof value === "string") return { status: "set", value };
    if (typeof value === "boolean" || typeof value === "number") return { status: "set", value: String(value) };
    return { status: "invalid", reason: `\`${namespace}:${key}\` is not a string` };
}

export type StackConfigBooleanRead = { status: "unset" } | { status: "set"; value: boolean } | { status: "invalid"; reason: string };

/** A boolean stack setting: `true`/`false` (as `pulumi.Config.getBoolean` accepts them), else invalid. */
export function readStackConfigBoolean(namespace: string, key: string, env: NodeJS.ProcessEnv = process.env): StackConfigBooleanRead {
    const read = readStackConfig(namespace, key, env);
    if (read.status !== "set") return read;
    if (read.value === "true" || read.value === "false") return { status: "set", value: read.value === "true" };
    return { status: "invalid", reason: `\`${namespace}:${key}\` is ${JSON.stringify(read.value.slice(0, 40))}, not true or false` };
}
