#!/bin/sh
# Provisions the programs that the real-server tests run on this machine. `npm test` runs it first,
# so a fresh machine needs no step outside the README's test command, and `.ci/run` (which runs
# `npm test`) proves exactly that path.
#
#   redis-server, openssl  tests/integration/redis-real.test.ts starts real Redis servers, plain and
#                          TLS (its certificate is made with the openssl CLI)
#   curl, wget, python3    tests/integration/probe-command-real.test.ts runs the generated probe commands
#
# Node is not listed: npm scripts run the project's own Node 22 (the `node` devDependency).
#
# Idempotent and offline when everything is there: it only looks the programs up on PATH (no apt-get).
# When some are missing it installs their Debian packages with apt-get, as root or through `sudo -n`;
# when it cannot, it stops at once with one line that says what to run.
#
# Environment:
#   HEALTHY_FARGATE_SKIP_REAL_SERVERS=1  install nothing; the tests that need these programs are skipped
#                                        (mocha "pending"), never counted as passed. 0 or unset: provision.
#   HEALTHY_FARGATE_PROVISION_DIR        where the apt-get log and the record of what this script installed
#                                        are kept. Default: $XDG_CACHE_HOME/healthy-fargate, else
#                                        $HOME/.cache/healthy-fargate: outside the clone, like the packages
#                                        themselves, so a fresh clone or `npm ci` does not forget them. The tests read
#                                        the record (tests/support/real-servers.ts, same default) to say how
#                                        their server got onto the machine.
#
# Exit codes: 0 ready (or opted out); 1 apt-get ran and did not provide every program;
# 2 cannot install here (not root, no passwordless sudo, or no apt-get); 3 bad HEALTHY_FARGATE_SKIP_REAL_SERVERS.
set -u
# No `dirname`: the script's own tests run it with a PATH that holds only the programs they allow.
case "$0" in */*) cd "${0%/*}/../.." || exit 2 ;; *) cd ../.. || exit 2 ;; esac

# program=Debian package, for every program the tests run from PATH.
NEEDED="redis-server=redis-server openssl=openssl curl=curl wget=wget python3=python3"
CACHE_HOME=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}
STATE_DIR=${HEALTHY_FARGATE_PROVISION_DIR:-$CACHE_HOME/healthy-fargate}
RECORD="$STATE_DIR/installed-by-test-command"
SKIP_HINT="or skip the real-server tests: HEALTHY_FARGATE_SKIP_REAL_SERVERS=1 npm test"

say() { echo "test servers: $*"; }
fail() { code=$1; shift; echo "test servers: $*" >&2; exit "$code"; }

check_opt_out() {
  case "${HEALTHY_FARGATE_SKIP_REAL_SERVERS:-0}" in
    0) return 1 ;;
    1) say "HEALTHY_FARGATE_SKIP_REAL_SERVERS=1: nothing installed; the tests that need redis-server, openssl" \
         "or a missing probe tool are skipped (pending)."
       return 0 ;;
    *) fail 3 "HEALTHY_FARGATE_SKIP_REAL_SERVERS is '$HEALTHY_FARGATE_SKIP_REAL_SERVERS'; set it to 1 to skip the" \
         "real-server tests, or to 0 (or unset it) to install what they need." ;;
  esac
}

# Sets MISSING_PROGRAMS and MISSING_PACKAGES (space-separated) from what PATH lacks, PRESENT_PROGRAMS from what it has.
find_missing() {
  MISSING_PROGRAMS=""
  MISSING_PACKAGES=""
  PRESENT_PROGRAMS=""
  for entry in $NEEDED; do
    program=${entry%%=*}
    if command -v "$program" >/dev/null 2>&1; then
      PRESENT_PROGRAMS="${PRESENT_PROGRAMS:+$PRESENT_PROGRAMS }$program"
      continue
    fi
    MISSING_PROGRAMS="${MISSING_PROGRAMS:+$MISSING_PROGRAMS }$program"
    MISSING_PACKAGES="${MISSING_PACKAGES:+$MISSING_PACKAGES }${entry#*=}"
  done
}

# Prints how to run apt-get here ("" as root, "sudo -n" with passwordless sudo); fails when neither works.
apt_prefix() {
  command -v apt-get >/dev/null 2>&1 \
    || fail 2 "not on PATH: $MISSING_PROGRAMS, and this machine has no apt-get. Install them with its package manager" \
         "(Debian packages: $MISSING_PACKAGES; macOS: brew install redis openssl curl wget python3), then run npm test again;" \
         "$SKIP_HINT"
  if [ "$(id -u)" = 0 ]; then echo ""; return; fi
  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then echo "sudo -n"; return; fi
  fail 2 "not on PATH: $MISSING_PROGRAMS, and this user cannot install it (not root, no passwordless sudo). Run as root:" \
    "apt-get update && apt-get install -y --no-install-recommends $MISSING_PACKAGES  then run npm test again;" \
    "$SKIP_HINT"
}

# apt-get update + install into a log file; on failure shows the log's end and says what to run.
apt_install() {
  mkdir -p "$STATE_DIR"
  log="$STATE_DIR/apt-get.log"
  # DPkg::Lock::Timeout: wait for another apt/dpkg run to finish instead of failing on its lock.
  if ! { $1 env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq \
         && $1 env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
              --no-install-recommends $MISSING_PACKAGES; } >"$log" 2>&1; then
    tail -n 5 "$log" | sed 's/^/  apt-get: /' >&2
    fail 1 "apt-get could not install $MISSING_PACKAGES (log: $log). Fix the cause above, run as root: apt-get update &&" \
      "apt-get install -y --no-install-recommends $MISSING_PACKAGES  then run npm test again; $SKIP_HINT"
  fi
}

# Appends "<package> <version> <UTC time>" per package to the record that tests/support/real-servers.ts reads.
record_installed() {
  mkdir -p "$STATE_DIR"
  for package in "$@"; do
    version=$(dpkg-query -W -f='${Version}' "$package" 2>/dev/null) || version=unknown
    echo "$package $version $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$RECORD"
    say "installed Debian package $package $version."
  done
}

main() {
  check_opt_out && exit 0
  find_missing
  if [ -z "$MISSING_PROGRAMS" ]; then
    say "on PATH: $PRESENT_PROGRAMS; nothing to install."
    exit 0
  fi
  prefix=$(apt_prefix) || exit $?
  say "not on PATH: $MISSING_PROGRAMS; installing Debian packages $MISSING_PACKAGES with ${prefix:+$prefix }apt-get" \
    "(HEALTHY_FARGATE_SKIP_REAL_SERVERS=1 skips these tests instead)."
  apt_install "$prefix"
  installed_programs=$MISSING_PROGRAMS
  installed_packages=$MISSING_PACKAGES
  hash -r 2>/dev/null
  find_missing
  [ -z "$MISSING_PROGRAMS" ] || fail 1 "apt-get installed $installed_packages, but $MISSING_PROGRAMS still not on PATH ($PATH);" \
    "install it by hand, then run npm test again; $SKIP_HINT"
  record_installed $installed_packages
  say "$installed_programs now on PATH (recorded in $RECORD)."
}

main
