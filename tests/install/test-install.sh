#!/bin/sh
# test-install.sh: installs the build into a scratch folder and checks what lands there
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-install.sh MESON BUILD_ROOT SOURCE_ROOT PREFIX BINDIR DATADIR MANDIR LOCALEDIR
#                        LIBEXECDIR NAUTILUS_EXTENSION_DIR actions|no-actions
# The folder options are as meson reports them: relative to PREFIX, or absolute;
# NAUTILUS_EXTENSION_DIR is empty when the extension was not built.

set -u

if [ $# -ne 11 ]; then
  echo "usage: $0 MESON BUILD_ROOT SOURCE_ROOT PREFIX BINDIR DATADIR MANDIR LOCALEDIR" \
       "LIBEXECDIR NAUTILUS_EXTENSION_DIR actions|no-actions" >&2
  exit 64
fi

meson=$1 build_root=$2 source_root=$3 prefix=$4
app_id=io.github.checkfirst.CheckFirst

destdir=$(mktemp -d "${TMPDIR:-/tmp}/check-first-install.XXXXXX") || exit 1
trap 'rm -rf "$destdir"' EXIT

# Where a meson folder option ends up under DESTDIR.
under_destdir () {
  case $1 in
    /*) printf '%s%s\n' "$destdir" "$1" ;;
    *) printf '%s%s/%s\n' "$destdir" "$prefix" "$1" ;;
  esac
}
bindir=$(under_destdir "$5")
datadir=$(under_destdir "$6")
mandir=$(under_destdir "$7")
localedir=$(under_destdir "$8")
libexecdir=$(under_destdir "$9")
nautilus_extension_dir=${10}
actions=${11}

# meson test builds only what the tests name, so let meson install build the rest (translations).
if ! "$meson" install --quiet --destdir "$destdir" -C "$build_root" >"$destdir.log" 2>&1; then
  cat "$destdir.log" >&2
  rm -f "$destdir.log"
  echo "not ok: meson install failed" >&2
  exit 1
fi
rm -f "$destdir.log"

expected="$bindir/check-first
$datadir/applications/$app_id.desktop
$datadir/metainfo/$app_id.metainfo.xml
$datadir/icons/hicolor/scalable/apps/$app_id.svg
$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg
$datadir/glib-2.0/schemas/$app_id.gschema.xml
$mandir/man1/check-first.1"

if [ -n "$nautilus_extension_dir" ]; then
  expected="$expected
$(under_destdir "$nautilus_extension_dir")/libcheck-first-nautilus.so"
fi
if [ "$actions" = actions ]; then
  expected="$expected
$libexecdir/check-first-check-files
$datadir/nemo/actions/$app_id.nemo_action
$datadir/kio/servicemenus/$app_id.desktop"
fi

for lang in $(sed -e 's/#.*//' "$source_root/po/LINGUAS"); do
  expected="$expected
$localedir/$lang/LC_MESSAGES/check-first.mo"
done

missing=0
old_ifs=$IFS
IFS='
'
for file in $expected; do
  shown=${file#"$destdir"}
  if [ -f "$file" ]; then
    echo "ok: $shown"
  else
    echo "not ok: $shown was not installed" >&2
    missing=$((missing + 1))
  fi
done
IFS=$old_ifs

if [ ! -x "$bindir/check-first" ]; then
  echo "not ok: check-first is not executable" >&2
  missing=$((missing + 1))
fi
if [ "$actions" = actions ] && [ ! -x "$libexecdir/check-first-check-files" ]; then
  echo "not ok: check-first-check-files is not executable" >&2
  missing=$((missing + 1))
fi

exit $((missing > 0))
