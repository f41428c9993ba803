#!/usr/bin/env python3
"""Generate golden learning-rate fixtures from real DeepSpeed (0.19.8) LR schedulers.

What it does
------------
For every built-in LR scheduler of ``deepspeed.runtime.lr_schedules`` (the ones
a ds_config ``"scheduler": {"type": ..., "params": {...}}`` can name), this
script builds a list of request specs (the exact JSON bodies the lrsched
service accepts with ``"framework": "deepspeed"``), runs each one through the
installed DeepSpeed + torch, and writes the learning rates to

    Tests/SchedulesTests/Fixtures/deepspeed/<TYPE>.json   (5 files)

for TYPE in ``WarmupLR``, ``WarmupDecayLR``, ``WarmupCosineLR``, ``OneCycle``,
``LRRangeTest``. Unless ``--no-engine`` is given it then drives the real
DeepSpeed engine (``deepspeed.initialize`` on CPU, world size 1, loopback
only) and writes trainer-level cases to

    Tests/SchedulesTests/Fixtures/trainers/deepspeed.json

Every float is written with Python's ``repr`` (via ``json.dumps``), which
round-trips exactly.

How to run
----------
From the repository root::

    /work/venv/bin/python scripts/generate_deepspeed_fixtures.py [--out DIR] [--trainer-out FILE]
                                                                 [--no-engine | --engine-only]

DeepSpeed is imported with ``DS_ACCELERATOR=cpu``. The scheduler fixtures take
a few seconds. The engine part sets ``MASTER_ADDR=127.0.0.1``, ``MASTER_PORT``
(29517 unless set), ``RANK=0``, ``WORLD_SIZE=1``, ``LOCAL_RANK=0``; on first use
DeepSpeed JIT-compiles its small ``deepspeed_shm_comm`` C++ op (about 90 s on 2
cores, needs ``ninja`` from the venv, which this script puts on ``PATH``, and
g++), cached afterwards under ``~/.cache/torch_extensions``. The output is
deterministic: no timestamps, the random sweep uses fixed-seed
``random.Random`` instances. The fixtures record the installed DeepSpeed and
torch versions; a warning is printed when they are not 0.19.8 / 2.15.0.

Request contract (a fixture ``spec`` is exactly a request body)
---------------------------------------------------------------
``{"framework": "deepspeed", "scheduler": TYPE, "lr": LR, ["optimizer": "sgd",]
"params": {...}, "epochs": N, "start": S}``

* ``lr`` is the optimizer's learning rate: a number (one parameter group) or a
  list of numbers (one group each). The optimizer is lrsched's default for the
  family, ``torch.optim.Adam(<groups>, lr=lrs[0], betas=(0.9, 0.999))``, or, for
  the OneCycle specs that carry ``"optimizer": "sgd"``::

      torch.optim.SGD([{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr_g} ...],
                      lr=lrs[0], momentum=0.9)
* ``params`` is the ds_config ``scheduler.params`` object, verbatim; the
  scheduler is built exactly as ``DeepSpeedEngine._scheduler_from_config``
  does: ``getattr(deepspeed.runtime.lr_schedules, TYPE)(optimizer, **params)``.
* Value k of ``lrs`` is ``optimizer.param_groups[0]["lr"]`` after construction
  and ``S + k`` calls of ``scheduler.step()`` (no argument), k = 0 .. N-1.
  With more than one group ``"group_lrs"`` holds every group's series.
* OneCycle with ``cycle_momentum`` true (its default) on Adam also records
  ``"momentums"`` (``param_groups[0]["betas"][0]``) and ``"beta2s"``
  (``betas[1]``, which OneCycle forces to 0.99). On SGD nothing is recorded:
  OneCycle only writes ``group["betas"]`` and disables momentum cycling, with a
  warning, when ``"betas"`` is not in ``optimizer.defaults``.

Fixture case format
-------------------
``{"name": ..., "spec": {...}, "lrs": [N floats], ...}`` or
``{"name": ..., "spec": {...}, "error": MSG, "error_step": K}`` when the
constructor raises (K is null), the step number K = S + k raises, or a value
of any group is NaN / +-inf right after construction (K = 0) or after step K
(MSG is then ``"non-finite"``). ``MSG`` is ``"<ExceptionClass>: <message>"``.
Warnings and log messages are dropped.

Trainer cases (``trainers/deepspeed.json``)
-------------------------------------------
``{"name": ..., "request": {"trainer": "deepspeed", "config": DS_CONFIG,
"updates": U}, "lrs": [U floats]}``: a ``torch.nn.Linear(4, 1)`` is wrapped by
``deepspeed.initialize(model=..., config=DS_CONFIG)``; ``U *
gradient_accumulation_steps`` micro-batches of ``engine.backward(loss);
engine.step()`` are run and ``engine.optimizer.param_groups[0]["lr"]`` is read
just before the ``engine.step()`` that performs each real optimizer update
(the LR that update uses). The engine calls ``optimizer.step()`` and then
``lr_scheduler.step()`` at every gradient-accumulation boundary, so update 1
uses the LR the scheduler constructor left in the optimizer (the spec value 0
above) and update u uses spec value u - 1. When ``deepspeed.initialize``
raises (the scheduler is built inside it), the case is ``{"name", "request",
"error": MSG, "error_step": null}``; note that the engine calls
``scheduler_cls(optimizer, **params)`` with ``params = None`` when the
ds_config ``scheduler`` has no ``"params"`` member, which is a TypeError.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import random
import sys
import time

os.environ.setdefault("DS_ACCELERATOR", "cpu")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import deepspeed  # noqa: E402
from deepspeed.runtime import lr_schedules  # noqa: E402

from fixture_support import dump_fixture, format_exception, group_lrs_of, roundtrip, run_group_schedule, write_fixture_files  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "deepspeed")
DEFAULT_TRAINER_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "trainers", "deepspeed.json")
EXPECTED_DEEPSPEED = "0.19.8"
EXPECTED_TORCH = "2.15.0"

SCHEDULERS = ["WarmupLR", "WarmupDecayLR", "WarmupCosineLR", "OneCycle", "LRRangeTest"]


# ---------------------------------------------------------------------------
# Running one spec
# ---------------------------------------------------------------------------


def make_optimizer(lr, kind: str):
    """SGD(momentum=0.9) or Adam(betas=(0.9, 0.999)), one group per lr."""
    lrs = group_lrs_of(lr)
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": v} for v in lrs]
    if kind == "adam":
        return torch.optim.Adam(groups, lr=lrs[0], betas=(0.9, 0.999))
    return torch.optim.SGD(groups, lr=lrs[0], momentum=0.9)


def run_spec(spec: dict) -> dict:
    """Run ``spec`` through DeepSpeed; return the series or an error dict."""
    name = spec["scheduler"]
    params = spec["params"]
    kind = spec.get("optimizer", "adam")
    optimizer = make_optimizer(spec["lr"], kind)
    cls = getattr(lr_schedules, name)
    state = {}

    def build():
        state["sched"] = cls(optimizer, **params)

    def advance(_n):
        state["sched"].step()

    def read():
        values = [g["lr"] for g in optimizer.param_groups]
        for v in values:
            assert isinstance(v, (int, float)) and not isinstance(v, bool), (spec, values)
        return values

    extra = None
    if name == "OneCycle" and params.get("cycle_momentum", True):
        if kind == "adam":
            extra = {
                "momentums": lambda: [g["betas"][0] for g in optimizer.param_groups],
                "beta2s": lambda: [g["betas"][1] for g in optimizer.param_groups],
            }
    return run_group_schedule(build, advance, read, spec["start"], spec["epochs"], extra_series=extra)


# ---------------------------------------------------------------------------
# Spec helpers
# ---------------------------------------------------------------------------


def S(scheduler, lr, params, epochs, start=0, optimizer=None):
    """Build a request spec with a stable key order."""
    spec = {"framework": "deepspeed", "scheduler": scheduler, "lr": lr}
    if optimizer is None and scheduler == "OneCycle":
        optimizer = "sgd"
    if optimizer is not None:
        spec["optimizer"] = optimizer
    spec.update({"params": params, "epochs": epochs, "start": start})
    return spec


def fmt(v) -> str:
    if isinstance(v, list):
        return "[" + ",".join(fmt(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, str):
        return repr(v)
    return str(v)


def describe(spec) -> str:
    parts = [f"{k}={fmt(v)}" for k, v in spec["params"].items()] or ["defaults"]
    parts.append(f"lr={fmt(spec['lr'])}")
    if "optimizer" in spec:
        parts.append(f"optimizer={spec['optimizer']}")
    parts.append(f"epochs={spec['epochs']}")
    if spec["start"]:
        parts.append(f"start={spec['start']}")
    return " ".join(parts)


class CaseList:
    def __init__(self, scheduler):
        self.scheduler = scheduler
        self.items = []

    def add(self, lr, params, epochs, start=0, label=None, optimizer=None):
        spec = S(self.scheduler, lr, params, epochs, start, optimizer)
        name = describe(spec) if label is None else f"{label}: {describe(spec)}"
        self.items.append((name, spec))


def r(rng, lo, hi, digits=6):
    """A float in [lo, hi) rounded to ``digits`` significant-ish decimals (always a float)."""
    return float(f"{rng.uniform(lo, hi):.{digits}g}")


def rlog(rng, lo, hi):
    """A log-uniform float in [lo, hi), 4 significant digits."""
    return float(f"{math.exp(rng.uniform(math.log(lo), math.log(hi))):.4g}")


# ---------------------------------------------------------------------------
# Case definitions, one function per scheduler
# ---------------------------------------------------------------------------

LOG_LIN = ("log", "linear")


def cases_warmup_lr():
    c = CaseList("WarmupLR")
    c.add(0.1, {}, 300, label="defaults (1000 log steps to the optimizer lr)")
    c.add(0.1, {}, 80, start=960, label="defaults across the end of warm-up")
    c.add(3e-4, {"warmup_num_steps": 100}, 150, label="log warm-up to the optimizer lr")
    c.add(3e-4, {"warmup_num_steps": 100, "warmup_type": "linear"}, 150, label="linear warm-up to the optimizer lr")
    c.add(0.1, {"warmup_min_lr": 0, "warmup_max_lr": 0.001, "warmup_num_steps": 1000}, 300, label="DeepSpeed docs example")
    c.add(0.1, {"warmup_min_lr": 0.0, "warmup_max_lr": 0.05, "warmup_num_steps": 50, "warmup_type": "log"}, 120,
          label="max below the optimizer lr, log")
    c.add(0.1, {"warmup_min_lr": 0.0, "warmup_max_lr": 0.05, "warmup_num_steps": 50, "warmup_type": "linear"}, 120,
          label="max below the optimizer lr, linear")
    c.add(0.01, {"warmup_min_lr": 1e-5, "warmup_max_lr": 0.02, "warmup_num_steps": 30, "warmup_type": "log"}, 60,
          label="min > 0, max above the optimizer lr, log")
    c.add(0.01, {"warmup_min_lr": 1e-5, "warmup_max_lr": 0.02, "warmup_num_steps": 30, "warmup_type": "linear"}, 60,
          label="min > 0, linear")
    c.add(0.1, {"warmup_min_lr": 0.01, "warmup_num_steps": 20, "warmup_type": "linear"}, 40, label="min > 0, max absent")
    c.add(0.1, {"warmup_num_steps": 1}, 6, label="warmup_num_steps 1 clamps to 2 (log)")
    c.add(0.1, {"warmup_num_steps": 1, "warmup_type": "linear"}, 6, label="warmup_num_steps 1 clamps to 2 (linear)")
    c.add(0.1, {"warmup_num_steps": 2}, 6, label="warmup_num_steps 2 (log)")
    c.add(0.1, {"warmup_num_steps": 2, "warmup_type": "linear", "warmup_min_lr": 0.05}, 6, label="warmup_num_steps 2 (linear)")
    c.add(0.1, {"warmup_num_steps": 3, "warmup_type": "log", "warmup_min_lr": 0.001}, 8, label="warmup_num_steps 3")
    c.add(0.1, {"warmup_num_steps": True, "warmup_type": "linear"}, 5, label="warmup_num_steps true is the int 1")
    c.add(0.1, {"warmup_num_steps": 10, "warmup_type": "cosine"}, 15, label="unknown warmup_type falls back to log")
    c.add(0.1, {"warmup_num_steps": 10, "warmup_type": "LINEAR"}, 15, label="warmup_type is case-sensitive (log)")
    c.add(0.1, {"warmup_num_steps": 10, "warmup_max_lr": None, "warmup_type": "linear"}, 15, label="warmup_max_lr null")
    c.add(0.5, {"warmup_min_lr": 0.2, "warmup_max_lr": 0.01, "warmup_num_steps": 25, "warmup_type": "linear"}, 40,
          label="min above max (decreasing)")
    c.add(0.5, {"warmup_min_lr": 0.2, "warmup_max_lr": 0.01, "warmup_num_steps": 25}, 40, label="min above max, log")
    c.add(0.1, {"warmup_min_lr": -0.01, "warmup_max_lr": 0.01, "warmup_num_steps": 10, "warmup_type": "linear"}, 20,
          label="negative min")
    c.add(1, {"warmup_min_lr": 0, "warmup_max_lr": 1, "warmup_num_steps": 4, "warmup_type": "linear"}, 8, label="ints everywhere")
    c.add(0.1, {"warmup_num_steps": 1000, "warmup_type": "linear", "warmup_max_lr": 0.1}, 300, start=0, label="long linear")
    c.add(0.1, {"warmup_num_steps": 500, "warmup_type": "log", "warmup_max_lr": 6e-4, "warmup_min_lr": 6e-5}, 100, start=450,
          label="start inside warm-up, past its end")
    c.add(2e-5, {"warmup_num_steps": 7, "warmup_type": "linear"}, 3, start=7, label="start at warmup_num_steps")
    c.add(2e-5, {"warmup_num_steps": 7}, 1, start=6, label="single value, start 6")
    c.add(0.1, {"warmup_num_steps": 10, "warmup_type": "linear", "last_batch_iteration": 4}, 15,
          label="last_batch_iteration 4 (lr not initialised)")
    c.add(0.1, {"warmup_num_steps": 10, "warmup_min_lr": 0.01, "last_batch_iteration": -1}, 12, label="last_batch_iteration -1 explicit")
    c.add(0.1, {"warmup_num_steps": 10, "warmup_min_lr": 0.01, "last_batch_iteration": 0}, 12, label="last_batch_iteration 0")
    c.add(0.1, {"warmup_num_steps": 10, "last_batch_iteration": -5, "warmup_type": "linear"}, 12,
          label="last_batch_iteration -5 (lr not initialised, steps before start)")
    c.add(0.1, {"warmup_min_lr": [0.001], "warmup_max_lr": [0.2], "warmup_num_steps": 10}, 15, label="one-element lists")
    c.add([0.1, 0.01], {"warmup_num_steps": 10, "warmup_type": "linear"}, 15, label="two groups, max from each group")
    c.add([0.1, 0.01], {"warmup_min_lr": [0.0, 0.001], "warmup_max_lr": [0.3, 0.03], "warmup_num_steps": 8}, 12,
          label="two groups, per-group lists")
    c.add([0.1, 0.01], {"warmup_min_lr": 0.001, "warmup_max_lr": [0.3, 0.03], "warmup_num_steps": 8, "warmup_type": "linear"}, 12,
          label="two groups, scalar min, list max")
    c.add(0.1, {"warmup_num_steps": 10, "warmup_max_lr": 1.7e308, "warmup_min_lr": -1.7e308}, 12,
          label="delta overflows to inf, inf * gamma 0 is NaN (non-finite at step 1)")
    c.add(0.1, {"warmup_num_steps": 10, "warmup_max_lr": 1e300, "warmup_min_lr": -1e300}, 12, label="huge delta, finite")
    c.add(0.1, {"warmup_num_steps": 10, "warmup_max_lr": 1e308, "warmup_min_lr": 1e308, "warmup_type": "linear"}, 12,
          label="huge but finite")
    # Errors DeepSpeed raises.
    c.add(0.1, {"warmup_num_steps": 0}, 5, label="warmup_num_steps 0 rejected")
    c.add(0.1, {"warmup_num_steps": -3}, 5, label="negative warmup_num_steps rejected")
    c.add(0.1, {"warmup_num_steps": 10.0}, 5, label="float warmup_num_steps rejected")
    c.add(0.1, {"warmup_num_steps": "10"}, 5, label="string warmup_num_steps rejected")
    c.add(0.1, {"warmup_num_steps": None}, 5, label="null warmup_num_steps rejected")
    c.add(0.1, {"warmup_num_steps": False}, 5, label="false warmup_num_steps rejected")
    c.add(0.1, {"warmup_min_lr": [0.0, 0.1], "warmup_num_steps": 10}, 5, label="list length mismatch (min)")
    c.add([0.1, 0.01], {"warmup_max_lr": [0.3], "warmup_num_steps": 10}, 5, label="list length mismatch (max)")
    c.add(0.1, {"warmup_num_steps": 10, "total_num_steps": 100}, 5, label="total_num_steps is not a WarmupLR parameter")
    c.add(0.1, {"warmup_num_steps": 10, "warmup_max_lr": "0.1"}, 5, label="string warmup_max_lr")
    c.add(0.1, {"warmup_num_steps": 10, "warmup_min_lr": None}, 5, label="null warmup_min_lr")
    c.add(0.1, {"lr": 0.1}, 5, label="unknown keyword")
    # Deterministic random sweep.
    rng = random.Random(0xD5_0001)
    for i in range(30):
        lr = rlog(rng, 1e-5, 1.0)
        params = {}
        if rng.random() < 0.6:
            params["warmup_min_lr"] = rng.choice([0, 0.0, r(rng, 0, lr / 2)])
        if rng.random() < 0.6:
            params["warmup_max_lr"] = rlog(rng, 1e-5, 1.0)
        params["warmup_num_steps"] = rng.choice([1, 2, 3, 5]) if rng.random() < 0.25 else rng.randint(4, 250)
        if rng.random() < 0.8:
            params["warmup_type"] = rng.choice(LOG_LIN)
        n = params["warmup_num_steps"]
        start = rng.choice([0, 0, 0, rng.randint(1, n + 5)])
        epochs = min(300, n + rng.randint(2, 60))
        c.add(lr, params, epochs, start=start, label=f"sweep {i}")
    return c


def cases_warmup_decay_lr():
    c = CaseList("WarmupDecayLR")
    c.add(0.1, {"total_num_steps": 1200}, 300, label="defaults (1000 log steps to 0.001, not the optimizer lr)")
    c.add(0.1, {"total_num_steps": 1200}, 260, start=950, label="defaults across warm-up end and decay to 0")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": 10}, 120, label="log warm-up to 0.001 default max, past the end")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": 10, "warmup_max_lr": 0.1, "warmup_type": "linear"}, 120,
          label="linear warm-up, linear decay")
    c.add(3e-4, {"total_num_steps": 200, "warmup_num_steps": 20, "warmup_min_lr": 3e-5, "warmup_max_lr": 3e-4,
                 "warmup_type": "linear"}, 230, label="min > 0 (decay goes to 0, not min)")
    c.add(3e-4, {"total_num_steps": 200, "warmup_num_steps": 20, "warmup_min_lr": 3e-5, "warmup_max_lr": 3e-4}, 230,
          label="min > 0, log")
    c.add(0.1, {"total_num_steps": 300, "warmup_num_steps": 1, "warmup_max_lr": 0.1}, 300, label="warmup 1 clamps to 2 (log)")
    c.add(0.1, {"total_num_steps": 30, "warmup_num_steps": 1, "warmup_max_lr": 0.1, "warmup_type": "linear"}, 35,
          label="warmup 1 clamps to 2 (linear)")
    c.add(0.1, {"total_num_steps": 30, "warmup_num_steps": 2, "warmup_max_lr": 0.1, "warmup_type": "linear"}, 35, label="warmup 2")
    c.add(0.1, {"total_num_steps": 10, "warmup_num_steps": 10, "warmup_max_lr": 0.1, "warmup_type": "linear"}, 15,
          label="total == warmup")
    c.add(0.1, {"total_num_steps": 5, "warmup_num_steps": 10, "warmup_max_lr": 0.1, "warmup_type": "linear"}, 15,
          label="total < warmup (warning only)")
    c.add(0.1, {"total_num_steps": 11, "warmup_num_steps": 10, "warmup_max_lr": 0.1}, 15, label="total = warmup + 1")
    c.add(0.1, {"total_num_steps": 0, "warmup_num_steps": 3, "warmup_max_lr": 0.1, "warmup_type": "linear"}, 8, label="total 0")
    c.add(0.1, {"total_num_steps": -10, "warmup_num_steps": 3, "warmup_max_lr": 0.1}, 8, label="negative total")
    c.add(0.1, {"total_num_steps": 50.5, "warmup_num_steps": 5, "warmup_max_lr": 0.1, "warmup_type": "linear"}, 55,
          label="float total")
    c.add(0.1, {"total_num_steps": 50, "warmup_num_steps": 5, "warmup_max_lr": None, "warmup_type": "linear"}, 55,
          label="warmup_max_lr null (the optimizer lr)")
    c.add(0.1, {"total_num_steps": 40, "warmup_num_steps": 5, "warmup_type": "triangle", "warmup_max_lr": 0.1}, 45,
          label="unknown warmup_type falls back to log")
    c.add(0.1, {"total_num_steps": 40, "warmup_num_steps": True, "warmup_max_lr": 0.1}, 45, label="warmup_num_steps true")
    c.add(0.5, {"total_num_steps": 60, "warmup_num_steps": 20, "warmup_min_lr": 0.5, "warmup_max_lr": 0.1,
                "warmup_type": "linear"}, 70, label="min above max")
    c.add(1, {"total_num_steps": 8, "warmup_num_steps": 4, "warmup_min_lr": 0, "warmup_max_lr": 1, "warmup_type": "linear"}, 12,
          label="ints everywhere")
    c.add(6e-4, {"total_num_steps": 100000, "warmup_num_steps": 2000, "warmup_max_lr": 6e-4, "warmup_min_lr": 0}, 200,
          start=1950, label="long run, start across warm-up end")
    c.add(6e-4, {"total_num_steps": 100000, "warmup_num_steps": 2000, "warmup_max_lr": 6e-4}, 50, start=99980,
          label="long run, start across the end")
    c.add(0.1, {"total_num_steps": 40, "warmup_num_steps": 10, "warmup_max_lr": 0.1, "last_batch_iteration": 9}, 40,
          label="last_batch_iteration 9")
    c.add(0.1, {"total_num_steps": 40, "warmup_num_steps": 10, "warmup_max_lr": 0.1, "last_batch_iteration": -1,
                "warmup_type": "linear"}, 45, label="last_batch_iteration -1 explicit")
    c.add([0.1, 0.01], {"total_num_steps": 30, "warmup_num_steps": 5, "warmup_max_lr": [0.1, 0.01], "warmup_type": "linear"}, 35,
          label="two groups, per-group max")
    c.add([0.1, 0.01], {"total_num_steps": 30, "warmup_num_steps": 5}, 35, label="two groups, default max 0.001 for both")
    c.add(0.1, {"total_num_steps": 30, "warmup_num_steps": 5, "warmup_max_lr": 1.7e308, "warmup_min_lr": -1.7e308}, 10,
          label="delta overflows to inf (non-finite at step 1)")
    c.add(0.1, {"total_num_steps": 30, "warmup_num_steps": 5, "warmup_max_lr": 1e300, "warmup_min_lr": -1e300}, 10,
          label="huge delta, finite")
    # Errors.
    c.add(0.1, {}, 5, label="total_num_steps missing")
    c.add(0.1, {"warmup_num_steps": 10, "warmup_max_lr": 0.1}, 5, label="total_num_steps missing, others given")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": 0}, 5, label="warmup_num_steps 0 rejected")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": -1}, 5, label="negative warmup_num_steps rejected")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": 10.0}, 5, label="float warmup_num_steps rejected")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": "10"}, 5, label="string warmup_num_steps rejected")
    c.add(0.1, {"total_num_steps": "100", "warmup_num_steps": 10}, 5, label="string total_num_steps")
    c.add(0.1, {"total_num_steps": None, "warmup_num_steps": 10}, 5, label="null total_num_steps")
    c.add(0.1, {"total_num_steps": 100, "warmup_min_lr": [0.0, 0.0]}, 5, label="list length mismatch")
    c.add(0.1, {"total_num_steps": 100, "warmup_min_ratio": 0.1}, 5, label="unknown keyword")
    rng = random.Random(0xD5_0002)
    for i in range(30):
        lr = rlog(rng, 1e-5, 1.0)
        warm = rng.choice([1, 2, 3]) if rng.random() < 0.2 else rng.randint(4, 100)
        total = rng.choice([warm, warm + 1, warm + rng.randint(2, 200), max(0, warm - rng.randint(1, 5))])
        params = {"total_num_steps": total, "warmup_num_steps": warm}
        if rng.random() < 0.5:
            params["warmup_min_lr"] = rng.choice([0, r(rng, 0, lr / 3)])
        if rng.random() < 0.8:
            params["warmup_max_lr"] = rng.choice([lr, rlog(rng, 1e-5, 1.0)])
        if rng.random() < 0.8:
            params["warmup_type"] = rng.choice(LOG_LIN)
        start = rng.choice([0, 0, 0, rng.randint(1, total + 5) if total > 0 else 1])
        epochs = min(300, max(total, warm) + rng.randint(2, 40))
        c.add(lr, params, epochs, start=start, label=f"sweep {i}")
    return c


def cases_warmup_cosine_lr():
    c = CaseList("WarmupCosineLR")
    c.add(0.1, {"total_num_steps": 1300}, 300, label="defaults (1000 log steps from ratio 0, cos_min_ratio 1e-4)")
    c.add(0.1, {"total_num_steps": 1300}, 300, start=990, label="defaults across warm-up end to the floor")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": 10}, 120, label="log warm-up, cosine to 1e-4, past the end")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": 10, "warmup_type": "linear"}, 120, label="linear warm-up")
    c.add(3e-4, {"total_num_steps": 200, "warmup_num_steps": 20, "warmup_min_ratio": 0.1, "cos_min_ratio": 0.05,
                 "warmup_type": "linear"}, 230, label="both ratios")
    c.add(3e-4, {"total_num_steps": 200, "warmup_num_steps": 20, "warmup_min_ratio": 0.1, "cos_min_ratio": 0.05}, 230,
          label="both ratios, log")
    c.add(0.1, {"total_num_steps": 60, "warmup_num_steps": 10, "warmup_min_ratio": 0.01, "cos_min_ratio": 0.01}, 70,
          label="CLI defaults 0.01 / 0.01")
    c.add(0.1, {"total_num_steps": 50, "warmup_num_steps": 10, "cos_min_ratio": 0}, 55, label="cos_min_ratio int 0")
    c.add(0.1, {"total_num_steps": 50, "warmup_num_steps": 10, "cos_min_ratio": 1.0}, 55, label="cos_min_ratio 1 (flat)")
    c.add(0.1, {"total_num_steps": 50, "warmup_num_steps": 10, "cos_min_ratio": 1.5, "warmup_type": "linear"}, 55,
          label="cos_min_ratio above 1 (rises)")
    c.add(0.1, {"total_num_steps": 50, "warmup_num_steps": 10, "cos_min_ratio": -0.5}, 55, label="negative cos_min_ratio clamps at 0")
    c.add(0.1, {"total_num_steps": 50, "warmup_num_steps": 10, "warmup_min_ratio": 1.0}, 55, label="warmup_min_ratio 1 (no warm-up)")
    c.add(0.1, {"total_num_steps": 50, "warmup_num_steps": 10, "warmup_min_ratio": 2.0, "warmup_type": "linear"}, 55,
          label="warmup_min_ratio 2 (warm-down)")
    c.add(0.1, {"total_num_steps": 50, "warmup_num_steps": 10, "warmup_min_ratio": -0.5, "warmup_type": "linear"}, 55,
          label="negative warmup_min_ratio (not clamped)")
    c.add(0.1, {"total_num_steps": 30, "warmup_num_steps": 1}, 35, label="warmup 1 clamps to 2 (log)")
    c.add(0.1, {"total_num_steps": 30, "warmup_num_steps": 1, "warmup_type": "linear", "warmup_min_ratio": 0.2}, 35,
          label="warmup 1 clamps to 2 (linear)")
    c.add(0.1, {"total_num_steps": 30, "warmup_num_steps": 2, "warmup_type": "linear"}, 35, label="warmup 2")
    c.add(0.1, {"total_num_steps": 10, "warmup_num_steps": 10, "warmup_type": "linear"}, 15, label="total == warmup (floor at once)")
    c.add(0.1, {"total_num_steps": 4, "warmup_num_steps": 10, "warmup_type": "linear"}, 15, label="total < warmup")
    c.add(0.1, {"total_num_steps": 11, "warmup_num_steps": 10}, 15, label="total = warmup + 1")
    c.add(0.1, {"total_num_steps": 12, "warmup_num_steps": 10, "cos_min_ratio": 0.1}, 15, label="total = warmup + 2")
    c.add(0.1, {"total_num_steps": 0, "warmup_num_steps": 3}, 8, label="total 0")
    c.add(0.1, {"total_num_steps": 40.5, "warmup_num_steps": 4, "warmup_type": "linear"}, 45, label="float total")
    c.add(0.1, {"total_num_steps": 40, "warmup_num_steps": True}, 45, label="warmup_num_steps true")
    c.add(0.1, {"total_num_steps": 40, "warmup_num_steps": 5, "warmup_type": "exp"}, 45, label="unknown warmup_type falls back to log")
    c.add(1, {"total_num_steps": 8, "warmup_num_steps": 4, "warmup_type": "linear", "warmup_min_ratio": 0, "cos_min_ratio": 0}, 12,
          label="ints everywhere")
    c.add(6e-4, {"total_num_steps": 100000, "warmup_num_steps": 2000, "cos_min_ratio": 0.1}, 100, start=1950,
          label="long run, start across warm-up end")
    c.add(6e-4, {"total_num_steps": 100000, "warmup_num_steps": 2000, "cos_min_ratio": 0.1}, 60, start=99970,
          label="long run, start across the end")
    c.add(6e-4, {"total_num_steps": 100000, "warmup_num_steps": 2000, "cos_min_ratio": 0.1, "warmup_type": "linear"}, 50,
          start=51000, label="long run, middle")
    c.add(0.1, {"total_num_steps": 40, "warmup_num_steps": 5, "last_batch_iteration": 3}, 40, label="last_batch_iteration 3")
    c.add(0.1, {"total_num_steps": 40, "warmup_num_steps": 5, "last_batch_iteration": -1, "warmup_type": "linear"}, 40,
          label="last_batch_iteration -1 explicit")
    c.add([0.1, 0.01], {"total_num_steps": 30, "warmup_num_steps": 5, "warmup_type": "linear"}, 35, label="two groups")
    c.add([0.1, 0.01], {"total_num_steps": 30, "warmup_num_steps": 5, "warmup_min_ratio": 0.1, "cos_min_ratio": 0.2}, 35,
          label="two groups, ratios")
    c.add(1e300, {"total_num_steps": 10, "warmup_num_steps": 3, "cos_min_ratio": 1e10}, 12,
          label="lr times ratio overflows (non-finite)")
    # Errors.
    c.add(0.1, {}, 5, label="total_num_steps missing")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": 0}, 5, label="warmup_num_steps 0 rejected")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": -2}, 5, label="negative warmup_num_steps rejected")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": 10.0}, 5, label="float warmup_num_steps rejected")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": "10"}, 5, label="string warmup_num_steps rejected")
    c.add(0.1, {"total_num_steps": "100", "warmup_num_steps": 10}, 5, label="string total_num_steps")
    c.add(0.1, {"total_num_steps": 100, "warmup_min_lr": 0.0}, 5, label="warmup_min_lr is not a WarmupCosineLR parameter")
    c.add(0.1, {"total_num_steps": 100, "warmup_max_lr": 0.1}, 5, label="warmup_max_lr is not a WarmupCosineLR parameter")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": 10, "warmup_min_ratio": "0.1"}, 5, label="string warmup_min_ratio")
    c.add(0.1, {"total_num_steps": 100, "warmup_num_steps": 10, "cos_min_ratio": None}, 15, label="null cos_min_ratio")
    rng = random.Random(0xD5_0003)
    for i in range(30):
        lr = rlog(rng, 1e-5, 1.0)
        warm = rng.choice([1, 2, 3]) if rng.random() < 0.2 else rng.randint(4, 100)
        total = rng.choice([warm, warm + 1, warm + rng.randint(2, 200), warm + rng.randint(2, 200),
                            max(0, warm - rng.randint(1, 5))])
        params = {"total_num_steps": total, "warmup_num_steps": warm}
        if rng.random() < 0.6:
            params["warmup_min_ratio"] = rng.choice([0.0, r(rng, 0, 0.5)])
        if rng.random() < 0.6:
            params["cos_min_ratio"] = rng.choice([0.0, 0.01, r(rng, 0, 0.5)])
        if rng.random() < 0.8:
            params["warmup_type"] = rng.choice(LOG_LIN)
        start = rng.choice([0, 0, 0, rng.randint(1, total + 5)])
        epochs = min(300, max(total, warm) + rng.randint(2, 40))
        c.add(lr, params, epochs, start=start, label=f"sweep {i}")
    return c


def cases_one_cycle():
    c = CaseList("OneCycle")
    base = {"cycle_min_lr": 0.001, "cycle_max_lr": 0.01}
    c.add(0.1, dict(base), 300, label="defaults (2000+2000 step cycle)")
    c.add(0.1, dict(base), 120, start=1950, label="defaults across the peak")
    c.add(0.1, dict(base), 100, start=3950, label="defaults across the end of the cycle (no decay)")
    c.add(0.1, {**base, "cycle_first_step_size": 10}, 40, label="symmetric 10+10, no decay")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "cycle_second_step_size": 30}, 60, label="asymmetric 10+30")
    c.add(0.1, {**base, "cycle_first_step_size": 30, "cycle_second_step_size": 7}, 60, label="asymmetric 30+7")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "cycle_second_step_size": None}, 30, label="cycle_second_step_size null")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "cycle_second_step_size": 0}, 30, label="cycle_second_step_size 0")
    c.add(0.1, {**base, "cycle_first_step_size": 1}, 6, label="first step 1")
    c.add(0.1, {**base, "cycle_first_step_size": 10.5, "cycle_second_step_size": 4.25}, 30, label="fractional step sizes")
    # A numeric string ("10") goes through float() in DeepSpeed; lrsched refuses strings for
    # numbers, so that case is not generated.
    c.add(0.1, {**base, "cycle_first_step_size": 10, "decay_lr_rate": 0.5, "decay_step_size": 5}, 80,
          label="post-cycle lr decay")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "decay_lr_rate": 0.5, "decay_step_size": 0}, 40,
          label="decay_step_size 0 disables decay")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "decay_lr_rate": 0.0, "decay_step_size": 5, "decay_mom_rate": 0.1}, 40,
          label="decay_lr_rate 0 (lr flat), mom decay (SGD: not applied)")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "decay_lr_rate": 1e-13, "decay_step_size": 5}, 40,
          label="decay_lr_rate 1e-13 is isclose to 0 (skipped)")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "decay_lr_rate": 0.001, "decay_step_size": 1}, 60,
          label="tiny decay, decay_step_size 1")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "decay_lr_rate": 0.5, "decay_step_size": 2.5}, 60, label="float decay_step_size")
    c.add(0.1, {**base, "cycle_first_step_size": 20, "cycle_first_stair_count": 4}, 50, label="first stair count 4 (second follows)")
    c.add(0.1, {**base, "cycle_first_step_size": 20, "cycle_first_stair_count": 4, "cycle_second_stair_count": 0}, 50,
          label="stairs up, continuous down")
    c.add(0.1, {**base, "cycle_first_step_size": 20, "cycle_first_stair_count": 0, "cycle_second_stair_count": 5}, 50,
          label="continuous up, stairs down")
    c.add(0.1, {**base, "cycle_first_step_size": 12, "cycle_second_step_size": 30, "cycle_first_stair_count": 3,
                "cycle_second_stair_count": 7}, 60, label="asymmetric with stairs")
    c.add(0.1, {**base, "cycle_first_step_size": 7, "cycle_second_step_size": 11, "cycle_first_stair_count": 3,
                "cycle_second_stair_count": None, "decay_lr_rate": 0.2, "decay_step_size": 3}, 50,
          label="stairs, second null, then decay")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "cycle_first_stair_count": -1, "cycle_second_stair_count": -1}, 25,
          label="negative stair counts (CLI default) are continuous")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "cycle_first_stair_count": 2.5}, 25, label="fractional stair count")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "cycle_first_stair_count": 20}, 25, label="more stairs than steps")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "cycle_momentum": False}, 25, label="cycle_momentum false")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "cycle_min_mom": 0.85, "cycle_max_mom": 0.95, "decay_mom_rate": 0.1,
                "decay_step_size": 4, "decay_lr_rate": 0.3}, 40, label="momentum params with SGD (momentum untouched)")
    c.add(0.1, {"cycle_min_lr": 0.01, "cycle_max_lr": 0.001, "cycle_first_step_size": 10}, 25, label="min above max (inverted)")
    c.add(0.1, {"cycle_min_lr": 0, "cycle_max_lr": 1, "cycle_first_step_size": 4, "decay_lr_rate": 1, "decay_step_size": 1}, 20,
          label="ints everywhere")
    c.add(0.1, {"cycle_min_lr": 0.0, "cycle_max_lr": 0.1, "cycle_first_step_size": 4, "decay_lr_rate": 1.0, "decay_step_size": 2}, 20,
          label="min 0 with decay (stays 0)")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "last_batch_iteration": 4}, 25, label="last_batch_iteration 4 (lr not initialised)")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "last_batch_iteration": -1}, 25, label="last_batch_iteration -1 explicit")
    c.add(0.1, {**base, "cycle_first_step_size": 100, "cycle_second_step_size": 100, "decay_lr_rate": 0.01,
                "decay_step_size": 10}, 200, start=150, label="start 150 across the end into decay")
    c.add([0.1, 0.01], {"cycle_min_lr": [0.001, 0.0001], "cycle_max_lr": [0.01, 0.001], "cycle_first_step_size": 5}, 20,
          label="two groups, per-group bounds")
    c.add([0.1, 0.01], {"cycle_min_lr": 0.001, "cycle_max_lr": [0.01, 0.005], "cycle_first_step_size": 5,
                        "decay_lr_rate": 0.1, "decay_step_size": 1}, 20, label="two groups, scalar min")
    c.add(0.1, {"cycle_min_lr": -1e308, "cycle_max_lr": 1e308, "cycle_first_step_size": 4}, 8,
          label="amplitude overflows (non-finite)")
    c.add(0.1, {**base, "cycle_first_step_size": 4, "decay_lr_rate": -0.5, "decay_step_size": 2}, 20,
          label="negative decay rate divides by zero at decay step 4")
    c.add(0.1, {**base, "cycle_first_step_size": 4, "decay_lr_rate": 1.0, "decay_step_size": -1}, 20,
          label="negative decay_step_size divides by zero")
    # Adam: OneCycle cycles betas[0] and forces betas[1] to 0.99.
    c.add(0.1, {**base, "cycle_first_step_size": 10}, 30, optimizer="adam", label="adam: betas cycled")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "cycle_second_step_size": 5, "cycle_min_mom": 0.85, "cycle_max_mom": 0.95},
          30, optimizer="adam", label="adam: asymmetric, custom momentum bounds")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "decay_lr_rate": 0.2, "decay_step_size": 3, "decay_mom_rate": 0.05}, 60,
          optimizer="adam", label="adam: lr and momentum decay (beta1 grows past 1)")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "decay_lr_rate": 0.2, "decay_step_size": 3}, 40,
          optimizer="adam", label="adam: lr decay, no momentum decay (beta1 at cycle_max_mom)")
    c.add(0.1, {**base, "cycle_first_step_size": 8, "cycle_first_stair_count": 2, "cycle_second_stair_count": 4}, 30,
          optimizer="adam", label="adam: stairs")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "cycle_momentum": False}, 25, optimizer="adam",
          label="adam: cycle_momentum false (betas untouched, no series)")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "last_batch_iteration": 3}, 25, optimizer="adam",
          label="adam: last_batch_iteration 3 (betas not initialised)")
    c.add([0.1, 0.01], {"cycle_min_lr": 0.001, "cycle_max_lr": 0.01, "cycle_first_step_size": 5, "cycle_min_mom": [0.8, 0.7],
                        "cycle_max_mom": [0.9, 0.95]}, 15, optimizer="adam", label="adam: two groups, per-group momentum")
    # Errors.
    c.add(0.1, {}, 5, label="cycle_min_lr / cycle_max_lr missing")
    c.add(0.1, {"cycle_min_lr": 0.001}, 5, label="cycle_max_lr missing")
    c.add(0.1, {**base, "cycle_first_step_size": 0}, 5, label="cycle_first_step_size 0 rejected")
    c.add(0.1, {**base, "cycle_first_step_size": -5}, 5, label="negative cycle_first_step_size rejected")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "cycle_second_step_size": -1}, 5,
          label="negative cycle_second_step_size rejected")
    c.add(0.1, {**base, "cycle_first_step_size": "ten"}, 5, label="non-numeric string step size")
    c.add(0.1, {**base, "cycle_first_step_size": None}, 5, label="null cycle_first_step_size")
    c.add(0.1, {"cycle_min_lr": [0.001, 0.002], "cycle_max_lr": 0.01}, 5, label="list length mismatch (min)")
    c.add(0.1, {**base, "cycle_min_mom": [0.8, 0.85]}, 5, optimizer="adam", label="adam: list length mismatch (momentum)")
    c.add(0.1, {**base, "decay_step_size": "0"}, 5, label="string decay_step_size")
    c.add(0.1, {**base, "cycle_first_step_size": 10, "cycle_first_stair_count": None}, 5, label="null first stair count fails at step 1")
    c.add(0.1, {**base, "warmup_num_steps": 10}, 5, label="unknown keyword")
    rng = random.Random(0xD5_0004)
    for i in range(30):
        lr = rlog(rng, 1e-4, 1.0)
        lo = rlog(rng, 1e-5, 1e-2)
        params = {"cycle_min_lr": lo, "cycle_max_lr": rng.choice([lo * 10, rlog(rng, 1e-4, 1.0)])}
        first = rng.choice([1, 2]) if rng.random() < 0.15 else rng.randint(3, 60)
        params["cycle_first_step_size"] = first
        second = first
        if rng.random() < 0.5:
            second = rng.choice([0, rng.randint(1, 60)])
            params["cycle_second_step_size"] = second
        if rng.random() < 0.35:
            params["cycle_first_stair_count"] = rng.randint(1, 8)
            if rng.random() < 0.5:
                params["cycle_second_stair_count"] = rng.randint(0, 8)
        if rng.random() < 0.5:
            params["decay_lr_rate"] = r(rng, 0.001, 1.0)
            params["decay_step_size"] = rng.randint(1, 20)
        optimizer = None
        if rng.random() < 0.3:
            optimizer = "adam"
            params["cycle_min_mom"] = r(rng, 0.7, 0.9)
            params["cycle_max_mom"] = r(rng, 0.9, 0.99)
            if "decay_step_size" in params and rng.random() < 0.5:
                params["decay_mom_rate"] = r(rng, 0.0, 0.05)
        if rng.random() < 0.15:
            params["cycle_momentum"] = False
        total = first + second
        start = rng.choice([0, 0, 0, rng.randint(1, total + 5)])
        epochs = min(200, total + rng.randint(2, 60))
        c.add(lr, params, epochs, start=start, optimizer=optimizer, label=f"sweep {i}")
    return c


def cases_lr_range_test():
    c = CaseList("LRRangeTest")
    c.add(0.1, {}, 300, label="defaults (min 1e-3, step size 2000, rate 1, continuous)")
    c.add(0.1, {}, 100, start=1950, label="defaults around one step size")
    c.add(0.1, {"lr_range_test_staircase": True}, 100, start=1950, label="defaults staircase around one step size")
    c.add(0.1, {"lr_range_test_min_lr": 1e-4, "lr_range_test_step_size": 10, "lr_range_test_step_rate": 1.0}, 100,
          label="continuous, step 10")
    c.add(0.1, {"lr_range_test_min_lr": 1e-4, "lr_range_test_step_size": 10, "lr_range_test_step_rate": 1.0,
                "lr_range_test_staircase": True}, 100, label="staircase, step 10")
    c.add(0.1, {"lr_range_test_min_lr": 1e-4, "lr_range_test_step_size": 10, "lr_range_test_staircase": False}, 50,
          label="staircase false explicit")
    c.add(0.1, {"lr_range_test_min_lr": 0.001, "lr_range_test_step_size": 1, "lr_range_test_step_rate": 0.5}, 300,
          label="step size 1")
    c.add(0.1, {"lr_range_test_min_lr": 0.001, "lr_range_test_step_size": 1, "lr_range_test_step_rate": 0.5,
                "lr_range_test_staircase": True}, 100, label="step size 1, staircase")
    c.add(0.1, {"lr_range_test_min_lr": 0.001, "lr_range_test_step_size": 3, "lr_range_test_step_rate": 5.0,
                "lr_range_test_staircase": True}, 60, label="rate 5, staircase")
    c.add(0.1, {"lr_range_test_min_lr": 0.001, "lr_range_test_step_size": 7, "lr_range_test_step_rate": 0.1}, 120,
          label="rate 0.1")
    c.add(0.1, {"lr_range_test_min_lr": 0.01, "lr_range_test_step_size": 5, "lr_range_test_step_rate": 0.0}, 20, label="rate 0 (flat)")
    c.add(0.1, {"lr_range_test_min_lr": 0.01, "lr_range_test_step_size": 5, "lr_range_test_step_rate": -0.1}, 80,
          label="negative rate (goes negative)")
    c.add(0.1, {"lr_range_test_min_lr": 0.01, "lr_range_test_step_size": 5, "lr_range_test_step_rate": -0.1,
                "lr_range_test_staircase": True}, 80, label="negative rate, staircase")
    c.add(0.1, {"lr_range_test_min_lr": 0, "lr_range_test_step_size": 5}, 10, label="min 0 stays 0")
    c.add(0.1, {"lr_range_test_min_lr": 1, "lr_range_test_step_size": 2, "lr_range_test_step_rate": 1,
                "lr_range_test_staircase": True}, 12, label="ints everywhere (integer lrs)")
    c.add(0.1, {"lr_range_test_min_lr": 1, "lr_range_test_step_size": 3, "lr_range_test_step_rate": 2}, 12,
          label="int min and rate, continuous")
    c.add(0.1, {"lr_range_test_min_lr": -0.01, "lr_range_test_step_size": 4}, 12, label="negative min")
    c.add(0.1, {"lr_range_test_step_size": True}, 6, label="step size true is the int 1")
    c.add(0.1, {"lr_range_test_min_lr": 0.002, "lr_range_test_step_size": 4, "lr_range_test_staircase": 1}, 12,
          label="staircase 1 is truthy")
    c.add(0.1, {"lr_range_test_min_lr": 0.002, "lr_range_test_step_size": 4, "lr_range_test_staircase": 0}, 12,
          label="staircase 0 is falsy")
    c.add(0.1, {"lr_range_test_min_lr": 0.002, "lr_range_test_step_size": 4, "lr_range_test_staircase": "false"}, 12,
          label="staircase string 'false' is truthy")
    c.add(0.1, {"lr_range_test_min_lr": 0.002, "lr_range_test_step_size": 4, "lr_range_test_staircase": None}, 12,
          label="staircase null is falsy")
    c.add(0.1, {"lr_range_test_min_lr": 1e-5, "lr_range_test_step_size": 100, "lr_range_test_step_rate": 10.0}, 50, start=10000,
          label="start 10000")
    c.add(0.1, {"lr_range_test_min_lr": 1e-5, "lr_range_test_step_size": 100, "lr_range_test_step_rate": 10.0,
                "lr_range_test_staircase": True}, 50, start=9975, label="start 9975, staircase")
    c.add(0.1, {"lr_range_test_min_lr": 0.001, "lr_range_test_step_size": 10, "last_batch_iteration": 4}, 20,
          label="last_batch_iteration 4 (lr not initialised)")
    c.add(0.1, {"lr_range_test_min_lr": 0.001, "lr_range_test_step_size": 10, "last_batch_iteration": -1}, 20,
          label="last_batch_iteration -1 explicit")
    c.add(0.1, {"lr_range_test_min_lr": [0.001], "lr_range_test_step_size": 10}, 20, label="one-element list")
    c.add([0.1, 0.01], {"lr_range_test_min_lr": [0.001, 0.0001], "lr_range_test_step_size": 10, "lr_range_test_step_rate": 2.0}, 30,
          label="two groups, per-group min")
    c.add([0.1, 0.01], {"lr_range_test_min_lr": 0.003, "lr_range_test_step_size": 6, "lr_range_test_staircase": True}, 30,
          label="two groups, scalar min")
    c.add(0.1, {"lr_range_test_min_lr": 1e300, "lr_range_test_step_size": 1, "lr_range_test_step_rate": 1e10}, 10,
          label="overflows to inf (non-finite)")
    # Errors.
    c.add(0.1, {"lr_range_test_step_size": 0}, 5, label="step size 0 rejected")
    c.add(0.1, {"lr_range_test_step_size": -10}, 5, label="negative step size rejected")
    c.add(0.1, {"lr_range_test_step_size": 10.0}, 5, label="float step size rejected")
    c.add(0.1, {"lr_range_test_step_size": "10"}, 5, label="string step size rejected")
    c.add(0.1, {"lr_range_test_step_size": None}, 5, label="null step size rejected")
    c.add(0.1, {"lr_range_test_step_size": False}, 5, label="false step size rejected")
    c.add(0.1, {"lr_range_test_min_lr": [0.001, 0.002]}, 5, label="list length mismatch")
    c.add(0.1, {"lr_range_test_min_lr": 0.001, "lr_range_test_step_rate": "1"}, 5, label="string step rate fails at step 1")
    c.add(0.1, {"lr_range_test_min_lr": 0.001, "cycle_min_lr": 0.001}, 5, label="unknown keyword")
    rng = random.Random(0xD5_0005)
    for i in range(30):
        lr = rlog(rng, 1e-4, 1.0)
        params = {}
        if rng.random() < 0.85:
            params["lr_range_test_min_lr"] = rlog(rng, 1e-6, 1e-1)
        params["lr_range_test_step_size"] = rng.choice([1, 2, rng.randint(3, 50), rng.randint(3, 500)])
        if rng.random() < 0.8:
            params["lr_range_test_step_rate"] = rng.choice([1.0, r(rng, 0.01, 10.0), rlog(rng, 0.01, 100.0)])
        if rng.random() < 0.7:
            params["lr_range_test_staircase"] = rng.random() < 0.5
        start = rng.choice([0, 0, 0, rng.randint(1, 2000)])
        epochs = rng.randint(20, 250)
        c.add(lr, params, epochs, start=start, label=f"sweep {i}")
    return c


CASE_BUILDERS = {
    "WarmupLR": cases_warmup_lr,
    "WarmupDecayLR": cases_warmup_decay_lr,
    "WarmupCosineLR": cases_warmup_cosine_lr,
    "OneCycle": cases_one_cycle,
    "LRRangeTest": cases_lr_range_test,
}


def check_spec(name, spec):
    assert spec["scheduler"] in SCHEDULERS, name
    assert isinstance(spec["epochs"], int) and spec["epochs"] >= 1, name
    assert isinstance(spec["start"], int) and spec["start"] >= 0, name


# ---------------------------------------------------------------------------
# Trainer-level cases: the real DeepSpeed engine
# ---------------------------------------------------------------------------


def trainer_configs():
    """(name, ds_config, updates) triples."""
    out = []

    def add(name, optimizer, scheduler, updates, gas=1, micro=2, extra=None):
        cfg = {"train_micro_batch_size_per_gpu": micro, "gradient_accumulation_steps": gas,
               "optimizer": optimizer, "scheduler": scheduler, "steps_per_print": 1000000}
        if extra:
            cfg.update(extra)
        out.append((name, cfg, updates))

    sgd = lambda lr: {"type": "SGD", "params": {"lr": lr, "momentum": 0.9}}  # noqa: E731
    adam = lambda lr: {"type": "Adam", "params": {"lr": lr, "betas": [0.9, 0.999], "torch_adam": True}}  # noqa: E731
    adamw = lambda lr: {"type": "AdamW", "params": {"lr": lr, "weight_decay": 0.01, "torch_adam": True}}  # noqa: E731

    add("WarmupLR linear, max from optimizer lr", sgd(0.1),
        {"type": "WarmupLR", "params": {"warmup_num_steps": 5, "warmup_type": "linear"}}, 10)
    add("WarmupLR log, gas 2", sgd(0.1),
        {"type": "WarmupLR", "params": {"warmup_min_lr": 0.001, "warmup_max_lr": 0.05, "warmup_num_steps": 8}}, 14, gas=2)
    add("WarmupLR defaults, Adam", adam(3e-4), {"type": "WarmupLR", "params": {}}, 12)
    add("WarmupLR warmup 1, gas 3", sgd(0.1),
        {"type": "WarmupLR", "params": {"warmup_num_steps": 1, "warmup_type": "linear", "warmup_min_lr": 0.01}}, 6, gas=3)
    add("WarmupDecayLR linear, total 20", sgd(0.1),
        {"type": "WarmupDecayLR", "params": {"total_num_steps": 20, "warmup_num_steps": 5, "warmup_max_lr": 0.1,
                                             "warmup_type": "linear"}}, 25)
    add("WarmupDecayLR log, default max 0.001, AdamW, gas 2", adamw(0.01),
        {"type": "WarmupDecayLR", "params": {"total_num_steps": 15, "warmup_num_steps": 4}}, 18, gas=2)
    add("WarmupDecayLR total < warmup", sgd(0.05),
        {"type": "WarmupDecayLR", "params": {"total_num_steps": 3, "warmup_num_steps": 6, "warmup_max_lr": 0.05,
                                             "warmup_type": "linear"}}, 10)
    add("WarmupDecayLR total == updates, gas 4", adam(1e-3),
        {"type": "WarmupDecayLR", "params": {"total_num_steps": 12, "warmup_num_steps": 3, "warmup_min_lr": 1e-5,
                                             "warmup_max_lr": 1e-3}}, 12, gas=4, micro=1)
    add("WarmupCosineLR linear", sgd(0.1),
        {"type": "WarmupCosineLR", "params": {"total_num_steps": 20, "warmup_num_steps": 5, "warmup_type": "linear",
                                              "warmup_min_ratio": 0.1, "cos_min_ratio": 0.01}}, 24)
    add("WarmupCosineLR defaults log, AdamW, gas 2", adamw(6e-4),
        {"type": "WarmupCosineLR", "params": {"total_num_steps": 16, "warmup_num_steps": 4}}, 18, gas=2)
    add("OneCycle SGD (momentum not cycled)", sgd(0.1),
        {"type": "OneCycle", "params": {"cycle_min_lr": 0.001, "cycle_max_lr": 0.01, "cycle_first_step_size": 4,
                                        "decay_lr_rate": 0.5, "decay_step_size": 2}}, 14)
    add("OneCycle Adam, stairs, gas 2", adam(0.1),
        {"type": "OneCycle", "params": {"cycle_min_lr": 0.001, "cycle_max_lr": 0.01, "cycle_first_step_size": 6,
                                        "cycle_second_step_size": 3, "cycle_first_stair_count": 3}}, 12, gas=2)
    add("LRRangeTest continuous", sgd(0.1),
        {"type": "LRRangeTest", "params": {"lr_range_test_min_lr": 0.001, "lr_range_test_step_size": 3,
                                           "lr_range_test_step_rate": 2.0}}, 10)
    add("LRRangeTest staircase, gas 2", sgd(0.1),
        {"type": "LRRangeTest", "params": {"lr_range_test_min_lr": 0.001, "lr_range_test_step_size": 3,
                                           "lr_range_test_step_rate": 2.0, "lr_range_test_staircase": True}}, 10, gas=2)
    add("WarmupDecayLR with gradient clipping", sgd(0.2),
        {"type": "WarmupDecayLR", "params": {"total_num_steps": 10, "warmup_num_steps": 2, "warmup_max_lr": 0.2}}, 12,
        extra={"gradient_clipping": 1.0})
    add("WarmupCosineLR, micro batch 1, gas 1", sgd(0.3),
        {"type": "WarmupCosineLR", "params": {"total_num_steps": 9, "warmup_num_steps": 1, "cos_min_ratio": 0.1}}, 12, micro=1)
    add("WarmupLR warmup_num_steps 0 rejected at initialize", sgd(0.1),
        {"type": "WarmupLR", "params": {"warmup_num_steps": 0}}, 3)
    add("scheduler without params: the engine passes **None", sgd(0.1), {"type": "WarmupLR"}, 3)
    return out


def run_engine_case(config: dict, updates: int) -> dict:
    import copy

    cfg = copy.deepcopy(config)
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    try:
        engine, _, _, _ = deepspeed.initialize(model=model, config=cfg)
    except Exception as exc:  # noqa: BLE001
        return {"error": format_exception(exc), "error_step": None}
    gas = config.get("gradient_accumulation_steps", 1)
    micro = config.get("train_micro_batch_size_per_gpu", 1)
    gen = torch.Generator().manual_seed(1)
    lrs = []
    for _ in range(updates * gas):
        x = torch.randn(micro, 4, generator=gen)
        loss = engine(x).pow(2).mean()
        engine.backward(loss)
        if engine.is_gradient_accumulation_boundary():
            lrs.append(float(engine.optimizer.param_groups[0]["lr"]))
        engine.step()
    assert len(lrs) == updates, (len(lrs), updates)
    if not all(math.isfinite(v) for v in lrs):
        return {"error": "non-finite", "error_step": next(i for i, v in enumerate(lrs) if not math.isfinite(v))}
    return {"lrs": lrs}


def write_trainer_file(path: str, ds_version: str, torch_version: str) -> None:
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29517")
    os.environ.setdefault("RANK", "0")
    os.environ.setdefault("WORLD_SIZE", "1")
    os.environ.setdefault("LOCAL_RANK", "0")
    os.environ.setdefault("LOCAL_SIZE", "1")
    os.environ.setdefault("MAX_JOBS", "1")
    venv_bin = os.path.dirname(sys.executable)
    if venv_bin not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = venv_bin + os.pathsep + os.environ.get("PATH", "")
    cases = []
    for name, cfg, updates in trainer_configs():
        cfg = roundtrip(cfg)
        result = run_engine_case(cfg, updates)
        cases.append({"name": name, "request": {"trainer": "deepspeed", "config": cfg, "updates": updates}, **result})
        print(f"  {name}: {'ok' if 'lrs' in result else result['error']}", flush=True)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    dump_fixture(path, {"deepspeed": ds_version, "torch": torch_version, "trainer": "deepspeed"}, cases)
    print(f"{os.path.basename(path):30s} {len(cases):3d} cases  {os.path.getsize(path):9,d} bytes")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="scheduler fixture directory (default: %(default)s)")
    parser.add_argument("--trainer-out", default=DEFAULT_TRAINER_OUT, help="trainer fixture file (default: %(default)s)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--no-engine", action="store_true", help="skip the DeepSpeed engine (trainer) fixture")
    group.add_argument("--engine-only", action="store_true", help="only write the trainer fixture")
    args = parser.parse_args(argv)

    logging.disable(logging.WARNING)
    ds_version = deepspeed.__version__.split("+")[0]
    torch_version = torch.__version__.split("+")[0]
    if ds_version != EXPECTED_DEEPSPEED or torch_version != EXPECTED_TORCH:
        print(f"warning: deepspeed {deepspeed.__version__} / torch {torch.__version__} installed, "
              f"fixtures expect {EXPECTED_DEEPSPEED} / {EXPECTED_TORCH}", file=sys.stderr)

    t0 = time.perf_counter()
    if not args.engine_only:
        total_bytes = write_fixture_files(
            args.out, SCHEDULERS, CASE_BUILDERS, run_spec,
            lambda scheduler: {"deepspeed": ds_version, "torch": torch_version, "scheduler": scheduler},
            check_spec=check_spec,
        )
        print(f"total {total_bytes:,d} bytes in {time.perf_counter() - t0:.1f}s")
    if not args.no_engine:
        write_trainer_file(args.trainer_out, ds_version, torch_version)
        print(f"done in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
