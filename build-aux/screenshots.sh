#!/bin/bash
# Renders the main views in light and dark, in Russian, Kazakh and English,
# into docs/screenshots/ (used by the README and the metainfo).
# Usage: build-aux/screenshots.sh [BUILD_DIR]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build}
out="$top/docs/screenshots"
mkdir -p "$out"

[ -f "$build/build.ninja" ] || meson setup "$build" "$top"
meson compile -C "$build"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shot () {
  local lang=$1 style=$2 name=$3; shift 3
  HOME="$work/home" XDG_RUNTIME_DIR="$work/run" GSETTINGS_BACKEND=memory \
  GSETTINGS_SCHEMA_DIR="$build/data" GSK_RENDERER=cairo NO_AT_BRIDGE=1 \
  LANG=C.UTF-8 LANGUAGE="$lang" \
    "$top/build-aux/headless.sh" "$build/tests/sa-screenshot" --localedir "$build/po" \
      --style "$style" --output "$out/$name.png" "$@"
}

for style in light dark; do
  for lang in ru kk en; do
    suffix="-$lang-$style"
    [ "$lang-$style" = "en-light" ] && suffix=""
    shot "$lang" "$style" "sign-in$suffix" --width 900 --height 640
  done
done
