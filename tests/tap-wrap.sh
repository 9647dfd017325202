#!/bin/sh
# Runs one command as a single TAP test case: tap-wrap.sh NAME COMMAND [ARG…]
name=$1
shift
echo "1..1"
if out=$("$@" 2>&1); then
  [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
  echo "ok 1 - $name"
else
  printf '%s\n' "$out" | sed 's/^/# /'
  echo "not ok 1 - $name"
  exit 1
fi
