#!/usr/bin/env bash
# Builds lrsched (release) and serves it on 127.0.0.1:8080; extra arguments go to `lrsched serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build -c release --product lrsched
exec .build/release/lrsched serve "$@"
