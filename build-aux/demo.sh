#!/bin/bash
# Builds Smart Appeals, starts a demo registry on 127.0.0.1 and opens the
# client signed in as a demo executor. Closing the window stops the registry.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

demo_login=${SA_DEMO_LOGIN:-executor.almaty-teplo}
demo_port=${SA_DEMO_PORT:-8470}
data_dir="${XDG_DATA_HOME:-$HOME/.local/share}/smart-appeals/demo"
db="$data_dir/registry.db"
build="$top/_build"

build-aux/deps.sh demo

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top"
fi
meson compile -C "$build"

# The client needs a display and a session bus with a Secret Service; say so
# plainly instead of failing somewhere deep inside GTK or libsecret.
if [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${DISPLAY:-}" ]; then
  cat >&2 <<MSG
demo.sh: no desktop session here (neither WAYLAND_DISPLAY nor DISPLAY is set).
The demo opens a window: run it from a terminal inside a GNOME (or any X11 or
Wayland) session. The build is ready in $build; build-aux/test.sh runs the whole
suite headless on a machine like this one.
MSG
  exit 1
fi
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ ! -S "${XDG_RUNTIME_DIR:-/nonexistent}/bus" ]; then
  echo "demo.sh: no D-Bus session bus: the demo keeps its credentials in the Secret Service," \
       "which lives on the session bus. Log in to a desktop session, or run:" \
       "dbus-run-session -- $0" >&2
  exit 1
fi
bus_names=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.ListNames 2>/dev/null || true)
bus_names="$bus_names $(gdbus call --session --dest org.freedesktop.DBus \
  --object-path /org/freedesktop/DBus --method org.freedesktop.DBus.ListActivatableNames 2>/dev/null || true)"
case "$bus_names" in
  *"'org.freedesktop.secrets'"*) ;;
  *)
    echo "demo.sh: no Secret Service on the session bus. Log in to GNOME, or start GNOME" \
         "Keyring: gnome-keyring-daemon --start --components=secrets" >&2
    exit 1 ;;
esac

registry="$build/src/registry/smart-appeals-registry"
mkdir -p "$data_dir"
if [ ! -f "$db" ]; then
  echo "Creating the demo registry in $db"
  "$registry" init --db "$db" --demo > "$data_dir/init.log"
fi

log="$data_dir/registry.log"
"$registry" serve --db "$db" --listen "127.0.0.1:$demo_port" > "$data_dir/serve.out" 2> "$log" &
registry_pid=$!
trap 'kill "$registry_pid" 2>/dev/null; wait "$registry_pid" 2>/dev/null' EXIT

url=
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on //p' "$data_dir/serve.out" | head -n 1)
  [ -n "$url" ] && break
  if ! kill -0 "$registry_pid" 2>/dev/null; then
    echo "demo.sh: the registry did not start; its log ($log) says:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  sleep 0.1
done
[ -n "$url" ] || { echo "demo.sh: the registry did not answer within 10 s" >&2; exit 1; }
echo "Registry: $url (log: $log)"

# The demo's own credentials live in the Secret Service, like a user's would:
# stored once from the demo passwords init printed, read back for each start.
password=$(secret-tool lookup xdg:schema kz.almaty.SmartAppeals.Demo login "$demo_login" 2>/dev/null || true)
if [ -z "$password" ]; then
  password=$(sed -n "s/^ *$demo_login  *\([^ ]*\).*/\1/p" "$data_dir/init.log" | head -n 1)
  [ -n "$password" ] || password="demo-${demo_login%%.*}"
  printf '%s' "$password" | secret-tool store --label="Smart Appeals demo: $demo_login" \
    xdg:schema kz.almaty.SmartAppeals.Demo login "$demo_login"
fi

echo "Opening Smart Appeals as $demo_login"
# Run from the build tree as meson's devenv sets it up: the schema and the
# translations compiled in $build are found there, so the desk speaks the
# session's language (LANG=ru_RU.UTF-8, kk_KZ.UTF-8) with nothing installed.
printf '%s' "$password" | meson devenv -C "$build" \
  smart-appeals --server "$url" --login "$demo_login" --password-stdin
