#!/bin/bash
# Builds Smart Appeals in fresh build directories and runs the whole suite
# headless: once with --werror, once with AddressSanitizer and UBSan, and
# runs the fuzz targets briefly under clang's libFuzzer.
# The last line is "N passed, N skipped, N failed", counting GTest cases;
# a skipped case is not a passed one.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# Counts TAP results in meson's JSON log: "ok N ... # SKIP" is a skip, not
# a pass, and every "not ok" is a failure; a program that failed without
# saying which case counts as one failed case, so a crash is never hidden.
count_results () {
  python3 - "$1" <<'PY'
import json, re, sys
passed = skipped = failed = 0
skip = re.compile(r"#\s*skip\b", re.I)
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        t = json.loads(line)
        out = t.get("stdout") or ""
        ok = skips = bad = 0
        for result in re.findall(r"^(ok|not ok)\b(.*)$", out, re.M):
            if result[0] == "ok" and skip.search(result[1]):
                skips += 1
            elif result[0] == "ok":
                ok += 1
            else:
                bad += 1
        if t.get("result") not in ("OK", "EXPECTEDFAIL", "SKIP") and bad == 0:
            bad = 1
        passed += ok
        skipped += skips
        failed += bad
print(passed, skipped, failed)
PY
}

# "test.sh --count LOG" prints "PASSED SKIPPED FAILED" for one meson log
# (tests/check-test-count.sh checks the counting).
if [ "${1:-}" = "--count" ]; then
  count_results "$2"
  exit
fi

build-aux/deps.sh test || exit 1

work=$(mktemp -d "${TMPDIR:-/tmp}/smart-appeals-test.XXXXXX")
keep=${SA_KEEP_BUILD:-}
cleanup () { [ -n "$keep" ] || rm -rf "$work"; }
trap cleanup EXIT

passed=0
skipped=0
failed=0

run_suite () {
  local name=$1; shift
  local dir="$work/$name"

  echo "== $name: configure and build"
  if ! meson setup "$dir" "$top" "$@" >"$work/$name-setup.log" 2>&1; then
    cat "$work/$name-setup.log"; failed=$((failed + 1)); return
  fi
  if ! meson compile -C "$dir"; then
    failed=$((failed + 1)); return
  fi

  echo "== $name: test"
  # A private session bus with an unlocked keyring, and a virtual display.
  HOME="$work/$name-home" XDG_DATA_HOME="$work/$name-home/.local/share" \
  XDG_CONFIG_HOME="$work/$name-home/.config" XDG_CACHE_HOME="$work/$name-home/.cache" \
  XDG_RUNTIME_DIR="$work/$name-run" GSETTINGS_BACKEND=memory \
    "$top/build-aux/headless.sh" meson test -C "$dir" --print-errorlogs --num-processes 2
  read -r p s f < <(count_results "$dir/meson-logs/testlog.json")
  echo "== $name: $p passed, $s skipped, $f failed"
  passed=$((passed + p))
  skipped=$((skipped + s))
  failed=$((failed + f))
}

# The fuzz targets under clang's libFuzzer with ASan and UBSan: only they
# are built, and each fuzzes for a few seconds (tests/fuzz/meson.build).
run_fuzz () {
  local dir="$work/fuzz"
  local targets

  echo "== fuzz: configure and build"
  if ! CC=clang-14 meson setup "$dir" "$top" -Dfuzzing=true --buildtype=debugoptimized \
         -Db_sanitize=address,undefined -Db_lundef=false >"$work/fuzz-setup.log" 2>&1; then
    cat "$work/fuzz-setup.log"; failed=$((failed + 1)); return
  fi
  targets=$(cd "$top/tests/fuzz" && ls fuzz-*.c | sed 's/\.c$//' |
            grep -v -e '^fuzz-registry$' -e '^fuzz-standalone$')
  # shellcheck disable=SC2086
  if ! meson compile -C "$dir" $targets; then
    failed=$((failed + 1)); return
  fi

  echo "== fuzz: test"
  HOME="$work/fuzz-home" XDG_RUNTIME_DIR="$work/fuzz-run" GSETTINGS_BACKEND=memory \
    meson test -C "$dir" --suite fuzz --no-rebuild --print-errorlogs --num-processes 2
  read -r p s f < <(count_results "$dir/meson-logs/testlog.json")
  echo "== fuzz: $p passed, $s skipped, $f failed"
  passed=$((passed + p))
  skipped=$((skipped + s))
  failed=$((failed + f))
}

run_suite werror --werror --buildtype=debugoptimized
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite sanitize --werror --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_fuzz

echo "$passed passed, $skipped skipped, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
