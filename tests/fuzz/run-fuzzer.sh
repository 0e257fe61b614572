#!/usr/bin/env bash
# run-fuzzer.sh FUZZER SEED-DIR FOUND-DIR SECONDS: fuzzes for SECONDS,
# starting from the seeds; new inputs and any crash go to FOUND-DIR (the
# seeds in the repository are never written). Prints libFuzzer's final
# statistics: executions, coverage, corpus size.
set -euo pipefail

fuzzer=$1
seeds=$2
found=$3
seconds=$4

mkdir -p "$found"
cd "$found"
"$fuzzer" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$found/" \
  "$found" "$seeds"
