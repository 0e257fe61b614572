#!/usr/bin/env bash
# tools/testlog-summary.sh counts what CI reports: check it on made-up logs.
set -euo pipefail

summary=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

cat >"$tmp/a.json" <<'JSON'
{"name": "a", "stdout": "said \"result\": \"FAIL\" in its output", "result": "OK", "returncode": 0}
{"name": "b", "stdout": "", "result": "FAIL", "returncode": 1}
{"name": "c", "stdout": "", "result": "SKIP", "returncode": 77}
{"name": "d", "stdout": "", "result": "EXPECTEDFAIL", "returncode": 1}
JSON
cat >"$tmp/b.json" <<'JSON'
{"name": "e", "stdout": "", "result": "TIMEOUT", "returncode": -6}
{"name": "f", "stdout": "", "result": "OK", "returncode": 0}
JSON
cat >"$tmp/ok.json" <<'JSON'
{"name": "g", "stdout": "", "result": "OK", "returncode": 0}
{"name": "h", "stdout": "", "result": "SKIP", "returncode": 77}
JSON

check() {
  local want_out=$1 want_status=$2
  shift 2
  local out status=0
  out=$(bash "$summary" "$@" 2>/dev/null) || status=$?
  if [[ "$out" != "$want_out" || $status -ne $want_status ]]; then
    echo "FAIL: $* gave '$out' (exit $status), expected '$want_out' (exit $want_status)" >&2
    fail=1
  fi
}
check "3 passed, 2 failed" 1 "$tmp/a.json" "$tmp/b.json"
check "1 passed, 0 failed" 0 "$tmp/ok.json"
check "1 passed, 1 failed" 1 "$tmp/ok.json" "$tmp/missing.json"
# A failure is named on stderr (with its output's end) so CI's tail shows it.
err=$(bash "$summary" "$tmp/b.json" 2>&1 >/dev/null) || true
if [[ "$err" != *"TIMEOUT: e"* ]]; then
  echo "FAIL: the timed-out test e is not named on stderr: '$err'" >&2
  fail=1
fi
exit $fail
