"""Checks trainer requests that no fixture pins: random configurations of every trainer, each run
by the real library (the same harnesses as the fixture generators) and by `lrsched eval`, compared
bit for bit. A measurement of generality, not a test: it needs the frameworks installed.

    python3 scripts/trainer_sweep.py --bin .build/debug/lrsched [--cases 40] [--seed 1] [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import warnings

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, SCRIPTS)

import generate_trainer_fixtures_hf as hf  # noqa: E402
import generate_trainer_fixtures_lightning_timm as lt  # noqa: E402
from fixture_support import roundtrip  # noqa: E402


def lrsched(binary: str, request: dict) -> dict:
    out = subprocess.run([binary, "eval", "-"], input=json.dumps(request), capture_output=True, text=True)
    return json.loads(out.stdout)


def transformers_request(rng: random.Random) -> dict:
    types = ["linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup",
             "inverse_sqrt", "cosine_with_min_lr", "cosine_warmup_with_min_lr", "warmup_stable_decay"]
    t = rng.choice(types)
    args = {"learning_rate": rng.choice([1e-3, 5e-5, 0.1, 3e-4]), "lr_scheduler_type": t,
            "per_device_train_batch_size": rng.randint(1, 9), "gradient_accumulation_steps": rng.randint(1, 5)}
    if rng.random() < 0.3:
        args["max_steps"] = rng.randint(1, 40)
    else:
        args["num_train_epochs"] = rng.choice([1, 2, 3, 0.5, 1.5, 2.25, 0.3])
    args["warmup_steps"] = rng.choice([0, 1, 3, 0.1, 0.25, 0.05, 2.7])
    if rng.random() < 0.3:
        args["dataloader_drop_last"] = True
    kwargs = {"cosine_with_restarts": {"num_cycles": rng.choice([1, 2, 3])},
              "polynomial": {"power": rng.choice([1.0, 2.0, 0.5]), "lr_end": 1e-7},
              "cosine_with_min_lr": {"min_lr": 1e-6},
              "cosine_warmup_with_min_lr": {"min_lr_rate": 0.1},
              "warmup_stable_decay": {"num_decay_steps": rng.randint(1, 5), "decay_type": rng.choice(["linear", "cosine", "1-sqrt"])}}
    if t in kwargs:
        args["lr_scheduler_kwargs"] = kwargs[t]
    return {"trainer": "transformers", "args": args, "dataset_size": rng.randint(5, 120)}


def lightning_request(rng: random.Random) -> dict:
    b = rng.randint(1, 12)
    targs = {"max_epochs": rng.randint(1, 4), "accumulate_grad_batches": rng.randint(1, 5)}
    if rng.random() < 0.3:
        targs["max_steps"] = rng.randint(1, 20)
    if rng.random() < 0.2:
        targs["limit_train_batches"] = rng.choice([0.5, 0.75, 3])
    scheds = [("StepLR", {"step_size": rng.randint(1, 5), "gamma": 0.5}), ("CosineAnnealingLR", {"T_max": rng.randint(2, 30)}),
              ("ExponentialLR", {"gamma": 0.9}), ("LinearLR", {"start_factor": 0.2, "total_iters": rng.randint(1, 10)}),
              ("LambdaLR", {"lr_lambda": "1 / (epoch + 1)"}), ("MultiStepLR", {"milestones": [2, 5, 9], "gamma": 0.3})]
    name, params = rng.choice(scheds)
    config = {"scheduler": {"scheduler": name, "params": params}}
    if rng.random() < 0.7:
        config["interval"] = rng.choice(["step", "epoch"])
    if rng.random() < 0.4:
        config["frequency"] = rng.randint(1, 4)
    return {"trainer": "lightning", "lr": 0.1, "batches_per_epoch": b, "trainer_args": targs, "lr_scheduler": config}


def timm_request(rng: random.Random) -> dict:
    sched = rng.choice(["cosine", "tanh", "step", "multistep", "poly", "wsd", "constant"])
    args = {"sched": sched, "epochs": rng.randint(4, 20), "lr": 0.1, "warmup_epochs": rng.randint(0, 3),
            "min_lr": rng.choice([0, 1e-5]), "cooldown_epochs": rng.randint(0, 2),
            "sched_on_updates": rng.random() < 0.4, "warmup_prefix": rng.random() < 0.3,
            "decay_epochs": rng.randint(2, 5), "decay_milestones": [3, 6], "grad_accum_steps": rng.randint(1, 3)}
    if sched in ("cosine", "tanh", "poly") and rng.random() < 0.4:
        args["lr_cycle_limit"] = 2
        args["lr_cycle_mul"] = rng.choice([1.0, 2.0])
    if sched == "wsd":
        args["decay_epochs"] = 0.3
    return {"trainer": "timm", "args": args, "batches_per_epoch": rng.randint(1, 7)}


def accelerate_request(rng: random.Random) -> dict:
    scheds = [{"framework": "torch", "scheduler": "StepLR", "params": {"step_size": rng.randint(1, 9)}},
              {"framework": "torch", "scheduler": "CosineAnnealingLR", "params": {"T_max": rng.randint(5, 60)}},
              {"framework": "torch", "scheduler": "OneCycleLR", "params": {"max_lr": 0.1, "total_steps": rng.randint(20, 80)}},
              {"framework": "transformers", "scheduler": "linear", "params": {"num_warmup_steps": 3, "num_training_steps": 50}}]
    request = {"trainer": "accelerate", "scheduler": rng.choice(scheds), "lr": 0.1, "updates": rng.randint(1, 20),
               "num_processes": rng.choice([1, 2, 3, 4]), "gradient_accumulation_steps": rng.randint(1, 3)}
    if rng.random() < 0.3:
        request["split_batches"] = True
    return request


def real(request: dict) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if request["trainer"] == "transformers":
            return hf.run_transformers_case(request, tempfile.mkdtemp(prefix="lrsched-sweep-"))
        if request["trainer"] == "accelerate":
            return hf.run_accelerate_case(request)
        try:
            if request["trainer"] == "lightning":
                return lt.run_lightning(request, onecycle_is_estimate=False)
            return lt.run_timm(request)
        except AssertionError as exc:  # the harness asserts the run succeeded: the library raised
            return {"error": str(exc)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["transformers", "lightning", "timm", "accelerate"])
    opts = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    hf.quiet()
    makers = {"transformers": transformers_request, "lightning": lightning_request, "timm": timm_request,
              "accelerate": accelerate_request}
    failures = 0
    for name, make in makers.items():
        if opts.only and name != opts.only:
            continue
        rng = random.Random(opts.seed)
        same = refused_both = 0
        for _ in range(opts.cases):
            request = roundtrip(make(rng))
            expected = real(request)
            answer = lrsched(opts.bin, request)
            if "error" in expected:
                if "lrs" in answer:
                    failures += 1
                    print(f"MISMATCH {name}: the library raises {expected['error']}, lrsched answers: {json.dumps(request)}")
                else:
                    refused_both += 1
                continue
            if not expected["lrs"] and "lrs" not in answer:
                refused_both += 1
                continue
            if answer.get("lrs") != expected["lrs"]:
                failures += 1
                detail = answer.get("detail") or next((i for i, (a, b) in enumerate(zip(answer["lrs"], expected["lrs"])) if a != b), "length")
                print(f"MISMATCH {name}: {detail}: {json.dumps(request)}")
            else:
                same += 1
        print(f"{name}: {same} identical, {refused_both} refused by both, {opts.cases - same - refused_both} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
