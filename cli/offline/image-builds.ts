/**
 * Nothing external runs offline: no `docker build`, no `docker push`, no registry login.
 *
 * Where each image builder runs (read from each package's source):
 * - `@pulumi/docker` 4.x `Image` and `@pulumi/docker-build` `Image` are custom resources, and awsx
 *   2.x/3.x `ecr.Image` is a remote component: their provider plugin builds, so under mocks they are
 *   only registered; their placeholder outputs (placeholder-outputs.ts) carry an image URI with a
 *   digest, and their inputs keep the context and Dockerfile for `probe-tool-present-in-image`.
 * - `@pulumi/docker` 3.x builds **in the program's process**, in preview too: its `Image` component
 *   and awsx classic (`ecs.Image.fromPath`/`fromDockerBuild`, `ecr.buildAndPushImage`) call its
 *   `buildAndPushImage`, which runs the `docker` CLI. That function is replaced here, as its module
 *   loads, by one that returns `<repository>:offline-<hash of the build context>` without running anything.
 */
import * as fs from "fs";
import * as path from "path";
import { shortHash } from "./placeholder-outputs";

const Module: any = require("module");
const DOCKER_V3_MODULE = /[\\/]@pulumi[\\/]docker[\\/]docker\.js$/;

function packageMajor(moduleFile: string): number {
    try {
        const version = String(JSON.parse(fs.readFileSync(path.join(path.dirname(moduleFile), "package.json"), "utf8")).version);
        // Old Pulumi packages write their version with a "v" ("v3.6.1").
        return Number(version.replace(/^v/, "").split(".")[0]);
    } catch {
        return 0;
    }
}

/** The build context a `pathOrBuild` argument of docker 3.x names (a path, or `{context, dockerfile}`). */
function contextOf(pathOrBuild: unknown): string {
    if (typeof pathOrBuild === "string") return pathOrBuild;
    const build = pathOrBuild as { context?: unknown; dockerfile?: unknown } | undefined;
    const context = typeof build?.context === "string" ? build.context : ".";
    return typeof build?.dockerfile === "string" ? `${context}#${build.dockerfile}` : context;
}

function patchDockerV3(exports: any, pulumi: any, notes: string[]): void {
    const offlineBuild = (imageName: string, pathOrBuild: unknown, repositoryUrl: unknown) =>
        pulumi.all([pathOrBuild, repositoryUrl]).apply(([build, repo]: [unknown, unknown]) => {
            const context = contextOf(build);
            notes.push(
                `Image '${imageName}' is built by @pulumi/docker 3.x from ${context}; offline nothing is built or pushed, the image is named by a placeholder.`,
            );
            const base = typeof repo === "string" && repo !== "" ? repo : String(imageName).split(":")[0];
            return `${base}:offline-${shortHash(`${context}|${imageName}`, 12)}`;
        });
    exports.buildAndPushImage = offlineBuild;
    exports.buildAndPushImageAsync = (...args: [string, unknown, unknown]) => offlineBuild(...args).promise();
}

/** Installs the replacement for modules loaded from now on (see the module comment). */
export function neutraliseImageBuilds(sdkDir: string, notes: string[]): void {
    const original = Module._extensions[".js"];
    Module._extensions[".js"] = function (module: { exports: any }, filename: string) {
        original.call(this, module, filename);
        if (DOCKER_V3_MODULE.test(filename) && packageMajor(filename) === 3) patchDockerV3(module.exports, require(sdkDir), notes);
    };
}
