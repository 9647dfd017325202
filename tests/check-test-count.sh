#!/bin/sh
# build-aux/test.sh counts GTest cases from meson's log: a skipped case is
# a skip, not a pass, and a program that crashed without a "not ok" line
# is still one failure.
set -u
top=${1:?usage: check-test-count.sh SOURCE_ROOT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..1"

python3 - "$tmp/testlog.json" <<'PY'
import json, sys
logs = [
    {"name": "a", "result": "OK",
     "stdout": "1..3\nok 1 /sa/a/one\nok 2 /sa/a/two # SKIP no display\nok 3 /sa/a/three\n"},
    {"name": "b", "result": "FAIL",
     "stdout": "1..2\nok 1 /sa/b/one # skip\nnot ok 2 /sa/b/two\n# ok 9 is a comment\n"},
    {"name": "c", "result": "SKIP", "stdout": "1..0 # SKIP nothing to run\n"},
    {"name": "d", "result": "ERROR", "stdout": "1..2\nok 1 /sa/d/one\n"},
]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for t in logs:
        f.write(json.dumps(t) + "\n")
PY

got=$("$top/build-aux/test.sh" --count "$tmp/testlog.json")
if [ "$got" = "3 2 2" ]; then
  echo "ok 1 - skips are counted apart from passes"
else
  echo "# expected \"3 2 2\" (passed skipped failed), got \"$got\""
  echo "not ok 1 - skips are counted apart from passes"
  status=1
fi

exit ${status:-0}
