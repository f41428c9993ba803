#!/usr/bin/env python3
"""Generate golden fixtures for torch schedulers on several parameter groups, and
for the momentum that CyclicLR / OneCycleLR cycle.

What it does
------------
Builds request specs for the ``torch.optim.lr_scheduler`` schedulers whose
``lr`` is a list (one parameter group per entry), using the per-group forms of
the parameters wherever torch accepts them (CyclicLR ``base_lr`` / ``max_lr`` /
``base_momentum`` / ``max_momentum`` lists, OneCycleLR ``max_lr`` and momentum
lists, ReduceLROnPlateau ``min_lr`` list, LambdaLR / MultiplicativeLR
``lr_lambda`` as a list of expressions, one per group), plus single-group
CyclicLR / OneCycleLR cases that record the momentum. Every spec is run through
the installed torch and the results are written to

    Tests/SchedulesTests/Fixtures/torch/groups.json

next to the per-scheduler files of ``generate_torch_fixtures.py`` (which this
script does not touch). Every float is written with Python's ``repr`` (via
``json.dumps``), which round-trips exactly.

How to run
----------
From the repository root::

    python3 scripts/generate_torch_group_fixtures.py [--out DIR]

The file records ``torch.__version__`` without its local suffix; a warning is
printed when it is not 2.15.0. The output is deterministic (fixed-seed metric
series, no timestamps). CPU only; it runs in about a second.

Request contract (a fixture ``spec`` is exactly a request body)
---------------------------------------------------------------
``{"scheduler": NAME, "lr": LR, "params": {...}, "epochs": N, "start": S,
"metrics": [...]}`` -- ``"framework"`` is omitted, i.e. torch.

* ``lr`` is a list of numbers (one parameter group each) or, in the
  single-group momentum cases, a number. The optimizer is::

      torch.optim.SGD([{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr_g}
                       for lr_g in lrs], lr=lrs[0], momentum=0.9)

  Momentum never changes a learning rate, and CyclicLR / OneCycleLR with
  ``cycle_momentum`` overwrite every group's ``momentum`` at construction, so
  the 0.9 is only visible when ``cycle_momentum`` is false (where no momentum
  is recorded).
* ``params`` are the constructor keyword arguments, built as in
  ``generate_torch_fixtures.py`` except that ``lr_lambda`` may also be a list of
  expressions, one per group (``build_torch_scheduler``).
* ``optimizer.step()`` is called before every ``scheduler.step()``. Value k
  (0 <= k < epochs) is ``scheduler.get_last_lr()`` after ``start + k`` steps
  since construction; for ReduceLROnPlateau it is
  ``[g["lr"] for g in optimizer.param_groups]`` after ``start + k`` calls of
  ``step(metrics[i])``, i = 0, 1, ...

Fixture case format
-------------------
``{"name": ..., "spec": {...}, "lrs": [group 0's values], "group_lrs":
[[values] per group]}`` for a clean run (``group_lrs`` only when there is more
than one group). For CyclicLR and OneCycleLR with ``cycle_momentum`` true
(the default) the case also has ``"momentums"``: group 0's
``param_group["momentum"]`` read at the same points as ``lrs``, and
``"group_momentums"`` (every group's) when there is more than one group.
Errors are ``{"name", "spec", "error": MSG, "error_step": K}`` exactly as in
``generate_torch_fixtures.py`` (K null = in the constructor; K = the failing
step counted from construction; ``"non-finite"`` at the first NaN / +-inf value
of any group, checked from construction on).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import torch

from fixture_support import (
    build_torch_scheduler,
    dump_fixture,
    make_group_optimizer,
    metric_series,
    roundtrip,
    run_group_schedule,
)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "torch")
EXPECTED_TORCH = "2.15.0"
MOMENTUM = 0.9


def run_spec(spec: dict) -> dict:
    """Run ``spec`` through torch with one parameter group per lr."""
    name = spec["scheduler"]
    params = spec.get("params", {})
    start = spec.get("start", 0)
    metrics = spec.get("metrics")
    plateau = name == "ReduceLROnPlateau"
    optimizer = make_group_optimizer(spec["lr"], momentum=MOMENTUM)
    state = {}

    def build():
        state["sched"] = build_torch_scheduler(optimizer, name, params)

    def advance(n):
        optimizer.step()
        if plateau:
            state["sched"].step(metrics[n - 1])
        else:
            state["sched"].step()

    def read_lrs():
        if plateau:
            return [g["lr"] for g in optimizer.param_groups]
        return state["sched"].get_last_lr()

    extra = {}
    if name in ("CyclicLR", "OneCycleLR") and params.get("cycle_momentum", True):
        extra["momentums"] = lambda: [g["momentum"] for g in optimizer.param_groups]
    return run_group_schedule(build, advance, read_lrs, start, spec["epochs"], extra)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


def S(scheduler, lr, params, epochs, start=None, metrics=None):
    spec = {"scheduler": scheduler, "lr": lr, "params": params, "epochs": epochs}
    if start is not None:
        spec["start"] = start
    if metrics is not None:
        spec["metrics"] = metrics
    return spec


def C(scheduler, **params):
    """A composite child entry."""
    return {"scheduler": scheduler, "params": params}


def cases():
    out = []

    def add(label, *args, **kwargs):
        out.append((label, S(*args, **kwargs)))

    # LambdaLR / MultiplicativeLR: one expression for every group, or one per group.
    add("LambdaLR, one lambda for two groups", "LambdaLR", [0.1, 0.01], {"lr_lambda": "0.95 ** epoch"}, 30)
    add("LambdaLR, one lambda per group", "LambdaLR", [0.1, 0.01, 0.001],
        {"lr_lambda": ["0.95 ** epoch", "1 / (1 + epoch)", "min(1.0, (epoch + 1) / 5)"]}, 30)
    add("LambdaLR, int-valued lambdas per group", "LambdaLR", [0.5, 0.05], {"lr_lambda": ["epoch // 10", "1"]}, 25, start=3)
    add("LambdaLR, second group's lambda raises at epoch 3", "LambdaLR", [0.1, 0.2], {"lr_lambda": ["1", "1 / (epoch - 3)"]}, 10)
    add("LambdaLR, lambda list of wrong length rejected", "LambdaLR", [0.1, 0.2], {"lr_lambda": ["1", "1", "1"]}, 10)
    add("MultiplicativeLR, one lambda for two groups", "MultiplicativeLR", [0.1, 0.2], {"lr_lambda": "0.9"}, 20)
    add("MultiplicativeLR, one lambda per group", "MultiplicativeLR", [0.1, 0.2, 0.3],
        {"lr_lambda": ["0.9", "0.95", "1.01"]}, 40)

    # Closed-form / chainable schedulers on several groups.
    add("StepLR, three groups", "StepLR", [0.1, 0.01, 0.5], {"step_size": 3, "gamma": 0.5}, 15, start=2)
    add("MultiStepLR, two groups, repeated milestone", "MultiStepLR", [0.1, 0.05], {"milestones": [5, 10, 10], "gamma": 0.5}, 15)
    add("ConstantLR, two groups", "ConstantLR", [0.1, 0.03], {"factor": 0.5, "total_iters": 4}, 8)
    add("LinearLR, three groups", "LinearLR", [0.1, 0.02, 1.0], {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 5}, 10)
    add("ExponentialLR, two groups", "ExponentialLR", [0.1, 0.3], {"gamma": 0.9}, 30)
    add("PolynomialLR, two groups", "PolynomialLR", [0.1, 0.01], {"total_iters": 10, "power": 2.0}, 14)
    add("CosineAnnealingLR, eta_min between the group lrs", "CosineAnnealingLR", [0.1, 0.01],
        {"T_max": 10, "eta_min": 0.005}, 25)
    add("CosineAnnealingWarmRestarts, three groups", "CosineAnnealingWarmRestarts", [0.1, 0.05, 0.2],
        {"T_0": 5, "T_mult": 2}, 40)
    add("ChainedScheduler, two groups", "ChainedScheduler", [0.1, 0.01],
        {"schedulers": [C("ConstantLR", factor=0.1, total_iters=5), C("ExponentialLR", gamma=0.9)]}, 15)
    add("ChainedScheduler, per-group LambdaLR then StepLR", "ChainedScheduler", [0.1, 0.01],
        {"schedulers": [C("LambdaLR", lr_lambda=["0.9 ** epoch", "1.0"]), C("StepLR", step_size=3, gamma=0.5)]}, 15)
    add("SequentialLR, warm-up then cosine, two groups", "SequentialLR", [0.1, 0.01],
        {"schedulers": [C("LinearLR", start_factor=0.1, total_iters=5), C("CosineAnnealingLR", T_max=20)], "milestones": [5]}, 30)
    add("SequentialLR, per-group lambdas then exponential", "SequentialLR", [0.1, 0.05],
        {"schedulers": [C("LambdaLR", lr_lambda=["(epoch + 1) / 4", "1.0"]), C("ExponentialLR", gamma=0.8)], "milestones": [4]}, 12)

    # ReduceLROnPlateau with a min_lr per group.
    add("ReduceLROnPlateau, per-group min_lr", "ReduceLROnPlateau", [0.1, 0.01],
        {"patience": 1, "factor": 0.5, "min_lr": [0.01, 0.005]}, 30, metrics=metric_series(29, seed=61, trend=0.0))
    add("ReduceLROnPlateau, three groups, eps blocks the smallest", "ReduceLROnPlateau", [0.1, 0.01, 1e-6],
        {"patience": 0, "factor": 0.5, "eps": 1e-7}, 15, metrics=[1.0] * 14)
    add("ReduceLROnPlateau, two groups, start 5", "ReduceLROnPlateau", [1.0, 0.3],
        {"patience": 2, "factor": 0.3, "cooldown": 1, "min_lr": [0.01, 0.05]}, 30, start=5,
        metrics=metric_series(34, seed=62))
    add("ReduceLROnPlateau, min_lr list of wrong length rejected", "ReduceLROnPlateau", [0.1, 0.01],
        {"min_lr": [0.1]}, 10, metrics=[1.0] * 9)

    # CyclicLR: per-group bounds and momentum.
    add("CyclicLR, per-group base_lr and max_lr", "CyclicLR", [0.1, 0.01],
        {"base_lr": [0.001, 0.0001], "max_lr": [0.01, 0.001], "step_size_up": 4}, 20)
    add("CyclicLR, three groups, triangular2, per-group momentum", "CyclicLR", [0.1, 0.01, 0.5],
        {"base_lr": 0.001, "max_lr": [0.01, 0.02, 0.03], "step_size_up": 3, "mode": "triangular2",
         "base_momentum": [0.8, 0.85, 0.9], "max_momentum": [0.9, 0.95, 0.99]}, 30)
    add("CyclicLR, two groups, exp_range, start 6", "CyclicLR", [0.1, 0.2],
        {"base_lr": [0.01, 0.02], "max_lr": 0.1, "step_size_up": 5, "step_size_down": 3, "mode": "exp_range", "gamma": 0.95},
        30, start=6)
    add("CyclicLR, two groups, cycle_momentum false", "CyclicLR", [0.1, 0.01],
        {"base_lr": [0.001, 0.0001], "max_lr": [0.01, 0.001], "step_size_up": 4, "cycle_momentum": False}, 20)
    add("CyclicLR, one-element lists", "CyclicLR", [0.3],
        {"base_lr": [0.01], "max_lr": [0.1], "step_size_up": 4, "base_momentum": [0.7], "max_momentum": [0.95]}, 20)
    add("CyclicLR, single group with momentum", "CyclicLR", 0.1, {"base_lr": 0.001, "max_lr": 0.006, "step_size_up": 5}, 30)
    add("CyclicLR, single group, triangular2 with momentum bounds", "CyclicLR", 0.1,
        {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4, "mode": "triangular2", "base_momentum": 0.5, "max_momentum": 0.95}, 40)
    add("CyclicLR, single group, step_size_down, large start", "CyclicLR", 0.1,
        {"base_lr": 0.0001, "max_lr": 0.01, "step_size_up": 7, "step_size_down": 13, "mode": "exp_range", "gamma": 0.999},
        10, start=500)
    add("CyclicLR, base_lr list of wrong length rejected", "CyclicLR", [0.1, 0.01],
        {"base_lr": [0.001, 0.002, 0.003], "max_lr": 0.1}, 10)
    add("CyclicLR, base_momentum list of wrong length rejected", "CyclicLR", [0.1, 0.01],
        {"base_lr": 0.001, "max_lr": 0.1, "base_momentum": [0.8, 0.85, 0.9]}, 10)

    # OneCycleLR: per-group max_lr and momentum.
    add("OneCycleLR, per-group max_lr", "OneCycleLR", [0.1, 0.01], {"max_lr": [0.1, 0.01], "total_steps": 50}, 50)
    add("OneCycleLR, three groups, three_phase", "OneCycleLR", [0.1, 0.01, 0.5],
        {"max_lr": 0.2, "total_steps": 60, "three_phase": True}, 61)
    add("OneCycleLR, two groups, per-group momentum, linear", "OneCycleLR", [0.1, 0.01],
        {"max_lr": [0.3, 0.05], "total_steps": 40, "anneal_strategy": "linear",
         "base_momentum": [0.8, 0.85], "max_momentum": [0.9, 0.99]}, 40)
    add("OneCycleLR, two groups, epochs x steps_per_epoch, start 10", "OneCycleLR", [0.1, 0.01],
        {"max_lr": [0.1, 0.02], "epochs": 5, "steps_per_epoch": 10, "div_factor": 10.0}, 30, start=10)
    add("OneCycleLR, two groups, cycle_momentum false", "OneCycleLR", [0.1, 0.01],
        {"max_lr": [0.1, 0.01], "total_steps": 30, "cycle_momentum": False}, 30)
    add("OneCycleLR, two groups, stepping past total_steps raises", "OneCycleLR", [0.1, 0.01],
        {"max_lr": [0.1, 0.01], "total_steps": 10}, 12)
    add("OneCycleLR, single group with momentum", "OneCycleLR", 0.1, {"max_lr": 0.1, "total_steps": 100}, 100)
    add("OneCycleLR, single group, three_phase with momentum bounds", "OneCycleLR", 0.1,
        {"max_lr": 0.5, "total_steps": 40, "three_phase": True, "base_momentum": 0.8, "max_momentum": 0.9}, 41)
    add("OneCycleLR, single group, linear, to total_steps", "OneCycleLR", 0.1,
        {"max_lr": 0.05, "total_steps": 25, "anneal_strategy": "linear", "pct_start": 0.4}, 26)
    add("OneCycleLR, max_lr list of wrong length rejected", "OneCycleLR", [0.1, 0.01],
        {"max_lr": [0.1, 0.01, 0.001], "total_steps": 10}, 10)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    args = parser.parse_args(argv)

    version = torch.__version__.split("+")[0]
    if version != EXPECTED_TORCH:
        print(f"warning: torch {torch.__version__} installed, fixtures expect {EXPECTED_TORCH}", file=sys.stderr)

    os.makedirs(args.out, exist_ok=True)
    t0 = time.perf_counter()
    items = cases()
    names = [name for name, _ in items]
    assert len(names) == len(set(names)), "duplicate case names"
    out = []
    per_scheduler = {}
    for name, spec in items:
        spec = roundtrip(spec)
        if spec["scheduler"] == "ReduceLROnPlateau":
            assert len(spec["metrics"]) >= spec.get("start", 0) + spec["epochs"] - 1, name
        result = run_spec(spec)
        out.append({"name": name, "spec": spec, **result})
        counts = per_scheduler.setdefault(spec["scheduler"], [0, 0])
        counts[0 if "lrs" in result else 1] += 1
        if "error" in result:
            assert "0x" not in result["error"], result["error"]
    path = os.path.join(args.out, "groups.json")
    dump_fixture(path, {"torch": version, "scheduler": "groups"}, out)
    for scheduler, (n_ok, n_err) in per_scheduler.items():
        print(f"{scheduler:30s} {n_ok:3d} valid, {n_err:2d} error")
    print(f"groups.json: {len(out)} cases, {os.path.getsize(path):,d} bytes in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
