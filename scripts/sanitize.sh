#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer, then under ThreadSanitizer, each in its own
# build directory (.build-asan, .build-tsan); the C shim is also built with UndefinedBehaviorSanitizer
# in the address run (Swift itself traps on overflow and out-of-bounds access). Exits non-zero when
# a sanitizer reports a problem or a test fails.
#
#   scripts/sanitize.sh [address|thread]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(address thread)
for kind in "${kinds[@]}"; do
  case "$kind" in
    address) flags=(--sanitize=address -Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=undefined); dir=.build-asan ;;
    thread) flags=(--sanitize=thread); dir=.build-tsan ;;
    *) echo "unknown sanitizer $kind (address or thread)" >&2; exit 2 ;;
  esac
  echo "== $kind sanitizer" >&2
  swift build --build-tests "${flags[@]}" --scratch-path "$dir"
  # Leak detection is off: the test runner (XCTest) leaks a few objects at exit by design.
  ASAN_OPTIONS="detect_leaks=0:halt_on_error=1" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
    TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1" \
    swift test --skip-build "${flags[@]}" --scratch-path "$dir"
done
