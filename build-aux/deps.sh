#!/bin/sh
# Installs the Debian 12 packages Smart Appeals needs, only those missing.
# Sourced by demo.sh and test.sh: deps.sh [build|demo|test]...
set -eu

build_pkgs="meson ninja-build pkg-config gcc libc6-dev gettext
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsqlite3-dev libsecret-1-dev libsodium-dev libgdk-pixbuf-2.0-dev
  desktop-file-utils appstream libxtst-dev"
demo_pkgs="gnome-keyring libsecret-tools dbus-x11 locales"
test_pkgs="xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools at-spi2-core
  python3 curl clang-14 libclang-rt-14-dev locales"
# The desk's languages, for a demo under LANG=ru_RU.UTF-8 or kk_KZ.UTF-8
# (and for the test that runs it so): without the locale, setlocale() falls
# back to C, and the desk speaks English.
want_locales=""

want=""
for set in "$@"; do
  case "$set" in
    build) want="$want $build_pkgs" ;;
    demo)
      want="$want $build_pkgs $demo_pkgs"
      # The one this session asks for, if it is one of the desk's.
      case "${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}" in
        ru_RU.UTF-8|ru_RU.utf8) want_locales="$want_locales ru_RU.UTF-8" ;;
        kk_KZ.UTF-8|kk_KZ.utf8) want_locales="$want_locales kk_KZ.UTF-8" ;;
      esac ;;
    test)
      want="$want $build_pkgs $test_pkgs"
      want_locales="$want_locales ru_RU.UTF-8 kk_KZ.UTF-8" ;;
    *) echo "deps.sh: unknown set '$set'" >&2; exit 2 ;;
  esac
done

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    case " $missing " in *" $p "*) ;; *) missing="$missing $p" ;; esac
  fi
done

# Generated locales are listed as e.g. ru_RU.utf8.
missing_locales=""
for l in $want_locales; do
  case " $missing_locales " in *" $l "*) continue ;; esac
  if ! locale -a 2>/dev/null | grep -qix "$(echo "$l" | sed 's/UTF-8$/utf8/')"; then
    missing_locales="$missing_locales $l"
  fi
done

[ -z "$missing$missing_locales" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
  else
    [ -z "$missing" ] || echo "Please install them as root: apt-get install$missing" >&2
    [ -z "$missing_locales" ] ||
      echo "Please generate the locales$missing_locales as root (dpkg-reconfigure locales)" >&2
    exit 1
  fi
else
  SUDO=
fi
if [ -n "$missing" ]; then
  echo "Installing missing Debian packages:$missing"
  $SUDO apt-get update -q
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi
if [ -n "$missing_locales" ]; then
  # Listed in /etc/locale.gen, the Debian way, so that later runs of
  # locale-gen (on upgrades) keep them.
  echo "Generating locales:$missing_locales"
  for l in $missing_locales; do
    if grep -q "^# *$l UTF-8" /etc/locale.gen; then
      $SUDO sed -i "s/^# *\($l UTF-8\)/\1/" /etc/locale.gen
    elif ! grep -q "^$l UTF-8" /etc/locale.gen; then
      echo "$l UTF-8" | $SUDO tee -a /etc/locale.gen > /dev/null
    fi
  done
  $SUDO locale-gen
fi
