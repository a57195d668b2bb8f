/**
 * The image a container runs, as far as the program tells: an image the program builds from a
 * Dockerfile (linked by the build's outputs, or by the property dependencies of the containers when
 * the image is unknown in a preview) with that Dockerfile analysed, or a plain image reference.
 * Reads Dockerfiles from disk (bounded, never throws); relative paths are resolved against the
 * program directory, as `probe-tool-present-in-image` documents.
 */
import type { PolicyResource } from "@pulumi/policy";
import { type DockerfileAnalysis, analyzeDockerfile } from "../domain/index";
import { IMAGE_BUILD_TYPES, type ImageBuildView, UNKNOWN, isUnknown, readImageBuild, sourcesOfProperty } from "../resources";
import { isRemoteLocation, readFirstFile, resolveIn } from "./program-files";

export type ImageSource =
    { kind: "build"; build: ImageBuildView } | { kind: "reference"; reference: string } | { kind: "undecided"; reason: string };

/** Every image build of the stack (`awsx:ecr:Image`, `docker-build:index:Image`, `docker:index/image:Image`). */
export function imageBuilds(resources: readonly PolicyResource[]): ImageBuildView[] {
    return resources
        .filter((r) => IMAGE_BUILD_TYPES.includes(r.type))
        .map(readImageBuild)
        .filter((b): b is ImageBuildView => b !== undefined);
}

/** Where the container's `image` (its raw value) comes from. */
export function imageSourceOf(image: unknown, holder: PolicyResource, property: string, builds: ImageBuildView[]): ImageSource {
    if (typeof image === "string" && !isUnknown(image)) {
        const build = builds.find((b) => b.references.includes(image));
        return build ? { kind: "build", build } : { kind: "reference", reference: image };
    }
    if (image !== UNKNOWN && !isUnknown(image)) return { kind: "undecided", reason: "the container has no image" };
    const feeding = sourcesOfProperty(holder, property, IMAGE_BUILD_TYPES)
        .map(readImageBuild)
        .filter((b): b is ImageBuildView => b !== undefined);
    if (feeding.length === 1) return { kind: "build", build: feeding[0] };
    return {
        kind: "undecided",
        reason: `the image is not known yet and ${feeding.length === 0 ? "no" : feeding.length} image build(s) of this program feed it`,
    };
}

/** The Dockerfile of a build, analysed (final stage), or why it cannot be. */
export function analyzeBuild(
    build: ImageBuildView,
    programDir: string,
): { analysis: DockerfileAnalysis; where: string } | { undecided: string } {
    const name = `image build '${build.resource.name}'`;
    if (build.context === UNKNOWN || build.dockerfile === UNKNOWN || build.buildArgs === UNKNOWN || build.target === UNKNOWN) {
        return { undecided: `the build settings of ${name} are not known yet` };
    }
    const context = build.context ?? ".";
    let text: string;
    let where: string;
    if (build.dockerfile && "inline" in build.dockerfile) {
        text = build.dockerfile.inline;
        where = `the inline Dockerfile of ${name}`;
    } else {
        if (isRemoteLocation(context))
            return { undecided: `${name} builds from a remote context (${context}), which the pack cannot read` };
        const contextDir = resolveIn(programDir, context);
        const candidates = build.dockerfile
            ? [resolveIn(programDir, build.dockerfile.path), resolveIn(contextDir, build.dockerfile.path)]
            : [resolveIn(contextDir, "Dockerfile")];
        const read = readFirstFile(candidates);
        if ("error" in read)
            return {
                undecided: `the Dockerfile of ${name} cannot be read (${read.error}; build paths are resolved against the policy config \`programDirectory\` = ${programDir})`,
            };
        text = read.text;
        where = `the Dockerfile of ${name}`;
    }
    const analysis = analyzeDockerfile(text, { buildArgs: build.buildArgs });
    if (analysis.stages.length === 0) return { undecided: `${where} has no FROM instruction` };
    const last = analysis.stages[analysis.stages.length - 1];
    if (typeof build.target === "string" && build.target.toLowerCase() !== last.name) {
        return { undecided: `${name} builds stage \`${build.target}\`, and the pack follows only the final stage of ${where}` };
    }
    return { analysis, where };
}
