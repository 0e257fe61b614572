#!/usr/bin/env bash
# docs/architecture.md stays true: every layer folder of src/core and every
# docketctl command group is described there.
set -euo pipefail

srcdir=$1
doc="$srcdir/docs/architecture.md"
fail=0

while IFS= read -r dir; do
  rel=${dir#"$srcdir"/}
  if ! grep -qF "\`$rel\`" "$doc"; then
    echo "FAIL: docs/architecture.md does not describe $rel" >&2
    fail=1
  fi
done < <(find "$srcdir/src/core" -mindepth 1 -maxdepth 2 -type d | sort)

# The command table in docketctl.c: { "name", handler, summary }.
while IFS= read -r group; do
  if ! grep -qF "\`docketctl $group" "$doc"; then
    echo "FAIL: docs/architecture.md does not describe docketctl $group" >&2
    fail=1
  fi
done < <(sed -n '/^} commands\[\] = {/,/^};/p' "$srcdir/src/cli/docketctl.c" |
  grep -oE '^\s*\{ "[a-z-]+"' | grep -oE '[a-z-]+')

if ((fail == 0)); then
  echo "every src/core folder and docketctl group is described"
fi
exit $fail
