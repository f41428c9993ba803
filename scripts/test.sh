#!/usr/bin/env bash
# Runs every test: unit tests, torch golden fixtures and end-to-end server tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build --build-tests
swift test --skip-build --parallel
