#!/usr/bin/env bash
# Measures lrsched against the machine's ceiling for an HTTP answer, in one run; prints ratios.
# Measurements only: nothing here passes or fails, and single rounds on a busy machine vary by
# ±15 % (more when the hypervisor steals time), so compare the ratios of one run, not figures
# across runs.
#
#   scripts/bench.sh [seconds per round] [rounds] [baseline lrsched binary]
#   (defaults: 6 s, 3 alternating rounds, no baseline)
#
# Installs what it needs when missing: wrk and nginx-light (apt), fastapi and uvicorn (pip; torch
# must be installed for the Python reference and the training comparison).
# - The ceiling: nginx serving the same answer bytes as a static file, access log off, to
#   wrk -t1 -c32 (GET).
# - The transport's floor (distinct table): Benchmarks/http/mhd_floor.c, libmicrohttpd on
#   lrsched's daemon flags answering the same POSTs with the same bytes and doing nothing else;
#   what lrsched spends above it is its own. Skipped when no C compiler is found.
# - Distinct requests: every request lrsched gets is new (Benchmarks/http/distinct.lua moves `lr`
#   by 1e-12 per request), so nothing can come from a cache: the cost of parsing, evaluating and
#   writing. lrsched runs its default configuration (access log at info).
# - Repeated requests: the same request again and again (Benchmarks/http/post.lua), answered
#   from the answer cache.
# - Given a baseline binary (an older build), it alternates with lrsched in every round, so the
#   before/after of a change is measured in one run.
# Each table gives the medians of the rounds, the ratios, lrsched's p99, and the server CPU time
# per request (user + system, from /proc), which moves less than throughput on a shared machine.
# Then: the FastAPI + torch reference (one short round per workload), in-process figures (the
# lrsched-bench target: cost per epoch, per double written, per request without HTTP, warm and with
# the caches cooled between requests), training against torch eager, and the user-space
# instructions per request of each workload for lrsched and the baseline, with the KiB of machine code
# most requests run and their atomic reference counts (scripts/instructions.sh,
# which installs valgrind when missing): the figure that separates changes of a few per cent,
# which three rounds on a shared VM cannot. Last, scripts/profile.sh: the share of the server's
# CPU each stage takes (kernel, libmicrohttpd, transport, middleware, parse, decode, evaluate,
# render), from perf samples of the running server.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-6}"
rounds="${2:-3}"
baseline="${3:-}"
scripts/ensure-deps.sh
need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
if [ ${#need_apt[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null; fi
python3 -c "import fastapi, uvicorn" 2>/dev/null || pip install -q fastapi uvicorn >/dev/null 2>&1 || true
swift build -c release --product lrsched >/dev/null
swift build -c release --product lrsched-bench >/dev/null
bin=.build/release/lrsched
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
wait_up() { # URL [tenths of a second]
  for _ in $(seq "${2:-100}"); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "not up: $1" >&2
  return 1
}

lport=18090 nport=18091 fport=18092 bport=18093 mport=18094
$bin serve --port "$lport" >"$work/lrsched.log" 2>&1 & pids+=($!)
lpid=$!
wait_up "http://127.0.0.1:$lport/healthz"
if [ -n "$baseline" ]; then
  "$baseline" serve --port "$bport" >"$work/baseline.log" 2>&1 & pids+=($!)
  bpid=$!
  wait_up "http://127.0.0.1:$bport/healthz"
fi

# shellcheck source=../Benchmarks/http/workloads.sh
source Benchmarks/http/workloads.sh
request() { echo "${body[$1]/__LR__/${lr[$1]}}"; }
mkdir -p "$work/www"
for w in "${workloads[@]}"; do
  curl -sf "http://127.0.0.1:$lport/v1/schedules" -H 'Content-Type: application/json' -d "$(request "$w")" >"$work/www/$w.json"
done
chmod -R a+rX "$work"   # nginx's workers run unprivileged
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/json json; }
  server { listen 127.0.0.1:$nport; root $work/www; }
}
CONF
have_floor=0
if "${CC:-cc}" -O2 -o "$work/mhd_floor" Benchmarks/http/mhd_floor.c -lmicrohttpd 2>"$work/floor-build.log"; then
  "$work/mhd_floor" "$mport" "$(nproc)" "$work/www" $(for w in "${workloads[@]}"; do echo "$w.json"; done) & pids+=($!)
  mpid=$!
  have_floor=1
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
"$nginx_bin" -c "$work/nginx.conf" -g 'daemon off;' & pids+=($!)
wait_up "http://127.0.0.1:$nport/steplr100.json"
if python3 -c "import fastapi, uvicorn, torch" 2>/dev/null; then
  python3 -m uvicorn --app-dir Benchmarks/http fastapi_torch:app --host 127.0.0.1 --port "$fport" --log-level warning & pids+=($!)
  wait_up "http://127.0.0.1:$fport/docs" 600 || true   # importing torch takes a while
  have_fastapi=1
else
  have_fastapi=0
fi

# MODE: static (GET), distinct (a new request each time) or repeated (the same request).
# Every distinct run gets its own lr range (ROUND): no request repeats across rounds or servers.
round=0
cpu_ticks() { if [ -n "${1:-}" ]; then awk '{print $14 + $15}' "/proc/$1/stat"; else echo 0; fi; }
# The whole machine's busy ticks (user, nice, system, irq, softirq: not idle, not stolen).
machine_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
# per_request TICKS REQUESTS -> µs of CPU per request
per_request() { awk -v c="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (n > 0) ? c * 1e6 / hz / n : 0}'; }
# wrk_run URL MODE WORKLOAD SECONDS [PID]
#   -> "requests_per_second p99_ms cpu_us_per_request machine_cpu_us_per_request"
wrk_run() {
  local out c0 c1 m0 m1
  m0=$(machine_ticks)
  c0=$(cpu_ticks "${5:-}")
  case "$2" in
    static) out=$(wrk -t1 -c32 -d"$4" --latency "$1") ;;
    distinct) out=$(BODY="${body[$3]}" LR="${lr[$3]}" ROUND="${ROUND:-0}" wrk -t1 -c32 -d"$4" --latency -s Benchmarks/http/distinct.lua "$1") ;;
    floor) out=$(TARGET="/$3.json" BODY="${body[$3]}" LR="${lr[$3]}" ROUND="${ROUND:-0}" wrk -t1 -c32 -d"$4" --latency -s Benchmarks/http/distinct.lua "$1") ;;
    repeated) out=$(BODY="$(request "$3")" wrk -t1 -c32 -d"$4" --latency -s Benchmarks/http/post.lua "$1") ;;
  esac
  c1=$(cpu_ticks "${5:-}")
  m1=$(machine_ticks)
  local rps p99 n
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "$rps $p99 $(per_request $((c1 - c0)) "$n") $(per_request $((m1 - m0)) "$n")"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }

table() { # MODE TITLE
  echo "== $2: wrk -t1 -c32, ${duration}s rounds, ${rounds} alternating rounds per workload (medians)"
  local floor=0
  [ "$1" = distinct ] && [ "$have_floor" = 1 ] && floor=1
  printf '| workload | bytes | lrsched req/s | nginx static req/s (no access log) | lrsched / nginx | lrsched p99 ms | lrsched CPU µs/request |'
  [ -n "$baseline" ] && printf ' baseline req/s | baseline / nginx | baseline p99 ms | baseline CPU µs/request | lrsched / baseline |'
  [ "$floor" = 1 ] && printf ' libmicrohttpd alone req/s | alone / nginx | alone CPU µs/request |'
  printf '\n|---|---|---|---|---|---|---|'
  [ -n "$baseline" ] && printf -- '---|---|---|---|---|'
  [ "$floor" = 1 ] && printf -- '---|---|---|'
  printf '\n'
  for w in "${workloads[@]}"; do
    : >"$work/l"; : >"$work/o"; : >"$work/mo"; : >"$work/n"; : >"$work/p"; : >"$work/c"; : >"$work/b"; : >"$work/bp"; : >"$work/bc"; : >"$work/m"; : >"$work/mc"
    for _ in $(seq "$rounds"); do
      read -r nr _ _ < <(wrk_run "http://127.0.0.1:$nport/$w.json" static "$w" "${duration}s"); echo "$nr" >>"$work/n"
      round=$((round + 1))
      read -r lr_ lp lc lm < <(ROUND=$round wrk_run "http://127.0.0.1:$lport" "$1" "$w" "${duration}s" "$lpid")
      echo "$lr_" >>"$work/l"; echo "$lp" >>"$work/p"; echo "$lc" >>"$work/c"
      awk -v m="$lm" -v c="$lc" 'BEGIN {print m - c}' >>"$work/o"
      if [ -n "$baseline" ]; then
        round=$((round + 1))
        read -r br bp bc _ < <(ROUND=$round wrk_run "http://127.0.0.1:$bport" "$1" "$w" "${duration}s" "$bpid")
        echo "$br" >>"$work/b"; echo "$bp" >>"$work/bp"; echo "$bc" >>"$work/bc"
      fi
      if [ "$floor" = 1 ]; then
        round=$((round + 1))
        read -r mr _ mc mm < <(ROUND=$round wrk_run "http://127.0.0.1:$mport" floor "$w" "${duration}s" "$mpid")
        echo "$mr" >>"$work/m"; echo "$mc" >>"$work/mc"
        awk -v m="$mm" -v c="$mc" 'BEGIN {print m - c}' >>"$work/mo"
      fi
    done
    l=$(median <"$work/l"); n=$(median <"$work/n"); p=$(median <"$work/p"); c=$(median <"$work/c")
    if [ "$1" = distinct ]; then
      nginx_rps[$w]=$n; server_us[$w]=$c; other_us[$w]=$(median <"$work/o")
    fi
    printf '| %s | %s | %.0f | %.0f | %s | %.2f | %.1f |' "$w" "$(wc -c <"$work/www/$w.json")" "$l" "$n" "$(ratio "$l" "$n")" "$p" "$c"
    if [ -n "$baseline" ]; then
      b=$(median <"$work/b"); bp=$(median <"$work/bp"); bc=$(median <"$work/bc")
      printf ' %.0f | %s | %.2f | %.1f | %s |' "$b" "$(ratio "$b" "$n")" "$bp" "$bc" "$(ratio "$l" "$b")"
    fi
    if [ "$floor" = 1 ]; then
      m=$(median <"$work/m"); mc=$(median <"$work/mc"); floor_us[$w]=$mc; floor_other_us[$w]=$(median <"$work/mo")
      printf ' %.0f | %s | %.1f |' "$m" "$(ratio "$m" "$n")" "$mc"
    fi
    printf '\n'
  done
  echo
}

declare -A nginx_rps server_us other_us floor_us floor_other_us
table distinct "Distinct requests (every lr new: no cache can answer)"

# What the goals leave lrsched to spend. At the goal the machine serves goal × nginx's requests
# per second with all its cores busy, so each request gets cores / rate of CPU; what the rest of
# the machine spends on a request (wrk and the kernel outside the server's own threads, measured
# in lrsched's rounds and in libmicrohttpd's above; the smaller, the more generous budget, is
# used) leaves the server its budget. Against it: what the server spends now,
# what libmicrohttpd alone spends on the same bytes, and (lrsched-bench, in process, warm) the
# work no server of these answers can skip: the schedule's arithmetic and the text of its rates.
echo "== Budget at the goal (distinct requests): server CPU per request that reaches goal × nginx's rate"
echo "   on $(nproc) cores; in process: lrsched-bench's request section (warm caches, no HTTP)"
echo '| workload | goal | requests/s at goal | other CPU µs/request (wrk, kernel; lrsched / libmicrohttpd rounds) | server budget µs | lrsched server µs now | libmicrohttpd alone µs | evaluate + repr µs | + parse, decode µs | whole service µs | alone + evaluate + repr µs |'
echo '|---|---|---|---|---|---|---|---|---|---|---|'
for w in "${workloads[@]}"; do
  read -r _ ev de wh < <(REQUEST="$(request "$w")" .build/release/lrsched-bench 5 request)
  awk -v w="$w" -v g="${goal[$w]}" -v n="${nginx_rps[$w]}" -v o="${other_us[$w]}" -v s="${server_us[$w]}" \
    -v f="${floor_us[$w]:-}" -v fo="${floor_other_us[$w]:-}" -v ev="$ev" -v de="$de" -v wh="$wh" -v cores="$(nproc)" 'BEGIN {
      rate = g * n
      other = (fo != "" && fo < o) ? fo : o
      budget = cores * 1e6 / rate - other
      others = sprintf("%.1f / %s", o, (fo == "") ? "n/a" : sprintf("%.1f", fo))
      floor = (f == "") ? "n/a" : sprintf("%.1f", f)
      least = (f == "") ? "n/a" : sprintf("%.1f", f + ev)
      printf "| %s | %s | %.0f | %s | %.1f | %.1f | %s | %.1f | %.1f | %.1f | %s |\n", w, g, rate, others, budget, s, floor, ev, de, wh, least
    }'
done
echo
table repeated "Repeated requests (the same request: the answer cache answers)"

if [ "$have_fastapi" = 1 ]; then
  echo "== FastAPI + torch (Benchmarks/http/fastapi_torch.py), one ${duration}s round of repeated requests"
  echo '| workload | FastAPI+torch req/s |'
  echo '|---|---|'
  for w in "${workloads[@]}"; do
    # One request first: uvicorn's first answers are slow enough to time out wrk's whole round.
    curl -s -o /dev/null --max-time 30 "http://127.0.0.1:$fport/v1/schedules" -H 'Content-Type: application/json' \
      -d "$(request "$w")" || true
    read -r f _ _ < <(wrk_run "http://127.0.0.1:$fport" repeated "$w" "${duration}s")
    echo "| $w | $f |"
  done
  echo
fi

.build/release/lrsched-bench 5 epochs doubles service cold training
if python3 -c "import torch" 2>/dev/null; then
  echo
  python3 Benchmarks/http/torch_reference.py | awk '{print "torch (eager, 1 thread, float32): " $1 " = " $2}'
fi
echo
echo "== Memory: lrsched's resident set after the HTTP rounds"
awk '/VmRSS|VmHWM/ {print $1, $2, $3}' "/proc/$lpid/status"

# The steady figure: what the rounds above cannot resolve (a few per cent) these counts can.
# instructions BIN WORKLOAD -> "instructions_per_request code_KiB_per_request refcounts_per_request"
instructions() {
  scripts/instructions.sh "$1" "${body[$2]}" 0 | awk '/instructions per request/ {gsub(",", "", $4); n = $4}
    /code per request/ {k = $4} /atomic reference counts per request/ {gsub(",", "", $6); r = $6}
    END {print n, k, r}'
}
echo
echo "== User-space instructions per request (scripts/instructions.sh: callgrind, one worker, requests that never repeat)"
echo "   the machine code most requests run (KiB of 64-byte lines: what a cold request has to fetch) and"
echo "   the atomic reference counts (swift_retain/release calls) per request"
printf '| workload | lrsched | code KiB | refcounts |'
[ -n "$baseline" ] && printf ' baseline | code KiB | refcounts | lrsched / baseline |'
printf '\n|---|---|---|---|'
[ -n "$baseline" ] && printf -- '---|---|---|---|'
printf '\n'
for w in "${workloads[@]}"; do
  read -r li lk lr < <(instructions "$bin" "$w")
  printf '| %s | %s | %s | %s |' "$w" "$li" "$lk" "$lr"
  if [ -n "$baseline" ]; then
    read -r bi bk br < <(instructions "$baseline" "$w")
    printf ' %s | %s | %s | %s |' "$bi" "$bk" "$br" "$(awk -v a="$li" -v b="$bi" 'BEGIN {printf "%.3f", (b > 0) ? a / b : 0}')"
  fi
  printf '\n'
done

# Where the server's CPU goes, stage by stage (perf samples; scripts/profile.sh installs perf).
echo
scripts/profile.sh "$bin" 4
