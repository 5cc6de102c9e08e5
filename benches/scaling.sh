#!/usr/bin/env bash
# How mnepack's cost grows with the programme's length: the same kind of
# data set (a 5.1 48k/24 M&E and print master, two mono optionals, a small
# stand-in movie) at several lengths, and at each length, alternating, in
# one run: `cp` + `sync` of the sources, `pack --link copy --no-verify`,
# and `check` of the job, each with its wall time and peak memory
# (/usr/bin/time). Linear in bytes means the same seconds per GB at every
# length; flat memory means the same peak RSS.
#
#   benches/scaling.sh [MINUTES...]        (default: 5 20 80)
#
# RUNS=2 runs each command that many times per length (the median is
# kept). The data sets live in $CARGO_TARGET_DIR/bench-scaling/<minutes>
# (BENCH_DIR to move them; 80 minutes is about 9.7 GB, and its copies as
# much again) and are reused. The figures land in
# benches/results/<date>-<rev>-scaling.json; `benches/scaling.py FILE`
# prints its table.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(5 20 80)
RUNS=${RUNS:-2}
TARGET=$(realpath -m "${CARGO_TARGET_DIR:-target}")
WORK=$(realpath -m "${BENCH_DIR:-$TARGET/bench-scaling}")
RESULTS=$(realpath -m "${BENCH_RESULTS:-benches/results}")
REV=$(git rev-parse HEAD)
DIRTY=false
[ -z "$(git status --porcelain -- . ':(exclude)benches/results')" ] || DIRTY=true

. benches/lib.sh
needs python3:python3 /usr/bin/time:time
build "$TARGET"
BIN=$(realpath "${MNEPACK:-$TARGET/release/mnepack}")

res=$WORK/results
rm -rf "$res"; mkdir -p "$res"
load start
# timed SIZE NAME RUN CMD...: one run under /usr/bin/time, its line in
# times.tsv (size, name, run, seconds, peak RSS in KiB).
timed() {
  local size=$1 name=$2 run=$3; shift 3
  /usr/bin/time -f '%e %M' -o "$res/t" "$@" > /dev/null 2> "$res/err" || {
    echo "failed: $*" >&2; cat "$res/err" >&2; exit 1; }
  read -r secs kib < "$res/t"
  printf '%s\t%s\t%s\t%s\t%s\n' "$size" "$name" "$run" "$secs" "$kib" >> "$res/times.tsv"
}
for min in "${SIZES[@]}"; do
  d=$WORK/$min
  if [ "$(cat "$d/params" 2>/dev/null)" != "$min 64" ]; then
    rm -rf "$d"; mkdir -p "$d"
    echo "generating $min minutes in $d"
    "$TARGET/release/examples/bench_data" "$d" "$min" 64 > /dev/null
    echo "$min 64" > "$d/params"
  fi
  srcs=("$d"/stage/*)
  printf '%s\t%s\n' "$min" "$(cat "${srcs[@]}" | wc -c)" >> "$res/bytes.tsv"
  load "$min"
  for run in $(seq 1 "$RUNS"); do
    # The same state before each: sources cached, no copies, nothing dirty.
    rm -rf "$d/out" "$d/cp"; mkdir -p "$d/cp"; sync; cat "${srcs[@]}" > /dev/null
    timed "$min" cp_sync "$run" bash -c 'cp "$@" "$0"/ && sync "$0"/* "$0"' "$d/cp" "${srcs[@]}"
    rm -rf "$d/out" "$d/cp"; sync; cat "${srcs[@]}" > /dev/null
    timed "$min" pack_copy "$run" "$BIN" pack --quiet --link copy --no-verify "$d/job.yaml"
    rm -rf "$d/out"; sync; cat "${srcs[@]}" > /dev/null
    timed "$min" check "$run" "$BIN" check --quiet "$d/job.yaml"
  done
  rm -rf "$d/out" "$d/cp"
  echo "$min minutes done"
done

load end
mkdir -p "$RESULTS"
out=$RESULTS/$(date -u +%Y-%m-%d)-$(git rev-parse --short HEAD)-scaling
n=1; file=$out.json
while [ -e "$file" ]; do n=$((n + 1)); file=$out-$n.json; done
python3 benches/scaling.py collect "$res" --out "$file" --rev "$REV" --dirty "$DIRTY" \
  --binary "$BIN" --runs "$RUNS" --note "${BENCH_NOTE:-}"
