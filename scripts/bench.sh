#!/usr/bin/env bash
# Measures lrsched against the machine's ceiling and a Python reference, in one run; prints ratios.
# Measurements only: nothing here passes or fails, and single rounds on a busy machine vary by
# ±15 % (more when the hypervisor steals time), so compare the ratios of one run, not figures
# across runs.
#
#   scripts/bench.sh [seconds per round] [rounds] [baseline lrsched binary]
#   (defaults: 6 s, 3 alternating rounds, no baseline)
#
# Installs what it needs when missing: wrk and nginx-light (apt), fastapi and uvicorn (pip; torch
# must be installed for the Python reference and the training comparison).
# - HTTP: for each workload, wrk -t1 -c32 alternates between lrsched (POST, default
#   configuration: access log at info), nginx serving the same answer bytes as a static file
#   (GET, its default access log on) and, when given, a baseline lrsched binary (an older build:
#   the before/after of a change in one run). The table gives the medians of the rounds, the
#   ratios, lrsched's p99, and the server CPU time per request (user + system, from /proc), which
#   moves less than throughput when the machine is shared.
#   The FastAPI + torch reference (benchmarks/fastapi_torch.py) gets one short round per workload.
# - In process (the lrsched-bench target): the cost of one epoch per schedule over 1,000,000
#   epochs, of one double written as text, and of one request through the service without HTTP.
# - Training, in process: the small and the large MLP, next to torch eager on one thread.
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

lport=18090 nport=18091 fport=18092 bport=18093
$bin serve --port "$lport" >"$work/lrsched.log" 2>&1 & pids+=($!)
lpid=$!
wait_up "http://127.0.0.1:$lport/healthz"
if [ -n "$baseline" ]; then
  "$baseline" serve --port "$bport" >"$work/baseline.log" 2>&1 & pids+=($!)
  bpid=$!
  wait_up "http://127.0.0.1:$bport/healthz"
fi

declare -A body
body[steplr100]='{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10,"gamma":0.9},"epochs":100}'
body[steplr1000]='{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10,"gamma":0.9},"epochs":1000}'
body[cosine1000]='{"scheduler":"CosineAnnealingLR","lr":0.1,"params":{"T_max":1000},"epochs":1000}'
body[hfcosine1000]='{"framework":"transformers","scheduler":"cosine","lr":0.001,"params":{"num_warmup_steps":100,"num_training_steps":1000},"epochs":1000}'
workloads=(steplr100 steplr1000 cosine1000 hfcosine1000)
mkdir -p "$work/www"
for w in "${workloads[@]}"; do
  curl -sf "http://127.0.0.1:$lport/v1/schedules" -H 'Content-Type: application/json' -d "${body[$w]}" >"$work/www/$w.json"
done
chmod -R a+rX "$work"   # nginx's workers run unprivileged
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx-access.log;
  types { application/json json; }
  server { listen 127.0.0.1:$nport; root $work/www; }
}
CONF
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
"$nginx_bin" -c "$work/nginx.conf" -g 'daemon off;' & pids+=($!)
wait_up "http://127.0.0.1:$nport/steplr100.json"
if python3 -c "import fastapi, uvicorn, torch" 2>/dev/null; then
  python3 -m uvicorn --app-dir benchmarks fastapi_torch:app --host 127.0.0.1 --port "$fport" --log-level warning & pids+=($!)
  wait_up "http://127.0.0.1:$fport/docs" 600 || true   # importing torch takes a while
  have_fastapi=1
else
  have_fastapi=0
fi

# wrk_run URL BODY SECONDS [PID] -> "requests_per_second p99_ms cpu_us_per_request"
cpu_ticks() { if [ -n "${1:-}" ]; then awk '{print $14 + $15}' "/proc/$1/stat"; else echo 0; fi; }
wrk_run() {
  local out c0 c1
  c0=$(cpu_ticks "${4:-}")
  if [ -n "${2:-}" ]; then
    out=$(BODY="$2" wrk -t1 -c32 -d"$3" --latency -s benchmarks/post.lua "$1")
  else
    out=$(wrk -t1 -c32 -d"$3" --latency "$1")
  fi
  c1=$(cpu_ticks "${4:-}")
  local rps p99 n
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "$rps $p99 $(awk -v c=$((c1 - c0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (n > 0) ? c * 1e6 / hz / n : 0}')"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "== HTTP, wrk -t1 -c32, ${duration}s rounds, ${rounds} alternating rounds per workload (medians)"
printf '| workload | bytes | lrsched req/s | nginx static req/s | lrsched / nginx | lrsched p99 ms | lrsched CPU µs/request |'
[ -n "$baseline" ] && printf ' baseline req/s | baseline CPU µs/request | lrsched / baseline |'
printf ' FastAPI+torch req/s | lrsched / FastAPI |\n'
printf '|---|---|---|---|---|---|---|'
[ -n "$baseline" ] && printf -- '---|---|---|'
printf -- '---|---|\n'
for w in "${workloads[@]}"; do
  : >"$work/l"; : >"$work/n"; : >"$work/p"; : >"$work/c"; : >"$work/b"; : >"$work/bc"
  for _ in $(seq "$rounds"); do
    read -r nr _ _ < <(wrk_run "http://127.0.0.1:$nport/$w.json" "" "${duration}s"); echo "$nr" >>"$work/n"
    read -r lr lp lc < <(wrk_run "http://127.0.0.1:$lport" "${body[$w]}" "${duration}s" "$lpid")
    echo "$lr" >>"$work/l"; echo "$lp" >>"$work/p"; echo "$lc" >>"$work/c"
    if [ -n "$baseline" ]; then
      read -r br _ bc < <(wrk_run "http://127.0.0.1:$bport" "${body[$w]}" "${duration}s" "$bpid")
      echo "$br" >>"$work/b"; echo "$bc" >>"$work/bc"
    fi
  done
  l=$(median <"$work/l"); n=$(median <"$work/n"); p=$(median <"$work/p"); c=$(median <"$work/c")
  printf '| %s | %s | %.0f | %.0f | %.2f | %.2f | %.1f |' "$w" "$(wc -c <"$work/www/$w.json")" "$l" "$n" \
    "$(awk -v a="$l" -v b="$n" 'BEGIN {print a / b}')" "$p" "$c"
  if [ -n "$baseline" ]; then
    b=$(median <"$work/b"); bc=$(median <"$work/bc")
    printf ' %.0f | %.1f | %.2f |' "$b" "$bc" "$(awk -v a="$l" -v b="$b" 'BEGIN {print a / b}')"
  fi
  if [ "$have_fastapi" = 1 ]; then
    # One request first: uvicorn's first answers are slow enough to time out wrk's whole round.
    curl -s -o /dev/null --max-time 30 "http://127.0.0.1:$fport/v1/schedules" -H 'Content-Type: application/json' \
      -d "${body[$w]}" || true
    read -r f _ _ < <(wrk_run "http://127.0.0.1:$fport" "${body[$w]}" "3s")
    printf ' %s | %s |\n' "$f" "$(awk -v a="$l" -v b="$f" 'BEGIN {printf "%.0f×", a / b}')"
  else
    printf ' - | - |\n'
  fi
done

echo
.build/release/lrsched-bench 5 epochs doubles service training
if python3 -c "import torch" 2>/dev/null; then
  echo
  python3 benchmarks/torch_reference.py | awk '{print "torch (eager, 1 thread, float32): " $1 " = " $2}'
fi
echo
echo "== Memory: lrsched's resident set after the HTTP rounds"
awk '/VmRSS|VmHWM/ {print $1, $2, $3}' "/proc/$lpid/status"
