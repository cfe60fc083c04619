#!/bin/sh
# test-potfiles.sh: fails when a source file with translatable text is missing from POTFILES.in
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-potfiles.sh SOURCE_ROOT

set -u

if [ $# -ne 1 ]; then
  echo "usage: $0 SOURCE_ROOT" >&2
  exit 64
fi

cd "$1" || exit 1

listed=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' po/POTFILES.in | sort -u)

# _( and N_( only as whole names, so that a call like foo_( does not count.
translatable=
if [ -d src ]; then
  translatable=$(find src -type f \
                   -exec grep -l -I -E -e '(^|[^A-Za-z0-9_])N?_\(' -e 'translatable="yes"' {} + \
                 | sort -u)
fi

missing=$(printf '%s\n' "$translatable" | grep -v -x -F -e "$listed" | sed -e '/^$/d')

if [ -n "$missing" ]; then
  echo "These files have translatable text but are not in po/POTFILES.in:" >&2
  printf '%s\n' "$missing" >&2
  exit 1
fi

echo "po/POTFILES.in lists all $(printf '%s\n' "$translatable" | sed -e '/^$/d' | wc -l) files with translatable text"
exit 0
