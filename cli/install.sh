#!/bin/sh
# Installs the project's dependencies (`npm ci`) with npm running on the project's pinned
# Node.js 22 LTS, so that packages declaring `engines: node >= 22` (@pulumi/pulumi, the AWS
# SDK) install without EBADENGINE warnings even where the machine's own Node is older.
# Node itself comes from the npm registry (the `node` package); nothing else is downloaded.
set -eu
cd "$(dirname "$0")/.."
want=$(sed -n 's/.*"node": "\([0-9][0-9.]*\)".*/\1/p' package.json | head -n 1)
if [ "$(node --version 2>/dev/null)" = "v$want" ]; then
  exec npm ci "$@"
fi
# A throw-away prefix holds Node $want for the duration of the install; `npm ci` then installs
# the same version as a devDependency, which npm scripts put first on their PATH.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && printf '{"private":true,"allowScripts":{"node":true}}\n' > package.json &&
  npm install --no-save --no-package-lock --loglevel=error "node@$want" >/dev/null)
PATH="$tmp/node_modules/.bin:$PATH" npm ci "$@"
