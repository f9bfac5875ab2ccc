#!/usr/bin/env bash
# Benchmark table: seconds per unsupervised epoch (KrotovMlpMNIST batch 1024 and 100,
# 2SoftMlpMNIST batch 32) next to the sgemm roofline measured in the same run.
# Usage: scripts/bench/run.sh [DATASETS_DIR]   (default ../shared/datasets; synthetic data if absent)
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/setup.sh >/dev/null
swift build -c release --product hebb-bench >/dev/null
exec .build/release/hebb-bench "${1:-../shared/datasets}"
