#!/usr/bin/env bash
# The whole test suite, twice: a plain build (build/) and one under
# AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/). Both always run;
# the exit status is non-zero if either failed. Run as root on Debian 12.
#
#   BUILD_DIR, ASAN_BUILD_DIR   override the two build directories
#   DOCKET_SKIP_DEPS=1          do not call tools/deps.sh
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")/.."

build=${BUILD_DIR:-build}
asan_build=${ASAN_BUILD_DIR:-build-asan}

if [[ "${DOCKET_SKIP_DEPS:-0}" != 1 ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    ./tools/deps.sh
  else
    echo "not root: skipping tools/deps.sh (packages must already be installed)" >&2
  fi
fi

# setup_dir DIR [MESON OPTIONS...]: configure once, reconfigure afterwards.
setup_dir() {
  local dir=$1
  shift
  if [[ -f "$dir/build.ninja" ]]; then
    meson setup --reconfigure "$dir" "$@"
  else
    meson setup "$dir" "$@"
  fi
}

# run_suite DIR [MESON TEST OPTIONS...]: build and test; report, never exit.
run_suite() {
  local dir=$1
  shift
  if ! meson compile -C "$dir"; then
    echo "tools/test.sh: build failed in $dir" >&2
    return 1
  fi
  meson test -C "$dir" --print-errorlogs "$@"
}

status=0

echo "== plain build: $build"
rm -f "$build/meson-logs/testlog.json"
# The suite's builds compile in the test seams (-Dtest_hooks); release and
# package builds leave them out (the default).
if setup_dir "$build" -Dtest_hooks=true; then
  run_suite "$build" || status=1
else
  status=1
fi

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build: $asan_build"
rm -f "$asan_build/meson-logs/testlog.json"
if setup_dir "$asan_build" -Dtest_hooks=true -Db_sanitize=address,undefined -Db_lundef=false; then
  # Sanitized code runs 2-3 times slower; give each test more time.
  run_suite "$asan_build" --timeout-multiplier 3 || status=1
else
  status=1
fi

if ((status)); then
  echo "tools/test.sh: FAILED (see the logs in $build/meson-logs and $asan_build/meson-logs)" >&2
else
  echo "tools/test.sh: all tests passed in both builds"
fi
exit $status
