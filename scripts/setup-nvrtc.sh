#!/usr/bin/env bash
# Installs NVIDIA's NVRTC from PyPI into a venv (no GPU or driver needed) so the kernel
# compilation test (HebbCUDATests.KernelCompilationTests) runs instead of skipping.
# usage: scripts/setup-nvrtc.sh [VENV]   (default /tmp/nvrtc-venv, where the test also looks)
# then:  export HEBB_NVRTC_DIR=<the printed folder>   (optional for the default venv)
set -euo pipefail
venv=${1:-/tmp/nvrtc-venv}
[ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q nvidia-cuda-nvrtc
lib=$(dirname "$(find "$venv" -name 'libnvrtc.so.1[23]' | head -1)")
echo "HEBB_NVRTC_DIR=$lib"
