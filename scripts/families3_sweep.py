#!/usr/bin/env python3
"""Random-configuration sweep of the deepspeed, mmengine and megatron families against lrsched.

What it does
------------
Draws fresh random configurations (seeded, by default with seed 2027, which no fixture
generator uses) for

* every DeepSpeed LR scheduler (``WarmupLR``, ``WarmupDecayLR``, ``WarmupCosineLR``,
  ``OneCycle``, ``LRRangeTest``),
* every MMEngine LR parameter scheduler used alone (``LinearLR`` ... ``ReduceOnPlateauLR``),
* megatron-core's ``OptimizerParamScheduler``,
* MMEngine's real ``Runner`` with a ``param_scheduler`` list (``"trainer": "mmengine"``):
  overlapping windows, mixes of ``by_epoch`` true/false, ``convert_to_iter_based`` with
  fractional ``begin``/``end``, epoch and iteration loops, ``accumulative_counts``,
  ``ReduceOnPlateauLR`` with scripted validation metrics,

runs each request through the real library -- with the fixture generators' own harnesses,
imported from ``generate_deepspeed_fixtures.run_spec``, ``generate_mmengine_fixtures.run_spec``
/ ``run_runner`` and ``generate_megatron_fixtures.run_spec`` (and their spec helpers) -- and
through ``lrsched eval`` (in batches of ``{"requests": [...]}``), and compares them bit for bit.

A configuration agrees when

* both answer a schedule and every value is identical as IEEE-754 bits: ``lrs``, and also
  ``group_lrs``, ``momentums`` and ``group_momentums`` whenever either side has them (the
  real library's ``beta2s`` series is not compared: lrsched does not answer it); or
* both refuse / fail: the library raised (at construction or at some step) or produced a
  non-finite / non-real value, and lrsched answered a problem+json (a ``"type"``).

For the Runner with ``accumulative_counts`` the real series is reduced to the iterations whose
optimizer step ran (one value per optimizer update), as in the trainer fixtures.

It prints, per scheduler, the number of configurations, identical, both-refused and
disagreements, and every disagreement in full: the request JSON, then either the first
differing series/step with both values (repr and float hex), or both outcomes (the library's
exception or series, lrsched's problem or series). The exit status is 1 when there is any
disagreement, 0 otherwise. It is a measurement, not a test: nothing is written to the repository.

How to run
----------
From the repository root::

    /work/venv/bin/python scripts/families3_sweep.py --bin .build/debug/lrsched [--count N] [--seed S]
                                                     [--runner-count M] [--only NAME ...] [--verbose]

``--count`` is the number of configurations per scheduler (default 200); ``--runner-count``
the number of Runner configurations (default 60; one real ``Runner`` each, about a second
apiece); ``--only`` restricts the run to the named schedulers (``Runner`` for the trainer);
``--verbose`` also lists the both-refused cases (library error vs lrsched problem).
Horizons are short (at most a few hundred steps). The script puts the venv's ``bin`` on
``PATH`` (DeepSpeed's import wants it), uses ``DS_ACCELERATOR=cpu`` and one torch thread;
it runs a private copy of ``--bin`` (so a rebuild during the sweep changes nothing) and prints
the binary's modification time and SHA-256 prefix; Runner work directories and the copy go to
fresh ``/tmp/families3-sweep-*`` directories removed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import warnings

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(SCRIPTS)
sys.path.insert(0, SCRIPTS)

os.environ.setdefault("DS_ACCELERATOR", "cpu")
os.environ.setdefault("OMP_NUM_THREADS", "1")
_venv_bin = os.path.dirname(sys.executable)
if _venv_bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _venv_bin + os.pathsep + os.environ.get("PATH", "")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import generate_deepspeed_fixtures as gds  # noqa: E402
    import generate_mmengine_fixtures as gmm  # noqa: E402
    import generate_megatron_fixtures as gmeg  # noqa: E402
from fixture_support import metric_series, roundtrip  # noqa: E402

import torch  # noqa: E402

torch.set_num_threads(1)

r6 = gmm.r6
rlog = gds.rlog
rfl = gds.r  # float in [lo, hi), 6 significant digits


def loglr(rng, lo=1e-5, hi=1.0):
    return rlog(rng, lo, hi)


def maybe(rng, p):
    return rng.random() < p


# ---------------------------------------------------------------------------
# DeepSpeed
# ---------------------------------------------------------------------------


def ds_lr(rng, groups_p=0.2):
    if maybe(rng, groups_p):
        return [loglr(rng) for _ in range(rng.randint(2, 3))]
    if maybe(rng, 0.05):
        return rng.choice([1, 0.1])
    return loglr(rng)


def ds_per_group(rng, lr, value_fn, list_p=0.25):
    """A scalar or (when lr is a list, sometimes) a per-group list."""
    if isinstance(lr, list) and maybe(rng, list_p):
        return [value_fn() for _ in lr]
    if not isinstance(lr, list) and maybe(rng, 0.05):
        return [value_fn()]
    return value_fn()


def ds_start_epochs(rng, horizon, cap=250):
    start = rng.choice([0, 0, 0, rng.randint(1, max(1, horizon + 5))])
    epochs = rng.randint(1, max(2, min(cap, horizon + rng.randint(2, 40))))
    return start, epochs


def ds_last_batch(rng, params):
    if maybe(rng, 0.08):
        params["last_batch_iteration"] = rng.choice([-1, 0, rng.randint(1, 20)])


def ds_warmup_lr(rng):
    lr = ds_lr(rng)
    params = {}
    if maybe(rng, 0.6):
        params["warmup_min_lr"] = ds_per_group(rng, lr, lambda: rng.choice([0, 0.0, rlog(rng, 1e-7, 1e-2)]))
    if maybe(rng, 0.6):
        params["warmup_max_lr"] = ds_per_group(rng, lr, lambda: loglr(rng))
    elif maybe(rng, 0.05):
        params["warmup_max_lr"] = None
    n = rng.choice([1, 2, 3, 5]) if maybe(rng, 0.25) else rng.randint(4, 200)
    params["warmup_num_steps"] = n
    if maybe(rng, 0.8):
        params["warmup_type"] = rng.choice(["log", "linear"])
    ds_last_batch(rng, params)
    start, epochs = ds_start_epochs(rng, n)
    return gds.S("WarmupLR", lr, params, epochs, start)


def ds_warmup_decay_lr(rng):
    lr = ds_lr(rng)
    warm = rng.choice([1, 2, 3]) if maybe(rng, 0.2) else rng.randint(4, 100)
    total = rng.choice([warm, warm + 1, warm + rng.randint(2, 150), max(0, warm - rng.randint(1, 5))])
    params = {"total_num_steps": total, "warmup_num_steps": warm}
    if maybe(rng, 0.5):
        params["warmup_min_lr"] = ds_per_group(rng, lr, lambda: rng.choice([0, 0.0, rlog(rng, 1e-7, 1e-3)]))
    if maybe(rng, 0.8):
        params["warmup_max_lr"] = ds_per_group(rng, lr, lambda: loglr(rng))
    if maybe(rng, 0.8):
        params["warmup_type"] = rng.choice(["log", "linear"])
    ds_last_batch(rng, params)
    start, epochs = ds_start_epochs(rng, max(total, warm))
    return gds.S("WarmupDecayLR", lr, params, epochs, start)


def ds_warmup_cosine_lr(rng):
    lr = ds_lr(rng)
    warm = rng.choice([1, 2, 3]) if maybe(rng, 0.2) else rng.randint(4, 100)
    total = rng.choice([warm, warm + 1, warm + rng.randint(2, 150), warm + rng.randint(2, 150),
                        max(0, warm - rng.randint(1, 5))])
    params = {"total_num_steps": total, "warmup_num_steps": warm}
    if maybe(rng, 0.6):
        params["warmup_min_ratio"] = rng.choice([0.0, 0, rfl(rng, 0, 0.5), rfl(rng, 0, 1.0)])
    if maybe(rng, 0.6):
        params["cos_min_ratio"] = rng.choice([0.0, 0.01, 0, rfl(rng, 0, 0.5)])
    if maybe(rng, 0.8):
        params["warmup_type"] = rng.choice(["log", "linear"])
    ds_last_batch(rng, params)
    start, epochs = ds_start_epochs(rng, max(total, warm))
    return gds.S("WarmupCosineLR", lr, params, epochs, start)


def ds_one_cycle(rng):
    lr = ds_lr(rng, groups_p=0.15)
    lo_f = lambda: rlog(rng, 1e-5, 1e-2)  # noqa: E731
    lo = ds_per_group(rng, lr, lo_f)
    hi = ds_per_group(rng, lr, lambda: rlog(rng, 1e-4, 1.0))
    params = {"cycle_min_lr": lo, "cycle_max_lr": hi}
    if maybe(rng, 0.1):
        first = rfl(rng, 1, 40, 4)
    else:
        first = rng.choice([1, 2]) if maybe(rng, 0.15) else rng.randint(3, 50)
    params["cycle_first_step_size"] = first
    second = first
    if maybe(rng, 0.5):
        second = rng.choice([0, rng.randint(1, 50), None])
        params["cycle_second_step_size"] = second
        if second is None:
            second = first
    if maybe(rng, 0.35):
        params["cycle_first_stair_count"] = rng.choice([rng.randint(0, 8), -1])
        if maybe(rng, 0.5):
            params["cycle_second_stair_count"] = rng.choice([rng.randint(0, 8), None, -1])
    if maybe(rng, 0.5):
        params["decay_lr_rate"] = rng.choice([rfl(rng, 0.001, 1.0), 0.0])
        params["decay_step_size"] = rng.choice([rng.randint(1, 20), 0])
    optimizer = "sgd"
    if maybe(rng, 0.35):
        optimizer = "adam"
        if maybe(rng, 0.6):
            params["cycle_min_mom"] = ds_per_group(rng, lr, lambda: rfl(rng, 0.7, 0.9))
            params["cycle_max_mom"] = ds_per_group(rng, lr, lambda: rfl(rng, 0.9, 0.99))
        if "decay_step_size" in params and maybe(rng, 0.5):
            params["decay_mom_rate"] = rfl(rng, 0.0, 0.05)
    if maybe(rng, 0.15):
        params["cycle_momentum"] = False
    ds_last_batch(rng, params)
    total = int(math.ceil(first + second))
    start = rng.choice([0, 0, 0, rng.randint(1, total + 5)])
    epochs = rng.randint(1, min(200, total + rng.randint(2, 60)))
    return gds.S("OneCycle", lr, params, epochs, start, optimizer=optimizer)


def ds_lr_range_test(rng):
    lr = ds_lr(rng)
    params = {}
    if maybe(rng, 0.85):
        params["lr_range_test_min_lr"] = ds_per_group(rng, lr, lambda: rlog(rng, 1e-6, 1e-1))
    params["lr_range_test_step_size"] = rng.choice([1, 2, rng.randint(3, 50), rng.randint(3, 300)])
    if maybe(rng, 0.8):
        params["lr_range_test_step_rate"] = rng.choice([1.0, 1, rfl(rng, 0.01, 10.0), rlog(rng, 0.01, 100.0)])
    if maybe(rng, 0.7):
        params["lr_range_test_staircase"] = maybe(rng, 0.5)
    ds_last_batch(rng, params)
    start = rng.choice([0, 0, 0, rng.randint(1, 2000)])
    epochs = rng.randint(1, 200)
    return gds.S("LRRangeTest", lr, params, epochs, start)


# ---------------------------------------------------------------------------
# MMEngine, one scheduler alone
# ---------------------------------------------------------------------------


def mm_spec(name, lr, params, epochs, start=0, metrics=None):
    spec = {"framework": "mmengine", "scheduler": name, "lr": lr, "params": params, "epochs": epochs, "start": start}
    if metrics is not None:
        spec["metrics"] = metrics
    return spec


def mm_lr(rng):
    if maybe(rng, 0.05):
        return 1
    return r6(10 ** rng.uniform(-4, 0))


def mm_window(rng, p, need_end=False, span=(1, 40)):
    """begin/end (ints, sometimes fractional or negative) and by_epoch."""
    begin = rng.choice([0, 0, 0, rng.randint(1, 10)])
    if maybe(rng, 0.1):
        begin = r6(rng.uniform(-3, 8))
    elif maybe(rng, 0.05):
        begin = -rng.randint(1, 5)
    if begin != 0 or maybe(rng, 0.1):
        p["begin"] = begin
    if need_end or maybe(rng, 0.6):
        length = rng.randint(*span)
        end = begin + length
        if maybe(rng, 0.15):
            end = r6(begin + rng.uniform(0.5, span[1]))
        p["end"] = end
    if maybe(rng, 0.4):
        p["by_epoch"] = maybe(rng, 0.5)
    return p


def mm_start_epochs(rng, horizon=40, cap=120):
    start = rng.choice([0, 0, 0, rng.randint(1, 15)])
    epochs = rng.randint(1, max(2, min(cap, horizon + rng.randint(0, 20))))
    return start, epochs


def mm_linear(rng):
    p = {}
    if maybe(rng, 0.9):
        p["start_factor"] = rng.choice([r6(rng.uniform(0.001, 1.0)), 1.0, 0.1, r6(rng.uniform(0, 1))])
    if maybe(rng, 0.6):
        p["end_factor"] = rng.choice([r6(rng.uniform(0.0, 1.0)), 1.0, 0.0, 0])
    mm_window(rng, p)
    s, e = mm_start_epochs(rng)
    return mm_spec("LinearLR", mm_lr(rng), p, e, s)


def mm_constant(rng):
    p = {}
    if maybe(rng, 0.9):
        p["factor"] = rng.choice([r6(rng.uniform(0.01, 1.0)), 0.5, 1.0, 1])
    mm_window(rng, p)
    s, e = mm_start_epochs(rng)
    return mm_spec("ConstantLR", mm_lr(rng), p, e, s)


def mm_cosine(rng):
    p = {}
    r = rng.random()
    if r < 0.6:
        p["T_max"] = rng.randint(1, 40)
    elif r < 0.75:
        p["T_max"] = r6(rng.uniform(0.5, 30))
    elif r < 0.8:
        p["T_max"] = 0
    mm_window(rng, p, need_end="T_max" not in p and maybe(rng, 0.8))
    r = rng.random()
    if r < 0.45:
        p["eta_min"] = rng.choice([r6(10 ** rng.uniform(-6, -2)), 0, 0.0])
    elif r < 0.85:
        p["eta_min_ratio"] = r6(rng.uniform(0, 0.5))
    s, e = mm_start_epochs(rng, horizon=60)
    return mm_spec("CosineAnnealingLR", mm_lr(rng), p, e, s)


def mm_multistep(rng):
    k = rng.randint(0, 5)
    ms = [rng.randint(0, 50) for _ in range(k)]
    if maybe(rng, 0.7):
        ms.sort()
    if ms and maybe(rng, 0.1):
        ms[rng.randrange(len(ms))] = rng.choice([float(rng.randint(1, 30)), r6(rng.uniform(1, 30))])
    p = {"milestones": ms}
    if maybe(rng, 0.85):
        p["gamma"] = rng.choice([r6(rng.uniform(0.05, 0.95)), 0.1, 0.5, r6(rng.uniform(1.0, 2.0))])
    mm_window(rng, p)
    s, e = mm_start_epochs(rng, horizon=60)
    return mm_spec("MultiStepLR", mm_lr(rng), p, e, s)


def mm_step(rng):
    p = {"step_size": rng.choice([rng.randint(1, 20), rng.randint(1, 5), float(rng.randint(1, 10)),
                                  r6(rng.uniform(0.5, 10))])}
    if maybe(rng, 0.85):
        p["gamma"] = rng.choice([r6(rng.uniform(0.05, 0.99)), 0.5, r6(rng.uniform(1.0, 1.5))])
    mm_window(rng, p)
    s, e = mm_start_epochs(rng, horizon=60)
    return mm_spec("StepLR", mm_lr(rng), p, e, s)


def mm_exponential(rng):
    p = {"gamma": rng.choice([r6(rng.uniform(0.5, 1.05)), 0.9, 1, r6(rng.uniform(0.9, 1.0))])}
    mm_window(rng, p)
    s, e = mm_start_epochs(rng, horizon=60)
    return mm_spec("ExponentialLR", mm_lr(rng), p, e, s)


def mm_poly(rng):
    p = {}
    if maybe(rng, 0.7):
        p["eta_min"] = rng.choice([0, 0.0, r6(10 ** rng.uniform(-6, -3))])
    if maybe(rng, 0.8):
        p["power"] = rng.choice([1.0, 2, r6(rng.uniform(0.2, 3.0)), 0.9])
    mm_window(rng, p, need_end=maybe(rng, 0.9), span=(2, 50))
    s, e = mm_start_epochs(rng, horizon=60)
    return mm_spec("PolyLR", r6(10 ** rng.uniform(-3, 0)), p, e, s)


def mm_onecycle(rng):
    p = {"eta_max": rng.choice([r6(10 ** rng.uniform(-4, 0)), 0.1, 1])}
    if maybe(rng, 0.75):
        p["total_steps"] = rng.randint(2, 100)
    if maybe(rng, 0.8):
        p["pct_start"] = rng.choice([r6(rng.uniform(0.1, 0.6)), 0.3, 0.25, 0.5])
    if maybe(rng, 0.6):
        p["anneal_strategy"] = rng.choice(["cos", "linear"])
    if maybe(rng, 0.5):
        p["div_factor"] = rng.choice([r6(rng.uniform(2, 50)), 25.0, 10])
    if maybe(rng, 0.5):
        p["final_div_factor"] = rng.choice([r6(10 ** rng.uniform(1, 4)), 1e4, 100])
    if maybe(rng, 0.4):
        p["three_phase"] = maybe(rng, 0.5)
    if "total_steps" in p:
        if maybe(rng, 0.3):
            mm_window(rng, p)
        steps = p["total_steps"]
    else:
        mm_window(rng, p, need_end=True, span=(2, 80))
        steps = 80
    start = rng.choice([0, 0, 0, rng.randint(1, 10)])
    epochs = rng.randint(1, max(1, steps + 1 - start)) if maybe(rng, 0.9) else steps + 2
    return mm_spec("OneCycleLR", 0.1, p, epochs, start)


def mm_restart(rng):
    k = rng.randint(1, 4)
    p = {"periods": [rng.choice([rng.randint(1, 20), rng.randint(1, 5)]) for _ in range(k)]}
    if maybe(rng, 0.1):
        p["periods"][rng.randrange(k)] = r6(rng.uniform(0.5, 10))
    if k > 1 or maybe(rng, 0.5):
        p["restart_weights"] = [1] + [r6(rng.uniform(0.1, 1.0)) for _ in range(k - 1)]
        if maybe(rng, 0.15):
            p["restart_weights"][0] = r6(rng.uniform(0.3, 1.5))
    if maybe(rng, 0.5):
        p["eta_min"] = rng.choice([r6(10 ** rng.uniform(-6, -3)), 0, 0.0])
    else:
        p["eta_min_ratio"] = r6(rng.uniform(0, 0.3))
    if maybe(rng, 0.5):
        mm_window(rng, p)
    total = int(sum(p["periods"])) + 5
    s, e = mm_start_epochs(rng, horizon=total)
    return mm_spec("CosineRestartLR", mm_lr(rng), p, e, s)


def mm_plateau(rng):
    p = {}
    if maybe(rng, 0.8):
        p["patience"] = rng.choice([rng.randint(0, 5), 10, r6(rng.uniform(0, 3))])
    if maybe(rng, 0.8):
        p["factor"] = rng.choice([r6(rng.uniform(0.1, 0.9)), 0.5, 0.1])
    if maybe(rng, 0.6):
        p["rule"] = rng.choice(["less", "greater"])
    if maybe(rng, 0.5):
        p["threshold"] = rng.choice([0, 0.0, 1e-4, r6(rng.uniform(0, 0.05))])
    if maybe(rng, 0.5):
        p["threshold_rule"] = rng.choice(["rel", "abs"])
    if maybe(rng, 0.4):
        p["cooldown"] = rng.randint(0, 3)
    if maybe(rng, 0.3):
        p["min_value"] = rng.choice([r6(10 ** rng.uniform(-5, -2)), [r6(10 ** rng.uniform(-5, -2))]])
    if maybe(rng, 0.1):
        p["eps"] = rng.choice([1e-3, 0.0, 1e-12])
    if maybe(rng, 0.15):
        p["monitor"] = "acc"
    if maybe(rng, 0.1):
        b = rng.randint(0, 3)
        if b:
            p["begin"] = b
        p["end"] = b + rng.randint(1, 10)
    if maybe(rng, 0.1):
        p["by_epoch"] = True
    start = rng.choice([0, 0, 0, rng.randint(1, 20)])
    epochs = rng.randint(1, 80)
    n = start + epochs - 1
    greater = p.get("rule") == "greater"
    metrics = metric_series(n, seed=rng.randrange(10 ** 9), base=rng.choice([1.0, 0.05, 5.0]),
                            trend=(0.01 if greater else -0.01) * rng.choice([1, 0.1, 0]))
    return mm_spec("ReduceOnPlateauLR", mm_lr(rng), p, epochs, start, metrics=metrics)


# ---------------------------------------------------------------------------
# MMEngine Runner
# ---------------------------------------------------------------------------

RUNNER_TYPES = ["LinearLR", "ConstantLR", "CosineAnnealingLR", "MultiStepLR", "StepLR", "ExponentialLR", "PolyLR",
                "CosineRestartLR", "OneCycleLR"]


def runner_request(rng):
    L = rng.randint(1, 7)
    epoch_loop = maybe(rng, 0.6)
    if epoch_loop:
        n_ep = rng.randint(1, 7)
        tc = gmm.E(n_ep)
        max_epochs, max_iters = n_ep, n_ep * L
    else:
        n_it = rng.randint(5, 45)
        tc = gmm.I(n_it)
        max_epochs, max_iters = 1, n_it
    scheds = []
    plateau = epoch_loop and maybe(rng, 0.2) or (not epoch_loop and maybe(rng, 0.08))
    for _ in range(rng.randint(1, 3)):
        t = rng.choice(RUNNER_TYPES)
        by_ep = maybe(rng, 0.5)
        cfg = {"type": t}
        if maybe(rng, 0.9) or not by_ep:
            cfg["by_epoch"] = by_ep
        horizon = max_epochs if by_ep else max_iters
        convert = by_ep and maybe(rng, 0.5)
        if convert:
            cfg["convert_to_iter_based"] = True
        begin = rng.choice([0, 0, rng.randint(0, max(0, horizon - 1))])
        if convert and maybe(rng, 0.5):
            begin = r6(rng.uniform(0, max(0.1, horizon - 0.5)))
        if begin:
            cfg["begin"] = begin
        if maybe(rng, 0.55):
            if convert:
                cfg["end"] = r6(rng.uniform(begin + 0.4, horizon + 2))
            else:
                cfg["end"] = rng.randint(int(begin) + 1, horizon + 2)
        h = horizon
        if t == "LinearLR":
            cfg["start_factor"] = r6(rng.uniform(0.01, 1))
            if maybe(rng, 0.3):
                cfg["end_factor"] = r6(rng.uniform(0.2, 1))
        elif t == "ConstantLR":
            cfg["factor"] = r6(rng.uniform(0.1, 1))
        elif t == "CosineAnnealingLR":
            if maybe(rng, 0.6):
                cfg["T_max"] = rng.choice([rng.randint(1, max(1, h)), r6(rng.uniform(0.5, max(1, h)))])
            if maybe(rng, 0.5):
                cfg["eta_min"] = r6(10 ** rng.uniform(-6, -3))
            elif maybe(rng, 0.5):
                cfg["eta_min_ratio"] = r6(rng.uniform(0, 0.2))
        elif t == "MultiStepLR":
            cfg["milestones"] = sorted(rng.sample(range(1, h + 1), min(rng.randint(1, 3), h)))
            cfg["gamma"] = r6(rng.uniform(0.1, 0.9))
        elif t == "StepLR":
            cfg["step_size"] = rng.randint(1, max(1, h // 2))
            cfg["gamma"] = r6(rng.uniform(0.1, 0.9))
        elif t == "ExponentialLR":
            cfg["gamma"] = r6(rng.uniform(0.8, 0.99))
        elif t == "PolyLR":
            cfg["power"] = r6(rng.uniform(0.5, 2))
            cfg["eta_min"] = r6(10 ** rng.uniform(-6, -3))
        elif t == "CosineRestartLR":
            k = rng.randint(1, 3)
            cfg["periods"] = [rng.randint(1, max(1, h // 2)) for _ in range(k)]
            cfg["restart_weights"] = [1] + [r6(rng.uniform(0.3, 1)) for _ in range(k - 1)]
            cfg["eta_min_ratio"] = r6(rng.uniform(0, 0.2))
        elif t == "OneCycleLR":
            cfg["eta_max"] = r6(10 ** rng.uniform(-3, 0))
            if maybe(rng, 0.6):
                # at least the window, so that it does not run past total_steps (usually)
                cfg["total_steps"] = h + rng.choice([0, 0, 1, 3, -1])
                cfg["total_steps"] = max(1, cfg["total_steps"])
            if maybe(rng, 0.5):
                cfg["pct_start"] = r6(rng.uniform(0.1, 0.6))
            if maybe(rng, 0.4):
                cfg["anneal_strategy"] = rng.choice(["cos", "linear"])
            if maybe(rng, 0.3):
                cfg["three_phase"] = True
        scheds.append(cfg)
    metrics = None
    if plateau:
        pcfg = {"type": "ReduceOnPlateauLR", "patience": rng.randint(0, 2), "factor": r6(rng.uniform(0.2, 0.8))}
        if maybe(rng, 0.3):
            pcfg["monitor"] = "acc"
            pcfg["rule"] = "greater"
        if maybe(rng, 0.3):
            pcfg["cooldown"] = rng.randint(0, 2)
        if maybe(rng, 0.2):
            pcfg["begin"] = rng.randint(1, 2)
        scheds.insert(rng.randint(0, len(scheds)), pcfg)
        if epoch_loop:
            if maybe(rng, 0.3):
                tc["val_interval"] = rng.randint(1, 3)
            if maybe(rng, 0.2):
                tc["val_begin"] = rng.randint(1, 3)
            vi, vb = tc.get("val_interval", 1), tc.get("val_begin", 1)
            n_val = sum(1 for e in range(1, max_epochs + 1) if e >= vb and (e % vi == 0 or e == max_epochs))
        else:
            tc["val_interval"] = rng.randint(2, 10)
            vi, vb = tc["val_interval"], tc.get("val_begin", 1)
            n_val = sum(1 for it in range(1, max_iters + 1) if it >= vb and (it % vi == 0 or it == max_iters))
        greater = pcfg.get("rule") == "greater"
        metrics = metric_series(n_val, seed=rng.randrange(10 ** 9), trend=0.01 if greater else -0.01)
    if maybe(rng, 0.1):
        # an edge: an entry that starts at or after its default end, convert_to_iter_based on an
        # iteration-based entry, a OneCycleLR shorter than training, or an entry ending at its begin
        cfg = rng.choice(scheds)
        kind = rng.randrange(4)
        if kind == 0:
            cfg.pop("end", None)
            cfg["begin"] = (max_epochs if cfg.get("by_epoch", True) else max_iters) + rng.randint(0, 2)
        elif kind == 1:
            cfg["by_epoch"] = False
            cfg["convert_to_iter_based"] = True
        elif kind == 2:
            scheds.append({"type": "OneCycleLR", "eta_max": 0.3, "by_epoch": False,
                           "total_steps": max(1, max_iters - rng.randint(1, 3))})
        else:
            cfg["end"] = cfg.get("begin", 0)
    acc = None
    if maybe(rng, 0.3):
        acc = rng.randint(2, 4)
    lr = r6(10 ** rng.uniform(-3, 0))
    return gmm.R(lr, scheds, tc, L, accumulative_counts=acc, metrics=metrics)


class RunnerHarness:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="families3-sweep-", dir="/tmp")
        self.index = 0

    def __call__(self, request):
        self.index += 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = gmm.run_runner(request, self.root, self.index)
        shutil.rmtree(os.path.join(self.root, f"case{self.index}"), ignore_errors=True)
        if "optimizer_stepped" in result:
            result = {"lrs": [v for v, s in zip(result["lrs"], result["optimizer_stepped"]) if s],
                      "iteration_lrs": result["lrs"]}
        return result

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


# ---------------------------------------------------------------------------
# Megatron
# ---------------------------------------------------------------------------

MEG_STYLES = ["constant", "linear", "cosine", "inverse-square-root", "WSD"]


def megatron(rng):
    style = rng.choice(MEG_STYLES)
    inc = rng.choice([1, 1, 1, 2, 8, 16, 64, 256, 512, 1024, 3])
    iters = rng.randint(2, 150)
    decay = iters * inc + (rng.randint(1, inc - 1) if inc > 1 and maybe(rng, 0.5) else 0)
    if maybe(rng, 0.05):
        decay = float(decay) + rng.choice([0.5, 0.0])
    max_lr = rng.choice([float(f"{10 ** rng.uniform(-5, -1):.4g}"), 10 ** rng.uniform(-5, -1), 1e-3, 1])
    min_lr = rng.choice([0.0, 0, max_lr * 0.1, max_lr * rng.random(), max_lr])
    init_lr = rng.choice([0.0, 0.0, min_lr, max_lr * rng.random(), max_lr])
    r = rng.random()
    if r < 0.2:
        warmup = 0
    elif r < 0.55:
        warmup = rng.choice([0.01, 0.02, 0.05, 0.1, 0.25, rng.random() * 0.5]) * decay
    else:
        warmup = rng.randint(0, max(0, int(decay) - 1))
    extra = {}
    if style == "WSD":
        extra["wsd_decay_steps"] = rng.choice([int(decay * rng.uniform(0, 0.5)), rng.randint(0, int(decay)),
                                               r6(decay * rng.uniform(0, 0.6)), 0])
        extra["lr_wsd_decay_style"] = rng.choice(gmeg.WSD_STYLES)
    wd = {}
    r = rng.random()
    if r < 0.2:
        s_wd = r6(rng.uniform(0, 0.05))
        wd = dict(start_wd=s_wd, end_wd=r6(s_wd + rng.uniform(0, 0.1)), wd_incr_steps=rng.randint(1, int(decay) + 5),
                  wd_incr_style=rng.choice(["linear", "cosine"]))
    elif r < 0.3:
        v = r6(rng.uniform(0, 0.1))
        wd = dict(start_wd=v, end_wd=v)
    if maybe(rng, 0.15):
        flag = maybe(rng, 0.5)
        extra["use_checkpoint_opt_param_scheduler"] = flag
        extra["override_opt_param_scheduler"] = not flag and maybe(rng, 0.5)
    params = gmeg.P(init_lr=init_lr, max_lr=max_lr, min_lr=min_lr, lr_warmup_steps=warmup, lr_decay_steps=decay,
                    lr_decay_style=style, increment=inc, **wd, **extra)
    start = rng.choice([0, 0, 0, rng.randint(1, iters)])
    epochs = min(300, max(1, gmeg.steps_past(params, extra=rng.randint(0, 10), cap=300) - start))
    return {"framework": "megatron", "scheduler": gmeg.SCHEDULER, "params": params, "epochs": epochs, "start": start}


# ---------------------------------------------------------------------------
# Edge perturbations: with probability EDGE_P one parameter of a drawn configuration is set to
# an edge or invalid value (both sides should then agree on a value or on a refusal)
# ---------------------------------------------------------------------------

EDGE_P = 0.12

MM_WINDOW_EDGES = [("end", ["=begin", "<begin"]), ("last_step", [3]), ("begin", [-2, 0.5])]

EDGES = {
    "WarmupLR": [("warmup_num_steps", [0, -3, 10.0, True, 1]), ("warmup_min_lr", [-0.01, 1e300, 0]),
                 ("warmup_max_lr", [0, 1e-12, None]), ("warmup_type", ["cosine", "LINEAR"]),
                 ("last_batch_iteration", [-5, 0, 7])],
    "WarmupDecayLR": [("total_num_steps", [0, -5, 10.5, 1]), ("warmup_num_steps", [0, True, -1]),
                      ("warmup_type", ["exp"]), ("warmup_min_lr", [-0.001]), ("last_batch_iteration", [5])],
    "WarmupCosineLR": [("total_num_steps", [0, 1, 7.5, -3]), ("warmup_min_ratio", [1.5, -0.1, 1]),
                       ("cos_min_ratio", [1.0, 2.0, -0.5]), ("warmup_num_steps", [0, True]),
                       ("warmup_type", ["Linear"]), ("last_batch_iteration", [3])],
    "OneCycle": [("cycle_first_step_size", [0, -1, 0.5, True]), ("cycle_second_step_size", [-1, 0, 0.5]),
                 ("decay_step_size", [-1, 0.5, 0]), ("decay_lr_rate", [-0.5, 1e-13, 0]),
                 ("cycle_first_stair_count", [0.5, None, 100]), ("cycle_min_lr", [0, -0.001]),
                 ("decay_mom_rate", [0.5]), ("last_batch_iteration", [2])],
    "LRRangeTest": [("lr_range_test_step_size", [0, -1, 10.0, True]), ("lr_range_test_step_rate", [0.0, -1.0, 0]),
                    ("lr_range_test_staircase", [1, 0, None]), ("lr_range_test_min_lr", [0, -0.01, 1e300])],
    "LinearLR": [("start_factor", [0, 0.0, 1.5, -0.1, 1]), ("end_factor", [0, 1.2, -0.5])] + MM_WINDOW_EDGES,
    "ConstantLR": [("factor", [0, 0.0, 1.5, -0.1])] + MM_WINDOW_EDGES,
    "CosineAnnealingLR": [("T_max", [-10, 0.0, 1, 0.5]), ("eta_min", [0.5, -0.01]), ("eta_min_ratio", [1.5, 0])]
    + MM_WINDOW_EDGES,
    "MultiStepLR": [("gamma", [0, 0.0, 1e200, -1.0]), ("milestones", [[], [0], [0, 0], [-1, 2.5]])] + MM_WINDOW_EDGES,
    "StepLR": [("step_size", [0, -3, 0.0, 0.5, True]), ("gamma", [0, -0.5, 1e10])] + MM_WINDOW_EDGES,
    "ExponentialLR": [("gamma", [0, -0.5, 2, 1e10, 1e-200])] + MM_WINDOW_EDGES,
    "PolyLR": [("power", [0, -1.0, 0.5, 3]), ("eta_min", [-0.01, 0.5])] + MM_WINDOW_EDGES,
    "OneCycleLR": [("pct_start", [0, 1.0, 0.0, 1.5, 0.05]), ("total_steps", [0, 10.0, 1, 2]),
                   ("anneal_strategy", ["exp", "COS"]), ("eta_max", [[0.2], 0, -0.1]),
                   ("div_factor", [0, 1]), ("three_phase", [True])] + MM_WINDOW_EDGES,
    "CosineRestartLR": [("periods", [[0], [0, 5], [1]]), ("restart_weights", [[1, 0.5, 0.25], [0]]),
                        ("eta_min", [0.5])] + MM_WINDOW_EDGES,
    "ReduceOnPlateauLR": [("factor", [1.0, 0.0, 1, -0.5]), ("threshold", [-0.1, 10.0]), ("rule", ["max"]),
                          ("threshold_rule", ["x"]), ("patience", [0.5, -1]), ("by_epoch", [False]),
                          ("min_value", [[0.1, 0.2], 1.0]), ("cooldown", [0.5]), ("eps", [1.0])]
    + MM_WINDOW_EDGES,
    "OptimizerParamScheduler": [("min_lr", [-1e-5]), ("max_lr", [0.0]), ("init_lr", [1e9]),
                                ("lr_decay_steps", [0, -1]), ("lr_warmup_steps", ["=decay", ">decay", -10]),
                                ("increment", [0, -1]), ("lr_decay_style", ["polynomial", "wsd", "Linear"]),
                                ("wsd_decay_steps", [None, -10]), ("lr_wsd_decay_style", [None, "step"]),
                                ("override_opt_param_scheduler", [True]), ("wd_incr_style", ["linear"])],
}


def perturb(rng, name, spec):
    """With probability EDGE_P, set one parameter of ``spec`` to an edge value (in place)."""
    table = EDGES.get(name)
    if not table or not maybe(rng, EDGE_P):
        return spec
    params = spec["params"]
    key, values = rng.choice(table)
    v = rng.choice(values)
    if v == "=begin":
        v = params.get("begin", 0)
    elif v == "<begin":
        v = params.get("begin", 0) - rng.randint(1, 3)
    elif v == "=decay":
        v = params["lr_decay_steps"]
    elif v == ">decay":
        v = params["lr_decay_steps"] + rng.randint(1, 20)
    params[key] = v
    return spec


# ---------------------------------------------------------------------------
# The table of schedulers
# ---------------------------------------------------------------------------

SWEEPS = [
    # (name, family, request generator, real runner)
    ("WarmupLR", "deepspeed", ds_warmup_lr, gds.run_spec),
    ("WarmupDecayLR", "deepspeed", ds_warmup_decay_lr, gds.run_spec),
    ("WarmupCosineLR", "deepspeed", ds_warmup_cosine_lr, gds.run_spec),
    ("OneCycle", "deepspeed", ds_one_cycle, gds.run_spec),
    ("LRRangeTest", "deepspeed", ds_lr_range_test, gds.run_spec),
    ("LinearLR", "mmengine", mm_linear, gmm.run_spec),
    ("ConstantLR", "mmengine", mm_constant, gmm.run_spec),
    ("CosineAnnealingLR", "mmengine", mm_cosine, gmm.run_spec),
    ("MultiStepLR", "mmengine", mm_multistep, gmm.run_spec),
    ("StepLR", "mmengine", mm_step, gmm.run_spec),
    ("ExponentialLR", "mmengine", mm_exponential, gmm.run_spec),
    ("PolyLR", "mmengine", mm_poly, gmm.run_spec),
    ("OneCycleLR", "mmengine", mm_onecycle, gmm.run_spec),
    ("CosineRestartLR", "mmengine", mm_restart, gmm.run_spec),
    ("ReduceOnPlateauLR", "mmengine", mm_plateau, gmm.run_spec),
    ("OptimizerParamScheduler", "megatron", megatron, gmeg.run_spec),
    ("Runner", "mmengine trainer", runner_request, None),
]


# ---------------------------------------------------------------------------
# lrsched
# ---------------------------------------------------------------------------


def lrsched_batch(binary, requests, chunk=100):
    """Answers of ``lrsched eval`` for ``requests`` (batches; one by one if a batch fails)."""
    out = []
    for i in range(0, len(requests), chunk):
        part = requests[i:i + chunk]
        proc = subprocess.run([binary, "eval", "-"], input=json.dumps({"requests": part}), capture_output=True,
                              text=True)
        try:
            results = json.loads(proc.stdout)["results"]
            assert len(results) == len(part)
        except Exception:  # noqa: BLE001 - a crash or an unexpected answer: retry one by one
            results = [lrsched_one(binary, req) for req in part]
        out.extend(results)
    return out


def lrsched_one(binary, request):
    proc = subprocess.run([binary, "eval", "-"], input=json.dumps(request), capture_output=True, text=True)
    try:
        return json.loads(proc.stdout)
    except Exception:  # noqa: BLE001
        return {"__crash__": f"exit {proc.returncode}", "stdout": proc.stdout[-500:], "stderr": proc.stderr[-500:]}


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------

COMPARED = ["lrs", "group_lrs", "momentums", "group_momentums"]


def bits(v):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return struct.pack("<d", float(v))


def show(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f"{float(v)!r} ({float(v).hex()})"
    return json.dumps(v)


def flat(series, key):
    """[(label, values)] of one series: a list, or a list of per-group lists."""
    if key.startswith("group_"):
        return [(f"{key}[{g}]", vals) for g, vals in enumerate(series)]
    return [(key, series)]


def compare(real, ans):
    """(verdict, detail): verdict is 'identical', 'both-refused' or 'disagree'."""
    real_ok = "lrs" in real
    if "__crash__" in ans:
        return "disagree", f"lrsched crashed ({ans['__crash__']}): stderr {ans.get('stderr', '')!r}; " \
                           f"library: {describe_real(real)}"
    ans_ok = "lrs" in ans and "type" not in ans
    if not real_ok and not ans_ok:
        return "both-refused", f"library: {describe_real(real)} | lrsched: {describe_ans(ans)}"
    if real_ok != ans_ok:
        return "disagree", f"outcomes differ -- library: {describe_real(real)} | lrsched: {describe_ans(ans)}"
    for key in COMPARED:
        if key not in real and key not in ans:
            continue
        if (key in real) != (key in ans):
            return "disagree", (f"series {key!r} only in {'the library' if key in real else 'lrsched'}'s answer "
                                f"(library keys {sorted(k for k in real if k in COMPARED)}, lrsched keys "
                                f"{sorted(k for k in ans if k in COMPARED)})")
        a_parts, b_parts = flat(real[key], key), flat(ans[key], key)
        if len(a_parts) != len(b_parts):
            return "disagree", f"{key}: {len(a_parts)} groups in the library, {len(b_parts)} in lrsched"
        for (label, a), (_, b) in zip(a_parts, b_parts):
            for k, (x, y) in enumerate(zip(a, b)):
                if bits(x) is None or bits(x) != bits(y):
                    return "disagree", f"{label} first differs at value {k}: library {show(x)}, lrsched {show(y)}"
            if len(a) != len(b):
                return "disagree", f"{label}: {len(a)} values in the library, {len(b)} in lrsched"
    return "identical", ""


def describe_real(real):
    if "lrs" in real:
        lrs = real["lrs"]
        head = ", ".join(repr(v) for v in lrs[:4])
        return f"schedule of {len(lrs)} values [{head}{', ...' if len(lrs) > 4 else ''}]"
    step = real.get("error_step", real.get("error_iter"))
    where = "at construction" if step is None else f"at step {step}" if "error_step" in real else f"at iteration {step}"
    return f"{real['error']!r} {where}"


def describe_ans(ans):
    if "lrs" in ans and "type" not in ans:
        lrs = ans["lrs"]
        head = ", ".join(repr(v) for v in lrs[:4])
        return f"schedule of {len(lrs)} values [{head}{', ...' if len(lrs) > 4 else ''}]"
    return f"{ans.get('status')} {ans.get('type')}: {ans.get('detail')!r}"


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def run_real(runner, request):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return runner(request)
        except Exception as exc:  # noqa: BLE001 - a harness failure is reported, not fatal
            return {"error": f"harness: {type(exc).__name__}: {exc}", "error_step": None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(REPO_ROOT, ".build", "debug", "lrsched"), help="lrsched binary")
    ap.add_argument("--count", type=int, default=200, help="configurations per scheduler (default 200)")
    ap.add_argument("--runner-count", type=int, default=60, help="mmengine Runner configurations (default 60)")
    ap.add_argument("--seed", type=int, default=2027, help="random seed (default 2027)")
    ap.add_argument("--only", nargs="*", help="scheduler names to run (Runner for the mmengine trainer)")
    ap.add_argument("--verbose", action="store_true", help="also list the both-refused cases")
    args = ap.parse_args(argv)
    logging.disable(logging.WARNING)

    source_binary = os.path.abspath(args.bin)
    if not os.access(source_binary, os.X_OK):
        print(f"error: {source_binary} is not executable", file=sys.stderr)
        return 2
    # Work on a private copy: a rebuild of --bin during the sweep (ETXTBSY, or a half-written
    # file) must not change the binary under test half-way.
    bin_dir = tempfile.mkdtemp(prefix="families3-sweep-bin-", dir="/tmp")
    binary = os.path.join(bin_dir, "lrsched")
    shutil.copy2(source_binary, binary)
    with open(binary, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()[:16]
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(os.path.getmtime(binary)))
    import deepspeed
    import megatron.core
    import mmengine
    print(f"families3 sweep: seed {args.seed}, {args.count} per scheduler, {args.runner_count} Runner cases; "
          f"deepspeed {deepspeed.__version__}, mmengine {mmengine.__version__}, megatron-core "
          f"{megatron.core.__version__}, torch {torch.__version__}; lrsched {source_binary} "
          f"(modified {stamp} UTC, sha256 {digest}...)", flush=True)

    runner_harness = None
    totals = []
    any_disagreement = False
    t_all = time.perf_counter()
    try:
        for name, family, gen, runner in SWEEPS:
            if args.only and name not in args.only:
                continue
            n = args.runner_count if name == "Runner" else args.count
            rng = random.Random(f"families3:{args.seed}:{family}:{name}")
            if runner is None:
                runner_harness = runner_harness or RunnerHarness()
                runner = runner_harness
            t0 = time.perf_counter()
            requests = [roundtrip(perturb(rng, name, gen(rng))) for _ in range(n)]
            reals = [run_real(runner, req) for req in requests]
            t_real = time.perf_counter() - t0
            answers = lrsched_batch(binary, requests)
            counts = {"identical": 0, "both-refused": 0, "disagree": 0}
            lines = []
            for i, (req, real, ans) in enumerate(zip(requests, reals, answers)):
                verdict, detail = compare(real, ans)
                counts[verdict] += 1
                if verdict == "disagree":
                    lines.append(f"  DISAGREE #{i}: {json.dumps(req)}\n      {detail}")
                elif verdict == "both-refused" and args.verbose:
                    lines.append(f"  both refused #{i}: {json.dumps(req)}\n      {detail}")
            any_disagreement |= counts["disagree"] > 0
            totals.append((name, family, n, counts))
            print(f"{family:16s} {name:24s} configs {n:4d}  identical {counts['identical']:4d}  "
                  f"both refused {counts['both-refused']:4d}  disagreements {counts['disagree']:3d}  "
                  f"(library {t_real:.1f}s, total {time.perf_counter() - t0:.1f}s)", flush=True)
            for line in lines:
                print(line, flush=True)
    finally:
        if runner_harness is not None:
            runner_harness.close()
        shutil.rmtree(bin_dir, ignore_errors=True)

    print()
    print(f"{'family':16s} {'scheduler':24s} {'configs':>7s} {'identical':>9s} {'both-refused':>12s} {'disagree':>8s}")
    for name, family, n, c in totals:
        print(f"{family:16s} {name:24s} {n:7d} {c['identical']:9d} {c['both-refused']:12d} {c['disagree']:8d}")
    n_all = sum(t[2] for t in totals)
    d_all = sum(t[3]["disagree"] for t in totals)
    print(f"{n_all} configurations, {d_all} disagreements, {time.perf_counter() - t_all:.0f}s")
    return 1 if any_disagreement else 0


if __name__ == "__main__":
    sys.exit(main())
