#!/usr/bin/env python3
"""Generate golden learning-rate fixtures from real timm.

What it does
------------
For every scheduler class of ``timm.scheduler`` that the lrsched service
supports, this script builds a list of request specs (the exact JSON bodies the
service accepts with ``"framework": "timm"``), runs each one through the
installed timm + torch, and writes the resulting learning rates to

    Tests/SchedulesTests/Fixtures/timm/<NAME>.json   (7 files)

for NAME in ``CosineLRScheduler``, ``TanhLRScheduler``, ``StepLRScheduler``,
``MultiStepLRScheduler``, ``PlateauLRScheduler``, ``PolyLRScheduler``,
``WSDLRScheduler``. The Swift tests compare the service's output with these
files bit for bit; every float is written with Python's ``repr`` (via
``json.dumps``), which round-trips exactly.

How to run
----------
From the repository root::

    python3 scripts/generate_timm_fixtures.py [--out DIR]

The fixtures record the installed versions of timm and torch (without a local
suffix such as ``+cpu``); a warning is printed when they are not 1.0.31 /
2.15.0. The output is deterministic: no timestamps, every metric series comes
from a fixed-seed ``random.Random``, and timm's own lr noise is seeded
(``torch.Generator().manual_seed(noise_seed + t)``). CPU only; it runs in a few
seconds.

Request contract (a fixture ``spec`` is exactly a request body)
---------------------------------------------------------------
``{"framework": "timm", "scheduler": NAME, "lr": LR, "params": {...},
"epochs": N, "start": S, "metrics": [...]}``

* ``lr`` is a number (one parameter group) or a list of numbers (one parameter
  group each). The optimizer is::

      torch.optim.SGD([{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr_g}
                       for lr_g in lrs], lr=lrs[0])

  (``optimizer.defaults["lr"]`` is group 0's lr; timm reads every group's own
  ``lr`` into ``initial_lr`` / ``base_values``).
* ``params`` are the constructor keyword arguments, exactly as JSON decodes
  them (a JSON list is a Python list, which timm accepts wherever it takes a
  list or tuple: ``noise_range_t`` as ``[lo, hi]``, MultiStep's ``decay_t``,
  Plateau's per-group ``lr_min``)::

      getattr(timm.scheduler, NAME)(optimizer, **params)

* Value 0 is ``[g["lr"] for g in optimizer.param_groups]`` right after
  construction. Value t >= 1 is the groups' lr after, for t = 1, 2, ... in
  order (``optimizer.step()`` first each time):

  - ``scheduler.step(t)`` when ``params.t_in_epochs`` is true or absent;
  - ``scheduler.step_update(t)`` when ``params.t_in_epochs`` is false;
  - ``scheduler.step(t, metrics[t - 1])`` for ``PlateauLRScheduler`` (which is
    stateful), so ``metrics`` must hold at least ``start + epochs - 1`` values.

  Every t from 1 to ``start + epochs - 1`` is stepped; the values for
  t = ``start`` .. ``start + epochs - 1`` are reported (``start`` defaults to 0).

Fixture case format
-------------------
``{"name": ..., "spec": {...}, "lrs": [epochs floats]}`` for a clean run with
one group; with more than one group ``"group_lrs": [[epochs floats] per group]``
follows (``lrs`` is group 0's series). Or
``{"name": ..., "spec": {...}, "error": MSG, "error_step": K}`` when:

* the constructor raises: ``error_step`` is null;
* the step for t = K raises: ``error_step`` is K (the ``start`` prefix
  included);
* a value of any group is NaN or +-inf: ``error`` is ``"non-finite"`` and
  ``error_step`` is the first t at which one appeared (0 = right after
  construction). Every value from construction on is checked, including the
  ``start`` prefix that is not reported.

``MSG`` is ``"<ExceptionClass>: <str(exception)>"``, or just
``"<ExceptionClass>"`` when ``str(exception)`` is empty (timm's ``assert``
checks raise a bare ``AssertionError``). Warnings and log messages are dropped.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

import timm
import timm.scheduler
import torch

from fixture_support import write_fixture_files, dump_fixture, make_group_optimizer, metric_series, roundtrip, run_group_schedule

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "timm")
EXPECTED_TIMM = "1.0.31"
EXPECTED_TORCH = "2.15.0"

SCHEDULERS = [
    "CosineLRScheduler",
    "TanhLRScheduler",
    "StepLRScheduler",
    "MultiStepLRScheduler",
    "PlateauLRScheduler",
    "PolyLRScheduler",
    "WSDLRScheduler",
]


def run_spec(spec: dict) -> dict:
    """Run ``spec`` through timm; return the lrs or an error dict."""
    name = spec["scheduler"]
    params = spec.get("params", {})
    start = spec.get("start", 0)
    metrics = spec.get("metrics")
    plateau = name == "PlateauLRScheduler"
    per_update = params.get("t_in_epochs", True) is False
    optimizer = make_group_optimizer(spec["lr"])
    state = {}

    def build():
        state["sched"] = getattr(timm.scheduler, name)(optimizer, **params)

    def advance(t):
        optimizer.step()
        if plateau:
            state["sched"].step(t, metrics[t - 1])
        elif per_update:
            state["sched"].step_update(t)
        else:
            state["sched"].step(t)

    def read():
        values = [g["lr"] for g in optimizer.param_groups]
        for v in values:
            assert isinstance(v, (int, float)), (spec, values)
        return values

    return run_group_schedule(build, advance, read, start, spec["epochs"])


# ---------------------------------------------------------------------------
# Spec helpers
# ---------------------------------------------------------------------------


def S(scheduler, lr, params, epochs, start=None, metrics=None):
    """Build a request spec with a stable key order."""
    spec = {"framework": "timm", "scheduler": scheduler, "lr": lr, "params": params, "epochs": epochs}
    if start is not None:
        spec["start"] = start
    if metrics is not None:
        spec["metrics"] = metrics
    return spec


def fmt(v) -> str:
    if isinstance(v, list):
        return "[" + ",".join(fmt(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def describe(spec) -> str:
    """Default case name: the params, lr, epochs and start of the spec."""
    parts = [f"{k}={fmt(v)}" for k, v in spec["params"].items()]
    parts.append(f"lr={fmt(spec['lr'])}")
    parts.append(f"epochs={spec['epochs']}")
    if "start" in spec:
        parts.append(f"start={spec['start']}")
    return " ".join(parts)


class CaseList:
    def __init__(self, scheduler):
        self.scheduler = scheduler
        self.items = []

    def add(self, lr, params, epochs, start=None, metrics=None, label=None):
        spec = S(self.scheduler, lr, params, epochs, start, metrics)
        name = describe(spec) if label is None else f"{label}: {describe(spec)}"
        self.items.append((name, spec))


# ---------------------------------------------------------------------------
# Case definitions, one function per scheduler
# ---------------------------------------------------------------------------


def cases_cosine():
    c = CaseList("CosineLRScheduler")
    c.add(0.1, {"t_initial": 100}, 100, start=0, label="t_initial only")
    c.add(3e-4, {"t_initial": 50, "lr_min": 1e-5}, 60, label="lr_min, past the end")
    c.add(1.0, {"t_initial": 300, "warmup_t": 5, "warmup_lr_init": 1e-6}, 300, label="warm-up inside t_initial")
    c.add(1.0, {"t_initial": 300, "warmup_t": 5, "warmup_lr_init": 1e-6, "warmup_prefix": True}, 310, label="warm-up prefix")
    c.add(5e-5, {"t_initial": 40, "warmup_t": 10, "warmup_prefix": False}, 45, label="warm-up prefix false explicit, warmup_lr_init 0")
    c.add(0.1, {"t_initial": 20, "cycle_limit": 3}, 70, label="3 cycles then lr_min")
    c.add(0.1, {"t_initial": 20, "cycle_limit": 3, "cycle_decay": 0.5, "lr_min": 1e-3}, 65, label="cycle_decay 0.5")
    c.add(0.1, {"t_initial": 10, "cycle_mul": 2, "cycle_limit": 4}, 160, label="cycle_mul 2")
    c.add(0.1, {"t_initial": 10, "cycle_mul": 2.0, "cycle_limit": 3, "warmup_t": 3, "warmup_prefix": True}, 80,
          label="cycle_mul 2 with warm-up prefix")
    c.add(0.0123, {"t_initial": 10, "cycle_mul": 1.5, "cycle_limit": 5, "cycle_decay": 0.8, "lr_min": 1e-4}, 150,
          label="cycle_mul 1.5")
    c.add(0.1, {"t_initial": 40, "cycle_mul": 0.5, "cycle_limit": 10}, 79, label="cycle_mul 0.5 up to just before the domain error")
    c.add(0.1, {"t_initial": 50, "k_decay": 2.0}, 60, label="k_decay 2")
    c.add(0.1, {"t_initial": 50, "k_decay": 0.5, "lr_min": 0.01}, 60, label="k_decay 0.5")
    c.add(3e-4, {"t_initial": 1000, "warmup_t": 100, "warmup_lr_init": 1e-7, "t_in_epochs": False}, 1000,
          label="t_in_epochs false (step_update)")
    c.add(0.1, {"t_initial": 50, "noise_range_t": 10}, 50, label="noise from t 10")
    c.add(0.1, {"t_initial": 50, "noise_range_t": [10, 30]}, 40, label="noise inside [10, 30) only")
    c.add(0.1, {"t_initial": 100, "noise_range_t": [0, 100], "noise_pct": 0.2, "noise_std": 0.5, "noise_seed": 7}, 100,
          label="noise pct, std and seed")
    c.add(0.1, {"t_initial": 30, "noise_range_t": 0, "noise_std": 2.0, "noise_pct": 0.1}, 30,
          label="noise std larger than pct (resampling)")
    c.add(0.1, {"t_initial": 30, "warmup_t": 5, "warmup_lr_init": 0.01, "noise_range_t": 2, "noise_seed": 0}, 30,
          label="noise during warm-up, seed 0")
    c.add(0.1, {"t_initial": 30, "noise_range_t": [5, 5]}, 20, label="empty noise range")
    c.add(0.1, {"t_initial": 60, "noise_range_t": [10, 50], "t_in_epochs": False}, 60, label="noise with step_update")
    c.add([0.1, 0.01], {"t_initial": 30, "warmup_t": 3, "warmup_lr_init": 1e-4}, 35, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], {"t_initial": 20, "cycle_limit": 2, "cycle_decay": 0.5, "lr_min": 1e-6}, 45, label="three groups")
    c.add([1.0, 0.5], {"t_initial": 40, "noise_range_t": [5, 35], "noise_pct": 0.3}, 40, label="two groups with noise")
    c.add([0.0123, 0.2], {"t_initial": 200, "t_in_epochs": False, "cycle_mul": 2, "cycle_limit": 2}, 300, start=7,
          label="two groups, step_update, start 7")
    c.add(0.1, {"t_initial": 100}, 20, start=10, label="start 10")
    c.add(0.1, {"t_initial": 2000, "warmup_t": 20}, 5, start=1000, label="large start")
    c.add(0.1, {"t_initial": 1}, 5, label="t_initial 1")
    c.add(0.1, {"t_initial": 10, "lr_min": 0.2}, 15, label="lr_min above lr")
    c.add(0.1, {"t_initial": 10, "cycle_limit": 0, "warmup_t": 3}, 8, label="cycle_limit 0")
    c.add(0.1, {"t_initial": 12.5, "cycle_limit": 2}, 30, label="fractional t_initial")
    c.add(0.5, {"t_initial": 37, "warmup_t": 4, "warmup_lr_init": 0.001, "warmup_prefix": True, "lr_min": 1e-4}, 1, label="single epoch")
    c.add(1, {"t_initial": 4}, 6, label="int lr")
    c.add(0.1, {"t_initial": 0}, 5, label="t_initial 0 rejected")
    c.add(0.1, {"t_initial": 10, "lr_min": -0.01}, 5, label="negative lr_min rejected")
    c.add(0.1, {"t_initial": 10, "cycle_mul": 0.5, "cycle_limit": 10}, 30, label="cycle_mul 0.5 math domain error at 2 t_initial")
    c.add(0.1, {"t_initial": 10, "cycle_mul": 0.5}, 25, label="cycle_mul 0.5 errors even past cycle_limit")
    c.add(0.1, {"t_initial": 5, "cycle_limit": 5, "cycle_decay": 1e200}, 20, label="cycle_decay power overflows")
    c.add(1e300, {"t_initial": 2, "cycle_limit": 5, "cycle_decay": 1e10}, 10, label="lr times cycle_decay overflows (non-finite)")
    c.add(0.1, {"t_initial": 10, "noise_type": "uniform"}, 5, label="noise_type not accepted")
    c.add(0.1, {"t_initial": 10, "power": 2.0}, 5, label="unexpected keyword")
    return c


def cases_tanh():
    c = CaseList("TanhLRScheduler")
    c.add(0.1, {"t_initial": 100}, 100, start=0, label="t_initial only")
    c.add(3e-4, {"t_initial": 50, "lr_min": 1e-5}, 60, label="lr_min, past the end")
    c.add(0.1, {"t_initial": 40, "lb": -5.0, "ub": 5.0}, 40, label="lb -5 ub 5")
    c.add(0.1, {"t_initial": 40, "lb": -3, "ub": 1}, 40, label="int lb -3 ub 1")
    c.add(0.1, {"t_initial": 40, "lb": 0.5, "ub": 2.5}, 40, label="positive lb")
    c.add(1.0, {"t_initial": 300, "warmup_t": 5, "warmup_lr_init": 1e-6}, 300, label="warm-up, prefix false (targets _get_lr(warmup_t))")
    c.add(1.0, {"t_initial": 300, "warmup_t": 5, "warmup_lr_init": 1e-6, "warmup_prefix": True}, 310, label="warm-up prefix")
    c.add(5e-5, {"t_initial": 20, "warmup_t": 25}, 30, label="warm-up longer than t_initial, prefix false")
    c.add(0.1, {"t_initial": 20, "cycle_limit": 3}, 70, label="3 cycles then lr_min")
    c.add(0.1, {"t_initial": 20, "cycle_limit": 3, "cycle_decay": 0.5, "lr_min": 1e-3}, 65, label="cycle_decay 0.5")
    c.add(0.1, {"t_initial": 10, "cycle_mul": 2, "cycle_limit": 4}, 160, label="cycle_mul 2")
    c.add(0.0123, {"t_initial": 10, "cycle_mul": 1.5, "cycle_limit": 5, "cycle_decay": 0.8, "lr_min": 1e-4}, 150,
          label="cycle_mul 1.5")
    c.add(0.1, {"t_initial": 40, "cycle_mul": 0.5, "cycle_limit": 10}, 79, label="cycle_mul 0.5 up to just before the domain error")
    c.add(0.1, {"t_initial": 10, "cycle_limit": 0}, 12, label="cycle_limit 0")
    c.add(3e-4, {"t_initial": 1000, "warmup_t": 100, "t_in_epochs": False}, 1000, label="t_in_epochs false (step_update)")
    c.add(0.1, {"t_initial": 50, "noise_range_t": 10}, 50, label="noise from t 10")
    c.add(0.1, {"t_initial": 50, "noise_range_t": [10, 30], "noise_pct": 0.2, "noise_std": 0.5, "noise_seed": 3}, 40,
          label="noise inside [10, 30), pct, std and seed")
    c.add(0.1, {"t_initial": 30, "warmup_t": 5, "warmup_lr_init": 0.01, "noise_range_t": 2}, 30, label="noise during warm-up")
    c.add([0.1, 0.01], {"t_initial": 30, "warmup_t": 3, "warmup_lr_init": 1e-4}, 35, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], {"t_initial": 20, "cycle_limit": 2, "cycle_decay": 0.5}, 45, label="three groups")
    c.add([1.0, 0.5], {"t_initial": 40, "noise_range_t": [5, 35]}, 40, label="two groups with noise")
    c.add([0.0123, 0.2], {"t_initial": 100, "warmup_t": 10, "t_in_epochs": False}, 50, start=5, label="two groups, step_update, start 5")
    c.add(0.1, {"t_initial": 100}, 20, start=10, label="start 10")
    c.add(0.1, {"t_initial": 2000, "warmup_t": 20, "warmup_prefix": True}, 5, start=1000, label="large start")
    c.add(0.1, {"t_initial": 1}, 5, label="t_initial 1")
    c.add(0.1, {"t_initial": 10, "lr_min": 0.2}, 15, label="lr_min above lr")
    c.add(0.5, {"t_initial": 37}, 1, label="single epoch")
    c.add(1, {"t_initial": 4}, 6, label="int lr")
    c.add(0.1, {"t_initial": 0}, 5, label="t_initial 0 rejected")
    c.add(0.1, {"t_initial": 10, "lr_min": -0.01}, 5, label="negative lr_min rejected")
    c.add(0.1, {"t_initial": 10, "lb": 3.0, "ub": 3.0}, 5, label="lb == ub rejected")
    c.add(0.1, {"t_initial": 10, "cycle_limit": -1}, 5, label="negative cycle_limit rejected")
    c.add(0.1, {"t_initial": 10, "warmup_t": -1}, 5, label="negative warmup_t rejected")
    c.add(0.1, {"t_initial": 10, "warmup_t": 2, "warmup_lr_init": -0.01}, 5, label="negative warmup_lr_init rejected")
    c.add(0.1, {"t_initial": 10, "cycle_mul": 0.5, "cycle_limit": 10}, 30, label="cycle_mul 0.5 math domain error at 2 t_initial")
    c.add(0.1, {"t_initial": 10, "k_decay": 2.0}, 5, label="k_decay not accepted")
    return c


def cases_step():
    c = CaseList("StepLRScheduler")
    c.add(0.1, {"decay_t": 30, "decay_rate": 0.1}, 100, start=0, label="decay_t 30")
    c.add(5e-5, {"decay_t": 10, "decay_rate": 0.5}, 60)
    c.add(1.0, {"decay_t": 1, "decay_rate": 0.9}, 50, label="decay_t 1")
    c.add(3e-4, {"decay_t": 2.4, "decay_rate": 0.97}, 400, label="fractional decay_t 2.4")
    c.add(0.0123, {"decay_t": 2.5, "decay_rate": 0.5}, 20, label="fractional decay_t 2.5")
    c.add(0.1, {"decay_t": 10}, 30, label="decay_rate defaulted (1.0)")
    c.add(0.1, {"decay_t": 5, "decay_rate": 1.5}, 30, label="decay_rate > 1")
    c.add(0.1, {"decay_t": 4, "decay_rate": 0.0}, 12, label="decay_rate 0")
    c.add(0.1, {"decay_t": 3, "decay_rate": -0.5}, 12, label="negative decay_rate alternates")
    c.add(0.1, {"decay_t": -3, "decay_rate": 0.5}, 12, label="negative decay_t grows")
    c.add(0.1, {"decay_t": 10, "decay_rate": 0.5, "warmup_t": 5, "warmup_lr_init": 1e-4}, 40, label="warm-up prefix (default true)")
    c.add(0.1, {"decay_t": 10, "decay_rate": 0.5, "warmup_t": 5, "warmup_lr_init": 1e-4, "warmup_prefix": False}, 40,
          label="warm-up prefix false")
    c.add(0.1, {"decay_t": 3, "decay_rate": 0.5, "warmup_t": 7, "warmup_prefix": False}, 15, label="warm-up past decay_t, prefix false")
    c.add(3e-4, {"decay_t": 250, "decay_rate": 0.5, "warmup_t": 100, "t_in_epochs": False}, 1000, label="t_in_epochs false (step_update)")
    c.add(0.1, {"decay_t": 10, "decay_rate": 0.5, "noise_range_t": 5}, 30, label="noise from t 5")
    c.add(0.1, {"decay_t": 10, "decay_rate": 0.5, "noise_range_t": [5, 15], "noise_pct": 0.1, "noise_std": 0.3, "noise_seed": 11}, 30,
          label="noise inside [5, 15), pct, std and seed")
    c.add(0.1, {"decay_t": 10, "decay_rate": 0.5, "warmup_t": 4, "noise_range_t": 0}, 20, label="noise during warm-up")
    c.add([0.1, 0.01], {"decay_t": 5, "decay_rate": 0.5}, 20, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], {"decay_t": 3, "decay_rate": 0.7, "warmup_t": 3, "warmup_lr_init": 1e-6}, 20, label="three groups")
    c.add([1.0, 0.5], {"decay_t": 4, "decay_rate": 0.5, "noise_range_t": [2, 12]}, 15, label="two groups with noise")
    c.add([0.0123, 0.2], {"decay_t": 7, "decay_rate": 0.3, "t_in_epochs": False}, 20, start=5, label="two groups, step_update, start 5")
    c.add(0.1, {"decay_t": 10, "decay_rate": 0.9}, 20, start=10, label="start 10")
    c.add(0.1, {"decay_t": 100, "decay_rate": 0.9}, 5, start=1000, label="large start")
    c.add(0.1, {"decay_t": 3, "decay_rate": 0.5}, 1, label="single epoch")
    c.add(1, {"decay_t": 2, "decay_rate": 0.5}, 8, label="int lr")
    c.add(0.1, {"decay_t": 1, "decay_rate": 1e-10}, 40, label="underflow to 0")
    c.add(0.1, {"decay_t": 0, "decay_rate": 0.5}, 5, label="decay_t 0 divides by zero at t 1")
    c.add(0.1, {"decay_t": 0.0, "decay_rate": 0.5}, 5, label="decay_t 0.0 divides by zero at t 1")
    c.add(0.1, {"decay_t": -3, "decay_rate": 0.0}, 5, label="zero to a negative power")
    c.add(0.1, {"decay_t": 1, "decay_rate": 1e200}, 5, label="decay_rate power overflows")
    c.add(1e300, {"decay_t": 1, "decay_rate": 1e10}, 5, label="lr times decay_rate overflows (non-finite)")
    c.add(0.1, {"decay_t": 10, "cycle_limit": 2}, 5, label="unexpected keyword")
    return c


def cases_multistep():
    c = CaseList("MultiStepLRScheduler")
    c.add(0.1, {"decay_t": [30, 60, 90], "decay_rate": 0.1}, 100, start=0, label="milestones 30, 60, 90")
    c.add(5e-5, {"decay_t": [10, 20], "decay_rate": 0.5}, 30)
    c.add(1.0, {"decay_t": [1, 2, 3], "decay_rate": 0.9}, 6, label="milestone 1 applies at t 0 (not reported at construction)")
    c.add(3e-4, {"decay_t": [100, 250, 600, 900], "decay_rate": 0.3}, 1000, label="long run")
    c.add(0.0123, {"decay_t": [5, 5, 10], "decay_rate": 0.5}, 15, label="repeated milestone applies decay_rate**2")
    c.add(0.1, {"decay_t": [3, 3, 3], "decay_rate": 0.1}, 6, label="milestone repeated 3 times")
    c.add(0.1, {"decay_t": [20, 5, 10], "decay_rate": 0.5}, 25, label="unsorted milestones (bisect as is)")
    c.add(0.1, {"decay_t": [], "decay_rate": 0.5}, 10, label="no milestones")
    c.add(0.1, {"decay_t": [0, 4], "decay_rate": 0.5}, 8, label="milestone 0")
    c.add(0.1, {"decay_t": [-3, 4], "decay_rate": 0.5}, 8, label="negative milestone")
    c.add(0.1, {"decay_t": [2.5, 6.5], "decay_rate": 0.5}, 10, label="fractional milestones")
    c.add(0.1, {"decay_t": [10, 20]}, 25, label="decay_rate defaulted (1.0)")
    c.add(0.1, {"decay_t": [3, 6], "decay_rate": 2.0}, 10, label="decay_rate > 1")
    c.add(0.1, {"decay_t": [10, 20], "decay_rate": 0.5, "warmup_t": 5, "warmup_lr_init": 1e-4}, 30, label="warm-up prefix (default true)")
    c.add(0.1, {"decay_t": [10, 20], "decay_rate": 0.5, "warmup_t": 5, "warmup_lr_init": 1e-4, "warmup_prefix": False}, 30,
          label="warm-up prefix false")
    c.add(3e-4, {"decay_t": [300, 600], "decay_rate": 0.1, "warmup_t": 100, "t_in_epochs": False}, 1000,
          label="t_in_epochs false (step_update)")
    c.add(0.1, {"decay_t": [10, 20], "decay_rate": 0.5, "noise_range_t": 5}, 30, label="noise from t 5")
    c.add(0.1, {"decay_t": [10, 20], "decay_rate": 0.5, "noise_range_t": [5, 15], "noise_pct": 0.1, "noise_std": 0.3,
                "noise_seed": 5}, 30, label="noise inside [5, 15), pct, std and seed")
    c.add([0.1, 0.01], {"decay_t": [5, 10], "decay_rate": 0.5}, 15, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], {"decay_t": [3, 3, 8], "decay_rate": 0.7, "warmup_t": 2}, 15, label="three groups, repeated milestone")
    c.add([1.0, 0.5], {"decay_t": [4, 8], "decay_rate": 0.5, "noise_range_t": [2, 12]}, 15, label="two groups with noise")
    c.add([0.0123, 0.2], {"decay_t": [7, 14], "decay_rate": 0.3, "t_in_epochs": False}, 20, start=5,
          label="two groups, step_update, start 5")
    c.add(0.1, {"decay_t": [10, 20], "decay_rate": 0.5}, 20, start=8, label="start 8")
    c.add(0.1, {"decay_t": [500, 1002], "decay_rate": 0.1}, 5, start=1000, label="large start")
    c.add(0.1, {"decay_t": [3], "decay_rate": 0.5}, 1, label="single epoch")
    c.add(1, {"decay_t": [2, 4], "decay_rate": 0.5}, 6, label="int lr")
    c.add(0.1, {"decay_t": [1, 2], "decay_rate": 1e200}, 5, label="decay_rate power overflows")
    c.add(0.1, {"decay_t": 10, "decay_rate": 0.5}, 5, label="scalar decay_t fails at t 1")
    c.add(0.1, {"milestones": [10]}, 5, label="unexpected keyword")
    return c


def cases_plateau():
    c = CaseList("PlateauLRScheduler")

    def P(lr, params, epochs, metrics, start=None, label=None):
        c.add(lr, params, epochs, start=start, metrics=metrics, label=label)

    up = dict(trend=0.01)
    P(0.1, {}, 60, metric_series(59, seed=41, **up), label="defaults (mode max)")
    P(0.1, {}, 40, [1.0] * 39, label="defaults, flat metrics")
    P(5e-5, {"mode": "min", "patience_t": 2}, 50, metric_series(49, seed=42), label="mode min, patience 2")
    P(1.0, {"patience_t": 0, "decay_rate": 0.5, "mode": "min"}, 30, metric_series(29, seed=43, trend=0.0), label="patience 0")
    P(3e-4, {"patience_t": 5, "decay_rate": 0.3, "lr_min": 1e-5}, 200, metric_series(199, seed=44, **up), label="lr_min")
    P(0.0123, {"patience_t": 3, "cooldown_t": 4}, 80, metric_series(79, seed=45, **up), label="cooldown_t")
    P(0.1, {"patience_t": 2, "threshold": 0.05}, 60, metric_series(59, seed=46, **up), label="large threshold")
    P(0.1, {"patience_t": 1, "threshold": 0.0, "mode": "min"}, 40, metric_series(39, seed=47), label="threshold 0")
    P(0.1, {"patience_t": 1, "decay_rate": 0.5, "warmup_t": 5, "warmup_lr_init": 1e-3}, 30, [1.0] * 29,
      label="warm-up ignores metrics up to warmup_t")
    P(0.1, {"patience_t": 1, "decay_rate": 0.5, "warmup_t": 3, "warmup_lr_init": 0.0123, "mode": "min"}, 30,
      metric_series(29, seed=48), label="warm-up with inexact end value")
    P(0.1, {"patience_t": 2, "noise_range_t": 5}, 40, metric_series(39, seed=49, **up), label="noise (normal) from t 5")
    P(0.1, {"patience_t": 2, "noise_range_t": [5, 20], "noise_type": "uniform"}, 40, [1.0] * 39,
      label="uniform noise inside [5, 20) only")
    P(0.1, {"patience_t": 1, "noise_range_t": 0, "noise_type": "normal", "noise_pct": 0.2, "noise_std": 0.5, "noise_seed": 3},
      40, [1.0] * 39, label="normal noise, pct, std and seed")
    P(0.1, {"patience_t": 1, "noise_range_t": [0, 100], "noise_type": "uniform", "noise_pct": 0.05, "noise_seed": 0}, 50,
      metric_series(49, seed=50, **up), label="uniform noise, pct and seed 0")
    P(0.1, {"patience_t": 1, "decay_rate": 0.5, "warmup_t": 4, "noise_range_t": 2}, 20, [1.0] * 19,
      label="noise not applied during warm-up")
    P(0.1, {"patience_t": 1, "decay_rate": 0.9, "mode": "min"}, 120, metric_series(119, seed=51, base=0.05, trend=-0.002),
      label="metrics cross zero (negative best)")
    P(0.1, {"patience_t": 1, "lr_min": 0.02, "decay_rate": 0.5}, 40, [1.0] * 39, label="flat metrics reach lr_min")
    P(0.1, {"patience_t": 4, "decay_rate": 0.7, "cooldown_t": 2, "lr_min": 1e-4, "mode": "min"}, 1000,
      metric_series(999, seed=52, trend=-0.001), label="long run")
    P(0.1, {"patience_t": 2}, 20, metric_series(29, seed=53, **up), start=8, label="start 8")
    P(0.1, {"patience_t": 10, "decay_rate": 0.5, "noise_range_t": 990}, 5, metric_series(1004, seed=54, trend=0.0005),
      start=1000, label="large start")
    P(0.1, {"patience_t": 2}, 1, [], label="single epoch, no metrics")
    P(1, {"patience_t": 1, "decay_rate": 0.5, "mode": "min"}, 12, [3, 3, 2, 2, 2, 1, 1, 1, 1, 0, 0], label="int lr and int metrics")
    P([0.1, 0.01], {"patience_t": 1, "decay_rate": 0.5}, 30, metric_series(29, seed=55, **up), label="two groups")
    P([0.1, 0.01, 0.001], {"patience_t": 1, "decay_rate": 0.5, "lr_min": [0.05, 0.002, 1e-5]}, 40, [1.0] * 39,
      label="three groups, per-group lr_min")
    P([1.0, 0.5], {"patience_t": 2, "decay_rate": 0.1, "lr_min": 0.01, "warmup_t": 3}, 40, metric_series(44, seed=56, **up),
      start=5, label="two groups with warm-up, start 5")
    P([0.0123, 0.2], {"patience_t": 1, "noise_range_t": [3, 30], "noise_type": "uniform", "mode": "min"}, 40,
      metric_series(39, seed=57), label="two groups with uniform noise")
    P(0.1, {"decay_rate": 1.0}, 10, [1.0] * 9, label="decay_rate 1.0 rejected")
    P(0.1, {"mode": "avg"}, 10, [1.0] * 9, label="unknown mode rejected")
    P([0.1, 0.01], {"lr_min": [0.1, 0.2, 0.3]}, 10, [1.0] * 9, label="lr_min list of wrong length rejected")
    P(0.1, {"threshold_mode": "abs"}, 10, [1.0] * 9, label="threshold_mode not accepted")
    P(0.1, {"t_in_epochs": False}, 10, [1.0] * 9, label="t_in_epochs not accepted")
    return c


def cases_poly():
    c = CaseList("PolyLRScheduler")
    c.add(0.1, {"t_initial": 100}, 100, start=0, label="t_initial only (power 0.5)")
    c.add(3e-4, {"t_initial": 50, "lr_min": 1e-5, "power": 1.0}, 60, label="power 1, lr_min, past the end")
    c.add(0.1, {"t_initial": 40, "power": 2.0}, 40, label="power 2")
    c.add(0.1, {"t_initial": 40, "power": 3}, 40, label="int power 3")
    c.add(0.1, {"t_initial": 40, "power": 0.9, "lr_min": 0.01}, 45, label="power 0.9")
    c.add(0.1, {"t_initial": 20, "power": 0.0}, 25, label="power 0")
    c.add(0.1, {"t_initial": 20, "power": -0.5}, 22, label="negative power grows")
    c.add(1.0, {"t_initial": 300, "warmup_t": 5, "warmup_lr_init": 1e-6}, 300, label="warm-up inside t_initial")
    c.add(1.0, {"t_initial": 300, "warmup_t": 5, "warmup_lr_init": 1e-6, "warmup_prefix": True, "power": 1.0}, 310,
          label="warm-up prefix")
    c.add(0.1, {"t_initial": 20, "cycle_limit": 3, "power": 1.0}, 70, label="3 cycles then lr_min")
    c.add(0.1, {"t_initial": 20, "cycle_limit": 3, "cycle_decay": 0.5, "lr_min": 1e-3}, 65, label="cycle_decay 0.5")
    c.add(0.1, {"t_initial": 10, "cycle_mul": 2, "cycle_limit": 4, "power": 1.0}, 160, label="cycle_mul 2")
    c.add(0.0123, {"t_initial": 10, "cycle_mul": 1.5, "cycle_limit": 5, "cycle_decay": 0.8, "lr_min": 1e-4, "power": 2.0}, 150,
          label="cycle_mul 1.5")
    c.add(0.1, {"t_initial": 40, "cycle_mul": 0.5, "cycle_limit": 10, "power": 1.0}, 79,
          label="cycle_mul 0.5 up to just before the domain error")
    c.add(0.1, {"t_initial": 50, "k_decay": 2.0, "power": 1.0}, 60, label="k_decay 2")
    c.add(0.1, {"t_initial": 50, "k_decay": 0.5}, 60, label="k_decay 0.5")
    c.add(3e-4, {"t_initial": 1000, "warmup_t": 100, "t_in_epochs": False, "power": 1.0}, 1000, label="t_in_epochs false (step_update)")
    c.add(0.1, {"t_initial": 50, "noise_range_t": 10}, 50, label="noise from t 10")
    c.add(0.1, {"t_initial": 50, "noise_range_t": [10, 30], "noise_pct": 0.2, "noise_std": 0.5, "noise_seed": 9}, 40,
          label="noise inside [10, 30), pct, std and seed")
    c.add([0.1, 0.01], {"t_initial": 30, "warmup_t": 3, "warmup_lr_init": 1e-4}, 35, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], {"t_initial": 20, "cycle_limit": 2, "cycle_decay": 0.5, "power": 2.0}, 45, label="three groups")
    c.add([1.0, 0.5], {"t_initial": 40, "noise_range_t": [5, 35]}, 40, label="two groups with noise")
    c.add([0.0123, 0.2], {"t_initial": 100, "warmup_t": 10, "t_in_epochs": False}, 50, start=5, label="two groups, step_update, start 5")
    c.add(0.1, {"t_initial": 100}, 20, start=10, label="start 10")
    c.add(0.1, {"t_initial": 2000, "warmup_t": 20}, 5, start=1000, label="large start")
    c.add(0.1, {"t_initial": 1}, 5, label="t_initial 1")
    c.add(0.1, {"t_initial": 10, "lr_min": 0.2, "power": 1.0}, 15, label="lr_min above lr")
    c.add(0.5, {"t_initial": 37}, 1, label="single epoch")
    c.add(1, {"t_initial": 4, "power": 1}, 6, label="int lr and int power")
    c.add(0.1, {"t_initial": 0}, 5, label="t_initial 0 rejected")
    c.add(0.1, {"t_initial": 10, "lr_min": -0.01}, 5, label="negative lr_min rejected")
    c.add(0.1, {"t_initial": 10, "cycle_mul": 0.5, "cycle_limit": 10}, 30, label="cycle_mul 0.5 math domain error at 2 t_initial")
    c.add(0.1, {"t_initial": 10, "noise_type": "uniform"}, 5, label="noise_type not accepted")
    return c


def cases_wsd():
    c = CaseList("WSDLRScheduler")
    c.add(0.1, {"t_initial": 100, "decay_t": 20}, 100, start=0, label="defaults (constant, 1-sqrt)")
    for fn in ("linear", "1-sqrt", "cosine", "power", "exp"):
        c.add(0.1, {"t_initial": 40, "decay_t": 12, "decay_fn": fn, "warmup_t": 5, "lr_min": 1e-3}, 50,
              label=f"decay_fn {fn}, past the end")
    c.add(0.1, {"t_initial": 40, "decay_t": 10, "decay_fn": "power", "decay_power": 2.0}, 45, label="power decay 2")
    c.add(0.1, {"t_initial": 40, "decay_t": 10, "decay_fn": "power", "decay_power": 1}, 45, label="int decay_power 1")
    c.add(0.1, {"t_initial": 40, "decay_t": 10, "decay_fn": "exp", "decay_ratio": 0.5}, 45, label="exp decay_ratio 0.5")
    c.add(0.1, {"t_initial": 40, "decay_t": 10, "decay_fn": "exp", "decay_ratio": 0.01, "lr_min": 0.005}, 45,
          label="exp decay_ratio 0.01 with lr_min")
    c.add(0.1, {"t_initial": 60, "decay_t": 15, "stable_fn": "rsqrt", "warmup_t": 10}, 80, label="rsqrt stable, timescale = warmup_t")
    c.add(0.1, {"t_initial": 60, "decay_t": 15, "stable_fn": "rsqrt", "stable_timescale": 4.5}, 70,
          label="rsqrt stable, explicit timescale, no warm-up")
    c.add(0.1, {"t_initial": 60, "decay_t": 15, "stable_fn": "power", "stable_power": 1.5, "warmup_t": 6,
                "decay_fn": "linear"}, 70, label="power stable 1.5, linear decay")
    c.add(0.1, {"t_initial": 200, "decay_t": 20, "stable_fn": "power", "stable_power": 2, "stable_timescale": 2,
                "lr_min": 0.01}, 210, label="power stable held at lr_min")
    c.add(0.1, {"t_initial": 30, "decay_t": 30, "decay_fn": "cosine"}, 35, label="decay_t == t_initial")
    c.add(0.1, {"t_initial": 30, "decay_t": 1, "decay_fn": "linear"}, 35, label="decay_t 1")
    c.add(1.0, {"t_initial": 300, "decay_t": 60, "warmup_t": 30, "warmup_lr_init": 1e-6}, 340, label="warm-up with warmup_lr_init")
    c.add(3e-4, {"t_initial": 1000, "decay_t": 200, "warmup_t": 100, "t_in_epochs": False}, 1000, label="t_in_epochs false (step_update)")
    c.add(0.1, {"t_initial": 50, "decay_t": 10, "noise_range_t": 10}, 55, label="noise from t 10")
    c.add(0.1, {"t_initial": 50, "decay_t": 10, "noise_range_t": [30, 45], "noise_pct": 0.2, "noise_std": 0.5, "noise_seed": 13},
          55, label="noise inside [30, 45), pct, std and seed")
    c.add([0.1, 0.01], {"t_initial": 30, "decay_t": 10, "warmup_t": 3, "warmup_lr_init": 1e-4}, 35, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], {"t_initial": 40, "decay_t": 10, "stable_fn": "rsqrt", "warmup_t": 5, "lr_min": 2e-5}, 50,
          label="three groups, rsqrt, lr_min between group lrs")
    c.add([1.0, 0.5], {"t_initial": 40, "decay_t": 10, "noise_range_t": [5, 35]}, 40, label="two groups with noise")
    c.add([0.0123, 0.2], {"t_initial": 100, "decay_t": 30, "warmup_t": 10, "t_in_epochs": False, "decay_fn": "exp"}, 50,
          start=70, label="two groups, step_update, start 70")
    c.add(0.1, {"t_initial": 100, "decay_t": 20}, 20, start=75, label="start 75")
    c.add(0.1, {"t_initial": 2000, "decay_t": 500, "warmup_t": 20}, 5, start=1800, label="large start")
    c.add(0.5, {"t_initial": 37, "decay_t": 5}, 1, label="single epoch")
    c.add(1, {"t_initial": 4, "decay_t": 2, "decay_fn": "linear"}, 6, label="int lr")
    c.add(0.1, {"t_initial": 10, "decay_t": 5, "lr_min": 0.2}, 15, label="lr_min above lr")
    c.add(0.1, {"t_initial": 0, "decay_t": 0}, 5, label="t_initial 0 rejected")
    c.add(0.1, {"t_initial": 10, "decay_t": 0}, 5, label="decay_t 0 rejected")
    c.add(0.1, {"t_initial": 10, "decay_t": 11}, 5, label="decay_t above t_initial rejected")
    c.add(0.1, {"t_initial": 10, "decay_t": 5, "lr_min": -0.01}, 5, label="negative lr_min rejected")
    c.add(0.1, {"t_initial": 10, "decay_t": 5, "stable_fn": "cosine"}, 5, label="unknown stable_fn rejected")
    c.add(0.1, {"t_initial": 10, "decay_t": 5, "decay_fn": "step"}, 5, label="unknown decay_fn rejected")
    c.add(0.1, {"t_initial": 10, "decay_t": 5, "decay_ratio": 1.0}, 5, label="decay_ratio 1 rejected")
    c.add(0.1, {"t_initial": 10, "decay_t": 5, "decay_power": 0.0}, 5, label="decay_power 0 rejected")
    c.add(0.1, {"t_initial": 10, "decay_t": 5, "stable_power": -1.0}, 5, label="negative stable_power rejected")
    c.add(0.1, {"t_initial": 10, "decay_t": 5, "stable_fn": "rsqrt"}, 5, label="rsqrt without warm-up or timescale rejected")
    c.add(0.1, {"t_initial": 10, "decay_t": 5, "warmup_prefix": True}, 5, label="warmup_prefix not accepted")
    return c


CASE_BUILDERS = {
    "CosineLRScheduler": cases_cosine,
    "TanhLRScheduler": cases_tanh,
    "StepLRScheduler": cases_step,
    "MultiStepLRScheduler": cases_multistep,
    "PlateauLRScheduler": cases_plateau,
    "PolyLRScheduler": cases_poly,
    "WSDLRScheduler": cases_wsd,
}


def check_metrics(name: str, spec: dict) -> None:
    """A metric-driven spec must carry a metric for every step it replays."""
    if spec["scheduler"] == "PlateauLRScheduler":
        need = spec.get("start", 0) + spec["epochs"] - 1
        assert len(spec["metrics"]) >= need, (name, len(spec["metrics"]), need)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    args = parser.parse_args(argv)

    logging.disable(logging.WARNING)
    timm_version = timm.__version__.split("+")[0]
    torch_version = torch.__version__.split("+")[0]
    if timm_version != EXPECTED_TIMM or torch_version != EXPECTED_TORCH:
        print(f"warning: timm {timm.__version__} / torch {torch.__version__} installed, "
              f"fixtures expect {EXPECTED_TIMM} / {EXPECTED_TORCH}", file=sys.stderr)

    t0 = time.perf_counter()
    total_bytes = write_fixture_files(
        args.out, SCHEDULERS, CASE_BUILDERS, run_spec,
        lambda scheduler: {"timm": timm_version, "torch": torch_version, "scheduler": scheduler},
        check_spec=check_metrics,
    )
    print(f"total {total_bytes:,d} bytes in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
