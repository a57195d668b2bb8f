/**
 * A stack's configuration as the Pulumi CLI hands it to a program: project defaults from
 * `Pulumi.yaml`, then `Pulumi.<stack>.yaml`, validated against the types the project declares
 * (`pkg/workspace/config.go` `validateStackConfigValue`, `sdk/go/common/workspace/project.go`
 * `ValidateConfigValue`) — a value `pulumi preview` would refuse stops the check too.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ProgramRunError } from "./errors";
import type { ProjectFile } from "./project";

export interface StackConfig {
    /** `namespace:key` → the string the runtime sees (objects and arrays as JSON). */
    config: Record<string, string>;
    /** Keys whose value is encrypted (`secure:`): the runtime treats them as secrets. */
    secretKeys: string[];
    notes: string[];
}

/** A project config declaration: `{type, items, secret, default | value}` or a short-hand value. */
interface Declaration {
    type?: unknown;
    items?: ItemsType;
    secret?: unknown;
    default?: unknown;
    value?: unknown;
}
interface ItemsType {
    type?: unknown;
    items?: ItemsType;
}

/** Text that marks a value the check could not decrypt; it names the key so findings trace back to it. */
export function secretPlaceholder(key: string): string {
    return `offline-secret-placeholder:${key}`;
}

function isDeclaration(decl: unknown): decl is Declaration {
    return decl !== null && typeof decl === "object" && !Array.isArray(decl);
}

/** The value a declaration gives (its `default` or `value`), or the short-hand value itself. */
function declaredValue(decl: unknown): unknown {
    return (isDeclaration(decl) ? (decl.default ?? decl.value) : decl) ?? undefined;
}

/** As `config.Value`: scalars become their text, maps and lists stay structured (JSON for the runtime). */
function asConfigValue(value: unknown): unknown {
    return value !== null && typeof value === "object" ? value : String(value);
}

/** `ValidateConfigValue` of the Pulumi CLI, on a value as `config.Value` holds it. */
export function matchesConfigType(type: unknown, items: ItemsType | undefined, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return typeof value === "string" ? /^[+-]?\d+$/.test(value) : Number.isInteger(value);
        case "boolean":
            return value === "true" || value === "false" || typeof value === "boolean";
        case "object":
            return value !== null && typeof value === "object" && !Array.isArray(value);
        default:
            return (
                Array.isArray(value) &&
                items !== undefined &&
                value.every((v) => matchesConfigType(items.type, items.items, asConfigValue(v)))
            );
    }
}

/** `InferFullTypeName`: `array<string>` for arrays, the type itself otherwise. */
function fullTypeName(type: unknown, items: ItemsType | undefined): string {
    return type === "array" && items ? `array<${fullTypeName(items.type, items.items)}>` : String(type);
}

function readStackFile(programDir: string, stack: string): { file: string; doc: any } {
    const file = path.join(programDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const available = fs
            .readdirSync(programDir)
            .filter((f) => /^Pulumi\..+\.ya?ml$/.test(f))
            .map((f) => f.replace(/^Pulumi\.|\.ya?ml$/g, ""));
        throw new ProgramRunError(
            `No stack file Pulumi.${stack}.yaml in ${programDir}.${available.length ? ` Stacks here: ${available.join(", ")}.` : ""} Pass --stack NAME.`,
        );
    }
    try {
        return { file, doc: yaml.load(fs.readFileSync(file, "utf8")) ?? {} };
    } catch (e) {
        throw new ProgramRunError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
}

/**
 * Checks the stack's values against the project's declarations, as the CLI does before it runs the
 * program: required keys present, declared types respected, `secret: true` keys encrypted.
 */
function validateAgainstDeclarations(project: ProjectFile, stack: string, fileName: string, stackValues: Map<string, unknown>): void {
    const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
    const missing: string[] = [];
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        const k = qualify(key);
        const given = stackValues.get(k);
        if (given === undefined) {
            if (k.split(":")[0] === project.name && declaredValue(decl) === undefined) missing.push(`'${key}'`);
            continue;
        }
        if (!isDeclaration(decl) || decl.type === undefined) continue;
        const secure = given !== null && typeof given === "object" && "secure" in (given as object);
        if (decl.secret === true && !secure) {
            throw new ProgramRunError(
                `Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret (Pulumi.yaml declares \`secret: true\`): set it with \`pulumi config set --secret ${key} …\`.`,
            );
        }
        // An encrypted value cannot be decrypted offline, so its type cannot be checked here.
        if (!secure && !matchesConfigType(decl.type, decl.items, asConfigValue(given))) {
            throw new ProgramRunError(
                `Stack '${stack}' with configuration key '${key}' must be of type '${fullTypeName(decl.type, decl.items)}' (as Pulumi.yaml declares; \`pulumi preview\` refuses it too): found ${JSON.stringify(given)} in ${fileName}.`,
            );
        }
    }
    if (missing.length) {
        throw new ProgramRunError(
            `Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (declared in Pulumi.yaml without a default, so \`pulumi preview\` refuses the stack too): set ${missing.length > 1 ? "them" : "it"} in ${fileName}, or give the declaration a \`default\` in Pulumi.yaml.`,
        );
    }
}

/**
 * The stack's configuration as Pulumi's runtime expects it (`project:key` → string), plus the keys
 * that are secret. Defaults declared in Pulumi.yaml apply first. Encrypted values cannot be
 * decrypted offline: they get a placeholder that stays a secret, and a note.
 */
export function loadStackConfig(programDir: string, project: ProjectFile, stack: string): StackConfig {
    const { file, doc } = readStackFile(programDir, stack);
    const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
    const stackValues = new Map(Object.entries(doc.config ?? {}).map(([k, v]) => [qualify(k), v] as [string, unknown]));
    validateAgainstDeclarations(project, stack, path.basename(file), stackValues);

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const notes: string[] = [];
    const toText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        const value = declaredValue(decl);
        if (value !== undefined) config[qualify(key)] = toText(value);
    }
    for (const [k, value] of stackValues) {
        if (value && typeof value === "object" && "secure" in (value as object)) {
            config[k] = secretPlaceholder(k);
            secretKeys.push(k);
            notes.push(`Config \`${k}\` is encrypted and cannot be decrypted offline; the check used a placeholder that stays a secret.`);
        } else {
            config[k] = toText(value);
        }
    }
    return { config, secretKeys, notes };
}
