#!/usr/bin/env bash
# Counts the CPU instructions the server spends per request, with callgrind: a figure that does
# not move with the machine's load, for comparing two builds or finding what a change costs.
# Measurements only; nothing here passes or fails. Kernel time (recv, sendmsg) is not counted.
#
#   scripts/instructions.sh [lrsched binary] [request body] [functions to list]
#   (defaults: the release build, a 100-epoch StepLR request, 25)
#
# The server runs under callgrind with one worker thread and the default configuration; a
# keep-alive client sends requests that never repeat (`lr` moves by 1e-12 per request) with the
# headers wrk sends. The figure is (cost of 600 requests − cost of 200) / 400, so start-up and
# shutdown cancel out; the list gives each function's own instructions per request the same way.
# It also prints the code a request runs: the 64-byte lines of machine code that at least half
# of the extra 400 requests executed, by library. In the server a request's code is mostly cold
# (the kernel and the client run between two requests), so this footprint costs time beyond the
# instruction count.
# Installs valgrind when missing. valgrind 3.19 cannot read Swift's DWARF 5, so it runs a copy of
# the binary without debug sections (symbols stay).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/release/lrsched}"
default_body='{"scheduler":"StepLR","lr":__LR__,"params":{"step_size":10,"gamma":0.9},"epochs":100}'
body="${2:-$default_body}"
top="${3:-25}"
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
if [ "$bin" = .build/release/lrsched ]; then swift build -c release --product lrsched >/dev/null; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
objcopy --strip-debug "$bin" "$work/lrsched"
port=18290

cat >"$work/client.py" <<'PY'
import http.client, sys
port, count, body = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
connection = http.client.HTTPConnection("127.0.0.1", port)
for i in range(count):
    payload = body.replace("__LR__", repr(0.1 + i * 1e-12)).encode()
    connection.putrequest("POST", "/v1/schedules", skip_accept_encoding=True)
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(len(payload)))
    connection.endheaders(payload)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"request {i}: status {response.status}")
PY

run() { # requests
  valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$work/out.$1" "$work/lrsched" serve --port "$port" \
    --threads 1 --drain-delay 0 >"$work/server.$1.log" 2>&1 &
  local pid=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  python3 "$work/client.py" "$port" "$1" "$body"
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  callgrind_annotate --inclusive=no --threshold=100 "$work/out.$1" >"$work/annotated.$1" 2>/dev/null
}
run 200
run 600
python3 - "$work/annotated.200" "$work/annotated.600" "$top" <<'PY'
import re, sys
def load(path):
    costs = {}
    for line in open(path):
        m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+(.*)", line)
        if m:
            costs[m.group(2)] = int(m.group(1).replace(",", ""))
    return costs
low, high, top = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
total = (high.get("PROGRAM TOTALS", 0) - low.get("PROGRAM TOTALS", 0)) / 400
print(f"instructions per request: {total:,.0f}")
rows = sorted(((high[k] - low.get(k, 0)) / 400, k) for k in high if k != "PROGRAM TOTALS")
for cost, name in reversed(rows[-top:]):
    print(f"{cost:10,.0f}  {name[:150]}")
PY
python3 - "$work/out.200" "$work/out.600" <<'PY'
import collections, os, re, sys
def lines(path):
    """Executions per (object, instruction address) from a callgrind file with --dump-instr=yes,
    and the calls into the Swift runtime's atomic reference counting (swift_retain/release)."""
    objects, functions, counts = {}, {}, collections.Counter()
    obj, address, after_calls, callee, refcounts = "?", 0, False, "", 0
    for line in open(path):
        if line.startswith(("fn=", "cfn=")):
            m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line.strip())
            if m.group(2):
                functions[m.group(1)] = m.group(2)
            if line.startswith("cfn="):
                callee = functions[m.group(1)]
            continue
        if line.startswith(("ob=", "cob=")):
            m = re.match(r"c?ob=\((\d+)\)(?: (.*))?", line.strip())
            if m.group(2):
                objects[m.group(1)] = os.path.basename(m.group(2))
            if line.startswith("ob="):
                obj = objects[m.group(1)]
            continue
        if line.startswith("calls="):
            after_calls = True
            if re.fullmatch(r"swift_(retain|release)(_n)?('\d+)?", callee):
                refcounts += int(line.split("=")[1].split()[0])
            continue
        m = re.match(r"(0x[0-9a-f]+|[+-]\d+|\*)\s+\S+\s+(\d+)", line)
        if not m:
            continue
        a = m.group(1)
        address = int(a, 16) if a.startswith("0x") else address + int(a) if a[0] in "+-" else address
        if after_calls:  # the cost line of a call: inclusive cost of the callee, not this line's
            after_calls = False
            continue
        counts[(obj, address)] += int(m.group(2))
    return counts, refcounts
(low, low_refcounts), (high, high_refcounts) = lines(sys.argv[1]), lines(sys.argv[2])
hot = collections.defaultdict(set)
for (obj, address), n in high.items():
    if n - low.get((obj, address), 0) >= 200:
        hot[obj].add(address // 64)
total = sum(len(v) for v in hot.values())
parts = ", ".join(f"{o} {len(v) * 64 / 1024:.0f}" for o, v in sorted(hot.items(), key=lambda x: -len(x[1]))[:4])
print(f"code per request: {total * 64 / 1024:.0f} KiB in {total} lines run by most requests ({parts} KiB)")
print(f"atomic reference counts per request: {(high_refcounts - low_refcounts) / 400:,.0f} (swift_retain/release calls)")
PY
