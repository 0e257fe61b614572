#!/usr/bin/env bash
# Text a camera or the daemon sent (recording names, vendor, error messages)
# must never reach a widget that parses Pango markup: in libadwaita 1.2 that
# is every AdwPreferencesRow unless use-markup is off, AdwToast titles and
# AdwStatusPage descriptions. The kiosk goes through docket-plain-text.h.
set -euo pipefail

src=$1
ui=$2
fail=0

hits=$(grep -nE 'adw_toast_new \(|adw_status_page_set_description \(|gtk_label_set_markup|g_markup_printf' \
  "$src"/*.c || true)
if [[ -n "$hits" ]]; then
  echo "FAIL: markup from strings; use docket_toast_new_plain / docket_status_page_set_plain_description:" >&2
  echo "$hits" >&2
  fail=1
fi
for f in "$src"/*.c; do
  rows=$(grep -cE 'adw_(action|expander|combo)_row_new \(' "$f" || true)
  plain=$(grep -cE 'adw_preferences_row_set_use_markup \([^,]+, FALSE\)' "$f" || true)
  if ((rows > plain)); then
    echo "FAIL: $f builds $rows row(s) but turns markup off for $plain" >&2
    fail=1
  fi
done
for f in "$ui"/*.ui; do
  rows=$(grep -cE '<object class="Adw(Action|Expander|Combo)Row"' "$f" || true)
  plain=$(grep -cE '<property name="use-markup">(False|false|0)</property>' "$f" || true)
  if ((rows > plain)); then
    echo "FAIL: $f has $rows row(s) but use-markup off for $plain" >&2
    fail=1
  fi
done
if grep -nE 'use-markup">(True|true|1)<' "$ui"/*.ui; then
  echo "FAIL: a widget in the UI files parses markup" >&2
  fail=1
fi
exit $fail
