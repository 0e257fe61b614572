#!/usr/bin/env bash
# Every camera in known-cameras.ini needs a udev rule, no rule may name a
# camera the table lacks, and the nodes are root's alone (mode 0600).
# Debian 12's udevadm has no "verify", so the syntax is checked here: every
# rule line is comma-separated KEY op "value" pairs.
set -euo pipefail

rules=$1
ini=${2:-}
[[ -n "$ini" ]] || { echo "no known-cameras.ini in data/ yet" >&2; exit 77; }
fail=0

table_ids=$(grep -oE '^\[[0-9a-fA-F]{4}:[0-9a-fA-F]{4}\]' "$ini" | tr -d '[]' | tr 'A-F' 'a-f' | sort -u)
rule_ids=$(grep -oE 'ATTR\{idVendor\}=="[0-9a-fA-F]{4}", *ATTR\{idProduct\}=="[0-9a-fA-F]{4}"' "$rules" |
  sed -E 's/.*idVendor\}=="([0-9a-fA-F]{4})".*idProduct\}=="([0-9a-fA-F]{4})"/\1:\2/' | tr 'A-F' 'a-f' | sort -u)

[[ -n "$table_ids" ]] || { echo "FAIL: no camera ids in $ini" >&2; fail=1; }
missing=$(comm -23 <(echo "$table_ids") <(echo "$rule_ids"))
extra=$(comm -13 <(echo "$table_ids") <(echo "$rule_ids"))
[[ -z "$missing" ]] || { echo "FAIL: cameras without a udev rule: $missing" >&2; fail=1; }
[[ -z "$extra" ]] || { echo "FAIL: udev rules for cameras not in $ini: $extra" >&2; fail=1; }

# Only docketd (root) may open a camera: the kiosk's group may not, nor
# anyone else (erasing recordings before offload, flashing firmware).
rule_lines=$(grep -vE '^[[:space:]]*(#|$)' "$rules")
if grep -qE 'GROUP="docket"|GROUP="plugdev"|GROUP="users"' <<<"$rule_lines"; then
  echo "FAIL: a rule hands camera nodes to a group; only root may open them" >&2; fail=1
fi
grep -qE 'ID_DOCKET_CAMERA\}=="1",.*OWNER="root"' <<<"$rule_lines" || { echo "FAIL: camera nodes must be owned by root" >&2; fail=1; }
grep -qE 'ID_DOCKET_CAMERA\}=="1",.*GROUP="root"' <<<"$rule_lines" || { echo "FAIL: camera nodes must have group root" >&2; fail=1; }
grep -qE 'ID_DOCKET_CAMERA\}=="1",.*MODE="0600"' <<<"$rule_lines" || { echo "FAIL: camera nodes must be 0600" >&2; fail=1; }
if grep -qE 'MODE="0[0-7][1-7][0-7]"|MODE="0[0-7][0-7][1-7]"|TAG\+="uaccess"|RUN' <<<"$rule_lines"; then
  echo "FAIL: a rule opens device nodes to others (group/other mode bits, uaccess or RUN)" >&2; fail=1
fi

pair='[A-Z_]+(\{[A-Za-z0-9_]+\})?(==|!=|=|\+=|-=|:=)"[^"]*"'
lineno=0
while IFS= read -r line; do
  lineno=$((lineno + 1))
  [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
  if ! grep -qE "^${pair}(, *${pair})*\$" <<<"$line"; then
    echo "FAIL: $rules:$lineno: not a valid rule: $line" >&2
    fail=1
  fi
done <"$rules"
exit $fail
