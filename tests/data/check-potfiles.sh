#!/usr/bin/env bash
# po/POTFILES.in must list every file with strings marked for translation
# (C sources with _(), N_(), C_(), ngettext, docket_message_new_plural;
# .ui files with translatable="yes"; the data files merged through po/), and
# only files that exist.
set -euo pipefail

top=$1
cd "$top"
fail=0

listed=$(grep -vE '^[[:space:]]*(#|$)' po/POTFILES.in | sed 's/[[:space:]]*$//' | sort -u)

while read -r f; do
  [[ -z "$f" ]] && continue
  if [[ ! -f "$f" ]]; then
    echo "FAIL: po/POTFILES.in lists $f, which does not exist" >&2
    fail=1
  fi
done <<<"$listed"

{
  grep -rlE '(^|[^A-Za-z0-9_])(N_|C_|NC_|_) ?\(|g_dngettext|docket_message_new_plural ?\( ?"|ngettext ?\(' src --include='*.c' --include='*.h' || true
  grep -rl 'translatable="yes"' ui --include='*.ui' 2>/dev/null || true
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null || true
} | sort -u >"${TMPDIR:-/tmp}/docket-marked.$$"
trap 'rm -f "${TMPDIR:-/tmp}/docket-marked.$$"' EXIT

missing=$(comm -23 "${TMPDIR:-/tmp}/docket-marked.$$" <(echo "$listed"))
if [[ -n "$missing" ]]; then
  echo "FAIL: files with translatable strings missing from po/POTFILES.in:" >&2
  echo "$missing" >&2
  fail=1
fi
exit $fail
