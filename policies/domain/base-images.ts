/**
 * Which probe tools and which shell well-known public base images ship, so a container health
 * check can be checked against the image it runs in (`curl` in `node:20-slim` never succeeds;
 * `CMD-SHELL` in a distroless image has no `/bin/sh` to run it).
 *
 * Every entry was read from the image's own Dockerfile or build files (docker-library, nginxinc,
 * adoptium, GoogleContainerTools/distroless). Where we are not sure a tool is there, the entry
 * does not list it and lookups answer `"unknown"`: a wrong "absent" blocks a working deployment, a
 * wrong "present" lets a broken one through, so we never guess. Images we do not know are unknown.
 *
 * Pure data and string handling: no Pulumi, no I/O, never throws.
 */

/** Whether an image contains something: `"unknown"` when our table cannot say. */
export type Presence = boolean | "unknown";

/** What we know about one tool in an image. */
export interface ToolPresence {
    present: Presence;
    /** Why we believe it: the image family and the fact, or the Dockerfile line. */
    evidence: string;
    /** Where the binary lives when that matters (it is not on the default `PATH`). */
    path?: string;
    /** `false` when the binary exists but a bare name (`node`) does not find it through `PATH`. */
    onPath?: boolean;
}

/** The tools every lookup reports on (others answer `"unknown"`, see {@link toolPresence}). */
export const TRACKED_TOOLS = [
    "sh",
    "bash",
    "busybox",
    "curl",
    "wget",
    "nc",
    "node",
    "python3",
    "python",
    "java",
    "grpc_health_probe",
] as const;
export type TrackedTool = (typeof TRACKED_TOOLS)[number];

/** A parsed image reference, normalised so mirrors of the same image compare equal. */
export interface ImageRef {
    /** `docker.io` for Docker Hub and its mirrors (public ECR `docker/library`, mirror.gcr.io). */
    registry: string;
    /** Lower-case repository, with `library/` for Docker Hub official images. */
    repository: string;
    /** Tag; `latest` when only a digest or nothing was given. */
    tag: string;
    digest?: string;
    /** `registry/repository:tag`. */
    normalized: string;
}

/** The answer of {@link toolsInImage}. */
export interface ImageTools {
    /** The reference as given. */
    ref: string;
    /** The normalised reference, when the text parsed as one. */
    image?: ImageRef;
    /** The table entry that matched, e.g. `node-slim`; `undefined` for an image we do not know. */
    family?: string;
    /** `/bin/sh`, which `CMD-SHELL` health checks need. Same as `tools.sh`. */
    shell: ToolPresence;
    /** Every tracked tool. */
    tools: Record<TrackedTool, ToolPresence>;
}

const DOCKER_HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"]);

/**
 * Parses `[registry/]repository[:tag][@digest]`. Mirrors of Docker Hub official images
 * (`public.ecr.aws/docker/library/x`, `mirror.gcr.io/x`, an ECR pull-through cache path ending
 * in `library/x`) normalise to `docker.io/library/x`. Returns `undefined` for text that is not an
 * image reference (empty, whitespace inside, non-string).
 */
export function parseImageRef(ref: unknown): ImageRef | undefined {
    if (typeof ref !== "string") return undefined;
    let text = ref.trim();
    if (text === "" || /\s/.test(text) || text.length > 2048) return undefined;
    let digest: string | undefined;
    const at = text.indexOf("@");
    if (at >= 0) {
        digest = text.slice(at + 1) || undefined;
        text = text.slice(0, at);
    }
    // The tag is after the last ":" that follows the last "/" (a registry port has a "/" after it).
    let tag: string | undefined;
    const lastSlash = text.lastIndexOf("/");
    const colon = text.indexOf(":", lastSlash + 1);
    if (colon >= 0) {
        tag = text.slice(colon + 1) || undefined;
        text = text.slice(0, colon);
    }
    if (text === "") return undefined;
    const parts = text.split("/");
    let registry = "docker.io";
    if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) registry = parts.shift()!.toLowerCase();
    let repository = parts.join("/").toLowerCase();
    if (DOCKER_HUB_ALIASES.has(registry)) registry = "docker.io";
    if (registry === "public.ecr.aws" && repository.startsWith("docker/library/")) {
        registry = "docker.io";
        repository = repository.slice("docker/".length);
    } else if (registry === "mirror.gcr.io") {
        registry = "docker.io";
    } else if (/\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/.test(registry) && /(^|\/)library\/[^/]+$/.test(repository)) {
        // ECR pull-through cache of Docker Hub: "<prefix>/library/<name>".
        registry = "docker.io";
        repository = repository.slice(repository.lastIndexOf("library/"));
    }
    if (registry === "docker.io" && !repository.includes("/")) repository = `library/${repository}`;
    const finalTag = tag ?? "latest";
    return { registry, repository, tag: finalTag, digest, normalized: `${registry}/${repository}:${finalTag}` };
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

type ToolFact = boolean | { present: Presence; path?: string; onPath?: boolean; note?: string };

interface ImageFamily {
    id: string;
    /** What the image is, used in every evidence string. */
    describe: string;
    tools: Partial<Record<TrackedTool, ToolFact>>;
}

/** Variants of an official Docker Hub image that differ in what they ship. */
type Variant = "full" | "slim" | "alpine" | "unknown";

/**
 * Classifies a tag of a Debian-based official image that also has `-slim` and `-alpine` variants
 * (`20`, `20.11-bookworm`, `3.12-slim`, `lts-alpine3.19`). Windows tags and tags that are a
 * build-arg placeholder only are `"unknown"`.
 */
function officialVariant(tag: string): Variant {
    const tokens = tag.toLowerCase().split("-");
    if (tokens.some((t) => t.startsWith("alpine"))) return "alpine";
    if (tokens.includes("slim")) return "slim";
    if (tokens.some((t) => t.includes("$") || t.startsWith("windows") || t.startsWith("nanoserver") || t.startsWith("ltsc")))
        return "unknown";
    return tokens.every((t) => /^(\d+(\.\d+)*|[a-z][a-z0-9.]*)$/.test(t)) ? "full" : "unknown";
}

// buildpack-deps (the base of the full node, python and golang images) installs curl and wget
// in its "curl" layer; bash and sh come with Debian.
const BUILDPACK_DEPS = { sh: true, bash: true, curl: true, wget: true } as const;
// Debian/Ubuntu base images: no curl, no wget (verified: `debian:bookworm`, `ubuntu:24.04`).
const DEBIAN_BASE = { sh: true, bash: true, curl: false, wget: false } as const;
// Alpine: BusyBox provides sh and wget (exits non-zero on HTTP errors); no curl, no bash.
const ALPINE_BASE = { sh: true, busybox: true, wget: { present: true, note: "BusyBox wget" }, curl: false, bash: false } as const;
const NO_SHELL_NO_TOOLS = { sh: false, bash: false, busybox: false, curl: false, wget: false, nc: false } as const;

const OFFICIAL_LANGUAGE_IMAGES: Record<string, Record<Exclude<Variant, "unknown">, ImageFamily>> = {
    node: {
        full: { id: "node", describe: "node (full, Debian buildpack-deps)", tools: { ...BUILDPACK_DEPS, node: true } },
        slim: { id: "node-slim", describe: "node:*-slim (Debian slim)", tools: { ...DEBIAN_BASE, node: true } },
        alpine: { id: "node-alpine", describe: "node:*-alpine", tools: { ...ALPINE_BASE, node: true } },
    },
    python: {
        full: { id: "python", describe: "python (full, Debian buildpack-deps)", tools: { ...BUILDPACK_DEPS, python3: true, python: true } },
        slim: { id: "python-slim", describe: "python:*-slim (Debian slim)", tools: { ...DEBIAN_BASE, python3: true, python: true } },
        alpine: { id: "python-alpine", describe: "python:*-alpine", tools: { ...ALPINE_BASE, python3: true, python: true } },
    },
    golang: {
        full: { id: "golang", describe: "golang (full, Debian buildpack-deps)", tools: { ...BUILDPACK_DEPS } },
        // golang has no -slim variant; treat one as unknown rather than as Debian slim.
        slim: { id: "golang-unknown", describe: "golang (unrecognised variant)", tools: {} },
        alpine: { id: "golang-alpine", describe: "golang:*-alpine", tools: { ...ALPINE_BASE } },
    },
};

/** Finds the table entry for a normalised reference; `undefined` when we do not know the image. */
function familyOf(image: ImageRef): ImageFamily | undefined {
    const { registry, repository, tag } = image;
    if (registry === "docker.io") {
        const name = repository.startsWith("library/") ? repository.slice("library/".length) : undefined;
        return name === undefined ? undefined : dockerOfficialFamily(name, tag);
    }
    if (registry === "gcr.io" && repository.startsWith("distroless/"))
        return distrolessFamily(repository.slice("distroless/".length).replace(/-debian\d+$/, ""), tag);
    if (registry === "cgr.dev" && repository.startsWith("chainguard/"))
        return chainguardFamily(repository.slice("chainguard/".length), tag);
    if (registry === "ghcr.io" && repository === "mlflow/mlflow") {
        return {
            id: "mlflow",
            describe: "ghcr.io/mlflow/mlflow (Debian slim with Python)",
            tools: { sh: true, python3: true, python: true },
        };
    }
    if ((registry === "registry.access.redhat.com" || registry === "registry.redhat.io") && /^ubi\d+(\/|-|$)/.test(repository))
        return redHatUbiFamily(repository);
    return undefined;
}

/** A Docker Hub official image (`library/<name>`) by name and tag. */
function dockerOfficialFamily(name: string, tag: string): ImageFamily | undefined {
    if (name === "scratch")
        return {
            id: "scratch",
            describe: "scratch (empty image)",
            tools: { ...NO_SHELL_NO_TOOLS, node: false, python3: false, python: false, java: false, grpc_health_probe: false },
        };
    const language = OFFICIAL_LANGUAGE_IMAGES[name];
    if (language) {
        const variant = officialVariant(tag);
        return variant === "unknown" ? undefined : language[variant];
    }
    if (name === "alpine")
        return tag.includes("$")
            ? undefined
            : { id: "alpine", describe: "alpine", tools: { ...ALPINE_BASE, node: false, python3: false, python: false } };
    if (name === "busybox") {
        return {
            id: "busybox",
            describe: "busybox",
            tools: {
                sh: true,
                busybox: true,
                wget: { present: true, note: "BusyBox wget" },
                nc: { present: true, note: "BusyBox nc" },
                curl: false,
                bash: false,
            },
        };
    }
    if (name === "debian" || name === "ubuntu") {
        if (tag.includes("$")) return undefined;
        return { id: name, describe: name, tools: { ...DEBIAN_BASE, python3: false, node: false } };
    }
    if (name === "nginx") {
        if (tag.includes("$")) return undefined;
        // nginx's Dockerfiles add curl (`apk add curl ca-certificates` / `apt-get install … curl`).
        if (tag.includes("alpine")) return { id: "nginx-alpine", describe: "nginx:*-alpine", tools: { ...ALPINE_BASE, curl: true } };
        return { id: "nginx", describe: "nginx (Debian slim)", tools: { ...DEBIAN_BASE, curl: true } };
    }
    if (name === "eclipse-temurin") {
        const t = tag.toLowerCase();
        if (t.includes("$") || t.includes("windows") || t.includes("nanoserver") || t.includes("ubi")) return undefined;
        if (t.includes("alpine"))
            return {
                id: "eclipse-temurin-alpine",
                describe: "eclipse-temurin:*-alpine",
                tools: { sh: true, busybox: true, wget: { present: true, note: "BusyBox wget" }, java: true },
            };
        // The Ubuntu variants install curl and wget on purpose (adoptium/containers#255).
        return {
            id: "eclipse-temurin",
            describe: "eclipse-temurin (Ubuntu)",
            tools: { sh: true, bash: true, curl: true, wget: true, java: true },
        };
    }
    if (name === "amazoncorretto") {
        const t = tag.toLowerCase();
        if (t.includes("$")) return undefined;
        if (t.includes("alpine"))
            return {
                id: "amazoncorretto-alpine",
                describe: "amazoncorretto:*-alpine",
                tools: { sh: true, busybox: true, wget: { present: true, note: "BusyBox wget" }, java: true },
            };
        // Amazon Linux based; whether curl(-minimal) is in the image varies by version: unknown.
        return { id: "amazoncorretto", describe: "amazoncorretto (Amazon Linux)", tools: { sh: true, bash: true, java: true } };
    }
    return undefined;
}

/** A distroless image (`gcr.io/distroless/<name>`, the Debian suffix removed) by name and tag. */
function distrolessFamily(name: string, tag: string): ImageFamily | undefined {
    const debugTag = /(^|-)debug($|-)/.test(tag);
    if (debugTag) {
        // Debug variants add BusyBox under /busybox; whether /bin/sh exists for CMD-SHELL we do not know.
        return {
            id: "distroless-debug",
            describe: `gcr.io/distroless/${name} (debug)`,
            tools: {
                sh: { present: "unknown", path: "/busybox/sh", note: "BusyBox shell at /busybox/sh" },
                busybox: { present: true, path: "/busybox/busybox" },
                curl: false,
                ...distrolessRuntime(name),
            },
        };
    }
    if (/^(static|base|base-nossl|cc)$/.test(name))
        return {
            id: `distroless-${name}`,
            describe: `gcr.io/distroless/${name}`,
            tools: { ...NO_SHELL_NO_TOOLS, node: false, python3: false, python: false, java: false },
        };
    const runtime = distrolessRuntime(name);
    if (Object.keys(runtime).length === 0) return undefined;
    return {
        id: `distroless-${name.replace(/\d+$/, "")}`,
        describe: `gcr.io/distroless/${name}`,
        tools: { ...NO_SHELL_NO_TOOLS, ...runtime },
    };
}

/** A Chainguard image (`cgr.dev/chainguard/<name>`) by name and tag. */
function chainguardFamily(name: string, tag: string): ImageFamily | undefined {
    if (tag.includes("$")) return undefined;
    const dev = /(^|-)dev$/.test(tag);
    if (name === "wolfi-base")
        return { id: "chainguard-wolfi-base", describe: "cgr.dev/chainguard/wolfi-base", tools: { sh: true, busybox: true } };
    if (dev)
        return {
            id: "chainguard-dev",
            describe: `cgr.dev/chainguard/${name}:${tag} (-dev variant)`,
            tools: { sh: true, ...chainguardRuntime(name) },
        };
    if (name === "curl")
        return { id: "chainguard-curl", describe: "cgr.dev/chainguard/curl", tools: { sh: false, bash: false, curl: true } };
    // Chainguard runtime images ship no shell and no package manager.
    return {
        id: "chainguard",
        describe: `cgr.dev/chainguard/${name}`,
        tools: { sh: false, bash: false, curl: false, wget: false, ...chainguardRuntime(name) },
    };
}

/** A Red Hat Universal Base Image by repository (`ubi9`, `ubi9/ubi-minimal`, `ubi9-micro`). */
function redHatUbiFamily(repository: string): ImageFamily {
    if (/micro/.test(repository)) return { id: "ubi-micro", describe: `${repository} (UBI micro)`, tools: {} };
    // curl(-minimal) ships in some UBI releases and not others: unknown.
    const minimal = /minimal/.test(repository);
    return {
        id: minimal ? "ubi-minimal" : "ubi",
        describe: `${repository} (Red Hat UBI${minimal ? " minimal" : ""})`,
        tools: { sh: true, bash: true },
    };
}

/** The language runtime of a distroless image name (`nodejs22`, `python3`, `java21`). */
function distrolessRuntime(name: string): Partial<Record<TrackedTool, ToolFact>> {
    if (/^nodejs\d*$/.test(name)) {
        // The image's entrypoint is /nodejs/bin/node and its PATH does not include /nodejs/bin.
        return {
            node: {
                present: true,
                path: "/nodejs/bin/node",
                onPath: false,
                note: "node is at /nodejs/bin/node, not on PATH: call it by that path",
            },
            python3: false,
            java: false,
        };
    }
    if (/^python3$/.test(name)) return { python3: { present: true, path: "/usr/bin/python3" }, node: false, java: false };
    if (/^java\d*$/.test(name)) return { java: { present: true, path: "/usr/bin/java" }, node: false, python3: false };
    return {};
}

function chainguardRuntime(name: string): Partial<Record<TrackedTool, ToolFact>> {
    if (/^node(-lts)?$/.test(name)) return { node: true };
    if (/^python$/.test(name)) return { python3: true };
    if (/^(jre|jdk)$/.test(name)) return { java: true };
    return {};
}

// ---------------------------------------------------------------------------------------------
// Lookup
// ---------------------------------------------------------------------------------------------

/**
 * What `imageRef` ships: `/bin/sh` and each tracked tool, present / absent / unknown with the
 * reason. Registries, mirrors, tags and digests are normalised (`public.ecr.aws/docker/library/node:20-slim@sha256:…`
 * is `node:20-slim`). An image not in the table, or a reference with unresolved build args
 * (`node:${NODE_VERSION}`), answers `"unknown"` for everything.
 */
export function toolsInImage(imageRef: string): ImageTools {
    const image = parseImageRef(imageRef);
    const family = image && !image.repository.includes("$") ? familyOf(image) : undefined;
    const label = typeof imageRef === "string" ? imageRef : `(${imageRef === null ? "null" : typeof imageRef})`;
    const tools = {} as Record<TrackedTool, ToolPresence>;
    for (const tool of TRACKED_TOOLS) {
        const fact = family?.tools[tool];
        tools[tool] =
            fact === undefined
                ? {
                      present: "unknown",
                      evidence: family
                          ? `${family.describe}: not recorded whether it ships ${tool}`
                          : `image "${label}" is not in the table of known base images`,
                  }
                : toPresence(fact, tool, family!.describe);
    }
    return { ref: label, image, family: family?.id, shell: tools.sh, tools };
}

function toPresence(fact: ToolFact, tool: string, describe: string): ToolPresence {
    if (typeof fact === "boolean") return { present: fact, evidence: `${describe} ${fact ? "ships" : "does not ship"} ${tool}` };
    const verb = fact.present === true ? "ships" : fact.present === false ? "does not ship" : "may or may not ship";
    const out: ToolPresence = { present: fact.present, evidence: `${describe} ${verb} ${tool}${fact.note ? ` (${fact.note})` : ""}` };
    if (fact.path !== undefined) out.path = fact.path;
    if (fact.onPath !== undefined) out.onPath = fact.onPath;
    return out;
}

/**
 * The presence of any tool name, as a probe command spells it (`/usr/bin/curl`, `python3.12`):
 * tracked tools by their base name, `python3.X` as `python3`, anything else `"unknown"`.
 */
export function toolPresence(info: Pick<ImageTools, "tools">, tool: string): ToolPresence {
    const name = canonicalToolName(tool);
    const tools = info.tools as Record<string, ToolPresence | undefined>;
    return tools[name] ?? { present: "unknown", evidence: `not recorded whether the image ships ${name}` };
}

/**
 * Whether `invokedAs` (a bare name like `node` or a path like `/nodejs/bin/node`) runs, given what
 * we know of the tool: a bare name needs the binary on `PATH`, a path needs the binary there.
 */
export function toolRunsAs(presence: ToolPresence, invokedAs: string): Presence {
    if (presence.present !== true) return presence.present;
    if (invokedAs.includes("/")) return presence.path === undefined ? "unknown" : presence.path === invokedAs;
    return presence.onPath === false ? false : true;
}

/** `"/usr/bin/python3.12"` → `"python3"`; `"curl"` → `"curl"`. */
export function canonicalToolName(executable: string): string {
    const base = executable.slice(executable.lastIndexOf("/") + 1);
    return /^python3\.\d+$/.test(base) ? "python3" : base;
}
