#!/usr/bin/env bash
# Checks docketd.service and the media helper's units (docket-media.socket,
# docket-media@.service). systemd-analyze verify parses them the way
# systemd will; any message (unknown key, bad value) is a failure. The
# programs are not installed here, so ExecStart is pointed at /bin/true in
# private copies.
set -euo pipefail

unit=$1
socket_unit=$2
helper_unit=$3
fail=0

require() {
  local file=$1
  shift
  for key in "$@"; do
    if ! grep -qxF "$key" "$file"; then
      echo "FAIL: $file lacks $key" >&2
      fail=1
    fi
  done
}

require "$unit" ProtectSystem=strict StateDirectory=docket NoNewPrivileges=yes \
  PrivateTmp=yes ProtectHome=yes DevicePolicy=closed Type=dbus \
  BusName=io.github.docket.Docket1 ProcSubset=pid ProtectProc=invisible \
  PrivateMounts=yes CapabilityBoundingSet= Requires=docket-media.socket \
  'SystemCallFilter=~@setuid @debug @obsolete @cpu-emulation @clock @chown @module @raw-io @reboot @swap'
# The helper runs unprivileged in its own unit, one per connection.
require "$socket_unit" Accept=yes SocketMode=0600 SocketUser=root
require "$helper_unit" User=docket-media StandardInput=socket PrivateNetwork=yes \
  NoNewPrivileges=yes CapabilityBoundingSet= ProtectSystem=strict PrivateDevices=yes \
  SystemCallFilter=@system-service RestrictAddressFamilies=AF_UNIX
for key in MemoryMax RuntimeMaxSec; do
  if ! grep -q "^$key=[0-9]" "$helper_unit"; then
    echo "FAIL: $helper_unit sets no $key" >&2
    fail=1
  fi
done
# docketd asks the helper where the socket unit listens.
listen=$(sed -n 's/^ListenStream=//p' "$socket_unit")
if [[ -z "$listen" ]] || ! grep -q "^ExecStart=.* --media-socket=$listen\( \|$\)" "$unit"; then
  echo "FAIL: docketd's --media-socket is not $socket_unit's ListenStream ($listen)" >&2
  fail=1
fi
if ! grep -q '^ExecStart=[^ ]*/docket-media-helper --socket$' "$helper_unit"; then
  echo "FAIL: $helper_unit does not run docket-media-helper --socket" >&2
  fail=1
fi
if grep -q 'SETUID\|SETGID' "$unit"; then
  echo "FAIL: $unit keeps a capability to change user" >&2
  fail=1
fi
for file in "$unit" "$socket_unit" "$helper_unit"; do
  if grep -q '@[a-z_]*@' "$file"; then
    echo "FAIL: unsubstituted @variable@ in $file" >&2
    fail=1
  fi
done

if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze missing; only the static checks ran" >&2
  exit $(( fail ? 1 : 77 ))
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's|^ExecStart=[^ ]*|ExecStart=/bin/true|' "$unit" >"$tmp/docketd.service"
cp "$socket_unit" "$tmp/docket-media.socket"
sed 's|^ExecStart=[^ ]*|ExecStart=/bin/true|' "$helper_unit" >"$tmp/docket-media@.service"
# One instance, as a connection starts it.
cp "$tmp/docket-media@.service" "$tmp/docket-media@0.service"
out=$(cd "$tmp" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "$tmp/docketd.service" \
        "$tmp/docket-media.socket" "$tmp/docket-media@0.service" 2>&1) || fail=1
# Messages about the host (no generators, no running manager) are not ours.
out=$(grep -v -e 'generator' -e 'Failed to connect' -e 'systemd-temporary' <<<"$out" || true)
if [[ -n "$out" ]]; then
  echo "FAIL: systemd-analyze verify:" >&2
  echo "$out" >&2
  fail=1
fi

# The exposure scores may only go down. docketd: 1.8 when this check was
# written, 1.9 while it kept CAP_SETUID/CAP_SETGID for the media helper,
# 1.8 at most since the helper runs in its own unit. The helper's unit:
# 0.3 when it was written.
check_score() {
  local name=$1 limit=$2 out score
  if out=$(cd "$tmp" && systemd-analyze security --offline=true "$tmp/$name" 2>/dev/null); then
    score=$(grep -oE "Overall exposure level for $name: [0-9.]+" <<<"$out" | grep -oE '[0-9.]+$' || true)
    if [[ -z "$score" ]]; then
      echo "FAIL: no exposure score for $name" >&2
      fail=1
    elif awk -v s="$score" -v l="$limit" 'BEGIN { exit !(s > l) }'; then
      echo "FAIL: systemd-analyze security exposure of $name is $score, above $limit" >&2
      fail=1
    else
      echo "$name: exposure $score (at most $limit)"
    fi
  fi
}
check_score docketd.service 1.8
check_score docket-media@0.service 0.3
exit $fail
