#!/bin/sh
# Installs the Debian 12 packages Smart Appeals needs, only those missing.
# Sourced by demo.sh and test.sh: deps.sh [build|demo|test]...
set -eu

build_pkgs="meson ninja-build pkg-config gcc libc6-dev gettext
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsqlite3-dev libsecret-1-dev libsodium-dev libgdk-pixbuf-2.0-dev
  desktop-file-utils appstream libxtst-dev"
demo_pkgs="gnome-keyring libsecret-tools dbus-x11"
test_pkgs="xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools at-spi2-core
  python3 curl clang-14 libclang-rt-14-dev"

want=""
for set in "$@"; do
  case "$set" in
    build) want="$want $build_pkgs" ;;
    demo) want="$want $build_pkgs $demo_pkgs" ;;
    test) want="$want $build_pkgs $test_pkgs" ;;
    *) echo "deps.sh: unknown set '$set'" >&2; exit 2 ;;
  esac
done

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    case " $missing " in *" $p "*) ;; *) missing="$missing $p" ;; esac
  fi
done

[ -z "$missing" ] && exit 0

echo "Installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
  else
    echo "Please install them as root: apt-get install$missing" >&2
    exit 1
  fi
else
  SUDO=
fi
$SUDO apt-get update -q
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
