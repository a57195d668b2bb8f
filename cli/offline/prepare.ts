/**
 * Everything about a program that can be known before it runs, checked as `pulumi preview` checks
 * it before running anything: the stack name (before any file is touched), `Pulumi.yaml` and its
 * runtime, the stack's config against the declared types, the entry point. Light on purpose (no
 * Pulumi, no TypeScript): the check calls it before it starts anything else.
 */
import * as path from "path";
import { ProgramRunError } from "./errors";
import { nodeRuntimeOptions, readProjectFile, validateStackName } from "./project";
import { loadStackConfig } from "./stack-config";
import { resolveEntry } from "./entry";

/** Everything about the program that can be known before it runs; throws ProgramRunError on anything `pulumi preview` refuses. */
export function prepareProgram(options: { programDir: string; stack: string }) {
    const stackName = validateStackName(options.stack);
    const programDir = path.resolve(options.programDir);
    const project = readProjectFile(programDir);
    if (stackName.project !== undefined && stackName.project !== project.name) {
        throw new ProgramRunError(
            `Stack ${JSON.stringify(options.stack)} names project '${stackName.project}', but ${programDir} is project '${project.name}'.`,
        );
    }
    const runtimeOptions = nodeRuntimeOptions(project);
    const stackConfig = loadStackConfig(programDir, project, stackName.name);
    const entry = resolveEntry(programDir, project);
    return { programDir, project, stackName: stackName.name, runtimeOptions, stackConfig, entry };
}
