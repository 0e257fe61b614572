#!/usr/bin/env bash
# Without root (check-packages.sh): the packages unpacked with dpkg -x into
# TMP/tree. Checks the file list and modes (owners from the .deb listings),
# and docks a simulated camera with the unpacked docket-sim, docketd and
# docketctl, pointed at the unpacked data files (they look in /usr where
# they are not installed). Maintainer scripts, accounts and units are checked
# only in the overlay root, as root.
#
#   extracted-tree.sh TMP TESTDIR DEB...
set -uo pipefail

tmp=$1
testdir=$2
shift 2
tree=$tmp/tree
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

mkdir -p "$tree"
for deb in "$@"; do
  dpkg -x "$deb" "$tree" || fail "dpkg -x $deb"
  dpkg-deb -c "$deb" | awk '$1 !~ /^d/ && $2 != "root/root" { print }' | grep . \
    && fail "$deb has files not owned by root"
done

while read -r pkg mode path; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  if [[ ! -f "$tree$path" ]]; then
    fail "$pkg: $path not in the packages"
    continue
  fi
  actual=$(stat -c '0%a' "$tree$path")
  [[ "$actual" == "$mode" ]] || fail "$path is $actual, expected $mode"
done <"$testdir/files.txt"

if ! command -v dbus-run-session >/dev/null; then
  echo "dbus-run-session missing: no dock from the unpacked tree" >&2
else
  state=$tmp/state
  cat >"$tmp/dock.sh" <<DOCK
set -u
mkfifo "$tmp/sim-in"
DOCKET_MEDIA_HELPER="$tree/usr/libexec/docket-media-helper" \
  "$tree/usr/bin/docket-sim" --cameras 1 --recordings 2 --size small --media-dir "$tmp/media" \
  -- "$tree/usr/libexec/docketd" --session --state-dir "$state" \
     --known-cameras "$tree/usr/share/docket/known-cameras.ini" \
  <"$tmp/sim-in" >"$tmp/sim.log" 2>&1 &
sim=\$!
exec 3>"$tmp/sim-in"
done=0
for _ in \$(seq 1 180); do
  if "$tree/usr/bin/docketctl" --session cameras >"$tmp/cameras.txt" 2>&1 \
     && grep -Eq '^[^ ]+ +SIM-0001 .* done ' "$tmp/cameras.txt"; then
    done=1
    break
  fi
  sleep 1
done
cat "$tmp/cameras.txt"
echo quit >&3
exec 3>&-
wait \$sim
((done))
DOCK
  if ! timeout 300 dbus-run-session -- bash "$tmp/dock.sh"; then
    cat "$tmp/sim.log" >&2
    fail "the unpacked docketd did not offload the simulated camera SIM-0001"
  fi
  "$tree/usr/bin/docketctl" audit verify --store "$state/store" || fail "docketctl audit verify"
fi

if ((failures)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all checks on the unpacked packages passed"
