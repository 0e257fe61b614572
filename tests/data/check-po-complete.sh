#!/usr/bin/env bash
# Every language in po/LINGUAS must translate every string the sources mark
# today: the template is extracted afresh (as `meson compile docket-pot`
# does), merged into each catalogue in a scratch copy, and any untranslated
# or fuzzy entry fails the test. Then the catalogue must compile cleanly.
set -euo pipefail

top=$1
for tool in xgettext msgmerge msgattrib msgfmt; do
  command -v "$tool" >/dev/null || { echo "$tool missing (gettext)" >&2; exit 77; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The keywords of meson's i18n "glib" preset, and those po/meson.build adds.
(cd "$top" && xgettext --package-name=docket --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --keyword=docket_message_new_plural:1,2 \
  --flag=docket_message_new_plural:1:c-format --flag=docket_message_new_plural:2:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  --files-from=po/POTFILES.in --output="$tmp/docket.pot")

fail=0
langs=$(grep -vE '^[[:space:]]*(#|$)' "$top/po/LINGUAS" || true)
[[ -n "$langs" ]] || { echo "FAIL: po/LINGUAS lists no language" >&2; exit 1; }
for lang in $langs; do
  po="$top/po/$lang.po"
  if [[ ! -f "$po" ]]; then
    echo "FAIL: po/LINGUAS lists $lang but po/$lang.po is missing" >&2
    fail=1
    continue
  fi
  msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/$lang.po" "$po" "$tmp/docket.pot"
  untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry (msgid "") when it prints anything.
  ((untranslated > 0)) && untranslated=$((untranslated - 1))
  ((fuzzy > 0)) && fuzzy=$((fuzzy - 1))
  if ((untranslated || fuzzy)); then
    echo "FAIL: po/$lang.po: $untranslated untranslated and $fuzzy fuzzy messages;" \
      "run 'meson compile -C BUILD docket-update-po' and translate them:" >&2
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -A1 '^msgid ' | grep -v '^--' | head -40 >&2
    fail=1
  fi
  if ! msgfmt --check --statistics --output-file=/dev/null "$po"; then
    echo "FAIL: po/$lang.po does not compile cleanly" >&2
    fail=1
  fi
done
exit $fail
