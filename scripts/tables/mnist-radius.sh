#!/usr/bin/env bash
# Spec §6, radius study (B.3.A, MNIST_1-32 / MNIST_10): 2SoftMlpMNIST and 2SoftMlpMNIST_linearDecay over the 'radius' space (b0 radius 0.107…35.5 times unsup seeds 0…2, 81 trials each); the paper marks radius < 1 no learning, 1-2.2 partial, > 2.2 learning.
# Meant for a large machine (SoftHebb ran these on GPUs; hebb computes on the CPU with OpenBLAS, so plan hours to days).
# Settings (HEBB, HEBB_DATA, DATASETS, RUNNER=parallel|local, JOBS, CONFIG, THREADS): see common.bash.
# Table: $HEBB_DATA/hebb/tables/mnist-radius.md and .csv (mean ±std over the unsup seeds of CONFIG, final test accuracy).
set -euo pipefail
source "$(dirname "$0")/common.bash"
CONFIG=radius
search mnist-radius-2SoftMlpMNIST 2SoftMlpMNIST MNIST_1-32 MNIST_10
search mnist-radius-2SoftMlpMNIST_linearDecay 2SoftMlpMNIST_linearDecay MNIST_1-32 MNIST_10
# One row per radius (mean ±std over the 3 seeds).
report mnist-radius mnist-radius-2SoftMlpMNIST mnist-radius-2SoftMlpMNIST_linearDecay
