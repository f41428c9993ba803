#!/usr/bin/env bash
# Metrics, request ids, readiness and drain, JSON logs against a real server on loopback
# (scripts/operations_test.py); installs prometheus_client when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
if ! python3 -c "import prometheus_client" 2>/dev/null; then
  echo "installing prometheus_client ..." >&2
  python3 -m pip install --quiet --break-system-packages "prometheus_client>=0.17" >/dev/null
fi
swift build --product lrsched >/dev/null
exec python3 scripts/operations_test.py --bin "$(swift build --show-bin-path)/lrsched" "$@"
