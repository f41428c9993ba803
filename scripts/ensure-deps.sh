#!/usr/bin/env bash
# Installs the system packages lrsched needs to build (libmicrohttpd's, zlib's and OpenBLAS's headers), if missing.
set -euo pipefail
missing=()
dpkg -s libmicrohttpd-dev >/dev/null 2>&1 || missing+=(libmicrohttpd-dev)
dpkg -s pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
dpkg -s libopenblas-serial-dev >/dev/null 2>&1 || missing+=(libopenblas-serial-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} ..." >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
