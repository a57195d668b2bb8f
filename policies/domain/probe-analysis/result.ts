/** Facts and verdict → the public result, with the problems the verdict implies (masks, no `--fail`, TCP only, remote host). */
import { quote } from "./text";
import type { Facts, ProbeCommandAnalysis, ProbeCommandForm, ProbeProblem, Verdict } from "./types";

export function emptyAnalysis(form: ProbeCommandForm, problems: ProbeProblem[]): ProbeCommandAnalysis {
    return { form, needsShell: false, tools: [], executables: [], failsOnHttpErrors: "unknown", targets: [], problems };
}

/** Turns the facts and the verdict into the public result, adding the problems they imply. */
export function finish(
    form: ProbeCommandForm,
    needsShell: boolean,
    facts: Facts,
    verdict: Verdict,
    problems: ProbeProblem[],
    options: { skipVerdictProblems?: boolean } = {},
): ProbeCommandAnalysis {
    const out = [...problems];
    const targets = [...facts.targets.values()];
    // Masks and pass reasons matter only when the command as a whole ends up passing.
    const passesAnyway = verdict === "passes" || verdict === "always-ok";
    if (!options.skipVerdictProblems) {
        const masks = passesAnyway ? [...new Set(facts.masks)] : [];
        if (masks.length > 0) {
            out.push({
                id: "failure-masked",
                message: `${masks.map((m) => `\`${m}\``).join(" and ")} makes the command succeed even when the probe fails, so the container is never marked unhealthy.`,
                fix: "Remove it: let the probe's own exit status (or `|| exit 1`) decide.",
            });
        }
        if (passesAnyway && facts.passReasons.has("curl-without-fail")) {
            out.push({
                id: "curl-without-fail",
                message: "`curl` without `-f`/`--fail` exits 0 on HTTP 500 and 404, so a broken app still counts as healthy.",
                fix: "Add `-f` (e.g. `curl -fsS http://localhost:PORT/health`), or `--fail-with-body` to keep the body in the logs.",
            });
        }
        if (passesAnyway && facts.passReasons.has("port-check-only")) {
            out.push({
                id: "port-check-only",
                message:
                    "The command only checks that the port accepts connections; an app that answers every request with an error stays healthy.",
                fix: "If the app speaks HTTP, request its liveness path with `curl -fsS` or `wget -q -O /dev/null`.",
            });
        }
        if (verdict === "always-ok" && masks.length === 0) {
            out.push({
                id: "always-healthy",
                message: "The command always exits 0, so the health check can never fail.",
                fix: "Run a request against the app's liveness path, e.g. `curl -fsS http://localhost:PORT/health`.",
            });
        }
        if (verdict === "always-fail") {
            out.push({
                id: "always-unhealthy",
                message: "The command always exits non-zero, so every task becomes UNHEALTHY and is replaced.",
                fix: "Make the exit status depend on the probe, e.g. `curl -fsS http://localhost:PORT/health || exit 1`.",
            });
        }
    }
    const remote = [...new Set(targets.filter((t) => t.local === false).map((t) => t.host || t.raw))];
    if (remote.length > 0) {
        out.push({
            id: "remote-target",
            message: `The probe requests ${remote.slice(0, 3).map(quote).join(", ")}, not this container: its answer says nothing about whether this task is alive (and fails when that host is down).`,
            fix: "Request `localhost` (or `127.0.0.1`) on the container's own port.",
        });
    }
    return {
        form,
        needsShell: needsShell || facts.needsShell,
        tools: [...facts.tools],
        executables: [...facts.executables],
        failsOnHttpErrors: toPublicVerdict(verdict),
        targets,
        problems: out,
    };
}

function toPublicVerdict(verdict: Verdict): boolean | "unknown" {
    switch (verdict) {
        case "fails":
        case "always-fail":
            return true;
        case "passes":
        case "always-ok":
            return false;
        default:
            return "unknown";
    }
}
