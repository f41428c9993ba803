#!/usr/bin/env bash
# Tests the playground page in a real headless Chromium (Debian's chromium, driven by Playwright),
# against a server on a loopback port. Installs chromium and Playwright when missing. Saves a
# screenshot to artifacts/playground.png.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium ..." >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
if ! python3 -c "import playwright.sync_api" 2>/dev/null; then
  echo "installing playwright ..." >&2
  python3 -m pip install --quiet --break-system-packages "playwright>=1.40,<2" >/dev/null
fi
swift build --product lrsched >/dev/null
exec python3 scripts/browser_test.py --bin "$(swift build --show-bin-path)/lrsched" --chromium "$(command -v chromium)" "$@"
