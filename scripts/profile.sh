#!/usr/bin/env bash
# Where the server's time goes: samples the running release server with `perf` (the cpu-clock
# software event, so it works on a VM without hardware counters) while `wrk -t1 -c32` sends
# requests that never repeat, and splits the samples by stage. Measurements only; nothing here
# passes or fails.
#
#   scripts/profile.sh [lrsched binary] [seconds per workload]
#   (defaults: the release build, 4 s)
#
# For each workload of bench.sh it prints the share of the server's CPU samples (all of its
# threads, kernel time included) and the microseconds per request that share stands for (the
# server's user + system CPU per request from /proc in an unsampled round, times the share). A sample belongs to the
# innermost stage on its call chain (frame pointers), so a `malloc` inside decoding counts as
# decoding:
#   kernel: send / receive / wait    the syscall the sample is in (`sendmsg` also delivers the
#                                    answer to the client's socket on loopback)
#   libmicrohttpd                    the library's own code (HTTP parsing, connection handling)
#   transport                        lrsched's access handler, request and response values
#   middleware                       request ids, metrics, the access record, the answer cache
#   service                          routing and the service around the stages below
#   parse, decode, evaluate, render  the JSON parser, the request's decoding and validation, the
#                                    schedule's steps, and the answer's text (repr digits included)
#   log writer                       the access log's writer thread
#   libc, caller not recorded        malloc, free, memset, string functions: glibc keeps no frame
#                                    pointers, so the chain above them is often lost
#   other                            anything else (the Swift runtime outside a known stage, ...)
# Installs perf (linux-perf) and wrk when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/release/lrsched}"
seconds="${2:-4}"
need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v perf >/dev/null || need_apt+=(linux-perf)
if [ ${#need_apt[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null; fi
if [ "$bin" = .build/release/lrsched ]; then swift build -c release --product lrsched >/dev/null; fi
work=$(mktemp -d)
port=18295
"$bin" serve --port "$port" --drain-delay 0 >"$work/server.log" 2>&1 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# shellcheck source=../Benchmarks/http/workloads.sh
source Benchmarks/http/workloads.sh

round=0
distinct() { # workload seconds -> wrk output; every round its own lr range
  round=$((round + 1))
  BODY="${body[$1]}" LR="${lr[$1]}" ROUND="$round" wrk -t1 -c32 -d"$2" -s Benchmarks/http/distinct.lua \
    "http://127.0.0.1:$port/v1/schedules"
}

echo "== Where the server's time goes: perf samples (cpu-clock) of requests that never repeat, wrk -t1 -c32, ${seconds}s per workload"
for w in "${workloads[@]}"; do
  distinct "$w" 1 >/dev/null
  # An unsampled round gives the CPU per request (sampling itself slows the server by about a
  # third); a sampled one gives the shares.
  ticks0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  out=$(distinct "$w" "${seconds}s")
  ticks1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(awk -v t=$((ticks1 - ticks0)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t * 1e6 / hz / n}')
  perf record -q -g -e cpu-clock -F 4999 -p "$pid" -o "$work/$w.data" -- sleep "$seconds" >/dev/null 2>&1 &
  perf_pid=$!
  distinct "$w" "${seconds}s" >/dev/null
  wait "$perf_pid" || true
  echo "-- $w: $(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out") req/s, $cpu µs of server CPU per request (unsampled round)"
  if ! perf script -i "$work/$w.data" -F comm,ip,sym,dso 2>/dev/null >"$work/$w.txt" || [ ! -s "$work/$w.txt" ]; then
    echo "perf recorded no samples (is kernel.perf_event_paranoid above 1 for this user?)"
    continue
  fi
  python3 - "$work/$w.txt" "$cpu" <<'PY'
import collections, re, sys

# Innermost first: the first stage whose marker appears on the chain, from the leaf up.
STAGES = [
    ("parse", ("JSONParser", "ParserCore")),
    ("decode", ("ScheduleRequestV6decode", "15ScheduleRequestV6decode", "SchedulerSpec", "Trainers")),
    ("evaluate", ("ScheduleRequestV8evaluate",)),
    ("render", ("JSONWriter", "PythonRepr", "Dragonbox", "Renderer")),
    ("service", ("7Service6Router", "ScheduleA0", "ScheduleRoute", "11ApplicationV")),
    # The middleware chain's closures and thunks take (HTTPRequest, RequestContext).
    ("middleware", ("MiddlewareV7respond", "AnswerCache", "ServiceMetrics", "ETag", "14RequestContext")),
    ("transport", ("10HTTPServer",)),
]
KERNEL = [("kernel: send", "sendmsg"), ("kernel: receive", "recvfrom"), ("kernel: receive", "recv"),
          ("kernel: wait", "epoll_wait")]

def classify(comm, frames):
    leaf_kernel = frames and frames[0][1] == "[kernel.kallsyms]"
    if leaf_kernel:
        names = [f[0] for f in frames]
        for label, marker in KERNEL:
            if any(marker in n for n in names):
                return label
        return "kernel: other"
    if not comm.startswith("MHD"):
        return "log writer" if any("LogOutput" in f[0] or "LogHandler" in f[0] for f in frames) else "other"
    for symbol, dso in frames:
        for label, markers in STAGES:
            if any(m in symbol for m in markers):
                return label
        if "libmicrohttpd" in dso:
            return "libmicrohttpd"
    # glibc keeps no frame pointers: its samples often lose the chain above them.
    return "libc, caller not recorded" if "libc.so" in frames[0][1] else "other"

counts = collections.Counter()
comm, frames = None, []
def flush():
    if comm is not None:
        counts[classify(comm, frames)] += 1
for line in open(sys.argv[1]):
    if not line.strip():
        flush(); comm, frames = None, []
    elif not line[0].isspace():
        comm = line.split()[0]
    else:
        m = re.match(r"\s*[0-9a-f]+ (.*?)(?:\+0x[0-9a-f]+)? \((.*)\)$", line.rstrip())
        if m:
            frames.append((m.group(1), m.group(2)))
flush()
total = sum(counts.values()) or 1
cpu = float(sys.argv[2])
order = ["kernel: send", "kernel: receive", "kernel: wait", "kernel: other", "libmicrohttpd", "transport",
         "middleware", "service", "parse", "decode", "evaluate", "render", "log writer",
         "libc, caller not recorded", "other"]
print("| stage | share of server CPU | µs per request |")
print("|---|---|---|")
for label in order:
    print(f"| {label} | {100 * counts[label] / total:.1f} % | {cpu * counts[label] / total:.1f} |")
print(f"({total} samples)")
PY
  echo
done
