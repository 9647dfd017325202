#!/bin/sh
# bench-fuzz.sh TARGET CORPUS [TARGET CORPUS ...]: fuzzes each target for
# a few seconds and prints its rate and the overall one:
#   bench: fuzz.<target>.execs_per_s N execs/s
#   bench: fuzz.execs_per_s N execs/s
set -u
seconds=${SA_FUZZ_BENCH_SECONDS:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/sa-fuzz-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
total_runs=0
total_time=0
while [ $# -ge 2 ]; do
  target=$1 corpus=$2
  shift 2
  name=$(basename "$target")
  rm -rf "$work/new" && mkdir "$work/new"
  "$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -detect_leaks=0 \
    -print_final_stats=1 \
    -artifact_prefix="$work/" "$work/new" "$corpus" >"$work/log" 2>&1 || {
      tail -n 40 "$work/log"; echo "$name crashed" >&2; exit 1; }
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
  echo "bench: fuzz.${name#fuzz-}.execs_per_s $((runs / seconds)) execs/s"
  total_runs=$((total_runs + runs))
  total_time=$((total_time + seconds))
done
echo "bench: fuzz.execs_per_s $((total_runs / total_time)) execs/s"
