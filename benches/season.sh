#!/usr/bin/env bash
# A season in one run against its episodes one by one: ten small episodes
# (each the demo stage: a movie, a 5.1 M&E and print master, two 5.1
# optionals and a guide, about 70 MB), packed, alternating in one run:
#   one_by_one   `mnepack pack epNN/job.yaml` ten times, one process each
#   season       `mnepack pack season.yaml`
#   job_list     `mnepack pack ep*/job.yaml`
# each into an emptied output folder, with the sources in the page cache.
# The target: the season costs no more than 1.1x the ten runs.
#
#   benches/season.sh [EPISODES]        (default: 10)
#
# RUNS=5 runs each that many times (medians kept). The data lives in
# $CARGO_TARGET_DIR/bench-season (BENCH_DIR to move it). The figures land
# in benches/results/<date>-<rev>-season.json, and the table is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
EPISODES=${1:-10}
RUNS=${RUNS:-5}
TARGET=$(realpath -m "${CARGO_TARGET_DIR:-target}")
WORK=$(realpath -m "${BENCH_DIR:-$TARGET/bench-season}")
RESULTS=$(realpath -m "${BENCH_RESULTS:-benches/results}")
REV=$(git rev-parse HEAD)
DIRTY=false
[ -z "$(git status --porcelain -- . ':(exclude)benches/results')" ] || DIRTY=true

. benches/lib.sh
needs python3:python3
build "$TARGET" >/dev/null
BIN=$(realpath "${MNEPACK:-$TARGET/release/mnepack}")

rm -rf "$WORK"; mkdir -p "$WORK"
res=$WORK/results; mkdir -p "$res"
{
  printf 'title: Night Train\nframe_rate: 23.976\nlanguage: en\noutput: out\nepisodes:\n'
} > "$WORK/season.yaml"
for n in $(seq -w 1 "$EPISODES"); do
  "$BIN" demo "$WORK/ep$n" >/dev/null
  # The demo's job, as episode n, delivering into the shared folder.
  sed -i -e "s/^unit: lp /unit: s01e$n /" -e "s|^output: deliveries |output: ../out |" "$WORK/ep$n/job.yaml"
  grep -q "^unit: s01e$n" "$WORK/ep$n/job.yaml"
  {
    printf '  - unit: s01e%s\n    sources:\n' "$n"
    sed -n '/^sources:/,$p' "$WORK/ep$n/job.yaml" | tail -n +2 | sed -e "s|stage/|ep$n/stage/|g" -e 's/^/    /'
  } >> "$WORK/season.yaml"
done
cat "$WORK"/ep*/stage/* > /dev/null
bytes=$(du -cb "$WORK"/ep*/stage | tail -n 1 | cut -f1)

load start
one_by_one() { local j; for j in "$WORK"/ep*/job.yaml; do "$BIN" pack --quiet "$j" >/dev/null 2>&1; done; }
season() { "$BIN" pack --quiet "$WORK/season.yaml" >/dev/null 2>&1; }
job_list() { "$BIN" pack --quiet "$WORK"/ep*/job.yaml >/dev/null 2>&1; }
for run in $(seq 1 "$RUNS"); do
  for name in one_by_one season job_list; do
    rm -rf "$WORK/out"; sync
    t0=$(date +%s.%N)
    (cd "$WORK" && $name)
    t1=$(date +%s.%N)
    n=$(find "$WORK/out" -maxdepth 1 -mindepth 1 -type d | wc -l)
    [ "$n" -eq "$EPISODES" ] || { echo "$name made $n roots, not $EPISODES" >&2; exit 1; }
    printf '%s\t%s\t%s\n' "$name" "$run" "$(awk "BEGIN { print $t1 - $t0 }")" >> "$res/times.tsv"
  done
done
load end

mkdir -p "$RESULTS"
out="$RESULTS/$(date +%F)-${REV:0:7}-season.json"
python3 - "$res" "$out" "$REV" "$DIRTY" "$EPISODES" "$bytes" "$RUNS" <<'PY'
import json, os, platform, statistics, sys
res, out, rev, dirty, episodes, nbytes, runs = sys.argv[1:]
times = {}
for line in open(os.path.join(res, "times.tsv")):
    name, run, secs = line.split("\t")
    times.setdefault(name, []).append(float(secs))
med = {k: statistics.median(v) for k, v in times.items()}
doc = {
    "revision": rev, "dirty": dirty == "true", "episodes": int(episodes),
    "source_bytes": int(nbytes), "runs": int(runs),
    "machine": {"cpus": os.cpu_count(), "kernel": platform.release()},
    "loadavg": open(os.path.join(res, "loadavg.txt")).read().splitlines(),
    "seconds": times, "median": med,
    "ratio": {"season / one_by_one": med["season"] / med["one_by_one"],
              "job_list / one_by_one": med["job_list"] / med["one_by_one"]},
}
json.dump(doc, open(out, "w"), indent=2)
print(f"{episodes} episodes, {int(nbytes)/1e9:.2f} GB of sources, medians of {runs} runs ({out})\n")
print("| run | median s | min s | max s |\n|---|--:|--:|--:|")
for k in ("one_by_one", "season", "job_list"):
    v = times[k]
    print(f"| {k} | {med[k]:.3f} | {min(v):.3f} | {max(v):.3f} |")
print()
for k, r in doc["ratio"].items():
    print(f"{k}: {r:.3f} (target <= 1.1: {'met' if r <= 1.1 else 'NOT met'})")
PY
