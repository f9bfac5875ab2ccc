#!/usr/bin/env bash
# Spec §6, width study (Figure 4, CIFAR10_1 / CIFAR10_50): width factor 1, 2 and 4 (default) for 1, 2 and 3 hidden layers; paper: factor 1 71.09 / 71.69 / 66.44, factor 2 71.09 / 74.85 / 73.87, factor 4 71.09 / 77.69 / 80.31.
# Meant for a large machine (SoftHebb ran these on GPUs; hebb computes on the CPU with OpenBLAS, so plan hours to days).
# Settings (HEBB, HEBB_DATA, DATASETS, RUNNER=parallel|local, JOBS, CONFIG, THREADS): see common.bash.
# Table: $HEBB_DATA/hebb/tables/cifar10-width.md and .csv (mean ±std over the unsup seeds of CONFIG, final test accuracy).
set -euo pipefail
source "$(dirname "$0")/common.bash"
folders=()
# One hidden layer has 96 filters whatever the factor: 2SoftHebbCnnCIFAR stands for all three.
for preset in 2SoftHebbCnnCIFAR 3SoftHebbCnnCIFAR_wf1 3SoftHebbCnnCIFAR_wf2 3SoftHebbCnnCIFAR \
  4SoftHebbCnnCIFAR_wf1 4SoftHebbCnnCIFAR_wf2 4SoftHebbCnnCIFAR; do
  search "cifar10-width-$preset" "$preset" CIFAR10_1 CIFAR10_50
  folders+=("cifar10-width-$preset")
done
report cifar10-width "${folders[@]}"
