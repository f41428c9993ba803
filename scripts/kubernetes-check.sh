#!/usr/bin/env bash
# Validates deploy/kubernetes offline (kubernetes-validate ships the schemas); installs it when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -c "import kubernetes_validate, yaml" 2>/dev/null; then
  echo "installing kubernetes-validate ..." >&2
  python3 -m pip install --quiet --break-system-packages "kubernetes-validate>=1.30" pyyaml >/dev/null
fi
exec python3 scripts/validate_kubernetes.py
