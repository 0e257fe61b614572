#!/usr/bin/env bash
# Runs each libFuzzer harness for $FUZZ_SECONDS (default 60) from a copy of
# its seed corpus, and prints executions and coverage per harness. Called by
# `meson compile -C BUILD fuzz` in a build configured with -Dfuzzing=true
# (clang). New inputs stay in BUILD/fuzz-work/NAME; crashes land there too
# (crash-*), to be minimised and added to tests/fuzz/corpus/NAME.
#
#   fuzz.sh CORPUS-DIR FUZZER...
set -euo pipefail

corpus=$1
shift
seconds=${FUZZ_SECONDS:-60}
status=0
for fuzzer in "$@"; do
  name=$(basename "$fuzzer")
  name=${name#fuzz-}
  work="$(dirname "$fuzzer")/../../fuzz-work/$name"
  mkdir -p "$work/corpus"
  cp -n "$corpus/$name"/* "$work/corpus/" 2>/dev/null || true
  log="$work/last-run.log"
  if ! (cd "$work" && "$fuzzer" -max_total_time="$seconds" -print_final_stats=1 corpus) >"$log" 2>&1; then
    echo "fuzz-$name: FAILED (see $log)" >&2
    status=1
  fi
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || echo 'cov: ?')
  echo "fuzz-$name: $execs executions in ${seconds}s, $cov, corpus $(ls "$work/corpus" | wc -l) inputs"
done
exit $status
