#!/usr/bin/env bash
# Benchmark table: hebb next to NumPy and PyTorch (CPU) peers on the same workloads, one run, one
# machine (README, Benchmarks). Each row is measured in its own process (peak RSS per row), hebb
# and the peers interleaved row by row.
#
# Usage: scripts/bench/run.sh [--quick] [--full-recipe] [--no-peers] [--datasets DIR]
#   --quick        few images / minibatches per row: checks that everything works (a few minutes;
#                  timings not for reporting)
#   --full-recipe  also runs 4SoftHebbCnnMNIST's whole recipe for real (20–60 min)
#   --no-peers     hebb rows only
#   --datasets DIR MNIST's IDX files (default ../shared/datasets; synthetic images if absent)
# Environment: HEBB_PEERS_VENV (a venv with numpy and torch; default ../.venv-peers when it has
# them, else .build/peers-venv, created and filled from PyPI), HEBB_PEER_THREADS (default 2),
# HEBB_PEER_FTZ=0 (PyTorch peer without flush-to-zero), HEBB_BENCH_OUT (results folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

quick=() full_recipe=0 peers=1 datasets=../shared/datasets
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=(--quick) ;;
    --full-recipe) full_recipe=1 ;;
    --no-peers) peers=0 ;;
    --datasets) datasets="$2"; shift ;;
    *) echo "usage: $0 [--quick] [--full-recipe] [--no-peers] [--datasets DIR]" >&2; exit 2 ;;
  esac
  shift
done

scripts/setup.sh >/dev/null
echo "building hebb-bench (release)…" >&2
swift build -c release --product hebb-bench >/dev/null
bench=.build/release/hebb-bench

out=${HEBB_BENCH_OUT:-.build/bench}
mkdir -p "$out"
results="$out/results-$(date +%Y%m%d-%H%M%S).jsonl"
: >"$results"

# The peers' Python: a venv with numpy and torch.
python=""
if [ "$peers" = 1 ]; then
  has() { "$1" -c "import numpy${2:+, $2}" >/dev/null 2>&1; }
  if [ -n "${HEBB_PEERS_VENV:-}" ]; then
    venv=$HEBB_PEERS_VENV
  elif [ -x ../.venv-peers/bin/python ] && has ../.venv-peers/bin/python torch; then
    venv=$(cd ../.venv-peers && pwd)
  else
    venv=$root/.build/peers-venv
  fi
  if ! [ -x "$venv/bin/python" ] || ! has "$venv/bin/python" torch; then
    echo "installing numpy and torch into $venv (PyPI)…" >&2
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install -q numpy >&2 || true
    # Prefer a CPU-only torch wheel from pip's find-links (the PyPI default is a CUDA build
    # that needs several GB of NVIDIA wheels); else whatever PyPI gives.
    links=$("$venv/bin/pip" config get global.find-links 2>/dev/null || true)
    wheel=$(ls "${links:-/nonexistent}"/torch-*+cpu-*.whl 2>/dev/null | sort -V | tail -1 || true)
    "$venv/bin/pip" install -q "${wheel:-torch}" >&2 || echo "torch could not be installed: no PyTorch column" >&2
  fi
  if has "$venv/bin/python"; then python=$venv/bin/python; else echo "numpy missing in $venv: no peers" >&2; fi
fi
impls=()
if [ -n "$python" ]; then
  impls+=(numpy)
  has "$python" torch && impls+=(torch)
  export HEBB_PEER_THREADS=${HEBB_PEER_THREADS:-2}
fi

rows=$("$bench" --list | grep -v '^mnist-recipe-real$')
echo "rows: $(echo $rows)  →  $results" >&2
for row in $rows; do
  "$bench" "${quick[@]}" --datasets "$datasets" --row "$row" >>"$results" || echo "hebb-bench: row $row failed" >&2
  for impl in "${impls[@]}"; do
    peer_rows=("$row")
    # hebb measures the frozen forward inside its classifier row; the peers time it separately.
    [ "$row" = cifar-clf ] && peer_rows=(cifar-fwd cifar-clf)
    [ "$row" = mnist-clf ] && peer_rows=(mnist-fwd mnist-clf)
    for peer_row in "${peer_rows[@]}"; do
      "$python" "scripts/bench/peers/${impl}_peer.py" "${quick[@]}" --datasets "$datasets" --row "$peer_row" >>"$results" \
        || echo "{\"impl\": \"$impl\", \"row\": \"$peer_row\", \"error\": \"the peer failed (see stderr)\"}" >>"$results"
    done
  done
done
if [ "$full_recipe" = 1 ]; then
  echo "running 4SoftHebbCnnMNIST's full recipe (20–60 min)…" >&2
  "$bench" --datasets "$datasets" --row mnist-recipe-real >>"$results" || echo "hebb-bench: the full recipe failed" >&2
fi

check="not run (no NumPy + PyTorch venv)"
if [ "${#impls[@]}" = 2 ]; then
  if "$python" scripts/bench/peers/check.py >"$out/check.txt" 2>&1; then check="passed"; else check="FAILED (see $out/check.txt)"; fi
fi

echo
python3 scripts/bench/table.py "$results" "${quick[@]}"
echo "peers' math check (scripts/bench/peers/check.py, PyTorch vs NumPy vs the conv oracle, 1e-4): $check"
echo "raw results: $results"
