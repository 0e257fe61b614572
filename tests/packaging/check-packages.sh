#!/usr/bin/env bash
# Test "packaging": builds the Debian packages (tools/build-packages.sh, which
# fails on any lintian error or warning), installs them into a scratch root
# and checks them there as installed (installed-checks.sh): file list and
# modes, the docket group and kiosk account, directory modes, unit validity
# (systemd-analyze verify), and that the installed docketd --session,
# docket-sim and docketctl dock a camera and offload it; then remove and purge
# keep the evidence.
#
# The scratch root is an overlay on this machine's own root (its Debian 12
# with the runtime dependencies installed by tools/deps.sh) in a private mount
# namespace: dpkg -i runs the real maintainer scripts there, and nothing of
# this machine changes. Without root (no namespace, no overlay) the packages
# are unpacked with dpkg -x into a tree and only the file list and a dock
# from that tree are checked.
#
#   check-packages.sh SOURCE_ROOT B_SANITIZE
set -euo pipefail

src=$1
sanitize=${2:-none}
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)

if [[ "$sanitize" != none ]]; then
  echo "SKIP: this is the sanitized build (b_sanitize=$sanitize); the package build is not" \
       "sanitized, so the packages are built, linted and installed once, in the plain build"
  exit 77
fi
if ! command -v dpkg-buildpackage >/dev/null; then
  echo "SKIP: dpkg-buildpackage is missing (tools/deps.sh installs dpkg-dev and debhelper)"
  exit 77
fi

start=$SECONDS
tmp=$(mktemp -d "${TMPDIR:-/tmp}/docket-packaging.XXXXXX")
cleanup() {
  # The overlay's mounts live in their own namespace and are gone with it.
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== build and lintian"
# No -dbgsym packages: they take time and nothing here installs them.
DEB_BUILD_OPTIONS="noddebs ${DEB_BUILD_OPTIONS:-}" "$src/tools/build-packages.sh" --output "$tmp/out"
echo "   ($((SECONDS - start)) s so far)"

debs=()
for f in "$tmp"/out/*.deb; do
  [[ $f == *-dbgsym_* ]] || debs+=("$f")
done

status=0
if [[ $(id -u) -eq 0 ]] && command -v unshare >/dev/null \
   && unshare --mount --propagation private true 2>/dev/null; then
  echo "== install into an overlay root and check there"
  unshare --mount --propagation private \
    bash "$here/overlay-root.sh" "$tmp" "$here" "${debs[@]}" || status=$?
  if ((status == 77)); then
    echo "== no overlay of / here: dpkg -x into a tree instead (no maintainer scripts run)"
    status=0
    bash "$here/extracted-tree.sh" "$tmp" "$here" "${debs[@]}" || status=$?
  fi
else
  echo "== not root, or no mount namespace: dpkg -x into a tree (no maintainer scripts run)"
  bash "$here/extracted-tree.sh" "$tmp" "$here" "${debs[@]}" || status=$?
fi

echo "== packaging test: $((SECONDS - start)) s"
exit $status
