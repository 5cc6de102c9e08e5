#!/usr/bin/env bash
# The speed benchmark: mnepack side by side with the tools people use today,
# on one generated data set, same disk, warm cache, repeated runs, medians.
#
#   benches/run.sh [MINUTES=20] [REF_MB=1024] [RUNS=3]
#
# Default data set: a 20-minute 5.1 48k/24 M&E and print master, two mono
# optionals and a 1 GiB stand-in reference movie (about 3.3 GB). It lives in
# target/bench (BENCH_DIR to move it) and is reused while its size is the same.
# MNEPACK=/path/to/mnepack measures another build (e.g. an older one) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
MIN=${1:-20}; REF=${2:-1024}; RUNS=${3:-3}
WORK=$(realpath -m "${BENCH_DIR:-target/bench}")

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo build --release --locked --bin mnepack --example bench_data 2>&1 | tail -n 1
BIN=${MNEPACK:-$PWD/target/release/mnepack}

if [ "$(cat "$WORK/params" 2>/dev/null)" != "$MIN $REF" ]; then
  rm -rf "$WORK"; mkdir -p "$WORK"
  echo "generating the data set ($MIN min, $REF MiB reference) in $WORK"
  target/release/examples/bench_data "$WORK" "$MIN" "$REF"
  echo "$MIN $REF" > "$WORK/params"
fi
# A job with the M&E alone, for `check` against ffmpeg on the same file.
sed -n '1,/^sources:/p' "$WORK/job.yaml" > "$WORK/job_me.yaml"
echo "  mne: stage/me_51.wav" >> "$WORK/job_me.yaml"
# 1,000 small files for the probe target.
if [ ! -d "$WORK/many" ]; then
  mkdir -p "$WORK/many"
  "$BIN" demo "$WORK/small" >/dev/null
  for i in $(seq -w 1 1000); do cp "$WORK/small/stage/NT_DX_guide_mono.wav" "$WORK/many/f$i.wav"; done
fi

JOB=$WORK/job.yaml
ROOT=$WORK/out/bench_lp_delivery01
SRC=$(ls "$WORK"/stage/* | tr "\n" " ")
BYTES=$(cat $SRC | wc -c)
clean="rm -rf $WORK/out $WORK/cp; mkdir -p $WORK/cp; cat $SRC > /dev/null"
res=$WORK/results; mkdir -p "$res"
hf() { hyperfine --style basic --runs "$RUNS" --warmup 1 "$@"; }

hf --prepare "$clean" --export-json "$res/write.json" \
  -n cp "cp $SRC $WORK/cp/" \
  -n cp_sha256sum "cp $SRC $WORK/cp/ && sha256sum $WORK/cp/* > /dev/null" \
  -n pack_copy "$BIN pack --quiet --link copy --no-verify $JOB" \
  -n pack_copy_verify "$BIN pack --quiet --link copy $JOB" \
  -n pack_hardlink "$BIN pack --quiet --link hardlink --no-verify $JOB"
hf --export-json "$res/read.json" \
  -n openssl "openssl dgst -sha256 $SRC > /dev/null" \
  -n ffmpeg_ebur128 "ffmpeg -nostats -hide_banner -i $WORK/stage/me_51.wav -af ebur128=peak=true -f null - 2> /dev/null" \
  -n check_me "$BIN check --quiet --json $WORK/job_me.yaml > /dev/null" \
  -n probe_1000 "$BIN probe --json $WORK/many/*.wav > /dev/null"
rm -rf "$WORK/out"; "$BIN" pack --quiet --link copy --no-verify "$JOB" > /dev/null
hf --export-json "$res/verify.json" -n verify "$BIN verify --quiet $ROOT > /dev/null"

# Peak memory: the whole pack, and the pack of a job ten times smaller.
rm -rf "$WORK/out"
/usr/bin/time -v "$BIN" pack --quiet --link copy "$JOB" 2> "$res/time_pack.txt" > /dev/null
/usr/bin/time -v "$BIN" check --quiet "$WORK/job_me.yaml" 2> "$res/time_check.txt" > /dev/null || true
# Same true peak? ffmpeg's summary against check's JSON.
ffmpeg -nostats -hide_banner -i "$WORK/stage/me_51.wav" -af ebur128=peak=true -f null - 2> "$res/ffmpeg.txt" || true
"$BIN" check --quiet --json "$WORK/job_me.yaml" > "$res/check.json" || true

python3 benches/report.py "$res" "$BYTES" "$(stat -c %s "$WORK/stage/me_51.wav")" "$MIN"
