/**
 * The decision logic of tests/support/provision-servers.sh, which `npm test` runs first: what it
 * installs, how (root, `sudo -n`), when it refuses, and what it says.
 *
 * Each case runs the real script with `/bin/sh` and a PATH that holds ONLY a fake machine's bin
 * directory: the programs it "has" are stubs there, and `id`, `sudo`, `apt-get` and `dpkg-query`
 * are fakes that record their calls (a fake `apt-get` "installs" a package by adding its stub to
 * that bin). Real `env`, `mkdir`, `tail`, `sed` and `date` are linked in, as the script uses them.
 * No case touches the real machine's packages; the real install is run by `npm test` itself.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { delimiter, join } from "path";
import { PROVISION_SCRIPT, realServersOptedOut } from "./real-servers";

const ALL_PROGRAMS = ["redis-server", "openssl", "curl", "wget", "python3"];
const REAL_UTILITIES = ["env", "mkdir", "tail", "sed", "date"];

interface FakeMachineOptions {
    /** Programs on PATH from the start. @default - all of them */
    readonly present?: readonly string[];
    /** What the fake `id -u` prints. */
    readonly uid: number;
    /** A fake `sudo`: "passwordless" runs the command, "password" refuses `-n` as real sudo does. @default - no sudo */
    readonly sudo?: "passwordless" | "password";
    /** A fake `apt-get`: installs what it is asked, fails like a missing package, or exits 0 and installs nothing. */
    readonly aptGet?: "installs" | "fails" | "installs-nothing";
}

interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
    /** Every call to the fake `sudo` and `apt-get`, one line each. */
    readonly calls: string[];
    /** The script's record of what it installed (empty when it installed nothing). */
    readonly record: string;
}

/** The executable file for `name` on this machine's PATH (not a shell builtin: `command -v true` prints "true"). */
function executableOnPath(name: string): string {
    const found = (process.env.PATH ?? "")
        .split(delimiter)
        .map((dir) => join(dir, name))
        .find((path) => existsSync(path));
    if (!found) throw new Error(`${name} is not on PATH; these tests link it into their fake machine`);
    return found;
}

function stub(bin: string, name: string, body: string): void {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
}

/** The fake `apt-get`: logs its call; on `install` adds a stub per package (package = program name here). */
function aptGetStub(mode: NonNullable<FakeMachineOptions["aptGet"]>, bin: string, calls: string): string {
    const install =
        mode === "installs"
            ? `for a in "$@"; do case "$a" in -*|install|DPkg*) ;; *) ` +
              `printf '#!/bin/sh\\necho fake\\n' > "${bin}/$a"; chmod 755 "${bin}/$a" ;; esac; done`
            : mode === "fails"
              ? 'echo "E: Unable to locate package redis-server" >&2; exit 100'
              : "";
    return `echo "apt-get $*" >> "${calls}"\ncase " $* " in *" install "*) ${install} ;; esac\nexit 0`;
}

function fakeMachine(dir: string, options: FakeMachineOptions): { bin: string; calls: string } {
    const bin = join(dir, "bin");
    const calls = join(dir, "calls");
    mkdirSync(bin);
    writeFileSync(calls, "");
    // `chmod` and `true` for the fakes: apt-get's new stubs, `sudo -n true`.
    for (const utility of [...REAL_UTILITIES, "chmod", "true"]) symlinkSync(executableOnPath(utility), join(bin, utility));
    for (const program of options.present ?? ALL_PROGRAMS) stub(bin, program, "echo fake");
    stub(bin, "id", `echo ${options.uid}`);
    stub(bin, "dpkg-query", 'echo "1.0-fake"');
    if (options.sudo === "passwordless") stub(bin, "sudo", `echo "sudo $*" >> "${calls}"\n[ "$1" = -n ] && shift\nexec "$@"`);
    if (options.sudo === "password") stub(bin, "sudo", 'echo "sudo: a password is required" >&2\nexit 1');
    if (options.aptGet) stub(bin, "apt-get", aptGetStub(options.aptGet, bin, calls));
    return { bin, calls };
}

function provision(options: FakeMachineOptions, env: NodeJS.ProcessEnv = {}): Run {
    const dir = mkdtempSync(join(tmpdir(), "healthy-fargate-provision-"));
    try {
        const { bin, calls } = fakeMachine(dir, options);
        const state = join(dir, "state");
        const result = spawnSync("/bin/sh", [PROVISION_SCRIPT], {
            encoding: "utf8",
            env: { PATH: bin, HOME: dir, HEALTHY_FARGATE_PROVISION_DIR: state, ...env },
        });
        const recordPath = join(state, "installed-by-test-command");
        return {
            status: result.status,
            stdout: result.stdout,
            stderr: result.stderr,
            calls: readFileSync(calls, "utf8").split("\n").filter(Boolean),
            record: existsSync(recordPath) ? readFileSync(recordPath, "utf8") : "",
        };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

const APT = "apt-get -o DPkg::Lock::Timeout=300";
const stderrLines = (run: Run) => run.stderr.split("\n").filter(Boolean);

describe("tests/support/provision-servers.sh (fake id, sudo, apt-get on a PATH that holds nothing else)", () => {
    it("with every program on PATH: says so, exits 0 and never calls apt-get (no update, no network)", () => {
        const run = provision({ uid: 0, aptGet: "installs" });
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.calls, []);
        assert.match(run.stdout, /on PATH: redis-server openssl curl wget python3; nothing to install\./);
        assert.equal(run.record, "");
    });

    it("as root without redis-server: apt-get update, then installs only redis-server, and records it", () => {
        const run = provision({ uid: 0, aptGet: "installs", present: ["openssl", "curl", "wget", "python3"] });
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.calls, [`${APT} update -qq`, `${APT} install -y -qq --no-install-recommends redis-server`]);
        assert.match(run.stdout, /not on PATH: redis-server; installing Debian packages redis-server with apt-get/);
        assert.match(run.stdout, /installed Debian package redis-server 1\.0-fake\./);
        assert.match(run.record, /^redis-server 1\.0-fake \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    });

    it("as a user with passwordless sudo: installs every missing program through `sudo -n`", () => {
        const run = provision({ uid: 1000, sudo: "passwordless", aptGet: "installs", present: ["curl", "wget", "python3"] });
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.calls, [
            "sudo -n true",
            `sudo -n env DEBIAN_FRONTEND=noninteractive ${APT} update -qq`,
            `${APT} update -qq`,
            `sudo -n env DEBIAN_FRONTEND=noninteractive ${APT} install -y -qq --no-install-recommends redis-server openssl`,
            `${APT} install -y -qq --no-install-recommends redis-server openssl`,
        ]);
        assert.match(run.record, /^redis-server 1\.0-fake \S+\nopenssl 1\.0-fake \S+\n$/);
    });

    for (const sudo of [undefined, "password"] as const) {
        const who = sudo ? "whose sudo asks for a password" : "without sudo";
        it(`as a user ${who}: stops with exit 2 and one line that says what to run`, () => {
            const run = provision({ uid: 1000, sudo, aptGet: "installs", present: ["curl", "wget", "python3"] });
            assert.equal(run.status, 2);
            assert.deepEqual(run.calls, [], "apt-get is never tried");
            assert.equal(run.stdout, "");
            const lines = stderrLines(run);
            assert.equal(lines.length, 1, run.stderr);
            assert.match(
                lines[0],
                /^test servers: not on PATH: redis-server openssl, and this user cannot install it \(not root, no passwordless sudo\)\./,
            );
            assert.match(
                lines[0],
                /Run as root: apt-get update && apt-get install -y --no-install-recommends redis-server openssl {2}then run npm test again;/,
            );
            assert.match(lines[0], /or skip the real-server tests: HEALTHY_FARGATE_SKIP_REAL_SERVERS=1 npm test$/);
        });
    }

    it("on a machine without apt-get: stops with exit 2 and names the programs and their Debian packages", () => {
        const run = provision({ uid: 0, present: ["openssl", "curl", "wget", "python3"] });
        assert.equal(run.status, 2);
        const lines = stderrLines(run);
        assert.equal(lines.length, 1, run.stderr);
        assert.match(lines[0], /not on PATH: redis-server, and this machine has no apt-get\. .*Debian packages: redis-server;/);
    });

    it("when apt-get fails: exit 1, apt-get's own last lines, then what to run", () => {
        const run = provision({ uid: 0, aptGet: "fails", present: ["openssl", "curl", "wget", "python3"] });
        assert.equal(run.status, 1);
        const lines = stderrLines(run);
        assert.deepEqual(lines.slice(0, -1), ["  apt-get: E: Unable to locate package redis-server"]);
        assert.match(lines.at(-1)!, /apt-get could not install redis-server \(log: .*apt-get\.log\)\. Fix the cause above, run as root: /);
        assert.match(lines.at(-1)!, /run as root: apt-get update && apt-get install -y --no-install-recommends redis-server {2}then/);
        assert.equal(run.record, "");
    });

    it("when apt-get succeeds but the program is still not on PATH: exit 1 and says so", () => {
        const run = provision({ uid: 0, aptGet: "installs-nothing", present: ["openssl", "curl", "wget", "python3"] });
        assert.equal(run.status, 1);
        assert.match(run.stderr, /apt-get installed redis-server, but redis-server still not on PATH/);
        assert.equal(run.record, "");
    });

    it("HEALTHY_FARGATE_SKIP_REAL_SERVERS=1: installs nothing even with everything missing, and says the tests are skipped", () => {
        const run = provision({ uid: 0, aptGet: "installs", present: [] }, { HEALTHY_FARGATE_SKIP_REAL_SERVERS: "1" });
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.calls, []);
        assert.match(run.stdout, /HEALTHY_FARGATE_SKIP_REAL_SERVERS=1: nothing installed; .* skipped \(pending\)\./);
    });

    it("the script and the tests read HEALTHY_FARGATE_SKIP_REAL_SERVERS alike: 1 skips, 0 or empty provisions, else an error", () => {
        for (const value of ["1", "0", "", "yes", "true"]) {
            const run = provision({ uid: 0, aptGet: "installs" }, { HEALTHY_FARGATE_SKIP_REAL_SERVERS: value });
            const env = { HEALTHY_FARGATE_SKIP_REAL_SERVERS: value };
            const refused = new RegExp(`HEALTHY_FARGATE_SKIP_REAL_SERVERS is '${value}'; set it to 1 to skip`);
            if (value === "1" || value === "0" || value === "") {
                assert.equal(run.status, 0, `${value}: ${run.stderr}`);
                assert.equal(/nothing installed; /.test(run.stdout), realServersOptedOut(env), `value '${value}'`);
            } else {
                assert.equal(run.status, 3, `value '${value}'`);
                assert.match(run.stderr, refused);
                assert.throws(() => realServersOptedOut(env), refused);
            }
        }
    });
});
