#!/bin/bash
# Renders the main views in light and dark, in Russian, Kazakh and English,
# into docs/screenshots/ (used by the README and the metainfo):
#   sign-in-LANG-STYLE.png    the first start
#   list-LANG-STYLE.png       the executor's synced desk
#   detail-LANG-STYLE.png     an appeal with its history beside the list
#   conflicts-LANG-STYLE.png  a conflict and a rejection, made for real
#   reply-LANG-STYLE.png      the reply editor, a draft typed and saved, a photo included
#   review-LANG-STYLE.png     a supervisor's review of a reply awaiting approval
#   verdict-LANG-STYLE.png    the operator's verdict form, filled in
# English light has no suffix: sign-in.png, list.png, detail.png, conflicts.png, ….
# Usage: build-aux/screenshots.sh [BUILD_DIR]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build}
out="$top/docs/screenshots"
mkdir -p "$out"

[ -f "$build/build.ninja" ] || meson setup "$build" "$top"
meson compile -C "$build"

work=$(mktemp -d)
registry_pid=
stop_registry () {
  [ -z "$registry_pid" ] || { kill "$registry_pid" 2>/dev/null; wait "$registry_pid" 2>/dev/null || true; }
  registry_pid=
}
trap 'stop_registry; rm -rf "$work"' EXIT

# Each shot is a new computer: a home of its own, so no account's cache
# (or its outbox) carries over from the shot before.
n=0
shot () {
  local lang=$1 style=$2 name=$3; shift 3
  n=$((n + 1))
  mkdir -p "$work/home-$n" "$work/run-$n"
  chmod 700 "$work/run-$n"
  HOME="$work/home-$n" XDG_RUNTIME_DIR="$work/run-$n" GSETTINGS_BACKEND=memory \
  GSETTINGS_SCHEMA_DIR="$build/data" GSK_RENDERER=cairo NO_AT_BRIDGE=1 \
  LANG=C.UTF-8 LANGUAGE="$lang" \
    "$top/build-aux/headless.sh" "$build/tests/sa-screenshot" --localedir "$build/po" \
      --style "$style" --output "$out/$name.png" "$@"
}

# A demo registry to sign in to, for the signed-in views. The conflicts
# change its data, so each of their shots starts from the same fresh copy.
# The demo's own size: the desk looks as build-aux/demo.sh opens it (a
# smaller day can leave the documented executor with nothing in hand).
registry="$build/src/registry/smart-appeals-registry"
"$registry" init --db "$work/pristine.db" --demo > /dev/null
url=
start_registry () {
  stop_registry
  rm -f "$work"/registry.db*
  cp "$work/pristine.db" "$work/registry.db"
  : > "$work/serve.out"
  "$registry" serve --db "$work/registry.db" --listen 127.0.0.1:0 > "$work/serve.out" 2> /dev/null &
  registry_pid=$!
  url=
  for _ in $(seq 1 100); do
    url=$(sed -n 's/^listening on //p' "$work/serve.out")
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "The demo registry did not start" >&2; exit 1; }
}

executor=executor.almaty-teplo
supervisor=supervisor.almaty-teplo
start_registry
for style in light dark; do
  for lang in ru kk en; do
    suffix="-$lang-$style"
    [ "$lang-$style" = "en-light" ] && suffix=""
    shot "$lang" "$style" "sign-in$suffix" --width 900 --height 640
    # The window's default size: nothing may be cut off at it.
    printf 'demo-executor\n' | shot "$lang" "$style" "list$suffix" --view list \
      --server "$url" --login "$executor"
    printf 'demo-executor\n' | shot "$lang" "$style" "detail$suffix" --view detail \
      --server "$url" --login "$executor"
    printf 'demo-executor\n' | shot "$lang" "$style" "answered$suffix" --view answered \
      --server "$url" --login "$executor"
    printf 'demo-supervisor\n' | shot "$lang" "$style" "review$suffix" --view review \
      --server "$url" --login "$supervisor"
    printf 'demo-operator\n' | shot "$lang" "$style" "verdict$suffix" --view verdict \
      --server "$url" --login operator.ikomek-109
    printf 'demo-operator\n' | shot "$lang" "$style" "quick-answer$suffix" --view quick-answer \
      --server "$url" --login operator.ikomek-109
  done
done
for style in light dark; do
  for lang in ru kk en; do
    suffix="-$lang-$style"
    [ "$lang-$style" = "en-light" ] && suffix=""
    start_registry
    printf 'demo-executor\ndemo-supervisor\n' | shot "$lang" "$style" "conflicts$suffix" \
      --view conflicts --server "$url" --login "$executor" --colleague "$supervisor"
    # A photo attached, sent and shown with its thumbnail.
    start_registry
    printf 'demo-executor\n' | shot "$lang" "$style" "attachments$suffix" --view attachments \
      --server "$url" --login "$executor"
    # The reply editor with a draft typed and saved and a photo of the work
    # included, on a registry of its own.
    start_registry
    printf 'demo-executor\n' | shot "$lang" "$style" "reply$suffix" --view reply \
      --server "$url" --login "$executor"
  done
done
