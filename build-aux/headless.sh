#!/bin/bash
# Runs a command with what a desktop session would give it: a virtual X
# display, a private D-Bus session bus and an unlocked gnome-keyring.
set -eu
mkdir -p "${HOME:?}" "${XDG_RUNTIME_DIR:?}" "${XDG_DATA_HOME:-$HOME/.local/share}"
chmod 700 "$XDG_RUNTIME_DIR"

if [ -z "${SA_HEADLESS_INNER:-}" ]; then
  export SA_HEADLESS_INNER=1
  exec xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" \
    dbus-run-session -- "$0" "$@"
fi

# The login keyring is created with a throw-away password and stays unlocked.
eval "$(printf 'smart-appeals' | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
"$@"
status=$?
# Stop this session's keyring only: other runs may share the machine.
for pid in $(pgrep -u "$(id -u)" -f "gnome-keyring-daemon.*--components=secrets"); do
  if tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null |
       grep -qxF "DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS"; then
    kill "$pid" 2>/dev/null || true
  fi
done
exit $status
