#!/usr/bin/env bash
# Measures lrsched: HTTP throughput with wrk (100-epoch StepLR) and the cost of evaluating one
# epoch (a 1,000,000-epoch eval minus a 1-epoch eval), plus torch's own step() for comparison
# when torch is installed. Measurements only: nothing here passes or fails.
#
#   scripts/bench.sh [seconds]      (default 10 s of wrk load; needs `wrk`: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
scripts/ensure-deps.sh
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
swift build -c release --product lrsched >/dev/null
bin=.build/release/lrsched
port=18080

echo "== HTTP: POST /v1/schedules, StepLR, 100 epochs, ${duration}s, 2 threads, 32 connections"
$bin serve --port "$port" --log-level warning &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
wrk -t2 -c32 -d"${duration}s" --latency -s scripts/bench/steplr-100.lua "http://127.0.0.1:$port" | sed -n '1,20p'

echo
echo "== Training run: MLP 10→64→64→1 (relu), Adam, 512 synthetic samples, batch 32, 100 epochs (best of 3)"
mlp='{"model":{"type":"mlp","in_features":10,"hidden":[64,64],"activation":"relu","out_features":1},"data":{"type":"synthetic","train_size":512,"val_size":0,"seed":7},"loss":"mse","optimizer":{"type":"Adam"},"epochs":100,"batch_size":32}'
for _ in 1 2 3; do
  curl -s -o /dev/null -w "%{time_total}\n" "http://127.0.0.1:$port/v1/training-runs" -d "$mlp"
done | sort -n | head -1 | awk '{printf "%.0f ms per run over HTTP\n", $1 * 1000}'

echo
echo "== Evaluation cost per epoch (CLI eval, includes JSON writing)"
spec() { printf '{"framework":"%s","scheduler":"%s","lr":0.1,"params":%s,"epochs":%d}' "$1" "$2" "$3" "$4"; }
measure() { # framework name params
  local t0 t1 t2
  t0=$(date +%s%N); spec "$1" "$2" "$3" 1 | $bin eval - >/dev/null; t1=$(date +%s%N)
  spec "$1" "$2" "$3" 1000000 | $bin eval - >/dev/null; t2=$(date +%s%N)
  echo "$1 $2: $(( ( (t2 - t1) - (t1 - t0) ) / 1000000 )) ns/epoch"
}
measure torch StepLR '{"step_size":10,"gamma":0.9}'
measure torch CosineAnnealingLR '{"T_max":1000}'
measure torch LambdaLR '{"lr_lambda":"0.95 ** (epoch // 10)"}'
measure transformers cosine '{"num_warmup_steps":1000,"num_training_steps":1000000}'
measure timm CosineLRScheduler '{"t_initial":1000,"warmup_t":100,"cycle_limit":1000000}'
measure timm CosineLRScheduler '{"t_initial":1000,"cycle_limit":1000000,"noise_range_t":0}'

if python3 -c "import torch" 2>/dev/null; then
  echo
  echo "== torch.optim.lr_scheduler.StepLR.step() for comparison"
  python3 - <<'PY'
import time, warnings, torch
warnings.simplefilter("ignore")
opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
s = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.9)
n = 100_000
t = time.perf_counter()
for _ in range(n):
    s.step()
    s.get_last_lr()
print(f"torch StepLR: {(time.perf_counter() - t) / n * 1e9:.0f} ns/epoch")
PY
fi
