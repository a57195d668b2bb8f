/**
 * The health contract of one service: what it probes, how, with which timings, and the
 * deployment timeline that follows. Built once from the service's choices; the component
 * registers it as its own input (so policies can check it while child values are unknown during
 * a preview) and exposes it as an output; the CLI prints it.
 */
import {
    type DeploymentShape,
    type DeploymentStrategy,
    type DeploymentTimeline,
    type DrainBudget,
    type HealthTimings,
    type StartupBudget,
    deploymentTimeline,
    deriveHealthTimings,
} from "./health-timing";
import { type ProbeTool, probeCommand } from "./probe-command";
import type { ProbeToolChoice } from "./probe-tool-choice";

export interface ProbeContract {
    tool: ProbeTool;
    /** The exact `healthCheck.command` of the container. */
    command: string[];
    /** Path both the container and the ALB probe: answers while the process can serve, checks no dependency. */
    livenessPath: string;
    /** Path that reports dependency state (database, cache, upstreams). Nothing that kills tasks probes it. */
    readinessPath: string;
    /** Optional human/diagnostic status path; never probed. */
    statusPath?: string;
    /** HTTP codes the ALB accepts, e.g. "200-399". */
    matcher: string;
    port: number;
    /** How `tool` was decided: given in the args, chosen from the image, or the default for an unknown image. */
    toolChoice?: ProbeToolChoice;
}

export interface HealthContract {
    /** Version of this shape; bump when a field changes meaning. */
    schema: 1;
    containerName: string;
    probe: ProbeContract;
    startup: Required<StartupBudget>;
    timings: HealthTimings;
    deployment: Required<Pick<DeploymentShape, "desiredCount" | "minimumHealthyPercent" | "maximumPercent">> & {
        bakeTimeMinutes: number;
        strategy: DeploymentStrategy;
    };
    timeline: DeploymentTimeline;
}

export interface HealthContractInput {
    containerName: string;
    port: number;
    tool: ProbeTool;
    livenessPath: string;
    readinessPath: string;
    statusPath?: string;
    matcher: string;
    startup: StartupBudget;
    drain?: DrainBudget;
    desiredCount: number;
    minimumHealthyPercent: number;
    maximumPercent: number;
    bakeTimeMinutes?: number;
    /** Default "rolling". */
    strategy?: DeploymentStrategy;
    /** How `tool` was decided; recorded in `probe.toolChoice` when given. */
    toolChoice?: ProbeToolChoice;
}

/** Derives timings, probe command and deployment timeline from one set of choices. */
export function buildHealthContract(input: HealthContractInput): HealthContract {
    const startup = {
        expectedSeconds: input.startup.expectedSeconds,
        worstCaseSeconds: input.startup.worstCaseSeconds ?? input.startup.expectedSeconds * 2,
    };
    const timings = deriveHealthTimings({ startup, drain: input.drain });
    // The tool must give up before ECS's own timeout so that its exit code, not a kill, decides.
    const command = probeCommand(input.tool, { port: input.port, path: input.livenessPath, timeoutSeconds: timings.container.timeout - 1 });
    const deployment = {
        desiredCount: input.desiredCount,
        minimumHealthyPercent: input.minimumHealthyPercent,
        maximumPercent: input.maximumPercent,
        bakeTimeMinutes: input.bakeTimeMinutes ?? 0,
        strategy: input.strategy ?? "rolling",
    };
    return {
        schema: 1,
        containerName: input.containerName,
        probe: {
            tool: input.tool,
            command,
            livenessPath: input.livenessPath,
            readinessPath: input.readinessPath,
            ...(input.statusPath ? { statusPath: input.statusPath } : {}),
            matcher: input.matcher,
            port: input.port,
            ...(input.toolChoice ? { toolChoice: input.toolChoice } : {}),
        },
        startup,
        timings,
        deployment,
        timeline: deploymentTimeline(timings, startup, deployment),
    };
}
