#!/usr/bin/env bash
# Installs every Debian 12 package Docket needs to build, test and run its
# demo, and creates the "docket" group. Run as root. This is the ONE list:
# add a package here, nowhere else.
set -euo pipefail

PACKAGES=(
  # toolchain
  meson ninja-build pkg-config gcc libc6-dev binutils git clang-format
  clang # tools/fuzz.sh: libFuzzer
  # libraries
  libglib2.0-dev libglib2.0-dev-bin libglib2.0-bin libjson-glib-dev
  libgtk-4-dev libgtk-4-bin libadwaita-1-dev libgtk-4-media-gstreamer
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-tools
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav ffmpeg
  libusb-1.0-0-dev libudev-dev libumockdev-dev umockdev
  libsqlite3-dev libssl-dev libsodium-dev libseccomp-dev
  # upstream: S3 client and PostgreSQL catalogue; the real servers its tests start
  libcurl4-openssl-dev libpq-dev postgresql-15
  swift swift-proxy swift-account swift-container swift-object python3-swift memcached
  # i18n and data validation
  gettext locales desktop-file-utils appstream libxml2-utils systemd
  # evidence exports: the .zip writer, and the tools a court checks them with
  zip openssl coreutils
  # headless display, session bus, accessibility (kiosk tests and demo)
  xvfb xauth dbus at-spi2-core libatspi2.0-dev libxtst-dev imagemagick
  adwaita-icon-theme
  # screenshots of a headless cage (kiosk-cage: dialogs centred as on a station)
  grim
  # Debian packages (tools/build-packages.sh, test packaging) and what the
  # built packages need to install: udev, the kiosk session's cage, PAM and
  # user bus
  dpkg-dev debhelper fakeroot build-essential lintian
  udev cage xwayland dbus-user-session libpam-systemd sqlite3
)

# The S3 Object Lock tests' throwaway Ceph (tests/upstream-servers.py rgw):
# a monitor, a memstore OSD and radosgw. Without their Recommends (ceph-mgr,
# ceph-mds, fuse and their Python): 51 packages instead of 84.
CEPH_PACKAGES=(ceph-mon ceph-osd radosgw ceph-common)

if [[ $(id -u) -ne 0 ]]; then
  echo "tools/deps.sh: run as root (sudo $0)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done
missing_ceph=()
for pkg in "${CEPH_PACKAGES[@]}"; do
  installed "$pkg" || missing_ceph+=("$pkg")
done

if ! apt-get update -qq </dev/null; then
  if ((${#missing[@]} + ${#missing_ceph[@]})); then
    echo "tools/deps.sh: apt-get update failed and packages are missing:" \
      "${missing[*]} ${missing_ceph[*]}" >&2
    exit 1
  fi
  echo "tools/deps.sh: apt-get update failed; every package is already installed" >&2
fi

if ((${#missing[@]})); then
  echo "tools/deps.sh: installing ${missing[*]}"
  apt-get install -y -qq -o Dpkg::Options::=--force-confold "${missing[@]}" </dev/null
fi
if ((${#missing_ceph[@]})); then
  echo "tools/deps.sh: installing ${missing_ceph[*]}"
  apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold \
    "${missing_ceph[@]}" </dev/null
fi

# Members of this group may call docketd's kiosk interfaces on the bus
# (data/dbus/io.github.docket.Docket1.conf); cameras are root's alone
# (data/udev/70-docket.rules).
if ! getent group docket >/dev/null; then
  groupadd --system docket
fi
