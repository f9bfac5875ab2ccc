#!/usr/bin/env bash
# Spec §6, CIFAR-100 layers table (CIFAR100_1 / CIFAR100_50), the CIFAR presets with a 100-class classifier; paper: SoftHebb 43.00 / 52.31 / 56.0.
# Meant for a large machine (SoftHebb ran these on GPUs; hebb computes on the CPU with OpenBLAS, so plan hours to days).
# Settings (HEBB, HEBB_DATA, DATASETS, RUNNER=parallel|local, JOBS, CONFIG, THREADS): see common.bash.
# Table: $HEBB_DATA/hebb/tables/cifar100-layers.md and .csv (mean ±std over the unsup seeds of CONFIG, final test accuracy).
set -euo pipefail
source "$(dirname "$0")/common.bash"
layers_table cifar100-layers CIFAR100_1 CIFAR100_50 \
  "2SoftHebbCnnCIFAR 3SoftHebbCnnCIFAR 4SoftHebbCnnCIFAR" \
  "2HardCnnCIFAR 3HardCnnCIFAR 4HardCnnCIFAR" \
  "2CnnCIFAR 3CnnCIFAR 4CnnCIFAR"
