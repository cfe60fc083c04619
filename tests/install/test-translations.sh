#!/bin/bash
# test-translations.sh: checks each translation in po/LINGUAS: that msgfmt accepts it, that
# every message is translated and none is fuzzy, that it covers every message the sources
# have now, and that check-first --help really comes out in that language.
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-translations.sh SOURCE_ROOT BUILD_ROOT
#
# How --help is checked: the program binds its text domain to LOCALEDIR, a path compiled in
# from the prefix, where nothing may be installed yet. So the test compiles the catalogue
# from po/LANG.po and shows it to the build's own binary at exactly that path, inside a
# private user and mount namespace (unshare): the folder above is replaced there by a copy
# made of symbolic links to the real entries plus the fresh check-first.mo. Nothing outside
# the namespace changes. Where namespaces are not allowed, the test configures a scratch
# build of the same sources with its prefix in a temporary folder and runs that binary.
# The expected text comes from the same catalogue through gettext(1), and must differ from
# the English. The session language is set with LANGUAGE; glibc honours it only when
# LC_MESSAGES is not "C", so the test uses LANG=LANG_*.UTF-8 where such a locale exists and
# LC_ALL=C.UTF-8 otherwise.

set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 SOURCE_ROOT BUILD_ROOT" >&2
  exit 64
fi

source_root=$(cd "$1" && pwd -P) || exit 1
build_root=$(cd "$2" && pwd -P) || exit 1
domain=check-first
binary=$build_root/src/check-first

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-first-translations.XXXXXX") || exit 1
tmp=$(cd "$tmp" && pwd -P)
trap 'rm -rf "$tmp"' EXIT

failures=0
fail () {
  echo "not ok: $*" >&2
  failures=$((failures + 1))
}

# The flags of meson's i18n preset 'glib' (po/meson.build), as in mesonbuild/modules/i18n.py.
xgettext_flags=(
  --from-code=UTF-8 --add-comments
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format
  --flag=g_dngettext:2:pass-c-format
  --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format
  --flag=g_string_append_printf:2:c-format --flag=g_error_new:3:c-format
  --flag=g_set_error:4:c-format --flag=g_markup_printf_escaped:1:c-format
  --flag=g_log:3:c-format --flag=g_print:1:c-format --flag=g_printerr:1:c-format
  --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format
  --flag=g_snprintf:3:c-format
)

languages=$(sed -e 's/#.*//' "$source_root/po/LINGUAS" | tr -s ' \t' '\n\n' | sed -e '/^$/d')
if [ -z "$languages" ]; then
  echo "not ok: po/LINGUAS names no language" >&2
  exit 1
fi

# A fresh template from po/POTFILES.in, the way the check-first-pot target makes it.
pot=$tmp/$domain.pot
if ! (cd "$source_root" &&
      xgettext --package-name="$domain" -f po/POTFILES.in -D "$source_root" -k_ \
               -o "$pot" "${xgettext_flags[@]}") 2>"$tmp/xgettext.log"; then
  cat "$tmp/xgettext.log" >&2
  fail "xgettext could not make a template from po/POTFILES.in"
elif [ -s "$tmp/xgettext.log" ]; then
  # Warnings (a msgid cut short by a macro, say) are the sources' business, not the
  # translators': show them without failing.
  sed -e 's/^/# xgettext: /' "$tmp/xgettext.log"
fi

# Which locale lets gettext use LANGUAGE=$1: "VAR=VALUE" for env, or nothing.
locale_for () {
  local found
  found=$(locale -a 2>/dev/null | grep -i -E "^$1(_[A-Z]+)?\.utf-?8$" | head -n 1)
  if [ -n "$found" ]; then
    echo "LANG=$found"
  elif locale -a 2>/dev/null | grep -q -i -x -E 'C\.utf-?8'; then
    echo "LC_ALL=C.UTF-8"
  fi
}

# Runs the build's binary with --help so that it finds $2 as $1/<lang>/LC_MESSAGES/$domain.mo,
# where $1 is the LOCALEDIR compiled into it: in a private mount namespace, the deepest folder
# of that path that exists is covered by symbolic links to its own entries plus the missing
# part of the path. Prints the output; fails when a namespace cannot be made.
help_in_namespace () {
  local localedir=$1 mo=$2 lang=$3 setting=$4
  local want=$localedir/$lang/LC_MESSAGES
  local existing=$want rest= view=$tmp/view-$lang orig=$tmp/orig-$lang entry first

  command -v unshare >/dev/null 2>&1 || return 1
  while [ ! -d "$existing" ]; do
    rest=/$(basename "$existing")$rest
    existing=$(dirname "$existing")
  done
  existing=$(cd "$existing" && pwd -P) || return 1
  case $existing in
    /) return 1 ;;
  esac
  case $tmp/ in
    "$existing"/*) return 1 ;;
  esac

  mkdir -p "$view" "$orig" || return 1
  first=${rest#/}
  first=${first%%/*}
  while IFS= read -r entry; do
    [ -n "$entry" ] || continue
    [ -z "$rest" ] && [ "$entry" = "$domain.mo" ] && continue
    [ -n "$first" ] && [ "$entry" = "$first" ] && continue
    ln -s "$orig/$entry" "$view/$entry" || return 1
  done <<EOF
$(ls -A "$existing")
EOF
  mkdir -p "$view$rest" && cp "$mo" "$view$rest/$domain.mo" || return 1

  unshare --user --map-root-user --mount --propagation private \
    /bin/sh -c 'mount --bind "$1" "$2" && mount --bind "$3" "$1" || exit 111
                shift 3
                exec "$@"' sh "$existing" "$orig" "$view" \
    env -u LC_ALL -u LC_MESSAGES -u LANG -u LANGUAGE "$setting" LANGUAGE="$lang" \
    "$binary" --help
}

# The fallback: a scratch build of the same sources whose prefix is in $tmp.
scratch_binary=
scratch_localedir=
build_scratch () {
  local meson_prog
  [ -n "$scratch_binary" ] && return 0
  meson_prog=$(command -v meson) || return 1
  echo "# no namespace here: configuring a scratch build with its prefix in $tmp"
  "$meson_prog" setup --prefix "$tmp/prefix" "$tmp/build" "$source_root" >"$tmp/scratch.log" 2>&1 &&
    "$meson_prog" compile -C "$tmp/build" src/check-first:executable >>"$tmp/scratch.log" 2>&1 ||
    { cat "$tmp/scratch.log" >&2; return 1; }
  scratch_localedir=$(sed -n -e 's/^#define LOCALEDIR "\(.*\)"$/\1/p' "$tmp/build/config.h")
  scratch_binary=$tmp/build/src/check-first
  [ -n "$scratch_localedir" ] && [ -x "$scratch_binary" ]
}

localedir=$(sed -n -e 's/^#define LOCALEDIR "\(.*\)"$/\1/p' "$build_root/config.h" 2>/dev/null)
help_skipped=0

for lang in $languages; do
  po=$source_root/po/$lang.po
  if [ ! -f "$po" ]; then
    fail "po/LINGUAS names $lang, but po/$lang.po does not exist"
    continue
  fi

  # (a) msgfmt accepts it: format strings, plural forms, header. A warning counts as an error.
  mo_dir=$tmp/locale/$lang/LC_MESSAGES
  mkdir -p "$mo_dir"
  mo=$mo_dir/$domain.mo
  if ! msgfmt --check --statistics -o "$mo" "$po" 2>"$tmp/msgfmt.log"; then
    cat "$tmp/msgfmt.log" >&2
    fail "msgfmt --check rejects po/$lang.po"
    continue
  fi
  stats=$(grep -E 'translated message' "$tmp/msgfmt.log")
  if grep -v -E 'translated message' "$tmp/msgfmt.log" | grep -q .; then
    grep -v -E 'translated message' "$tmp/msgfmt.log" >&2
    fail "msgfmt --check warns about po/$lang.po"
  fi

  # (b) every message translated, none fuzzy.
  case $stats in
    *fuzzy* | *untranslated*)
      msgattrib --no-obsolete --only-fuzzy "$po" 2>/dev/null | grep -E '^#:|^msgid' | grep -v -x 'msgid ""' >&2
      msgattrib --no-obsolete --untranslated "$po" 2>/dev/null | grep -E '^#:|^msgid' | grep -v -x 'msgid ""' >&2
      fail "po/$lang.po is incomplete: $stats"
      ;;
    *)
      echo "ok: po/$lang.po passes msgfmt --check: $stats"
      ;;
  esac

  # (c) every message of a fresh template is translated in it.
  if [ -f "$pot" ]; then
    if msgcmp --no-fuzzy-matching "$po" "$pot" 2>"$tmp/msgcmp.log"; then
      echo "ok: po/$lang.po translates every message of a fresh template from po/POTFILES.in"
    else
      # Messages only the translation has (from files not yet in POTFILES.in) are no error.
      grep -v -e 'warning: this message is not used' "$tmp/msgcmp.log" >&2
      fail "po/$lang.po lacks messages the sources have now: run" \
           "ninja -C BUILD check-first-update-po and translate what it adds"
    fi
  fi

  # (d) check-first --help comes out in this language.
  setting=$(locale_for "$lang")
  if [ -z "$setting" ]; then
    echo "# no $lang UTF-8 locale and no C.UTF-8 here: cannot run --help in $lang"
    help_skipped=1
    continue
  fi

  # (e) German: the verdict reads "Gemeldet: 5 von 64 Engines", never the stuttering
  # "Gemeldet von 5 von 64 Engines" it once was.
  if [ "$lang" = de ]; then
    flagged=$(env -u LC_ALL -u LC_MESSAGES -u LANG -u LANGUAGE "$setting" LANGUAGE="$lang" \
                TEXTDOMAINDIR="$tmp/locale" ngettext -d "$domain" \
                "Flagged by %d of %d engine" "Flagged by %d of %d engines" 5)
    if [ "$flagged" = "Gemeldet: %d von %d Engines" ]; then
      echo "ok: po/de.po says “$flagged”"
    else
      fail "po/de.po says “$flagged” for “Flagged by %d of %d engines”, not “Gemeldet: %d von %d Engines”"
    fi
  fi

  # Three messages that --help shows: the summary, an option and the parameter string.
  msgids=("$(printf 'Check a file against VirusTotal before you open it.\n\nWith FILE arguments and no command, the window checks each file and then opens it or blocks it.')"
          "Print the version and exit"
          "[FILE…]")
  english_lines=()
  expected_lines=()
  for msgid in "${msgids[@]}"; do
    translated=$(env -u LC_ALL -u LC_MESSAGES -u LANG -u LANGUAGE "$setting" LANGUAGE="$lang" \
                   TEXTDOMAINDIR="$tmp/locale" gettext -d "$domain" "$msgid")
    english_lines+=("${msgid%%$'\n'*}")
    expected_lines+=("${translated%%$'\n'*}")
    if [ "${translated%%$'\n'*}" = "${msgid%%$'\n'*}" ]; then
      fail "po/$lang.po does not translate “${msgid%%$'\n'*}”, or gettext cannot use the catalogue"
    fi
  done

  output=
  how=
  if [ -n "$localedir" ] && [ -x "$binary" ]; then
    if output=$(help_in_namespace "$localedir" "$mo" "$lang" "$setting" 2>"$tmp/help.log"); then
      how="the build's binary, with $lang/LC_MESSAGES/$domain.mo shown at $localedir in a namespace"
    else
      output=
    fi
  elif [ ! -x "$binary" ]; then
    fail "$binary has not been built"
    continue
  fi
  if [ -z "$how" ]; then
    if build_scratch; then
      mkdir -p "$scratch_localedir/$lang/LC_MESSAGES" &&
        cp "$mo" "$scratch_localedir/$lang/LC_MESSAGES/$domain.mo"
      if output=$(env -u LC_ALL -u LC_MESSAGES -u LANG -u LANGUAGE "$setting" LANGUAGE="$lang" \
                    "$scratch_binary" --help 2>"$tmp/help.log"); then
        how="a scratch build with LOCALEDIR=$scratch_localedir"
      else
        cat "$tmp/help.log" >&2
        fail "check-first --help failed in the scratch build"
        continue
      fi
    else
      fail "could not run check-first --help against po/$lang.po: no namespace and no scratch build"
      continue
    fi
  fi

  missing=0
  for i in "${!english_lines[@]}"; do
    if ! printf '%s\n' "$output" | grep -q -F -e "${expected_lines[$i]}"; then
      fail "check-first --help in $lang lacks “${expected_lines[$i]}”"
      missing=1
    fi
    if printf '%s\n' "$output" | grep -q -F -e "${english_lines[$i]}"; then
      fail "check-first --help in $lang still shows “${english_lines[$i]}”"
      missing=1
    fi
  done
  if [ $missing -ne 0 ]; then
    printf '%s\n' "$output" | sed -e 's/^/# /' >&2
  else
    echo "ok: check-first --help speaks $lang ($setting LANGUAGE=$lang; $how):" \
         "“${expected_lines[0]}”"
  fi
done

if [ $failures -gt 0 ]; then
  exit 1
fi
if [ $help_skipped -ne 0 ]; then
  echo "# --help could not be run in every language: that is a failure, not a pass" >&2
  exit 1
fi
exit 0
