#!/bin/sh
# run-fuzz.sh TARGET CORPUS SECONDS: fuzzes TARGET from CORPUS (read
# only: new inputs go to a temporary folder) for SECONDS, as one TAP test.
set -u
target=$1 corpus=$2 seconds=$3
name=$(basename "$target")
work=$(mktemp -d "${TMPDIR:-/tmp}/sa-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/new"

echo "1..1"
# No leak checks, as in the sanitize suite (docs/fuzzing.md says why).
if "$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -detect_leaks=0 \
     -print_final_stats=1 -artifact_prefix="$work/" "$work/new" "$corpus" >"$work/log" 2>&1; then
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
  echo "ok 1 - $name: $runs runs in ${seconds} s, no crash"
else
  tail -n 80 "$work/log" | sed 's/^/# /'
  for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -f "$f" ] || continue
    echo "# the input, base64: $(base64 -w0 "$f")"
  done
  echo "not ok 1 - $name found a crash"
fi
