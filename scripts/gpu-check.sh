#!/usr/bin/env bash
# What to run on a GPU box with the binary from scripts/build-gpu-binary.sh (no Swift needed):
#  1. the CUDA libraries load and the kernels compile (hebb cuda-check prints the backend line);
#  2. parity: one seeded SoftHebb and one Krotov–Hopfield epoch, CUDA vs the host code, relative
#     weight error ≤ 1e-4 (hebb cuda-check exits non-zero otherwise);
#  3. the Krotov MNIST 2000-hidden epoch time (KrotovMlpMNIST's Hebbian phase, 1 epoch, --device
#     cuda, and on the CPU for comparison); target ≤ 0.3 s on the GPU.
# usage: scripts/gpu-check.sh [HEBB_BINARY] [GPU_ID]
# env:   HEBB_DATASETS (folder with mnist/; default shared/datasets next to the checkout),
#        HEBB_CUDA_LIB_DIR (folder with libcublas/libnvrtc if not on the loader path)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
hebb=${1:-$here/dist/hebb}
gpu=${2:-0}
datasets=${HEBB_DATASETS:-$here/../shared/datasets}
[ -x "$hebb" ] || { echo "error: $hebb is not an executable; hint: run scripts/build-gpu-binary.sh first" >&2; exit 1; }
status=0

echo "== device"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi not found"

echo "== parity (CUDA vs host, seeded)"
"$hebb" cuda-check --gpu-id "$gpu" || status=1

echo "== Krotov MNIST 2000 hidden: one Hebbian epoch"
if [ -d "$datasets/mnist" ]; then
    work=$(mktemp -d)
    for device in cuda cpu; do
        gpu_flag=(); [ "$device" = cuda ] && gpu_flag=(--gpu-id "$gpu")
        log="$work/$device.log"
        "$hebb" train --preset KrotovMlpMNIST --training-blocks 0 --datasets "$datasets" --data-root "$work" \
            --save false --progress false --device "$device" "${gpu_flag[@]}" > "$log" 2>&1 || { status=1; tail -3 "$log"; }
        grep -E "trains on|runs on the CPU" "$log"
        echo "$device: $(grep -m1 -oE '[0-9.]+ ?s\b' "$log" | head -1) (first epoch line: $(grep -m1 -E '^ *(Epoch|ep)' "$log" || grep -m1 -E 'epoch' "$log"))"
    done
    rm -rf "$work"
else
    echo "skipped: no $datasets/mnist (set HEBB_DATASETS)"
fi
exit $status
