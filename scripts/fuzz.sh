#!/usr/bin/env bash
# Fuzzes the JSON parser, the lr_lambda language, schedule-request decoding (and evaluation) and
# training-request decoding with libFuzzer under AddressSanitizer, each for `seconds` (default 60),
# starting from a seed corpus made of the golden fixtures. Crashes are written to .fuzz/<name>/.
#
#   scripts/fuzz.sh [seconds] [json|lambda|schedule|training]...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(json lambda schedule training)
out=.fuzz
mkdir -p "$out/lib"
flags=(-sanitize=fuzzer,address -O -g -swift-version 6 -parse-as-library)

# The library modules, built once with coverage instrumentation (dependencies first).
build_module() { # name sources...
  local name=$1; shift
  swiftc "${flags[@]}" -emit-library -static -module-name "$name" -I "$out/lib" -I Sources/CBLAS \
    -emit-module-path "$out/lib/$name.swiftmodule" -o "$out/lib/lib$name.a" "$@" 2>>"$out/build.log" ||
    { tail -40 "$out/build.log" >&2; exit 1; }
}
[ -f "$out/lib/libJSON.a" ] && [ -z "$(find Sources/JSON -newer "$out/lib/libJSON.a")" ] ||
  build_module JSON $(find Sources/JSON -name '*.swift')
[ -f "$out/lib/libFloat32Math.a" ] && [ -z "$(find Sources/Float32Math -newer "$out/lib/libFloat32Math.a")" ] ||
  build_module Float32Math $(find Sources/Float32Math -name '*.swift')
[ -f "$out/lib/libSchedules.a" ] && [ -z "$(find Sources/Schedules Sources/JSON Sources/Float32Math -newer "$out/lib/libSchedules.a")" ] ||
  build_module Schedules $(find Sources/Schedules -name '*.swift')
[ -f "$out/lib/libTraining.a" ] && [ -z "$(find Sources -newer "$out/lib/libTraining.a" -path '*Training*')" ] ||
  build_module Training $(find Sources/Training -name '*.swift')

python3 scripts/fuzz_corpus.py "$out"
for name in "${harnesses[@]}"; do
  # (the linker warns about sanitizer symbols it cannot export; the log keeps them)
  swiftc "${flags[@]}" -I "$out/lib" -I Sources/CBLAS -L "$out/lib" -lTraining -lSchedules -lFloat32Math -lJSON -lopenblas \
    "Tests/Fuzz/$name.swift" -o "$out/fuzz-$name" 2>>"$out/build.log" ||
    { tail -40 "$out/build.log" >&2; exit 1; }
  mkdir -p "$out/$name"
  echo "== $name: ${seconds}s" >&2
  "$out/fuzz-$name" -max_total_time="$seconds" -max_len=4096 -timeout=5 -rss_limit_mb=2048 \
    -artifact_prefix="$out/$name/" "$out/corpus-$name" 2>&1 | grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs|ERROR|SUMMARY" || true
  if ls "$out/$name"/crash-* "$out/$name"/leak-* "$out/$name"/timeout-* >/dev/null 2>&1; then
    echo "$name: failures saved in $out/$name/" >&2
    exit 1
  fi
done
