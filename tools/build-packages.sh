#!/usr/bin/env bash
# Builds Docket's Debian packages (docketd, docket-kiosk, docket-kiosk-session,
# docketctl, docket-sim) with dpkg-buildpackage, and checks them with lintian.
#
#   tools/build-packages.sh [--output DIR] [--no-lintian]
#
# The packaging lives in packaging/debian/; Debian's tools want it as debian/
# at the top of the source, so the build runs in a scratch copy of the tracked
# (and new, not ignored) files with packaging/debian copied to debian/: this
# checkout is not touched. The .deb files land in DIR (default build-deb/),
# with the build log and lintian's report. The package build does not run the
# test suite (DEB_BUILD_OPTIONS=nocheck): that is `meson test`'s job.
#
# Needs the build dependencies (tools/deps.sh installs them). Run as any user.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
output=$root/build-deb
run_lintian=1

while (($#)); do
  case $1 in
    --output) output=$2; shift 2 ;;
    --output=*) output=${1#--output=}; shift ;;
    --no-lintian) run_lintian=0; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tools/build-packages.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

for tool in dpkg-buildpackage dpkg-checkbuilddeps dh; do
  if ! command -v "$tool" >/dev/null; then
    echo "tools/build-packages.sh: $tool is missing; run tools/deps.sh (as root) first" >&2
    exit 1
  fi
done

mkdir -p "$output"
output=$(cd "$output" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/docket-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=$work/docket

# The source: what git tracks (plus new files not ignored), as they are now.
mkdir "$src"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$root" && git ls-files -z --cached --others --exclude-standard) \
    | (cd "$root" && tar --null --no-recursion -T - -cf - 2>/dev/null || true) \
    | tar -xf - -C "$src"
else
  (cd "$root" && tar --exclude='./build*' --exclude='./_build*' --exclude=./.git -cf - .) \
    | tar -xf - -C "$src"
fi
rm -rf "$src/debian"
cp -a "$root/packaging/debian" "$src/debian"

if ! (cd "$src" && dpkg-checkbuilddeps); then
  echo "tools/build-packages.sh: build dependencies missing; run tools/deps.sh (as root)" >&2
  exit 1
fi

jobs=$(nproc 2>/dev/null || echo 1)
echo "== dpkg-buildpackage -b -us -uc (log: $output/build.log)"
start=$SECONDS
if ! (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$jobs ${DEB_BUILD_OPTIONS:-}" \
      dpkg-buildpackage -b -us -uc) >"$output/build.log" 2>&1; then
  tail -n 60 "$output/build.log" >&2
  echo "tools/build-packages.sh: dpkg-buildpackage failed (full log: $output/build.log)" >&2
  exit 1
fi
echo "   built in $((SECONDS - start)) s"

rm -f "$output"/*.deb "$output"/*.changes "$output"/*.buildinfo
mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$output"/
(cd "$output" && ls -1 ./*.deb | sed 's|^\./|   |')

if ((run_lintian)); then
  if ! command -v lintian >/dev/null; then
    echo "tools/build-packages.sh: lintian missing; packages not checked" >&2
    exit 1
  fi
  echo "== lintian (report: $output/lintian.txt)"
  status=0
  # Errors and warnings fail; every override in packaging/debian/*.lintian-overrides
  # says in one line why.
  lintian --fail-on error,warning --info --display-info --show-overrides \
    "$output"/*.changes >"$output/lintian.txt" 2>&1 || status=$?
  cat "$output/lintian.txt"
  if ((status)); then
    echo "tools/build-packages.sh: lintian found problems" >&2
    exit 1
  fi
  echo "   lintian: clean"
fi
