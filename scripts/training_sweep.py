#!/usr/bin/env python3
"""Checks the training work model against real run times, over adversarial shapes.

What it does
------------
For each training job below (wide, deep, narrow, full batch, tiny batch, every activation, every
optimizer, per-step schedules), it asks ``lrsched train`` for the job's work units (a run with
``--max-training-work 1`` is refused with its cost), then times the run itself with an unlimited
budget, and prints the ratio of the real time to the time the model predicts (one unit is about
0.5 ns of one core). A ratio near 1 means the budget bounds the run time well; the limit promises
runs within 2x of it. Measurements only: nothing passes or fails.

How to run
----------
``python3 scripts/training_sweep.py [--bin .build/release/lrsched] [--seconds 1.0]``
(build first: ``swift build -c release --product lrsched``). Each job is scaled to about
``--seconds`` of predicted time.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time

UNIT_SECONDS = 0.5e-9


def job(name, in_f, hidden, out_f, activation, train, batch, optimizer="Adam", scheduler=None, interval="epoch",
        loss="mse"):
    model = {"type": "mlp", "in_features": in_f, "hidden": hidden, "activation": activation, "out_features": out_f} \
        if hidden else {"type": "linear", "in_features": in_f, "out_features": out_f}
    request = {"model": model, "data": {"type": "synthetic", "train_size": train, "val_size": 0, "seed": 7},
               "loss": loss, "optimizer": {"type": optimizer}, "epochs": 1, "batch_size": batch}
    if scheduler:
        request["scheduler"] = scheduler
        request["scheduler_interval"] = interval
    return name, request


ONE_CYCLE = {"scheduler": "OneCycleLR", "params": {"max_lr": 0.01, "total_steps": 100000000}}
JOBS = [
    job("linear 10→1, batch 32", 10, None, 1, "relu", 512, 32),
    job("MLP 10→64→64→1 relu, batch 32", 10, [64, 64], 1, "relu", 512, 32),
    job("wide 256→1024→700→1, batch 64", 256, [1024, 700], 1, "relu", 1024, 64),
    job("narrow deep 1→2×8→1 gelu, full batch 8192", 1, [2] * 8, 1, "gelu", 8192, 8192),
    job("narrow deep 1→2×8→1 gelu, batch 1", 1, [2] * 8, 1, "gelu", 512, 1),
    job("deep 16→64×8→1 tanh, batch 128", 16, [64] * 8, 1, "tanh", 2048, 128),
    job("1→4096→1 sigmoid, full batch 4096", 1, [4096], 1, "sigmoid", 4096, 4096),
    job("4096→1 linear, batch 1", 4096, None, 1, "relu", 256, 1),
    job("MLP 10→32→1 gelu, SGD, batch 1", 10, [32], 1, "gelu", 1024, 1, optimizer="SGD"),
    job("MLP 10→32→1 relu, RMSprop, batch 8", 10, [32], 1, "relu", 1024, 8, optimizer="RMSprop"),
    job("MLP 10→64→1 relu, OneCycleLR per step, batch 1", 10, [64], 1, "relu", 1024, 1,
        scheduler=ONE_CYCLE, interval="step"),
    job("classifier 20→128→10 relu, cross entropy, batch 16", 20, [128], 10, "relu", 2048, 16,
        loss="cross_entropy"),
]


def work_of(binary: str, request: dict) -> int:
    out = subprocess.run([binary, "train", "--max-training-work", "1", "-"], input=json.dumps(request),
                         capture_output=True, text=True).stdout
    match = re.search(r"cost (\d+) work units", out)
    if not match:
        raise SystemExit(f"no work figure in: {out[:300]}")
    return int(match.group(1))


def seconds_of(binary: str, request: dict) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        result = subprocess.run([binary, "train", "--max-training-work", str(10 ** 15), "-"],
                                input=json.dumps(request), capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"run failed: {result.stdout[:300]}")
        best = min(best, elapsed)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=".build/release/lrsched")
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    startup = seconds_of(args.bin, JOBS[0][1])  # one epoch of a tiny job: process start-up
    print(f"| job | epochs | work units | predicted s | measured s | ratio |")
    print(f"|---|---|---|---|---|---|")
    worst = 0.0
    for name, request in JOBS:
        per_epoch = work_of(args.bin, request)
        request["epochs"] = max(1, int(args.seconds / (per_epoch * UNIT_SECONDS)))
        work = work_of(args.bin, request)
        predicted = work * UNIT_SECONDS
        measured = max(0.0, seconds_of(args.bin, request) - startup)
        ratio = measured / predicted
        worst = max(worst, ratio, 1 / ratio if ratio > 0 else 0)
        print(f"| {name} | {request['epochs']} | {work:,} | {predicted:.2f} | {measured:.2f} | {ratio:.2f} |")
    print(f"\nworst ratio (either way): {worst:.2f}x; process start-up {startup * 1000:.0f} ms subtracted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
