#!/usr/bin/env bash
# Compile the GSettings schema strictly (glib-compile-schemas works on a
# directory, so the schema is copied into a private one first).
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "no GSettings schema in data/ yet" >&2
  exit 77
fi
command -v glib-compile-schemas >/dev/null || { echo "glib-compile-schemas missing" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for schema in "$@"; do
  cp "$schema" "$tmp/"
done
glib-compile-schemas --strict --targetdir="$tmp" "$tmp"
test -s "$tmp/gschemas.compiled"
echo "ok: $*"
