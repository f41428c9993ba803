#!/usr/bin/env python3
"""Generate golden learning-rate fixtures from real MMEngine (0.10.7).

What it does
------------
Two kinds of fixtures, both computed by the installed mmengine + torch:

A) One LR parameter scheduler alone (no Runner), one file per type::

       Tests/SchedulesTests/Fixtures/mmengine/<TYPE>.json

   for TYPE in LinearLR, ConstantLR, CosineAnnealingLR, MultiStepLR, StepLR,
   ExponentialLR, PolyLR, OneCycleLR, CosineRestartLR, ReduceOnPlateauLR
   (the classes of ``mmengine.optim.scheduler``).

B) MMEngine's real ``Runner`` training a toy model with a list of
   ``param_scheduler`` configs::

       Tests/SchedulesTests/Fixtures/trainers/mmengine.json

Every float is written with Python's ``repr`` (via ``json.dumps``), which
round-trips exactly; the Swift tests compare bit for bit.

How to run
----------
From the repository root::

    /work/venv/bin/python scripts/generate_mmengine_fixtures.py [--out-dir DIR] [--trainer-out FILE]
                                                              [--only standalone|runner]

Needs mmengine 0.10.7 (installed with ``--no-deps``; its import dependencies
addict, yapf, termcolor, rich, pyyaml, numpy, matplotlib and
opencv-python-headless must be present) and torch 2.15.0 (CPU). A warning is
printed when the versions differ. Deterministic: no timestamps in the output,
random sweeps use fixed-seed ``random.Random``. Part A takes seconds; part B
starts one Runner per case (about a minute in all, one thread). Runner work
directories go under a fresh ``tempfile.mkdtemp(prefix="mmengine-fixtures-")``
in /tmp and are removed at the end.

A) Standalone contract (a fixture ``spec`` is exactly a request body)
--------------------------------------------------------------------
``{"framework": "mmengine", "scheduler": TYPE, "lr": LR, "params": {...},
"epochs": N, "start": S[, "metrics": [...]]}``::

    optimizer = torch.optim.SGD([{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": LR}],
                                lr=LR, momentum=0.9)
    scheduler = getattr(mmengine.optim.scheduler, TYPE)(optimizer, **params)

``params`` are the constructor keywords exactly as JSON decodes them (a JSON
list is a Python list, ``null`` is ``None``, ``3`` is an int and ``3.0`` a
float -- mmengine type-checks some of them, e.g. OneCycleLR's ``total_steps``
must be an ``int`` and ``pct_start`` a ``float``), including ``begin``,
``end`` and ``by_epoch`` where given.

Value 0 is ``optimizer.param_groups[0]["lr"]`` right after construction (the
constructor of every type except ReduceOnPlateauLR already calls
``scheduler.step()`` once). Value n >= 1 is the lr after the n-th call, where
step n is ``optimizer.step()`` (a no-op: the parameter has no gradient; it only
keeps mmengine from warning) followed by

* ``scheduler.step()`` for every type but ReduceOnPlateauLR;
* for ReduceOnPlateauLR, with ``m = metrics[n - 1]`` and
  ``monitor = params.get("monitor", "loss")``:

  - ``m`` a number:  ``scheduler.step({monitor: m})`` (lrsched's requests
    carry numbers only; the Runner's counting ``step()`` between validations,
    which ``begin``/``end`` are compared with, is in the trainer fixtures);
  - the generator also understands ``m`` null (``scheduler.step()``) and
    ``m`` an object (``scheduler.step(m)`` verbatim).

  ``metrics`` must hold at least ``start + epochs - 1`` entries.

Steps 1 .. ``start + epochs - 1`` are all performed; values at steps
``start`` .. ``start + epochs - 1`` are reported in ``"lrs"`` (``epochs``
floats). On an exception: ``"error": "<ExceptionClass>: <str(exc)>"`` (just
the class when the message is empty, e.g. a bare ``assert``) and
``"error_step"``: null when the constructor raised, else the step n that
raised; no ``lrs``. When any value read from construction on (the unreported
``start`` prefix included) is not a finite real number the result is
``"error": "non-finite"`` (NaN/inf) or ``"error": "non-real"`` (Python
produced a ``complex``, e.g. PolyLR's negative base to a fractional power)
with ``"error_step"`` the first such step. Warnings are dropped.

B) Runner contract
------------------
``{"name": ..., "request": {"trainer": "mmengine", "lr": LR,
"param_scheduler": [cfg, ...], "train_cfg": {...}, "iters_per_epoch": L
[, "accumulative_counts": n][, "metrics": [...]]}, "lrs": [...]}``::

    Runner(model=Toy(),                              # BaseModel with one nn.Linear(2, 1), MSE loss
           train_dataloader=dict(dataset=<L samples>, batch_size=1, num_workers=0,
                                 sampler=dict(type="DefaultSampler", shuffle=False)   # by_epoch=True loops
                                      or dict(type="InfiniteSampler", shuffle=False), # by_epoch=False loops
                                 collate_fn=dict(type="default_collate")),
           optim_wrapper=dict(optimizer=dict(type="SGD", lr=LR, momentum=0.9)
                              [, accumulative_counts=n]),
           param_scheduler=<the cfg list, deep-copied>,
           train_cfg=<train_cfg verbatim>,
           default_hooks=dict(checkpoint=None, logger=dict(type="LoggerHook", interval=10**9)),
           launcher="none", work_dir=<under /tmp>)
    runner.train()

``len(train_dataloader) == L`` in both loops (it is the ``epoch_length`` used
by ``convert_to_iter_based``). ``lrs`` has one value per training iteration:
``runner.optim_wrapper.optimizer.param_groups[0]["lr"]`` read by a custom hook
in ``before_train_iter`` (nothing changes the lr between that point and the
iteration's ``optimizer.step()``). When ``accumulative_counts`` is given the
case also has ``"optimizer_stepped"``: per iteration, whether the underlying
torch optimizer's ``step()`` ran during it; ``lrs`` then holds the LR of the
iterations that stepped (one per optimizer update, what lrsched answers) and
``"iteration_lrs"`` the LR of every iteration.

When ``metrics`` is given (ReduceOnPlateauLR cases) a validation loop runs
(``val_cfg=dict()``, 2 validation samples) and its evaluator is a metric that
returns ``{monitor: metrics[k]}`` on the k-th validation run (k = 0, 1, ...;
``monitor`` = the ReduceOnPlateauLR cfg's ``monitor``, default ``"loss"``).
Validation runs when the train loop decides (``val_begin``/``val_interval`` of
``train_cfg``; epoch loops default to after every epoch).

A Runner that raises gives ``"error": "<Class>: <message>"`` and
``"error_iter"``: the number of training iterations that had started (null if
it raised before the first one); no ``lrs``.

Every Runner case is also replayed by ``simulate_runner`` (plain SGD, the
schedulers built through ``PARAM_SCHEDULERS`` with the Runner's default
``end``, stepped in the ParamSchedulerHook order); the generator asserts both
agree bit for bit.
"""

from __future__ import annotations

import argparse
import copy
import logging
import math
import os
import random
import shutil
import sys
import tempfile
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch  # noqa: E402

torch.set_num_threads(1)

import mmengine  # noqa: E402
import mmengine.optim.scheduler as mm_sched  # noqa: E402

from fixture_support import dump_fixture, format_exception, make_group_optimizer, metric_series, roundtrip  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "mmengine")
DEFAULT_TRAINER_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "trainers", "mmengine.json")
EXPECTED_MMENGINE = "0.10.7"
EXPECTED_TORCH = "2.15.0"
INF = int(1e9)  # mmengine's default ``end``

SCHEDULERS = [
    "LinearLR",
    "ConstantLR",
    "CosineAnnealingLR",
    "MultiStepLR",
    "StepLR",
    "ExponentialLR",
    "PolyLR",
    "OneCycleLR",
    "CosineRestartLR",
    "ReduceOnPlateauLR",
]


def versions():
    mm = mmengine.__version__
    tv = torch.__version__.split("+")[0]
    if mm != EXPECTED_MMENGINE or tv != EXPECTED_TORCH:
        print(f"warning: mmengine {mm} / torch {tv}, fixtures expect {EXPECTED_MMENGINE} / {EXPECTED_TORCH}",
              file=sys.stderr)
    return mm, tv


# ---------------------------------------------------------------------------
# A) one scheduler alone
# ---------------------------------------------------------------------------


def run_spec(spec: dict) -> dict:
    """Run a standalone ``spec``; return ``{"lrs": [...]}`` or an error dict."""
    name = spec["scheduler"]
    params = spec.get("params", {})
    start = spec.get("start", 0)
    epochs = spec["epochs"]
    metrics = spec.get("metrics")
    plateau = name == "ReduceOnPlateauLR"
    monitor = params.get("monitor", "loss")
    optimizer = make_group_optimizer(spec["lr"], momentum=0.9)
    lrs = []

    def record(n):
        v = optimizer.param_groups[0]["lr"]
        if isinstance(v, complex):
            return {"error": "non-real", "error_step": n}
        assert isinstance(v, (int, float)) and not isinstance(v, bool), (spec, v)
        v = float(v)
        if not math.isfinite(v):
            return {"error": "non-finite", "error_step": n}
        if n >= start:
            lrs.append(v)
        return None

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            scheduler = getattr(mm_sched, name)(optimizer, **params)
        except Exception as exc:  # noqa: BLE001 - the library's exception is the fixture
            return {"error": format_exception(exc), "error_step": None}
        bad = record(0)
        if bad:
            return bad
        for n in range(1, start + epochs):
            try:
                optimizer.step()
                if plateau:
                    m = metrics[n - 1]
                    if m is None:
                        scheduler.step()
                    elif isinstance(m, dict):
                        scheduler.step(m)
                    else:
                        scheduler.step({monitor: m})
                else:
                    scheduler.step()
            except Exception as exc:  # noqa: BLE001
                return {"error": format_exception(exc), "error_step": n}
            bad = record(n)
            if bad:
                return bad
    assert len(lrs) == epochs
    return {"lrs": lrs}


def fmt(v) -> str:
    if isinstance(v, list):
        return "[" + ",".join(fmt(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return str(v)


class CaseList:
    def __init__(self, scheduler):
        self.scheduler = scheduler
        self.items = []

    def add(self, lr, params, epochs, start=0, metrics=None, label=None):
        spec = {"framework": "mmengine", "scheduler": self.scheduler, "lr": lr, "params": params,
                "epochs": epochs, "start": start}
        if metrics is not None:
            spec["metrics"] = metrics
        parts = [f"{k}={fmt(v)}" for k, v in params.items()]
        parts += [f"lr={fmt(lr)}", f"epochs={epochs}"]
        if start:
            parts.append(f"start={start}")
        desc = " ".join(parts)
        self.items.append((desc if label is None else f"{label}: {desc}", spec))

    def both_by_epoch(self, lr, params, epochs, start=0, label=None):
        """The same case with by_epoch true and false (alone it must not matter)."""
        self.add(lr, dict(params, by_epoch=True), epochs, start, label=f"{label}, by_epoch true")
        self.add(lr, dict(params, by_epoch=False), epochs, start, label=f"{label}, by_epoch false")


def r6(x):
    return round(x, 6)


def cases_linear():
    c = CaseList("LinearLR")
    c.add(0.1, {}, 20, label="defaults (start_factor 1/3, end INF: crawls)")
    c.add(0.1, {"start_factor": 0.1, "end": 10}, 15, label="warm-up to end 10, then left alone")
    c.add(0.01, {"start_factor": 0.001, "end": 100}, 120, label="start_factor 0.001")
    c.add(0.1, {"start_factor": 1.0, "end_factor": 0.0, "end": 20}, 25, label="decay to 0")
    c.add(0.1, {"start_factor": 1.0, "end_factor": 0.1, "end": 50}, 55, label="decay to 0.1")
    c.add(0.1, {"start_factor": 0.25, "begin": 5, "end": 15}, 20, label="begin 5 end 15")
    c.add(0.1, {"start_factor": 0.2, "begin": 3}, 15, label="begin 3, end absent")
    c.add(0.1, {"start_factor": 0.5, "begin": 10, "end": 11}, 15, label="one-step window: never restored")
    c.add(0.1, {"start_factor": 0.5, "end": 1}, 5, label="end 1 (total_iters 0)")
    c.add(0.1, {"start_factor": 0.5, "end": 2}, 5, label="end 2 (total_iters 1)")
    c.add(0.1, {"start_factor": 1.0, "end_factor": 1.0, "end": 10}, 12, label="factors 1: no-op")
    c.add(0.1, {"start_factor": 0.5, "end_factor": 0.75, "end": 8}, 12, label="end_factor 0.75")
    c.add(0.1, {"start_factor": 0.1, "end": 100}, 20, start=10, label="start 10")
    c.add(0.1, {"start_factor": 0.1, "end": 2000}, 5, start=1000, label="large start")
    c.add(0.1, {"start_factor": 0.1, "begin": 2.5, "end": 7.5}, 10, label="fractional begin/end")
    c.add(0.1, {"start_factor": 0.1, "begin": -3, "end": 5}, 8, label="negative begin")
    c.add(1, {"start_factor": 0.5, "end": 4}, 6, label="int lr")
    c.add(3e-4, {"start_factor": 0.001, "end": 300}, 300, label="long warm-up")
    c.add(0.1, {"start_factor": 0.3333333333333333, "end": 6}, 8, label="explicit 1/3")
    c.add(0.1, {"start_factor": 0.1, "end": 10, "verbose": False}, 5, label="verbose false")
    c.both_by_epoch(0.1, {"start_factor": 0.1, "end": 10}, 12, label="pair")
    c.both_by_epoch(0.05, {"start_factor": 0.3, "end_factor": 0.9, "begin": 2, "end": 9}, 12, label="pair with begin")
    rng = random.Random(101)
    for i in range(12):
        sf = r6(rng.uniform(0.0, 1.0))
        ef = r6(rng.uniform(0.0, 1.0))
        begin = rng.choice([0, 0, rng.randint(1, 10)])
        end = begin + rng.randint(1, 40)
        p = {"start_factor": sf, "end_factor": ef, "begin": begin, "end": end}
        c.add(r6(10 ** rng.uniform(-4, 0)), p, rng.randint(1, 60), start=rng.choice([0, 0, rng.randint(1, 10)]),
              label=f"random {i}")
    c.add(0.1, {"start_factor": 0, "end": 10}, 5, label="start_factor 0 divides by zero at step 1")
    c.add(0.1, {"start_factor": 0, "end_factor": 0, "end": 5}, 6, label="int factors 0 and 0: int division by zero at step 1")
    c.add(0.1, {"start_factor": 1.5}, 5, label="start_factor > 1 refused")
    c.add(0.1, {"start_factor": 0.5, "end_factor": -0.1}, 5, label="negative end_factor refused")
    c.add(0.1, {"begin": 5, "end": 5}, 5, label="end == begin refused")
    c.add(0.1, {"begin": 5, "end": 3}, 5, label="end < begin refused")
    c.add(0.1, {"last_step": 3}, 5, label="last_step without initial_lr refused")
    c.add(0.1, {"T_max": 10}, 5, label="unexpected keyword")
    return c


def cases_constant():
    c = CaseList("ConstantLR")
    c.add(0.1, {}, 20, label="defaults (factor 1/3, end INF: never restored)")
    c.add(0.1, {"factor": 0.5, "end": 5}, 10, label="restored at step 4 (total_iters)")
    c.add(0.1, {"factor": 0.1, "begin": 3, "end": 8}, 12, label="begin 3 end 8")
    c.add(0.1, {"factor": 1.0, "end": 5}, 8, label="factor 1")
    c.add(0.1, {"factor": 0.3, "end": 4}, 8, label="factor 0.3: restored value inexact")
    c.add(0.1, {"factor": 0.0}, 6, label="factor 0, end INF")
    c.add(0.1, {"factor": 0.5, "end": 1}, 6, label="end 1: never restored")
    c.add(0.1, {"factor": 0.5, "end": 2}, 6, label="end 2")
    c.add(0.1, {"factor": 0.5, "end": 5.5}, 10, label="fractional end: never restored")
    c.add(0.1, {"factor": 0.5, "begin": 2.5, "end": 6.5}, 10, label="fractional begin/end (total_iters 3)")
    c.add(0.1, {"factor": 0.25, "begin": 4}, 10, label="begin 4, end absent")
    c.add(0.1, {"factor": 0.5, "end": 100}, 10, start=95, label="start 95")
    c.add(1, {"factor": 0.5, "end": 3}, 5, label="int lr")
    c.add(0.1, {"factor": 0.5, "begin": -2, "end": 3}, 6, label="negative begin")
    c.both_by_epoch(0.1, {"factor": 0.5, "end": 5}, 8, label="pair")
    c.both_by_epoch(0.02, {"factor": 0.2, "begin": 3, "end": 7}, 10, label="pair with begin")
    rng = random.Random(102)
    for i in range(14):
        begin = rng.choice([0, 0, rng.randint(1, 8)])
        p = {"factor": r6(rng.uniform(0.01, 1.0)), "begin": begin, "end": begin + rng.randint(1, 20)}
        c.add(r6(10 ** rng.uniform(-4, 0)), p, rng.randint(1, 40), start=rng.choice([0, 0, rng.randint(1, 5)]),
              label=f"random {i}")
    c.add(0.1, {"factor": 0, "end": 5}, 8, label="factor 0 divides by zero when restoring")
    c.add(0.1, {"factor": 1.5}, 5, label="factor > 1 refused")
    c.add(0.1, {"factor": -0.1}, 5, label="negative factor refused")
    c.add(0.1, {"begin": 3, "end": 3}, 5, label="end == begin refused")
    c.add(0.1, {"gamma": 0.5}, 5, label="unexpected keyword")
    return c


def cases_cosine():
    c = CaseList("CosineAnnealingLR")
    c.add(0.1, {"T_max": 10}, 35, label="T_max 10, past T_max (rises again)")
    c.add(0.1, {"T_max": 100, "eta_min": 1e-4}, 100, label="eta_min")
    c.add(0.1, {"T_max": 50, "eta_min_ratio": 0.01}, 60, label="eta_min_ratio")
    c.add(0.1, {"T_max": 50, "eta_min": None, "eta_min_ratio": 0.1}, 55, label="eta_min null with ratio")
    c.add(0.1, {"end": 20}, 25, label="T_max absent: end - begin")
    c.add(0.1, {"begin": 5, "end": 25}, 30, label="T_max absent with begin: end - begin")
    c.add(0.1, {"T_max": 0, "end": 10}, 12, label="T_max 0 falls back to end - begin")
    c.add(0.1, {}, 10, label="T_max and end absent: T_max 1e9")
    c.add(0.1, {"T_max": 10, "end": 6}, 10, label="end before T_max")
    c.add(0.1, {"T_max": 10, "begin": 3}, 20, label="begin 3")
    c.add(0.1, {"T_max": 10, "eta_min": 0.2}, 25, label="eta_min above lr")
    c.add(0.1, {"T_max": 1}, 8, label="T_max 1")
    c.add(0.1, {"T_max": 2}, 12, label="T_max 2")
    c.add(0.1, {"T_max": 7.5}, 20, label="fractional T_max")
    c.add(0.1, {"T_max": 10, "eta_min": 0}, 12, label="int eta_min")
    c.add(0.1, {"T_max": 10}, 50, label="periodic over 5 half-cycles")
    c.add(0.1, {"T_max": 200, "eta_min": 1e-5}, 10, start=95, label="start 95")
    c.add(1, {"T_max": 4}, 6, label="int lr")
    c.add(3e-4, {"T_max": 300, "eta_min_ratio": 0.05}, 300, label="long")
    c.add(0.1, {"T_max": 10, "begin": 2.5, "end": 9.5}, 12, label="fractional begin/end")
    c.add(0.1, {"T_max": -10}, 25, label="negative T_max")
    c.both_by_epoch(0.1, {"T_max": 10, "eta_min": 0.001}, 15, label="pair")
    c.both_by_epoch(0.05, {"T_max": 8, "begin": 2, "end": 12, "eta_min_ratio": 0.1}, 15, label="pair with begin/end")
    rng = random.Random(103)
    for i in range(12):
        begin = rng.choice([0, 0, rng.randint(1, 8)])
        p = {"T_max": rng.randint(1, 40), "begin": begin}
        if rng.random() < 0.5:
            p["end"] = begin + rng.randint(1, 60)
        if rng.random() < 0.5:
            p["eta_min"] = r6(10 ** rng.uniform(-6, -2))
        else:
            p["eta_min_ratio"] = r6(rng.uniform(0, 0.5))
        c.add(r6(10 ** rng.uniform(-4, 0)), p, rng.randint(1, 80), start=rng.choice([0, 0, rng.randint(1, 10)]),
              label=f"random {i}")
    c.add(0.1, {"T_max": 10, "eta_min": 0.0, "eta_min_ratio": 0.1}, 5, label="eta_min and eta_min_ratio refused")
    c.add(0.1, {"T_max": 10, "begin": 4, "end": 2}, 5, label="end < begin refused")
    c.add(0.1, {"T_max": 10, "gamma": 0.5}, 5, label="unexpected keyword")
    return c


def cases_multistep():
    c = CaseList("MultiStepLR")
    c.add(0.1, {"milestones": [30, 60, 90], "gamma": 0.1}, 100, label="30, 60, 90")
    c.add(5e-5, {"milestones": [10, 20], "gamma": 0.5}, 30)
    c.add(0.1, {"milestones": [3, 3, 6], "gamma": 0.5}, 10, label="repeated milestone: gamma**2")
    c.add(0.1, {"milestones": [8, 2], "gamma": 0.5}, 12, label="unsorted milestones")
    c.add(0.1, {"milestones": [], "gamma": 0.5}, 8, label="no milestones")
    c.add(0.1, {"milestones": [0, 4], "gamma": 0.5}, 8, label="milestone 0 applies at construction")
    c.add(0.1, {"milestones": [2, 4], "gamma": 0.5, "begin": 5}, 12, label="begin 5: milestones relative to begin")
    c.add(0.1, {"milestones": [3, 8], "gamma": 0.5, "end": 6}, 12, label="end 6: second milestone never")
    c.add(0.1, {"milestones": [3, 6]}, 10, label="gamma default 0.1")
    c.add(0.1, {"milestones": [3, 6], "gamma": 2.0}, 10, label="gamma > 1")
    c.add(0.1, {"milestones": [2.5, 4], "gamma": 0.5}, 8, label="fractional milestone never matches")
    c.add(0.1, {"milestones": [3.0], "gamma": 0.5}, 6, label="float milestone 3.0 matches step 3")
    c.add(0.1, {"milestones": [-3, 4], "gamma": 0.5}, 8, label="negative milestone")
    c.add(0.1, {"milestones": [10, 20], "gamma": 0.5}, 20, start=8, label="start 8")
    c.add(0.1, {"milestones": [5], "gamma": 0.0}, 8, label="gamma 0")
    c.add(1, {"milestones": [2, 4], "gamma": 0.5}, 6, label="int lr")
    c.add(0.1, {"milestones": [2, 4], "gamma": 0.5, "begin": 1.5, "end": 6.5}, 10, label="fractional begin/end")
    c.add(0.1, {"milestones": [1, 2, 3, 4, 5, 6], "gamma": 0.9}, 8, label="every step")
    c.both_by_epoch(0.1, {"milestones": [3, 6], "gamma": 0.5}, 10, label="pair")
    c.both_by_epoch(0.1, {"milestones": [1, 4], "gamma": 0.3, "begin": 2, "end": 8}, 10, label="pair with begin/end")
    rng = random.Random(104)
    for i in range(12):
        ms = sorted(rng.sample(range(1, 60), rng.randint(1, 4)))
        p = {"milestones": ms, "gamma": r6(rng.uniform(0.05, 0.95))}
        if rng.random() < 0.4:
            p["begin"] = rng.randint(1, 10)
        if rng.random() < 0.3:
            p["end"] = p.get("begin", 0) + rng.randint(5, 50)
        c.add(r6(10 ** rng.uniform(-4, 0)), p, rng.randint(5, 70), start=rng.choice([0, 0, rng.randint(1, 10)]),
              label=f"random {i}")
    c.add(0.1, {"milestones": [1, 2], "gamma": 1e200}, 5, label="gamma power overflows")
    c.add(0.1, {"milestones": 3, "gamma": 0.5}, 5, label="scalar milestones refused")
    c.add(0.1, {"milestones": [3], "begin": 2, "end": 2}, 5, label="end == begin refused")
    c.add(0.1, {"gamma": 0.5}, 5, label="milestones missing")
    c.add(0.1, {"milestones": [3], "step_size": 2}, 5, label="unexpected keyword")
    return c


def cases_step():
    c = CaseList("StepLR")
    c.add(0.1, {"step_size": 30, "gamma": 0.1}, 100, label="step_size 30")
    c.add(5e-5, {"step_size": 10, "gamma": 0.5}, 60)
    c.add(1.0, {"step_size": 1, "gamma": 0.9}, 50, label="step_size 1")
    c.add(0.1, {"step_size": 3}, 12, label="gamma default 0.1")
    c.add(0.1, {"step_size": 3, "gamma": 0.5, "begin": 4}, 15, label="begin 4: counted from begin")
    c.add(0.1, {"step_size": 3, "gamma": 0.5, "end": 10}, 15, label="end 10")
    c.add(0.1, {"step_size": 2.5, "gamma": 0.5}, 15, label="fractional step_size 2.5")
    c.add(0.1, {"step_size": 3.0, "gamma": 0.5}, 10, label="float step_size 3.0")
    c.add(0.1, {"step_size": -3, "gamma": 0.5}, 10, label="negative step_size")
    c.add(0.1, {"step_size": 2, "gamma": 0.0}, 6, label="gamma 0")
    c.add(0.1, {"step_size": 2, "gamma": 1.5}, 10, label="gamma > 1")
    c.add(0.1, {"step_size": 2, "gamma": -0.5}, 8, label="negative gamma")
    c.add(0.1, {"step_size": 10, "gamma": 0.9}, 20, start=10, label="start 10")
    c.add(0.1, {"step_size": 100, "gamma": 0.9}, 5, start=1000, label="large start")
    c.add(1, {"step_size": 2, "gamma": 0.5}, 8, label="int lr")
    c.add(0.1, {"step_size": 1, "gamma": 1e-10}, 40, label="underflow to 0")
    c.add(0.1, {"step_size": 2, "gamma": 0.5, "begin": 1.5, "end": 8.5}, 12, label="fractional begin/end")
    c.both_by_epoch(0.1, {"step_size": 3, "gamma": 0.5}, 10, label="pair")
    c.both_by_epoch(0.1, {"step_size": 2, "gamma": 0.7, "begin": 3, "end": 9}, 12, label="pair with begin/end")
    rng = random.Random(105)
    for i in range(12):
        p = {"step_size": rng.randint(1, 20), "gamma": r6(rng.uniform(0.05, 0.99))}
        if rng.random() < 0.4:
            p["begin"] = rng.randint(1, 10)
        if rng.random() < 0.3:
            p["end"] = p.get("begin", 0) + rng.randint(5, 50)
        c.add(r6(10 ** rng.uniform(-4, 0)), p, rng.randint(5, 80), start=rng.choice([0, 0, rng.randint(1, 10)]),
              label=f"random {i}")
    c.add(1e300, {"step_size": 1, "gamma": 1e10}, 5, label="overflow (non-finite)")
    c.add(0.1, {"step_size": 0, "gamma": 0.5}, 5, label="step_size 0 modulo by zero at step 1")
    c.add(0.1, {"step_size": 0.0, "gamma": 0.5}, 5, label="step_size 0.0 modulo by zero at step 1")
    c.add(0.1, {"gamma": 0.5}, 5, label="step_size missing")
    c.add(0.1, {"step_size": 2, "end": 0}, 5, label="end == begin refused")
    c.add(0.1, {"step_size": 2, "milestones": [3]}, 5, label="unexpected keyword")
    return c


def cases_exponential():
    c = CaseList("ExponentialLR")
    c.add(0.1, {"gamma": 0.9}, 50, label="gamma 0.9")
    c.add(0.1, {"gamma": 0.5}, 20)
    c.add(0.1, {"gamma": 1.0}, 10, label="gamma 1")
    c.add(0.1, {"gamma": 1.1}, 20, label="gamma > 1")
    c.add(3e-4, {"gamma": 0.99}, 300, label="long")
    c.add(0.1, {"gamma": 0.9, "begin": 5}, 15, label="begin 5")
    c.add(0.1, {"gamma": 0.9, "end": 8}, 15, label="end 8")
    c.add(0.1, {"gamma": 0.9, "begin": 3, "end": 10}, 15, label="begin 3 end 10")
    c.add(0.1, {"gamma": 0.0}, 5, label="gamma 0")
    c.add(0.1, {"gamma": -0.5}, 8, label="negative gamma")
    c.add(0.1, {"gamma": 2}, 8, label="int gamma")
    c.add(1, {"gamma": 0.5}, 6, label="int lr")
    c.add(0.1, {"gamma": 0.95}, 20, start=50, label="start 50")
    c.add(0.1, {"gamma": 0.9, "begin": 2.5, "end": 6.5}, 10, label="fractional begin/end")
    c.add(0.1, {"gamma": 1e-10}, 40, label="underflow to 0")
    c.both_by_epoch(0.1, {"gamma": 0.8}, 10, label="pair")
    c.both_by_epoch(0.1, {"gamma": 0.7, "begin": 2, "end": 7}, 10, label="pair with begin/end")
    rng = random.Random(106)
    for i in range(14):
        p = {"gamma": r6(rng.uniform(0.5, 1.05))}
        if rng.random() < 0.4:
            p["begin"] = rng.randint(1, 10)
        if rng.random() < 0.3:
            p["end"] = p.get("begin", 0) + rng.randint(5, 50)
        c.add(r6(10 ** rng.uniform(-4, 0)), p, rng.randint(5, 80), start=rng.choice([0, 0, rng.randint(1, 10)]),
              label=f"random {i}")
    c.add(1e300, {"gamma": 10.0}, 12, label="overflow (non-finite)")
    c.add(0.1, {}, 5, label="gamma missing")
    c.add(0.1, {"gamma": 0.9, "begin": 3, "end": 1}, 5, label="end < begin refused")
    c.add(0.1, {"gamma": 0.9, "step_size": 2}, 5, label="unexpected keyword")
    return c


def cases_poly():
    c = CaseList("PolyLR")
    c.add(0.1, {"end": 10}, 15, label="defaults power 1 eta_min 0, end 10")
    c.add(0.1, {"power": 2.0, "end": 20}, 25, label="power 2")
    c.add(0.1, {"power": 0.5, "end": 20}, 22, label="power 0.5")
    c.add(0.1, {"power": 0.9, "eta_min": 1e-4, "end": 100}, 100, label="power 0.9 eta_min (segmentation style)")
    c.add(0.1, {"eta_min": 0.01, "end": 10}, 12, label="eta_min")
    c.add(0.1, {}, 10, label="end absent (total_iters 1e9 - 1)")
    c.add(0.1, {"power": 1.0, "begin": 5, "end": 15}, 20, label="begin 5 end 15")
    c.add(0.1, {"power": 0, "end": 10}, 12, label="power 0")
    c.add(0.1, {"power": 3, "end": 10}, 12, label="int power 3")
    c.add(0.1, {"eta_min": 0.2, "end": 10}, 12, label="eta_min above lr")
    c.add(0.1, {"end": 1}, 4, label="end 1 (total_iters 0)")
    c.add(0.1, {"end": 2}, 4, label="end 2: eta_min at step 1")
    c.add(0.1, {"power": 1.0, "end": 10.5}, 12, label="fractional end, power 1: goes below eta_min")
    c.add(0.1, {"power": 2.0, "end": 10.5}, 12, label="fractional end, power 2")
    c.add(0.1, {"power": 1.0, "end": 200}, 10, start=190, label="start 190")
    c.add(1, {"end": 4}, 6, label="int lr")
    c.add(0.1, {"power": 1.0, "eta_min": -0.01, "end": 10}, 12, label="negative eta_min")
    c.add(0.1, {"power": 2.0, "begin": -3, "end": 5}, 8, label="negative begin")
    c.both_by_epoch(0.1, {"power": 2.0, "end": 10}, 12, label="pair")
    c.both_by_epoch(0.1, {"power": 0.9, "eta_min": 1e-3, "begin": 2, "end": 9}, 12, label="pair with begin")
    rng = random.Random(107)
    for i in range(12):
        begin = rng.choice([0, 0, rng.randint(1, 8)])
        p = {"eta_min": r6(rng.choice([0, 10 ** rng.uniform(-6, -3)])), "power": r6(rng.uniform(0.2, 3.0)),
             "begin": begin, "end": begin + rng.randint(2, 60)}
        c.add(r6(10 ** rng.uniform(-3, 0)), p, rng.randint(5, 80), start=rng.choice([0, 0, rng.randint(1, 10)]),
              label=f"random {i}")
    c.add(0.1, {"power": 0.5, "end": 10.5}, 12, label="fractional end, power 0.5: complex")
    c.add(0.1, {"power": -1.0, "end": 5}, 6, label="negative power: 0 to a negative power")
    c.add(0.1, {"end": 0}, 5, label="end == begin refused")
    c.add(0.1, {"gamma": 0.5}, 5, label="unexpected keyword")
    return c


def cases_onecycle():
    c = CaseList("OneCycleLR")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 100}, 100, label="cos, total_steps 100")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 100}, 101, label="step total_steps extrapolates past the end")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 100, "anneal_strategy": "linear"}, 101, label="linear")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 100, "three_phase": True}, 100, label="three_phase cos")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 100, "three_phase": True, "anneal_strategy": "linear"}, 101,
          label="three_phase linear")
    c.add(0.1, {"eta_max": 1.0, "total_steps": 40, "pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0}, 41,
          label="pct_start div_factor final_div_factor")
    c.add(0.1, {"eta_max": 0.1, "end": 50}, 50, label="total_steps absent: end - begin")
    c.add(0.1, {"eta_max": 0.1, "begin": 10, "end": 60}, 60, label="total_steps absent, begin 10 end 60")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 30, "end": 20}, 25, label="end before total_steps")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 30, "begin": 5}, 36, label="begin 5")
    c.add(0.1, {}, 5, label="eta_max default 0")
    c.add(0.1, {"eta_max": 0.1}, 10, label="total_steps and end absent (1e9)")
    c.add(0.1, {"eta_max": [0.1], "total_steps": 20}, 20, label="eta_max list")
    c.add(0.5, {"eta_max": 0.01, "total_steps": 20}, 20, label="lr ignored (0.5)")
    c.add(0.001, {"eta_max": 0.01, "total_steps": 20}, 20, label="lr ignored (0.001)")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 100, "three_phase": True, "pct_start": 0.6}, 100,
          label="three_phase pct_start 0.6 (phase 3 never)")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 100, "pct_start": 0.0}, 20, label="pct_start 0.0")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 1}, 2, label="total_steps 1")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 200, "anneal_strategy": "linear"}, 20, start=150, label="start 150")
    c.add(0.1, {"eta_max": 1, "total_steps": 10, "div_factor": 4, "final_div_factor": 2}, 11, label="int eta_max and factors")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 10, "pct_start": 0.1}, 5, label="phase 1 of length 0 divides by zero at construction")
    c.both_by_epoch(0.1, {"eta_max": 0.2, "total_steps": 30}, 30, label="pair")
    c.both_by_epoch(0.1, {"eta_max": 0.2, "begin": 3, "end": 25, "three_phase": True}, 30, label="pair three_phase")
    rng = random.Random(108)
    for i in range(12):
        p = {"eta_max": r6(10 ** rng.uniform(-4, 0)), "total_steps": rng.randint(10, 120),
             "pct_start": r6(rng.uniform(0.1, 0.6)), "anneal_strategy": rng.choice(["cos", "linear"]),
             "div_factor": r6(rng.uniform(2, 50)), "final_div_factor": r6(10 ** rng.uniform(1, 4)),
             "three_phase": rng.random() < 0.4}
        c.add(0.1, p, p["total_steps"] + 1, label=f"random {i}")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 100}, 102, label="step 101 raises")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 100, "pct_start": 1.0}, 101, label="pct_start 1.0: phase 2 of length 0 divides by zero at step 100")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 0}, 5, label="total_steps 0 refused")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 10.0}, 5, label="float total_steps refused")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 10, "pct_start": 0}, 5, label="int pct_start refused")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 10, "pct_start": 1.5}, 5, label="pct_start > 1 refused")
    c.add(0.1, {"eta_max": 0.1, "total_steps": 10, "anneal_strategy": "exp"}, 5, label="anneal_strategy refused")
    c.add(0.1, {"eta_max": [0.1, 0.2], "total_steps": 10}, 5, label="eta_max list of wrong length")
    c.add(0.1, {"eta_max": 0.1, "epochs": 2, "steps_per_epoch": 5}, 5, label="epochs/steps_per_epoch not accepted")
    return c


def cases_restart():
    c = CaseList("CosineRestartLR")
    c.add(0.1, {"periods": [10], "eta_min": 0}, 15, label="one period, then left alone")
    c.add(0.1, {"periods": [5, 10, 15], "restart_weights": [1, 0.5, 0.25], "eta_min": 0.001}, 35, label="three periods")
    c.add(0.1, {"periods": [10, 10], "restart_weights": [1, 1], "eta_min_ratio": 0.1}, 25, label="eta_min_ratio")
    c.add(0.1, {"periods": [1, 1, 1], "restart_weights": [1, 0.5, 1], "eta_min": 0.0}, 5, label="periods of 1")
    c.add(0.1, {"periods": [5, 5], "restart_weights": [1, 0.5], "eta_min": 0.0, "begin": 5}, 20, label="begin 5")
    c.add(0.1, {"periods": [10, 10], "restart_weights": [1, 0.5], "eta_min": 0.0, "end": 12}, 20, label="end 12")
    c.add(0.1, {"periods": [2.5, 5], "restart_weights": [1, 0.5], "eta_min": 0.0}, 10, label="fractional period")
    c.add(0.1, {"periods": [5, 5], "restart_weights": [1, 2], "eta_min": 0.0}, 12, label="restart weight > 1")
    c.add(0.1, {"periods": [], "restart_weights": [], "eta_min": 0.0}, 5, label="no periods")
    c.add(0.1, {"periods": [0, 5], "restart_weights": [1, 0.5], "eta_min": 0.0}, 8, label="period 0")
    c.add(0.1, {"periods": [10], "eta_min": 0.2}, 12, label="eta_min above lr")
    c.add(0.1, {"periods": [100, 100], "restart_weights": [1, 0.8], "eta_min": 1e-4}, 30, start=85, label="start 85")
    c.add(1, {"periods": [4], "eta_min": 0}, 6, label="int lr")
    c.add(3e-4, {"periods": [50, 100, 150], "restart_weights": [1, 0.7, 0.49], "eta_min_ratio": 0.01}, 300, label="long")
    c.add(0.1, {"periods": [5, 5], "restart_weights": [1, 0.5], "eta_min": 0.0, "begin": 1.5, "end": 9.5}, 12,
          label="fractional begin/end")
    c.add(0.1, {"periods": [5], "restart_weights": [0.5], "eta_min": 0.0}, 8, label="first weight 0.5")
    c.add(0.1, {"periods": [5, 5], "restart_weights": [1, 0.5], "eta_min": None, "eta_min_ratio": 0.0}, 12,
          label="eta_min null, ratio 0")
    c.both_by_epoch(0.1, {"periods": [4, 6], "restart_weights": [1, 0.5], "eta_min": 0.001}, 12, label="pair")
    c.both_by_epoch(0.1, {"periods": [3, 3], "restart_weights": [1, 0.7], "eta_min_ratio": 0.1, "begin": 2, "end": 9},
                    12, label="pair with begin/end")
    rng = random.Random(109)
    for i in range(12):
        k = rng.randint(1, 4)
        p = {"periods": [rng.randint(1, 20) for _ in range(k)],
             "restart_weights": [1] + [r6(rng.uniform(0.1, 1.0)) for _ in range(k - 1)]}
        if rng.random() < 0.5:
            p["eta_min"] = r6(10 ** rng.uniform(-6, -3))
        else:
            p["eta_min_ratio"] = r6(rng.uniform(0, 0.3))
        if rng.random() < 0.3:
            p["begin"] = rng.randint(1, 8)
        c.add(r6(10 ** rng.uniform(-4, 0)), p, sum(p["periods"]) + p.get("begin", 0) + 3, label=f"random {i}")
    c.add(0.1, {"periods": [10]}, 5, label="eta_min absent (bare assert)")
    c.add(0.1, {"periods": [10], "eta_min": 0.0, "eta_min_ratio": 0.1}, 5, label="eta_min and eta_min_ratio refused")
    c.add(0.1, {"periods": [5, 5], "eta_min": 0.0}, 5, label="restart_weights default (1,) wrong length")
    c.add(0.1, {"periods": 10, "eta_min": 0.0}, 5, label="scalar periods refused")
    c.add(0.1, {"periods": [5], "eta_min": 0.0, "begin": 3, "end": 3}, 5, label="end == begin refused")
    c.add(0.1, {"periods": [5], "eta_min": 0.0, "T_max": 5}, 5, label="unexpected keyword")
    return c


def cases_plateau():
    c = CaseList("ReduceOnPlateauLR")

    def P(lr, params, epochs, metrics, start=0, label=None):
        c.add(lr, params, epochs, start=start, metrics=metrics, label=label)

    def runner_like(values):
        out = []
        for v in values:
            out += [None, v]
        return out

    P(0.1, {}, 40, metric_series(39, seed=61), label="defaults (less, patience 10)")
    P(0.1, {}, 30, [1.0] * 29, label="defaults, flat metrics")
    P(0.1, {"patience": 0, "factor": 0.5}, 30, metric_series(29, seed=62, trend=0.0), label="patience 0")
    P(0.1, {"patience": 2, "rule": "greater"}, 50, metric_series(49, seed=63, trend=0.01), label="rule greater")
    P(0.1, {"patience": 2, "threshold_rule": "abs", "threshold": 0.01}, 50, metric_series(49, seed=64),
      label="threshold_rule abs")
    P(0.1, {"patience": 1, "rule": "greater", "threshold_rule": "abs", "threshold": 0.005}, 50,
      metric_series(49, seed=65, trend=0.01), label="greater abs")
    P(0.1, {"patience": 2, "cooldown": 3, "factor": 0.5}, 60, metric_series(59, seed=66), label="cooldown 3")
    P(0.1, {"patience": 1, "factor": 0.5, "min_value": 0.01}, 30, [1.0] * 29, label="min_value")
    P(0.1, {"patience": 1, "factor": 0.5, "min_value": [0.01]}, 30, [1.0] * 29, label="min_value list")
    P(0.1, {"patience": 0, "factor": 0.9, "eps": 0.05}, 20, [1.0] * 19, label="eps larger than the change")
    P(1e-7, {"patience": 0, "factor": 0.5}, 20, [1.0] * 19, label="changes below eps 1e-8 ignored")
    P(0.1, {"patience": 2, "factor": 0.5, "threshold": 0.0}, 40, metric_series(39, seed=67), label="threshold 0")
    P(0.1, {"patience": 2, "factor": 0.5, "threshold": 0.5}, 40, metric_series(39, seed=68), label="large threshold")
    P(0.1, {"monitor": "acc", "rule": "greater", "patience": 1, "factor": 0.5}, 40,
      metric_series(39, seed=69, trend=0.01), label="monitor acc")
    P(0.1, {"patience": 1, "factor": 0.5, "begin": 3}, 20, [1.0] * 19, label="begin 3 never reached without counting steps")
    P(0.1, {"patience": 0, "factor": 0.5, "end": 1}, 10, [1.0] * 9, label="end 1 (global step stays 0)")
    P(0.1, {"patience": 1, "factor": 0.5}, 20, [2e9] * 19, label="metric above INF start: never better")
    P(0.1, {"patience": 1, "factor": 0.5, "rule": "greater"}, 20, [-2e9] * 19, label="greater, metric below -INF")
    P(0.1, {"patience": 3, "factor": 0.2, "cooldown": 1, "min_value": 1e-4}, 200,
      metric_series(199, seed=70, trend=-0.001), label="long run")
    P(0.1, {"patience": 1, "factor": 0.5}, 30, metric_series(29, seed=71, base=0.05, trend=-0.005),
      label="metrics cross zero")
    P(0.1, {"patience": 2, "factor": 0.5}, 20, metric_series(60, seed=72), start=40, label="start 40")
    P(1, {"patience": 0, "factor": 0.5}, 6, [1.0] * 5, label="int lr")
    P(0.1, {"patience": 0, "factor": 0.5, "by_epoch": True}, 8, [1.0] * 7, label="by_epoch true explicit")
    P(0.1, {"patience": 0, "factor": 0.0}, 5, [1.0] * 4, label="factor 0")
    P(0.1, {"patience": 0.5, "factor": 0.5}, 8, [1.0] * 7, label="fractional patience")
    rng = random.Random(110)
    for i in range(10):
        p = {"patience": rng.randint(0, 5), "factor": r6(rng.uniform(0.1, 0.9)),
             "rule": rng.choice(["less", "greater"]), "threshold": r6(rng.choice([0, 1e-4, rng.uniform(0, 0.05)])),
             "threshold_rule": rng.choice(["rel", "abs"]), "cooldown": rng.randint(0, 3)}
        if rng.random() < 0.5:
            p["min_value"] = r6(10 ** rng.uniform(-5, -2))
        n = rng.randint(10, 80)
        trend = 0.01 if p["rule"] == "greater" else -0.01
        P(r6(10 ** rng.uniform(-4, 0)), p, n, metric_series(n - 1, seed=200 + i, trend=trend), label=f"random {i}")
    P(0.1, {"factor": 1.0}, 5, [1.0] * 4, label="factor 1 refused")
    P(0.1, {"threshold": -0.1}, 5, [1.0] * 4, label="negative threshold refused")
    P(0.1, {"rule": "max"}, 5, [1.0] * 4, label="rule max refused")
    P(0.1, {"threshold_rule": "x"}, 5, [1.0] * 4, label="threshold_rule refused")
    P(0.1, {"by_epoch": False}, 5, [1.0] * 4, label="by_epoch false refused")
    P(0.1, {"begin": 2, "end": 2}, 5, [1.0] * 4, label="end == begin refused")
    P(0.1, {"min_value": [0.1, 0.2]}, 5, [1.0] * 4, label="min_value list of wrong length")
    P(0.1, {"mode": "min"}, 5, [1.0] * 4, label="torch's mode keyword not accepted")
    return c


BUILDERS = {
    "LinearLR": cases_linear,
    "ConstantLR": cases_constant,
    "CosineAnnealingLR": cases_cosine,
    "MultiStepLR": cases_multistep,
    "StepLR": cases_step,
    "ExponentialLR": cases_exponential,
    "PolyLR": cases_poly,
    "OneCycleLR": cases_onecycle,
    "CosineRestartLR": cases_restart,
    "ReduceOnPlateauLR": cases_plateau,
}


def check_spec(name, spec):
    if spec["scheduler"] == "ReduceOnPlateauLR":
        assert len(spec["metrics"]) >= spec["start"] + spec["epochs"] - 1, name


def check_by_epoch_pairs(cases):
    """Cases whose specs differ only in ``params.by_epoch`` must give identical results."""
    seen = {}
    pairs = 0
    for case in cases:
        params = dict(case["spec"]["params"])
        if "by_epoch" not in params:
            continue
        params.pop("by_epoch")
        key = repr((case["spec"]["lr"], sorted(params.items()), case["spec"]["epochs"], case["spec"]["start"]))
        result = {k: v for k, v in case.items() if k not in ("name", "spec")}
        if key in seen:
            assert seen[key] == result, ("by_epoch changed a standalone result", case["name"])
            pairs += 1
        else:
            seen[key] = result
    return pairs


def generate_standalone(out_dir, mm_version, torch_version):
    os.makedirs(out_dir, exist_ok=True)
    total = {}
    for scheduler in SCHEDULERS:
        case_list = BUILDERS[scheduler]()
        names = [n for n, _ in case_list.items]
        assert len(names) == len(set(names)), f"duplicate case names in {scheduler}"
        cases = []
        n_ok = n_err = 0
        for name, spec in case_list.items:
            spec = roundtrip(spec)
            check_spec(name, spec)
            result = run_spec(spec)
            cases.append({"name": name, "spec": spec, **result})
            if "lrs" in result:
                n_ok += 1
            else:
                n_err += 1
                assert "0x" not in result["error"], result["error"]
        pairs = check_by_epoch_pairs(cases)
        header = {"mmengine": mm_version, "torch": torch_version, "scheduler": scheduler}
        path = os.path.join(out_dir, f"{scheduler}.json")
        dump_fixture(path, header, cases)
        total[scheduler] = (n_ok, n_err)
        print(f"{scheduler:20s} {len(cases):3d} cases ({n_ok:3d} valid, {n_err:2d} error, "
              f"{pairs} by_epoch pairs equal)  {os.path.getsize(path):9,d} bytes")
    return total


# ---------------------------------------------------------------------------
# B) the Runner
# ---------------------------------------------------------------------------

_RUNNER_SUPPORT = {}


def runner_support():
    """Toy model, dataset, recording hook and scripted metric (defined lazily)."""
    if _RUNNER_SUPPORT:
        return _RUNNER_SUPPORT
    import torch.nn as nn
    from torch.utils.data import Dataset
    from mmengine.evaluator import BaseMetric
    from mmengine.hooks import Hook
    from mmengine.model import BaseModel

    class ToyDataset(Dataset):
        def __init__(self, n):
            self.n = n

        def __len__(self):
            return self.n

        def __getitem__(self, i):
            return dict(inputs=torch.full((2,), float(i % 3) / 3.0), targets=torch.tensor([1.0]))

    class ToyModel(BaseModel):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(2, 1)

        def forward(self, inputs, targets=None, mode="tensor"):
            out = self.linear(inputs)
            if mode == "loss":
                return dict(loss=((out - targets) ** 2).mean())
            return out

    class LrRecorder(Hook):
        priority = "NORMAL"  # runs before ParamSchedulerHook (LOW) in after_train_iter

        def __init__(self):
            self.lrs = []
            self.stepped = []
            self.started = 0
            self._steps = 0

        def before_train(self, runner):
            opt = runner.optim_wrapper.optimizer
            original = opt.step
            recorder = self

            def counting_step(*args, **kwargs):
                recorder._steps += 1
                return original(*args, **kwargs)

            opt.step = counting_step

        def before_train_iter(self, runner, batch_idx, data_batch=None):
            self.started += 1
            self._before = self._steps
            self.lrs.append(runner.optim_wrapper.optimizer.param_groups[0]["lr"])

        def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
            self.stepped.append(self._steps > self._before)

    class ScriptedMetric(BaseMetric):
        """Returns ``{key: values[k]}`` on the k-th evaluation."""

        def __init__(self, key, values):
            super().__init__()
            self.key = key
            self.values = list(values)
            self.calls = 0

        def process(self, data_batch, data_samples):
            self.results.append(0)

        def compute_metrics(self, results):
            v = self.values[self.calls]
            self.calls += 1
            return {self.key: v}

    _RUNNER_SUPPORT.update(ToyDataset=ToyDataset, ToyModel=ToyModel, LrRecorder=LrRecorder,
                           ScriptedMetric=ScriptedMetric)
    return _RUNNER_SUPPORT


def plateau_monitor(request):
    for cfg in request["param_scheduler"]:
        if cfg["type"] == "ReduceOnPlateauLR":
            return cfg.get("monitor", "loss")
    return "loss"


def run_runner(request, work_root, index):
    """Train with mmengine's Runner; return ``{"lrs": ...}`` (plus ``optimizer_stepped``) or an error."""
    from mmengine.runner import Runner

    s = runner_support()
    L = request["iters_per_epoch"]
    by_epoch = request["train_cfg"].get("by_epoch", True)
    sampler = dict(type="DefaultSampler" if by_epoch else "InfiniteSampler", shuffle=False)
    optim_wrapper = dict(optimizer=dict(type="SGD", lr=request["lr"], momentum=0.9))
    if "accumulative_counts" in request:
        optim_wrapper["accumulative_counts"] = request["accumulative_counts"]
    recorder = s["LrRecorder"]()
    kwargs = {}
    if "metrics" in request:
        kwargs = dict(
            val_dataloader=dict(dataset=s["ToyDataset"](2), sampler=dict(type="DefaultSampler", shuffle=False),
                                batch_size=1, num_workers=0, collate_fn=dict(type="default_collate")),
            val_cfg=dict(),
            val_evaluator=[s["ScriptedMetric"](plateau_monitor(request), request["metrics"])],
        )
    torch.manual_seed(0)
    try:
        runner = Runner(
            model=s["ToyModel"](),
            work_dir=os.path.join(work_root, f"case{index}"),
            experiment_name=f"fixture{index}",
            train_dataloader=dict(dataset=s["ToyDataset"](L), sampler=sampler, batch_size=1, num_workers=0,
                                  collate_fn=dict(type="default_collate")),
            optim_wrapper=optim_wrapper,
            param_scheduler=copy.deepcopy(request["param_scheduler"]),
            train_cfg=copy.deepcopy(request["train_cfg"]),
            default_hooks=dict(checkpoint=None, logger=dict(type="LoggerHook", interval=10 ** 9)),
            custom_hooks=[recorder],
            launcher="none",
            log_level="ERROR",
            randomness=dict(seed=0),
            **kwargs,
        )
        runner.train()
    except Exception as exc:  # noqa: BLE001 - the library's exception is the fixture
        return {"error": format_exception(exc), "error_iter": recorder.started or None}
    finally:
        logging.getLogger().handlers.clear()
    out = {"lrs": [float(v) for v in recorder.lrs]}
    if "accumulative_counts" in request:
        out["optimizer_stepped"] = recorder.stepped
    return out


def simulate_runner(request):
    """Replay the Runner's scheduling without the Runner (cross-check of the documented order)."""
    from mmengine.registry import PARAM_SCHEDULERS

    L = request["iters_per_epoch"]
    tc = request["train_cfg"]
    by_epoch_loop = tc.get("by_epoch", True)
    if by_epoch_loop:
        max_epochs, max_iters = tc["max_epochs"], tc["max_epochs"] * L
    else:
        max_epochs, max_iters = 1, tc["max_iters"]
    optimizer = make_group_optimizer(request["lr"], momentum=0.9)
    lrs = []
    metrics = list(request.get("metrics", []))
    monitor = plateau_monitor(request)
    scheds = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            for cfg in request["param_scheduler"]:
                cfg = copy.deepcopy(cfg)
                cfg.setdefault("end", max_epochs if cfg.get("by_epoch", True) else max_iters)
                scheds.append(PARAM_SCHEDULERS.build(cfg, default_args=dict(optimizer=optimizer, epoch_length=L)))
        except Exception as exc:  # noqa: BLE001
            return {"error": format_exception(exc), "error_iter": None}

        def val():
            m = {monitor: metrics.pop(0)}
            for sch in scheds:
                if sch.by_epoch and getattr(sch, "need_val_args", False):
                    sch.step(m)

        def one_iter():
            lrs.append(float(optimizer.param_groups[0]["lr"]))
            for sch in scheds:
                if not sch.by_epoch:
                    sch.step()

        def after_epoch():
            for sch in scheds:
                if sch.by_epoch:
                    sch.step()

        val_begin = tc.get("val_begin", 1)
        has_val = "metrics" in request
        try:
            if by_epoch_loop:
                val_interval = tc.get("val_interval", 1)
                for e in range(max_epochs):
                    for _ in range(L):
                        one_iter()
                    after_epoch()
                    if has_val and e + 1 >= val_begin and ((e + 1) % val_interval == 0 or e + 1 == max_epochs):
                        val()
            else:
                val_interval = tc.get("val_interval", 1000)
                for it in range(max_iters):
                    one_iter()
                    if has_val and it + 1 >= val_begin and ((it + 1) % val_interval == 0 or it + 1 == max_iters):
                        val()
                after_epoch()
        except Exception as exc:  # noqa: BLE001
            return {"error": format_exception(exc), "error_iter": len(lrs) or None}
    return {"lrs": lrs}


def R(lr, schedulers, train_cfg, L, accumulative_counts=None, metrics=None):
    req = {"trainer": "mmengine", "lr": lr, "param_scheduler": schedulers, "train_cfg": train_cfg, "iters_per_epoch": L}
    if accumulative_counts is not None:
        req["accumulative_counts"] = accumulative_counts
    if metrics is not None:
        req["metrics"] = metrics
    return req


def E(n):
    return {"by_epoch": True, "max_epochs": n}


def I(n, **kw):
    return dict({"by_epoch": False, "max_iters": n}, **kw)


def runner_cases():
    c = []

    def add(name, req):
        c.append((name, req))

    add("composition: LinearLR warm-up by iter + MultiStepLR by epoch", R(0.02, [
        {"type": "LinearLR", "start_factor": 0.001, "by_epoch": False, "begin": 0, "end": 50},
        {"type": "MultiStepLR", "by_epoch": True, "milestones": [8, 11], "gamma": 0.1}], E(12), 10))
    add("composition: warm-up by iter + MultiStepLR + CosineAnnealingLR converted, fractional begin/end", R(0.1, [
        {"type": "LinearLR", "start_factor": 0.01, "by_epoch": False, "begin": 0, "end": 12},
        {"type": "MultiStepLR", "by_epoch": True, "milestones": [2, 4], "gamma": 0.5, "end": 5},
        {"type": "CosineAnnealingLR", "T_max": 3.5, "eta_min": 1e-4, "by_epoch": True, "begin": 1.5, "end": 5.7,
         "convert_to_iter_based": True}], E(6), 7))
    add("mmdet-style: LinearLR by iter + CosineAnnealingLR converted from epoch 1 (T_max default)", R(0.01, [
        {"type": "LinearLR", "start_factor": 0.1, "by_epoch": False, "begin": 0, "end": 8},
        {"type": "CosineAnnealingLR", "by_epoch": True, "begin": 1, "eta_min_ratio": 0.05,
         "convert_to_iter_based": True}], E(8), 8))
    add("overlapping iter windows multiply: LinearLR [0,30) x ExponentialLR [10,40)", R(0.1, [
        {"type": "LinearLR", "start_factor": 0.1, "by_epoch": False, "begin": 0, "end": 30},
        {"type": "ExponentialLR", "gamma": 0.95, "by_epoch": False, "begin": 10, "end": 40}], I(50), 10))
    add("overlapping epoch windows multiply: StepLR x ExponentialLR", R(0.1, [
        {"type": "StepLR", "step_size": 2, "gamma": 0.5, "by_epoch": True},
        {"type": "ExponentialLR", "gamma": 0.9, "by_epoch": True, "begin": 1, "end": 4}], E(6), 3))
    add("end default max_iters: LinearLR by iter without end warms up over all training", R(0.1, [
        {"type": "LinearLR", "start_factor": 0.1, "by_epoch": False}], E(3), 5))
    add("end default max_epochs: LinearLR by epoch without end", R(0.1, [
        {"type": "LinearLR", "start_factor": 0.1, "by_epoch": True}], E(5), 4))
    add("end default max_epochs: CosineAnnealingLR by epoch, T_max default", R(0.1, [
        {"type": "CosineAnnealingLR", "by_epoch": True, "eta_min": 0.001}], E(6), 3))
    add("end default after conversion: CosineAnnealingLR converted, no end/T_max", R(0.1, [
        {"type": "CosineAnnealingLR", "by_epoch": True, "eta_min": 0.0, "convert_to_iter_based": True}], E(4), 5))
    add("convert_to_iter_based truncation: begin 1.5 end 2.9 with 3 iters per epoch", R(0.1, [
        {"type": "LinearLR", "start_factor": 0.25, "by_epoch": True, "begin": 1.5, "end": 2.9,
         "convert_to_iter_based": True}], E(4), 3))
    add("convert_to_iter_based: StepLR step_size x epoch_length", R(0.1, [
        {"type": "StepLR", "step_size": 1, "gamma": 0.5, "by_epoch": True, "convert_to_iter_based": True}], E(4), 4))
    add("convert_to_iter_based: MultiStepLR milestones x epoch_length", R(0.1, [
        {"type": "MultiStepLR", "milestones": [1, 3], "gamma": 0.1, "by_epoch": True, "convert_to_iter_based": True}],
        E(4), 5))
    add("convert_to_iter_based: fractional T_max kept (1.5 x 3 = 4.5)", R(0.1, [
        {"type": "CosineAnnealingLR", "T_max": 1.5, "by_epoch": True, "convert_to_iter_based": True}], E(4), 3))
    add("convert_to_iter_based: CosineRestartLR periods x epoch_length", R(0.1, [
        {"type": "CosineRestartLR", "periods": [1, 2], "restart_weights": [1, 0.5], "eta_min": 0.001,
         "by_epoch": True, "convert_to_iter_based": True}], E(4), 4))
    add("convert_to_iter_based: OneCycleLR total_steps x epoch_length", R(0.1, [
        {"type": "OneCycleLR", "eta_max": 0.5, "total_steps": 4, "by_epoch": True, "convert_to_iter_based": True}],
        E(4), 5))
    add("convert_to_iter_based: PolyLR begin/end only", R(0.1, [
        {"type": "PolyLR", "power": 2.0, "eta_min": 1e-4, "by_epoch": True, "begin": 1, "end": 3,
         "convert_to_iter_based": True}], E(4), 4))
    add("epoch-based StepLR steps after each epoch", R(0.1, [
        {"type": "StepLR", "step_size": 2, "gamma": 0.5}], E(6), 4))
    add("epoch-based ConstantLR end 2", R(0.1, [
        {"type": "ConstantLR", "factor": 0.5, "end": 2}], E(4), 3))
    add("epoch-based PolyLR default end", R(0.1, [
        {"type": "PolyLR", "power": 1.0, "eta_min": 0.0}], E(5), 2))
    add("iter loop: max_iters, iter-based CosineAnnealingLR T_max default", R(0.1, [
        {"type": "CosineAnnealingLR", "by_epoch": False, "eta_min": 1e-5}], I(40), 6))
    add("iter loop: PolyLR default end reaches eta_min at the last iteration", R(0.01, [
        {"type": "PolyLR", "power": 0.9, "eta_min": 1e-4, "by_epoch": False}], I(30), 4))
    add("iter loop: OneCycleLR total_steps default end - begin", R(0.1, [
        {"type": "OneCycleLR", "eta_max": 0.3, "by_epoch": False}], I(40), 5))
    add("iter loop: by_epoch LinearLR applied once at construction (end default max_epochs 1)", R(0.1, [
        {"type": "LinearLR", "start_factor": 0.5, "by_epoch": True}], I(12), 4))
    add("iter loop: converted MultiStepLR gets default end max_epochs 1 = iters_per_epoch iters (milestones never)", R(0.1, [
        {"type": "LinearLR", "start_factor": 0.2, "by_epoch": False, "end": 5},
        {"type": "MultiStepLR", "milestones": [2, 4], "gamma": 0.5, "by_epoch": True, "convert_to_iter_based": True}],
        I(30, val_interval=1000), 5))
    add("iter loop: converted MultiStepLR with explicit end", R(0.1, [
        {"type": "MultiStepLR", "milestones": [2, 4], "gamma": 0.5, "by_epoch": True, "end": 6,
         "convert_to_iter_based": True}], I(30), 5))
    add("OneCycleLR overrides initial_lr seen by a later CosineAnnealingLR", R(0.1, [
        {"type": "OneCycleLR", "eta_max": 0.4, "total_steps": 20, "by_epoch": False},
        {"type": "CosineAnnealingLR", "T_max": 10, "eta_min_ratio": 0.5, "by_epoch": False, "begin": 5, "end": 15}],
        I(20), 5))
    add("CosineRestartLR by iter with warm-up", R(0.05, [
        {"type": "LinearLR", "start_factor": 0.1, "by_epoch": False, "end": 5},
        {"type": "CosineRestartLR", "periods": [10, 15], "restart_weights": [1, 0.5], "eta_min_ratio": 0.01,
         "by_epoch": False, "begin": 5}], I(35), 7))
    add("accumulative_counts 2 with iter-based LinearLR + StepLR", R(0.1, [
        {"type": "LinearLR", "start_factor": 0.1, "by_epoch": False, "end": 6},
        {"type": "StepLR", "step_size": 4, "gamma": 0.5, "by_epoch": False, "begin": 6}], I(20), 5,
        accumulative_counts=2))
    add("accumulative_counts 3 with epoch loop (counts run across epochs, last iteration steps)", R(0.1, [
        {"type": "LinearLR", "start_factor": 0.1, "by_epoch": False, "end": 10},
        {"type": "MultiStepLR", "milestones": [1], "gamma": 0.1}], E(2), 7, accumulative_counts=3))
    add("accumulative_counts 4, max_iters not divisible", R(0.1, [
        {"type": "CosineAnnealingLR", "by_epoch": False, "eta_min": 0.0}], I(18), 6, accumulative_counts=4))
    add("ReduceOnPlateauLR by epoch with scripted val loss", R(0.1, [
        {"type": "ReduceOnPlateauLR", "monitor": "loss", "patience": 1, "factor": 0.5}], E(8), 3,
        metrics=[1.0, 0.9, 0.9, 0.9, 0.85, 0.85, 0.85, 0.85]))
    add("ReduceOnPlateauLR + LinearLR warm-up by iter", R(0.1, [
        {"type": "LinearLR", "start_factor": 0.1, "by_epoch": False, "end": 6},
        {"type": "ReduceOnPlateauLR", "monitor": "acc", "rule": "greater", "patience": 0, "factor": 0.3}], E(7), 3,
        metrics=[0.5, 0.6, 0.6, 0.7, 0.65, 0.7, 0.7]))
    add("ReduceOnPlateauLR begin 2 (global step counted by after_train_epoch)", R(0.1, [
        {"type": "ReduceOnPlateauLR", "patience": 0, "factor": 0.5, "begin": 2}], E(6), 2,
        metrics=[1.0, 1.0, 1.0, 1.0, 1.0, 1.0]))
    add("ReduceOnPlateauLR with val_interval 2", R(0.1, [
        {"type": "ReduceOnPlateauLR", "patience": 0, "factor": 0.5, "cooldown": 1}],
        {"by_epoch": True, "max_epochs": 8, "val_interval": 2}, 2, metrics=[1.0, 1.0, 1.0, 1.0]))
    add("ReduceOnPlateauLR in an iter loop, val every 5 iters", R(0.1, [
        {"type": "ReduceOnPlateauLR", "patience": 0, "factor": 0.5}], I(20, val_interval=5), 4,
        metrics=[1.0, 0.5, 0.5, 0.5]))
    add("error: OneCycleLR total_steps shorter than training", R(0.1, [
        {"type": "OneCycleLR", "eta_max": 0.3, "total_steps": 10, "by_epoch": False}], I(15), 5))
    add("error: convert_to_iter_based with by_epoch false", R(0.1, [
        {"type": "StepLR", "step_size": 2, "by_epoch": False, "convert_to_iter_based": True}], E(2), 3))
    add("error: end <= begin after default end", R(0.1, [
        {"type": "LinearLR", "start_factor": 0.1, "by_epoch": True, "begin": 5}], E(3), 3))

    rng = random.Random(2024)
    types = ["LinearLR", "ConstantLR", "CosineAnnealingLR", "MultiStepLR", "StepLR", "ExponentialLR", "PolyLR",
             "CosineRestartLR"]
    for i in range(10):
        L = rng.randint(2, 8)
        epoch_loop = rng.random() < 0.6
        if epoch_loop:
            E_ = rng.randint(2, 8)
            tc, max_epochs, max_iters = E(E_), E_, E_ * L
        else:
            N = rng.randint(10, 60)
            tc, max_epochs, max_iters = I(N), 1, N
        scheds = []
        for _ in range(rng.randint(1, 3)):
            t = rng.choice(types)
            by_ep = rng.random() < 0.5
            horizon = max_epochs if by_ep else max_iters
            cfg = {"type": t, "by_epoch": by_ep}
            convert = by_ep and rng.random() < 0.5
            if convert:
                cfg["convert_to_iter_based"] = True
            begin = rng.choice([0, 0, rng.randint(0, max(0, horizon - 1))])
            if convert and rng.random() < 0.5:
                begin = r6(rng.uniform(0, max(0.1, horizon - 1)))
            if begin:
                cfg["begin"] = begin
            if rng.random() < 0.5:
                end = r6(rng.uniform(begin + 1, horizon + 2)) if convert else rng.randint(int(begin) + 1, horizon + 2)
                cfg["end"] = end
            if t == "LinearLR":
                cfg["start_factor"] = r6(rng.uniform(0.01, 1))
            elif t == "ConstantLR":
                cfg["factor"] = r6(rng.uniform(0.1, 1))
            elif t == "CosineAnnealingLR":
                cfg["T_max"] = rng.randint(1, max(1, horizon))
                cfg["eta_min"] = r6(10 ** rng.uniform(-6, -3))
            elif t == "MultiStepLR":
                cfg["milestones"] = sorted(rng.sample(range(1, horizon + 1), min(2, horizon)))
                cfg["gamma"] = r6(rng.uniform(0.1, 0.9))
            elif t == "StepLR":
                cfg["step_size"] = rng.randint(1, max(1, horizon // 2))
                cfg["gamma"] = r6(rng.uniform(0.1, 0.9))
            elif t == "ExponentialLR":
                cfg["gamma"] = r6(rng.uniform(0.8, 0.99))
            elif t == "PolyLR":
                cfg["power"] = r6(rng.uniform(0.5, 2))
                cfg["eta_min"] = r6(10 ** rng.uniform(-6, -3))
            elif t == "CosineRestartLR":
                cfg["periods"] = [rng.randint(1, max(1, horizon // 2)) for _ in range(2)]
                cfg["restart_weights"] = [1, r6(rng.uniform(0.3, 1))]
                cfg["eta_min_ratio"] = r6(rng.uniform(0, 0.2))
            scheds.append(cfg)
        add(f"random {i}", R(r6(10 ** rng.uniform(-3, 0)), scheds, tc, L))
    return c


def generate_runner(path, mm_version, torch_version):
    work_root = tempfile.mkdtemp(prefix="mmengine-fixtures-", dir="/tmp")
    cases = []
    n_ok = n_err = 0
    try:
        for index, (name, req) in enumerate(runner_cases()):
            req = roundtrip(req)
            total_iters = req["train_cfg"].get("max_iters") or req["train_cfg"]["max_epochs"] * req["iters_per_epoch"]
            assert total_iters <= 300, name
            with warnings.catch_warnings():
                # e.g. "scheduler.step() before optimizer.step()" under gradient accumulation
                warnings.simplefilter("ignore")
                result = run_runner(req, work_root, index)
            sim = simulate_runner(req)
            assert sim.get("lrs") == result.get("lrs") and sim.get("error") == result.get("error"), (name, result, sim)
            if "lrs" in result:
                assert len(result["lrs"]) == total_iters, name
                n_ok += 1
            else:
                n_err += 1
            if "optimizer_stepped" in result:
                # lrsched answers one value per optimizer update: the LR of the iterations whose
                # optimizer.step() ran (the schedulers still step every iteration).
                result["iteration_lrs"] = result["lrs"]
                result["lrs"] = [lr for lr, stepped in zip(result["lrs"], result["optimizer_stepped"]) if stepped]
            cases.append({"name": name, "request": req, **result})
            print(f"  runner case {index:2d} {'ok ' if 'lrs' in result else 'ERR'} {name}", flush=True)
    finally:
        shutil.rmtree(work_root, ignore_errors=True)
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    dump_fixture(path, {"mmengine": mm_version, "torch": torch_version, "trainer": "mmengine"}, cases)
    print(f"trainers/mmengine.json {len(cases)} cases ({n_ok} valid, {n_err} error)  {os.path.getsize(path):,d} bytes")
    return n_ok, n_err


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out-dir", default=DEFAULT_OUT)
    ap.add_argument("--trainer-out", default=DEFAULT_TRAINER_OUT)
    ap.add_argument("--only", choices=["standalone", "runner"])
    args = ap.parse_args()
    logging.disable(logging.WARNING)
    mm_version, torch_version = versions()
    if args.only in (None, "standalone"):
        generate_standalone(args.out_dir, mm_version, torch_version)
    if args.only in (None, "runner"):
        generate_runner(args.trainer_out, mm_version, torch_version)


if __name__ == "__main__":
    main()
