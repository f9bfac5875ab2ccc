#!/usr/bin/env bash
# Spec §6, Table 2 ImageNet part: 6SoftHebbCnnImNet / 6HardCnnImNet / 6CnnImNet on ImageNet_1160 / ImageNet_200aug160 with one seed (--config one_seed, as the paper); paper: SoftHebb 27.3 %.
# Meant for a large machine (SoftHebb ran these on GPUs; hebb computes on the CPU with OpenBLAS, so plan hours to days).
# Settings (HEBB, HEBB_DATA, DATASETS, RUNNER=parallel|local, JOBS, CONFIG, THREADS): see common.bash.
# Table: $HEBB_DATA/hebb/tables/imagenet-one-seed.md and .csv (mean ±std over the unsup seeds of CONFIG, final test accuracy).
set -euo pipefail
source "$(dirname "$0")/common.bash"
CONFIG=${CONFIG_IMAGENET:-one_seed}
folders=()
search imagenet-6SoftHebbCnnImNet 6SoftHebbCnnImNet ImageNet_1160 ImageNet_200aug160
search imagenet-6HardCnnImNet 6HardCnnImNet ImageNet_1160 ImageNet_200aug160
search imagenet-6CnnImNet 6CnnImNet ImageNet_1160 ImageNet_200aug160 --training-mode consecutive
folders+=(imagenet-6SoftHebbCnnImNet imagenet-6HardCnnImNet imagenet-6CnnImNet)
report imagenet-one-seed "${folders[@]}"
