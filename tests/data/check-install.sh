#!/usr/bin/env bash
# `meson install` into a scratch DESTDIR puts every file a dock needs where
# the system looks for it (paths relative to the prefix).
set -euo pipefail

builddir=$1
prefix=$2
command -v meson >/dev/null || { echo "meson missing" >&2; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! meson install -C "$builddir" --destdir "$tmp" --no-rebuild --quiet >"$tmp.log" 2>&1; then
  cat "$tmp.log" >&2
  # A partial run (meson test --suite …) builds only what its tests need;
  # a full build (tools/test.sh) installs everything.
  if grep -q "could not be found" "$tmp.log"; then
    rm -f "$tmp.log"
    echo "not everything is built; run after a full build" >&2
    exit 77
  fi
  rm -f "$tmp.log"
  exit 1
fi
rm -f "$tmp.log"

fail=0
for f in \
  bin/docketctl \
  bin/docket-sim \
  libexec/docketd \
  libexec/docket-media-helper \
  lib/systemd/system/docketd.service \
  lib/sysusers.d/docket.conf \
  lib/tmpfiles.d/docket.conf \
  lib/udev/rules.d/70-docket.rules \
  share/applications/io.github.docket.Docket.desktop \
  share/metainfo/io.github.docket.Docket.metainfo.xml \
  share/dbus-1/system-services/io.github.docket.Docket1.service \
  share/dbus-1/system.d/io.github.docket.Docket1.conf \
  share/docket/known-cameras.ini \
  share/glib-2.0/schemas/io.github.docket.Docket.gschema.xml \
  share/icons/hicolor/scalable/apps/io.github.docket.Docket.svg \
  share/icons/hicolor/symbolic/apps/io.github.docket.Docket-symbolic.svg \
  share/locale/es/LC_MESSAGES/docket.mo \
  share/doc/docket/operations.md; do
  if [[ ! -f "$tmp$prefix/$f" ]]; then
    echo "FAIL: not installed: $prefix/$f" >&2
    fail=1
  fi
done
exit $fail
