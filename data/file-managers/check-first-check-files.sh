#!/bin/sh
# check-first-check-files: "Check with Check First" for file managers that run a command (Nemo, Dolphin)
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-first-check-files FILE…
#
# Hands the files (a folder stands for its own files) to the Check First
# service in CheckFiles calls over the session bus, which starts the
# service when it does not run, and returns at once: the service checks
# them in its own queue, within the request budget, and says what it found
# in notifications.  Nothing is opened.  When the files cannot be handed
# over, a notification says why, as the person ran this from a menu and
# sees no terminal.
#
# Exit status: 0 handed over, 1 not, 64 usage error.

set -u

# (Every call ends its options with "--": the notification's timeout, -1, is no option.)

# Words for the person, in their language when gettext is there.
if command -v gettext >/dev/null 2>&1; then
  _ () { TEXTDOMAIN=check-first TEXTDOMAINDIR='@localedir@' gettext "$1"; }
else
  _ () { printf '%s' "$1"; }
fi

# A GVariant text string literal of $1.
quoted () {
  printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g")"
}

tell () {
  echo "check-first-check-files: $2" >&2
  gdbus call --session --dest org.freedesktop.Notifications \
    --object-path /org/freedesktop/Notifications \
    --method org.freedesktop.Notifications.Notify -- \
    "$(quoted "$(_ 'Check First')")" 0 "'io.github.checkfirst.CheckFirst'" \
    "$(quoted "$1")" "$(quoted "$2")" '@as []' \
    "{'desktop-entry': <'io.github.checkfirst.CheckFirst'>, 'urgency': <byte 1>}" -1 \
    >/dev/null 2>&1
}

if [ $# -eq 0 ]; then
  echo "usage: check-first-check-files FILE…" >&2
  exit 64
fi

# file:// URIs of absolute paths, every byte but the unreserved ones
# percent-encoded, so that any name (spaces, quotes, new lines, any
# encoding) arrives as it is; one a line.
uris () {
  for path in "$@"; do
    case $path in
      /*) printf '%s\0' "$path" ;;
      *) printf '%s/%s\0' "$PWD" "$path" ;;
    esac
  done | od -An -v -tu1 | LC_ALL=C awk '
    BEGIN { printf "file://" }
    {
      for (i = 1; i <= NF; i++) {
        c = $i + 0
        if (c == 0)
          printf "\nfile://"
        else if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ||
                 c == 45 || c == 46 || c == 95 || c == 126 || c == 47)
          printf "%c", c
        else
          printf "%%%02X", c
      }
    }'
}

failed=0
# One call for a selection, unless it is so large that its list would not
# fit one argument (128 KiB): then one call per 100 000 bytes of URIs.
send () {
  [ -n "$1" ] || return 0
  if ! error=$(gdbus call --session --dest io.github.checkfirst.CheckFirst \
                 --object-path /io/github/checkfirst/CheckFirst \
                 --method io.github.checkfirst.CheckFirst1.CheckFiles -- "[$1]" 2>&1 >/dev/null); then
    error=$(printf '%s' "$error" | sed -e 's/^Error: //' -e 's/^GDBus\.Error:[^ ]* //')
    # Translators: %s says why, e.g. "The name … was not provided by any .service files"
    body=$(printf "$(_ 'Check First could not be reached: %s')" "$error")
    tell "$(_ 'The files were not checked')" "$body"
    failed=1
  fi
}

list=
# The last line has no new line of its own: read it too.
uris "$@" | {
  while IFS= read -r uri || [ -n "$uri" ]; do
    [ "$uri" = "file://" ] && continue
    if [ ${#list} -gt 100000 ]; then
      send "$list"
      list=
    fi
    list="${list:+$list, }'$uri'"
  done
  send "$list"
  exit $failed
}
