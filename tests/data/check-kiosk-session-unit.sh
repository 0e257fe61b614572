#!/usr/bin/env bash
# docket-kiosk.service (the station's touchscreen session): cage on tty1 as
# the unprivileged docket-kiosk account, restarted for ever, and valid for
# systemd-analyze verify (cage and the kiosk replaced by /bin/true when they
# are not installed here; the packaging test verifies the installed unit).
set -euo pipefail

unit=$1
fail=0
for key in User=docket-kiosk PAMName=docket-kiosk TTYPath=/dev/tty1 Restart=always \
           StartLimitIntervalSec=0 Conflicts=getty@tty1.service WantedBy=graphical.target; do
  if ! grep -qxF "$key" "$unit"; then
    echo "FAIL: $unit lacks $key" >&2
    fail=1
  fi
done
# cage without -s: no switching to another VT (and a shell).
if ! grep -Eq '^ExecStart=/usr/bin/cage -d -- /[^ ]*/docket --kiosk$' "$unit"; then
  echo "FAIL: $unit does not run the kiosk alone in cage (no -s)" >&2
  fail=1
fi
if grep -q '@[a-z_]*@' "$unit"; then
  echo "FAIL: unsubstituted @variable@ in $unit" >&2
  fail=1
fi
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze missing; only the static checks ran" >&2
  exit $((fail ? 1 : 77))
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's|^ExecStart=.*|ExecStart=/bin/true|' "$unit" >"$tmp/docket-kiosk.service"
out=$(cd "$tmp" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "$tmp/docket-kiosk.service" 2>&1) || fail=1
out=$(grep -v -e 'generator' -e 'Failed to connect' -e 'systemd-temporary' <<<"$out" || true)
if [[ -n "$out" ]]; then
  echo "FAIL: systemd-analyze verify:" >&2
  echo "$out" >&2
  fail=1
fi
exit $fail
