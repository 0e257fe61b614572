#!/usr/bin/env bash
# Run as root inside a scratch root (overlay-root.sh): installs the packages
# in DIR with dpkg -i, checks what they installed and created, docks a
# simulated camera with the installed programs, then removes and purges
# them and checks that the evidence is still there.
#
#   installed-checks.sh DIR      (DIR holds the .deb files and files.txt)
set -uo pipefail

dir=$1
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
ok() { echo "ok: $*"; }

# Like a Debian installer's chroot: maintainer scripts start no services.
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 0755 /usr/sbin/policy-rc.d

# A station has neither the group nor the account before the packages: the
# machine this runs on may (tools/deps.sh makes the group), so drop them here.
getent passwd docket-kiosk >/dev/null && userdel docket-kiosk
getent group docket-kiosk >/dev/null && groupdel docket-kiosk
getent group docket >/dev/null && groupdel docket

echo "-- dpkg -i"
if ! dpkg -i "$dir"/*.deb >"$dir/dpkg-install.log" 2>&1; then
  cat "$dir/dpkg-install.log" >&2
  fail "dpkg -i failed"
  exit 1
fi
grep -iE 'warning|error' "$dir/dpkg-install.log" | grep -v 'Running in chroot' >&2 || true

echo "-- installed files and modes (files.txt)"
# Which of our packages owns each path (dpkg -L is one read of each list;
# dpkg-query -S per file would read the whole database every time).
declare -A owner
for pkg in docketd docket-kiosk docket-kiosk-session docketctl docket-sim; do
  while read -r path; do
    owner["$path"]=$pkg
  done < <(dpkg -L "$pkg")
done
declare -A expected
while read -r pkg mode path; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  expected["$pkg $path"]=1
  if [[ ! -f "$path" ]]; then
    fail "$pkg: $path not installed"
    continue
  fi
  actual=$(stat -c '0%a %U:%G' "$path")
  [[ "$actual" == "$mode root:root" ]] || fail "$path is $actual, expected $mode root:root"
  [[ "${owner["$path"]:-}" == "$pkg" ]] || fail "$path belongs to '${owner["$path"]:-}', expected $pkg"
done <"$dir/files.txt"
for path in "${!owner[@]}"; do
  pkg=${owner["$path"]}
  [[ -f "$path" && ! -L "$path" ]] || continue
  [[ -n "${expected["$pkg $path"]:-}" ]] || fail "$pkg installs $path, which files.txt does not list"
done
((failures)) || ok "every file where expected, with its mode"
conffiles=$(dpkg-query -W -f='${Conffiles}' docket-kiosk-session)
grep -q '/etc/pam.d/docket-kiosk ' <<<"$conffiles" || fail "/etc/pam.d/docket-kiosk is not a conffile"

echo "-- accounts and directories (sysusers, tmpfiles)"
getent group docket >/dev/null || fail "no group docket"
if entry=$(getent passwd docket-kiosk); then
  IFS=: read -r _ _ uid _ _ home shell <<<"$entry"
  ((uid < 1000)) || fail "docket-kiosk is not a system account (uid $uid)"
  [[ "$home" == /var/lib/docket-kiosk ]] || fail "docket-kiosk's home is $home"
  [[ "$shell" == /usr/sbin/nologin ]] || fail "docket-kiosk's shell is $shell"
  id -nG docket-kiosk | grep -qw docket || fail "docket-kiosk is not in group docket"
  pw=$(getent shadow docket-kiosk | cut -d: -f2)
  [[ "$pw" == '!'* || "$pw" == '*'* ]] || fail "docket-kiosk has a usable password"
else
  fail "no user docket-kiosk"
fi
check_dir() {
  local path=$1 want=$2 actual
  if [[ ! -d "$path" ]]; then
    fail "$path was not created"
    return
  fi
  actual=$(stat -c '0%a %U:%G' "$path")
  [[ "$actual" == "$want" ]] || fail "$path is $actual, expected $want"
}
check_dir /var/lib/docket "0750 root:root"
check_dir /var/lib/docket/keys "0700 root:root"
check_dir /var/lib/docket/firmware "0750 root:root"
check_dir /etc/docket/policy "0755 root:root"
check_dir /etc/docket/policy/trusted-keys "0755 root:root"
check_dir /var/lib/docket-kiosk "0700 docket-kiosk:docket-kiosk"
((failures)) || ok "docket group, docket-kiosk account and directories"

echo "-- units"
[[ "$(systemctl is-enabled docketd.service 2>/dev/null)" == enabled ]] \
  || fail "docketd.service is not enabled"
[[ "$(systemctl is-enabled docket-kiosk.service 2>/dev/null)" == enabled ]] \
  || fail "docket-kiosk.service is not enabled"
# docketd reaches the media helper only through this socket.
[[ "$(systemctl is-enabled docket-media.socket 2>/dev/null)" == enabled ]] \
  || fail "docket-media.socket is not enabled"
out=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify \
        /lib/systemd/system/docketd.service /lib/systemd/system/docket-kiosk.service \
        /lib/systemd/system/docket-media.socket 2>&1) \
  || fail "systemd-analyze verify exited non-zero"
# Messages about this machine (no running manager, generators) are not ours.
out=$(grep -v -e 'generator' -e 'Failed to connect' -e 'systemd-temporary' <<<"$out" || true)
[[ -z "$out" ]] || fail "systemd-analyze verify: $out"
grep -q '^ExecStart=/usr/bin/cage -d -- /usr/bin/docket --kiosk$' \
  /lib/systemd/system/docket-kiosk.service || fail "docket-kiosk.service does not run cage with the kiosk"
systemd-analyze cat-config systemd/logind.conf 2>/dev/null | grep -q '^NAutoVTs=0' \
  || fail "logind still starts gettys on other VTs"
((failures)) || ok "units enabled and valid"

echo "-- dock a camera with the installed programs"
export HOME=/tmp/home XDG_RUNTIME_DIR=/tmp/xdg
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 0700 "$XDG_RUNTIME_DIR"
cat >/tmp/dock.sh <<'DOCK'
set -u
mkfifo /tmp/sim-in
docket-sim --cameras 1 --recordings 2 --size small --media-dir /tmp/media \
  -- /usr/libexec/docketd --session --state-dir /tmp/state </tmp/sim-in >/tmp/sim.log 2>&1 &
sim=$!
exec 3>/tmp/sim-in
done=0
for _ in $(seq 1 180); do
  if docketctl --session cameras >/tmp/cameras.txt 2>&1 \
     && grep -Eq '^[^ ]+ +SIM-0001 .* done ' /tmp/cameras.txt; then
    done=1
    break
  fi
  sleep 1
done
cat /tmp/cameras.txt
docketctl --session status || done=0
# thumbnails come after the commit, from the media helper: give it time
for _ in $(seq 1 60); do
  [[ -n $(find /tmp/state/store/thumbnails -type f -name '*.png' 2>/dev/null) ]] && break
  sleep 1
done
echo quit >&3
exec 3>&-
wait "$sim"
((done))
DOCK
if ! timeout 300 dbus-run-session -- bash /tmp/dock.sh; then
  cat /tmp/sim.log >&2
  fail "the installed docketd did not offload the simulated camera SIM-0001"
fi
objects=$(find /tmp/state/store/objects -type f 2>/dev/null | wc -l)
thumbs=$(find /tmp/state/store/thumbnails -type f -name '*.png' 2>/dev/null | wc -l)
((objects == 2)) || fail "expected 2 recordings in the store, found $objects"
((thumbs >= 1)) || fail "no thumbnails: the installed docket-media-helper was not used"
docketctl audit verify --store /tmp/state/store || fail "docketctl audit verify failed on the store"
((failures)) || ok "docked, offloaded ($objects recordings, $thumbs thumbnails), audit verified"

echo "-- the kiosk session's command as its account, on a headless screen"
# docket-kiosk.service's ExecStart, as docket-kiosk, with wlroots' headless
# backend instead of the touchscreen: cage must start (it needs Xwayland),
# and the kiosk must start inside it and stay up (compiled GSettings schema,
# icons, no daemon on a system bus yet: it waits for one).
cmd=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/docket-kiosk.service)
runtime=/tmp/kiosk-runtime
install -d -m 0700 -o docket-kiosk -g docket-kiosk "$runtime"
# shellcheck disable=SC2086 # the unit's command line, split as systemd does
setpriv --reuid=docket-kiosk --regid=docket-kiosk --init-groups \
  env -i PATH=/usr/bin:/bin HOME=/var/lib/docket-kiosk XDG_RUNTIME_DIR="$runtime" \
  WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
  $cmd >/tmp/kiosk-session.log 2>&1 &
cage_pid=$!
kiosk_pid=
for _ in $(seq 1 30); do
  sleep 1
  kill -0 "$cage_pid" 2>/dev/null || break
  kiosk_pid=$(pgrep -P "$cage_pid" -x docket || true)
  [[ -n "$kiosk_pid" ]] && break
done
if [[ -n "$kiosk_pid" ]]; then
  sleep 5
  if kill -0 "$kiosk_pid" 2>/dev/null \
     && [[ "$(ps -o user= -p "$kiosk_pid")" == docket-kiosk ]]; then
    ok "cage runs the kiosk as docket-kiosk"
  else
    fail "the kiosk did not stay up in cage"
  fi
else
  fail "cage did not start the kiosk"
fi
# (cage 0.1.4 may abort while tearing down the headless backend: not ours.)
kill "$cage_pid" 2>/dev/null
{ wait "$cage_pid"; } 2>/dev/null
if ((failures)); then
  cat /tmp/kiosk-session.log >&2
fi

echo "-- remove and purge keep the evidence"
mkdir -p /var/lib/docket/store
echo evidence >/var/lib/docket/store/evidence-marker
install -m 0600 /dev/null /var/lib/docket/keys/station.key
dpkg --purge docket-kiosk-session docket-kiosk docketctl docket-sim >"$dir/dpkg-purge.log" 2>&1 \
  || { cat "$dir/dpkg-purge.log" >&2; fail "purging the other packages failed"; }
[[ ! -e /var/lib/docket-kiosk ]] || fail "purging docket-kiosk-session left /var/lib/docket-kiosk"
dpkg --remove docketd >>"$dir/dpkg-purge.log" 2>&1 || fail "dpkg --remove docketd failed"
[[ -f /var/lib/docket/store/evidence-marker ]] || fail "removing docketd deleted evidence"
if ! dpkg --purge docketd >"$dir/dpkg-purge-docketd.log" 2>&1; then
  cat "$dir/dpkg-purge-docketd.log" >&2
  fail "dpkg --purge docketd failed"
fi
cat "$dir/dpkg-purge-docketd.log"
grep -q '/var/lib/docket was kept' "$dir/dpkg-purge-docketd.log" || fail "purge does not say the evidence was kept"
[[ -f /var/lib/docket/store/evidence-marker ]] || fail "purging docketd deleted evidence"
[[ -f /var/lib/docket/keys/station.key ]] || fail "purging docketd deleted the station key"
((failures)) || ok "remove and purge kept /var/lib/docket"

if ((failures)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all installed checks passed"
