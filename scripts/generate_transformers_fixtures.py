#!/usr/bin/env python3
"""Generate golden learning-rate fixtures from real Hugging Face transformers.

What it does
------------
For every ``transformers.trainer_utils.SchedulerType`` value this script builds
a list of request specs (the exact JSON bodies the lrsched service accepts with
``"framework": "transformers"``), runs each one through the installed
transformers + torch, and writes the resulting learning rates to

    Tests/SchedulesTests/Fixtures/transformers/<NAME>.json   (12 files)

where NAME is the ``SchedulerType`` value (``linear``, ``cosine``,
``cosine_with_restarts``, ``polynomial``, ``constant``,
``constant_with_warmup``, ``inverse_sqrt``, ``reduce_lr_on_plateau``,
``cosine_with_min_lr``, ``cosine_warmup_with_min_lr``,
``warmup_stable_decay``, ``greedy``). The Swift tests compare the service's
output with these files bit for bit; every float is written with Python's
``repr`` (via ``json.dumps``), which round-trips exactly.

How to run
----------
From the repository root::

    python3 scripts/generate_transformers_fixtures.py [--out DIR]

The fixtures record the installed versions of transformers and torch (without
a local suffix such as ``+cpu``); a warning is printed when they are not
5.24.0 / 2.15.0. The output is deterministic: no timestamps, and every metric
series comes from a fixed-seed ``random.Random``. CPU only; it runs in a few
seconds.

Request contract (a fixture ``spec`` is exactly a request body)
---------------------------------------------------------------
``{"framework": "transformers", "scheduler": NAME, "lr": LR, "params": {...},
"epochs": N, "start": S, "metrics": [...]}``

* ``lr`` is a number (one parameter group) or a list of numbers (one parameter
  group each). The optimizer is::

      torch.optim.SGD([{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr_g}
                       for lr_g in lrs], lr=lrs[0])

  so ``optimizer.defaults["lr"]`` -- which ``polynomial`` (``lr_init``) and
  ``cosine_with_min_lr`` / ``cosine_warmup_with_min_lr`` (``min_lr`` turned
  into ``min_lr_rate``) read -- is group 0's lr.
* ``params.num_warmup_steps`` and ``params.num_training_steps`` are passed as
  ``get_scheduler``'s own arguments (absent = None); every other key of
  ``params`` goes, flattened, into ``scheduler_specific_kwargs`` (None when
  there are no other keys)::

      transformers.get_scheduler(NAME, optimizer, num_warmup_steps=...,
                                 num_training_steps=...,
                                 scheduler_specific_kwargs=rest or None)

  ``get_scheduler`` itself decides what it ignores (e.g. everything for
  ``constant``); the fixtures record exactly what it does.
* ``optimizer.step()`` is called before every scheduler step. Value k
  (0 <= k < epochs) is read after ``start + k`` scheduler steps since
  construction. For ``reduce_lr_on_plateau`` and ``greedy`` the i-th step
  (i = 0, 1, ...) is ``scheduler.step(metrics[i])``, so ``metrics`` must hold at
  least ``start + epochs - 1`` values; for the others it is ``scheduler.step()``.
* The value read is ``[g["lr"] for g in optimizer.param_groups]``. For every
  type, including ``reduce_lr_on_plateau`` (torch ``ReduceLROnPlateau``) and
  ``greedy`` (``GreedyLR``), this equals ``scheduler.get_last_lr()``; the
  script asserts that at every read.

Fixture case format
-------------------
``{"name": ..., "spec": {...}, "lrs": [epochs floats]}`` for a clean run with
one group; with more than one group ``"group_lrs": [[epochs floats] per group]``
follows (``lrs`` is group 0's series). Or
``{"name": ..., "spec": {...}, "error": MSG, "error_step": K}`` when:

* ``get_scheduler`` raises: ``error_step`` is null;
* the K-th scheduler step (counted from construction, the ``start`` prefix
  included) raises: ``error_step`` is K;
* a value of any group is NaN or +-inf: ``error`` is ``"non-finite"`` and
  ``error_step`` is the step count at which the first one appeared (0 = right
  after construction). Every value from construction on is checked, including
  the ``start`` prefix that is not reported.

``MSG`` is ``"<ExceptionClass>: <str(exception)>"``, or just
``"<ExceptionClass>"`` when ``str(exception)`` is empty. Warnings are recorded
and dropped.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

import torch
import transformers

from fixture_support import write_fixture_files, dump_fixture, make_group_optimizer, metric_series, roundtrip, run_group_schedule

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "transformers")
EXPECTED_TRANSFORMERS = "5.24.0"
EXPECTED_TORCH = "2.15.0"

SCHEDULERS = [
    "linear",
    "cosine",
    "cosine_with_restarts",
    "polynomial",
    "constant",
    "constant_with_warmup",
    "inverse_sqrt",
    "reduce_lr_on_plateau",
    "cosine_with_min_lr",
    "cosine_warmup_with_min_lr",
    "warmup_stable_decay",
    "greedy",
]

METRIC_DRIVEN = ("reduce_lr_on_plateau", "greedy")


def run_spec(spec: dict) -> dict:
    """Run ``spec`` through transformers; return the lrs or an error dict."""
    name = spec["scheduler"]
    params = dict(spec.get("params", {}))
    num_warmup_steps = params.pop("num_warmup_steps", None)
    num_training_steps = params.pop("num_training_steps", None)
    rest = params or None
    start = spec.get("start", 0)
    metrics = spec.get("metrics")
    optimizer = make_group_optimizer(spec["lr"])
    state = {}

    def build():
        state["sched"] = transformers.get_scheduler(
            name,
            optimizer,
            num_warmup_steps=num_warmup_steps,
            num_training_steps=num_training_steps,
            scheduler_specific_kwargs=rest,
        )

    def advance(n):
        optimizer.step()
        if name in METRIC_DRIVEN:
            state["sched"].step(metrics[n - 1])
        else:
            state["sched"].step()

    def read():
        values = [g["lr"] for g in optimizer.param_groups]
        last = list(state["sched"].get_last_lr())
        assert [repr(v) for v in last] == [repr(v) for v in values], (spec, last, values)
        return values

    return run_group_schedule(build, advance, read, start, spec["epochs"])


# ---------------------------------------------------------------------------
# Spec helpers
# ---------------------------------------------------------------------------


def S(scheduler, lr, params, epochs, start=None, metrics=None):
    """Build a request spec with a stable key order."""
    spec = {"framework": "transformers", "scheduler": scheduler, "lr": lr, "params": params, "epochs": epochs}
    if start is not None:
        spec["start"] = start
    if metrics is not None:
        spec["metrics"] = metrics
    return spec


ABBREV = {"num_warmup_steps": "W", "num_training_steps": "T"}


def fmt(v) -> str:
    if isinstance(v, list):
        return "[" + ",".join(fmt(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def describe(spec) -> str:
    """Default case name: the params, lr, epochs and start of the spec."""
    parts = [f"{ABBREV.get(k, k)}={fmt(v)}" for k, v in spec["params"].items()]
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


def WT(w, t, **extra):
    """params with num_warmup_steps / num_training_steps (None = omitted) first."""
    p = {}
    if w is not None:
        p["num_warmup_steps"] = w
    if t is not None:
        p["num_training_steps"] = t
    p.update(extra)
    return p


# ---------------------------------------------------------------------------
# Case definitions, one function per scheduler type
# ---------------------------------------------------------------------------


def cases_linear():
    c = CaseList("linear")
    for i, (w, t, lr, ep) in enumerate([
        (10, 100, 5e-5, 100), (0, 50, 0.1, 50), (100, 1000, 3e-4, 1000), (5, 40, 0.0123, 45),
        (3, 17, 1.0, 20), (40, 400, 2e-5, 400), (13, 97, 0.5, 100), (0, 7, 1e-3, 8),
        (1, 2, 0.1, 3), (25, 60, 0.07, 61),
    ]):
        c.add(lr, WT(w, t), ep, start=0 if i % 3 == 0 else None)
    c.add(0.1, WT(5, 40), 60, label="evaluated past num_training_steps")
    c.add(0.1, WT(20, 10), 30, label="warm-up longer than training")
    c.add(0.1, WT(10, 10), 20, label="num_training_steps == num_warmup_steps")
    c.add(0.1, WT(1, 1), 5, label="W = T = 1")
    c.add(0.1, WT(0, 0), 5, label="W = T = 0")
    c.add(0.1, WT(0, 1), 4, label="T = 1, no warm-up")
    c.add(0.0123, WT(7, 33), 40, start=5, label="start inside warm-up")
    c.add(0.1, WT(10, 100), 10, start=95, label="start across the end")
    c.add(3e-4, WT(100, 2000), 5, start=1000, label="large start")
    c.add(0.1, WT(2, 1000), 1, label="single epoch")
    c.add(1, WT(4, 12), 15, label="int lr")
    c.add(0.1, WT(-5, 20), 25, label="negative warm-up skips warm-up")
    c.add([0.1, 0.01], WT(5, 20), 25, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], WT(10, 60), 70, label="three groups")
    c.add([1.0, 0.5], WT(0, 30), 30, start=3, label="two groups, start 3")
    c.add([0.0123, 0.2], WT(20, 10), 25, label="two groups, warm-up longer than training")
    c.add([0.3], WT(3, 9), 10, label="one-element lr list")
    c.add(0.1, WT(None, 100), 10, label="missing num_warmup_steps")
    c.add(0.1, WT(10, None), 10, label="missing num_training_steps")
    c.add(0.1, WT(10, 100, num_cycles=2), 10, label="unexpected keyword")
    return c


def cases_cosine():
    c = CaseList("cosine")
    for i, (w, t, lr, ep) in enumerate([
        (10, 100, 5e-5, 100), (0, 50, 0.1, 50), (100, 1000, 3e-4, 1000), (5, 40, 0.0123, 45),
        (3, 17, 1.0, 20), (40, 400, 2e-5, 400), (13, 97, 0.5, 100), (0, 7, 1e-3, 8),
    ]):
        c.add(lr, WT(w, t), ep, start=0 if i % 3 == 0 else None)
    c.add(0.1, WT(5, 45, num_cycles=0.5), 50, label="num_cycles 0.5 explicit")
    c.add(0.1, WT(5, 45, num_cycles=1.5), 50, label="fractional num_cycles 1.5")
    c.add(0.1, WT(10, 110, num_cycles=2.3), 120, label="fractional num_cycles 2.3")
    c.add(0.1, WT(0, 30, num_cycles=1), 40, label="int num_cycles 1 rises back")
    c.add(0.1, WT(0, 30, num_cycles=0), 10, label="num_cycles 0 stays at base")
    c.add(0.1, WT(0, 30, num_cycles=-0.5), 35, label="negative num_cycles")
    c.add(0.1, WT(5, 40), 100, label="evaluated past num_training_steps (rises again)")
    c.add(0.1, WT(20, 10), 30, label="warm-up longer than training")
    c.add(0.1, WT(10, 10), 20, label="num_training_steps == num_warmup_steps")
    c.add(0.1, WT(0, 0), 5, label="W = T = 0")
    c.add(0.1, WT(0, 1), 4, label="T = 1")
    c.add(0.0123, WT(7, 33), 40, start=5, label="start inside warm-up")
    c.add(3e-4, WT(100, 2000), 5, start=1000, label="large start")
    c.add(0.1, WT(2, 1000), 1, label="single epoch")
    c.add(1, WT(0, 4), 6, label="int lr (factor exactly 0 at T)")
    c.add([0.1, 0.01], WT(5, 20), 25, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], WT(10, 60, num_cycles=1.5), 70, label="three groups")
    c.add([1.0, 0.5], WT(0, 30), 30, start=3, label="two groups, start 3")
    c.add([0.0123, 0.2], WT(20, 10), 25, label="two groups, warm-up longer than training")
    c.add(0.1, WT(None, 100), 10, label="missing num_warmup_steps")
    c.add(0.1, WT(10, None), 10, label="missing num_training_steps")
    c.add(0.1, WT(10, 100, min_lr=0.01), 10, label="unexpected keyword")
    return c


def cases_restarts():
    c = CaseList("cosine_with_restarts")
    for i, (w, t, lr, ep) in enumerate([
        (10, 100, 5e-5, 100), (0, 50, 0.1, 50), (100, 1000, 3e-4, 1000), (5, 40, 0.0123, 45),
        (3, 17, 1.0, 20), (13, 97, 0.5, 100),
    ]):
        c.add(lr, WT(w, t), ep, start=0 if i % 3 == 0 else None)
    c.add(0.1, WT(5, 45, num_cycles=3), 50, label="3 restarts")
    c.add(2e-5, WT(40, 400, num_cycles=4), 400, label="4 restarts, long")
    c.add(0.1, WT(5, 45, num_cycles=1.5), 50, label="fractional num_cycles 1.5")
    c.add(0.1, WT(10, 110, num_cycles=2.3), 120, label="fractional num_cycles 2.3")
    c.add(0.1, WT(0, 30, num_cycles=0.5), 35, label="fractional num_cycles 0.5")
    c.add(0.1, WT(0, 30, num_cycles=0), 35, label="num_cycles 0")
    c.add(0.1, WT(0, 30, num_cycles=-2), 35, label="negative num_cycles (floored modulo)")
    c.add(0.1, WT(0, 12, num_cycles=12), 15, label="one step per cycle")
    c.add(0.1, WT(5, 40, num_cycles=2), 60, label="evaluated past num_training_steps (0)")
    c.add(0.1, WT(20, 10), 30, label="warm-up longer than training")
    c.add(0.1, WT(10, 10), 20, label="num_training_steps == num_warmup_steps")
    c.add(0.1, WT(0, 0), 5, label="W = T = 0")
    c.add(0.0123, WT(7, 33, num_cycles=2), 40, start=5, label="start inside warm-up")
    c.add(3e-4, WT(100, 2000, num_cycles=5), 5, start=1000, label="large start")
    c.add(0.1, WT(2, 1000), 1, label="single epoch")
    c.add(1, WT(0, 8, num_cycles=2), 10, label="int lr")
    c.add([0.1, 0.01], WT(5, 20, num_cycles=2), 25, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], WT(10, 60, num_cycles=3), 70, label="three groups")
    c.add([1.0, 0.5], WT(0, 30, num_cycles=1.5), 30, start=3, label="two groups, start 3")
    c.add([0.0123, 0.2], WT(20, 10), 25, label="two groups, warm-up longer than training")
    c.add(0.1, WT(None, 100), 10, label="missing num_warmup_steps")
    c.add(0.1, WT(10, None), 10, label="missing num_training_steps")
    c.add(0.1, WT(10, 100, power=2.0), 10, label="unexpected keyword")
    return c


def cases_polynomial():
    c = CaseList("polynomial")
    for i, (w, t, lr, ep) in enumerate([
        (10, 100, 5e-5, 100), (0, 50, 0.1, 50), (100, 1000, 3e-4, 1000), (5, 40, 0.0123, 45),
        (3, 17, 1.0, 20), (13, 97, 0.5, 100),
    ]):
        c.add(lr, WT(w, t), ep, start=0 if i % 3 == 0 else None)
    c.add(0.07, WT(0, 25, lr_end=1e-3), 30, label="no warm-up, lr_end 1e-3")
    c.add(2e-5, WT(10, 100), 400, label="long run far past num_training_steps")
    c.add(0.1, WT(5, 45, power=2.0), 50, label="power 2")
    c.add(0.1, WT(5, 45, power=0.5), 50, label="power 0.5")
    c.add(0.1, WT(0, 30, power=3), 35, label="int power 3")
    c.add(0.1, WT(0, 30, power=0.0), 35, label="power 0 (0**0 = 1 at T)")
    c.add(0.1, WT(5, 45, lr_end=0.01), 60, label="lr_end 0.01, past T holds lr_end")
    c.add(0.1, WT(5, 45, lr_end=0.0, power=2.0), 50, label="lr_end 0")
    c.add(3e-4, WT(50, 300, lr_end=1e-5, power=1.5), 320, label="lr_end and power 1.5")
    c.add(0.1, WT(0, 20, lr_end=-0.05), 25, label="negative lr_end")
    c.add(0.1, WT(5, 40), 60, label="evaluated past num_training_steps")
    c.add(0.1, WT(20, 10), 30, label="warm-up longer than training")
    c.add(0.0123, WT(7, 33, power=2.0), 40, start=5, label="start inside warm-up")
    c.add(3e-4, WT(100, 2000, lr_end=1e-6), 5, start=1000, label="large start")
    c.add(0.1, WT(2, 1000), 1, label="single epoch")
    c.add(1, WT(2, 10, lr_end=0.1), 12, label="int lr")
    c.add([0.1, 0.01], WT(5, 20, lr_end=0.001), 25, label="two groups, lr_end relative to group 0")
    c.add([5e-5, 1e-4, 3e-3], WT(10, 60, power=2.0), 70, label="three groups")
    c.add([1.0, 0.5], WT(0, 30, lr_end=0.2), 30, start=3, label="two groups, start 3")
    c.add([0.0123, 0.2], WT(20, 10), 25, label="two groups, warm-up longer than training")
    c.add(0.1, WT(10, 10), 20, label="num_training_steps == num_warmup_steps divides by zero")
    c.add(0.1, WT(0, 0), 5, label="W = T = 0 divides by zero at construction")
    c.add(0.1, WT(0, 10, power=-1.0), 15, label="negative power raises at T")
    c.add(5e-8, WT(5, 50), 10, label="lr below default lr_end rejected")
    c.add(0.1, WT(5, 50, lr_end=0.1), 10, label="lr_end equal to lr rejected")
    c.add([0.01, 0.5], WT(5, 50, lr_end=0.05), 10, label="lr_end checked against group 0 only")
    c.add(0.1, WT(None, 100), 10, label="missing num_warmup_steps")
    c.add(0.1, WT(10, None), 10, label="missing num_training_steps")
    c.add(0.1, WT(10, 100, num_cycles=2), 10, label="unexpected keyword")
    return c


def cases_constant():
    c = CaseList("constant")
    for i, (lr, ep) in enumerate([
        (0.1, 10), (5e-5, 50), (1.0, 20), (3e-4, 100), (0.0123, 30), (2e-5, 400), (0.5, 1000), (1e-3, 1),
    ]):
        c.add(lr, {}, ep, start=0 if i % 3 == 0 else None)
    c.add(0.1, WT(10, None), 20, label="num_warmup_steps ignored")
    c.add(0.1, WT(None, 5), 20, label="num_training_steps ignored")
    c.add(0.1, WT(10, 5), 20, label="both ignored")
    c.add(0.1, {"num_cycles": 3, "lr_end": 0.5}, 10, label="scheduler-specific keywords ignored")
    c.add(0.1, {"foo": "bar"}, 10, label="unknown keyword ignored")
    c.add(0.1, WT(-3, -3), 10, label="negative steps ignored")
    c.add(0.1, {}, 20, start=7)
    c.add(0.1, {}, 5, start=1000, label="large start")
    c.add(1, {}, 5, label="int lr")
    c.add(0.0, {}, 5, label="zero lr")
    c.add(1e-300, {}, 5, label="tiny lr")
    c.add(123.456, {}, 5, label="large lr")
    c.add([0.1, 0.01], {}, 10, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], WT(10, 100), 12, label="three groups, steps ignored")
    c.add([1.0, 0.5], {}, 10, start=3, label="two groups, start 3")
    c.add([0.0123, 0.2, 0.7], {"num_cycles": 2}, 8, label="three groups, keyword ignored")
    c.add([1, 0.5], {}, 5, label="two groups, int lr")
    c.add([0.3], {}, 5, label="one-element lr list")
    return c


def cases_constant_with_warmup():
    c = CaseList("constant_with_warmup")
    for i, (w, lr, ep) in enumerate([
        (10, 5e-5, 20), (0, 0.1, 10), (100, 3e-4, 1000), (5, 0.0123, 45), (3, 1.0, 20),
        (40, 2e-5, 400), (13, 0.5, 30), (1, 1e-3, 5),
    ]):
        c.add(lr, WT(w, None), ep, start=0 if i % 3 == 0 else None)
    c.add(0.5, WT(1000, None), 1000, label="long warm-up")
    c.add(0.07, WT(2, None), 5, label="warm-up 2")
    c.add(1e-4, WT(50, None), 60, start=0, label="warm-up 50")
    c.add(0.1, WT(10, 5), 20, label="num_training_steps ignored")
    c.add(0.1, WT(10, 100), 120, label="evaluated past num_training_steps")
    c.add(0.1, WT(10, None, num_cycles=3), 15, label="scheduler-specific keywords ignored")
    c.add(0.1, WT(10, None, foo="bar"), 15, label="unknown keyword ignored")
    c.add(0.1, WT(-4, None), 5, label="negative warm-up")
    c.add(0.1, WT(7, None), 20, start=4, label="start inside warm-up")
    c.add(0.1, WT(2000, None), 5, start=1000, label="large start inside warm-up")
    c.add(0.1, WT(3, None), 1, label="single epoch")
    c.add(1, WT(4, None), 8, label="int lr")
    c.add(0.1, WT(3, None), 10, label="warm-up 3 (thirds)")
    c.add(0.1, WT(7, None), 10, label="warm-up 7 (sevenths)")
    c.add([0.1, 0.01], WT(5, None), 10, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], WT(10, 50), 15, label="three groups")
    c.add([1.0, 0.5], WT(6, None), 10, start=3, label="two groups, start 3")
    c.add([0.0123, 0.2], WT(0, None), 5, label="two groups, no warm-up")
    c.add(0.1, WT(None, 100), 10, label="missing num_warmup_steps")
    return c


def cases_inverse_sqrt():
    c = CaseList("inverse_sqrt")
    for i, (w, lr, ep) in enumerate([
        (10, 5e-5, 100), (100, 3e-4, 1000), (5, 0.0123, 45), (3, 1.0, 20),
        (40, 2e-5, 400), (13, 0.5, 100), (1, 1e-3, 30),
    ]):
        c.add(lr, WT(w, None), ep, start=0 if i % 3 == 0 else None)
    c.add(0.1, WT(0, None), 20, label="no warm-up: timescale 10000")
    c.add(0.1, WT(0, None), 5, start=10000, label="no warm-up, large start at the default timescale")
    c.add(0.07, WT(7, None, timescale=3.5), 30, label="fractional timescale below warm-up")
    c.add(0.1, WT(1000, None), 1000, label="long warm-up")
    c.add(0.1, WT(0, None, timescale=10), 30, label="no warm-up with timescale")
    c.add(0.1, WT(10, None, timescale=100), 120, label="timescale > warm-up")
    c.add(0.1, WT(20, None, timescale=5), 60, label="timescale < warm-up")
    c.add(0.1, WT(8, None, timescale=8), 30, label="timescale = warm-up")
    c.add(0.1, WT(5, None, timescale=2.5), 30, label="fractional timescale")
    c.add(0.1, WT(10, 20), 40, label="num_training_steps ignored")
    c.add(0.1, WT(10, None, timescale=None), 20, label="timescale null defaults to warm-up")
    c.add(0.1, WT(0, None, timescale=None), 20, label="timescale null, no warm-up")
    c.add(0.1, WT(10, None), 20, start=5, label="start inside warm-up")
    c.add(0.1, WT(100, None), 5, start=1000, label="large start")
    c.add(0.1, WT(10, None), 1, label="single epoch")
    c.add(1, WT(4, None), 10, label="int lr")
    c.add(0.1, WT(-3, None), 10, label="negative warm-up: timescale -3 divides by zero at construction")
    c.add([0.1, 0.01], WT(5, None), 20, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], WT(10, None, timescale=30), 40, label="three groups")
    c.add([1.0, 0.5], WT(6, None), 20, start=3, label="two groups, start 3")
    c.add([0.0123, 0.2], WT(0, None), 10, label="two groups, no warm-up")
    c.add(0.1, WT(10, None, timescale=0), 15, label="timescale 0 divides by zero after warm-up")
    c.add(0.1, WT(0, None, timescale=0), 5, label="timescale 0 without warm-up divides by zero at construction")
    c.add(0.1, WT(10, None, timescale=-5), 20, label="negative timescale")
    c.add(0.1, WT(None, 100), 10, label="missing num_warmup_steps")
    c.add(0.1, WT(10, None, num_cycles=2), 10, label="unexpected keyword")
    return c


def cases_plateau():
    c = CaseList("reduce_lr_on_plateau")

    def P(lr, params, epochs, metrics, start=None, label=None):
        c.add(lr, params, epochs, start=start, metrics=metrics, label=label)

    P(0.1, {}, 60, metric_series(59, seed=1), label="defaults")
    P(5e-5, {"patience": 2}, 50, metric_series(49, seed=2), label="patience 2")
    P(1.0, {"patience": 0, "factor": 0.5}, 30, metric_series(29, seed=3, trend=0.0), label="patience 0")
    P(3e-4, {"patience": 5, "factor": 0.3, "min_lr": 1e-5}, 200, metric_series(199, seed=4), label="min_lr")
    P(0.0123, {"patience": 3, "cooldown": 4}, 80, metric_series(79, seed=5), label="cooldown")
    P(0.1, {"mode": "max", "patience": 2}, 60, metric_series(59, seed=6, trend=0.01), label="mode max")
    P(0.1, {"mode": "max", "patience": 1, "threshold_mode": "abs", "threshold": 0.01}, 60,
      metric_series(59, seed=7, base=0.2, trend=0.004), label="mode max, abs threshold")
    P(0.1, {"threshold_mode": "abs", "threshold": 0.005, "patience": 2}, 60, metric_series(59, seed=8), label="abs threshold")
    P(0.1, {"threshold": 0.05, "patience": 2}, 60, metric_series(59, seed=9), label="large rel threshold")
    P(0.1, {"threshold": 0.0, "patience": 1}, 40, metric_series(39, seed=10), label="threshold 0")
    P(0.1, {"patience": 0, "factor": 0.5, "eps": 0.01}, 20, metric_series(19, seed=11, trend=0.0), label="large eps stops reductions")
    P(1e-6, {"patience": 0, "factor": 0.5, "eps": 1e-8}, 20, [1.0] * 19, label="eps prevents tiny reductions")
    P(0.1, {"patience": 1, "factor": 0.9}, 120, metric_series(119, seed=12, base=0.05, trend=-0.002),
      label="metrics cross zero (rel mode, negative best)")
    P(0.1, {"patience": 1, "min_lr": 0.02, "factor": 0.5}, 40, [1.0] * 39, label="flat metrics reach min_lr")
    P(0.1, {"patience": 4, "factor": 0.7, "cooldown": 2, "min_lr": 1e-4}, 1000, metric_series(999, seed=13, trend=-0.001),
      label="long run")
    P(0.1, {"patience": 2}, 20, metric_series(29, seed=14), start=8, label="start 8")
    P(0.1, {"patience": 10, "factor": 0.5}, 5, metric_series(1004, seed=15, trend=-0.0005), start=1000, label="large start")
    P(0.1, {"patience": 2}, 1, [], label="single epoch, no metrics")
    P(0.1, WT(10, 100, patience=1, factor=0.5), 20, [1.0] * 19, label="num_warmup_steps and num_training_steps ignored")
    P(1, {"patience": 1, "factor": 0.5}, 12, [3, 3, 2, 2, 2, 1, 1, 1, 1, 0, 0], label="int lr and int metrics")
    P([0.1, 0.01], {"patience": 1, "factor": 0.5}, 30, metric_series(29, seed=16), label="two groups")
    P([0.1, 0.01, 0.001], {"patience": 1, "factor": 0.5, "min_lr": [0.05, 0.002, 1e-5]}, 40, [1.0] * 39,
      label="three groups, per-group min_lr")
    P([1.0, 0.5], {"patience": 2, "factor": 0.1, "min_lr": 0.01}, 40, metric_series(44, seed=17), start=5,
      label="two groups, start 5")
    P([5e-5, 3e-4], {"patience": 0, "factor": 0.5, "eps": 1e-5}, 20, [1.0] * 19,
      label="two groups, eps blocks the smaller group only")
    P([0.0123, 0.2], {"patience": 3, "mode": "max", "cooldown": 1, "min_lr": [0.001, 0.05]}, 60,
      metric_series(59, seed=18, trend=0.01), label="two groups, mode max, min_lr list")
    P(0.1, {"patience": 1, "factor": 0.0, "min_lr": 1e-3}, 10, [1.0] * 9, label="factor 0 drops to min_lr")
    P(0.0123, {"patience": 0, "factor": 0.25, "cooldown": 2, "min_lr": 1e-4, "threshold_mode": "abs", "threshold": 0.0}, 40,
      metric_series(39, seed=19, base=0.0, trend=-0.01), label="abs threshold 0, negative metrics")
    P(0.1, {"factor": 1.0}, 10, [1.0] * 9, label="factor 1.0 rejected")
    P(0.1, {"mode": "avg"}, 10, [1.0] * 9, label="unknown mode rejected")
    P(0.1, {"threshold_mode": "pct"}, 10, [1.0] * 9, label="unknown threshold_mode rejected")
    P([0.1, 0.01], {"min_lr": [0.1, 0.2, 0.3]}, 10, [1.0] * 9, label="min_lr list of wrong length rejected")
    P(0.1, {"step_size": 3}, 10, [1.0] * 9, label="unexpected keyword")
    return c


def cases_cosine_min_lr():
    c = CaseList("cosine_with_min_lr")
    for i, (w, t, lr, ep, kw) in enumerate([
        (10, 100, 5e-5, 100, {"min_lr": 1e-6}), (0, 50, 0.1, 50, {"min_lr_rate": 0.1}),
        (100, 1000, 3e-4, 1000, {"min_lr": 3e-5}), (5, 40, 0.0123, 45, {"min_lr_rate": 0.05}),
        (3, 17, 1.0, 20, {"min_lr": 0.1}), (40, 400, 2e-5, 400, {"min_lr_rate": 0.01}),
        (13, 97, 0.5, 100, {"min_lr": 0.05}),
    ]):
        c.add(lr, WT(w, t, **kw), ep, start=0 if i % 3 == 0 else None)
    c.add(0.1, WT(5, 45, min_lr=0.0), 50, label="min_lr 0")
    c.add(0.1, WT(5, 45, min_lr_rate=0.0), 50, label="min_lr_rate 0")
    c.add(0.1, WT(5, 45, min_lr_rate=1.0), 50, label="min_lr_rate 1 (constant after warm-up)")
    c.add(0.1, WT(5, 45, min_lr=0.01, num_cycles=1.5), 50, label="fractional num_cycles 1.5")
    c.add(0.1, WT(10, 110, min_lr_rate=0.1, num_cycles=2.3), 120, label="fractional num_cycles 2.3")
    c.add(0.1, WT(0, 30, min_lr=0.01, num_cycles=1), 40, label="num_cycles 1")
    c.add(0.1, WT(5, 40, min_lr=0.001), 100, label="evaluated past num_training_steps")
    c.add(0.1, WT(20, 10, min_lr_rate=0.1), 30, label="warm-up longer than training")
    c.add(0.1, WT(10, 10, min_lr=0.01), 20, label="num_training_steps == num_warmup_steps")
    c.add(0.1, WT(0, 20, min_lr=0.2), 25, label="min_lr above lr")
    c.add(0.1, WT(0, 20, min_lr=-0.05), 25, label="negative min_lr clamps at 0")
    c.add(0.0123, WT(7, 33, min_lr=1e-4), 40, start=5, label="start inside warm-up")
    c.add(3e-4, WT(100, 2000, min_lr_rate=0.1), 5, start=1000, label="large start")
    c.add(0.1, WT(2, 1000, min_lr=0.0), 1, label="single epoch")
    c.add(1, WT(0, 4, min_lr=0), 6, label="int lr and int min_lr")
    c.add([0.1, 0.01], WT(5, 20, min_lr=0.01), 25, label="two groups, min_lr relative to group 0")
    c.add([5e-5, 1e-4, 3e-3], WT(10, 60, min_lr_rate=0.1), 70, label="three groups, min_lr_rate")
    c.add([1.0, 0.5], WT(0, 30, min_lr=0.1, num_cycles=1.5), 30, start=3, label="two groups, start 3")
    c.add([0.0123, 0.2], WT(20, 10, min_lr_rate=0.2), 25, label="two groups, warm-up longer than training")
    c.add(0.1, WT(5, 50), 10, label="neither min_lr nor min_lr_rate")
    c.add(0.1, WT(5, 50, min_lr=0.01, min_lr_rate=0.1), 10, label="both min_lr and min_lr_rate")
    c.add(0.0, WT(5, 50, min_lr=0.01), 10, label="min_lr with lr 0 divides by zero")
    c.add(0.1, WT(None, 100, min_lr=0.01), 10, label="missing num_warmup_steps")
    c.add(0.1, WT(10, None, min_lr=0.01), 10, label="missing num_training_steps")
    c.add(0.1, WT(10, 100, min_lr=0.01, warmup_lr_rate=0.1), 10, label="unexpected keyword")
    return c


def cases_cosine_warmup_min_lr():
    c = CaseList("cosine_warmup_with_min_lr")
    for i, (w, t, lr, ep, kw) in enumerate([
        (10, 100, 5e-5, 100, {"min_lr": 1e-6}), (0, 50, 0.1, 50, {"min_lr_rate": 0.1}),
        (100, 1000, 3e-4, 1000, {"min_lr": 3e-5}), (5, 40, 0.0123, 45, {"min_lr_rate": 0.05}),
        (3, 17, 1.0, 20, {"min_lr": 0.1}), (40, 400, 2e-5, 400, {"min_lr_rate": 0.01}),
        (13, 97, 0.5, 100, {"min_lr": 0.05}),
    ]):
        c.add(lr, WT(w, t, **kw), ep, start=0 if i % 3 == 0 else None)
    c.add(0.1, WT(10, 50, min_lr_rate=0.1, warmup_lr_rate=0.1), 55, label="warmup_lr_rate 0.1")
    c.add(0.1, WT(10, 50, min_lr_rate=0.1, warmup_lr_rate=0.0), 55, label="warmup_lr_rate 0")
    c.add(0.1, WT(1, 20, min_lr=0.01, warmup_lr_rate=0.5), 25, label="warmup_lr_rate with warm-up 1")
    c.add(0.1, WT(1, 20, min_lr=0.01), 25, label="warm-up 1")
    c.add(0.1, WT(5, 45, min_lr_rate=1.0), 50, label="min_lr_rate 1")
    c.add(0.1, WT(5, 45, min_lr=0.01, num_cycles=1.5), 50, label="fractional num_cycles 1.5")
    c.add(0.1, WT(10, 110, min_lr_rate=0.1, num_cycles=2.3), 120, label="fractional num_cycles 2.3")
    c.add(0.1, WT(5, 40, min_lr=0.001), 100, label="evaluated past num_training_steps")
    c.add(0.1, WT(20, 10, min_lr_rate=0.1), 30, label="warm-up longer than training")
    c.add(0.1, WT(10, 10, min_lr=0.01), 20, label="num_training_steps == num_warmup_steps")
    c.add(0.1, WT(0, 0, min_lr=0.01), 5, label="W = T = 0")
    c.add(0.1, WT(0, 20, min_lr=-0.05), 25, label="negative min_lr clamps at 0")
    c.add(0.0123, WT(7, 33, min_lr=1e-4, warmup_lr_rate=0.2), 40, start=5, label="start inside warm-up")
    c.add(3e-4, WT(100, 2000, min_lr_rate=0.1), 5, start=1000, label="large start")
    c.add(0.1, WT(2, 1000, min_lr=0.0), 1, label="single epoch")
    c.add(1, WT(2, 6, min_lr=0), 8, label="int lr and int min_lr")
    c.add([0.1, 0.01], WT(5, 20, min_lr=0.01), 25, label="two groups, min_lr relative to group 0")
    c.add([5e-5, 1e-4, 3e-3], WT(10, 60, min_lr_rate=0.1, warmup_lr_rate=0.05), 70, label="three groups")
    c.add([1.0, 0.5], WT(0, 30, min_lr=0.1, num_cycles=1.5), 30, start=3, label="two groups, start 3")
    c.add([0.0123, 0.2], WT(20, 10, min_lr_rate=0.2), 25, label="two groups, warm-up longer than training")
    c.add(0.1, WT(5, 50), 10, label="neither min_lr nor min_lr_rate")
    c.add(0.1, WT(5, 50, min_lr=0.01, min_lr_rate=0.1), 10, label="both min_lr and min_lr_rate")
    c.add(0.1, WT(None, 100, min_lr=0.01), 10, label="missing num_warmup_steps")
    c.add(0.1, WT(10, None, min_lr=0.01), 10, label="missing num_training_steps")
    c.add(0.1, WT(10, 100, min_lr=0.01, power=2.0), 10, label="unexpected keyword")
    return c


def cases_wsd():
    c = CaseList("warmup_stable_decay")
    for i, (w, t, lr, ep, kw) in enumerate([
        (10, 100, 5e-5, 100, {"num_decay_steps": 20}),
        (0, 50, 0.1, 50, {"num_decay_steps": 10}),
        (100, 1000, 3e-4, 1000, {"num_decay_steps": 200}),
        (5, 40, 0.0123, 45, {"num_decay_steps": 15, "min_lr_ratio": 0.1}),
        (40, 400, 2e-5, 400, {"num_decay_steps": 100, "decay_type": "linear"}),
    ]):
        c.add(lr, WT(w, t, **kw), ep, start=0 if i % 3 == 0 else None)
    for wt in ("linear", "cosine", "1-sqrt"):
        for dt in ("linear", "cosine", "1-sqrt"):
            c.add(0.1, WT(8, 40, num_decay_steps=12, warmup_type=wt, decay_type=dt, min_lr_ratio=0.05), 45,
                  label=f"warmup_type {wt}, decay_type {dt}")
    c.add(0.1, WT(10, None, num_stable_steps=20, num_decay_steps=10), 50, label="num_stable_steps given, no T")
    c.add(0.1, WT(10, 100, num_stable_steps=20, num_decay_steps=10), 50, label="num_stable_steps given wins over T")
    c.add(0.1, WT(10, 25, num_decay_steps=20), 35, label="derived num_stable_steps negative")
    c.add(0.1, WT(5, 30, num_decay_steps=0), 35, label="num_decay_steps 0")
    c.add(0.1, WT(5, 30, num_decay_steps=10, decay_type="cosine", num_cycles=1.0), 35, label="cosine decay num_cycles 1")
    c.add(0.1, WT(5, 30, num_decay_steps=10, decay_type="cosine", num_cycles=0.3), 35, label="cosine decay num_cycles 0.3")
    c.add(0.1, WT(5, 30, num_decay_steps=10, min_lr_ratio=0.2), 40, label="past the end holds min_lr_ratio")
    c.add(0.1, WT(5, 30, num_decay_steps=10, min_lr_ratio=1), 35, label="int min_lr_ratio 1")
    c.add(0.1, WT(5, 30, num_decay_steps=10, min_lr_ratio=-0.1), 40, label="negative min_lr_ratio clamps at 0")
    c.add(0.1, WT(0, 10, num_decay_steps=10, decay_type="1-sqrt"), 12, label="decay only")
    c.add(0.0123, WT(7, 33, num_decay_steps=10, warmup_type="cosine"), 40, start=5, label="start inside warm-up")
    c.add(3e-4, WT(100, 2000, num_decay_steps=500), 5, start=1600, label="large start in decay")
    c.add(0.1, WT(2, 1000, num_decay_steps=10), 1, label="single epoch")
    c.add(1, WT(2, 10, num_decay_steps=4), 12, label="int lr")
    c.add([0.1, 0.01], WT(5, 20, num_decay_steps=5, min_lr_ratio=0.1), 25, label="two groups")
    c.add([5e-5, 1e-4, 3e-3], WT(10, 60, num_decay_steps=20, warmup_type="1-sqrt"), 70, label="three groups")
    c.add([1.0, 0.5], WT(0, 30, num_decay_steps=10, decay_type="linear"), 30, start=3, label="two groups, start 3")
    c.add([0.0123, 0.2], WT(4, None, num_stable_steps=3, num_decay_steps=6), 16, label="two groups, num_stable_steps")
    c.add(0.1, WT(10, None, num_decay_steps=10), 10, label="neither num_training_steps nor num_stable_steps")
    c.add(0.1, WT(10, 50), 10, label="missing num_decay_steps")
    c.add(0.1, WT(10, 50, num_decay_steps=10, warmup_type="exp"), 10, label="unknown warmup_type")
    c.add(0.1, WT(10, 50, num_decay_steps=10, decay_type="exp"), 10, label="unknown decay_type")
    c.add(0.1, WT(None, 50, num_decay_steps=10), 10, label="missing num_warmup_steps")
    c.add(0.1, WT(10, 50, num_decay_steps=10, power=2.0), 10, label="unexpected keyword")
    return c


def cases_greedy():
    c = CaseList("greedy")

    def G(lr, params, epochs, metrics, start=None, label=None):
        c.add(lr, params, epochs, start=start, metrics=metrics, label=label)

    down = [round(1.0 - 0.01 * i, 6) for i in range(400)]
    up = [round(0.1 + 0.01 * i, 6) for i in range(400)]
    G(0.1, {}, 60, metric_series(59, seed=21), label="defaults")
    G(0.1, {}, 40, down[:39], label="defaults, steady improvement increases lr")
    G(0.1, {}, 40, [1.0] * 39, label="defaults, flat metrics reduce lr")
    G(5e-5, {}, 40, down[:39], label="lr below default min_lr")
    G(5e-5, {"patience": 1}, 40, [1.0] * 39, label="lr below default min_lr, flat (never reduced)")
    G(1.0, {"patience": 2, "factor": 0.5}, 50, metric_series(49, seed=22), label="factor 0.5")
    G(3e-4, {"patience": 3, "min_lr": 1e-5, "max_lr": 1e-2}, 200, metric_series(199, seed=23), label="min_lr and max_lr")
    G(0.0123, {"patience": 2, "cooldown": 3}, 80, metric_series(79, seed=24), label="cooldown")
    G(0.0123, {"patience": 1, "warmup": 4}, 60, down[:59], label="warmup after increases")
    G(0.1, {"patience": 2, "mode": "max"}, 60, metric_series(59, seed=25, trend=0.01), label="mode max")
    G(0.1, {"patience": 1, "mode": "max"}, 30, up[:29], label="mode max, steady improvement")
    G(0.1, {"patience": 2, "threshold_mode": "rel", "threshold": 0.01}, 60, metric_series(59, seed=26), label="rel threshold")
    G(0.1, {"patience": 2, "threshold": 0.02}, 60, metric_series(59, seed=27), label="large abs threshold")
    G(0.1, {"patience": 1, "mode": "max", "threshold_mode": "rel", "threshold": 0.001}, 60,
      metric_series(59, seed=28, base=-0.5, trend=0.01), label="mode max rel, metrics cross zero")
    G(0.5, {"patience": 0, "factor": 0.8, "max_lr": 0.6}, 20, down[:19], label="max_lr cap reached")
    G(0.1, {"patience": 0, "factor": 0.5, "min_lr": 0.02, "reset_start": 3}, 30, [1.0] * 29,
      label="min_lr reached, reset after 3 reductions at min")
    G(0.1, {"patience": 1, "factor": 0.5, "min_lr": 0.01, "reset_start": 2}, 60, metric_series(59, seed=29, trend=0.0),
      label="reset with noisy metrics")
    G(0.1, {"patience": 0, "factor": 0.5, "min_lr": 0.05, "reset_start": 1}, 20,
      [1.0, 1.0, 1.0, 0.5, 0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2],
      label="reset_start 1 resets on the first reduction at min")
    G(0.1, {"patience": 2, "smooth": True, "window_size": 5}, 80, metric_series(79, seed=30, noise=0.1), label="smooth, window 5")
    G(0.1, {"patience": 1, "smooth": True, "window_size": 1}, 40, metric_series(39, seed=31), label="smooth, window 1")
    G(0.1, {"patience": 1, "smooth": True, "factor": 0.5, "min_lr": 0.02, "reset_start": 2, "window_size": 3}, 60,
      metric_series(59, seed=32, trend=0.0, noise=0.05), label="smooth with reset (window restarts)")
    G(0.1, {"patience": 0, "factor": 0.5, "eps": 0.03}, 20, [1.0] * 19, label="large eps stops reductions")
    G(0.1, {"patience": 0, "factor": -0.5}, 20, [1.0] * 19, label="negative factor drops to min_lr")
    G(0.1, {"patience": 1, "factor": 0.0}, 10, [1.0] * 9, label="factor 0 drops to min_lr")
    G(0.1, {"patience": 3, "factor": 0.9, "min_lr": 1e-4, "max_lr": 0.5, "cooldown": 2, "warmup": 2, "reset_start": 20}, 1000,
      metric_series(999, seed=33, trend=-0.002), label="long run")
    G(0.1, {"patience": 2}, 20, metric_series(29, seed=34), start=8, label="start 8")
    G(0.1, {"patience": 5, "factor": 0.9, "reset_start": 10}, 5, metric_series(1004, seed=35, trend=-0.0005),
      start=1000, label="large start")
    G(0.1, {"patience": 2}, 1, [], label="single epoch, no metrics")
    G(0.1, WT(10, 100, patience=1), 20, [1.0] * 19, label="num_warmup_steps and num_training_steps ignored")
    G(1, {"patience": 1, "factor": 0.5}, 12, [3, 3, 2, 2, 2, 1, 1, 1, 1, 0, 0], label="int lr and int metrics")
    G(2.0, {"patience": 0, "factor": 0.5}, 10, down[:9], label="lr above max_lr never increases")
    G([0.1, 0.01], {"patience": 1, "factor": 0.5}, 30, metric_series(29, seed=36), label="two groups")
    G([0.1, 0.01, 0.001], {"patience": 0, "factor": 0.5, "min_lr": [0.05, 0.002, 1e-4], "reset_start": 4}, 40,
      [1.0] * 39, label="three groups, per-group min_lr, reset when all at min")
    G([0.2, 0.05], {"patience": 0, "factor": 0.5, "max_lr": [0.5, 0.3]}, 20, down[:19], label="two groups, per-group max_lr")
    G([1.0, 0.5], {"patience": 2, "factor": 0.7, "min_lr": 0.01}, 40, metric_series(44, seed=37), start=5,
      label="two groups, start 5")
    G([5e-5, 0.3], {"patience": 0, "factor": 0.5, "eps": 1e-5}, 20, [1.0] * 19,
      label="two groups, one below min_lr")
    G(0.1, {"patience": 0, "factor": 0.0}, 10, down[:9], label="factor 0 divides by zero on increase")
    G(0.1, {"factor": 1.0}, 10, [1.0] * 9, label="factor 1.0 rejected")
    G(0.1, {"mode": "avg"}, 10, [1.0] * 9, label="unknown mode rejected")
    G(0.1, {"threshold_mode": "pct"}, 10, [1.0] * 9, label="unknown threshold_mode rejected")
    G([0.1, 0.01], {"min_lr": [0.1, 0.2, 0.3]}, 10, [1.0] * 9, label="min_lr list of wrong length rejected")
    G([0.1, 0.01], {"max_lr": [0.5]}, 10, [1.0] * 9, label="max_lr list of wrong length rejected")
    G(0.1, {"step_size": 3}, 10, [1.0] * 9, label="unexpected keyword")
    return c


CASE_BUILDERS = {
    "linear": cases_linear,
    "cosine": cases_cosine,
    "cosine_with_restarts": cases_restarts,
    "polynomial": cases_polynomial,
    "constant": cases_constant,
    "constant_with_warmup": cases_constant_with_warmup,
    "inverse_sqrt": cases_inverse_sqrt,
    "reduce_lr_on_plateau": cases_plateau,
    "cosine_with_min_lr": cases_cosine_min_lr,
    "cosine_warmup_with_min_lr": cases_cosine_warmup_min_lr,
    "warmup_stable_decay": cases_wsd,
    "greedy": cases_greedy,
}


def check_metrics(name: str, spec: dict) -> None:
    """A metric-driven spec must carry a metric for every step it replays."""
    if spec["scheduler"] in METRIC_DRIVEN:
        need = spec.get("start", 0) + spec["epochs"] - 1
        assert len(spec["metrics"]) >= need, (name, len(spec["metrics"]), need)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    args = parser.parse_args(argv)

    logging.disable(logging.WARNING)
    tf_version = transformers.__version__.split("+")[0]
    torch_version = torch.__version__.split("+")[0]
    if tf_version != EXPECTED_TRANSFORMERS or torch_version != EXPECTED_TORCH:
        print(f"warning: transformers {transformers.__version__} / torch {torch.__version__} installed, "
              f"fixtures expect {EXPECTED_TRANSFORMERS} / {EXPECTED_TORCH}", file=sys.stderr)

    t0 = time.perf_counter()
    total_bytes = write_fixture_files(
        args.out, SCHEDULERS, CASE_BUILDERS, run_spec,
        lambda scheduler: {"transformers": tf_version, "torch": torch_version, "scheduler": scheduler},
        check_spec=check_metrics,
    )
    print(f"total {total_bytes:,d} bytes in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
