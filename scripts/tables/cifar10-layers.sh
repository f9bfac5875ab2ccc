#!/usr/bin/env bash
# Spec §6, CIFAR-10 layers table (CIFAR10_1 / CIFAR10_50): SoftHebb, hard WTA, Random and BP with 1, 2 and 3 hidden layers; paper: SoftHebb 71.10 / 77.70 / 80.31.
# Meant for a large machine (SoftHebb ran these on GPUs; hebb computes on the CPU with OpenBLAS, so plan hours to days).
# Settings (HEBB, HEBB_DATA, DATASETS, RUNNER=parallel|local, JOBS, CONFIG, THREADS): see common.bash.
# Table: $HEBB_DATA/hebb/tables/cifar10-layers.md and .csv (mean ±std over the unsup seeds of CONFIG, final test accuracy).
set -euo pipefail
source "$(dirname "$0")/common.bash"
layers_table cifar10-layers CIFAR10_1 CIFAR10_50 \
  "2SoftHebbCnnCIFAR 3SoftHebbCnnCIFAR 4SoftHebbCnnCIFAR" \
  "2HardCnnCIFAR 3HardCnnCIFAR 4HardCnnCIFAR" \
  "2CnnCIFAR 3CnnCIFAR 4CnnCIFAR"
