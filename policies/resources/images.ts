/**
 * Images the program builds from a Dockerfile: `awsx:ecr:Image` (`context`, `dockerfile`, `args`,
 * `target`), `docker-build:index:Image` (`context.location`, `dockerfile.location|inline`,
 * `buildArgs`, `target`) and `docker:index/image:Image` (`build.context`, `build.dockerfile`,
 * `build.args`, `build.target`), with the references a container's `image` may use to name them
 * (`imageUri`, `ref`, `repoDigest`, `imageName`, `tags`).
 */
import type { PolicyResource } from "@pulumi/policy";
import { TYPES } from "./types";
import { UNKNOWN, type Unknown, asArray, asRecord, asString, field, isUnknown, rawProps } from "./values";

export interface ImageBuildView {
    resource: PolicyResource;
    /** Build context directory as written (relative to the program directory); `undefined` = the program directory. */
    context: string | Unknown | undefined;
    /** The Dockerfile: inline text, a path as written, or `undefined` for `<context>/Dockerfile`. */
    dockerfile: { inline: string } | { path: string } | Unknown | undefined;
    buildArgs: Record<string, string> | Unknown;
    target: string | Unknown | undefined;
    /** Known references to the built image. */
    references: string[];
}

function stringMap(value: unknown): Record<string, string> | Unknown {
    const record = asRecord(value);
    if (record === UNKNOWN) return UNKNOWN;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(record ?? {})) {
        if (isUnknown(v)) return UNKNOWN;
        if (typeof v === "string") out[k] = v;
    }
    return out;
}

/** Reads an image-building resource; `undefined` for other types. */
export function readImageBuild(resource: PolicyResource): ImageBuildView | undefined {
    const p = rawProps(resource.props);
    const references: string[] = [];
    const addRef = (v: unknown) => {
        if (typeof v === "string" && !isUnknown(v) && v !== "") references.push(v);
    };
    for (const key of ["imageUri", "ref", "repoDigest", "imageName"]) addRef(field(p, key));
    const tags = asArray(field(p, "tags"));
    if (Array.isArray(tags)) tags.forEach(addRef);
    switch (resource.type) {
        case TYPES.awsxEcrImage: {
            const dockerfile = asString(field(p, "dockerfile"));
            return {
                resource,
                references,
                context: asString(field(p, "context")),
                dockerfile: dockerfile === UNKNOWN ? UNKNOWN : dockerfile === undefined ? undefined : { path: dockerfile },
                buildArgs: stringMap(field(p, "args")),
                target: asString(field(p, "target")),
            };
        }
        case TYPES.dockerBuildImage: {
            const context = field(p, "context");
            const df = field(p, "dockerfile");
            const inline = asString(field(df, "inline"));
            const location = asString(field(df, "location"));
            return {
                resource,
                references,
                context: context === UNKNOWN ? UNKNOWN : asString(field(context, "location")),
                dockerfile:
                    df === UNKNOWN || inline === UNKNOWN || location === UNKNOWN
                        ? UNKNOWN
                        : typeof inline === "string"
                          ? { inline }
                          : typeof location === "string"
                            ? { path: location }
                            : undefined,
                buildArgs: stringMap(field(p, "buildArgs")),
                target: asString(field(p, "target")),
            };
        }
        case TYPES.dockerImage: {
            const build = field(p, "build");
            if (build === undefined) return undefined; // pushes an existing image: nothing built here
            const dockerfile = asString(field(build, "dockerfile"));
            return {
                resource,
                references,
                context: build === UNKNOWN ? UNKNOWN : asString(field(build, "context")),
                dockerfile:
                    build === UNKNOWN || dockerfile === UNKNOWN ? UNKNOWN : dockerfile === undefined ? undefined : { path: dockerfile },
                buildArgs: build === UNKNOWN ? UNKNOWN : stringMap(field(build, "args")),
                target: build === UNKNOWN ? UNKNOWN : asString(field(build, "target")),
            };
        }
        default:
            return undefined;
    }
}
