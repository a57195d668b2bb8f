import { strict as assert } from "assert";
import fc from "fast-check";
import {
    PROBE_TOOLS,
    PULUMI_UNKNOWN_SENTINEL,
    type ProbeCommandAnalysis,
    analyzeProbeCommand,
    probeCommand,
    probePathAndPort,
    shellSimpleCommands,
} from "../../policies/domain";

const ids = (a: ProbeCommandAnalysis) => a.problems.map((p) => p.id);
const shell = (script: string) => analyzeProbeCommand(["CMD-SHELL", script]);

describe("analyzeProbeCommand", () => {
    describe("form", () => {
        it("reads the exec form without needing a shell", () => {
            const a = analyzeProbeCommand(["CMD", "curl", "-f", "http://localhost:8080/health"]);
            assert.equal(a.form, "CMD");
            assert.equal(a.needsShell, false);
            assert.deepEqual(a.tools, ["curl"]);
            assert.deepEqual(ids(a), []);
        });

        it("reads CMD-SHELL as needing /bin/sh", () => {
            const a = shell("curl -f http://localhost:8080/health || exit 1");
            assert.equal(a.form, "CMD-SHELL");
            assert.equal(a.needsShell, true);
        });

        it("treats an exec form that runs `sh -c` as needing a shell and analyses the script", () => {
            const a = analyzeProbeCommand(["CMD", "/bin/sh", "-c", "wget -q -O /dev/null http://localhost:3000/ready"]);
            assert.equal(a.form, "CMD");
            assert.equal(a.needsShell, true);
            assert.deepEqual(a.tools, ["sh", "wget"]);
            assert.equal(a.failsOnHttpErrors, true);
            assert.equal(a.targets[0].path, "/ready");
        });

        it("reports NONE as a disabled health check", () => {
            const a = analyzeProbeCommand(["NONE"]);
            assert.equal(a.form, "NONE");
            assert.deepEqual(ids(a), ["health-check-disabled"]);
        });

        it("reads a plain string as shell text but flags it as not a list", () => {
            const a = analyzeProbeCommand("curl -f http://localhost/");
            assert.equal(a.form, "invalid");
            assert.equal(a.needsShell, true);
            assert.deepEqual(a.tools, ["curl"]);
            assert.deepEqual(ids(a), ["command-not-a-list"]);
            assert.match(a.problems[0].fix, /CMD-SHELL/);
        });

        it("flags a command without the CMD prefix and suggests one", () => {
            const a = analyzeProbeCommand(["curl", "-f", "http://localhost/"]);
            assert.equal(a.form, "invalid");
            assert.deepEqual(ids(a), ["unknown-command-form"]);
            assert.match(a.problems[0].fix, /\["CMD","curl","-f","http:\/\/localhost\/"\]/);
            assert.equal(a.failsOnHttpErrors, true);
        });

        it("answers unknown for undefined, the Pulumi unknown sentinel and proxies that throw UnknownValueError", () => {
            assert.equal(analyzeProbeCommand(undefined).form, "unknown");
            assert.equal(analyzeProbeCommand(PULUMI_UNKNOWN_SENTINEL).form, "unknown");
            assert.equal(analyzeProbeCommand(["CMD-SHELL", PULUMI_UNKNOWN_SENTINEL]).form, "unknown");
            class UnknownValueError extends Error {
                name = "UnknownValueError";
            }
            const proxy = new Proxy(["CMD", "curl"], {
                get(target, prop) {
                    if (prop === "length") throw new UnknownValueError("unknown");
                    return Reflect.get(target, prop);
                },
            });
            assert.equal(analyzeProbeCommand(proxy).form, "unknown");
        });

        it("reports odd shapes as invalid with a specific problem", () => {
            assert.deepEqual(ids(analyzeProbeCommand(null)), ["command-invalid"]);
            assert.deepEqual(ids(analyzeProbeCommand({ command: "x" })), ["command-invalid"]);
            assert.deepEqual(ids(analyzeProbeCommand(42)), ["command-invalid"]);
            assert.deepEqual(ids(analyzeProbeCommand([])), ["command-empty"]);
            assert.deepEqual(ids(analyzeProbeCommand(["CMD"])), ["missing-executable"]);
            assert.deepEqual(ids(analyzeProbeCommand(["CMD-SHELL", "  "])), ["missing-executable"]);
            const mixed = analyzeProbeCommand(["CMD", "curl", 5, "http://localhost/"]);
            assert.equal(mixed.form, "invalid");
            assert.ok(ids(mixed).includes("non-string-element"));
            assert.match(mixed.problems[0].message, /number 5/);
        });

        it("flags an exec form whose program is a whole command line", () => {
            const a = analyzeProbeCommand(["CMD", "curl -f http://localhost/"]);
            assert.equal(a.form, "invalid");
            assert.deepEqual(ids(a), ["exec-form-single-string"]);
            assert.deepEqual(a.tools, []);
            assert.match(a.problems[0].fix, /\["CMD","curl","-f","http:\/\/localhost\/"\]/);
        });

        it("flags shell operators and $VARIABLES in the exec form, and ignores what follows an operator", () => {
            const a = analyzeProbeCommand(["CMD", "curl", "-f", "http://localhost:$PORT/health", "||", "exit", "1"]);
            assert.deepEqual(ids(a), ["shell-syntax-in-exec-form"]);
            assert.match(a.problems[0].message, /"\|\|"/);
            assert.match(a.problems[0].message, /\$PORT/);
            assert.equal(a.targets.length, 1);
            assert.equal(a.targets[0].port, undefined);
            assert.equal(a.targets[0].host, "localhost");
        });
    });

    describe("tools", () => {
        it("lists the first word of every command in a chain, skipping exit, test, [ and assignments", () => {
            const a = shell(
                "FOO=1 curl -fs http://localhost/ | grep -q ok && [ -f /tmp/ready ] && test -n x && python3 -c 'print(1)'; exit 0",
            );
            assert.deepEqual(a.tools, ["curl", "grep", "python3"]);
        });

        it("uses base names, keeps the path in executables, and folds python3.X into python3", () => {
            const a = shell("/usr/bin/curl -f http://localhost/ && /usr/local/bin/python3.12 /app/check.py");
            assert.deepEqual(a.tools, ["curl", "python3"]);
            assert.deepEqual(a.executables, ["/usr/bin/curl", "/usr/local/bin/python3.12"]);
        });

        it("looks through exec, timeout and env, and into $(…) substitutions", () => {
            const a = shell('exec timeout 5 env A=b wget -q -O - "http://localhost:81/$(cat /tmp/path)"');
            assert.deepEqual(a.tools, ["timeout", "env", "wget", "cat"]);
        });

        it("recognises nc, bash, node, php, ruby, java and grpc_health_probe", () => {
            assert.deepEqual(shell("nc -z 127.0.0.1 5432").tools, ["nc"]);
            assert.deepEqual(shell("bash -c 'php -r \"exit(0);\"'").tools, ["bash", "php"]);
            assert.deepEqual(shell("ruby -e 'exit 0' || java -jar /app/health.jar").tools, ["ruby", "java"]);
            assert.deepEqual(analyzeProbeCommand(["CMD", "grpc_health_probe", "-addr=localhost:50051"]).tools, ["grpc_health_probe"]);
            assert.deepEqual(analyzeProbeCommand(["CMD", "node", "/app/healthcheck.js"]).tools, ["node"]);
        });

        it("ignores comments and redirection targets", () => {
            const a = shell("curl -fsS http://localhost/ >/dev/null 2>&1 # quiet");
            assert.deepEqual(a.tools, ["curl"]);
            assert.equal(a.targets.length, 1);
        });
    });

    describe("fails on HTTP errors", () => {
        for (const flags of ["-f", "--fail", "--fail-with-body", "-fsS", "-sf", "-sSf", "-fsSL"]) {
            it(`curl ${flags} fails on HTTP errors`, () => {
                const a = shell(`curl ${flags} http://localhost:8080/health`);
                assert.equal(a.failsOnHttpErrors, true);
                assert.deepEqual(ids(a), []);
            });
        }

        it("curl without -f does not, even with `|| exit 1`", () => {
            const a = shell("curl -sS http://localhost:8080/health || exit 1");
            assert.equal(a.failsOnHttpErrors, false);
            assert.deepEqual(ids(a), ["curl-without-fail"]);
        });

        it("does not read an f inside a short option's value as --fail", () => {
            // -H takes the value "foo"; -o takes "f".
            assert.equal(shell("curl -Hfoo http://localhost/").failsOnHttpErrors, false);
            assert.equal(shell("curl -o f http://localhost/").failsOnHttpErrors, false);
            assert.equal(shell("curl -sof http://localhost/").failsOnHttpErrors, false);
        });

        it("--no-fail after -f turns it off again", () => {
            assert.equal(shell("curl -f --no-fail http://localhost/").failsOnHttpErrors, false);
        });

        it("wget fails on HTTP errors by itself", () => {
            assert.equal(shell("wget -q --spider http://localhost:8080/health").failsOnHttpErrors, true);
        });

        for (const [script, mask] of [
            ["curl -f http://localhost/ || true", "|| true"],
            ["curl -f http://localhost/ || exit 0", "|| exit 0"],
            ["curl -f http://localhost/ || :", "|| :"],
            ["curl -f http://localhost/; exit 0", "; exit 0"],
            ["curl -f http://localhost/; true", "; true"],
            ["curl -f http://localhost/ | cat", "| cat"],
        ] as const) {
            it(`\`${script}\` masks the failure`, () => {
                const a = shell(script);
                assert.equal(a.failsOnHttpErrors, false);
                assert.deepEqual(ids(a), ["failure-masked"]);
                assert.ok(a.problems[0].message.includes(mask), a.problems[0].message);
            });
        }

        it("a masked earlier command does not decide when a later one does", () => {
            assert.equal(shell("curl -f http://localhost/warm || true; curl -f http://localhost/health").failsOnHttpErrors, true);
        });

        it("a bare `exit` hands on the previous status", () => {
            assert.equal(shell("curl -f http://localhost/; exit").failsOnHttpErrors, true);
            assert.equal(shell("curl -f http://localhost/; exit $?").failsOnHttpErrors, true);
        });

        it("with set -e every command counts", () => {
            assert.equal(shell("set -e; curl -f http://localhost/; echo ok").failsOnHttpErrors, true);
            assert.equal(shell("curl -f http://localhost/; echo ok").failsOnHttpErrors, false);
        });

        it("is unknown for control flow, scripts and status comparisons it cannot evaluate", () => {
            assert.equal(shell("if curl -f http://localhost/; then exit 0; else exit 1; fi").failsOnHttpErrors, "unknown");
            assert.equal(analyzeProbeCommand(["CMD", "python3", "/app/health.py"]).failsOnHttpErrors, "unknown");
            assert.equal(shell("[ \"$(curl -s -o /dev/null -w '%{http_code}' http://localhost/)\" = 200 ]").failsOnHttpErrors, "unknown");
        });

        it("a constant exit is always healthy or always unhealthy", () => {
            const ok = shell("exit 0");
            assert.equal(ok.failsOnHttpErrors, false);
            assert.deepEqual(ids(ok), ["always-healthy"]);
            assert.deepEqual(ids(analyzeProbeCommand(["CMD", "true"])), ["always-healthy"]);
            const bad = shell("exit 1");
            assert.equal(bad.failsOnHttpErrors, true);
            assert.deepEqual(ids(bad), ["always-unhealthy"]);
        });

        it("a TCP check passes on HTTP errors and says so", () => {
            const a = shell("nc -z -w 2 localhost 8080");
            assert.equal(a.failsOnHttpErrors, false);
            assert.deepEqual(ids(a), ["port-check-only"]);
            assert.deepEqual(
                { host: a.targets[0].host, port: a.targets[0].port, path: a.targets[0].path },
                { host: "localhost", port: 8080, path: undefined },
            );
        });

        it("recognises status checks in inline Node and Python code", () => {
            assert.equal(
                analyzeProbeCommand([
                    "CMD",
                    "node",
                    "-e",
                    "require('http').get('http://localhost:3000/', r => process.exit(r.statusCode === 200 ? 0 : 1))",
                ]).failsOnHttpErrors,
                true,
            );
            assert.equal(
                analyzeProbeCommand([
                    "CMD",
                    "python",
                    "-c",
                    "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')",
                ]).failsOnHttpErrors,
                true,
            );
            assert.equal(analyzeProbeCommand(["CMD", "node", "-e", "console.log(1)"]).failsOnHttpErrors, "unknown");
        });
    });

    describe("targets", () => {
        it("parses host, port, path and query of URLs", () => {
            const [t] = shell("curl -f 'http://localhost:8080/api/health?deep=false'").targets;
            assert.deepEqual(
                {
                    scheme: t.scheme,
                    host: t.host,
                    port: t.port,
                    portExplicit: t.portExplicit,
                    path: t.path,
                    query: t.query,
                    local: t.local,
                    tool: t.tool,
                },
                {
                    scheme: "http",
                    host: "localhost",
                    port: 8080,
                    portExplicit: true,
                    path: "/api/health",
                    query: "deep=false",
                    local: true,
                    tool: "curl",
                },
            );
        });

        it("defaults the port from the scheme and the path to /", () => {
            const [http] = shell("curl -f http://localhost").targets;
            assert.deepEqual([http.port, http.portExplicit, http.path], [80, false, "/"]);
            const [https] = shell("curl -fk https://127.0.0.1").targets;
            assert.deepEqual([https.port, https.path], [443, "/"]);
        });

        it("reads scheme-less curl/wget arguments as http URLs and skips option values", () => {
            const a = shell("curl -f -H 'Host: example.com' -o /dev/null --max-time 3 localhost:3000/healthz");
            assert.equal(a.targets.length, 1);
            assert.deepEqual([a.targets[0].host, a.targets[0].port, a.targets[0].path], ["localhost", 3000, "/healthz"]);
        });

        for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "0.0.0.0", "[::1]"]) {
            it(`${host} is local`, () => {
                assert.equal(shell(`curl -f http://${host}:8080/`).targets[0].local, true);
            });
        }

        it("any other host is remote and reported", () => {
            const a = shell("curl -f http://api.example.com/health");
            assert.equal(a.targets[0].local, false);
            assert.deepEqual(ids(a), ["remote-target"]);
            assert.match(a.problems[0].message, /api\.example\.com/);
        });

        it("a $VARIABLE host is of unknown locality and not reported", () => {
            const a = shell("curl -f http://$HOSTNAME:8080/health");
            assert.equal(a.targets[0].local, "unknown");
            assert.equal(a.targets[0].port, 8080);
            assert.deepEqual(ids(a), []);
        });

        it("a ${PORT} port is kept as unknown, not defaulted to 80", () => {
            const [t] = shell("curl -f http://localhost:${PORT}/health").targets;
            assert.equal(t.port, undefined);
            assert.equal(t.path, "/health");
        });

        it("curl --unix-socket is local whatever the URL host", () => {
            assert.equal(shell("curl -f --unix-socket /tmp/app.sock http://app/health").targets[0].local, true);
        });

        it("reads grpc_health_probe -addr", () => {
            const [t] = analyzeProbeCommand(["CMD", "/bin/grpc_health_probe", "-addr", ":50051"]).targets;
            assert.deepEqual([t.host, t.port, t.local, t.path], ["", 50051, true, undefined]);
        });
    });

    describe("probePathAndPort", () => {
        it("returns the first local HTTP target", () => {
            assert.deepEqual(probePathAndPort(["CMD-SHELL", "curl -f http://localhost:8080/health?x=1 || exit 1"]), {
                path: "/health",
                port: 8080,
                portExplicit: true,
                host: "localhost",
                scheme: "http",
                query: "x=1",
            });
        });

        it("skips remote targets and TCP checks", () => {
            assert.equal(probePathAndPort(["CMD-SHELL", "curl -f http://example.com:8080/health"]), undefined);
            assert.equal(probePathAndPort(["CMD-SHELL", "nc -z localhost 8080"]), undefined);
            assert.equal(probePathAndPort(undefined), undefined);
        });
    });

    describe("never throws", () => {
        it("on arbitrary values", () => {
            fc.assert(
                fc.property(fc.anything(), (value) => {
                    analyzeProbeCommand(value);
                    probePathAndPort(value);
                }),
                { numRuns: 500 },
            );
        });

        it("on arbitrary strings in every position", () => {
            fc.assert(
                fc.property(
                    fc.constantFrom("CMD", "CMD-SHELL", "NONE", "x"),
                    fc.array(fc.string({ unit: "binary", maxLength: 200 }), { maxLength: 6 }),
                    (head, rest) => {
                        const a = analyzeProbeCommand([head, ...rest]);
                        assert.ok(["CMD", "CMD-SHELL", "NONE", "invalid", "unknown"].includes(a.form));
                    },
                ),
                { numRuns: 500 },
            );
        });

        it("on shell-flavoured strings", () => {
            const piece = fc.constantFrom(
                "curl",
                "-f",
                "||",
                "&&",
                "|",
                ";",
                "$(",
                ")",
                "`",
                "'",
                '"',
                "\\",
                "\n",
                "${",
                "}",
                "if",
                "then",
                "fi",
                "sh -c",
                "exit",
                "0",
                "http://localhost:80/x",
                "<<",
                ">",
                "2>&1",
                "!",
                "(",
                "#",
            );
            fc.assert(
                fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
                    shell(pieces.join(" "));
                    shell(pieces.join(""));
                }),
                { numRuns: 500 },
            );
        });

        it("on huge and deeply nested input", () => {
            const nested = "$(".repeat(20_000) + "curl http://localhost/" + ")".repeat(20_000);
            assert.equal(shell(nested).form, "CMD-SHELL");
            const long = "curl -f http://localhost/ && ".repeat(20_000) + "true";
            assert.equal(shell(long).failsOnHttpErrors, true);
            assert.equal(analyzeProbeCommand("x".repeat(1_000_000)).form, "invalid");
        });
    });

    describe("round trip with probeCommand", () => {
        // RFC 3986 path characters except "$": a `$NAME` in an exec-form argument is flagged on purpose
        // (ECS does not expand variables there), so it is not a problem-free path.
        const pathSegment = fc.stringMatching(/^[A-Za-z0-9._~!&'()*+,;=:@%-]{0,12}$/);
        const path = fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join("/")}`);
        it("every generated command is local, fails on HTTP errors, needs no shell and targets the same path and port", () => {
            fc.assert(
                fc.property(
                    fc.constantFrom(...PROBE_TOOLS),
                    fc.integer({ min: 1, max: 65535 }),
                    path,
                    fc.integer({ min: 1, max: 60 }),
                    (tool, port, p, timeoutSeconds) => {
                        const a = analyzeProbeCommand(probeCommand(tool, { port, path: p, timeoutSeconds }));
                        assert.equal(a.form, "CMD");
                        assert.equal(a.needsShell, false);
                        assert.equal(a.failsOnHttpErrors, true);
                        assert.deepEqual(ids(a), []);
                        assert.ok(a.targets.length > 0 && a.targets.every((t) => t.local === true));
                        assert.deepEqual(probePathAndPort(probeCommand(tool, { port, path: p, timeoutSeconds })), {
                            path: p,
                            port,
                            portExplicit: true,
                            host: "localhost",
                            scheme: "http",
                        });
                    },
                ),
                { numRuns: 400 },
            );
        });
    });
});

describe("shellSimpleCommands", () => {
    it("splits a RUN line into commands with quotes removed", () => {
        assert.deepEqual(
            shellSimpleCommands(
                "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \"curl\" \\\n  && rm -rf /var/lib/apt/lists/*; if true; then echo 'a b'; fi",
            ),
            [
                ["apt-get", "update"],
                ["DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "curl"],
                ["rm", "-rf", "/var/lib/apt/lists/*"],
                ["true"],
                ["echo", "a b"],
            ],
        );
    });
});
