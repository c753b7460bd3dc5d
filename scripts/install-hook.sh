#!/bin/sh
# Helm runs this after `helm plugin install` and `helm plugin update` (plugin.yaml hooks, as
# `sh -c`), with HELM_PLUGIN_DIR set; argument 1 is "install" or "update".
#
# - A packaged plugin (release tarball) already carries dist/cli.js or bin/psa-clean: nothing
#   to do.
# - A plugin installed from its source repository (helm plugin install <git-url>) has no bundle
#   yet: build it with `npm ci && npm run build` when node >= 20 and npm are present, and say
#   exactly what is missing otherwise. After `helm plugin update` (a git pull) the sources may
#   have changed, so a source checkout is always rebuilt then.
#
# npm honours its usual settings (npm_config_registry, npm_config_cache, npm_config_prefer_offline):
# behind a mirror or with a warm cache, set them in the environment of `helm plugin install`.
# --omit=peer skips the optional peers of the test-only Helm binary packages (aws-cdk-lib, about
# 190 MB); the build needs esbuild and the runtime dependencies only.
set -eu
event="${1:-install}"
dir="${HELM_PLUGIN_DIR:-$(cd "$(dirname "$0")/.." && pwd)}"

is_source_checkout() { [ -f "$dir/package.json" ] && [ -f "$dir/package-lock.json" ] && [ -d "$dir/src" ]; }

if [ -x "$dir/bin/psa-clean" ]; then
  exit 0
fi
if [ -f "$dir/dist/cli.js" ] && { [ "$event" != "update" ] || ! is_source_checkout; }; then
  exit 0
fi

fail() {
  echo "psa-clean: $*" >&2
  echo "psa-clean: the plugin is installed but cannot run until this is fixed; then run: sh \"$dir/scripts/install-hook.sh\"" >&2
  echo "psa-clean: or remove it (helm plugin uninstall psa-clean) and install a release tarball: psa-clean-<version>-<os>-<arch>.tgz needs no Node.js" >&2
  exit 1
}

if ! is_source_checkout; then
  fail "$dir has neither dist/cli.js nor bin/psa-clean, and is not a source checkout (no package.json, package-lock.json, src/) to build from"
fi
if ! command -v node >/dev/null 2>&1; then
  fail "node is not on PATH: building from source needs Node.js >= 20 and npm"
fi
major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
case "$major" in '' | *[!0-9]*) major=0 ;; esac
if [ "$major" -lt 20 ]; then
  fail "node $(node --version 2>/dev/null) is too old: psa-clean needs Node.js >= 20"
fi
if ! command -v npm >/dev/null 2>&1; then
  fail "npm is not on PATH: building from source needs npm (it comes with Node.js)"
fi

cd "$dir"
# A developer's checkout (helm plugin install .) already has its dependencies: do not wipe them.
if [ "$event" = "install" ] && [ -x "$dir/node_modules/.bin/esbuild" ]; then
  echo "psa-clean: building from source in $dir (npm run build; node_modules/ is already there)" >&2
else
  echo "psa-clean: building from source in $dir (npm ci && npm run build)" >&2
  if ! npm ci --omit=peer --no-audit --no-fund --update-notifier=false --loglevel=error >&2; then
    fail "npm ci failed (see above): it needs the npm registry (npm_config_registry for a mirror), or a warm npm cache with npm_config_prefer_offline=true"
  fi
fi
if ! npm run -s build >&2; then
  fail "npm run build failed (see above)"
fi
if [ ! -f "$dir/dist/cli.js" ]; then
  fail "the build finished but dist/cli.js is missing"
fi
echo "psa-clean: built $dir/dist/cli.js" >&2
