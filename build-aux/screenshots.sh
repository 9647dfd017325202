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

# A demo registry to sign in to, for the signed-in views.
registry="$build/src/registry/smart-appeals-registry"
"$registry" init --db "$work/registry.db" --demo --appeals 200 > /dev/null
"$registry" serve --db "$work/registry.db" --listen 127.0.0.1:0 > "$work/serve.out" 2> /dev/null &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on //p' "$work/serve.out")
  [ -n "$url" ] && break
  sleep 0.1
done

for style in light dark; do
  for lang in ru kk en; do
    suffix="-$lang-$style"
    [ "$lang-$style" = "en-light" ] && suffix=""
    shot "$lang" "$style" "sign-in$suffix" --width 900 --height 640
    printf 'demo-executor' | shot "$lang" "$style" "main$suffix" --width 1100 --height 720 \
      --server "$url" --login executor.almaty-teplo --delay 3
  done
done
