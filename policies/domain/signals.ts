/**
 * Whether a container's main process receives the SIGTERM ECS sends when it stops a task.
 *
 * ECS stops a container with SIGTERM (or the image's STOPSIGNAL), waits `stopTimeout` (Fargate: 30 s
 * by default, 120 s at most), then sends SIGKILL (docs/aws-facts "Stopping a task behind an ALB").
 * The signal goes to PID 1 of the container. When PID 1 is a shell that runs the app as its child,
 * the app never sees SIGTERM — a shell as PID 1 has no handler for it, and PID 1 ignores signals it
 * has no handler for — so the app is SIGKILLed mid-request on every deployment and scale-in.
 *
 * Which shells keep PID 1, measured on this project's machine with `sh -c '<script>'` and `ps`
 * (Nov 2026):
 * - dash 0.5.12 (Debian 12's `/bin/sh`, also Ubuntu's): never replaces itself; every command of a
 *   `-c` script, the last one included, runs as a child. So any shell-form CMD/ENTRYPOINT on a
 *   Debian or Ubuntu based image leaves the shell as PID 1.
 * - bash 5.2 and BusyBox 1.35 ash (Alpine's `/bin/sh`): exec the last command of a `-c` script when
 *   it is a simple command (also after `&&` or `;`), but not a pipeline, a background job, or a
 *   command followed by another one.
 * - `exec <app>` as the script's last command replaces the shell in every shell.
 * An init process (`tini`, `dumb-init`, or ECS's own with `linuxParameters.initProcessEnabled`)
 * forwards signals to its child.
 *
 * Docker semantics relied on (Dockerfile reference, "CMD"/"ENTRYPOINT"): the shell form runs
 * `/bin/sh -c "<text>"` (or the stage's SHELL); an exec-form ENTRYPOINT receives CMD as arguments
 * (a shell-form CMD becomes `/bin/sh -c "<text>"` arguments); a shell-form ENTRYPOINT ignores CMD;
 * setting ENTRYPOINT clears the CMD inherited from the base image. ECS `entryPoint` replaces the
 * image's ENTRYPOINT (and with it the image's CMD); ECS `command` replaces the image's CMD.
 *
 * Pure: no Pulumi, no I/O, never throws.
 */

/** What runs a `-c` script: how it treats the script's last command. */
export type ShellFlavour = "dash" | "bash" | "busybox" | "none" | "unknown";

/** `/bin/sh` of the table's image families (base-images.ts ids), by the distribution they are built on. */
const SH_BY_FAMILY: Array<{ pattern: RegExp; flavour: ShellFlavour; describe: string }> = [
    { pattern: /alpine|^busybox$|^chainguard-wolfi-base$|^chainguard-dev$/, flavour: "busybox", describe: "BusyBox ash (Alpine/Wolfi)" },
    {
        pattern: /^(node|node-slim|python|python-slim|golang|debian|ubuntu|nginx|eclipse-temurin|mlflow)$/,
        flavour: "dash",
        describe: "dash (Debian/Ubuntu /bin/sh)",
    },
    { pattern: /^(amazoncorretto|ubi|ubi-minimal)$/, flavour: "bash", describe: "bash (Amazon Linux/RHEL /bin/sh)" },
    {
        pattern: /^(scratch|distroless-(static|base|base-nossl|cc|nodejs|python|java)|chainguard|chainguard-curl)$/,
        flavour: "none",
        describe: "no shell",
    },
];

/** The `/bin/sh` of an image family (`toolsInImage(...).family`); unknown for images the table does not know. */
export function shellOfImageFamily(family: string | undefined): { flavour: ShellFlavour; describe: string } {
    const hit = family === undefined ? undefined : SH_BY_FAMILY.find((f) => f.pattern.test(family));
    return hit ? { flavour: hit.flavour, describe: hit.describe } : { flavour: "unknown", describe: "an unknown /bin/sh" };
}

/**
 * Families whose ENTRYPOINT is empty or a script that ends in `exec "$@"` (docker-library's
 * `docker-entrypoint.sh`, nginx's, temurin's `__cacert_entrypoint.sh`): the CMD (or ECS `command`)
 * then becomes PID 1 itself.
 */
const TRANSPARENT_ENTRYPOINT =
    /^(node|node-slim|node-alpine|python|python-slim|python-alpine|golang|golang-alpine|debian|ubuntu|alpine|busybox|nginx|nginx-alpine|eclipse-temurin|eclipse-temurin-alpine|amazoncorretto|amazoncorretto-alpine)$/;

export function hasTransparentEntrypoint(family: string | undefined): boolean {
    return family !== undefined && TRANSPARENT_ENTRYPOINT.test(family);
}

/** Programs that run as PID 1 and forward signals to their child. */
const INIT_PROGRAMS = new Set(["tini", "tini-static", "dumb-init", "catatonit", "s6-svscan", "runsvdir", "supervisord", "docker-init"]);
const SHELLS: Record<string, ShellFlavour | "sh"> = {
    sh: "sh",
    bash: "bash",
    dash: "dash",
    ash: "busybox",
    busybox: "busybox",
    zsh: "bash",
};

function base(program: string): string {
    return program.slice(program.lastIndexOf("/") + 1);
}

/** A process as the image or the task definition specifies it. */
export type ProcessSpec = { form: "exec"; argv: string[] } | { form: "shell"; text: string; shell: string[] };

export interface SignalInput {
    /** Container `entryPoint` / `command` of the task definition (exec form lists), when set. */
    entryPoint?: string[];
    command?: string[];
    /** `linuxParameters.initProcessEnabled`. */
    initProcessEnabled: boolean;
    image: {
        /** The image's ENTRYPOINT / CMD; `"unknown"` when the image is not known (a plain reference we cannot inspect). */
        entrypoint: ProcessSpec | undefined | "unknown";
        cmd: ProcessSpec | undefined | "unknown";
        /** `/bin/sh` of the image. */
        sh: { flavour: ShellFlavour; describe: string };
        describe: string;
    };
}

export type SignalVerdict =
    | { verdict: "receives"; why: string }
    | { verdict: "lost"; source: "entryPoint" | "command" | "image"; pid1: string; why: string; fix: string }
    | { verdict: "unknown"; why: string };

const FIX_FORMS =
    "or run an init as PID 1 (`linuxParameters: { initProcessEnabled: true }` in the container definition, or `tini`/`dumb-init` in the image's ENTRYPOINT)";

/** The top-level commands of a shell script, split on newlines, `;`, `&&` and `||` outside quotes. */
export function topLevelCommands(script: string): string[] {
    const out: string[] = [];
    let current = "";
    let quote: string | undefined;
    for (let i = 0; i < script.length; i++) {
        const ch = script[i];
        if (quote) {
            current += ch;
            if (ch === quote) quote = undefined;
            else if (ch === "\\" && quote === '"' && i + 1 < script.length) current += script[++i];
            continue;
        }
        if (ch === "'" || ch === '"') {
            quote = ch;
            current += ch;
            continue;
        }
        if (ch === "\\" && i + 1 < script.length) {
            current += ch + script[++i];
            continue;
        }
        const two = script.slice(i, i + 2);
        if (ch === "\n" || ch === ";" || two === "&&" || two === "||") {
            out.push(current.trim());
            current = "";
            if (two === "&&" || two === "||") i++;
            continue;
        }
        current += ch;
    }
    out.push(current.trim());
    return out.filter((c) => c !== "");
}

/** Why the last command of a `-c` script cannot replace the shell in any shell, if it cannot. */
function lastCommandKeepsShell(commands: string[]): string | undefined {
    const last = commands[commands.length - 1] ?? "";
    const unquoted = last.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "''");
    if (/(^|[^|])\|([^|]|$)/.test(unquoted)) return "its last command is a pipeline";
    if (/&\s*$/.test(unquoted) || /^wait\b/.test(unquoted)) return "it runs the app in the background";
    if (/^(\(|\{|if\b|while\b|until\b|for\b|case\b)/.test(unquoted)) return "its last command is a compound command";
    return undefined;
}

/** Judges a shell running `script` as PID 1. `sh` is the flavour of the shell program itself. */
export function judgeShellScript(
    script: string,
    sh: { flavour: ShellFlavour; describe: string },
): { keepsPid1: boolean | "unknown"; why: string } {
    const commands = topLevelCommands(script);
    const last = commands[commands.length - 1] ?? "";
    if (/(^|\s)trap\s[^\n]*(TERM|SIGTERM|\b15\b)/.test(script)) return { keepsPid1: false, why: "the script traps SIGTERM itself" };
    if (/^exec\s/.test(last)) return { keepsPid1: false, why: "the script's last command starts with `exec`, which replaces the shell" };
    const reason = lastCommandKeepsShell(commands);
    if (reason) return { keepsPid1: true, why: `${reason}, so the shell stays PID 1 in every shell` };
    switch (sh.flavour) {
        case "dash":
            return { keepsPid1: true, why: `${sh.describe} runs every command of a \`-c\` script as its child and stays PID 1` };
        case "bash":
        case "busybox":
            return { keepsPid1: false, why: `${sh.describe} replaces itself with the script's last simple command` };
        case "none":
            return { keepsPid1: false, why: "the image has no shell (the container would not start at all)" };
        default:
            return {
                keepsPid1: "unknown",
                why: `whether the image's /bin/sh replaces itself with the script's last command is not known (dash keeps PID 1, bash and BusyBox do not)`,
            };
    }
}

/** The shell and script when `argv` runs a shell with `-c`, else `undefined`. */
function shellInvocation(argv: string[]): { program: string; script: string } | undefined {
    const program = base(argv[0] ?? "");
    if (!(program in SHELLS)) return undefined;
    const flagIndex = argv.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a));
    if (flagIndex < 0 || flagIndex + 1 >= argv.length) return undefined;
    return { program: argv[0], script: argv[flagIndex + 1] };
}

function flavourOf(program: string, imageSh: { flavour: ShellFlavour; describe: string }): { flavour: ShellFlavour; describe: string } {
    const kind = SHELLS[base(program)];
    if (kind === "sh") return imageSh;
    return { flavour: kind as ShellFlavour, describe: base(program) === "zsh" ? "zsh" : base(program) };
}

function toArgv(spec: ProcessSpec): string[] {
    return spec.form === "exec" ? spec.argv : [...spec.shell, spec.text];
}

interface Pid1 {
    argv: string[];
    source: "entryPoint" | "command" | "image";
}

/** The argv PID 1 runs, or why it cannot be told. */
function pid1Of(input: SignalInput): Pid1 | { unknown: string } {
    if (input.entryPoint && input.entryPoint.length > 0) {
        return { argv: [...input.entryPoint, ...(input.command ?? [])], source: "entryPoint" };
    }
    const ep = input.image.entrypoint;
    const cmd: ProcessSpec | undefined | "unknown" = input.command ? { form: "exec", argv: input.command } : input.image.cmd;
    const cmdSource = input.command ? "command" : "image";
    if (ep === "unknown") {
        return { unknown: `the ENTRYPOINT of ${input.image.describe} is not known (an init there would forward the signal)` };
    }
    if (ep?.form === "shell") return { argv: toArgv(ep), source: "image" };
    if (ep && !INIT_PROGRAMS.has(base(ep.argv[0] ?? ""))) {
        if (cmd === "unknown") return { argv: ep.argv, source: "image" };
        return { argv: [...ep.argv, ...(cmd ? toArgv(cmd) : [])], source: "image" };
    }
    if (ep) return { argv: [...ep.argv], source: "image" };
    if (cmd === "unknown") return { unknown: `the CMD of ${input.image.describe} is not known` };
    if (!cmd) return { unknown: "neither the image nor the task definition says what the container runs" };
    return { argv: toArgv(cmd), source: cmdSource };
}

/** Whether the container's main process receives SIGTERM, and if not, why and how to fix it. */
export function judgeSigterm(input: SignalInput): SignalVerdict {
    if (input.initProcessEnabled)
        return { verdict: "receives", why: "ECS runs an init process as PID 1 (initProcessEnabled), which forwards the signal" };
    const pid1 = pid1Of(input);
    if ("unknown" in pid1) return { verdict: "unknown", why: pid1.unknown };
    const program = pid1.argv[0] ?? "";
    if (INIT_PROGRAMS.has(base(program))) return { verdict: "receives", why: `PID 1 is \`${base(program)}\`, which forwards the signal` };
    const shell = shellInvocation(pid1.argv);
    if (!shell) return { verdict: "receives", why: `PID 1 is \`${program}\` itself (it must handle SIGTERM)` };
    const judged = judgeShellScript(shell.script, flavourOf(shell.program, input.image.sh));
    if (judged.keepsPid1 === "unknown") return { verdict: "unknown", why: judged.why };
    if (!judged.keepsPid1) return { verdict: "receives", why: judged.why };
    const script = shell.script.length > 60 ? `${shell.script.slice(0, 57)}...` : shell.script;
    const shown = [...pid1.argv.slice(0, pid1.argv.indexOf(shell.script)), script].map((a) => JSON.stringify(a)).join(", ");
    return {
        verdict: "lost",
        source: pid1.source,
        pid1: `[${shown}]`,
        why: `PID 1 is \`${base(shell.program)}\` and ${judged.why}: SIGTERM never reaches the app, which is killed with SIGKILL after \`stopTimeout\` on every deployment and scale-in, dropping in-flight requests`,
        fix:
            pid1.source === "image"
                ? `Use the exec form in the Dockerfile (\`CMD ["node", "server.js"]\` instead of \`CMD node server.js\`), start the script's last command with \`exec\`, ${FIX_FORMS}`
                : `Start the script's last command with \`exec\` (\`sh -c "migrate && exec node server.js"\`), pass the app's argv directly (\`${pid1.source}: ["node", "server.js"]\`), ${FIX_FORMS}`,
    };
}
