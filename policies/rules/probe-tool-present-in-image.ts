import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { type ToolPresence, analyzeProbeCommand, canonicalToolName, toolPresence, toolRunsAs, toolsInImage } from "../domain/index";
import { type StackContext, analyzeBuild, imageBuilds, imageSourceOf, programDirectory, stackRule } from "../kit";
import {
    CONTRACT_FIELD,
    type ContainerView,
    type ImageBuildView,
    TYPES,
    type TaskDefinitionSource,
    UNKNOWN,
    ancestorOfType,
    asArray,
    field,
    isUnknown,
    rawProps,
    readHealthContract,
    readTaskDefinition,
    taskDefinitionSources,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

export interface ProbeToolPresentInImageConfig {
    /**
     * Directory of the Pulumi program, against which build contexts and Dockerfile paths are
     * resolved; relative to the pack's directory (the CLI runs the pack there). Default `..`: a pack
     * kept in a folder of the program (`pulumi preview --policy-pack policies`).
     */
    programDirectory: string;
}

export const PROBE_TOOL_PRESENT_IN_IMAGE_DEFAULTS: ProbeToolPresentInImageConfig = { programDirectory: ".." };

/** What we know an image contains. */
type ImageContents = { tools: Record<string, ToolPresence>; describe: string } | { undecided: string };

/** Tools a probe can use instead, in order of preference, with the component's `probe.tool` name. */
const ALTERNATIVES: Array<{ tool: string; probeTool: string }> = [
    { tool: "curl", probeTool: "curl" },
    { tool: "wget", probeTool: "wget" },
    { tool: "python3", probeTool: "python" },
    { tool: "node", probeTool: "node" },
];

function fromBuild(build: ImageBuildView, programDir: string): ImageContents {
    const built = analyzeBuild(build, programDir);
    if ("undecided" in built) return built;
    return { tools: built.analysis.tools, describe: `${built.where} (final image based on ${built.analysis.finalBase ?? "?"})` };
}

function fromReference(image: string): ImageContents {
    const info = toolsInImage(image);
    if (info.family === undefined)
        return { undecided: `image ${JSON.stringify(image)} is neither built by this program nor in the table of known base images` };
    return { tools: info.tools as Record<string, ToolPresence>, describe: `image ${JSON.stringify(image)}` };
}

/** The contents of the image `image` (a container's raw value), linked to a build of this program when it is one. */
function imageContents(
    image: unknown,
    holder: PolicyResource,
    property: string,
    builds: ImageBuildView[],
    programDir: string,
): ImageContents {
    const found = imageSourceOf(image, holder, property, builds);
    if (found.kind === "undecided") return { undecided: found.reason };
    return found.kind === "build" ? fromBuild(found.build, programDir) : fromReference(found.reference);
}

type Finding = { missing: string; evidence: string; fix: string } | { undecided: string };

/** What the probe needs that the image lacks (or cannot be told). */
function probeFindings(command: unknown, contents: ImageContents, alternativesAs: "args" | "component"): Finding[] {
    const analysis = analyzeProbeCommand(command);
    if (analysis.form === "unknown") return [{ undecided: "the health check command is not known yet" }];
    if (
        analysis.form === "NONE" ||
        analysis.problems.some((p) =>
            [
                "command-not-a-list",
                "command-invalid",
                "command-empty",
                "missing-executable",
                "exec-form-single-string",
                "unknown-command-form",
            ].includes(p.id),
        )
    )
        return [];
    if ("undecided" in contents) return [contents];
    const findings: Finding[] = [];
    const unknown: string[] = [];
    const present = ALTERNATIVES.filter((a) => contents.tools[a.tool]?.present === true && contents.tools[a.tool]?.onPath !== false);
    const suggestion =
        present.length > 0
            ? alternativesAs === "component"
                ? `set \`probe.tool: "${present[0].probeTool}"\``
                : `probe with \`${present[0].tool}\`, which the image has`
            : "install a probe tool in the image (e.g. `RUN apt-get install -y --no-install-recommends curl`, `apk add curl`), or copy a static probe binary in";
    if (analysis.needsShell && analysis.form === "CMD-SHELL") {
        const sh = contents.tools.sh ?? { present: "unknown", evidence: "not recorded whether the image ships sh" };
        if (sh.present === false)
            findings.push({
                missing: "`/bin/sh` (CMD-SHELL runs the command through it)",
                evidence: sh.evidence,
                fix: `Use the exec form \`["CMD", …]\`, which needs no shell, and ${suggestion}`,
            });
        else if (sh.present === "unknown") unknown.push(`sh (${sh.evidence})`);
    }
    for (const executable of analysis.executables) {
        const presence = toolPresence({ tools: contents.tools as never }, executable);
        const runs = toolRunsAs(presence, executable);
        if (runs === true) continue;
        const tool = canonicalToolName(executable);
        if (runs === "unknown") {
            unknown.push(`${tool} (${presence.evidence})`);
            continue;
        }
        const offPath = presence.present === true && presence.path !== undefined;
        findings.push({
            missing: `\`${executable}\``,
            evidence: presence.evidence,
            fix: offPath
                ? `Call it by its path \`${presence.path}\`${alternativesAs === "component" ? `, or ${suggestion}` : ""}`
                : `${suggestion.charAt(0).toUpperCase()}${suggestion.slice(1)}`,
        });
    }
    if (unknown.length > 0) findings.push({ undecided: `whether ${contents.describe} contains ${unknown.join(", ")} is not known` });
    return findings;
}

function report(
    ctx: StackContext<ProbeToolPresentInImageConfig>,
    subject: ReturnType<StackContext<object>["subject"]>,
    path: string,
    who: string,
    describe: string,
    findings: Finding[],
): void {
    for (const f of findings) {
        if ("undecided" in f) {
            ctx.report.undecided(subject, { path, reason: f.undecided });
            continue;
        }
        ctx.report.violation(subject, {
            path,
            found: `${who} runs ${f.missing}, which ${describe} lacks (${f.evidence})`,
            problem:
                "The health check can never succeed: every task is marked UNHEALTHY after its start period and replaced, and each deployment rolls back",
            fix: f.fix,
        });
    }
}

function judgeContainer(
    ctx: StackContext<ProbeToolPresentInImageConfig>,
    source: TaskDefinitionSource,
    c: ContainerView,
    builds: ImageBuildView[],
    programDir: string,
): void {
    const subject = ctx.subject(source.resource);
    if (c.healthCheck === UNKNOWN) return ctx.report.undecided(subject, { path: `${c.path}.healthCheck` });
    if (!c.healthCheck) return;
    const command = field(c.healthCheck, "command");
    const list = asArray(command);
    if (list === UNKNOWN || (Array.isArray(list) && list.some(isUnknown)))
        return ctx.report.undecided(subject, { path: `${c.path}.healthCheck.command` });
    const contents = imageContents(field(c.raw, "image"), source.resource, source.containersProperty, builds, programDir);
    report(
        ctx,
        subject,
        `${c.path}.healthCheck.command`,
        `Container '${c.name}'`,
        "undecided" in contents ? "" : contents.describe,
        probeFindings(command, contents, "args"),
    );
}

/** HealthyFargateService: its contract's command against the image of its container (from its task definition child). */
function judgeComponent(
    ctx: StackContext<ProbeToolPresentInImageConfig>,
    component: PolicyResource,
    builds: ImageBuildView[],
    programDir: string,
): void {
    const subject = ctx.subject(component);
    const read = readHealthContract(rawProps(component.props));
    if (read.status === "unknown") return ctx.report.undecided(subject, { path: CONTRACT_FIELD });
    if (read.status !== "ok") return;
    const command = read.contract.command;
    if (command === UNKNOWN || (Array.isArray(command) && command.some(isUnknown)))
        return ctx.report.undecided(subject, { path: `${CONTRACT_FIELD}.probe.command` });
    const td = ctx.resources.find((r) => r.type === TYPES.taskDefinition && ancestorOfType(r, [TYPES.healthyFargateService]) === component);
    if (!td) return;
    const view = readTaskDefinition(td.type, rawProps(td.props));
    let contents: ImageContents;
    if (view?.containers.status === "ok") {
        const container = view.containers.containers.find((c) => c.name === read.contract.containerName) ?? view.containers.containers[0];
        if (!container) return;
        contents = imageContents(field(container.raw, "image"), td, "containerDefinitions", builds, programDir);
    } else if (view?.containers.status === "unknown") {
        contents = imageContents(UNKNOWN, td, "containerDefinitions", builds, programDir);
    } else {
        return;
    }
    const tool = field(field(field(rawProps(component.props), CONTRACT_FIELD), "probe"), "tool");
    report(
        ctx,
        subject,
        `${CONTRACT_FIELD}.probe.tool`,
        `The component's probe (\`probe.tool: ${JSON.stringify(tool)}\`)`,
        "undecided" in contents ? "" : contents.describe,
        probeFindings(command, contents, "component"),
    );
}

/**
 * A probe that calls a program the image does not have (`curl` in `python:*-slim`, `CMD-SHELL` in a
 * distroless image) fails every time: ECS replaces every task and the deployment rolls back.
 */
export const probeToolPresentInImage: StackValidationPolicy = {
    name: "probe-tool-present-in-image",
    description:
        "Every program a container health check runs (curl, wget, python3, node, nc, or /bin/sh for CMD-SHELL) must exist in the container's image.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            programDirectory: {
                type: "string",
                default: PROBE_TOOL_PRESENT_IN_IMAGE_DEFAULTS.programDirectory,
                description:
                    "Directory of the Pulumi program (absolute, or relative to the policy pack's directory); build contexts and Dockerfile paths are resolved against it.",
            },
        },
    },
    validateStack: stackRule(PROBE_TOOL_PRESENT_IN_IMAGE_DEFAULTS, (ctx) => {
        const programDir = programDirectory(ctx.config.programDirectory);
        const builds = imageBuilds(ctx.resources);
        for (const source of taskDefinitionSources(ctx.resources)) {
            if (source.component) continue; // judged through the component's contract below
            const read = source.view.containers;
            if (read.status === "unknown") {
                ctx.report.undecided(ctx.subject(source.resource), { path: read.field });
                continue;
            }
            if (read.status !== "ok") continue;
            for (const c of read.containers) judgeContainer(ctx, source, c, builds, programDir);
        }
        for (const component of ctx.resources.filter((r) => r.type === TYPES.healthyFargateService))
            judgeComponent(ctx, component, builds, programDir);
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(probeToolPresentInImage, {
    levelNote: ` (stack policy). "Cannot verify" reports (an image the pack does not
know, a Dockerfile it cannot read) are \`[undecided]\`, always advisory.`,
    checks: `each program a container health check runs (\`curl\`, \`wget\`, \`python3\`, \`node\`, \`nc\`,
\`sh\` for \`sh -c\`, and \`/bin/sh\` for \`CMD-SHELL\`), via \`analyzeProbeCommand\`, against the image:

- an image **built by the program** (\`awsx:ecr:Image\` \`context\`/\`dockerfile\`/\`args\`/\`target\`;
  \`docker-build:index:Image\` \`context.location\`, \`dockerfile.location\`|\`dockerfile.inline\`,
  \`buildArgs\`, \`target\`; \`docker:index/image:Image\` \`build.context\`/\`build.dockerfile\`/\`build.args\`/\`build.target\`)
  is judged from its Dockerfile with \`analyzeDockerfile\` (final stage, base image, packages
  installed and removed, binaries copied in). The container's \`image\` is linked to the build by
  the build's outputs (\`imageUri\`, \`ref\`, \`repoDigest\`, \`imageName\`, \`tags\`), or — when the image
  is unknown in a preview — by the property dependencies of the containers. A build \`target\` other
  than the final stage, a remote context, or a Dockerfile that cannot be read is undecided.
- any other image by the table of public base images (\`toolsInImage\`); an image not in the table
  is undecided.
- For HealthyFargateService, the contract's \`probe.command\` (generated from \`probe.tool\`) against
  the image of the component's task definition.

Relative build paths are resolved against \`programDirectory\`; the Dockerfile path is tried relative
to the program directory first, then to the build context.`,
    rationale: `A probe that calls a missing program fails every time: after the start period every task
is UNHEALTHY and replaced, and each deployment rolls back (\`curl\` in \`python:*-slim\`, \`CMD-SHELL\`
in distroless, \`node\` by name in \`gcr.io/distroless/nodejs*\` where it is \`/nodejs/bin/node\`).`,
    config: `\`programDirectory\` (string, default \`".."\`): the Pulumi program's directory, absolute or
relative to the pack's directory (the CLI runs the pack with its own directory as working
directory). The default fits a pack kept in a folder of the program, as here (\`pulumi preview
--policy-pack policies\`); set an absolute path when the pack lives elsewhere (a published pack, CI).`,
    remediation: `Probe with a tool the image has (the message names one; for HealthyFargateService set
\`probe.tool\`), install one in the Dockerfile, or use the exec form when the image has no shell.`,
    examples: `Fails:
\`\`\`ts
image: "python:3.12-slim",
healthCheck: { command: ["CMD", "curl", "-f", "http://localhost:8080/health/live"] }
\`\`\`
Passes:
\`\`\`ts
image: "python:3.12-slim",
healthCheck: { command: ["CMD", "python3", "-c", "import sys,urllib.request as u; sys.exit(0 if u.urlopen('http://localhost:8080/health/live', timeout=4).status < 400 else 1)"] }
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: probeToolPresentInImage, metadata };
