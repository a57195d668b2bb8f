import { strict as assert } from "assert";
import fc from "fast-check";
import { analyzeDockerfile, parseDockerfileInstructions } from "../../policies/domain/dockerfile";

/** Dockerfile text from indented template lines. */
const df = (text: string) => text.replace(/^\n/, "").replace(/^ {8}/gm, "");

describe("parseDockerfileInstructions", () => {
    it("joins continuation lines and drops comments inside them", () => {
        const { instructions } = parseDockerfileInstructions(
            df(`
        FROM debian:bookworm-slim
        # a comment
        RUN apt-get update \\
        # explain the install
            && apt-get install -y curl \\

            && rm -rf /var/lib/apt/lists/*
        CMD ["x"]
        `),
        );
        assert.deepEqual(
            instructions.map((i) => [i.keyword, i.line]),
            [
                ["FROM", 1],
                ["RUN", 3],
                ["CMD", 8],
            ],
        );
        assert.equal(instructions[1].args.replace(/\s+/g, " "), "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*");
    });

    it("reads parser directives only at the top, and honours the escape directive", () => {
        const { directives, instructions } = parseDockerfileInstructions(
            df(`
        # syntax=docker/dockerfile:1
        # escape=\`
        FROM mcr.microsoft.com/windows/servercore
        RUN echo a \`
            b
        # check=skip=all
        `),
        );
        assert.deepEqual(directives, { syntax: "docker/dockerfile:1", escape: "`" });
        assert.equal(instructions[1].args.replace(/\s+/g, " "), "echo a b");
    });

    it("stops reading directives at the first comment or blank line", () => {
        const { directives } = parseDockerfileInstructions("# hello\n# syntax=docker/dockerfile:1\nFROM alpine\n");
        assert.deepEqual(directives, {});
    });

    it("collects heredoc bodies and does not read them as instructions", () => {
        const { instructions } = parseDockerfileInstructions(
            df(`
        FROM alpine
        RUN <<EOF
        apk add --no-cache curl
        FROM notastage
        EOF
        USER app
        `),
        );
        assert.deepEqual(
            instructions.map((i) => i.keyword),
            ["FROM", "RUN", "USER"],
        );
        assert.deepEqual(instructions[1].heredocs, ["apk add --no-cache curl\nFROM notastage"]);
    });
});

describe("analyzeDockerfile", () => {
    describe("stages", () => {
        it("follows the final stage through stage references to its base image", () => {
            const a = analyzeDockerfile(
                df(`
            FROM --platform=$BUILDPLATFORM golang:1.22 AS build
            RUN go build -o /out/app ./cmd/app
            FROM node:20-slim AS Runtime
            FROM runtime AS final
            COPY --from=build /out/app /app
            `),
            );
            assert.deepEqual(
                a.stages.map((s) => [s.name, s.from, s.fromStage, s.platform]),
                [
                    ["build", "golang:1.22", undefined, "$BUILDPLATFORM"],
                    ["runtime", "node:20-slim", undefined, undefined],
                    ["final", "runtime", 1, undefined],
                ],
            );
            assert.deepEqual(a.chain, [2, 1]);
            assert.equal(a.finalBase, "node:20-slim");
            // The build stage's golang image (which has curl) does not count.
            assert.equal(a.tools.curl.present, false);
        });

        it("substitutes global ARGs in FROM: defaults, build args, ${V:-default}", () => {
            const text = df(`
            ARG NODE_VERSION=20
            ARG VARIANT
            FROM node:\${NODE_VERSION}-\${VARIANT:-slim}
            `);
            assert.equal(analyzeDockerfile(text).finalBase, "node:20-slim");
            assert.equal(analyzeDockerfile(text, { buildArgs: { NODE_VERSION: "22", VARIANT: "alpine" } }).finalBase, "node:22-alpine");
            assert.equal(analyzeDockerfile(text, { buildArgs: { VARIANT: "alpine" } }).tools.wget.present, true);
        });

        it("warns about build args without a default and leaves the tools unknown", () => {
            const a = analyzeDockerfile("ARG BASE\nFROM ${BASE}\n");
            assert.equal(a.finalBase, "${BASE}");
            assert.equal(a.tools.curl.present, "unknown");
            assert.ok(
                a.warnings.some((w) => /BASE/.test(w) && /no default/.test(w)),
                a.warnings.join("\n"),
            );
        });

        it("a Dockerfile without FROM has no base and warns", () => {
            const a = analyzeDockerfile("RUN echo hi\n");
            assert.equal(a.finalBase, undefined);
            assert.equal(a.shell, "unknown");
            assert.deepEqual(a.warnings, ["The Dockerfile has no FROM instruction."]);
        });
    });

    describe("tools from the base image", () => {
        it("node:20-slim: node and sh, no curl, no wget", () => {
            const a = analyzeDockerfile('FROM node:20-slim\nCMD ["node", "server.js"]\n');
            assert.deepEqual([a.tools.node.present, a.tools.curl.present, a.tools.wget.present, a.shell], [true, false, false, "present"]);
            assert.match(a.tools.curl.evidence, /base image node:20-slim/);
        });

        it("distroless: no shell", () => {
            const a = analyzeDockerfile("FROM gcr.io/distroless/nodejs22-debian12\nCOPY --from=build /app /app\n");
            assert.equal(a.shell, "absent");
            assert.equal(a.tools.node.path, "/nodejs/bin/node");
        });

        it("an unknown base leaves every tool unknown", () => {
            const a = analyzeDockerfile("FROM mycorp/base:7\n");
            assert.equal(a.tools.curl.present, "unknown");
            assert.equal(a.shell, "unknown");
        });
    });

    describe("installs in RUN lines", () => {
        it("apt-get install adds curl, with the line as evidence", () => {
            const a = analyzeDockerfile(
                df(`
            FROM node:20-slim
            RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Options::=--force-confold install -y --no-install-recommends curl=7.88.1-10 \\
                && rm -rf /var/lib/apt/lists/*
            `),
            );
            assert.equal(a.tools.curl.present, true);
            assert.match(a.tools.curl.evidence, /apt-get install curl=7\.88\.1-10.*line 2/);
            assert.equal(a.tools.wget.present, false);
        });

        it("apk add adds; apk del of a --virtual group removes again", () => {
            assert.equal(analyzeDockerfile("FROM alpine:3.20\nRUN apk add --no-cache curl\n").tools.curl.present, true);
            const a = analyzeDockerfile(
                "FROM alpine:3.20\nRUN apk add --no-cache --virtual .fetch curl && curl -fsSLo /tmp/x https://example.com/x && apk del .fetch\n",
            );
            assert.equal(a.tools.curl.present, false);
            assert.match(a.tools.curl.evidence, /removed/);
        });

        it("yum, dnf and microdnf install", () => {
            for (const pm of ["yum", "dnf", "microdnf"]) {
                const a = analyzeDockerfile(
                    `FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN ${pm} install -y --nodocs --setopt=install_weak_deps=0 curl-minimal wget && ${pm} clean all\n`,
                );
                assert.deepEqual([a.tools.curl.present, a.tools.wget.present], [true, true], pm);
            }
        });

        it("apt-get purge removes", () => {
            const a = analyzeDockerfile("FROM node:20\nRUN apt-get purge -y --auto-remove curl wget\n");
            assert.deepEqual([a.tools.curl.present, a.tools.wget.present], [false, false]);
        });

        it("pip install is not a tool install", () => {
            const a = analyzeDockerfile("FROM python:3.12-slim\nRUN pip install --no-cache-dir curl requests\n");
            assert.equal(a.tools.curl.present, false);
        });

        it("nodejs, python3 and netcat packages map to node, python3 and nc", () => {
            const a = analyzeDockerfile("FROM debian:bookworm-slim\nRUN apt-get install -y nodejs python3 netcat-openbsd\n");
            assert.deepEqual([a.tools.node.present, a.tools.python3.present, a.tools.nc.present], [true, true, true]);
        });

        it("reads exec-form RUN and heredoc RUN", () => {
            assert.equal(analyzeDockerfile('FROM debian:12\nRUN ["apt-get", "install", "-y", "wget"]\n').tools.wget.present, true);
            assert.equal(
                analyzeDockerfile("FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y curl\nEOF\n").tools.curl.present,
                true,
            );
        });

        it("counts a binary downloaded into a bin directory", () => {
            const a = analyzeDockerfile(
                "FROM alpine\nRUN wget -qO/bin/grpc_health_probe https://github.com/x/grpc_health_probe-linux-amd64 && chmod +x /bin/grpc_health_probe\n",
            );
            assert.equal(a.tools.grpc_health_probe.present, true);
            assert.equal(a.tools.grpc_health_probe.path, "/bin/grpc_health_probe");
        });

        it("installs in a parent stage of the final one count", () => {
            const a = analyzeDockerfile("FROM node:20-slim AS base\nRUN apt-get install -y curl\nFROM base\nCOPY . .\n");
            assert.equal(a.tools.curl.present, true);
        });
    });

    describe("COPY of binaries", () => {
        it("COPY --from=… /usr/bin/curl counts, and the shell is still absent on distroless", () => {
            const a = analyzeDockerfile(
                df(`
            FROM curlimages/curl:8.9.1 AS curl
            FROM gcr.io/distroless/static-debian12
            COPY --from=curl /usr/bin/curl /usr/bin/curl
            COPY --from=ghcr.io/grpc-ecosystem/grpc-health-probe:v0.4.28 /ko-app/grpc-health-probe /bin/grpc_health_probe
            `),
            );
            assert.equal(a.tools.curl.present, true);
            assert.match(a.tools.curl.evidence, /COPY \/usr\/bin\/curl from stage curl/);
            assert.equal(a.tools.grpc_health_probe.present, true);
            assert.equal(a.shell, "absent");
        });

        it("a binary copied into a bin directory counts; app files named like a tool do not", () => {
            assert.equal(
                analyzeDockerfile("FROM scratch\nCOPY --from=build /usr/local/bin/wget /usr/local/bin/\n").tools.wget.present,
                true,
            );
            assert.equal(analyzeDockerfile("FROM scratch\nCOPY node /app/node\n").tools.node.present, false);
        });
    });

    describe("shell", () => {
        it("a shell-form RUN proves /bin/sh on an unknown base", () => {
            const a = analyzeDockerfile("FROM mycorp/base:7\nRUN echo hi > /tmp/x\n");
            assert.equal(a.shell, "present");
            assert.match(a.shellEvidence, /shell-form RUN on line 2/);
        });

        it("an exec-form RUN proves nothing; SHELL changes which shell RUN proves", () => {
            assert.equal(analyzeDockerfile('FROM mycorp/base:7\nRUN ["/app/setup"]\n').shell, "unknown");
            const a = analyzeDockerfile('FROM mycorp/base:7\nSHELL ["/bin/bash", "-c"]\nRUN echo hi\n');
            assert.equal(a.tools.bash.present, true);
            assert.equal(a.shell, "unknown");
        });

        it("scratch has no shell", () => {
            assert.equal(analyzeDockerfile("FROM scratch\nCOPY app /app\n").shell, "absent");
        });
    });

    describe("HEALTHCHECK and EXPOSE", () => {
        it("reads a shell-form HEALTHCHECK with options into the ECS form", () => {
            const a = analyzeDockerfile(
                "FROM node:20\nHEALTHCHECK --interval=1m30s --timeout=500ms --start-period=10s --retries=5 CMD curl -f http://localhost:3000/ || exit 1\n",
            );
            assert.deepEqual(a.healthcheck, {
                command: ["CMD-SHELL", "curl -f http://localhost:3000/ || exit 1"],
                interval: 90,
                timeout: 0.5,
                startPeriod: 10,
                retries: 5,
                line: 2,
            });
        });

        it("reads exec form and NONE; the final stage's wins over its parent's", () => {
            const a = analyzeDockerfile('FROM node:20 AS base\nHEALTHCHECK CMD ["wget", "-q", "http://localhost/"]\nFROM base\n');
            assert.deepEqual(a.healthcheck?.command, ["CMD", "wget", "-q", "http://localhost/"]);
            const b = analyzeDockerfile("FROM node:20 AS base\nHEALTHCHECK CMD true\nFROM base\nHEALTHCHECK NONE\n");
            assert.deepEqual(b.healthcheck?.command, ["NONE"]);
        });

        it("ignores a HEALTHCHECK of a stage outside the final chain", () => {
            assert.equal(analyzeDockerfile("FROM node:20 AS test\nHEALTHCHECK CMD true\nFROM node:20-slim\n").healthcheck, undefined);
        });

        it("collects numeric EXPOSE ports", () => {
            assert.deepEqual(analyzeDockerfile("FROM node:20\nEXPOSE 3000 9229/tcp ${PORT}\nEXPOSE 3000\n").exposedPorts, [3000, 9229]);
        });
    });

    describe("never throws", () => {
        it("on arbitrary values and strings", () => {
            fc.assert(
                fc.property(fc.anything(), (value) => {
                    analyzeDockerfile(value);
                }),
                { numRuns: 300 },
            );
            fc.assert(
                fc.property(fc.string({ unit: "binary", maxLength: 500 }), (text) => {
                    analyzeDockerfile(text);
                }),
                { numRuns: 500 },
            );
        });

        it("on Dockerfile-flavoured text", () => {
            const line = fc.constantFrom(
                "FROM node:20 AS a",
                "FROM a",
                "FROM ${X}",
                "ARG X=alpine",
                "ARG Y",
                "RUN apt-get install -y curl \\",
                "RUN <<EOF",
                "EOF",
                "COPY --from=a /usr/bin/curl /usr/bin/",
                "HEALTHCHECK CMD",
                'HEALTHCHECK --interval=x CMD ["a"',
                "# escape=`",
                "\\",
                "`",
                "RUN apk del",
                "SHELL [",
                "EXPOSE 99999",
                "",
                "  # c",
                "RUN $(",
                "FROM --platform",
                "FROM",
            );
            fc.assert(
                fc.property(fc.array(line, { maxLength: 30 }), fc.dictionary(fc.string(), fc.string()), (lines, buildArgs) => {
                    const a = analyzeDockerfile(lines.join("\n"), { buildArgs });
                    assert.ok(["present", "absent", "unknown"].includes(a.shell));
                }),
                { numRuns: 500 },
            );
        });

        it("on a huge Dockerfile", () => {
            const text = "FROM alpine\n" + "RUN apk add curl \\\n".repeat(50_000) + "\n";
            assert.equal(analyzeDockerfile(text).tools.curl.present, true);
        });
    });
});
