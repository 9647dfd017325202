#!/bin/sh
# Compiles a translation for test-sla: po/pending/sla.LANG.po has no header,
# so its "# Plural-Forms:" comment becomes one; a full po/LANG.po is taken as is.
set -eu
in=$1
out=$2
if grep -q '^msgid ""$' "$in"; then
  exec msgfmt --check -o "$out" "$in"
fi
lang=$(basename "$in" .po)
lang=${lang#sla.}
plural=$(sed -n 's/^# Plural-Forms: *//p' "$in")
{
  printf 'msgid ""\nmsgstr ""\n'
  printf '"Project-Id-Version: smart-appeals tests\\n"\n"PO-Revision-Date: 2026-11-23 12:00+0500\\n"\n'
  printf '"Last-Translator: tests\\n"\n"Language-Team: tests\\n"\n"Language: %s\\n"\n' "$lang"
  printf '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
  printf '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: %s\\n"\n\n' "$plural"
  cat "$in"
} | msgfmt --check -o "$out" -
