/**
 * The program's project (`Pulumi.yaml`) and stack (`Pulumi.<stack>.yaml`) files, read and
 * validated as the Pulumi CLI reads them before it runs anything: stack name, runtime, declared
 * config types, required keys. Every problem is a {@link ProgramRunError} naming the key or file
 * and the fix (the check exits 2).
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ProgramRunError } from "./errors";

export interface ProjectFile {
    name: string;
    runtime: unknown;
    main?: string;
    config?: Record<string, { default?: unknown; value?: unknown }>;
}

/** Runtime options of `runtime: {name: nodejs, options: {…}}` the Node.js language host reads. */
export interface NodeRuntimeOptions {
    /** `typescript` (default true): register ts-node. */
    typescript: boolean;
    /** `tsconfig`: the tsconfig file, relative to the program's working directory. */
    tsconfig?: string;
}

// sdk/go/common/tokens/stack_name.go `ParseStackName`: 1-100 characters of [A-Za-z0-9_.-]. The CLI
// accepts `org/stack` and `org/project/stack` too; only the stack part names the config file.
const NAME_PART = /^[A-Za-z0-9_.-]+$/;
const MAX_STACK_NAME = 100;

/**
 * Validates a `--stack` value as the Pulumi CLI does, before any file is touched (a name is never a
 * path). Returns the plain stack name (the part after the last `/`) and the project part, if any.
 */
export function validateStackName(stack: string): { name: string; project?: string } {
    const parts = stack.split("/");
    const bad = (why: string) =>
        new ProgramRunError(
            `Invalid stack name ${JSON.stringify(stack)}: ${why} ` +
                "(Pulumi stack names are 1-100 characters of letters, digits, `-`, `_` and `.`, optionally as `org/stack` or `org/project/stack`).",
        );
    if (stack === "") throw bad("a stack name may not be empty");
    if (parts.length > 3) throw bad(`${parts.length - 1} '/' separators, at most 2 are allowed`);
    for (const part of parts) {
        if (part === "") throw bad("an empty part between '/' separators");
        const invalid = [...part].findIndex((c) => !NAME_PART.test(c));
        if (invalid >= 0) throw bad(`invalid character ${JSON.stringify(part[invalid])} in ${JSON.stringify(part)}`);
        if (part.length > MAX_STACK_NAME) throw bad(`${JSON.stringify(part.slice(0, 20))}… is longer than ${MAX_STACK_NAME} characters`);
    }
    return { name: parts[parts.length - 1], project: parts.length === 3 ? parts[1] : undefined };
}

/** Reads `Pulumi.yaml` of a program directory and checks that it is a Node.js project. */
export function readProjectFile(programDir: string): ProjectFile {
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(programDir, f)).find((f) => fs.existsSync(f));
    if (!file) throw new ProgramRunError(`No Pulumi.yaml in ${programDir}: --program must be a Pulumi project directory.`);
    let doc: any;
    try {
        doc = yaml.load(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new ProgramRunError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
    if (!doc || typeof doc.name !== "string") throw new ProgramRunError(`${file} has no project \`name\`.`);
    assertNodeRuntime(doc.runtime, file);
    return doc as ProjectFile;
}

/** The language host's name: `runtime: nodejs` or `runtime: {name: nodejs}` (bun runs Node.js programs too, differently). */
function runtimeName(runtime: unknown): unknown {
    return runtime && typeof runtime === "object" ? (runtime as { name?: unknown }).name : runtime;
}

function assertNodeRuntime(runtime: unknown, file: string): void {
    const name = runtimeName(runtime);
    if (name === "nodejs") return;
    const found = name === undefined ? "no `runtime`" : `\`runtime: ${typeof name === "string" ? name : JSON.stringify(name)}\``;
    throw new ProgramRunError(
        `The check runs Node.js programs only (Pulumi.yaml \`runtime: nodejs\`); ${path.basename(file)} has ${found}. ` +
            "Run the policy pack on this program with the Pulumi CLI instead: `pulumi preview --policy-pack <pack>`.",
    );
}

/** `runtime.options` as the Node.js language host parses them (sdk/nodejs/cmd/pulumi-language-nodejs `parseOptions`). */
export function nodeRuntimeOptions(project: ProjectFile): NodeRuntimeOptions {
    const options =
        project.runtime && typeof project.runtime === "object"
            ? ((project.runtime as { options?: Record<string, unknown> }).options ?? {})
            : {};
    if (options.typescript !== undefined && typeof options.typescript !== "boolean") {
        throw new ProgramRunError("Pulumi.yaml `runtime.options.typescript` must be a boolean (the Pulumi CLI rejects it too).");
    }
    if (options.tsconfig !== undefined && typeof options.tsconfig !== "string") {
        throw new ProgramRunError("Pulumi.yaml `runtime.options.tsconfig` must be a string (the Pulumi CLI rejects it too).");
    }
    return { typescript: options.typescript !== false, tsconfig: options.tsconfig as string | undefined };
}
