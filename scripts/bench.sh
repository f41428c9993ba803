#!/usr/bin/env bash
# Measures lrsched against the machine's ceiling and a Python reference, in one run; prints ratios.
# Measurements only: nothing here passes or fails, and single rounds on a busy machine vary by
# ±15 %, so compare the ratios of one run, not figures across runs.
#
#   scripts/bench.sh [seconds per round] [rounds]     (defaults: 6 s, 3 alternating rounds)
#
# Installs what it needs when missing: wrk and nginx-light (apt), fastapi and uvicorn (pip; torch
# must be installed for the Python reference and the training comparison).
# - HTTP: for each workload, wrk -t1 -c32 alternates between lrsched (POST, default
#   configuration: access log at info) and nginx serving the same answer bytes as a static file
#   (GET, its default access log on); the median of the rounds, their ratio and lrsched's p99.
#   The FastAPI + torch reference (benchmarks/fastapi_torch.py) gets one short round per workload.
# - Evaluation cost per epoch: a 1,000,000-epoch `lrsched eval` minus a 1-epoch one (JSON
#   writing included), next to torch's StepLR.step().
# - Training: the MLP run over HTTP, best of 3, next to torch eager on one thread.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-6}"
rounds="${2:-3}"
scripts/ensure-deps.sh
need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
if [ ${#need_apt[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null; fi
python3 -c "import fastapi, uvicorn" 2>/dev/null || pip install -q fastapi uvicorn >/dev/null 2>&1 || true
swift build -c release --product lrsched >/dev/null
bin=.build/release/lrsched
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
wait_up() { for _ in $(seq 100); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }

lport=18090 nport=18091 fport=18092
$bin serve --port "$lport" >"$work/lrsched.log" 2>&1 & pids+=($!)
wait_up "http://127.0.0.1:$lport/healthz"

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
  wait_up "http://127.0.0.1:$fport/docs" || true
  have_fastapi=1
else
  have_fastapi=0
fi

# wrk_run URL [BODY] -> "requests_per_second p99_ms"
wrk_run() {
  local out
  if [ -n "${2:-}" ]; then
    out=$(BODY="$2" wrk -t1 -c32 -d"$3" --latency -s benchmarks/post.lua "$1")
  else
    out=$(wrk -t1 -c32 -d"$3" --latency "$1")
  fi
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<<"$out")
  echo "$rps $p99"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "== HTTP, wrk -t1 -c32, ${duration}s rounds, ${rounds} alternating rounds per workload (medians)"
printf '| workload | bytes | lrsched req/s | nginx static req/s | lrsched / nginx | lrsched p99 ms | FastAPI+torch req/s | lrsched / FastAPI |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for w in "${workloads[@]}"; do
  : >"$work/l" ; : >"$work/n" ; : >"$work/p"
  for _ in $(seq "$rounds"); do
    read -r nr _ < <(wrk_run "http://127.0.0.1:$nport/$w.json" "" "${duration}s"); echo "$nr" >>"$work/n"
    read -r lr lp < <(wrk_run "http://127.0.0.1:$lport" "${body[$w]}" "${duration}s"); echo "$lr" >>"$work/l"; echo "$lp" >>"$work/p"
  done
  l=$(median <"$work/l"); n=$(median <"$work/n"); p=$(median <"$work/p")
  if [ "$have_fastapi" = 1 ]; then
    read -r f _ < <(wrk_run "http://127.0.0.1:$fport" "${body[$w]}" "3s")
    fr=$(awk -v a="$l" -v b="$f" 'BEGIN {printf "%.0f×", a / b}')
  else
    f="-"; fr="-"
  fi
  printf '| %s | %s | %.0f | %.0f | %.2f | %.2f | %s | %s |\n' "$w" "$(wc -c <"$work/www/$w.json")" "$l" "$n" \
    "$(awk -v a="$l" -v b="$n" 'BEGIN {print a / b}')" "$p" "$f" "$fr"
done

echo
echo "== Evaluation cost per epoch (CLI eval of 1,000,000 epochs minus 1 epoch; JSON writing included)"
spec() { printf '{"framework":"%s","scheduler":"%s","lr":0.1,"params":%s,"epochs":%d}' "$1" "$2" "$3" "$4"; }
measure() { # framework name params
  local t0 t1 t2
  t0=$(date +%s%N); spec "$1" "$2" "$3" 1 | $bin eval - >/dev/null; t1=$(date +%s%N)
  spec "$1" "$2" "$3" 1000000 | $bin eval - >/dev/null; t2=$(date +%s%N)
  echo "$1 $2: $(( ( (t2 - t1) - (t1 - t0) ) / 1000000 )) ns/epoch"
}
measure torch StepLR '{"step_size":10,"gamma":0.9}'
measure torch CosineAnnealingLR '{"T_max":1000}'
measure torch LambdaLR '{"lr_lambda":"0.95 ** (epoch // 10) * (1 + epoch % 7) / (2 + epoch % 3)"}'
measure transformers cosine '{"num_warmup_steps":1000,"num_training_steps":1000000}'

echo
echo "== Training: MLP 10→64→64→1 (relu), Adam, 512 samples, batch 32, 100 epochs (best of 3, over HTTP)"
mlp='{"model":{"type":"mlp","in_features":10,"hidden":[64,64],"activation":"relu","out_features":1},"data":{"type":"synthetic","train_size":512,"val_size":0,"seed":7},"loss":"mse","optimizer":{"type":"Adam"},"epochs":100,"batch_size":32}'
for _ in 1 2 3; do
  curl -s -o /dev/null -w "%{time_total}\n" "http://127.0.0.1:$lport/v1/training-runs" -d "$mlp"
done | sort -n | head -1 | awk '{printf "lrsched: %.0f ms per run over HTTP\n", $1 * 1000}'
if python3 -c "import torch" 2>/dev/null; then
  python3 benchmarks/torch_reference.py | awk '{print "torch (eager, 1 thread): " $1 " = " $2}'
fi
