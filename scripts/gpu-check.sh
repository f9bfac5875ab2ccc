#!/usr/bin/env bash
# What to run on a GPU box with the binary from scripts/build-gpu-binary.sh (no Swift needed):
#  1. the CUDA libraries load and the kernels compile (hebb cuda-check prints the backend line);
#  2. parity: seeded SoftHebb and Krotov–Hopfield epochs of fully connected layers and of conv
#     blocks with their input BatchNorm2d (4SoftHebbCnnCIFAR's block 0 on 200 images among them),
#     CUDA vs the host code, relative error of weights, radii and running statistics ≤ 1e-4,
#     a two-epoch classifier phase (dropout 0.5, Adam, test evaluation) on the weights, and the
#     frozen-block forward of 4SoftHebbCnnCIFAR's three conv blocks (BN2d with running statistics,
#     conv, triangle, max/avg pool; 40 images in chunks of 16) on the features
#     (hebb cuda-check exits non-zero otherwise);
#  3. epoch times: cuda-check times two device epochs of Krotov 2000 hidden on 60000 seeded
#     784-pixel samples (target ≤ 0.3 s) and of 4SoftHebbCnnCIFAR's block 0 on 50000 seeded 3×32×32
#     images (CIFAR-10's size, batch 10), and two device passes of 4SoftHebbCnnCIFAR's frozen blocks
#     0-2 over 60000 seeded images (CIFAR-10's train + test: the classifier's inputs; ~10 min on 2
#     host cores); then on real MNIST, with --device cuda and on the CPU for comparison (first epoch
#     line of each): KrotovMlpMNIST's Hebbian phase, 4SoftHebbCnnMNIST's block 0, and its block 1,
#     whose frozen block 0 runs forward on the device (MNIST_1: one epoch).
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
"$hebb" cuda-check --gpu-id "$gpu" --epoch-samples 60000 --conv-epoch-samples 50000 --forward-samples 60000 || status=1

for run in KrotovMlpMNIST:0 4SoftHebbCnnMNIST:0 4SoftHebbCnnMNIST:1; do
    preset=${run%:*} block=${run#*:}
    echo "== $preset block $block on MNIST: one Hebbian epoch"
    if [ ! -d "$datasets/mnist" ]; then echo "skipped: no $datasets/mnist (set HEBB_DATASETS)"; continue; fi
    work=$(mktemp -d)
    for device in cuda cpu; do
        gpu_flag=(); [ "$device" = cuda ] && gpu_flag=(--gpu-id "$gpu")
        log="$work/$device.log"
        "$hebb" train --preset "$preset" --training-blocks "$block" --dataset-unsup MNIST_1 --datasets "$datasets" --data-root "$work" \
            --save false --progress false --device "$device" "${gpu_flag[@]}" > "$log" 2>&1 || { status=1; tail -3 "$log"; }
        grep -E "trains on|runs on the CPU" "$log"
        # "time:" is the run's clock at the end of the epoch: data loading and the epoch's
        # neuron-label evaluation (host, fully connected only) included; cuda-check's rows above
        # are the device epoch alone.
        echo "$device: $(grep -m1 -E 'Epoch: \[1/' "$log" || tail -1 "$log")"
    done
    rm -rf "$work"
done
exit $status
