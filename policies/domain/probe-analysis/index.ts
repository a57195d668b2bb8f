/**
 * Container probe commands of ANY program: what they run, whether they can fail on an HTTP error,
 * and which endpoint they request. (Generating our own probe commands is probe-command.ts.)
 *
 * One concern per file: `analyze.ts` (the command's form: exec, CMD-SHELL, NONE, invalid),
 * `commands.ts` (the walk over scripts, pipelines and argv), `tools/` (one analyzer per program:
 * curl, wget, nc, grpc_health_probe, inline code), `targets.ts` (URLs and hosts), `result.ts`
 * (verdict → problems), `endpoint.ts` (the path and port policies align with the ALB). The shell
 * grammar is `../shell-parser.ts`.
 */
export { analyzeProbeCommand } from "./analyze";
export { type ProbeEndpoint, probePathAndPort } from "./endpoint";
export type { ProbeCommandAnalysis, ProbeCommandForm, ProbeProblem, ProbeProblemId, ProbeRequestTarget } from "./types";
// Re-exported from their own modules for the importers of the former single file.
export { PULUMI_UNKNOWN_SENTINEL } from "../pulumi-unknown";
export { shellSimpleCommands } from "../shell-parser";
