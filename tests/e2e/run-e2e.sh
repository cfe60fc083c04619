#!/bin/bash
# run-e2e.sh: runs each tests/e2e/test_*.py against the real window in a private desktop session
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment: CHECK_FIRST_BIN, FAKE_VT_BIN, SCHEMAS_DIR, SCREENSHOT_DIR, and optionally
# E2E_TESTS_DIR (defaults to this script's folder), E2E_ONLY (run only the tests whose name
# contains it), E2E_EXCLUDE (leave out the tests whose name contains it), E2E_TEST_TIMEOUT
# (seconds one test may take, default 240), E2E_KEEP (keep the scratch folder),
# E2E_SHARD (K/N: run only the Kth of N equal shares of the tests) and E2E_COMMAND (run it in
# the session instead of the tests, for debugging).
# Prints TAP: one "ok N - name" or "not ok N - name" line per test file.

set -u

here=$(cd "$(dirname "$0")" && pwd)
tests_dir=${E2E_TESTS_DIR:-$here}
python=/usr/bin/python3

for var in CHECK_FIRST_BIN FAKE_VT_BIN SCHEMAS_DIR SCREENSHOT_DIR; do
  if [ -z "${!var:-}" ]; then
    echo "Bail out! $var is not set"
    exit 1
  fi
done

# Everything below runs inside one private session bus.
if [ -z "${CF_E2E_IN_SESSION:-}" ]; then
  missing=
  for tool in dbus-run-session dbus-update-activation-environment Xvfb xwininfo gdbus gsettings gnome-keyring-daemon /usr/libexec/at-spi-bus-launcher import; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
  done
  "$python" -c 'import dogtail, dbusmock' 2>/dev/null || missing="$missing python3-dogtail/python3-dbusmock"
  "$python" -c 'import gi; gi.require_version("Gtk", "4.0")' 2>/dev/null || missing="$missing gir1.2-gtk-4.0"
  if [ -n "$missing" ]; then
    # A desktop test that did not run must not look like one that passed.
    echo "Bail out! missing:$missing (build-aux/setup-deps test installs them)"
    exit 1
  fi
  export CF_E2E_IN_SESSION=1
  # The bus starts Check First when its name is called (D-Bus activation),
  # from a service file of the session's own, which comes before the
  # system's.  No file manager starts by itself (GNOME Files would answer
  # "Show in Files" in a window of its own): a test that wants one puts a
  # mock of it on the bus.
  CF_E2E_WORK=$(mktemp -d "${TMPDIR:-/tmp}/check-first-e2e.XXXXXX")
  export CF_E2E_WORK
  mkdir -p "$CF_E2E_WORK/dbus-services"
  cat >"$CF_E2E_WORK/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <servicedir>$CF_E2E_WORK/dbus-services</servicedir>
  <include>/usr/share/dbus-1/session.conf</include>
</busconfig>
CONF
  printf '[D-BUS Service]\nName=org.freedesktop.FileManager1\nExec=/bin/false\n' \
    >"$CF_E2E_WORK/dbus-services/org.freedesktop.FileManager1.service"
  # What the bus starts (GVfs's backends print their traces) writes to a log, not into the TAP
  # stream on this script's output.
  cat >"$CF_E2E_WORK/dbus-daemon" <<SCRIPT
#!/bin/sh
exec dbus-daemon "\$@" >>"$CF_E2E_WORK/bus.log"
SCRIPT
  chmod +x "$CF_E2E_WORK/dbus-daemon"
  # dbus-run-session may complain that it cannot raise the fd limit: harmless.
  exec dbus-run-session --config-file="$CF_E2E_WORK/session.conf" \
    --dbus-daemon="$CF_E2E_WORK/dbus-daemon" -- "$0" "$@" \
    2> >(grep -v 'fd limit' >&2)
fi

work=$CF_E2E_WORK
pids=()

cleanup () {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null
  done
  wait 2>/dev/null
  # GVfs's FUSE mount (started by the bus when a test reached a GVfs location) goes first, or
  # its folder could not be removed.
  if mountpoint -q "$work/runtime/gvfs" 2>/dev/null; then
    fusermount3 -u -z "$work/runtime/gvfs" 2>/dev/null || umount -l "$work/runtime/gvfs" 2>/dev/null
  fi
  if [ -z "${E2E_KEEP:-}" ]; then
    rm -rf "$work"
  else
    echo "# kept $work"
  fi
}
trap cleanup EXIT

# Wait until COMMAND succeeds, for at most SECONDS.
wait_until () {
  local seconds=$1
  shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      return 1
    fi
    sleep 0.1
  done
}

file_not_empty () { [ -s "$1" ]; }
bus_has_name () {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner "$1" | grep -q true
}

# Private folders: the tests never touch a real user's data.
export HOME=$work/home
export XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache
export XDG_RUNTIME_DIR=$work/runtime
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
mkdir -p "$SCREENSHOT_DIR"

# A virtual screen on a free display number.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
pids+=($!)
if ! wait_until 20 file_not_empty "$work/display"; then
  echo "Bail out! Xvfb did not start"
  cat "$work/xvfb.log" | sed 's/^/# /'
  exit 1
fi
export DISPLAY=:$(head -n 1 "$work/display") GDK_BACKEND=x11
unset WAYLAND_DISPLAY

# What the bus starts by itself (GVfs and its FUSE mount, the file manager's indexer) gets
# this session's folders and screen too, never the real user's home.
dbus-update-activation-environment HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME \
  XDG_RUNTIME_DIR DISPLAY GDK_BACKEND

/usr/libexec/at-spi-bus-launcher --launch-immediately >"$work/at-spi.log" 2>&1 &
pids+=($!)
wait_until 20 bus_has_name org.a11y.Bus || { echo "Bail out! no accessibility bus"; exit 1; }

# Notifications land in a log the tests read.
export NOTIFICATIONS_LOG=$work/notifications.log
"$python" -m dbusmock --template notification_daemon -l "$NOTIFICATIONS_LOG" >"$work/dbusmock.log" 2>&1 &
pids+=($!)
wait_until 20 bus_has_name org.freedesktop.Notifications || { echo "Bail out! no notification daemon"; exit 1; }

# A real Secret Service, unlocked.
eval "$(printf 'e2e-password' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
[ -n "${GNOME_KEYRING_CONTROL:-}" ] && export GNOME_KEYRING_CONTROL
if [ -n "${GNOME_KEYRING_PID:-}" ]; then
  pids+=("$GNOME_KEYRING_PID")
fi

# The fake VirusTotal.
"$FAKE_VT_BIN" --port 0 --port-file "$work/fake-vt.port" --key test-key \
  >"$work/fake-vt.log" 2>&1 &
pids+=($!)
if ! wait_until 20 file_not_empty "$work/fake-vt.port"; then
  echo "Bail out! fake-vt did not start"
  sed 's/^/# /' "$work/fake-vt.log"
  exit 1
fi
fake_vt_port=$(head -n 1 "$work/fake-vt.port")
export FAKE_VT_URL=http://127.0.0.1:$fake_vt_port
export VT_API_KEY=test-key
export CHECK_FIRST_API_URL=$FAKE_VT_URL/api/v3
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

# Default applications: a recorder opens text/plain and folders; Check First claims text/plain
# too, through a stand-in that only records that it was picked, to prove the app never picks
# itself.
apps=$work/share/applications
mkdir -p "$apps" "$work/bin"
export RECORDER_LOG=$work/recorder.log SELF_LAUNCH_LOG=$work/self-launch.log
cat >"$work/bin/cf-recorder" <<SCRIPT
#!/bin/sh
printf '%s\n' "\$@" >>"$RECORDER_LOG"
SCRIPT
cat >"$work/bin/cf-self-launch" <<SCRIPT
#!/bin/sh
printf '%s\n' "\$@" >>"$SELF_LAUNCH_LOG"
SCRIPT
chmod +x "$work/bin/cf-recorder" "$work/bin/cf-self-launch"
cat >"$apps/cf-recorder.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Recorder
Exec=$work/bin/cf-recorder %f
MimeType=text/plain;inode/directory;
Terminal=false
DESKTOP
cat >"$apps/io.github.checkfirst.CheckFirst.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Check First
Exec=$work/bin/cf-self-launch %U
MimeType=text/plain;application/x-shellscript;
Terminal=false
DESKTOP
cat >"$apps/mimeapps.list" <<MIMEAPPS
[Default Applications]
text/plain=cf-recorder.desktop;io.github.checkfirst.CheckFirst.desktop;
inode/directory=cf-recorder.desktop;

[Added Associations]
text/plain=io.github.checkfirst.CheckFirst.desktop;cf-recorder.desktop;
MIMEAPPS
export XDG_DATA_DIRS=$work/share${APP_DATA_DIR:+:$APP_DATA_DIR}:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}
export GSETTINGS_SCHEMA_DIR=$SCHEMAS_DIR
export GSETTINGS_BACKEND=keyfile
export E2E_WORK=$work
# The tests' own folder first, then the helpers beside this script.
export PYTHONPATH=$tests_dir:$here${PYTHONPATH:+:$PYTHONPATH}

# What the bus runs when the app's name is called and nobody owns it; the
# tests give it their environment (cfe2e.activation_environment).
cat >"$work/dbus-services/io.github.checkfirst.CheckFirst.service" <<SERVICE
[D-BUS Service]
Name=io.github.checkfirst.CheckFirst
Exec=$CHECK_FIRST_BIN --service
SERVICE
export PYTHONDONTWRITEBYTECODE=1
export GTK_A11Y=atspi
# No GPU behind Xvfb: GL through llvmpipe is slow enough that a window with a spinner
# stops answering AT-SPI. The cairo renderer draws the same pixels on the CPU.
export GSK_RENDERER=${GSK_RENDERER:-cairo}
export G_MESSAGES_DEBUG=
unset NO_AT_BRIDGE

# For debugging: run one command inside the session instead of the tests.
if [ -n "${E2E_COMMAND:-}" ]; then
  bash -c "$E2E_COMMAND"
  exit $?
fi

mapfile -t tests < <(cd "$tests_dir" && ls test_*.py 2>/dev/null | sort)
if [ -n "${E2E_ONLY:-}" ]; then
  mapfile -t tests < <(printf '%s\n' "${tests[@]}" | grep -F "$E2E_ONLY")
fi
if [ -n "${E2E_EXCLUDE:-}" ]; then
  mapfile -t tests < <(printf '%s\n' "${tests[@]}" | grep -v -F "$E2E_EXCLUDE")
fi
# E2E_SHARD=K/N: only every Nth test, from the Kth on, so that N sessions share the tests.
if [ -n "${E2E_SHARD:-}" ]; then
  shard=${E2E_SHARD%/*} shards=${E2E_SHARD#*/}
  mapfile -t tests < <(printf '%s\n' "${tests[@]}" | awk -v k="$shard" -v n="$shards" 'NF && (NR - k) % n == 0')
fi

echo "1..${#tests[@]}"
n=0
failed=0
for test in "${tests[@]}"; do
  n=$((n + 1))
  name=${test%.py}
  tdir=$work/tests/$name
  mkdir -p "$tdir/config/glib-2.0/settings"
  printf '[org/gnome/desktop/interface]\ntoolkit-accessibility=true\n' \
    >"$tdir/config/glib-2.0/settings/keyfile"
  # Each test starts from an empty database and default settings; the apps folder is shared.
  started=$SECONDS
  if XDG_DATA_HOME=$tdir/data XDG_CONFIG_HOME=$tdir/config XDG_CACHE_HOME=$tdir/cache \
     E2E_TEST_DIR=$tdir timeout --kill-after=10 "${E2E_TEST_TIMEOUT:-240}" "$python" "$tests_dir/$test" \
     >"$tdir/output.log" 2>&1; then
    echo "ok $n - $name"
  else
    status=$?
    echo "not ok $n - $name (exit status $status)"
    sed 's/^/# /' "$tdir/output.log"
    failed=$((failed + 1))
  fi
  echo "# $name: $((SECONDS - started)) s"
done

exit 0
