#!/usr/bin/env bash
# Installs the system libraries hebb links (OpenBLAS, zlib, libjpeg-turbo) when missing. Idempotent.
set -euo pipefail
missing=()
for package in libopenblas-dev zlib1g-dev libjpeg62-turbo-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y "${missing[@]}"
fi
