#!/usr/bin/env python3
"""Generate golden learning-rate fixtures from real PyTorch.

What it does
------------
For every scheduler in ``torch.optim.lr_scheduler`` that the lrsched service
supports, this script builds a list of request specs (the exact JSON bodies the
service accepts), runs each one through the installed torch, and writes the
resulting learning rates to

    Tests/SchedulesTests/Fixtures/torch/<SchedulerName>.json   (15 files)
    Tests/SchedulesTests/Fixtures/torch/seed.json              (seed example)

The Swift tests compare the service's output with these files bit for bit, so
every float is written with Python's ``repr`` (via ``json.dumps``), which
round-trips exactly.

How to run
----------
From the repository root::

    python3 scripts/generate_torch_fixtures.py

Optional: ``--out DIR`` writes the files somewhere else. The fixtures record
``torch.__version__`` without its local suffix (e.g. ``2.15.0``); a warning is
printed when it is not 2.15.0. The output is deterministic: no timestamps, and
every pseudo-random metric series comes from a fixed-seed ``random.Random``.
CPU only; it runs in a few seconds.

Request contract (a fixture ``spec`` is exactly a request body)
---------------------------------------------------------------
``{"scheduler": NAME, "lr": LR, "params": {...}, "epochs": N, "start": S}``

* The optimizer is ``torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))],
  lr=LR)``; when ``lr`` is omitted (only done for CyclicLR / OneCycleLR) SGD's
  default ``lr=0.001`` is used.
* ``params`` are the scheduler's constructor keyword arguments. For
  LambdaLR / MultiplicativeLR ``params.lr_lambda`` is a Python expression in
  ``epoch`` that is turned into ``lambda epoch: <expr>`` with a restricted
  namespace (see ``make_lambda``). For SequentialLR / ChainedScheduler
  ``params.schedulers`` is a list of ``{"scheduler": ..., "params": ...}``
  children, built in order on the same optimizer (recursively).
* Value k (0 <= k < epochs) is ``scheduler.get_last_lr()[0]`` after
  ``start + k`` calls of ``scheduler.step()`` since construction. For
  ReduceLROnPlateau it is ``optimizer.param_groups[0]["lr"]`` after ``start + k``
  calls of ``step(metrics[i])``, i = 0, 1, ...
* ``optimizer.step()`` is called before every ``scheduler.step()``.

Fixture case format
-------------------
``{"name": ..., "spec": {...}, "lrs": [epochs floats]}`` for a clean run, or
``{"name": ..., "spec": {...}, "error": MSG, "error_step": K}`` when:

* torch raises while constructing: ``error_step`` is null;
* torch raises during the K-th ``step()`` call (counted from construction, the
  ``start`` prefix included): ``error_step`` is K;
* a value is NaN or +-inf: ``error`` is ``"non-finite"`` and ``error_step`` is
  the step count at which the first non-finite value appeared (0 = right after
  construction). Every value from construction onwards is checked, including
  the ones in the ``start`` prefix that are not reported.

``MSG`` is ``"<ExceptionClass>: <str(exception)>"``, or just
``"<ExceptionClass>"`` when ``str(exception)`` is empty (as Python's traceback
prints it).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
import warnings

import torch

from fixture_support import write_fixture_files, build_scheduler, dump_fixture, roundtrip
from torch.optim import lr_scheduler as lrs

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "torch")
EXPECTED_TORCH = "2.15.0"

SCHEDULERS = [
    "LambdaLR",
    "MultiplicativeLR",
    "StepLR",
    "MultiStepLR",
    "ConstantLR",
    "LinearLR",
    "ExponentialLR",
    "PolynomialLR",
    "CosineAnnealingLR",
    "ChainedScheduler",
    "SequentialLR",
    "ReduceLROnPlateau",
    "CyclicLR",
    "OneCycleLR",
    "CosineAnnealingWarmRestarts",
]

def format_error(exc: BaseException) -> str:
    msg = str(exc)
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def run_spec(spec: dict) -> dict:
    """Run ``spec`` through torch; return ``{"lrs": [...]}`` or an error dict."""
    name = spec["scheduler"]
    epochs = spec["epochs"]
    start = spec.get("start", 0)
    metrics = spec.get("metrics")
    plateau = name == "ReduceLROnPlateau"

    param = torch.nn.Parameter(torch.zeros(1))
    if "lr" in spec:
        optimizer = torch.optim.SGD([param], lr=spec["lr"])
    else:
        optimizer = torch.optim.SGD([param])

    def current() -> float:
        if plateau:
            return float(optimizer.param_groups[0]["lr"])
        return float(sched.get_last_lr()[0])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            sched = build_scheduler(optimizer, name, spec.get("params", {}))
        except Exception as exc:  # noqa: BLE001 - torch's exception is the fixture
            return {"error": format_error(exc), "error_step": None}

        values = []
        value = current()
        if not math.isfinite(value):
            return {"error": "non-finite", "error_step": 0}
        if start == 0:
            values.append(value)
        for n in range(1, start + epochs):
            optimizer.step()
            try:
                if plateau:
                    sched.step(metrics[n - 1])
                else:
                    sched.step()
            except Exception as exc:  # noqa: BLE001
                return {"error": format_error(exc), "error_step": n}
            value = current()
            if not math.isfinite(value):
                return {"error": "non-finite", "error_step": n}
            if n >= start:
                values.append(value)

    assert len(values) == epochs, (spec, len(values))
    return {"lrs": values}


# ---------------------------------------------------------------------------
# Spec helpers
# ---------------------------------------------------------------------------

_MISSING = object()


def S(scheduler, params, epochs, lr=_MISSING, start=None, metrics=None):
    """Build a request spec with a stable key order."""
    spec = {"scheduler": scheduler}
    if lr is not _MISSING:
        spec["lr"] = lr
    spec["params"] = params
    spec["epochs"] = epochs
    if start is not None:
        spec["start"] = start
    if metrics is not None:
        spec["metrics"] = metrics
    return spec


def C(scheduler, **params):
    """A composite child entry."""
    return {"scheduler": scheduler, "params": params}


def fmt(v) -> str:
    if isinstance(v, dict) and "scheduler" in v:
        return v["scheduler"] + "(" + " ".join(f"{k}={fmt(x)}" for k, x in v.get("params", {}).items()) + ")"
    if isinstance(v, list):
        return "[" + ",".join(fmt(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def describe(spec) -> str:
    """Default case name: the params, lr, epochs and start of the spec."""
    parts = [f"{k}={fmt(v)}" for k, v in spec["params"].items()]
    parts.append(f"lr={spec['lr']}" if "lr" in spec else "lr omitted")
    parts.append(f"epochs={spec['epochs']}")
    if "start" in spec:
        parts.append(f"start={spec['start']}")
    return " ".join(parts)


class CaseList:
    def __init__(self, scheduler):
        self.scheduler = scheduler
        self.items = []

    def add(self, spec, label=None):
        assert spec["scheduler"] == self.scheduler, spec
        name = describe(spec) if label is None else f"{label}: {describe(spec)}"
        self.items.append((name, spec))


# ---------------------------------------------------------------------------
# Metric series for ReduceLROnPlateau
# ---------------------------------------------------------------------------


def m_flat(n, v=1.0):
    return [v] * n


def m_decreasing(n, start=1.0, step=0.01):
    return [round(start - step * i, 10) for i in range(n)]


def m_increasing(n, start=0.1, step=0.02):
    return [round(start + step * i, 10) for i in range(n)]


def m_noisy(n, seed, base=1.0, trend=-0.005, noise=0.02):
    rng = random.Random(seed)
    return [round(base + trend * i + rng.uniform(-noise, noise), 6) for i in range(n)]


def m_plateaus(n, levels=(1.0, 0.8, 0.8, 0.6, 0.6, 0.6, 0.5), width=7):
    out = []
    i = 0
    while len(out) < n:
        out.extend([levels[min(i, len(levels) - 1)]] * width)
        i += 1
    return out[:n]


def m_decay_then_flat(n, k):
    return [round(1.0 / (1 + i), 10) if i < k else round(1.0 / (1 + k), 10) for i in range(n)]


# ---------------------------------------------------------------------------
# Case definitions, one function per scheduler
# ---------------------------------------------------------------------------


def cases_lambda():
    c = CaseList("LambdaLR")
    L = lambda expr: {"lr_lambda": expr}  # noqa: E731
    c.add(S("LambdaLR", L("0.95 ** epoch"), 50, lr=0.1))
    c.add(S("LambdaLR", L("1 / (1 + epoch)"), 40, lr=0.05, start=0))
    c.add(S("LambdaLR", L("epoch // 10"), 35, lr=0.1), "int-valued lambda, 0 at epoch 0")
    c.add(S("LambdaLR", L("epoch // 10"), 35, lr=1), "int lr times int lambda")
    c.add(S("LambdaLR", L("(epoch + 1) / 5 if epoch < 5 else 0.9 ** (epoch - 5)"), 60, lr=0.01), "warmup then decay")
    c.add(S("LambdaLR", L("0.5 * (1 + cos(pi * epoch / 50))"), 120, lr=0.1), "cosine past its period")
    c.add(S("LambdaLR", L("min(1.0, (epoch + 1) / 10) * 0.5 * (1 + cos(pi * min(epoch, 100) / 100))"), 120, lr=0.3), "warmup-cosine with min")
    c.add(S("LambdaLR", L("1"), 20, lr=0.3), "constant int 1")
    c.add(S("LambdaLR", L("2"), 20, lr=0.3), "constant int 2 doubles lr")
    c.add(S("LambdaLR", L("epoch"), 25, lr=0.01), "identity lambda, 0 at epoch 0")
    c.add(S("LambdaLR", L("sqrt(epoch + 1)"), 30, lr=0.01))
    c.add(S("LambdaLR", L("exp(-0.05 * epoch)"), 80, lr=0.2))
    c.add(S("LambdaLR", L("log(epoch + 2)"), 30, lr=0.1))
    c.add(S("LambdaLR", L("max(0.01, 1 - epoch / 40)"), 60, lr=0.1))
    c.add(S("LambdaLR", L("abs(sin(epoch / 5))"), 60, lr=0.1))
    c.add(S("LambdaLR", L("tanh(epoch / 10)"), 40, lr=0.1))
    c.add(S("LambdaLR", L("tan(epoch / 100)"), 40, lr=0.1))
    c.add(S("LambdaLR", L("e ** (-epoch / 10)"), 40, lr=0.1))
    c.add(S("LambdaLR", L("1 if epoch < 10 else 0.1 if epoch < 20 else 0.01"), 30, lr=0.1), "nested conditional")
    c.add(S("LambdaLR", L("1.0 if epoch != 7 else 0.5"), 12, lr=0.1), "!= comparison")
    c.add(S("LambdaLR", L("(epoch % 7) / 7"), 30, lr=0.1), "sawtooth with %")
    c.add(S("LambdaLR", L("floor(epoch / 3) * 0.5 + ceil(epoch / 4)"), 30, lr=0.01), "floor and ceil")
    c.add(S("LambdaLR", L("1 - epoch / 20"), 30, lr=0.1), "goes negative past epoch 20")
    c.add(S("LambdaLR", L("10 ** -(epoch // 5)"), 30, lr=0.5), "int power with negative exponent")
    c.add(S("LambdaLR", L("epoch ** 2 / 100"), 25, lr=0.1))
    c.add(S("LambdaLR", L("0.5 ** epoch ** 0.5"), 30, lr=0.1), "precedence: ** is right-associative")
    c.add(S("LambdaLR", L("(-2 ** 2 + 5) * (-epoch // 4 + 10) / 10"), 30, lr=0.1), "precedence: unary minus vs ** and floored //")
    c.add(S("LambdaLR", L("1 + -epoch % 3 / 10"), 20, lr=0.1), "floored modulo of a negative")
    c.add(S("LambdaLR", L("epoch % 2.5 + 7.5 // 2"), 20, lr=0.1), "float % and float //")
    c.add(S("LambdaLR", L("0.99 ** epoch"), 5, lr=0.1, start=1000), "large start")
    c.add(S("LambdaLR", L("(epoch + 1) / 5 if epoch < 5 else 0.9 ** (epoch - 5)"), 20, lr=0.01, start=7), "start inside schedule")
    c.add(S("LambdaLR", L("0.999 ** epoch"), 2000, lr=0.1), "long run")
    c.add(S("LambdaLR", L("1.0 / (epoch - 3)"), 10, lr=0.1), "lambda raises ZeroDivisionError at epoch 3")
    c.add(S("LambdaLR", L("1 / epoch"), 10, lr=0.1), "lambda raises ZeroDivisionError at construction (epoch 0)")
    c.add(S("LambdaLR", L("log(epoch)"), 10, lr=0.1), "lambda raises math domain error at construction")
    c.add(S("LambdaLR", L("epoch % (5 - epoch)"), 10, lr=0.1), "integer modulo by zero at epoch 5")
    c.add(S("LambdaLR", L("exp(epoch)"), 720, lr=0.001), "math.exp overflow raises OverflowError at epoch 710")
    c.add(S("LambdaLR", L("exp(epoch)"), 720, lr=10.0), "lr * exp(epoch) overflows to inf before exp raises (non-finite)")
    c.add(S("LambdaLR", L("1e200 * 1e200 if epoch == 0 else 1"), 10, lr=0.1), "inf at construction (non-finite at 0)")
    c.add(S("LambdaLR", L("1e200 * 1e200 * 0 if epoch >= 4 else 1"), 10, lr=0.1), "not-a-number from inf * 0 at epoch 4")
    c.add(S("LambdaLR", L("1e200 * 1e200 if epoch == 2 else 1"), 5, lr=0.1, start=5), "transient inf inside the start prefix still reports non-finite")
    return c


def cases_multiplicative():
    c = CaseList("MultiplicativeLR")
    L = lambda expr: {"lr_lambda": expr}  # noqa: E731
    c.add(S("MultiplicativeLR", L("0.95"), 50, lr=0.1))
    c.add(S("MultiplicativeLR", L("0.9 if epoch % 10 == 0 else 1.0"), 45, lr=0.1, start=0), "step-like decay")
    c.add(S("MultiplicativeLR", L("1 / epoch"), 15, lr=1.0), "1/epoch is fine: lambda(0) is never called")
    c.add(S("MultiplicativeLR", L("log(epoch)"), 10, lr=0.1), "log(1) = 0 zeroes the lr")
    c.add(S("MultiplicativeLR", L("1"), 20, lr=0.1), "int 1 keeps lr")
    c.add(S("MultiplicativeLR", L("0.999"), 2000, lr=0.1), "long run")
    c.add(S("MultiplicativeLR", L("1.1"), 300, lr=0.01), "growth")
    c.add(S("MultiplicativeLR", L("2"), 1100, lr=0.1), "doubling overflows to inf (non-finite)")
    c.add(S("MultiplicativeLR", L("1e-10"), 40, lr=0.1), "underflow through subnormals to 0")
    c.add(S("MultiplicativeLR", L("exp(-0.01)"), 100, lr=0.1))
    c.add(S("MultiplicativeLR", L("1 - 0.01 * epoch"), 150, lr=0.1), "factor crosses 0, lr alternates sign")
    c.add(S("MultiplicativeLR", L("sqrt(epoch / (epoch + 1))"), 60, lr=0.1))
    c.add(S("MultiplicativeLR", L("max(0.5, 0.99 ** epoch)"), 120, lr=0.1))
    c.add(S("MultiplicativeLR", L("1 + 0.1 * cos(epoch / 10)"), 100, lr=0.1))
    c.add(S("MultiplicativeLR", L("(epoch + 1) / epoch if epoch < 5 else 0.95"), 40, lr=0.02), "warmup ratio then decay")
    c.add(S("MultiplicativeLR", L("0.0"), 10, lr=0.1), "zero factor")
    c.add(S("MultiplicativeLR", L("epoch // 10"), 12, lr=0.1), "int factor 0 at epoch 1")
    c.add(S("MultiplicativeLR", L("min(2, 1 + epoch / 100)"), 150, lr=0.001))
    c.add(S("MultiplicativeLR", L("tanh(epoch)"), 30, lr=0.1))
    c.add(S("MultiplicativeLR", L("abs(sin(epoch))"), 50, lr=0.1))
    c.add(S("MultiplicativeLR", L("0.5 if epoch == 3 else 1.0"), 10, lr=0.1), "single halving at epoch 3")
    c.add(S("MultiplicativeLR", L("-1"), 10, lr=0.1), "negative factor flips sign")
    c.add(S("MultiplicativeLR", L("e ** -0.1"), 30, lr=0.1))
    c.add(S("MultiplicativeLR", L("1 - 1 / (epoch + 10)"), 60, lr=0.1))
    c.add(S("MultiplicativeLR", L("0.999"), 5, lr=0.1, start=1000), "large start")
    c.add(S("MultiplicativeLR", L("0.9"), 20, lr=0.1, start=3))
    c.add(S("MultiplicativeLR", L("0.9"), 1, lr=0.1), "single epoch")
    c.add(S("MultiplicativeLR", L("1.0 / (epoch - 3)"), 10, lr=0.1), "lambda raises ZeroDivisionError at epoch 3")
    c.add(S("MultiplicativeLR", L("sqrt(5 - epoch)"), 10, lr=0.1), "math domain error at epoch 6")
    c.add(S("MultiplicativeLR", L("1.0 / (epoch - 3)"), 5, lr=0.1, start=6), "error raised inside the start prefix")
    c.add(S("MultiplicativeLR", L("exp(epoch) if epoch >= 710 else 1"), 8, lr=0.1, start=705), "math.exp overflow raises OverflowError at epoch 710")
    c.add(S("MultiplicativeLR", L("exp(epoch / 100) / exp((epoch - 1) / 100)"), 50, lr=0.001), "ratio of exponentials")
    c.add(S("MultiplicativeLR", L("0.5 ** (1 / epoch)"), 40, lr=0.1), "power with fractional exponent")
    c.add(S("MultiplicativeLR", L("floor(epoch / 10) * 0.1 + 0.9"), 40, lr=0.1), "floor steps")
    c.add(S("MultiplicativeLR", L("1.02 if epoch < 20 else 0.97"), 60, lr=0.01, start=0), "grow then decay")
    return c


def cases_step():
    c = CaseList("StepLR")
    for i, (ss, g, lr, ep) in enumerate([
        (3, 0.5, 0.1, 20), (10, 0.9, 0.1, 30), (1, 0.9, 0.1, 40), (5, 0.1, 1.0, 30),
        (7, 0.7, 0.05, 50), (30, 0.1, 0.1, 100), (2, 0.95, 0.3, 60), (4, 0.25, 0.02, 25),
        (100, 0.5, 0.1, 300), (12, 0.8, 0.003, 80), (8, 0.6, 0.25, 50), (15, 0.2, 0.01, 60),
        (25, 0.5, 1e-4, 120), (6, 0.9, 0.5, 45),
    ]):
        c.add(S("StepLR", {"step_size": ss, "gamma": g}, ep, lr=lr, start=0 if i % 3 == 0 else None))
    c.add(S("StepLR", {"step_size": 5}, 30, lr=0.1), "gamma defaulted (0.1)")
    c.add(S("StepLR", {"step_size": 3, "gamma": 0.99}, 2000, lr=0.1), "long run")
    c.add(S("StepLR", {"step_size": 50, "gamma": 0.5}, 20, lr=0.1), "step_size beyond epochs")
    c.add(S("StepLR", {"step_size": 2, "gamma": 1.0}, 20, lr=0.1), "gamma 1")
    c.add(S("StepLR", {"step_size": 2, "gamma": 1.5}, 30, lr=0.1), "gamma > 1 grows")
    c.add(S("StepLR", {"step_size": 3, "gamma": 0.0}, 12, lr=0.1), "gamma 0")
    c.add(S("StepLR", {"step_size": 2, "gamma": -0.5}, 12, lr=0.1), "negative gamma flips sign")
    c.add(S("StepLR", {"step_size": -3, "gamma": 0.5}, 15, lr=0.1), "negative step_size behaves like 3 (Python %)")
    c.add(S("StepLR", {"step_size": 0, "gamma": 0.5}, 5, lr=0.1), "step_size 0 raises integer modulo by zero at step 1")
    c.add(S("StepLR", {"step_size": 10, "gamma": 0.9}, 5, lr=0.1, start=1000), "large start")
    c.add(S("StepLR", {"step_size": 10, "gamma": 0.9}, 30, lr=0.1, start=1), "seed example")
    c.add(S("StepLR", {"step_size": 4, "gamma": 0.5}, 20, lr=1), "int lr (epoch 0 value is int 1)")
    c.add(S("StepLR", {"step_size": 6, "gamma": 0.3}, 25, lr=0.1, start=5))
    c.add(S("StepLR", {"step_size": 1, "gamma": 1e-300}, 5, lr=1.0), "underflow to 0")
    c.add(S("StepLR", {"step_size": 1, "gamma": 1e300}, 5, lr=1.0), "overflow to inf (non-finite)")
    c.add(S("StepLR", {"step_size": 2, "gamma": 0.5}, 1, lr=0.1), "single epoch")
    c.add(S("StepLR", {"step_size": 3, "gamma": 0.1}, 40, lr=123.456), "large lr")
    return c


def cases_multistep():
    c = CaseList("MultiStepLR")
    for i, (ms, g, lr, ep) in enumerate([
        ([10, 20], 0.1, 0.1, 30), ([30, 80], 0.1, 0.05, 100), ([5, 10, 15, 20], 0.5, 0.1, 25),
        ([1, 2, 3], 0.9, 0.1, 10), ([50, 100, 150], 0.2, 0.1, 200), ([7], 0.3, 1.0, 15),
        ([2, 4, 8, 16, 32, 64], 0.7, 0.3, 80), ([25, 50, 75], 0.9, 0.01, 100),
        ([60, 120, 160], 0.2, 0.1, 200), ([15, 30], 0.5, 0.002, 45), ([1], 0.25, 0.1, 5),
        ([100, 150], 0.1, 0.4, 300),
    ]):
        c.add(S("MultiStepLR", {"milestones": ms, "gamma": g}, ep, lr=lr, start=0 if i % 3 == 1 else None))
    c.add(S("MultiStepLR", {"milestones": [5, 15]}, 20, lr=0.1), "gamma defaulted (0.1)")
    c.add(S("MultiStepLR", {"milestones": [3, 3, 7], "gamma": 0.5}, 12, lr=0.1), "repeated milestone applies gamma**2")
    c.add(S("MultiStepLR", {"milestones": [5, 5, 5], "gamma": 0.1}, 10, lr=1.0), "milestone repeated 3 times")
    c.add(S("MultiStepLR", {"milestones": [20, 5, 10], "gamma": 0.5}, 25, lr=0.1), "unsorted milestones")
    c.add(S("MultiStepLR", {"milestones": [9, 3, 3, 6], "gamma": 0.5}, 12, lr=0.1), "unsorted with repeat")
    c.add(S("MultiStepLR", {"milestones": [0, 5], "gamma": 0.5}, 10, lr=0.1), "milestone 0 decays at construction")
    c.add(S("MultiStepLR", {"milestones": [], "gamma": 0.5}, 10, lr=0.1), "no milestones")
    c.add(S("MultiStepLR", {"milestones": [-3, 4], "gamma": 0.5}, 10, lr=0.1), "negative milestone never reached")
    c.add(S("MultiStepLR", {"milestones": [100], "gamma": 0.5}, 20, lr=0.1), "milestone beyond epochs")
    c.add(S("MultiStepLR", {"milestones": [3, 6], "gamma": 2.0}, 10, lr=0.1), "gamma > 1")
    c.add(S("MultiStepLR", {"milestones": [3, 6], "gamma": 1.0}, 10, lr=0.1), "gamma 1")
    c.add(S("MultiStepLR", {"milestones": [4, 8], "gamma": 0.0}, 10, lr=0.1), "gamma 0")
    c.add(S("MultiStepLR", {"milestones": list(range(10, 2000, 10)), "gamma": 0.99}, 2000, lr=0.1), "long run, 199 milestones")
    c.add(S("MultiStepLR", {"milestones": [500, 1002], "gamma": 0.1}, 5, lr=0.1, start=1000), "large start")
    c.add(S("MultiStepLR", {"milestones": [10, 20], "gamma": 0.1}, 15, lr=0.1, start=8))
    c.add(S("MultiStepLR", {"milestones": [3, 3, 7], "gamma": 0.5}, 8, lr=0.1, start=3), "start at repeated milestone")
    c.add(S("MultiStepLR", {"milestones": [2, 4], "gamma": 0.5}, 10, lr=2), "int lr")
    c.add(S("MultiStepLR", {"milestones": [1, 2], "gamma": 1e300}, 5, lr=1.0), "overflow to inf (non-finite)")
    c.add(S("MultiStepLR", {"milestones": [2, 2], "gamma": 1e200}, 5, lr=1.0), "repeated milestone gamma**2 overflows (OverflowError)")
    return c


def cases_constant():
    c = CaseList("ConstantLR")
    for i, (f, ti, lr, ep) in enumerate([
        (0.5, 4, 0.1, 10), (0.1, 20, 0.05, 30), (0.25, 10, 0.1, 20), (0.9, 3, 0.2, 8),
        (0.3, 50, 0.01, 100), (0.75, 1, 0.1, 5), (0.05, 100, 1.0, 150), (0.6, 7, 0.3, 20),
        (0.2, 2, 0.1, 6), (0.99, 10, 0.05, 15), (0.01, 15, 0.5, 25), (0.4, 6, 0.003, 12),
        (0.125, 8, 0.2, 16), (0.7, 30, 0.1, 40), (1 / 7, 3, 0.1, 8),
    ]):
        c.add(S("ConstantLR", {"factor": f, "total_iters": ti}, ep, lr=lr, start=0 if i % 4 == 0 else None))
    c.add(S("ConstantLR", {}, 10, lr=0.1), "all defaults (factor 1/3, total_iters 5)")
    c.add(S("ConstantLR", {"factor": 0.5}, 10, lr=0.1), "total_iters defaulted")
    c.add(S("ConstantLR", {"total_iters": 3}, 10, lr=0.1), "factor defaulted")
    c.add(S("ConstantLR", {"factor": 0.0, "total_iters": 5}, 10, lr=0.1), "factor=0 divides by zero at total_iters")
    c.add(S("ConstantLR", {"factor": 0.0, "total_iters": 50}, 20, lr=0.1), "factor=0 with total_iters beyond epochs")
    c.add(S("ConstantLR", {"factor": 0, "total_iters": 4}, 3, lr=0.1, start=6), "factor=0 raises inside the start prefix")
    c.add(S("ConstantLR", {"factor": 1.0, "total_iters": 5}, 10, lr=0.1), "factor 1")
    c.add(S("ConstantLR", {"factor": 1, "total_iters": 5}, 10, lr=0.1), "int factor 1")
    c.add(S("ConstantLR", {"factor": 0.5, "total_iters": 0}, 10, lr=0.1), "total_iters 0 keeps the factor forever")
    c.add(S("ConstantLR", {"factor": 0.0, "total_iters": 0}, 10, lr=0.1), "factor 0 and total_iters 0: no error, lr 0")
    c.add(S("ConstantLR", {"factor": 0.5, "total_iters": -2}, 10, lr=0.1), "negative total_iters keeps the factor forever")
    c.add(S("ConstantLR", {"factor": 1 / 3, "total_iters": 5}, 10, lr=0.1), "1/3 round trip through 1/factor")
    c.add(S("ConstantLR", {"factor": 0.1, "total_iters": 4}, 10, lr=0.1, start=2))
    c.add(S("ConstantLR", {"factor": 0.1, "total_iters": 1500}, 5, lr=0.1, start=1000), "large start")
    c.add(S("ConstantLR", {"factor": 0.1, "total_iters": 998}, 5, lr=0.1, start=996), "large start across total_iters")
    c.add(S("ConstantLR", {"factor": 0.7, "total_iters": 30}, 2000, lr=0.1), "long run")
    c.add(S("ConstantLR", {"factor": 1.5, "total_iters": 5}, 10, lr=0.1), "factor > 1 rejected")
    c.add(S("ConstantLR", {"factor": -0.1, "total_iters": 5}, 10, lr=0.1), "negative factor rejected")
    return c


def cases_linear():
    c = CaseList("LinearLR")
    for i, (sf, ef, ti, lr, ep) in enumerate([
        (0.01, 1.0, 10, 0.1, 20), (0.1, 1.0, 5, 0.5, 10), (1.0, 0.1, 10, 0.1, 15),
        (1.0, 0.0, 20, 0.1, 30), (0.5, 0.5, 5, 0.1, 10), (0.25, 0.75, 8, 0.2, 12),
        (0.001, 1.0, 100, 0.1, 150), (0.9, 0.3, 7, 1.0, 12), (0.05, 1.0, 40, 0.05, 60),
        (1.0, 0.5, 3, 0.1, 6), (0.3, 0.9, 6, 0.1, 10), (0.75, 0.25, 5, 0.4, 9),
        (0.02, 0.5, 25, 0.1, 35), (0.6, 1.0, 2, 0.1, 5), (1.0, 1.0, 5, 0.1, 8),
        (0.1, 0.1, 3, 0.1, 5), (0.4, 0.0, 9, 0.2, 12), (1 / 3, 2 / 3, 7, 0.1, 10),
        (0.15, 0.95, 300, 0.01, 320),
    ]):
        c.add(S("LinearLR", {"start_factor": sf, "end_factor": ef, "total_iters": ti}, ep, lr=lr, start=0 if i % 3 == 2 else None))
    c.add(S("LinearLR", {}, 10, lr=0.1), "all defaults (1/3 -> 1.0 over 5)")
    c.add(S("LinearLR", {"start_factor": 0.1}, 10, lr=0.1), "end_factor and total_iters defaulted")
    c.add(S("LinearLR", {"end_factor": 0.5, "total_iters": 4}, 10, lr=0.1), "start_factor defaulted, decreasing")
    c.add(S("LinearLR", {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 1}, 5, lr=0.1), "total_iters 1 warmup")
    c.add(S("LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 1}, 5, lr=0.1), "total_iters 1 decay")
    c.add(S("LinearLR", {"start_factor": 0.5, "end_factor": 1.0, "total_iters": 0}, 5, lr=0.1), "total_iters 0 keeps start_factor")
    c.add(S("LinearLR", {"start_factor": 1, "end_factor": 0, "total_iters": 4}, 8, lr=0.1), "int factors decay to 0")
    c.add(S("LinearLR", {"start_factor": 0.2, "end_factor": 1.0, "total_iters": 1000}, 2000, lr=0.1), "long warmup")
    c.add(S("LinearLR", {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 1500}, 5, lr=0.1, start=1000), "large start")
    c.add(S("LinearLR", {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 10}, 10, lr=0.1, start=5))
    c.add(S("LinearLR", {"start_factor": 0.0, "end_factor": 1.0, "total_iters": 5}, 5, lr=0.1), "start_factor 0 rejected")
    c.add(S("LinearLR", {"start_factor": 1.5, "end_factor": 1.0, "total_iters": 5}, 5, lr=0.1), "start_factor > 1 rejected")
    c.add(S("LinearLR", {"start_factor": 0.5, "end_factor": 1.2, "total_iters": 5}, 5, lr=0.1), "end_factor > 1 rejected")
    c.add(S("LinearLR", {"start_factor": 0.5, "end_factor": -0.1, "total_iters": 5}, 5, lr=0.1), "end_factor < 0 rejected")
    return c


def cases_exponential():
    c = CaseList("ExponentialLR")
    for i, (g, lr, ep) in enumerate([
        (0.9, 0.1, 50), (0.95, 0.05, 100), (0.5, 1.0, 40), (0.99, 0.3, 200), (0.8, 0.01, 30),
        (0.999, 0.1, 300), (0.1, 0.1, 20), (0.97, 2.0, 60), (0.7, 0.2, 25), (0.85, 0.003, 45),
        (0.98, 0.05, 150), (0.6, 0.5, 30), (0.9999, 0.1, 250), (0.75, 0.01, 40), (0.93, 0.4, 70),
        (0.3, 1.0, 15),
    ]):
        c.add(S("ExponentialLR", {"gamma": g}, ep, lr=lr, start=0 if i % 4 == 3 else None))
    c.add(S("ExponentialLR", {"gamma": 0.995}, 2000, lr=0.1), "gamma < 1 long run")
    c.add(S("ExponentialLR", {"gamma": 0.9}, 2000, lr=0.1), "long run underflows to 0")
    c.add(S("ExponentialLR", {"gamma": 1.0}, 30, lr=0.1), "gamma 1")
    c.add(S("ExponentialLR", {"gamma": 1}, 10, lr=0.1), "int gamma 1")
    c.add(S("ExponentialLR", {"gamma": 1.05}, 200, lr=0.01), "gamma > 1 grows")
    c.add(S("ExponentialLR", {"gamma": 1e300}, 10, lr=0.1), "gamma 1e300 overflows (non-finite)")
    c.add(S("ExponentialLR", {"gamma": 2.0}, 1100, lr=0.1), "doubling overflows late (non-finite)")
    c.add(S("ExponentialLR", {"gamma": 0.0}, 5, lr=0.1), "gamma 0")
    c.add(S("ExponentialLR", {"gamma": -0.9}, 20, lr=0.1), "negative gamma alternates sign")
    c.add(S("ExponentialLR", {"gamma": 0.99}, 5, lr=0.1, start=1000), "large start")
    c.add(S("ExponentialLR", {"gamma": 0.9}, 20, lr=0.1, start=10))
    c.add(S("ExponentialLR", {"gamma": 0.9}, 10, lr=1), "int lr")
    c.add(S("ExponentialLR", {"gamma": 0.5}, 1, lr=0.1), "single epoch")
    c.add(S("ExponentialLR", {"gamma": 1 / 3}, 40, lr=0.1), "gamma 1/3")
    return c


def cases_polynomial():
    c = CaseList("PolynomialLR")
    for i, (ti, p, lr, ep) in enumerate([
        (10, 1.0, 0.1, 15), (20, 2.0, 0.1, 25), (50, 0.9, 0.01, 60), (8, 3.0, 1.0, 12),
        (100, 1.5, 0.05, 120), (30, 0.25, 0.1, 40), (4, 4.0, 0.3, 8), (12, 1, 0.1, 16),
        (25, 0.5, 0.1, 30), (40, 2.0, 0.01, 50), (15, 1.0, 0.3, 18), (60, 0.75, 0.05, 70),
        (9, 3, 0.1, 12), (200, 1.2, 0.1, 220), (5, 0.1, 0.1, 8),
    ]):
        c.add(S("PolynomialLR", {"total_iters": ti, "power": p}, ep, lr=lr, start=0 if i % 3 == 1 else None))
    c.add(S("PolynomialLR", {}, 10, lr=0.1), "all defaults (total_iters 5, power 1)")
    c.add(S("PolynomialLR", {"power": 2.0}, 10, lr=0.1), "total_iters defaulted")
    c.add(S("PolynomialLR", {"total_iters": 8}, 10, lr=0.1), "power defaulted")
    c.add(S("PolynomialLR", {"total_iters": 10, "power": 0.5}, 20, lr=0.1), "power 0.5 past total_iters")
    c.add(S("PolynomialLR", {"total_iters": 10, "power": 2}, 30, lr=0.1), "int power 2 past total_iters")
    c.add(S("PolynomialLR", {"total_iters": 1, "power": 1.0}, 5, lr=0.1), "total_iters 1")
    c.add(S("PolynomialLR", {"total_iters": 0, "power": 1.0}, 5, lr=0.1), "total_iters 0 never changes lr")
    c.add(S("PolynomialLR", {"total_iters": 6, "power": 0.0}, 10, lr=0.1), "power 0 (0**0 = 1)")
    c.add(S("PolynomialLR", {"total_iters": 5, "power": -1.0}, 10, lr=0.1), "negative power raises at total_iters")
    c.add(S("PolynomialLR", {"total_iters": 5, "power": -0.5}, 4, lr=0.1), "negative power before total_iters grows")
    c.add(S("PolynomialLR", {"total_iters": 1000, "power": 2.0}, 2000, lr=0.1), "long run")
    c.add(S("PolynomialLR", {"total_iters": 1500, "power": 1.0}, 5, lr=0.1, start=1000), "large start")
    c.add(S("PolynomialLR", {"total_iters": 20, "power": 1.0}, 10, lr=0.1, start=15), "start across total_iters")
    c.add(S("PolynomialLR", {"total_iters": 7, "power": 1.0}, 10, lr=1), "int lr")
    c.add(S("PolynomialLR", {"total_iters": 3, "power": 10.0}, 6, lr=0.1), "high power")
    return c


def cases_cosine():
    c = CaseList("CosineAnnealingLR")
    for i, (tm, em, lr, ep) in enumerate([
        (10, 0.0, 0.1, 11), (50, 0.0, 0.1, 51), (100, 0.001, 0.1, 101), (20, 0.01, 0.05, 21),
        (7, 0.0, 1.0, 8), (30, 1e-5, 0.3, 31), (200, 0.0, 0.01, 201), (15, 0.001, 0.1, 16),
        (40, 0.0, 0.05, 41), (60, 0.0001, 0.2, 61), (5, 0.0, 0.1, 6), (80, 0.0, 0.1, 81),
        (12, 0.005, 0.5, 13),
    ]):
        c.add(S("CosineAnnealingLR", {"T_max": tm, "eta_min": em}, ep, lr=lr, start=0 if i % 3 == 0 else None))
    c.add(S("CosineAnnealingLR", {"T_max": 10}, 15, lr=0.1), "eta_min defaulted")
    c.add(S("CosineAnnealingLR", {"T_max": 4}, 16, lr=1.0), "past T_max goes back up (4x T_max)")
    c.add(S("CosineAnnealingLR", {"T_max": 10, "eta_min": 0.01}, 40, lr=0.1), "eta_min > 0 past T_max (4x)")
    c.add(S("CosineAnnealingLR", {"T_max": 25, "eta_min": 0.0}, 90, lr=0.1), "3.6x T_max")
    c.add(S("CosineAnnealingLR", {"T_max": 3, "eta_min": 0.001}, 12, lr=0.1), "small T_max over 4 half-periods")
    c.add(S("CosineAnnealingLR", {"T_max": 1}, 8, lr=0.1), "T_max 1")
    c.add(S("CosineAnnealingLR", {"T_max": 1, "eta_min": 0.02}, 8, lr=0.1), "T_max 1 with eta_min")
    c.add(S("CosineAnnealingLR", {"T_max": 2, "eta_min": 0.0}, 9, lr=0.1), "T_max 2")
    c.add(S("CosineAnnealingLR", {"T_max": 10, "eta_min": 0.2}, 25, lr=0.1), "eta_min above base lr")
    c.add(S("CosineAnnealingLR", {"T_max": 10, "eta_min": 0.1}, 15, lr=0.1), "eta_min equals base lr")
    c.add(S("CosineAnnealingLR", {"T_max": 10, "eta_min": 0}, 12, lr=0.1), "int eta_min")
    c.add(S("CosineAnnealingLR", {"T_max": 0}, 5, lr=0.1), "T_max 0 raises at step 1")
    c.add(S("CosineAnnealingLR", {"T_max": 500, "eta_min": 1e-6}, 2000, lr=0.1), "long run, 4x T_max")
    c.add(S("CosineAnnealingLR", {"T_max": 1200}, 5, lr=0.1, start=1000), "large start")
    c.add(S("CosineAnnealingLR", {"T_max": 300, "eta_min": 0.001}, 5, lr=0.1, start=1000), "large start past T_max")
    c.add(S("CosineAnnealingLR", {"T_max": 10, "eta_min": 0.0}, 15, lr=0.1, start=8), "start near T_max")
    c.add(S("CosineAnnealingLR", {"T_max": 10}, 20, lr=1), "int lr")
    c.add(S("CosineAnnealingLR", {"T_max": 15, "eta_min": 0.0}, 1, lr=0.1), "single epoch")
    return c


def cases_warm_restarts():
    c = CaseList("CosineAnnealingWarmRestarts")
    N = "CosineAnnealingWarmRestarts"
    for i, (t0, tm, em, lr, ep) in enumerate([
        (10, 1, 0.0, 0.1, 50), (5, 2, 0.0, 0.1, 80), (2, 3, 0.0, 0.5, 80), (10, 2, 0.001, 0.1, 160),
        (3, 1, 0.01, 0.1, 30), (20, 1, 1e-4, 0.05, 100), (4, 3, 0.0, 1.0, 60), (8, 2, 0.0, 0.3, 130),
        (15, 1, 0.0, 0.1, 60), (6, 2, 0.002, 0.05, 100), (5, 3, 0.0, 0.1, 110), (12, 1, 0.001, 0.2, 40),
        (1, 3, 0.0, 0.1, 50), (25, 2, 0.0, 0.1, 200), (9, 1, 0.0, 0.01, 30),
    ]):
        c.add(S(N, {"T_0": t0, "T_mult": tm, "eta_min": em}, ep, lr=lr, start=0 if i % 4 == 2 else None))
    c.add(S(N, {"T_0": 10}, 35, lr=0.1), "T_mult and eta_min defaulted")
    c.add(S(N, {"T_0": 6, "eta_min": 0.005}, 30, lr=0.1), "T_mult defaulted")
    c.add(S(N, {"T_0": 2, "T_mult": 2}, 14, lr=0.5), "T_0=2 T_mult=2 example")
    c.add(S(N, {"T_0": 1}, 10, lr=0.1), "T_0 1 stays at base")
    c.add(S(N, {"T_0": 1, "T_mult": 2}, 20, lr=0.1), "T_0 1 with T_mult 2")
    c.add(S(N, {"T_0": 7, "T_mult": 1, "eta_min": 0.001}, 2000, lr=0.1), "long run, T_mult 1")
    c.add(S(N, {"T_0": 5, "T_mult": 2, "eta_min": 0.0005}, 1300, lr=0.1), "long run across restarts, T_mult 2")
    c.add(S(N, {"T_0": 3, "T_mult": 3, "eta_min": 0.0}, 400, lr=0.1), "long run across restarts, T_mult 3")
    c.add(S(N, {"T_0": 10, "T_mult": 1, "eta_min": 0.2}, 25, lr=0.1), "eta_min above base lr")
    c.add(S(N, {"T_0": 10, "T_mult": 1, "eta_min": 1}, 12, lr=0.1), "int eta_min")
    c.add(S(N, {"T_0": 10, "T_mult": 2}, 5, lr=0.1, start=1000), "large start")
    c.add(S(N, {"T_0": 10, "T_mult": 1}, 15, lr=0.1, start=8), "start across a restart")
    c.add(S(N, {"T_0": 10}, 12, lr=1), "int lr")
    c.add(S(N, {"T_0": 10, "T_mult": 0}, 5, lr=0.1), "T_mult 0 rejected")
    c.add(S(N, {"T_0": 0}, 5, lr=0.1), "T_0 0 rejected")
    c.add(S(N, {"T_0": -5}, 5, lr=0.1), "negative T_0 rejected")
    c.add(S(N, {"T_0": 10.0}, 5, lr=0.1), "float T_0 rejected")
    c.add(S(N, {"T_0": 10, "T_mult": 1.5}, 5, lr=0.1), "float T_mult rejected")
    return c


def cases_chained():
    c = CaseList("ChainedScheduler")
    N = "ChainedScheduler"

    def ch(*children):
        return {"schedulers": list(children)}

    c.add(S(N, ch(C("ConstantLR", factor=0.1, total_iters=20), C("ExponentialLR", gamma=0.9)), 40, lr=0.05), "docstring example")
    c.add(S(N, ch(C("LinearLR", start_factor=0.1, total_iters=5), C("CosineAnnealingLR", T_max=50)), 60, lr=0.1), "warmup x cosine")
    c.add(S(N, ch(C("StepLR", step_size=5, gamma=0.5), C("MultiStepLR", milestones=[7, 12], gamma=0.1)), 20, lr=0.1))
    c.add(S(N, ch(C("ExponentialLR", gamma=0.9), C("ExponentialLR", gamma=0.8)), 30, lr=0.1), "two exponentials")
    c.add(S(N, ch(C("ExponentialLR", gamma=0.9), C("ConstantLR", factor=0.5, total_iters=4)), 10, lr=0.1), "order swapped")
    c.add(S(N, ch(C("ConstantLR", factor=0.5, total_iters=4), C("ExponentialLR", gamma=0.9)), 10, lr=0.1), "order")
    c.add(S(N, ch(C("LambdaLR", lr_lambda="0.9 ** epoch"), C("StepLR", step_size=3, gamma=0.5)), 15, lr=0.1), "LambdaLR overwrites, StepLR multiplies")
    c.add(S(N, ch(C("StepLR", step_size=3, gamma=0.5), C("LambdaLR", lr_lambda="0.9 ** epoch")), 15, lr=0.1), "LambdaLR last wins")
    c.add(S(N, ch(C("MultiplicativeLR", lr_lambda="0.95"), C("ConstantLR", factor=0.2, total_iters=6)), 15, lr=0.1))
    c.add(S(N, ch(C("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=4), C("ExponentialLR", gamma=0.9)), 20, lr=0.1), "CyclicLR overwrites then decay")
    c.add(S(N, ch(C("OneCycleLR", max_lr=0.1, total_steps=30), C("ConstantLR", factor=0.5, total_iters=5)), 30, lr=0.1), "OneCycleLR with ConstantLR")
    c.add(S(N, ch(C("CosineAnnealingWarmRestarts", T_0=5), C("LinearLR", start_factor=0.2, total_iters=8)), 25, lr=0.1), "warm restarts x linear")
    c.add(S(N, ch(C("PolynomialLR", total_iters=10, power=2.0), C("LinearLR", start_factor=0.5, total_iters=5)), 15, lr=0.1))
    c.add(S(N, ch(C("CosineAnnealingLR", T_max=10), C("CosineAnnealingLR", T_max=7, eta_min=0.001)), 30, lr=0.1), "two cosines")
    c.add(S(N, ch(C("StepLR", step_size=4)), 12, lr=0.1), "single child")
    c.add(S(N, ch(C("LinearLR", start_factor=0.25, total_iters=4), C("StepLR", step_size=3, gamma=0.7),
                  C("ExponentialLR", gamma=0.98), C("MultiStepLR", milestones=[10, 15], gamma=0.5)), 25, lr=0.1), "four children")
    c.add(S(N, ch(C("ChainedScheduler", schedulers=[C("ConstantLR", factor=0.5, total_iters=3), C("ExponentialLR", gamma=0.9)]),
                  C("StepLR", step_size=5, gamma=0.5)), 15, lr=0.1), "nested ChainedScheduler")
    c.add(S(N, ch(C("SequentialLR", schedulers=[C("LinearLR", start_factor=0.1, total_iters=5), C("ExponentialLR", gamma=0.9)], milestones=[5]),
                  C("StepLR", step_size=4, gamma=0.5)), 20, lr=0.1), "nested SequentialLR")
    c.add(S(N, ch(C("ExponentialLR", gamma=0.95),
                  C("SequentialLR", schedulers=[C("ConstantLR", factor=0.5, total_iters=2), C("CosineAnnealingLR", T_max=10)], milestones=[4])),
            20, lr=0.1), "SequentialLR last in chain")
    c.add(S(N, ch(C("ConstantLR", factor=0.1, total_iters=20), C("ExponentialLR", gamma=0.9)), 5, lr=0.05, start=1000), "large start")
    c.add(S(N, ch(C("LinearLR", start_factor=0.1, total_iters=5), C("ExponentialLR", gamma=0.95)), 20, lr=0.1, start=3))
    c.add(S(N, ch(C("ExponentialLR", gamma=0.999), C("StepLR", step_size=100, gamma=0.5)), 2000, lr=0.1), "long run")
    c.add(S(N, ch(C("ConstantLR", factor=0.0, total_iters=3), C("ExponentialLR", gamma=0.9)), 10, lr=0.1), "ConstantLR factor 0 child divides by zero")
    c.add(S(N, ch(C("StepLR", step_size=2), C("ExponentialLR", gamma=1e300)), 10, lr=0.1), "overflow (non-finite)")
    c.add(S(N, ch(C("LambdaLR", lr_lambda="1.0 / (epoch - 2)"), C("StepLR", step_size=5)), 10, lr=0.1), "child lambda raises at step 2")
    c.add(S(N, ch(C("LambdaLR", lr_lambda="1 / epoch"), C("StepLR", step_size=5)), 10, lr=0.1), "child lambda raises during construction")
    c.add(S(N, ch(C("StepLR", step_size=5), C("ReduceLROnPlateau", patience=2)), 10, lr=0.1), "ReduceLROnPlateau child rejected")
    c.add(S(N, ch(), 10, lr=0.1), "empty schedulers rejected")
    c.add(S(N, ch(C("StepLR", step_size=5), C("ConstantLR", factor=1.5)), 10, lr=0.1), "invalid child rejected")
    c.add(S(N, ch(C("ConstantLR", factor=0.5, total_iters=2), C("ConstantLR", factor=0.5, total_iters=4)), 8, lr=1), "int lr")
    c.add(S(N, ch(C("LinearLR", start_factor=0.5, end_factor=1.0, total_iters=6), C("MultiStepLR", milestones=[3, 3, 9], gamma=0.5)), 15, lr=0.1), "linear x repeated milestones")
    c.add(S(N, ch(C("CosineAnnealingLR", T_max=5), C("ExponentialLR", gamma=0.95)), 25, lr=0.1, start=0), "cosine past T_max x exponential")
    c.add(S(N, ch(C("MultiplicativeLR", lr_lambda="0.9 if epoch % 3 == 0 else 1.0"), C("PolynomialLR", total_iters=12, power=0.5)), 18, lr=0.1), "multiplicative x polynomial")
    c.add(S(N, ch(C("ExponentialLR", gamma=0.9), C("CyclicLR", base_lr=0.01, max_lr=0.05, step_size_up=3, mode="triangular2")), 20, lr=0.1), "CyclicLR last overwrites")
    c.add(S(N, ch(C("ConstantLR", factor=0.25, total_iters=3), C("CosineAnnealingWarmRestarts", T_0=4, T_mult=2, eta_min=0.001)), 20, lr=0.1), "warm restarts last overwrites")
    c.add(S(N, ch(C("LambdaLR", lr_lambda="min(1.0, (epoch + 1) / 4)"), C("ExponentialLR", gamma=0.97)), 30, lr=0.2), "lambda warmup x exponential")
    c.add(S(N, ch(C("StepLR", step_size=2, gamma=0.8), C("StepLR", step_size=3, gamma=0.5), C("StepLR", step_size=5, gamma=0.9)), 30, lr=0.1), "three StepLRs")
    return c


def cases_sequential():
    c = CaseList("SequentialLR")
    N = "SequentialLR"

    def sq(children, milestones):
        return {"schedulers": list(children), "milestones": milestones}

    c.add(S(N, sq([C("ConstantLR", factor=0.1, total_iters=20), C("ExponentialLR", gamma=0.9)], [20]), 40, lr=0.05), "docstring example")
    c.add(S(N, sq([C("LinearLR", start_factor=0.01, total_iters=5), C("CosineAnnealingLR", T_max=95)], [5]), 100, lr=0.1), "linear warmup then cosine")
    c.add(S(N, sq([C("LinearLR", start_factor=0.1, total_iters=10), C("CosineAnnealingLR", T_max=40, eta_min=0.001)], [10]), 60, lr=0.1, start=0), "warmup then cosine with eta_min, past T_max")
    c.add(S(N, sq([C("ExponentialLR", gamma=0.9), C("StepLR", step_size=3, gamma=0.5)], [6]), 20, lr=0.1), "StepLR restarts at base (closed form) after milestone")
    c.add(S(N, sq([C("ExponentialLR", gamma=0.8), C("ExponentialLR", gamma=0.9)], [5]), 15, lr=0.1), "second ExponentialLR restarts at base")
    c.add(S(N, sq([C("LinearLR", start_factor=0.2, total_iters=4), C("ConstantLR", factor=0.5, total_iters=5), C("ExponentialLR", gamma=0.9)], [4, 12]), 25, lr=0.1), "three children")
    c.add(S(N, sq([C("ConstantLR", factor=0.3, total_iters=3), C("MultiStepLR", milestones=[2, 4], gamma=0.5),
                   C("CosineAnnealingLR", T_max=6), C("PolynomialLR", total_iters=5, power=2.0)], [3, 9, 15]), 25, lr=0.1), "four children")
    c.add(S(N, sq([C("StepLR", step_size=3, gamma=0.5), C("MultiplicativeLR", lr_lambda="0.9")], [7]), 15, lr=0.1), "MultiplicativeLR after milestone multiplies current lr by lambda(0)")
    c.add(S(N, sq([C("StepLR", step_size=3, gamma=0.5), C("MultiplicativeLR", lr_lambda="1 / epoch")], [7]), 15, lr=0.1), "MultiplicativeLR child: lambda(0) raises at the milestone")
    c.add(S(N, sq([C("ConstantLR", factor=0.5, total_iters=2), C("LambdaLR", lr_lambda="0.95 ** epoch")], [5]), 15, lr=0.1), "LambdaLR after milestone")
    c.add(S(N, sq([C("LinearLR", start_factor=0.5, total_iters=3), C("CosineAnnealingWarmRestarts", T_0=4, T_mult=2)], [3]), 30, lr=0.1), "warm restarts after milestone")
    c.add(S(N, sq([C("ExponentialLR", gamma=0.9), C("OneCycleLR", max_lr=0.5, total_steps=20)], [5]), 25, lr=0.1), "OneCycleLR child rewrites initial_lr used by the reset")
    c.add(S(N, sq([C("ExponentialLR", gamma=0.9), C("CyclicLR", base_lr=0.01, max_lr=0.05, step_size_up=3)], [4]), 20, lr=0.1), "CyclicLR after milestone")
    c.add(S(N, sq([C("ConstantLR", factor=0.5, total_iters=3), C("ExponentialLR", gamma=0.9)], [0]), 10, lr=0.1), "milestone 0 (off-by-one: second child initial step, never restarted)")
    c.add(S(N, sq([C("ConstantLR", factor=0.5, total_iters=3), C("LinearLR", start_factor=0.25, total_iters=4), C("ExponentialLR", gamma=0.9)], [0, 6]), 14, lr=0.1), "milestones [0, 6]")
    c.add(S(N, sq([C("StepLR", step_size=2, gamma=0.5), C("ExponentialLR", gamma=0.9)], [1]), 8, lr=0.1), "milestone 1")
    c.add(S(N, sq([C("StepLR", step_size=2, gamma=0.5), C("ExponentialLR", gamma=0.9), C("ConstantLR", factor=0.5, total_iters=2)], [5, 6]), 12, lr=0.1), "adjacent milestones")
    c.add(S(N, sq([C("StepLR", step_size=2, gamma=0.5), C("ExponentialLR", gamma=0.9), C("ConstantLR", factor=0.5, total_iters=2)], [5, 5]), 12, lr=0.1), "duplicate milestones skip the middle child")
    c.add(S(N, sq([C("StepLR", step_size=2, gamma=0.5), C("ExponentialLR", gamma=0.9), C("ConstantLR", factor=0.5, total_iters=2)], [10, 5]), 15, lr=0.1), "unsorted milestones")
    c.add(S(N, sq([C("ExponentialLR", gamma=0.9), C("StepLR", step_size=2)], [100]), 20, lr=0.1), "milestone beyond epochs")
    c.add(S(N, sq([C("CosineAnnealingLR", T_max=10)], []), 15, lr=0.1), "single child, no milestones")
    c.add(S(N, sq([C("SequentialLR", schedulers=[C("LinearLR", start_factor=0.1, total_iters=3), C("ExponentialLR", gamma=0.9)], milestones=[3]),
                   C("StepLR", step_size=4, gamma=0.5)], [10]), 20, lr=0.1), "nested SequentialLR as first child")
    c.add(S(N, sq([C("ChainedScheduler", schedulers=[C("ConstantLR", factor=0.5, total_iters=4), C("ExponentialLR", gamma=0.9)]),
                   C("CosineAnnealingLR", T_max=10)], [8]), 20, lr=0.1), "nested ChainedScheduler as first child")
    c.add(S(N, sq([C("LinearLR", start_factor=0.1, total_iters=4),
                   C("ChainedScheduler", schedulers=[C("ExponentialLR", gamma=0.9), C("StepLR", step_size=3, gamma=0.5)])], [4]), 12, lr=0.1), "nested ChainedScheduler as later child")
    c.add(S(N, sq([C("LinearLR", start_factor=0.1, total_iters=4),
                   C("SequentialLR", schedulers=[C("ExponentialLR", gamma=0.9), C("StepLR", step_size=2)], milestones=[3])], [4]), 12, lr=0.1), "nested SequentialLR as later child")
    c.add(S(N, sq([C("SequentialLR", schedulers=[C("SequentialLR", schedulers=[C("ConstantLR", factor=0.2, total_iters=2), C("LinearLR", start_factor=0.5, total_iters=3)], milestones=[2]),
                                              C("ExponentialLR", gamma=0.9)], milestones=[5]),
                   C("CosineAnnealingLR", T_max=8)], [9]), 20, lr=0.1), "three-level nesting")
    c.add(S(N, sq([C("LinearLR", start_factor=0.1, total_iters=100), C("CosineAnnealingLR", T_max=1900, eta_min=1e-5)], [100]), 2000, lr=0.1), "long run")
    c.add(S(N, sq([C("LinearLR", start_factor=0.1, total_iters=100), C("ExponentialLR", gamma=0.999)], [100]), 5, lr=0.1, start=1000), "large start")
    c.add(S(N, sq([C("LinearLR", start_factor=0.1, total_iters=5), C("ExponentialLR", gamma=0.9)], [5]), 10, lr=0.1, start=3), "start before milestone")
    c.add(S(N, sq([C("ExponentialLR", gamma=0.9), C("ExponentialLR", gamma=1e300)], [3]), 10, lr=0.1), "overflow after milestone (non-finite)")
    c.add(S(N, sq([C("LinearLR", start_factor=0.1, total_iters=5), C("MultiStepLR", milestones=[5, 10], gamma=0.5)], [5]), 25, lr=0.1), "MultiStepLR child counts from its milestone")
    c.add(S(N, sq([C("ConstantLR", factor=0.2, total_iters=10), C("PolynomialLR", total_iters=10, power=2.0)], [3]), 20, lr=0.1), "cut ConstantLR short, then polynomial")
    c.add(S(N, sq([C("CosineAnnealingLR", T_max=5), C("CosineAnnealingLR", T_max=5), C("CosineAnnealingLR", T_max=5)], [5, 10]), 20, lr=0.1, start=0), "manual restarts with three cosines")
    c.add(S(N, sq([C("LambdaLR", lr_lambda="(epoch + 1) / 4"), C("LinearLR", start_factor=1.0, end_factor=0.1, total_iters=10)], [3]), 16, lr=0.2), "lambda warmup then linear decay")
    c.add(S(N, sq([C("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=3), C("ExponentialLR", gamma=0.9)], [9]), 20, lr=0.1), "CyclicLR first child")
    c.add(S(N, sq([C("ConstantLR", factor=0.5, total_iters=3), C("ExponentialLR", gamma=0.9)], [3, 6]), 10, lr=0.1), "wrong milestone count rejected")
    c.add(S(N, sq([C("LinearLR", start_factor=0.1, total_iters=5), C("ReduceLROnPlateau", patience=2)], [5]), 10, lr=0.1), "ReduceLROnPlateau child rejected")
    c.add(S(N, sq([], []), 10, lr=0.1), "empty schedulers rejected")
    c.add(S(N, sq([C("LinearLR", start_factor=0.0, total_iters=5), C("ExponentialLR", gamma=0.9)], [5]), 10, lr=0.1), "invalid child rejected")
    return c


def cases_plateau():
    c = CaseList("ReduceLROnPlateau")
    N = "ReduceLROnPlateau"

    def P(params, epochs, metrics, lr=0.1, start=None, label=None):
        c.add(S(N, params, epochs, lr=lr, start=start, metrics=metrics), label)

    n = 40
    P({"patience": 2}, n, m_flat(n - 1), label="flat metric, patience 2")
    P({"patience": 2, "cooldown": 1}, n, m_flat(n - 1), label="flat metric, cooldown 1")
    P({"patience": 2, "cooldown": 2}, n, m_flat(n - 1), label="flat metric, cooldown 2")
    P({"patience": 2, "cooldown": 0}, n, m_flat(n - 1), label="flat metric, cooldown 0 explicit")
    P({"patience": 0}, 20, m_flat(19), label="patience 0")
    P({"patience": 0, "factor": 0.5}, 30, m_decay_then_flat(29, 10), label="patience 0 after improvements")
    P({}, 60, m_flat(59), label="all defaults (patience 10)")
    P({"patience": 3}, 50, m_decreasing(49), label="steadily decreasing never reduces")
    P({"patience": 3, "mode": "max"}, 50, m_decreasing(49), label="mode max with decreasing metric")
    P({"patience": 3, "mode": "max"}, 50, m_increasing(49), label="mode max with increasing metric")
    P({"patience": 3, "mode": "min"}, 50, m_increasing(49), label="increasing metric in min mode")
    P({"patience": 4, "factor": 0.5}, 100, m_noisy(99, seed=1), label="noisy decreasing")
    P({"patience": 5, "factor": 0.3, "cooldown": 2}, 150, m_noisy(149, seed=2, trend=-0.001, noise=0.05), label="noisy, cooldown 2")
    P({"patience": 2, "factor": 0.5}, 60, m_plateaus(59), label="plateaus")
    P({"patience": 2, "threshold_mode": "abs", "threshold": 0.1}, 40, m_noisy(39, seed=3, trend=-0.02, noise=0.05), label="threshold_mode abs")
    P({"patience": 2, "threshold_mode": "rel", "threshold": 0.05}, 40, m_noisy(39, seed=4, trend=-0.01, noise=0.02), label="threshold_mode rel")
    P({"patience": 2, "threshold_mode": "rel"}, 30, m_flat(29, -1.0), label="rel mode with negative flat metric never reduces")
    P({"patience": 2, "threshold_mode": "abs"}, 30, m_flat(29, -1.0), label="abs mode with negative flat metric reduces")
    P({"patience": 2, "mode": "max", "threshold_mode": "rel"}, 30, m_flat(29, -2.0), label="max rel mode with negative metric")
    P({"patience": 1}, 30, [round(-5.0 + 0.1 * i, 10) for i in range(29)], label="negative increasing metric")
    P({"patience": 1, "mode": "max", "threshold_mode": "abs", "threshold": 0.5}, 30, m_noisy(29, seed=5, base=0.0, trend=0.1, noise=0.3), label="max abs")
    P({"patience": 1, "factor": 0.1, "min_lr": 0.001}, 40, m_flat(39), label="min_lr floor")
    P({"patience": 1, "factor": 0.5, "min_lr": [0.01]}, 40, m_flat(39), label="min_lr given as a list")
    P({"patience": 0, "factor": 0.5, "eps": 1e-8}, 20, m_flat(19), lr=1e-7, label="eps prevents tiny reductions")
    P({"patience": 0, "factor": 0.9, "eps": 0.01}, 20, m_flat(19), lr=0.1, label="large eps")
    P({"patience": 1, "factor": 0.0}, 10, m_flat(9), label="factor 0")
    P({"patience": 1, "factor": -0.5}, 10, m_flat(9), label="negative factor drops to min_lr")
    P({"patience": 1, "factor": 0.99}, 60, m_flat(59), label="factor 0.99")
    P({"patience": 0, "threshold": 1e-4}, 6, [1.0, 0.9999, 0.99989999, 0.9998, 0.9998], label="rel threshold boundary")
    P({"patience": 0, "threshold_mode": "abs", "threshold": 0.1}, 6, [1.0, 0.9, 0.8999999, 0.8, 0.79], label="abs threshold boundary")
    P({"patience": 0, "threshold": 0.0}, 8, [1.0, 1.0, 0.5, 0.5, 0.6, 0.4, 0.4], label="threshold 0, equal is not better")
    P({"patience": 1}, 12, m_flat(11, 0.0), label="zero metric in rel mode never improves")
    P({"patience": 2}, 20, [3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], label="int metrics")
    P({"patience": 2, "factor": 0.5}, 20, m_flat(30), label="more metrics than needed")
    P({"patience": 2}, 1, [], label="single epoch, no metrics")
    P({"patience": 2, "factor": 0.5}, 15, m_flat(19), lr=1, label="int lr")
    P({"patience": 3, "factor": 0.5}, 10, m_flat(14), start=5, label="start 5")
    P({"patience": 100, "factor": 0.5, "cooldown": 10}, 5, m_noisy(1004, seed=6, trend=-0.0005, noise=0.01), start=1000, label="large start")
    P({"patience": 20, "factor": 0.7, "cooldown": 5, "min_lr": 1e-5}, 2000, m_noisy(1999, seed=7, trend=-0.0002, noise=0.05), label="long noisy run")
    P({"factor": 1.0}, 10, m_flat(9), label="factor 1.0 rejected")
    P({"factor": 2.0}, 10, m_flat(9), label="factor 2.0 rejected")
    P({"mode": "avg"}, 10, m_flat(9), label="unknown mode rejected")
    P({"threshold_mode": "pct"}, 10, m_flat(9), label="unknown threshold_mode rejected")
    P({"min_lr": [0.1, 0.2]}, 10, m_flat(9), label="min_lr list of wrong length rejected")
    return c


def cases_cyclic():
    c = CaseList("CyclicLR")
    N = "CyclicLR"
    c.add(S(N, {"base_lr": 0.001, "max_lr": 0.006, "step_size_up": 10}, 100, lr=0.5), "lr overwritten by base_lr")
    c.add(S(N, {"base_lr": 0.001, "max_lr": 0.006, "step_size_up": 10}, 100), "lr omitted")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4}, 40, lr=0.1, start=0), "triangular explicit start")
    c.add(S(N, {"base_lr": 0.1, "max_lr": 1.0, "step_size_up": 2}, 10, lr=0.1), "small example")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "mode": "triangular"}, 50, lr=0.1), "mode triangular")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "mode": "triangular2"}, 80, lr=0.1), "mode triangular2")
    c.add(S(N, {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 50, "mode": "triangular2"}, 2000, lr=0.1), "triangular2 long run over 20 cycles")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "mode": "exp_range", "gamma": 0.99}, 80), "exp_range gamma 0.99")
    c.add(S(N, {"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 100, "mode": "exp_range", "gamma": 0.9995}, 2000), "exp_range long run")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "mode": "exp_range"}, 30), "exp_range gamma defaulted (1.0)")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "mode": "triangular", "gamma": 0.5}, 30), "gamma ignored by triangular")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "step_size_down": 15}, 60), "step_size_down given")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 15, "step_size_down": 5, "mode": "triangular2"}, 80), "step_size_down shorter, triangular2")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3, "step_size_down": 7, "mode": "exp_range", "gamma": 0.97}, 60), "asymmetric exp_range")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "step_size_down": 0}, 20), "step_size_down 0 gives a sawtooth")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 1}, 10), "step_size_up 1")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 2.5}, 20), "fractional step_size_up")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "cycle_momentum": False}, 30), "cycle_momentum false")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "base_momentum": 0.5, "max_momentum": 0.95}, 30), "momentum bounds given")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "mode": "triangular2", "scale_mode": "iterations"}, 40), "scale_mode overridden by triangular2")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1}, 300), "step_size_up defaulted (2000)")
    c.add(S(N, {"base_lr": 0.1, "max_lr": 0.01, "step_size_up": 4}, 20), "max_lr below base_lr")
    c.add(S(N, {"base_lr": 0.05, "max_lr": 0.05, "step_size_up": 4}, 10), "base_lr equals max_lr")
    c.add(S(N, {"base_lr": [0.01], "max_lr": [0.1], "step_size_up": 4}, 20), "list base_lr and max_lr")
    c.add(S(N, {"base_lr": 0.0001, "max_lr": 0.01, "step_size_up": 7, "mode": "triangular2"}, 5, start=1000), "large start")
    c.add(S(N, {"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 6}, 20, lr=0.3, start=4))
    c.add(S(N, {"base_lr": 1, "max_lr": 2, "step_size_up": 4}, 12), "int base_lr and max_lr")
    c.add(S(N, {"base_lr": 0.0005, "max_lr": 0.005, "step_size_up": 20, "step_size_down": 30, "mode": "triangular2"}, 300, lr=0.1), "asymmetric triangular2")
    c.add(S(N, {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 8, "mode": "exp_range", "gamma": 0.9, "cycle_momentum": False}, 60), "exp_range without momentum")
    c.add(S(N, {"base_lr": 0.02, "max_lr": 0.08, "step_size_up": 7, "step_size_down": 3}, 50, start=0), "up 7 down 3")
    c.add(S(N, {"base_lr": 0.001, "max_lr": 0.002, "step_size_up": 250}, 1200), "long slow cycles")
    c.add(S(N, {"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 3, "mode": "exp_range", "gamma": 1e300}, 10), "exp_range gamma overflow (OverflowError)")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 0}, 10), "step_size_up 0 divides by zero at construction")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 0, "step_size_down": 5}, 10), "step_size_up 0 with step_size_down 5 divides 0/0")
    c.add(S(N, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "mode": "cosine"}, 10), "invalid mode rejected")
    c.add(S(N, {"base_lr": [0.01, 0.02], "max_lr": 0.1, "step_size_up": 5}, 10), "base_lr list of wrong length rejected")
    return c


def cases_onecycle():
    c = CaseList("OneCycleLR")
    N = "OneCycleLR"
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100}, 100, lr=0.1), "defaults")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100}, 100), "lr omitted")
    c.add(S(N, {"max_lr": 1.0, "total_steps": 10}, 11, lr=0.1, start=0), "run exactly to total_steps (T-th step extrapolates)")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 50}, 51), "run to total_steps, T=50")
    c.add(S(N, {"max_lr": 1.0, "total_steps": 10}, 12), "stepping past total_steps raises")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100, "three_phase": True}, 100), "three_phase")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 60, "three_phase": True, "anneal_strategy": "linear"}, 61), "three_phase linear to total_steps")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100, "anneal_strategy": "linear"}, 100), "anneal_strategy linear")
    c.add(S(N, {"max_lr": 0.1, "anneal_strategy": "cos", "total_steps": 40}, 41), "anneal_strategy cos explicit")
    c.add(S(N, {"max_lr": 0.01, "epochs": 10, "steps_per_epoch": 20}, 200), "epochs and steps_per_epoch")
    c.add(S(N, {"max_lr": 0.01, "epochs": 5, "steps_per_epoch": 4}, 22), "epochs x steps_per_epoch past the end raises")
    c.add(S(N, {"max_lr": 0.05, "total_steps": 30, "epochs": 100, "steps_per_epoch": 100}, 30), "total_steps wins over epochs")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100, "div_factor": 10.0, "final_div_factor": 100.0}, 100), "div factors")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100, "div_factor": 1.0, "final_div_factor": 1.0}, 100), "div factors 1")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 80, "div_factor": 100, "final_div_factor": 1000}, 80), "int div factors")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100, "cycle_momentum": False}, 100), "cycle_momentum false")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100, "base_momentum": 0.8, "max_momentum": 0.9}, 100), "momentum bounds given")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100, "pct_start": 0.25}, 100), "pct_start 0.25")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 40, "pct_start": 0.5, "three_phase": True}, 40), "three_phase pct_start 0.5")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 20, "pct_start": 0.0}, 21), "pct_start 0.0")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 20, "pct_start": 1.0}, 21), "pct_start 1.0 divides by zero at the T-th step")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 10, "pct_start": 0.1}, 10), "pct_start*T == 1 divides 0/0 at construction")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 1}, 2), "total_steps 1")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 2}, 3), "total_steps 2")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 2000}, 2001), "long run to total_steps")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 1500}, 5, start=1000), "large start")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 1005}, 5, start=1001), "large start through the final step")
    c.add(S(N, {"max_lr": [0.2], "total_steps": 30}, 30), "list max_lr")
    c.add(S(N, {"max_lr": 1, "total_steps": 20}, 20, lr=0.1), "int max_lr")
    c.add(S(N, {"max_lr": 0.3, "total_steps": 250, "pct_start": 0.4, "anneal_strategy": "linear", "div_factor": 5.0}, 251), "linear to total_steps with div_factor 5")
    c.add(S(N, {"max_lr": 0.08, "epochs": 12, "steps_per_epoch": 25, "three_phase": True}, 300), "three_phase via epochs x steps_per_epoch")
    c.add(S(N, {"max_lr": 0.5, "total_steps": 30, "final_div_factor": 1.0}, 31, lr=0.5), "final_div_factor 1")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 77, "pct_start": 0.33, "cycle_momentum": False, "anneal_strategy": "cos"}, 77), "odd total_steps")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100, "three_phase": True, "pct_start": 0.2, "div_factor": 4.0, "final_div_factor": 50.0}, 101, start=0), "three_phase with div factors to total_steps")
    c.add(S(N, {"max_lr": 0.1}, 10), "missing total_steps and epochs rejected")
    c.add(S(N, {"max_lr": 0.1, "epochs": 10}, 10), "epochs without steps_per_epoch rejected")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 0}, 10), "total_steps 0 rejected")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100.0}, 10), "float total_steps rejected")
    c.add(S(N, {"max_lr": 0.1, "epochs": 0, "steps_per_epoch": 10}, 10), "epochs 0 rejected")
    c.add(S(N, {"max_lr": 0.1, "epochs": 10, "steps_per_epoch": -1}, 10), "negative steps_per_epoch rejected")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100, "pct_start": 1.5}, 10), "pct_start out of range rejected")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100, "pct_start": 1}, 10), "int pct_start rejected")
    c.add(S(N, {"max_lr": 0.1, "total_steps": 100, "anneal_strategy": "exp"}, 10), "unknown anneal_strategy rejected")
    return c


CASE_BUILDERS = {
    "LambdaLR": cases_lambda,
    "MultiplicativeLR": cases_multiplicative,
    "StepLR": cases_step,
    "MultiStepLR": cases_multistep,
    "ConstantLR": cases_constant,
    "LinearLR": cases_linear,
    "ExponentialLR": cases_exponential,
    "PolynomialLR": cases_polynomial,
    "CosineAnnealingLR": cases_cosine,
    "ChainedScheduler": cases_chained,
    "SequentialLR": cases_sequential,
    "ReduceLROnPlateau": cases_plateau,
    "CyclicLR": cases_cyclic,
    "OneCycleLR": cases_onecycle,
    "CosineAnnealingWarmRestarts": cases_warm_restarts,
}


# ---------------------------------------------------------------------------
# Seed example
# ---------------------------------------------------------------------------


def seed_case() -> dict:
    """The seed program: SGD(lr=0.1), StepLR(step_size=10, gamma=0.9), 30 epochs."""
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([param], lr=0.1)
    scheduler = lrs.StepLR(optimizer, step_size=10, gamma=0.9)
    printed = []
    values = []
    for epoch in range(30):
        optimizer.step()
        scheduler.step()
        lr = scheduler.get_last_lr()[0]
        values.append(float(lr))
        printed.append(f"Epoch {epoch+1}: Learning Rate = {lr:.5f}")
    spec = {"scheduler": "StepLR", "lr": 0.1, "params": {"step_size": 10, "gamma": 0.9}, "epochs": 30, "start": 1}
    result = run_spec(roundtrip(spec))
    assert result == {"lrs": values}, "generic runner disagrees with the seed loop"
    return {"name": "seed example: StepLR step_size=10 gamma=0.9 lr=0.1, printed after each of 30 steps",
            "spec": spec, "lrs": values, "printed": printed}


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    args = parser.parse_args(argv)

    version = torch.__version__.split("+")[0]
    if version != EXPECTED_TORCH:
        print(f"warning: torch {torch.__version__} installed, fixtures expect {EXPECTED_TORCH}", file=sys.stderr)

    t0 = time.perf_counter()
    total_bytes = write_fixture_files(
        args.out, SCHEDULERS, CASE_BUILDERS, run_spec,
        lambda scheduler: {"torch": version, "scheduler": scheduler},
    )

    seed_path = os.path.join(args.out, "seed.json")
    dump_fixture(seed_path, {"torch": version, "scheduler": "StepLR"}, [seed_case()])
    total_bytes += os.path.getsize(seed_path)
    print(f"{'seed':30s}   1 case   {os.path.getsize(seed_path):9,d} bytes")
    print(f"total {total_bytes:,d} bytes in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
