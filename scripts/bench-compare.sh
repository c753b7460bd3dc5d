#!/bin/sh
# Byte-identity check of every report on the bench store: writes the outputs of the build in
# dist/ (scripts/bench-outputs.ts) and compares each with a reference directory made the same
# way from another build. Usage: scripts/bench-compare.sh REFERENCE_DIR [OUT_DIR]
set -eu
ref=$1
out=${2:-$(mktemp -d)}
cd "$(dirname "$0")/.."
node --import tsx scripts/bench-outputs.ts "$out"
status=0
for f in "$ref"/*; do
  name=$(basename "$f")
  if cmp -s "$f" "$out/$name"; then echo "same      $name ($(wc -c < "$f") bytes)"; else echo "DIFFERENT $name"; status=1; fi
done
exit $status
