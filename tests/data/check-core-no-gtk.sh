#!/usr/bin/env bash
# src/core is the GTK-free heart of Docket (the daemon and docketctl link it
# on machines without a display). Fails if a core source includes a GTK,
# GDK or libadwaita header, or if the built library calls into them.
set -euo pipefail

srcdir=$1
shift
libs=("$@")
fail=0

if hits=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|gsk/|adwaita\.h|adw-)' \
  "$srcdir/src/core" --include='*.c' --include='*.h'); then
  echo "FAIL: src/core includes GTK/libadwaita headers:" >&2
  echo "$hits" >&2
  fail=1
fi

if ((${#libs[@]})) && ! command -v nm >/dev/null; then
  echo "nm missing (binutils); only the include check ran" >&2
  libs=()
fi
for lib in "${libs[@]}"; do
  if syms=$(nm -u "$lib" 2>/dev/null | grep -E '\b(gtk|gdk|gsk|adw)_[a-z0-9_]+\b'); then
    echo "FAIL: $lib needs GTK/libadwaita symbols:" >&2
    echo "$syms" | sort -u | head -20 >&2
    fail=1
  fi
done
exit $fail
