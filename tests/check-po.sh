#!/bin/sh
# Fails when a translatable file is missing from po/POTFILES.in, or when a
# language in po/LINGUAS has an untranslated, fuzzy or malformed message
# against the strings the sources have now (not against a stale template).
set -u
top=${1:?usage: check-po.sh SOURCE_ROOT}
cd "$top" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

langs=$(grep -v '^#' po/LINGUAS)
n=1
for l in $langs; do n=$((n + 1)); done
echo "1..$n"

grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort > "$tmp/listed"
{
  grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|ngettext|g_dngettext)[[:space:]]*\(' src --include='*.c' 2>/dev/null
  grep -rl 'translatable="yes"' data/ui 2>/dev/null
  ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml 2>/dev/null
} | sort -u > "$tmp/found"
missing=$(comm -13 "$tmp/listed" "$tmp/found")
gone=$(while read -r f; do [ -e "$f" ] || echo "$f"; done < "$tmp/listed")
if [ -z "$missing$gone" ]; then
  echo "ok 1 - po/POTFILES.in lists every file with translatable strings"
else
  for f in $missing; do echo "# not in po/POTFILES.in: $f"; done
  for f in $gone; do echo "# listed but missing: $f"; done
  echo "not ok 1 - po/POTFILES.in lists every file with translatable strings"
  status=1
fi

xgettext --from-code=UTF-8 --add-comments=Translators --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --package-name=smart-appeals -f "$tmp/listed" -o "$tmp/smart-appeals.pot" 2> "$tmp/xgettext.err" \
  || { sed 's/^/# /' "$tmp/xgettext.err"; }

i=1
for l in $langs; do
  i=$((i + 1))
  if ! msgmerge --quiet -o "$tmp/$l.po" "po/$l.po" "$tmp/smart-appeals.pot" 2> "$tmp/$l.err"; then
    sed 's/^/# /' "$tmp/$l.err"
    echo "not ok $i - $l: po/$l.po merges with the sources"
    status=1
    continue
  fi
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/$l.po" 2>&1)
  check=$?
  echo "# $l: $stats"
  if [ $check -eq 0 ] && ! printf '%s' "$stats" | grep -qE 'fuzzy|untranslated'; then
    echo "ok $i - $l: every message is translated"
  else
    msgattrib --untranslated --no-obsolete "$tmp/$l.po" | grep '^msgid ' | sed 's/^/# untranslated: /' | head -20
    msgattrib --only-fuzzy --no-obsolete "$tmp/$l.po" | grep '^msgid ' | sed 's/^/# fuzzy: /' | head -20
    echo "not ok $i - $l: every message is translated"
    status=1
  fi
done
exit ${status:-0}
