#!/usr/bin/env bash
# Runs inside a private mount namespace (check-packages.sh): an overlay of /
# whose changes go to TMP/upper, with its own /proc, /dev, /sys, /run and
# /tmp; the packages are installed there with dpkg -i and checked by
# installed-checks.sh under chroot. Everything is unmounted when the
# namespace ends.
#
#   overlay-root.sh TMP TESTDIR DEB...
set -euo pipefail

tmp=$1
testdir=$2
shift 2

mkdir -p "$tmp/upper" "$tmp/work" "$tmp/root"
if ! mount -t overlay overlay -o "lowerdir=/,upperdir=$tmp/upper,workdir=$tmp/work" "$tmp/root"; then
  echo "SKIP: overlayfs on / is not available here" >&2
  exit 77
fi
root=$tmp/root
# dpkg's database and /etc (accounts) change during the test: give the root
# private copies, so nothing this machine does meanwhile (another apt-get)
# changes the layer beneath them.
cp -a /var/lib/dpkg "$tmp/dpkg"
cp -a /etc "$tmp/etc"
mount --bind "$tmp/dpkg" "$root/var/lib/dpkg"
mount --bind "$tmp/etc" "$root/etc"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/run"
mount -t tmpfs tmpfs "$root/tmp"
mkdir -p "$root/run/lock"

mkdir -p "$root/var/cache/docket-test"
cp "$@" "$root/var/cache/docket-test/"
cp "$testdir/installed-checks.sh" "$testdir/files.txt" "$root/var/cache/docket-test/"

chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  bash /var/cache/docket-test/installed-checks.sh /var/cache/docket-test
