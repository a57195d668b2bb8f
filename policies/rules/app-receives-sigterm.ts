import type { StackValidationPolicy } from "@pulumi/policy";
import {
    type DockerfileAnalysis,
    type SignalInput,
    hasTransparentEntrypoint,
    judgeSigterm,
    shellOfImageFamily,
    toolsInImage,
} from "../domain/index";
import { type StackContext, analyzeBuild, imageBuilds, imageSourceOf, programDirectory, stackRule } from "../kit";
import {
    type ContainerView,
    type ImageBuildView,
    type TaskDefinitionSource,
    UNKNOWN,
    asArray,
    asBoolean,
    field,
    fieldPath,
    isUnknown,
    taskDefinitionSources,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

export interface AppReceivesSigtermConfig {
    /** Directory of the Pulumi program (as in `probe-tool-present-in-image`): Dockerfiles are read relative to it. */
    programDirectory: string;
}

export const APP_RECEIVES_SIGTERM_DEFAULTS: AppReceivesSigtermConfig = { programDirectory: ".." };

type Ctx = StackContext<AppReceivesSigtermConfig>;
type ImageFacts = SignalInput["image"] & { shellForm: boolean };

/** What a plain image reference tells: its family's /bin/sh and whether its ENTRYPOINT passes the CMD through. */
function referenceFacts(reference: string): ImageFacts {
    const family = toolsInImage(reference).family;
    const known = family !== undefined;
    return {
        entrypoint: hasTransparentEntrypoint(family) ? undefined : "unknown",
        // docker-library images set an exec-form CMD; for other images the CMD is not known.
        cmd: known ? { form: "exec", argv: [`<the CMD of ${reference}>`] } : "unknown",
        sh: shellOfImageFamily(family),
        describe: `image ${JSON.stringify(reference)}`,
        shellForm: false,
    };
}

/** What a Dockerfile the program builds tells: its own ENTRYPOINT/CMD, else its base image's (shell-form ones run through SHELL). */
function buildFacts(analysis: DockerfileAnalysis, where: string): ImageFacts {
    const base = analysis.finalBase ? referenceFacts(analysis.finalBase) : undefined;
    return {
        // (`undefined` from the base means "no ENTRYPOINT", so no `??` chains here.)
        entrypoint: analysis.entrypoint !== undefined ? analysis.entrypoint : base ? base.entrypoint : "unknown",
        cmd: analysis.cmd !== undefined ? analysis.cmd : analysis.cmdResetByEntrypoint ? undefined : base ? base.cmd : "unknown",
        sh: base?.sh ?? shellOfImageFamily(undefined),
        describe: `${where} (based on ${analysis.finalBase ?? "?"})`,
        shellForm: [analysis.entrypoint, analysis.cmd].some((spec) => spec?.form === "shell"),
    };
}

/** An exec-form list of strings; `undefined` when unset; UNKNOWN when unknown; `null` when not a list of strings. */
function argvOf(value: unknown): string[] | undefined | typeof UNKNOWN | null {
    const list = asArray(value);
    if (list === UNKNOWN) return UNKNOWN;
    if (list === undefined) return undefined;
    if (list.some(isUnknown)) return UNKNOWN;
    return list.every((v) => typeof v === "string") ? (list as string[]) : null;
}

function hasShellInvocation(argv: string[] | undefined): boolean {
    return !!argv && /(^|\/)(sh|bash|dash|ash|zsh)$/.test(argv[0] ?? "") && argv.some((a) => /^-[a-z]*c[a-z]*$/.test(a));
}

function imageFacts(
    ctx: Ctx,
    source: TaskDefinitionSource,
    c: ContainerView,
    builds: ImageBuildView[],
): ImageFacts | { undecided: string } {
    const found = imageSourceOf(field(c.raw, "image"), source.resource, source.containersProperty, builds);
    if (found.kind === "undecided") return { undecided: found.reason };
    if (found.kind === "reference") return referenceFacts(found.reference);
    const built = analyzeBuild(found.build, programDirectory(ctx.config.programDirectory));
    return "undecided" in built ? built : buildFacts(built.analysis, built.where);
}

function judgeContainer(ctx: Ctx, source: TaskDefinitionSource, c: ContainerView, builds: ImageBuildView[]): void {
    const subject = ctx.subject(source.resource);
    const entryPoint = argvOf(field(c.raw, "entryPoint"));
    const command = argvOf(field(c.raw, "command"));
    const init = asBoolean(fieldPath(c.raw, "linuxParameters.initProcessEnabled"));
    if (entryPoint === UNKNOWN || command === UNKNOWN || init === UNKNOWN) {
        return ctx.report.undecided(subject, {
            path: `${c.path}.${entryPoint === UNKNOWN ? "entryPoint" : command === UNKNOWN ? "command" : "linuxParameters"}`,
        });
    }
    if (entryPoint === null || command === null) return; // not a list of strings: ECS rejects it
    if (init === true) return;
    const found = imageFacts(ctx, source, c, builds);
    const shellInSight = hasShellInvocation(entryPoint) || hasShellInvocation(command) || ("shellForm" in found && found.shellForm);
    // With an `entryPoint` the image's ENTRYPOINT and CMD no longer apply; only its /bin/sh does.
    const facts: ImageFacts | { undecided: string } = entryPoint
        ? {
              entrypoint: undefined,
              cmd: undefined,
              sh: "sh" in found ? found.sh : shellOfImageFamily(undefined),
              describe: "the image",
              shellForm: false,
          }
        : found;
    if ("undecided" in facts) {
        if (shellInSight) ctx.report.undecided(subject, { path: `${c.path}.image`, reason: facts.undecided });
        return;
    }
    const verdict = judgeSigterm({ entryPoint, command, initProcessEnabled: false, image: facts });
    if (verdict.verdict === "receives") return;
    if (verdict.verdict === "unknown") {
        // Only what the program shows is judged: an image whose CMD/ENTRYPOINT cannot be seen is no finding by itself.
        if (shellInSight) ctx.report.undecided(subject, { path: `${c.path}.${command ? "command" : "image"}`, reason: verdict.why });
        return;
    }
    const where = verdict.source === "image" ? `${facts.describe}` : `\`${verdict.source}\``;
    ctx.report.violation(subject, {
        path: `${c.path}.${verdict.source}`,
        found: `container '${c.name}' runs ${verdict.pid1} as PID 1 (from ${where})`,
        problem: verdict.why,
        fix: verdict.fix,
    });
}

/**
 * ECS stops a task with SIGTERM and kills it with SIGKILL after `stopTimeout`. A shell that stays
 * PID 1 (shell-form CMD on a Debian image, `sh -c "…"` without `exec`) swallows the SIGTERM, so
 * every deployment kills in-flight requests.
 */
export const appReceivesSigterm: StackValidationPolicy = {
    name: "app-receives-sigterm",
    description:
        "The process ECS signals (PID 1 of each container) must be the app or an init that forwards signals, not a shell that keeps SIGTERM from the app.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            programDirectory: {
                type: "string",
                default: APP_RECEIVES_SIGTERM_DEFAULTS.programDirectory,
                description:
                    "Directory of the Pulumi program (absolute, or relative to the policy pack's directory); build contexts and Dockerfile paths are resolved against it.",
            },
        },
    },
    validateStack: stackRule(APP_RECEIVES_SIGTERM_DEFAULTS, (ctx) => {
        const builds = imageBuilds(ctx.resources);
        for (const source of taskDefinitionSources(ctx.resources)) {
            const read = source.view.containers;
            if (read.status === "unknown") {
                ctx.report.undecided(ctx.subject(source.resource), {
                    path: read.field,
                    reason: "the containers (their command, entry point and image) are not known yet",
                });
                continue;
            }
            if (read.status !== "ok") continue;
            for (const c of read.containers) judgeContainer(ctx, source, c, builds);
        }
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(appReceivesSigterm, {
    levelNote: ` (stack policy)`,
    checks: `PID 1 of each container (raw task definitions, awsx args offline and the task definition
awsx creates in a real preview), from the container's \`entryPoint\`/\`command\` and, when the program
builds the image, the final stage's \`ENTRYPOINT\`/\`CMD\`/\`SHELL\` (Dockerfiles are read as in
[probe-tool-present-in-image](#probe-tool-present-in-image)). Docker's rules apply (shell form =
\`/bin/sh -c "…"\`; an exec-form ENTRYPOINT gets the CMD as arguments; ECS \`entryPoint\` replaces the
image's ENTRYPOINT and CMD, \`command\` the CMD). PID 1 is a violation when it is a shell that keeps
the app as its child (\`judgeSigterm\` in \`domain/signals.ts\`):

- dash — \`/bin/sh\` of Debian and Ubuntu based images (\`python:*-slim\`, \`node:*\`, \`debian\`, \`nginx\`) —
  runs every command of \`sh -c\` as a child, the last one included;
- bash and BusyBox ash (Alpine's \`/bin/sh\`) replace themselves with the script's last simple
  command, so there only a last command that is a pipeline, a background job or a compound command
  keeps the shell as PID 1.

Measured on this project's machine (\`sh -c '<script>'\`, then \`ps\` of the shell's pid): dash 0.5.12
keeps PID 1 for \`sleep 7\`, \`true && sleep 7\` and \`true; sleep 7\`; bash 5.2.15 and BusyBox 1.35
exec \`sleep 7\` in all three; all three keep PID 1 for \`sleep 7 | cat\`; \`exec sleep 7\` replaces
dash too. A script whose last command starts with \`exec\`, a script that \`trap\`s TERM, an init
(\`tini\`, \`dumb-init\`) as PID 1, or \`linuxParameters.initProcessEnabled: true\` pass.

Only what the program shows is judged: for an image the program does not build, its CMD and
ENTRYPOINT cannot be seen, so a container without \`command\`/\`entryPoint\` is not judged, and a
\`sh -c\` in \`command\` on an image whose ENTRYPOINT or \`/bin/sh\` is unknown is \`[undecided]\`.
Docker-library images (\`node\`, \`python\`, \`debian\`, \`alpine\`, \`nginx\`, …) have no ENTRYPOINT or one
that ends in \`exec "$@"\`, and are judged.`,
    rationale: `ECS stops a task with SIGTERM and sends SIGKILL after \`stopTimeout\`. A shell as PID 1 has
no SIGTERM handler, and PID 1 ignores signals it does not handle, so the app is killed with SIGKILL
mid-request on every deployment, scale-in and Spot interruption.`,
    config: `\`programDirectory\` (string, default \`".."\`): the Pulumi program's directory, as for
\`probe-tool-present-in-image\`.`,
    remediation: `The exec form (\`CMD ["node", "server.js"]\`), \`exec\` before the script's last command
(\`sh -c "migrate && exec node server.js"\`), or an init: \`linuxParameters: { initProcessEnabled: true }\`
in the container definition, or \`ENTRYPOINT ["tini", "--"]\` in the Dockerfile. The message says which
of the container's settings or Dockerfile lines makes the shell PID 1.`,
    examples: `Fails:
\`\`\`ts
{ name: "api", image: "python:3.12-slim", command: ["sh", "-c", "python -m migrate && python -m api"] }
\`\`\`
Passes:
\`\`\`ts
{ name: "api", image: "python:3.12-slim", command: ["sh", "-c", "python -m migrate && exec python -m api"] }
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: appReceivesSigterm, metadata };
