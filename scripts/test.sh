#!/usr/bin/env bash
# Installs what the build needs, checks the release build is warning-free, runs the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
log=$(mktemp)
swift build -c release 2>&1 | tee "$log"
if grep -E "warning:" "$log" | grep -v "^warning: 'main'" >/dev/null; then
  echo "release build has warnings" >&2; exit 1
fi
exec swift test
