# packaged.sh: run-bench's part on the packaged pre-filter (sourced by tests/bench/run-bench)
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Two questions, each against a reference measured in the same run:
#
# - What does a process audit of this machine cost with an empty cache?
#   `--processes` with the pre-filter (the default) against the same audit
#   with --no-skip-packaged, alternately, each with a fresh data folder, the
#   requests counted by the fake server.  Target: at least 90 % fewer.
# - What does reading the dpkg database into the pre-filter's index cost?
#   tests/bench/dpkg-index loads it once, against `dpkg-query --search`,
#   which reads the same file lists; both with the files in the page cache
#   and with them dropped from it first (posix_fadvise, only these files).
#
# Like every part of run-bench, each figure is a ratio taken pair by pair,
# the median with the smallest and the largest.  It uses run-bench's functions
# and variables: say, note, row, calc, fmt, median, measure, bench (stat),
# start_fake, stop_fake, $T, $app, $build, $reps, $python; it adds rows
# starting with "P." and notes to the table.
# shellcheck shell=bash disable=SC2154

bench_packaged () {
  local dpkg_index=$build/tests/bench/dpkg-index
  local base pid i mode temperature before after ours theirs

  say "[P] the packaged pre-filter"
  # The machine's own package database, which the rest of run-bench hides
  # (CHECK_FIRST_DPKG_ADMINDIR) so that every file there is looked up.
  local hidden_admindir=${CHECK_FIRST_DPKG_ADMINDIR-}
  unset CHECK_FIRST_DPKG_ADMINDIR
  if [ ! -x "$dpkg_index" ]; then
    note "P. Not measured: no $dpkg_index in the build."
    return
  fi

  # The audit: nothing is registered, so every program looked up is unknown (404).
  start_fake packaged
  pid=$fake_pid
  base=$fake_base
  : >"$T/samples/packaged-with.requests"
  : >"$T/samples/packaged-without.requests"
  for i in $(seq "$reps"); do
    for mode in with without; do
      local options=()
      [ "$mode" = without ] && options=(--no-skip-packaged)
      before=$(bench stat "$base" requests)
      CHECK_FIRST_API_URL=$base/api/v3 XDG_DATA_HOME=$T/data-packaged-$mode-$i \
        measure "packaged-$mode" --stdout "$T/logs/packaged-$mode-$i.json" -- \
        "$app" --processes --json --rate=0 "${options[@]}"
      after=$(bench stat "$base" requests)
      echo $((after - before)) >>"$T/samples/packaged-$mode.requests"
    done
  done
  stop_fake "$pid"

  if ! grep -qx 0 "$T/samples/packaged-without.requests"; then
    row "P. --processes, cold cache: requests" 0 packaged-with.requests x packaged-without.requests x \
      "without the pre-filter" a/b "<= 0.10"
  else
    row "P. --processes, cold cache: requests" 0 packaged-none x packaged-none x \
      "without the pre-filter (an audit sent none)" a/b "<= 0.10"
  fi
  # What the last audit with the pre-filter saw: which programs packages vouched for, and
  # where the ones it looked up live.
  note "P. Audit requests, with / without the pre-filter, each run: $(tr '\n' ' ' <"$T/samples/packaged-with.requests")/" \
    "$(tr '\n' ' ' <"$T/samples/packaged-without.requests"); --rate=0 so that nothing waits (at the free" \
    "key's 4 a minute the count is the same). Last audit: $("$python" - "$T/logs/packaged-with-$reps.json" <<'PYTHON'
import collections
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
packaged = [r for r in rows if r.get('packaged') == 'unmodified' and r.get('source') == 'package']
looked_up = [r for r in rows if r.get('source') == 'api']
places = collections.Counter()
for r in looked_up:
    path = r.get('path') or ''
    parts = path.split('/')
    places['/'.join(parts[:2]) + ('/…' if len(parts) > 2 else '') if path.startswith('/') else path] += 1
print(f"{len(rows)} programs, {len(packaged)} from Debian packages (not looked up), "
      f"{len(looked_up)} looked up ({', '.join(f'{n} in {p}' for p, n in places.most_common())}).")
PYTHON
)"

  # The index: cold (these files dropped from the page cache), then warm.
  for i in $(seq "$reps"); do
    "$dpkg_index" --evict >"$T/logs/dpkg-evict.txt" 2>&1
    measure dpkg-index-cold --stdout "$T/logs/dpkg-index-cold-$i.txt" -- "$dpkg_index"
    "$dpkg_index" --evict >/dev/null 2>&1
    measure dpkg-query-cold -- dpkg-query --search /usr/bin/dpkg
    measure dpkg-index-warm --stdout "$T/logs/dpkg-index-warm-$i.txt" -- "$dpkg_index"
    measure dpkg-query-warm -- dpkg-query --search /usr/bin/dpkg
  done
  for temperature in warm cold; do
    row "P. dpkg index: load, $temperature (s)" 3 "dpkg-index-$temperature" w "dpkg-query-$temperature" w \
      "dpkg-query -S" a/b info
  done
  # Peak memory through GNU time (measure --rss), which forks: wait4's figure for a
  # child started from run-bench's Python program includes that program's own memory.
  for i in $(seq "$reps"); do
    measure dpkg-index-rss --rss -- "$dpkg_index"
    measure dpkg-query-rss --rss -- dpkg-query --search /usr/bin/dpkg
    measure dpkg-none-rss --rss -- "$dpkg_index" --no-load
  done
  row "P. dpkg index: peak RSS (MiB)" 1 dpkg-index-rss "k / 1024" dpkg-query-rss "k / 1024" "dpkg-query -S" a/b info
  note "P. Peak RSS of dpkg-index without loading the index: $(fmt "$(median dpkg-none-rss "k / 1024")" 1f) MiB."
  local held read_bytes
  read_bytes=$(sed -n 's/.* database_bytes \([0-9]*\)$/\1/p' "$T/logs/dpkg-evict.txt")
  held=$(sed -n 's/.* index_bytes \([0-9]*\) .*/\1/p' "$T/logs/dpkg-index-warm-1.txt")
  note "P. The index holds $(sed -n 's/^files \([0-9]*\) packages \([0-9]*\) .*/\1 files of \2 packages/p' \
    "$T/logs/dpkg-index-warm-1.txt") in $(fmt "$(calc "${held:-0} / 1048576")" 1f) MiB, read from" \
    "$(sed -n 's/^database_files \([0-9]*\) .*/\1/p' "$T/logs/dpkg-evict.txt") files of" \
    "$(fmt "$(calc "${read_bytes:-0} / 1048576")" 1f) MiB." \
    "Load time inside the program (medians, s): warm $(sed -n 's/.* load_seconds //p' "$T"/logs/dpkg-index-warm-*.txt |
      "$python" -c 'import statistics,sys; print(f"{statistics.median(float(l) for l in sys.stdin):.3f}")')," \
    "cold $(sed -n 's/.* load_seconds //p' "$T"/logs/dpkg-index-cold-*.txt |
      "$python" -c 'import statistics,sys; print(f"{statistics.median(float(l) for l in sys.stdin):.3f}")')." \
    "dpkg-query -S reads the status and every *.list; the index also reads every *.md5sums" \
    "and resolves the folders' symbolic links."
  if [ -n "$hidden_admindir" ]; then
    export CHECK_FIRST_DPKG_ADMINDIR=$hidden_admindir
  fi
}
