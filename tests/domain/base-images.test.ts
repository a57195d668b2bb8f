import { strict as assert } from "assert";
import fc from "fast-check";
import { TRACKED_TOOLS, parseImageRef, toolPresence, toolRunsAs, toolsInImage } from "../../policies/domain/base-images";

/** The presence of a few tools, for compact assertions. */
function presence(image: string, tools: string[]): Record<string, boolean | "unknown"> {
    const info = toolsInImage(image);
    return Object.fromEntries(tools.map((t) => [t, toolPresence(info, t).present]));
}

describe("toolsInImage", () => {
    const KEY = ["sh", "curl", "wget"];

    describe("official language images", () => {
        it("node:20 (full Debian) has curl, wget, sh and node", () => {
            assert.deepEqual(presence("node:20", [...KEY, "node"]), { sh: true, curl: true, wget: true, node: true });
        });
        it("node:20-slim has node and sh but neither curl nor wget", () => {
            assert.deepEqual(presence("node:20-slim", [...KEY, "node"]), { sh: true, curl: false, wget: false, node: true });
            assert.deepEqual(presence("node:20.11.1-bookworm-slim", KEY), { sh: true, curl: false, wget: false });
        });
        it("node:*-alpine has BusyBox sh and wget, no curl, no bash", () => {
            assert.deepEqual(presence("node:22-alpine3.20", [...KEY, "bash", "node"]), {
                sh: true,
                curl: false,
                wget: true,
                bash: false,
                node: true,
            });
        });
        it("python:3.x-slim has python3 and python, no curl or wget", () => {
            assert.deepEqual(presence("python:3.12-slim-bookworm", [...KEY, "python3", "python"]), {
                sh: true,
                curl: false,
                wget: false,
                python3: true,
                python: true,
            });
        });
        it("python:3.x (full) has curl and wget; python:3.x-alpine only wget", () => {
            assert.deepEqual(presence("python:3.12", KEY), { sh: true, curl: true, wget: true });
            assert.deepEqual(presence("python:3.12-alpine", KEY), { sh: true, curl: false, wget: true });
        });
        it("golang and golang:alpine", () => {
            assert.deepEqual(presence("golang:1.22", KEY), { sh: true, curl: true, wget: true });
            assert.deepEqual(presence("golang:1.22-alpine", KEY), { sh: true, curl: false, wget: true });
        });
        it("tags that say nothing about the variant are full; Windows tags are unknown", () => {
            assert.equal(toolsInImage("node:lts").family, "node");
            assert.equal(toolsInImage("node").family, "node");
            assert.equal(toolsInImage("python:3.12-windowsservercore-ltsc2022").family, undefined);
            assert.equal(toolsInImage("python:3.12-windowsservercore-ltsc2022").tools.curl.present, "unknown");
        });
    });

    describe("OS and utility images", () => {
        it("alpine: sh and BusyBox wget, no curl", () => {
            assert.deepEqual(presence("alpine:3.20", [...KEY, "busybox"]), { sh: true, curl: false, wget: true, busybox: true });
        });
        it("debian and ubuntu: sh and bash, neither curl nor wget", () => {
            assert.deepEqual(presence("debian:bookworm-slim", [...KEY, "bash"]), { sh: true, curl: false, wget: false, bash: true });
            assert.deepEqual(presence("ubuntu:24.04", KEY), { sh: true, curl: false, wget: false });
        });
        it("busybox: sh, wget and nc", () => {
            assert.deepEqual(presence("busybox:1.36", [...KEY, "nc"]), { sh: true, curl: false, wget: true, nc: true });
        });
        it("scratch has nothing", () => {
            const info = toolsInImage("scratch");
            assert.equal(info.shell.present, false);
            assert.ok(TRACKED_TOOLS.every((t) => info.tools[t].present === false));
        });
        it("nginx ships curl (Debian and Alpine)", () => {
            assert.deepEqual(presence("nginx:1.27", KEY), { sh: true, curl: true, wget: false });
            assert.deepEqual(presence("nginx:alpine", KEY), { sh: true, curl: true, wget: true });
        });
    });

    describe("Java images", () => {
        it("eclipse-temurin (Ubuntu) keeps curl and wget; its Alpine variant only BusyBox wget is known", () => {
            assert.deepEqual(presence("eclipse-temurin:21-jre", [...KEY, "java"]), { sh: true, curl: true, wget: true, java: true });
            assert.deepEqual(presence("eclipse-temurin:21-jre-alpine", [...KEY, "java"]), {
                sh: true,
                curl: "unknown",
                wget: true,
                java: true,
            });
        });
        it("amazoncorretto: java and sh, curl unknown", () => {
            assert.deepEqual(presence("amazoncorretto:21", [...KEY, "java"]), { sh: true, curl: "unknown", wget: "unknown", java: true });
        });
    });

    describe("distroless, Chainguard, UBI, MLflow", () => {
        it("distroless images have no shell, curl or wget", () => {
            for (const image of [
                "gcr.io/distroless/static-debian12",
                "gcr.io/distroless/base",
                "gcr.io/distroless/cc-debian12:nonroot",
                "gcr.io/distroless/python3-debian12",
                "gcr.io/distroless/java21-debian12",
            ]) {
                assert.deepEqual(presence(image, KEY), { sh: false, curl: false, wget: false }, image);
            }
        });
        it("distroless/nodejs has node only at /nodejs/bin/node, off PATH", () => {
            const info = toolsInImage("gcr.io/distroless/nodejs22-debian12:nonroot");
            const node = info.tools.node;
            assert.equal(node.present, true);
            assert.equal(node.path, "/nodejs/bin/node");
            assert.equal(toolRunsAs(node, "node"), false);
            assert.equal(toolRunsAs(node, "/nodejs/bin/node"), true);
            assert.equal(toolRunsAs(node, "/usr/bin/node"), false);
        });
        it("distroless python3 and java runtimes", () => {
            assert.equal(toolsInImage("gcr.io/distroless/python3-debian12").tools.python3.present, true);
            assert.equal(toolsInImage("gcr.io/distroless/java17-debian12").tools.java.present, true);
        });
        it("distroless :debug has BusyBox but /bin/sh is not known", () => {
            const info = toolsInImage("gcr.io/distroless/base-debian12:debug");
            assert.equal(info.shell.present, "unknown");
            assert.equal(info.tools.curl.present, false);
        });
        it("Chainguard runtime images have no shell; -dev variants do", () => {
            assert.deepEqual(presence("cgr.dev/chainguard/node:latest", [...KEY, "node"]), {
                sh: false,
                curl: false,
                wget: false,
                node: true,
            });
            assert.equal(toolsInImage("cgr.dev/chainguard/node:latest-dev").shell.present, true);
            assert.equal(toolsInImage("cgr.dev/chainguard/static").shell.present, false);
            assert.equal(toolsInImage("cgr.dev/chainguard/curl").tools.curl.present, true);
        });
        it("Red Hat UBI: a shell, curl unknown", () => {
            assert.deepEqual(presence("registry.access.redhat.com/ubi9/ubi-minimal:9.4", KEY), {
                sh: true,
                curl: "unknown",
                wget: "unknown",
            });
            assert.equal(toolsInImage("registry.access.redhat.com/ubi9/ubi-micro").shell.present, "unknown");
        });
        it("ghcr.io/mlflow/mlflow has Python and a shell", () => {
            assert.deepEqual(presence("ghcr.io/mlflow/mlflow:v2.16.0", ["sh", "python3", "curl"]), {
                sh: true,
                python3: true,
                curl: "unknown",
            });
        });
    });

    describe("normalisation", () => {
        it("treats Docker Hub mirrors, registry aliases, digests and library/ as the same image", () => {
            for (const ref of [
                "public.ecr.aws/docker/library/node:20-slim",
                "docker.io/library/node:20-slim",
                "index.docker.io/node:20-slim",
                "library/node:20-slim",
                "mirror.gcr.io/node:20-slim",
                "node:20-slim@sha256:0123456789abcdef",
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/library/node:20-slim",
            ]) {
                assert.equal(toolsInImage(ref).family, "node-slim", ref);
            }
        });
        it("parses registries with ports, tags and digests", () => {
            assert.deepEqual(parseImageRef("localhost:5000/team/app:1.2@sha256:abc"), {
                registry: "localhost:5000",
                repository: "team/app",
                tag: "1.2",
                digest: "sha256:abc",
                normalized: "localhost:5000/team/app:1.2",
            });
            assert.equal(parseImageRef("node@sha256:abc")?.normalized, "docker.io/library/node:latest");
            assert.equal(parseImageRef("not an image"), undefined);
            assert.equal(parseImageRef(""), undefined);
        });
        it("answers unknown for unknown images and unresolved build args, but uses a variant the tag still shows", () => {
            const unknown = toolsInImage("123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.2.3");
            assert.equal(unknown.family, undefined);
            assert.ok(TRACKED_TOOLS.every((t) => unknown.tools[t].present === "unknown"));
            assert.match(unknown.tools.curl.evidence, /not in the table/);
            assert.equal(toolsInImage("node:${NODE_VERSION}").family, undefined);
            assert.equal(toolsInImage("${REGISTRY}/node:20").family, undefined);
            assert.equal(toolsInImage("node:${NODE_VERSION}-alpine").family, "node-alpine");
        });
        it("gives evidence naming the image family", () => {
            assert.match(toolsInImage("node:20-slim").tools.curl.evidence, /node:\*-slim/);
        });
    });

    describe("toolPresence", () => {
        it("reads paths and python3.X, and answers unknown for untracked tools", () => {
            const info = toolsInImage("python:3.12-slim");
            assert.equal(toolPresence(info, "/usr/local/bin/python3.12").present, true);
            assert.equal(toolPresence(info, "/usr/bin/curl").present, false);
            assert.equal(toolPresence(info, "httpie").present, "unknown");
        });
    });

    it("never throws", () => {
        fc.assert(
            fc.property(fc.string({ unit: "binary", maxLength: 300 }), (ref) => {
                toolsInImage(ref);
                parseImageRef(ref);
            }),
            { numRuns: 1000 },
        );
        fc.assert(
            fc.property(fc.anything(), (value) => {
                toolsInImage(value as string);
                parseImageRef(value);
            }),
            { numRuns: 300 },
        );
    });
});
