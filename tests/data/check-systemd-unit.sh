#!/usr/bin/env bash
# systemd-analyze verify parses the unit the way systemd will; any message
# (unknown key, bad value) is a failure. The daemon is not installed here, so
# ExecStart is pointed at /bin/true in a private copy.
set -euo pipefail

unit=$1
fail=0
for key in ProtectSystem=strict StateDirectory=docket NoNewPrivileges=yes \
           PrivateTmp=yes ProtectHome=yes DevicePolicy=closed Type=dbus \
           BusName=io.github.docket.Docket1 ProcSubset=pid ProtectProc=invisible \
           PrivateMounts=yes \
           'SystemCallFilter=~@debug @obsolete @cpu-emulation @clock @chown @module @raw-io @reboot @swap'; do
  if ! grep -qxF "$key" "$unit"; then
    echo "FAIL: $unit lacks $key" >&2
    fail=1
  fi
done
if grep -q '@[a-z_]*@' "$unit"; then
  echo "FAIL: unsubstituted @variable@ in $unit" >&2
  fail=1
fi

if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze missing; only the static checks ran" >&2
  exit $(( fail ? 1 : 77 ))
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's|^ExecStart=[^ ]*|ExecStart=/bin/true|' "$unit" >"$tmp/docketd.service"
out=$(cd "$tmp" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "$tmp/docketd.service" 2>&1) || fail=1
# Messages about the host (no generators, no running manager) are not ours.
out=$(grep -v -e 'generator' -e 'Failed to connect' -e 'systemd-temporary' <<<"$out" || true)
if [[ -n "$out" ]]; then
  echo "FAIL: systemd-analyze verify:" >&2
  echo "$out" >&2
  fail=1
fi
# The exposure score may only go down: 1.8 when this check was written, 1.9
# since docketd keeps CAP_SETUID/CAP_SETGID and the @setuid calls so that
# the media helper can leave root before it parses a camera's file,
# partly paid back by PrivateMounts.
if out=$(cd "$tmp" && systemd-analyze security --offline=true "$tmp/docketd.service" 2>/dev/null); then
  score=$(grep -oE 'Overall exposure level for docketd.service: [0-9.]+' <<<"$out" | grep -oE '[0-9.]+$' || true)
  if [[ -n "$score" ]] && awk -v s="$score" 'BEGIN { exit !(s > 1.9) }'; then
    echo "FAIL: systemd-analyze security exposure $score is above 1.9" >&2
    fail=1
  fi
fi
exit $fail
