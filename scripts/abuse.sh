#!/usr/bin/env bash
# Measures lrsched against slow and hostile clients (slowloris, slow readers, training load, stop
# during a run), all on loopback and bounded in time; prints figures, passes or fails nothing.
#
#   scripts/abuse.sh [scenario ...]     (slowloris, slow-readers, training, stop; default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build -c release --product lrsched >/dev/null
exec python3 scripts/abuse.py --bin .build/release/lrsched "$@"
