#!/usr/bin/env bash
# What the conform analysis (spec B5) costs `check`: on one generated,
# conformed session (examples/conform_session.rs: a 5.1 M&E, a 5.1
# optional A, a mono dialogue guide and the 5.1 print master that is their
# sum, 48k/24), the wall time and peak memory (/usr/bin/time) of
#   check_conform     `mnepack check --quiet JOB` (conform on: the profile's default)
#   check_no_conform  the same with a profile whose `qc:` has `conform: false`
#   ffmpeg_ebur128    `ffmpeg -nostats -i FILE -filter_complex ebur128=peak=true
#                     -f null -` over the same WAV files, one after another
# after one warm-up run of each (the sources in the page cache for all),
# then RUNS runs of each, alternating (ffmpeg first, the two checks
# taking turns at going next); the best (shortest) run counts.
# Then the peak memory of `check` (conform on and off) on a LONG-minute
# session whose sample data are holes (`--sparse`: silent, no disk used).
#
#   benches/conform.sh [MINUTES] [LONG]     (default: 20 120)
#
# RUNS=3 by default. The sessions are made in $CARGO_TARGET_DIR/bench-conform
# (BENCH_DIR to move it; 20 minutes is 3.3 GB) and removed at the end
# (KEEP=1 keeps them). The figures land in
# benches/results/<date>-<rev>-conform.json; `benches/conform.py FILE` prints
# its tables. Targets: conform adds at most 30 % to check, check stays at
# least 5x faster than ffmpeg's ebur128, peak RSS under 64 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-20}
LONG=${2:-120}
RUNS=${RUNS:-3}
TARGET=$(realpath -m "${CARGO_TARGET_DIR:-target}")
WORK=$(realpath -m "${BENCH_DIR:-$TARGET/bench-conform}")
RESULTS=$(realpath -m "${BENCH_RESULTS:-benches/results}")
REV=$(git rev-parse HEAD)
DIRTY=false
[ -z "$(git status --porcelain -- . ':(exclude)benches/results')" ] || DIRTY=true

. benches/lib.sh
needs python3:python3 /usr/bin/time:time ffmpeg:ffmpeg
build "$TARGET" conform_session
BIN=$(realpath "${MNEPACK:-$TARGET/release/mnepack}")
GEN=$TARGET/release/examples/conform_session

mkdir -p "$WORK"
# 19 channels of 3 bytes at 48 kHz: 164 MB a minute, and 10 % to spare.
need_kb=$((MINUTES * 60 * 48000 * 19 * 3 / 1024 * 11 / 10))
free_kb=$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')
if [ "$free_kb" -lt "$need_kb" ]; then
  echo "not enough space in $WORK: $((free_kb / 1048576)) GiB free, $((need_kb / 1048576)) GiB needed" >&2
  exit 1
fi
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$WORK/session" "$WORK/sparse"; }
trap cleanup EXIT

res=$WORK/results
rm -rf "$res" "$WORK/session" "$WORK/sparse"; mkdir -p "$res"
load start
# The profile with the conform analysis off: the built-in one, `conform:
# false` first in `qc:`.
awk '{ print } /^qc:/ { print "  conform: false" }' config/netflix.yaml > "$res/no-conform.yaml"
grep -q '^  conform: false' "$res/no-conform.yaml"

# timed SET NAME RUN CMD...: one run under /usr/bin/time, its line in
# times.tsv (set, name, run, seconds, peak RSS in KiB). OK_RC=1 also
# accepts exit code 1 (check's "QC found errors").
timed() {
  local set=$1 name=$2 run=$3 rc=0; shift 3
  /usr/bin/time -f '%e %M' -o "$res/t" "$@" > /dev/null 2> "$res/err" || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne "${OK_RC:-0}" ]; then
    echo "failed ($rc): $*" >&2; cat "$res/err" >&2; exit 1
  fi
  # (time writes "Command exited with non-zero status N" first then.)
  read -r secs kib < <(tail -n 1 "$res/t")
  printf '%s\t%s\t%s\t%s\t%s\n' "$set" "$name" "$run" "$secs" "$kib" >> "$res/times.tsv"
}

echo "generating $MINUTES minutes in $WORK/session"
"$GEN" "$WORK/session" --minutes "$MINUTES" > /dev/null
job=$WORK/session/job.yaml
wavs=("$WORK"/session/stage/*.wav)
printf 'session\t%s\t%s\t%s\n' "$MINUTES" "${#wavs[@]}" "$(cat "${wavs[@]}" | wc -c)" >> "$res/sets.tsv"
# What check finds with conform on (the session must be conformed).
"$BIN" check --json "$job" > "$res/check.json" 2> /dev/null || true
ffmpeg_all='for f in "$@"; do ffmpeg -nostats -i "$f" -filter_complex ebur128=peak=true -f null - || exit 1; done'
{
  printf 'check_conform\t%s check --quiet JOB\n' "$BIN"
  printf 'check_no_conform\t%s check --quiet --profile NO_CONFORM.yaml JOB\n' "$BIN"
  printf 'ffmpeg_ebur128\tfor f in WAVS; do ffmpeg -nostats -i "$f" -filter_complex ebur128=peak=true -f null -; done\n'
} > "$res/commands.tsv"

load session
sync
with_conform() { timed session check_conform "$1" "$BIN" check --quiet "$job"; }
without_conform() { timed session check_no_conform "$1" "$BIN" check --quiet --profile "$res/no-conform.yaml" "$job"; }
for run in $(seq 0 "$RUNS"); do # run 0: the warm-up, not kept
  timed session ffmpeg_ebur128 "$run" bash -c "$ffmpeg_all" ffmpeg "${wavs[@]}"
  # The two checks take turns at going first (after ffmpeg's long run).
  if [ $((run % 2)) -eq 0 ]; then
    with_conform "$run"; without_conform "$run"
  else
    without_conform "$run"; with_conform "$run"
  fi
  echo "run $run of $RUNS done"
done
rm -rf "$WORK/session"

echo "generating $LONG minutes, sparse, in $WORK/sparse"
"$GEN" "$WORK/sparse" --minutes "$LONG" --sparse > /dev/null
swavs=("$WORK"/sparse/stage/*.wav)
printf 'sparse\t%s\t%s\t%s\n' "$LONG" "${#swavs[@]}" "$(stat -c %s "${swavs[@]}" | awk '{ s += $1 } END { printf "%.0f\n", s }')" >> "$res/sets.tsv"
load sparse
# Silent files: check finds QC errors (silent_file) and exits 1.
OK_RC=1 timed sparse check_conform 1 "$BIN" check --quiet "$WORK/sparse/job.yaml"
OK_RC=1 timed sparse check_no_conform 1 "$BIN" check --quiet --profile "$res/no-conform.yaml" "$WORK/sparse/job.yaml"
rm -rf "$WORK/sparse"

load end
mkdir -p "$RESULTS"
out=$RESULTS/$(date -u +%Y-%m-%d)-$(git rev-parse --short HEAD)-conform
n=1; file=$out.json
while [ -e "$file" ]; do n=$((n + 1)); file=$out-$n.json; done
python3 benches/conform.py collect "$res" --out "$file" --rev "$REV" --dirty "$DIRTY" \
  --binary "$BIN" --runs "$RUNS" --note "${BENCH_NOTE:-}"
