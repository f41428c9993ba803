#!/usr/bin/env bash
# Checks openapi.yaml against a running lrsched: the catalogue against the `*Params` schemas, then
# a bounded schemathesis run (loopback only). Installs schemathesis and PyYAML when missing.
#
#   scripts/conformance.sh [--max-examples N] [--seed S]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
if ! python3 -c "import schemathesis.cli, yaml" 2>/dev/null; then
  echo "installing schemathesis and PyYAML ..." >&2
  python3 -m pip install --quiet --break-system-packages "schemathesis>=4.3,<5" pyyaml >/dev/null
fi
swift build --product lrsched >/dev/null
exec python3 scripts/conformance.py --bin "$(swift build --show-bin-path)/lrsched" "$@"
