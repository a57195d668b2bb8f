/**
 * Locating a policy pack on disk: its PulumiPolicy.yaml and the @pulumi/pulumi that runs it.
 */
import * as fs from "fs";
import * as path from "path";

/** The parts of PulumiPolicy.yaml that affect how the CLI boots and reports a pack. */
export interface PolicyPackProject {
    /** Absolute pack directory (where PulumiPolicy.yaml lives); the pack's working directory. */
    dir: string;
    runtime: string;
    /** `runtime.options`, passed by the CLI as `-key=value` arguments. */
    runtimeOptions: Record<string, unknown>;
    /** When set, the CLI reports this version instead of the pack's package.json version. */
    version: string | undefined;
}

interface YamlModule {
    load(text: string): unknown;
}

/**
 * Reads PulumiPolicy.yaml. Only `nodejs` packs are supported: other runtimes are booted by the
 * CLI through language plugins that do not exist here.
 */
export function loadPolicyPackProject(packDir: string): PolicyPackProject {
    const dir = path.resolve(packDir);
    const file = path.join(dir, "PulumiPolicy.yaml");
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new Error(`failed to load Pulumi policy project located at "${dir}": ${(e as Error).message}`);
    }
    const doc = loadYaml(text);
    if (!isRecord(doc)) {
        throw new Error(`${file}: expected a YAML mapping`);
    }
    const runtimeField = doc["runtime"];
    const runtime = isRecord(runtimeField) ? runtimeField["name"] : runtimeField;
    if (runtime !== "nodejs") {
        throw new Error(`${file}: runtime ${JSON.stringify(runtime)} is not supported; only nodejs policy packs can be hosted`);
    }
    const options = isRecord(runtimeField) && isRecord(runtimeField["options"]) ? runtimeField["options"] : {};
    const version = doc["version"];
    return {
        dir,
        runtime,
        runtimeOptions: options,
        version: version === undefined || version === null ? undefined : String(version),
    };
}

/**
 * Finds the `run-policy-pack` entry point of the @pulumi/pulumi the pack itself would load,
 * using Node's lookup from the pack directory (so a pack without its own node_modules uses the
 * nearest ancestor's, as in this monorepo).
 */
export function resolveRunPolicyPack(packDir: string): string {
    let pkgJson: string;
    try {
        pkgJson = require.resolve("@pulumi/pulumi/package.json", { paths: [packDir] });
    } catch {
        // Same advice the CLI gives when run-policy-pack is missing.
        throw new Error(
            `it looks like the policy pack's dependencies are not installed; ` +
                `try running npm install or yarn install in "${packDir}" (cannot resolve @pulumi/pulumi)`,
        );
    }
    return path.join(path.dirname(pkgJson), "cmd", "run-policy-pack");
}

/** Builds the CLI's extra plugin arguments from `runtime.options` (Go: `-%s=%s`, empties skipped). */
export function runtimeOptionArgs(options: Record<string, unknown>): string[] {
    const args: string[] = [];
    for (const [key, value] of Object.entries(options)) {
        const text = value === null || value === undefined ? "" : String(value);
        if (text !== "") {
            args.push(`-${key}=${text}`);
        }
    }
    return args;
}

function loadYaml(text: string): unknown {
    // js-yaml is a dependency of @pulumi/pulumi (which the CLI itself uses for Pulumi*.yaml), so
    // resolve it from there rather than relying on hoisting.
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from @pulumi/pulumi at run time
    const yaml = require(require.resolve("js-yaml", { paths: [pulumiDir] })) as YamlModule;
    return yaml.load(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
