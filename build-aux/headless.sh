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
pkill -u "$(id -u)" -f "gnome-keyring-daemon.*--components=secrets" 2>/dev/null || true
exit $status
