#!/usr/bin/env bash
# testlog-summary.sh TESTLOG.JSON... — prints "N passed, N failed" over meson
# test logs (one JSON object per line). OK and EXPECTEDFAIL pass; SKIP is not
# counted; anything else (FAIL, TIMEOUT, ERROR, UNEXPECTEDPASS) fails. A
# missing or empty log counts as one failure: that build never ran its tests.
# Exits 1 if anything failed.
set -euo pipefail

passed=0
failed=0
for log in "$@"; do
  if [[ ! -s "$log" ]]; then
    echo "testlog-summary: $log is missing: that build did not run its tests" >&2
    failed=$((failed + 1))
    continue
  fi
  # Quotes inside JSON strings are escaped, so only the top-level key matches.
  while read -r result; do
    case "$result" in
      OK | EXPECTEDFAIL) passed=$((passed + 1)) ;;
      SKIP) ;;
      *) failed=$((failed + 1)) ;;
    esac
  done < <(grep -o '"result": *"[A-Z]*"' "$log" | sed -E 's/.*"([A-Z]*)"$/\1/')
done

echo "$passed passed, $failed failed"
((failed == 0))
