#!/usr/bin/env bash
# Installs the system libraries hebb links (OpenBLAS, zlib, libjpeg-turbo) and GNU parallel (runs
# `hebb search --emit parallel` job files; the search tests use it) when missing. Idempotent.
set -euo pipefail
missing=()
for package in libopenblas-dev zlib1g-dev libjpeg62-turbo-dev parallel; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y "${missing[@]}"
fi
