#!/usr/bin/env bash
# Runs every check: the formatter's lint, unit tests, golden fixtures of every family and
# end-to-end server tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift format lint --strict --recursive --parallel Sources Tests Package.swift
swift build --build-tests
swift test --skip-build --parallel
