#!/bin/sh
# The desk run from the build tree, as build-aux/demo.sh runs it ("meson
# devenv"), speaks the language of the locale: its own compiled
# translations are found without anything installed.
# Usage: check-devenv-i18n.sh MESON BUILD_ROOT SOURCE_ROOT
set -u
meson=${1:?} build=${2:?} top=${3:?}
msgid="Address of the registry to sign in to"
set -- ru:ru_RU.UTF-8 kk:kk_KZ.UTF-8
echo "1..$#"
i=0
for pair in "$@"; do
  i=$((i + 1))
  lang=${pair%%:*} locale=${pair#*:}
  # The translation as po/LANG.po has it, on one line (msggrep keeps the
  # header entry, whose msgstr comes first).
  want=$(msggrep --no-wrap -K -F -e "$msgid" "$top/po/$lang.po" |
         sed -n 's/^msgstr "\(.\{1,\}\)"$/\1/p' | tail -n 1)
  if ! locale -a 2>/dev/null | grep -qix "$(echo "$locale" | sed 's/UTF-8$/utf8/')"; then
    echo "# the locale $locale is not generated here: build-aux/deps.sh test generates it"
    echo "not ok $i - $lang: smart-appeals from the build tree under LANG=$locale"
    status=1
    continue
  fi
  out=$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG="$locale" \
        "$meson" devenv -C "$build" smart-appeals --help 2>&1)
  if [ -n "$want" ] && printf '%s\n' "$out" | grep -qF -- "$want"; then
    echo "ok $i - $lang: smart-appeals from the build tree under LANG=$locale"
  else
    echo "# expected: $want"
    printf '%s\n' "$out" | sed 's/^/# /'
    echo "not ok $i - $lang: smart-appeals from the build tree under LANG=$locale"
    status=1
  fi
done
exit ${status:-0}
