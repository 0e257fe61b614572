#!/usr/bin/env bash
# The main job, on one machine: docketd on a private session bus, three
# simulated body-worn cameras docking (docket-sim on umockdev), and the
# kiosk. Run as root on Debian 12. IT's side is set up as a station would
# be: a signed device policy (its key made here) that asks for firmware
# 1.1.0, so cameras are updated in the dock after their offload; three
# people to sign in as (printed at the start); one pool camera to check out.
#
#   sudo ./tools/demo.sh              desktop: a window; no display: Xvfb,
#                                     with screenshots written to a folder
#   sudo ./tools/demo.sh --broadway   the kiosk in a web browser (GTK Broadway)
#
# Options: --xvfb (headless even with a display), --cameras N,
# --duration SECONDS (stop by itself; default: run until Ctrl-C), --no-deps,
# --size WIDTHxHEIGHT (the screen; default 1280x800), --lang es (the kiosk in
# Spanish, from the build tree's catalogues).
# Environment: BUILD_DIR (default build), DOCKET_DEMO_DIR (default
# /tmp/docket-demo), DOCKET_SCREENSHOT_INTERVAL (seconds, default 5),
# DOCKET_BROADWAY_ADDRESS (default 127.0.0.1), DOCKET_BROADWAY_PORT (8085).
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")/.."
root=$PWD

mode=auto
size=1280x800
lang=
cameras=3
duration=0
deps=1
while (($#)); do
  case "$1" in
    --broadway) mode=broadway ;;
    --xvfb) mode=xvfb ;;
    --cameras) cameras=$2; shift ;;
    --cameras=*) cameras=${1#*=} ;;
    --duration) duration=$2; shift ;;
    --duration=*) duration=${1#*=} ;;
    --no-deps) deps=0 ;;
    --size) size=$2; shift ;;
    --size=*) size=${1#*=} ;;
    --lang) lang=$2; shift ;;
    --lang=*) lang=${1#*=} ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tools/demo.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
if [[ $mode == auto ]]; then
  if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then mode=window; else mode=xvfb; fi
fi

build=${BUILD_DIR:-build}
demo_dir=${DOCKET_DEMO_DIR:-/tmp/docket-demo}
interval=${DOCKET_SCREENSHOT_INTERVAL:-5}

if ((deps)) && [[ "${DOCKET_SKIP_DEPS:-0}" != 1 ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    ./tools/deps.sh
  else
    echo "not root: skipping tools/deps.sh (packages must already be installed)" >&2
  fi
fi

echo "== building in $build"
if [[ ! -f "$build/build.ninja" ]]; then
  meson setup "$build"
fi
# Only what the demo runs; tools/test.sh builds the rest.
meson compile -C "$build" docket-sim:executable docketd:executable docket:executable \
  docketctl:executable gsettings-compile-data docket-gmo
for exe in src/sim/docket-sim src/daemon/docketd src/kiosk/docket src/cli/docketctl; do
  if [[ ! -x "$build/$exe" ]]; then
    echo "tools/demo.sh: $build/$exe was not built" >&2
    exit 1
  fi
done

mkdir -p "$demo_dir"
# A fresh evidence store each run; the generated clips are kept (slow to make).
rm -rf "$demo_dir/state" "$demo_dir/screenshots" "$demo_dir/policy" "$demo_dir/firmware" \
  "$demo_dir"/policy-key.*
mkdir -p "$demo_dir/state" "$demo_dir/media" "$demo_dir/screenshots" \
  "$demo_dir/policy/trusted-keys" "$demo_dir/firmware"
docketctl=("$build/src/cli/docketctl")

# IT's workstation: a key pair, a firmware image, and the policy naming it,
# signed. The kiosk trusts only the public key.
echo "== IT: signing a device policy (minimum firmware 1.1.0) with a key made for the demo"
"${docketctl[@]}" policy keygen --output "$demo_dir/policy-key" >/dev/null
cp "$demo_dir/policy-key.pub" "$demo_dir/policy/trusted-keys/"
# 4 MiB: long enough (a few seconds) to watch the update on the cards.
head -c 4194304 /dev/urandom >"$demo_dir/firmware/dcp-reference-1.1.0.bin"
fw_sha=$(sha256sum "$demo_dir/firmware/dcp-reference-1.1.0.bin" | cut -d' ' -f1)
sed -e 's/"version": 3,/"version": 4,/' \
  -e '/"DCP Reference Camera": {/,/}/s/"minimum-firmware": "1.0.0",/"minimum-firmware": "1.1.0",\n      "firmware": { "image": "dcp-reference-1.1.0.bin", "sha256": "'"$fw_sha"'" },/' \
  data/policy/example-policy.json >"$demo_dir/policy/policy.json"
"${docketctl[@]}" policy sign --key "$demo_dir/policy-key.key" "$demo_dir/policy/policy.json" \
  >/dev/null
"${docketctl[@]}" policy validate "$demo_dir/policy/policy.json" --keys "$demo_dir/policy/trusted-keys"

pids=()
cleanup() {
  local i
  trap - EXIT INT TERM
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for_file FILE: until a started helper has written it (10 s at most).
wait_for_file() {
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "$1" ]] && return 0
    sleep 0.1
  done
  echo "tools/demo.sh: timed out waiting for $1" >&2
  return 1
}

# A private session bus: docketd --session and the kiosk meet there, and
# nothing of the host's own buses is touched.
rm -f "$demo_dir/bus-address"
dbus-daemon --session --nofork --nosyslog --print-address=1 >"$demo_dir/bus-address" \
  2>"$demo_dir/dbus.log" &
pids+=($!)
wait_for_file "$demo_dir/bus-address"
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$demo_dir/bus-address")
export DBUS_SESSION_BUS_ADDRESS

case $mode in
  xvfb)
    rm -f "$demo_dir/display"
    Xvfb -displayfd 3 -screen 0 "${size}x24" -nolisten tcp 3>"$demo_dir/display" \
      >"$demo_dir/xvfb.log" 2>&1 &
    pids+=($!)
    wait_for_file "$demo_dir/display"
    export DISPLAY=":$(head -n 1 "$demo_dir/display")"
    unset WAYLAND_DISPLAY
    export GDK_BACKEND=x11
    # Xvfb has no GL worth the name.
    export GSK_RENDERER=cairo
    ;;
  broadway)
    port=${DOCKET_BROADWAY_PORT:-8085}
    address=${DOCKET_BROADWAY_ADDRESS:-127.0.0.1}
    gtk4-broadwayd --address "$address" --port "$port" :5 >"$demo_dir/broadway.log" 2>&1 &
    pids+=($!)
    sleep 1
    export GDK_BACKEND=broadway BROADWAY_DISPLAY=:5
    unset DISPLAY WAYLAND_DISPLAY
    ;;
esac

echo "== docket-sim: $cameras cameras dock; docketd serves them (log: $demo_dir/docketd.log)"
# docket-sim takes its commands on a pipe: the cameras dock only once IT has
# enrolled the people and assigned SIM-0001 (however long that takes on a
# busy machine), so no officer's recordings ever arrive with no owner.
rm -f "$demo_dir/sim-in"
mkfifo "$demo_dir/sim-in"
DOCKET_STATE_DIR="$demo_dir/state" DOCKET_KNOWN_CAMERAS="$root/data/known-cameras.ini" \
  "$build/src/sim/docket-sim" --cameras 0 --incidents 2 --media-dir "$demo_dir/media" \
  -- "$root/$build/src/daemon/docketd" --session \
  --policy-dir "$demo_dir/policy" --firmware-dir "$demo_dir/firmware" \
  <"$demo_dir/sim-in" >"$demo_dir/docketd.log" 2>&1 &
pids+=($!)
exec 3>"$demo_dir/sim-in"

# IT enrols the people (PINs on stdin, never on the command line) and puts
# one camera in the pool.
for ((i = 0; i < 100; i++)); do
  "${docketctl[@]}" --session status >/dev/null 2>&1 && break
  sleep 0.2
done
enrol() {
  printf '%s\n' "$4" | "${docketctl[@]}" --session officer add "$1" --name "$2" --role "$3" \
    --pin-stdin >/dev/null
}
enrol 1001 "Officer Ana Díaz" officer 246810
enrol 2001 "Sgt. Sam Park" sergeant 135790
enrol 3001 "IT Jordan Rivera" it 112233
# The cameras exist once added; assign and pool them before they dock.
for ((i = 1; i <= cameras; i++)); do
  printf 'add SIM-%04d\n' "$i" >&3
done
for ((i = 0; i < 100; i++)); do
  "${docketctl[@]}" --session camera assign SIM-0001 1001 >/dev/null 2>&1 && break
  sleep 0.2
done
"${docketctl[@]}" --session camera pool SIM-0002 on >/dev/null 2>&1 || true
# Charged enough that an officer can check the pool camera out at once.
printf 'battery SIM-0002 96\n' >&3
echo "== sign in at the kiosk as officer 1001 (PIN 246810; SIM-0001 is hers), sergeant"
echo "   2001 (PIN 135790) or IT 3001 (PIN 112233); SIM-0002 is a pool camera to check out"

# The scenario: the cameras dock; then a camera on a slow link (progress to
# watch), one that corrupts a recording in transit (verification catches it
# and keeps the recording on the camera), one that never answers (its card
# says so, in the kiosk's language), and the first camera leaves. Each
# camera below firmware 1.1.0 is updated after its offload.
(
  for ((i = 1; i <= cameras; i++)); do
    printf 'dock SIM-%04d\n' "$i"
  done
  sleep 15
  printf 'add SIM-SLOW\nfault SIM-SLOW slow-link 20000\ndock SIM-SLOW\n'
  sleep 20
  printf 'add SIM-FLIP\nfault SIM-FLIP corrupt-byte 5000\ndock SIM-FLIP\n'
  printf 'add SIM-MUTE\nfault SIM-MUTE no-reply\ndock SIM-MUTE\n'
  sleep 20
  printf 'undock SIM-0001\n'
) >&3 &
pids+=($!)

kiosk_env=(DOCKET_LOCALEDIR="$root/$build/po")
if [[ -n $lang ]]; then
  # The language's home country first (es_ES, not es_AR), else any.
  locale_name=$( (grep -m1 -E "^${lang}_${lang^^}[. ]" /usr/share/i18n/SUPPORTED \
    || grep -m1 -E "^${lang}_" /usr/share/i18n/SUPPORTED) 2>/dev/null | cut -d' ' -f1 \
    | sed 's/\.UTF-8$//')
  locale_name=${locale_name:-${lang}_$(echo "$lang" | tr '[:lower:]' '[:upper:]')}
  mkdir -p "$demo_dir/locale"
  if ! locale -a 2>/dev/null | grep -qi "^${locale_name}\.utf-\?8$"; then
    localedef -i "$locale_name" -f UTF-8 "$demo_dir/locale/$locale_name.UTF-8" 2>/dev/null \
      || echo "tools/demo.sh: could not compile the locale $locale_name (package locales)" >&2
    kiosk_env+=(LOCPATH="$demo_dir/locale")
  fi
  kiosk_env+=(LC_ALL="$locale_name.UTF-8" LANGUAGE="$lang")
fi

kiosk_args=(--session)
[[ $mode != window ]] && kiosk_args+=(--kiosk)
env "${kiosk_env[@]}" GSETTINGS_SCHEMA_DIR="$root/$build/data" GTK_A11Y=none \
  "$build/src/kiosk/docket" "${kiosk_args[@]}" >"$demo_dir/kiosk.log" 2>&1 &
kiosk=$!
pids+=($kiosk)

case $mode in
  window) echo "== the kiosk is open in a window on ${WAYLAND_DISPLAY:-$DISPLAY}" ;;
  broadway)
    echo "== open http://$address:$port/ in a web browser to see and use the kiosk"
    if [[ $address == 127.0.0.1 ]]; then
      echo "   (from another machine: ssh -L $port:127.0.0.1:$port THIS-HOST, or set DOCKET_BROADWAY_ADDRESS=0.0.0.0)"
    fi
    ;;
  xvfb)
    echo "== no display: the kiosk runs on Xvfb $DISPLAY; a screenshot every ${interval}s goes to"
    echo "   $demo_dir/screenshots/ (the newest is always latest.png)"
    ;;
esac
if ((duration > 0)); then
  echo "== stopping after $duration seconds"
else
  echo "== Ctrl-C stops the demo"
fi

start=$SECONDS
n=0
while kill -0 "$kiosk" 2>/dev/null; do
  if ((duration > 0 && SECONDS - start >= duration)); then
    break
  fi
  if [[ $mode == xvfb ]] && ((SECONDS - start >= n * interval)); then
    shot=$(printf '%s/screenshots/docket-%04d.png' "$demo_dir" "$n")
    if import -display "$DISPLAY" -window root "$shot" 2>/dev/null; then
      cp -f "$shot" "$demo_dir/screenshots/latest.png"
    fi
    n=$((n + 1))
  fi
  sleep 1
done

if ! kill -0 "$kiosk" 2>/dev/null; then
  status=0
  wait "$kiosk" || status=$?
  echo "tools/demo.sh: the kiosk exited (status $status); see $demo_dir/kiosk.log" >&2
  exit "$status"
fi
echo "== done; logs and screenshots are in $demo_dir"
