#!/usr/bin/env bash
# Spec §6, ImageNette layers table (ImageNette_1 / ImageNette_200aug), 1-5 hidden layers; paper: SoftHebb 61.03 / 71.29 / 75.69 / 78.76 / 80.98.
# Meant for a large machine (SoftHebb ran these on GPUs; hebb computes on the CPU with OpenBLAS, so plan hours to days).
# Settings (HEBB, HEBB_DATA, DATASETS, RUNNER=parallel|local, JOBS, CONFIG, THREADS): see common.bash.
# Table: $HEBB_DATA/hebb/tables/imagenette-layers.md and .csv (mean ±std over the unsup seeds of CONFIG, final test accuracy).
set -euo pipefail
source "$(dirname "$0")/common.bash"
layers_table imagenette-layers ImageNette_1 ImageNette_200aug \
  "2SoftHebbCnnImNet 3SoftHebbCnnImNet 4SoftHebbCnnImNet 5SoftHebbCnnImNet 6SoftHebbCnnImNet" \
  "2HardCnnImNet 3HardCnnImNet 4HardCnnImNet 5HardCnnImNet 6HardCnnImNet" \
  "2CnnImNet 3CnnImNet 4CnnImNet 5CnnImNet 6CnnImNet"
