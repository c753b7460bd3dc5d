#!/bin/sh
# Helm runs this after `helm plugin install` / `helm plugin update` (as `sh -c`).
# A packaged plugin already carries dist/cli.js: nothing to do. A plugin installed from its
# source repository (helm plugin install <git-url>) has no bundle yet: build it when node and
# npm are present, and say exactly what is missing otherwise.
set -e
dir="${HELM_PLUGIN_DIR:-$(cd "$(dirname "$0")/.." && pwd)}"
if [ -f "$dir/dist/cli.js" ] || [ -x "$dir/bin/psa-clean" ]; then
  exit 0
fi
if ! command -v node >/dev/null 2>&1; then
  echo "psa-clean: node (>= 20) is not on PATH; install Node.js, or install a standalone release tarball (psa-clean-<version>-<os>-<arch>.tgz) instead" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "psa-clean: npm is not on PATH; it is needed to build the plugin from source" >&2
  exit 1
fi
echo "psa-clean: building the plugin bundle from source (npm ci && npm run build)" >&2
cd "$dir"
npm ci --no-audit --no-fund --loglevel=error >&2
npm run -s build >&2
