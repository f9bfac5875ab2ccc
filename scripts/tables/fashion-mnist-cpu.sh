#!/usr/bin/env bash
# The CPU-sized layers table of mnist-cpu.sh on Fashion-MNIST (FashionMNIST_1 / FashionMNIST_10):
# it runs hebb search per configuration and hebb report; settings as in mnist-cpu.sh.
set -euo pipefail
FAMILY=FashionMNIST exec "$(dirname "$0")/mnist-cpu.sh" "$@"
