#!/usr/bin/env bash
# The activation file must name the bus name, hand the start to systemd and
# point at the installed daemon, as root.
set -euo pipefail

file=$1 name=$2 exec_path=$3
fail=0
expect() {
  if ! grep -qxF "$1" "$file"; then
    echo "FAIL: $file lacks the line: $1" >&2
    fail=1
  fi
}
head -n 20 "$file" | grep -q '^\[D-BUS Service\]$' || { echo "FAIL: no [D-BUS Service] group" >&2; fail=1; }
expect "Name=$name"
expect "Exec=$exec_path"
expect "User=root"
expect "SystemdService=docketd.service"
if grep -q '@[a-z_]*@' "$file"; then
  echo "FAIL: unsubstituted @variable@ in $file" >&2
  fail=1
fi
exit $fail
