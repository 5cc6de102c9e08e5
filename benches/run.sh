#!/usr/bin/env bash
# The speed benchmark: mnepack side by side with the tools people use today,
# on one generated data set, same disk, repeated runs (hyperfine), medians.
#
#   benches/run.sh [MINUTES=20] [REF_MB=1024] [RUNS=3]
#
# Default data set: a 20-minute 5.1 48k/24 M&E and print master, two mono
# optionals and a 1 GiB stand-in reference movie (about 3.3 GB). It lives in
# $CARGO_TARGET_DIR/bench (BENCH_DIR to move it) and is reused while its size
# is the same. MNEPACK=/path/to/mnepack measures another build instead.
# BENCH_NOTE="..." is recorded with the results (e.g. what else ran).
#
# Every figure lands in one JSON file, benches/results/<date>-<rev>.json
# (BENCH_RESULTS to write elsewhere): the revision, the machine, the data
# set, each command's times, the ratios, peak memory and the true-peak
# agreement with ffmpeg. `benches/report.py FILE.json` prints its tables.
#
# Both sides of each comparison start from the same cache state and do the
# same durable work: the sources are in the page cache, nothing is dirty,
# `cp` and `rsync` are followed by `sync` of the copies (pack fsyncs its
# files and folders), and `cp` + digests
# drops the copies' cached pages before reading them back (as pack does).
set -euo pipefail
cd "$(dirname "$0")/.."
MIN=${1:-20}; REF=${2:-1024}; RUNS=${3:-3}
TARGET=$(realpath -m "${CARGO_TARGET_DIR:-target}")
WORK=$(realpath -m "${BENCH_DIR:-$TARGET/bench}")
RESULTS=$(realpath -m "${BENCH_RESULTS:-benches/results}")

# The revision measured, taken before anything runs; benches/results does
# not count as a change.
REV=$(git rev-parse HEAD)
DIRTY=false
[ -z "$(git status --porcelain -- . ':(exclude)benches/results')" ] || DIRTY=true
res=$WORK/results
. benches/lib.sh
needs hyperfine:hyperfine ffmpeg:ffmpeg rsync:rsync xxhsum:xxhash openssl:openssl python3:python3 /usr/bin/time:time
build "$TARGET"
BIN=$(realpath "${MNEPACK:-$TARGET/release/mnepack}")

if [ "$(cat "$WORK/params" 2>/dev/null)" != "$MIN $REF" ]; then
  rm -rf "$WORK"; mkdir -p "$WORK"
  echo "generating the data set ($MIN min, $REF MiB reference) in $WORK"
  "$TARGET/release/examples/bench_data" "$WORK" "$MIN" "$REF"
  echo "$MIN $REF" > "$WORK/params"
fi
rm -rf "$res"; mkdir -p "$res"
load start
# A job with the M&E alone, for `check` against ffmpeg on the same file.
sed -n '1,/^sources:/p' "$WORK/job.yaml" > "$WORK/job_me.yaml"
echo "  mne: stage/me_51.wav" >> "$WORK/job_me.yaml"
# 1,000 small files for the probe target.
if [ ! -d "$WORK/many" ]; then
  mkdir -p "$WORK/many"
  "$BIN" demo "$WORK/small" >/dev/null
  for i in $(seq -w 1 1000); do cp "$WORK/small/stage/NT_DX_guide_mono.wav" "$WORK/many/f$i.wav"; done
fi

q() { printf '%q' "$1"; }
JOB=$(q "$WORK/job.yaml"); JOB_ME=$(q "$WORK/job_me.yaml"); ME=$(q "$WORK/stage/me_51.wav")
W=$(q "$WORK"); B=$(q "$BIN")
ROOT=$WORK/out/bench_lp_delivery01
SRCS=("$WORK"/stage/*)
SRC=$(printf '%q ' "${SRCS[@]}")
# group NAME PREPARE NAME CMD [NAME CMD]...: one hyperfine run, its commands
# recorded (name, tab, shell command) for the result file.
group() {
  local g=$1 prep=$2 args=(); shift 2
  load "$g"
  [ -z "$prep" ] || { args+=(--prepare "$prep"); printf 'prepare:%s\t%s\n' "$g" "$prep" >> "$res/commands.tsv"; }
  while [ $# -gt 0 ]; do
    args+=(-n "$1" "$2"); printf '%s\t%s\n' "$1" "$2" >> "$res/commands.tsv"; shift 2
  done
  hyperfine --style basic --runs "$RUNS" --warmup 1 --export-json "$res/$g.json" "${args[@]}"
}

# Writes: nothing dirty and the sources cached before each run. `sync` of
# the copies and their folder is what pack's fsyncs do, and leaves out what
# other processes write meanwhile.
sync_copies="sync $W/cp/* $W/cp"
drop_copies="for f in $W/cp/*; do dd if=\"\$f\" iflag=nocache count=0 status=none; done"
group write "rm -rf $W/out $W/cp && mkdir -p $W/cp && sync && cat $SRC > /dev/null" \
  cp_sync "cp $SRC $W/cp/ && $sync_copies" \
  rsync_sync "rsync -a $SRC $W/cp/ && $sync_copies" \
  pack_copy "$B pack --quiet --link copy --no-verify $JOB > /dev/null" \
  cp_sync_readback "cp $SRC $W/cp/ && $sync_copies && $drop_copies && sha256sum $W/cp/* > /dev/null && xxhsum -H64 $W/cp/* > /dev/null" \
  pack_copy_verify "$B pack --quiet --link copy $JOB > /dev/null" \
  pack_hardlink "$B pack --quiet --link hardlink --no-verify $JOB > /dev/null"

# Reads: a delivery to verify, then the sources and the delivery cached.
rm -rf "$WORK/out" "$WORK/cp"; "$BIN" pack --quiet --link copy --no-verify "$WORK/job.yaml" > /dev/null
mapfile -d '' -t delivered < <(find "$ROOT" -type f -print0)
DELIVERED=$(printf '%q ' "${delivered[@]}")
group read "cat $SRC $DELIVERED > /dev/null" \
  openssl_sha256 "openssl dgst -sha256 $SRC > /dev/null" \
  sha256sum_xxhsum "sha256sum $SRC > /dev/null && xxhsum -H64 $SRC > /dev/null" \
  verify "$B verify --quiet $(q "$ROOT") > /dev/null" \
  ffmpeg_ebur128 "ffmpeg -nostats -hide_banner -i $ME -af ebur128=peak=true -f null - 2> /dev/null" \
  check_me "$B check --quiet --json $JOB_ME > /dev/null"
group probe "" probe_1000 "$B probe --json $W/many/*.wav > /dev/null"

# Peak memory: a whole pack with read-back, and the check of the M&E.
load memory
rm -rf "$WORK/out"
/usr/bin/time -v "$BIN" pack --quiet --link copy "$WORK/job.yaml" 2> "$res/time_pack.txt" > /dev/null
/usr/bin/time -v "$BIN" check --quiet "$WORK/job_me.yaml" 2> "$res/time_check.txt" > /dev/null || true
# Same true peak? ffmpeg's last per-channel metadata against check's JSON.
ffmpeg -nostats -hide_banner -i "$WORK/stage/me_51.wav" \
  -af "ebur128=peak=true:metadata=1,ametadata=mode=print:file=$res/ffmpeg_meta.txt" -f null - 2> /dev/null
"$BIN" check --quiet --json "$WORK/job_me.yaml" > "$res/check.json" || true
load end

mkdir -p "$RESULTS"
out=$RESULTS/$(date -u +%Y-%m-%d)-$(git rev-parse --short HEAD)
n=1; file=$out.json
while [ -e "$file" ]; do n=$((n + 1)); file=$out-$n.json; done
python3 benches/report.py collect "$res" --out "$file" \
  --rev "$REV" --dirty "$DIRTY" --binary "$BIN" --work "$WORK" \
  --minutes "$MIN" --ref-mb "$REF" --runs "$RUNS" --note "${BENCH_NOTE:-}" \
  --me "$WORK/stage/me_51.wav" --probe-files 1000 -- "${SRCS[@]}"
