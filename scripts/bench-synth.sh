#!/usr/bin/env bash
# Whole-process synth figures (issue 13, README "Speed"), each as median, min and max:
#   1. release binary: synth of both stages with every policy, wall time and peak RSS
#   2. `cargo run -p infra -- synth`, warm, nothing edited, and its debug binary alone
#   3. `cargo run -p infra -- synth` after editing a stack file (touch: cargo rebuilds the
#      same crates an edit makes it rebuild)
#   4. with --fresh: a fresh machine's first synth: empty CARGO_HOME (crates downloaded
#      from crates.io) and empty target dir, the README command, `--timings` report kept
#      (FRESH_RUNS runs, default 1)
#   5. with --criterion: `cargo bench -p infra --bench synth` (templates and policies of
#      the real stages, generated apps of 10 / 100 / 1,000 functions), per iteration
#      from criterion's samples
# Needs hyperfine and GNU time: `apt-get install hyperfine time`.
#   scripts/bench-synth.sh [--fresh] [--criterion]      RUNS=30 by default
set -euo pipefail
cd "$(dirname "$0")/.."
fresh=false
criterion=false
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=true ;;
    --criterion) criterion=true ;;
    *) echo "usage: scripts/bench-synth.sh [--fresh] [--criterion]" >&2; exit 2 ;;
  esac
done
runs="${RUNS:-30}"
for tool in hyperfine /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing (apt-get install hyperfine time)" >&2; exit 2; }
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bubblebatch/target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stacks="$work/stacks"

# "| what | median | min | max |" from hyperfine's JSON, in ms.
row() {
  python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))["results"][0]
ms = lambda s: f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"
print(f"| {sys.argv[1]} | {ms(r['median'])} | {ms(r['min'])} | {ms(r['max'])} |")
PY
}

# "| what | median | min | max |" of numbers, one per line in a file, with a unit.
stats() {
  python3 - "$1" "$2" "$3" <<'PY'
import statistics, sys
values = [float(v) for v in open(sys.argv[2]).read().split()]
unit = sys.argv[3]
f = lambda v: f"{v:.1f} {unit}"
print(f"| {sys.argv[1]} | {f(statistics.median(values))} | {f(min(values))} | {f(max(values))} |")
PY
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);$(uptime | sed 's/.*load/ load/')"
echo "date: $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo "(not a git checkout)")"
cargo build -q --release -p infra
cargo build -q -p infra
release="$CARGO_TARGET_DIR/release/infra"
# The first run writes the templates; the measured runs synthesize, check every policy
# and compare with the files written (as a synth with no change does).
"$release" synth --out "$stacks" >/dev/null 2>&1

hyperfine -N --warmup 5 --runs "$runs" --export-json "$work/release.json" \
  "$release synth --out $stacks" >/dev/null
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%M" -o "$work/rss.one" "$release" synth --out "$stacks" >/dev/null 2>&1
  awk '{ printf "%.2f\n", $1 / 1024 }' "$work/rss.one" >> "$work/rss.txt"
done
hyperfine -N --warmup 2 --runs 10 --export-json "$work/warm.json" \
  "cargo run -q -p infra -- synth --out $stacks" >/dev/null
# The debug binary that `cargo run` just built, on its own (issue 8: ≤ 0.5 s).
hyperfine -N --warmup 2 --runs 10 --export-json "$work/debug.json" \
  "$CARGO_TARGET_DIR/debug/infra synth --out $stacks" >/dev/null
hyperfine -N --warmup 1 --runs 10 --export-json "$work/edit.json" \
  --prepare "touch infra/src/stacks/api.rs" \
  "cargo run -q -p infra -- synth --out $stacks" >/dev/null

echo
echo "| What | Median | Min | Max |"
echo "|---|---:|---:|---:|"
row "release synth, both stages, all policies ($runs runs)" "$work/release.json"
stats "peak RSS of that synth ($runs runs)" "$work/rss.txt" MiB
row "\`cargo run -p infra -- synth\`, warm, no edit (10 runs)" "$work/warm.json"
row "debug synth of both stages, all policies, the binary alone (10 runs)" "$work/debug.json"
row "\`cargo run -p infra -- synth\` after editing a stack (10 runs)" "$work/edit.json"

if $fresh; then
  fresh_runs="${FRESH_RUNS:-1}"
  for i in $(seq "$fresh_runs"); do
    rm -rf "$work/home" "$work/target" "$work/fresh-stacks"
    CARGO_HOME="$work/home" CARGO_TARGET_DIR="$work/target" /usr/bin/time -f "%e" -o "$work/one" \
      cargo run -q --timings -p infra -- synth --out "$work/fresh-stacks" >/dev/null 2>&1
    cat "$work/one" >> "$work/fresh.txt"
    cp -r "$work/target/cargo-timings" "${TIMINGS_DIR:-/tmp}/bench-synth-timings-$i" 2>/dev/null || true
  done
  stats "fresh machine → first synth, empty CARGO_HOME and target ($fresh_runs runs)" "$work/fresh.txt" s
  echo "(cargo --timings reports: ${TIMINGS_DIR:-/tmp}/bench-synth-timings-*)"
fi

if $criterion; then
  cargo bench -q -p infra --bench synth >/dev/null 2>&1
  echo
  echo "| criterion, per iteration | Median | Min | Max |"
  echo "|---|---:|---:|---:|"
  python3 - "$CARGO_TARGET_DIR/criterion" <<'PY'
import json, pathlib, statistics, sys
for sample in sorted(pathlib.Path(sys.argv[1]).glob("**/new/sample.json")):
    data = json.loads(sample.read_text())
    per_iter = [t / n for t, n in zip(data["times"], data["iters"])]  # nanoseconds
    name = json.loads((sample.parent / "benchmark.json").read_text())["full_id"]
    ms = lambda ns: f"{ns / 1e6:.2f} ms"
    print(f"| {name} | {ms(statistics.median(per_iter))} | {ms(min(per_iter))} | {ms(max(per_iter))} |")
PY
fi
