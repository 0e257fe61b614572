#!/usr/bin/env bash
# testlog-summary.sh TESTLOG.JSON... — prints "N passed, N failed" over meson
# test logs (one JSON object per line). OK and EXPECTEDFAIL pass; SKIP is not
# counted; anything else (FAIL, TIMEOUT, ERROR, UNEXPECTEDPASS) fails. A
# missing or empty log counts as one failure: that build never ran its tests.
# Exits 1 if anything failed. Before that line, each failed test's name and
# the end of its output go to stderr: CI shows only the tail of the run.
set -euo pipefail

# report_failures LOG: name, result and last lines of output of each failure.
report_failures() {
  [[ -x /usr/bin/python3 ]] || return 0
  /usr/bin/python3 - "$1" <<'PY' >&2 || true
import json, sys
log = sys.argv[1]
for line in open(log, encoding="utf-8", errors="replace"):
    try:
        t = json.loads(line)
    except ValueError:
        continue
    if t.get("result") in ("OK", "EXPECTEDFAIL", "SKIP"):
        continue
    print(f"== {t.get('result')}: {t.get('name')} ({log}, {t.get('duration', 0):.0f} s)")
    out = (t.get("stdout") or "") + (t.get("stderr") or "")
    for l in out.splitlines()[-40:]:
        print("   " + l[:300])
PY
}

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
  report_failures "$log"
done

echo "$passed passed, $failed failed"
((failed == 0))
