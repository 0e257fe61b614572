#!/usr/bin/env bash
# Fuzzes Docket's parsers of untrusted input with libFuzzer (clang), in
# build-fuzz/: every library instrumented, ASan+UBSan on.
#
#   tools/fuzz.sh [SECONDS] [NAME...]   default 60 s each; names: dcp mp4
#                                       policy station-config (default all)
# New inputs and crashes stay in build-fuzz/tests/fuzz/found-NAME/; copy a
# crash reproducer into tests/fuzz/corpus/NAME/ once fixed, so the plain
# suite keeps running it. Run tools/deps.sh first (it installs clang).
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")/.."

seconds=${1:-60}
shift || true
names=("$@")
((${#names[@]})) || names=(dcp mp4 policy station-config)

dir=build-fuzz
opts=(-Dfuzzing=true -Dfuzz_seconds="$seconds" -Db_sanitize=address,undefined
  -Db_lundef=false -Dkiosk=disabled -Dwerror=false -Dbuildtype=debugoptimized)
if [[ -f $dir/build.ninja ]]; then
  meson setup --reconfigure "$dir" "${opts[@]}" >/dev/null
else
  CC=clang meson setup "$dir" "${opts[@]}" >/dev/null
fi
# GLib's type system keeps its classes for the process's life.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
for name in "${names[@]}"; do
  echo "== fuzz-$name for $seconds s"
  meson compile -C "$dir" "fuzz-$name"
done
