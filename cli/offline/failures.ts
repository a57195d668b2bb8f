/**
 * Turns whatever a program threw into the one-line story the check prints after `error: program:`
 * (exit 2): what failed and where, never a stack trace.
 */
import * as path from "path";
import { ProgramRunError } from "./errors";

export interface FailureContext {
    pulumi: { RunError: { isInstance(x: unknown): boolean } };
    entryFile: string;
    programDir: string;
    /** Paths in the message are relative to this directory. */
    displayDir: string;
    /** Packages neither the program nor the check could resolve. */
    missing: Set<string>;
}

/** The program's own file a stack trace passes through first (not node_modules, not the check). */
function thrownIn(stack: string, programDir: string): string | undefined {
    const frame = stack
        .split("\n")
        .slice(1)
        .find((line) => line.includes(programDir) && !line.includes("node_modules"));
    const file = frame ? /((?:file:\/\/)?\/[^\s():]+\.[cm]?[jt]s)/.exec(frame)?.[1] : undefined;
    return file ? path.relative(programDir, file.replace(/^file:\/\//, "")) : undefined;
}

function isModuleNotFound(err: { code?: unknown }): boolean {
    return err.code === "MODULE_NOT_FOUND" || err.code === "ERR_MODULE_NOT_FOUND";
}

/** The ProgramRunError for a failed run (see the module comment). */
export function describeProgramFailure(e: unknown, ctx: FailureContext): ProgramRunError {
    if (e instanceof ProgramRunError) return e;
    const err =
        e instanceof Error ? e : new Error(typeof e === "string" ? e : `a non-Error value was thrown: ${JSON.stringify(e) ?? String(e)}`);
    const program = path.relative(ctx.displayDir, ctx.entryFile) || ctx.entryFile;
    if (isModuleNotFound(err as { code?: unknown }) && ctx.missing.size) {
        const packages = [...ctx.missing];
        return new ProgramRunError(
            `The program ${program} imports ${packages.map((p) => `\`${p}\``).join(", ")}, which neither the program ` +
                `nor the check has installed: run \`npm install ${packages.join(" ")}\` in ${ctx.programDir} (or \`npm ci\` if its package.json lists ${packages.length > 1 ? "them" : "it"}).`,
        );
    }
    // A RunError (e.g. a component's InvalidArgumentsError) is a message for people; TypeScript and
    // syntax errors name their location in the message. Otherwise: the message and the program's file.
    const where =
        ctx.pulumi.RunError.isInstance(err) || err.name === "TSError" || err.name === "SyntaxError"
            ? undefined
            : thrownIn(err.stack ?? "", ctx.programDir);
    const message =
        err.message
            .split("\n")
            .filter((line) => !/^\s+at /.test(line))
            .join("\n")
            .trim() || err.name;
    return new ProgramRunError(`The program ${program} failed: ${message}${where ? ` (thrown in ${where})` : ""}`);
}
