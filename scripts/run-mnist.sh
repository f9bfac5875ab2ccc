#!/usr/bin/env bash
# Sets up, builds a release binary and trains SoftHebb's MLP on real MNIST
# (../shared/datasets beside the checkout, or Fashion-MNIST from Debian's package otherwise).
# Extra arguments are passed to `hebb train` (e.g. --seed 1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product hebb
if [ -d ../shared/datasets/mnist ]; then
  datasets=../shared/datasets; family=MNIST
else
  dpkg -s dataset-fashion-mnist >/dev/null 2>&1 || { apt-get update && apt-get install -y dataset-fashion-mnist; }
  datasets=/usr/share/datasets; family=FashionMNIST
fi
exec .build/release/hebb train --preset 2SoftMlpMNIST \
  --dataset-unsup "${family}_5" --dataset-sup "${family}_10" \
  --datasets "$datasets" --data-root "${HEBB_DATA:-$PWD/data}" "$@"
