#!/usr/bin/env bash
# CPU-sized version of the spec §6 layers table, on MNIST (FAMILY=FashionMNIST: Fashion-MNIST),
# for a small machine: one hidden layer of WIDTH units (default 400) trained as SoftHebb
# (2SoftMlpMNIST with --set b0.c=WIDTH), hard WTA (b0.kind=hard), Random (classifier only) and
# end-to-end BP, each over the 4 unsup seeds of CONFIG=seed, on FAMILY_1 / FAMILY_10:
# 16 trials, JOBS (default 2) at a time with THREADS (default 1) OpenBLAS threads each: about
# 20 minutes on two busy cores, most of it the BP rows (CONFIG=one_seed: 4 trials).
# Datasets: DATASETS, else ../shared/datasets beside the checkout. Builds the release binary
# unless HEBB is given. Table: $HEBB_DATA/hebb/tables/<family>-cpu.md and .csv.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
checkout=$(cd "$here/../.." && pwd)
FAMILY=${FAMILY:-MNIST}
WIDTH=${WIDTH:-400}
JOBS=${JOBS:-2}
THREADS=${THREADS:-1}
RUNNER=${RUNNER:-local}
HEBB_DATA=${HEBB_DATA:-$checkout/data}
if [ -z "${DATASETS:-}" ] && [ -d "$checkout/../shared/datasets" ]; then DATASETS=$checkout/../shared/datasets; fi
if [ -z "${HEBB:-}" ]; then
  (cd "$checkout" && swift build -c release --product hebb -j 2 >/dev/null)
  HEBB=$checkout/.build/release/hebb
fi
source "$here/common.bash"

prefix=$(echo "$FAMILY" | tr '[:upper:]' '[:lower:]')-cpu
unsup=${FAMILY}_1
sup=${FAMILY}_10
search "$prefix-softhebb" 2SoftMlpMNIST "$unsup" "$sup" --set "b0.c=$WIDTH"
search "$prefix-hard" 2SoftMlpMNIST "$unsup" "$sup" --set "b0.c=$WIDTH" --set b0.kind=hard
search "$prefix-random" 2SoftMlpMNIST "$unsup" "$sup" --set "b0.c=$WIDTH" --training-mode consecutive --training-blocks 1
search "$prefix-bp" "BP-c$WIDTH:relu+BP-c10" "$unsup" "$sup" --training-mode consecutive
report "$prefix" "$prefix-softhebb" "$prefix-hard" "$prefix-random" "$prefix-bp"
