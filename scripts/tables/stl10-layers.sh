#!/usr/bin/env bash
# Spec §6, STL-10 layers table (STL10_unlabel / STL10_100aug), 1-4 hidden layers; paper: SoftHebb 65.4 / 70.11 / 73.1 / 76.23. No 3-layer hard preset exists (SoftHebb has no 4HardCnnSTL); 5HardCnnSTL is hebb's own.
# Meant for a large machine (SoftHebb ran these on GPUs; hebb computes on the CPU with OpenBLAS, so plan hours to days).
# Settings (HEBB, HEBB_DATA, DATASETS, RUNNER=parallel|local, JOBS, CONFIG, THREADS): see common.bash.
# Table: $HEBB_DATA/hebb/tables/stl10-layers.md and .csv (mean ±std over the unsup seeds of CONFIG, final test accuracy).
set -euo pipefail
source "$(dirname "$0")/common.bash"
layers_table stl10-layers STL10_unlabel STL10_100aug \
  "2SoftHebbCnnCIFAR 3SoftHebbCnnCIFAR 4SoftHebbCnnSTL 5SoftHebbCnnSTL" \
  "2HardCnnCIFAR 3HardCnnCIFAR 5HardCnnSTL" \
  "2CnnCIFAR 3CnnCIFAR 4CnnSTL 5CnnSTL"
