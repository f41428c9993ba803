#!/usr/bin/env bash
# Generates a Python client from openapi.yaml with openapi-python-client (a standard generator,
# from PyPI) and calls a running lrsched through it: one schedule of every family and trainer,
# the batch route and a problem answer (scripts/client_check.py). The generator lives in a
# virtual environment under .build/, made on first use.
#
#   scripts/client-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
venv=.build/client-check-venv
if ! "$venv/bin/python" -c "import openapi_python_client, httpx, attrs, dateutil, yaml" 2>/dev/null; then
  echo "installing openapi-python-client into $venv ..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "openapi-python-client==0.29.1" python-dateutil pyyaml >/dev/null
fi
swift build --product lrsched >/dev/null
exec "$venv/bin/python" scripts/client_check.py --bin "$(swift build --show-bin-path)/lrsched" \
  --generator "$venv/bin/openapi-python-client"
