# Shared by the benchmark scripts (sourced, not run).

# needs COMMAND:PACKAGE...: installs with apt-get the Debian package of
# each command that is missing (`/usr/bin/time` is checked as a path).
needs() {
  local missing=() pair cmd
  for pair in "$@"; do
    cmd=${pair%%:*}
    if [ "${cmd#/}" != "$cmd" ]; then [ -x "$cmd" ] && continue
    else command -v "$cmd" >/dev/null && continue; fi
    missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# load LABEL: the load average now, one line in $res/loadavg.txt.
load() { printf '%s %s\n' "$1" "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$res/loadavg.txt"; }

# build TARGET [EXAMPLE...]: the release binary and the data generators
# (default: bench_data). CARGO_BUILD_JOBS=1 builds on one core.
build() {
  local target=$1 examples=() e; shift
  for e in "${@:-bench_data}"; do examples+=(--example "$e"); done
  CARGO_TARGET_DIR=$target cargo build --release --locked --bin mnepack "${examples[@]}" 2>&1 | tail -n 1
}
