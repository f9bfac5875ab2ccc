#!/usr/bin/env bash
# Reads a run's TensorBoard event file back with TensorBoard's own EventAccumulator and checks
# scalars, histograms and images against metrics.jsonl, model.safetensors and pictures/.
#
#   scripts/tensorboard-check.sh RUN_FOLDER      # …/hebb/result/network/<model-name>
#
# Uses python3's tensorboard when it imports; otherwise a venv at .build/tensorboard-venv
# (HEBB_TENSORBOARD_VENV to move it), created and filled with `pip install tensorboard` on the
# first run (needs PyPI; a minute or two). Exit 0: every check passed; 1: a check failed;
# 77: python3, venv, pip or PyPI unavailable (XCTest skips on it).
set -uo pipefail
here=${BASH_SOURCE[0]%/*}
[[ $here == "${BASH_SOURCE[0]}" ]] && here=.
root=$(cd "$here/.." && pwd)
run=${1:?usage: scripts/tensorboard-check.sh RUN_FOLDER}
if ! command -v python3 >/dev/null 2>&1; then
  echo "tensorboard-check: python3 not found; install python3 to read event files back" >&2
  exit 77
fi
if python3 -c 'import tensorboard' 2>/dev/null; then
  python=python3
else
  venv=${HEBB_TENSORBOARD_VENV:-$root/.build/tensorboard-venv}
  if ! "$venv/bin/python" -c 'import tensorboard' 2>/dev/null; then
    echo "tensorboard-check: installing tensorboard into $venv (first run only)" >&2
    if ! python3 -m venv "$venv" >&2 || ! "$venv/bin/pip" install --quiet --retries 1 --timeout 30 tensorboard >&2; then
      echo "tensorboard-check: could not install tensorboard with pip into $venv (offline?)" >&2
      exit 77
    fi
  fi
  python=$venv/bin/python
fi
exec "$python" "$root/scripts/tensorboard_check.py" "$run"
