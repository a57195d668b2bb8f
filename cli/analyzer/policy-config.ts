/**
 * Policy configuration as the Pulumi CLI computes it before calling `Configure`.
 *
 * Mirrors pkg/resource/analyzer/config.go: `ReconcilePolicyPackConfig` starts from each
 * policy's schema defaults and its enforcement level from `GetAnalyzerInfo`, applies the pack's
 * initial config (the third argument of `new PolicyPack`), then the user's config (the
 * `--policy-pack-config` JSON file), each layer honouring the reserved key `all`, and finally
 * validates properties against each policy's JSON schema.
 */
import * as fs from "fs";
import type { ValidateFunction } from "ajv";
import { type EnforcementLevel, isEnforcementLevel } from "./diagnostics";
import type { default as AjvDefault } from "ajv";

/** One policy's configuration, as `--policy-pack-config` files write it. */
export type PolicyConfigInput = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);

/** A whole `--policy-pack-config` document: policy name (or `all`) to config. */
export type PolicyPackConfigInput = Record<string, PolicyConfigInput>;

/** A parsed policy config (Go `AnalyzerPolicyConfig`); the level may be absent in input layers. */
export interface PolicyConfigLayerEntry {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** The configuration one policy runs with after reconciliation. */
export interface ResolvedPolicyConfig {
    /** Absent only for a key that names no policy and was given properties without a level. */
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** The JSON schema of one policy's config (`configSchema` of the policy). */
export interface PolicyConfigSchema {
    properties: Record<string, Record<string, unknown>>;
    required: string[];
}

/** What reconciliation needs to know about each policy. */
export interface PolicyDefaults {
    name: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: PolicyConfigSchema;
}

/** Raised when the reconciled config violates a policy's schema; `errors` are one per problem. */
export class PolicyConfigValidationError extends Error {
    constructor(public readonly errors: string[]) {
        super(`validating policy config:\n  ${errors.join("\n  ")}`);
        this.name = "PolicyConfigValidationError";
    }
}

/** A parsed `--policy-pack-config` document: policy config and ESC environment references. */
export interface PolicyPackConfigDocument {
    config: Record<string, PolicyConfigLayerEntry>;
    /**
     * The top-level `environments` key (names of Pulumi ESC environments), which the CLI reads
     * besides the policies' config (Go `LoadPolicyPackConfigAndEnvironmentsFromFile`).
     */
    environments: string[];
}

/**
 * Parses a `--policy-pack-config` document into layer entries (Go `parsePolicyPackConfig`):
 * a string value is an enforcement level, an object may hold `enforcementLevel` plus properties,
 * empty entries are dropped; `environments` is not a policy (see {@link PolicyPackConfigDocument}).
 */
export function parsePolicyPackConfig(doc: unknown): Record<string, PolicyConfigLayerEntry> {
    return parsePolicyPackConfigDocument(doc).config;
}

/** {@link parsePolicyPackConfig}, also returning the `environments` references. */
export function parsePolicyPackConfigDocument(doc: unknown): PolicyPackConfigDocument {
    if (doc === undefined || doc === null) {
        return { config: {}, environments: [] };
    }
    if (typeof doc !== "object" || Array.isArray(doc)) {
        throw new Error("policy pack config must be a JSON object");
    }
    const { environments, ...policies } = doc as Record<string, unknown>;
    const result: Record<string, PolicyConfigLayerEntry> = {};
    for (const [key, value] of Object.entries(policies)) {
        const entry: PolicyConfigLayerEntry = {};
        if (typeof value === "string") {
            if (!isEnforcementLevel(value)) {
                throw new Error(`parsing enforcement level for "${key}": "${value}" is not a valid enforcement level`);
            }
            entry.enforcementLevel = value;
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            if (enforcementLevel !== undefined) {
                if (!isEnforcementLevel(enforcementLevel)) {
                    throw new Error(
                        `parsing enforcement level for "${key}": ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`,
                    );
                }
                entry.enforcementLevel = enforcementLevel;
            }
            if (Object.keys(properties).length > 0) {
                entry.properties = properties;
            }
        } else {
            throw new Error(`parsing "${key}": ${JSON.stringify(value)} is not a valid value; must be a string or object`);
        }
        if (entry.enforcementLevel !== undefined || entry.properties !== undefined) {
            result[key] = entry;
        }
    }
    return { config: result, environments: parseEnvironments(environments) };
}

/** The CLI's checks of `environments`, with its words. */
function parseEnvironments(value: unknown): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
        throw new Error(`"environments" must be an array of strings, got ${JSON.stringify(value)}`);
    }
    value.forEach((name, i) => {
        if (typeof name !== "string") throw new Error(`"environments[${i}]" must be a string, got ${JSON.stringify(name)}`);
    });
    return value as string[];
}

/** Reads and parses a `--policy-pack-config` JSON file; an empty file means no config. */
export function loadPolicyPackConfigFile(file: string): Record<string, PolicyConfigLayerEntry> {
    return loadPolicyPackConfigDocument(file).config;
}

/** {@link loadPolicyPackConfigFile}, also returning the `environments` references. */
export function loadPolicyPackConfigDocument(file: string): PolicyPackConfigDocument {
    const text = fs.readFileSync(file, "utf8");
    if (text.trim() === "") {
        return { config: {}, environments: [] };
    }
    try {
        return parsePolicyPackConfigDocument(JSON.parse(text));
    } catch (e) {
        throw new Error(`${file}: ${(e as Error).message}`);
    }
}

/**
 * Computes the config the CLI would send to `Configure`: defaults, then `initialConfig`, then
 * `userConfig`. Throws {@link PolicyConfigValidationError} if a policy's properties violate its
 * schema (the CLI refuses to run in that case).
 */
export function reconcilePolicyPackConfig(
    policies: PolicyDefaults[],
    initialConfig: Record<string, PolicyConfigLayerEntry> | undefined,
    userConfig: Record<string, PolicyConfigLayerEntry> | undefined,
): Record<string, ResolvedPolicyConfig> {
    let result = createConfigWithDefaults(policies);
    if (initialConfig) {
        result = applyConfig(result, initialConfig);
    }
    if (userConfig) {
        result = applyConfig(result, userConfig);
    }
    const errors = validatePolicyPackConfig(policies, result);
    if (errors.length > 0) {
        throw new PolicyConfigValidationError(errors);
    }
    return result;
}

function createConfigWithDefaults(policies: PolicyDefaults[]): Record<string, ResolvedPolicyConfig> {
    const result: Record<string, ResolvedPolicyConfig> = {};
    for (const policy of policies) {
        let properties: Record<string, unknown> | undefined;
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if ("default" in schema) {
                properties = properties ?? {};
                properties[key] = structuredClone(schema["default"]);
            }
        }
        result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties };
    }
    return result;
}

function applyConfig(
    result: Record<string, ResolvedPolicyConfig>,
    layer: Record<string, PolicyConfigLayerEntry>,
): Record<string, ResolvedPolicyConfig> {
    const next: Record<string, ResolvedPolicyConfig> = { ...result };
    // `all` sets the level of every policy known so far; per-policy entries below still win.
    const allLevel = layer["all"]?.enforcementLevel;
    if (allLevel !== undefined) {
        for (const [name, config] of Object.entries(next)) {
            next[name] = { enforcementLevel: allLevel, properties: config.properties };
        }
    }
    // Like the CLI, this also records `all` itself as an entry; the pack ignores unknown names.
    for (const [name, given] of Object.entries(layer)) {
        const existing = next[name];
        const enforcementLevel = given.enforcementLevel ?? existing?.enforcementLevel;
        let properties = existing?.properties ? { ...existing.properties } : undefined;
        if (given.properties && Object.keys(given.properties).length > 0) {
            properties = { ...(properties ?? {}), ...given.properties };
        }
        next[name] = { enforcementLevel, properties };
    }
    return next;
}

function validatePolicyPackConfig(policies: PolicyDefaults[], config: Record<string, ResolvedPolicyConfig>): string[] {
    const errors: string[] = [];
    for (const policy of policies) {
        if (!policy.configSchema) {
            continue;
        }
        const validate = compileSchema(policy.configSchema);
        const props = config[policy.name]?.properties ?? {};
        if (!validate(props)) {
            for (const error of validate.errors ?? []) {
                const where = error.instancePath ? `${error.instancePath.slice(1).replace(/\//g, ".")}: ` : "";
                errors.push(`${policy.name}: ${where}${error.message ?? "invalid"}`);
            }
        }
    }
    return errors;
}

type AjvInstance = AjvDefault;
let ajv: AjvInstance | undefined;

/**
 * Loads the JSON-schema validator. Requiring ajv costs tens of milliseconds, so the host calls
 * this while the pack process is still booting instead of after `GetAnalyzerInfo`.
 */
export function warmUpConfigValidator(): void {
    if (!ajv) {
        // ajv is loaded lazily on purpose (see above); require keeps it off the import path.
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above)
        const AjvClass = (require("ajv") as { default: new (opts: object) => AjvInstance }).default;
        // Not strict: policy schemas are written for the CLI's gojsonschema, which tolerates
        // unknown keywords and formats.
        ajv = new AjvClass({ strict: false, allErrors: true, validateFormats: false });
    }
}

function compileSchema(schema: PolicyConfigSchema): ValidateFunction {
    warmUpConfigValidator();
    const jsonSchema: Record<string, unknown> = { type: "object" };
    if (Object.keys(schema.properties).length > 0) {
        jsonSchema["properties"] = schema.properties;
    }
    if (schema.required.length > 0) {
        jsonSchema["required"] = schema.required;
    }
    return ajv!.compile(jsonSchema);
}
