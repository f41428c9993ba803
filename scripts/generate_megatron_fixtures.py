#!/usr/bin/env python3
"""Generate golden learning-rate fixtures from real megatron-core.

What it does
------------
Builds a list of request specs (the exact JSON bodies the lrsched service
accepts with ``"framework": "megatron"``) for megatron-core's
``megatron.core.optimizer_param_scheduler.OptimizerParamScheduler``, runs each
one through the installed megatron-core + torch, and writes the learning rates
to

    Tests/SchedulesTests/Fixtures/megatron/OptimizerParamScheduler.json

The Swift tests compare the service's output with this file bit for bit; every
float is written with Python's ``repr`` (via ``json.dumps``), which round-trips
exactly.

How to run
----------
From the repository root::

    /work/venv/bin/python scripts/generate_megatron_fixtures.py [--out DIR]

megatron-core is installed with ``pip install --no-deps megatron-core==0.16.1``
next to torch (CPU is enough; Transformer Engine and Apex are not needed, the
import warnings about them are silenced). The fixture records the installed
versions of megatron-core and torch (without a local suffix such as ``+cpu``);
a warning is printed when they are not 0.16.1 / 2.15.0. The output is
deterministic: no timestamps, and the random sweep uses a fixed-seed
``random.Random``. It runs in a few seconds.

Request contract (a fixture ``spec`` is exactly a request body)
---------------------------------------------------------------
``{"framework": "megatron", "scheduler": "OptimizerParamScheduler",
"params": {...}, "epochs": N, "start": S}`` -- there is no ``lr``: the
scheduler writes the learning rate itself (``max_lr`` is the peak).

* ``params`` are the constructor keyword arguments by name, exactly as JSON
  decodes them (a JSON integer stays a Python ``int``, a JSON float a
  ``float``; megatron computes with whatever it is given), plus ``increment``,
  the argument of every ``step()`` call (samples per iteration in Megatron-LM),
  which is 1 when absent. Required: ``init_lr``, ``max_lr``, ``min_lr``,
  ``lr_warmup_steps``, ``lr_decay_steps``, ``lr_decay_style``, ``start_wd``,
  ``end_wd``, ``wd_incr_steps``, ``wd_incr_style``; optional:
  ``use_checkpoint_opt_param_scheduler`` (default true),
  ``override_opt_param_scheduler`` (default false), ``wsd_decay_steps``
  (default null), ``lr_wsd_decay_style`` (default null).
* The optimizer is ``torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))],
  lr=0.0)``: one parameter group, no ``max_lr`` / ``min_lr`` / ``wd_mult``
  overrides in it. Then::

      sched = OptimizerParamScheduler(optimizer, **params_without_increment)

  (the constructor itself calls ``sched.step(0)``, which sets the lr).
* Value 0 is ``optimizer.param_groups[0]["lr"]`` right after construction;
  value t >= 1 is the same after the t-th call of ``sched.step(increment)``.
  Every t from 1 to ``start + epochs - 1`` is stepped; the values for
  t = ``start`` .. ``start + epochs - 1`` are reported.

Fixture case format
-------------------
``{"name": ..., "spec": {...}, "lrs": [epochs floats]}`` for a clean run, or
``{"name": ..., "spec": {...}, "error": MSG, "error_step": K}`` when:

* the constructor raises (its asserts, or its ``step(0)``): ``error_step`` is
  null;
* the t-th ``step(increment)`` raises: ``error_step`` is t (the ``start``
  prefix included);
* a value is NaN or +-inf: ``error`` is ``"non-finite"`` and ``error_step`` is
  the first t at which one appeared (0 = right after construction).

``MSG`` is ``"<ExceptionClass>: <str(exception)>"``, or just
``"<ExceptionClass>"`` when ``str(exception)`` is empty (megatron's bare
``assert`` checks). Log messages and warnings are dropped.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import random
import sys
import time
import warnings

import torch

with warnings.catch_warnings():
    # "Transformer Engine and Apex are not installed. Falling back to local implementations ..."
    warnings.simplefilter("ignore")
    import megatron.core
    from megatron.core.optimizer_param_scheduler import OptimizerParamScheduler

from fixture_support import run_group_schedule, write_fixture_files

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "megatron")
EXPECTED_MEGATRON = "0.16.1"
EXPECTED_TORCH = "2.15.0"

SCHEDULER = "OptimizerParamScheduler"

# Constructor keyword order (the order of the params in a spec).
PARAM_ORDER = [
    "init_lr", "max_lr", "min_lr", "lr_warmup_steps", "lr_decay_steps", "lr_decay_style",
    "start_wd", "end_wd", "wd_incr_steps", "wd_incr_style",
    "use_checkpoint_opt_param_scheduler", "override_opt_param_scheduler",
    "wsd_decay_steps", "lr_wsd_decay_style",
    "increment",
]


def run_spec(spec: dict) -> dict:
    """Run ``spec`` through megatron-core; return the lrs or an error dict."""
    params = dict(spec["params"])
    increment = params.pop("increment", 1)
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.0)
    state = {}

    def build():
        state["sched"] = OptimizerParamScheduler(optimizer, **params)

    def advance(t):
        state["sched"].step(increment)

    def read():
        value = optimizer.param_groups[0]["lr"]
        assert isinstance(value, (int, float)) and not isinstance(value, bool), (spec, value)
        return [value]

    return run_group_schedule(build, advance, read, spec.get("start", 0), spec["epochs"])


# ---------------------------------------------------------------------------
# Spec helpers
# ---------------------------------------------------------------------------


def P(init_lr=0.0, max_lr=1e-3, min_lr=0.0, lr_warmup_steps=0, lr_decay_steps=100, lr_decay_style="linear",
      start_wd=0.0, end_wd=0.0, wd_incr_steps=0, wd_incr_style="constant", increment=1, **optional):
    """Constructor params in constructor order; ``increment`` is kept only when it is not 1."""
    params = {
        "init_lr": init_lr, "max_lr": max_lr, "min_lr": min_lr,
        "lr_warmup_steps": lr_warmup_steps, "lr_decay_steps": lr_decay_steps, "lr_decay_style": lr_decay_style,
        "start_wd": start_wd, "end_wd": end_wd, "wd_incr_steps": wd_incr_steps, "wd_incr_style": wd_incr_style,
    }
    for key in optional:
        assert key in PARAM_ORDER, key
    params.update(optional)
    if increment != 1:
        params["increment"] = increment
    return {k: params[k] for k in PARAM_ORDER if k in params}


def fmt(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return str(v)


# Short names for the case names (the params themselves are in the spec).
ABBREV = {
    "init_lr": "init", "max_lr": "max", "min_lr": "min", "lr_warmup_steps": "warmup",
    "lr_decay_steps": "decay", "lr_decay_style": "style", "start_wd": "start_wd", "end_wd": "end_wd",
    "wd_incr_steps": "wd_steps", "wd_incr_style": "wd_style",
    "use_checkpoint_opt_param_scheduler": "use_ckpt", "override_opt_param_scheduler": "override",
    "wsd_decay_steps": "wsd", "lr_wsd_decay_style": "wsd_style", "increment": "inc",
}
# Params left out of a name while they have these (uninteresting) values.
QUIET = {"start_wd": 0.0, "end_wd": 0.0, "wd_incr_steps": 0, "wd_incr_style": "constant"}


def describe(spec) -> str:
    parts = []
    for k, v in spec["params"].items():
        if k in QUIET and v == QUIET[k] and type(v) is type(QUIET[k]):
            continue
        parts.append(f"{ABBREV[k]}={fmt(v)}")
    parts.append(f"epochs={spec['epochs']}")
    if spec.get("start", 0):
        parts.append(f"start={spec['start']}")
    return " ".join(parts)


def steps_past(params, extra=5, cap=400) -> int:
    """Enough values to go ``extra`` steps past ``lr_decay_steps`` (at most ``cap``)."""
    inc = params.get("increment", 1)
    n = math.floor(params["lr_decay_steps"] / inc) + 1 + extra
    return max(2, min(n, cap))


class CaseList:
    def __init__(self):
        self.items = []

    def add(self, params, epochs=None, start=0, label=None):
        if epochs is None:
            epochs = steps_past(params)
        spec = {"framework": "megatron", "scheduler": SCHEDULER, "params": params, "epochs": epochs, "start": start}
        name = describe(spec) if label is None else f"{label}: {describe(spec)}"
        self.items.append((name, spec))


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

WSD_STYLES = ["linear", "cosine", "exponential", "minus_sqrt"]


def cases():
    c = CaseList()

    # --- every decay style, iteration units (increment 1) ---------------------------------
    c.add(P(max_lr=0.1, lr_decay_steps=100, lr_decay_style="constant"), label="constant")
    c.add(P(max_lr=0.1, lr_warmup_steps=10, lr_decay_steps=100, lr_decay_style="constant"), epochs=30,
          label="constant after warm-up (decay steps never reached)")
    c.add(P(max_lr=0.1, lr_decay_steps=100, lr_decay_style="linear"), label="linear, no warm-up")
    c.add(P(max_lr=3e-4, min_lr=3e-5, lr_warmup_steps=10, lr_decay_steps=100, lr_decay_style="linear"),
          label="linear with warm-up and min_lr")
    c.add(P(max_lr=0.1, lr_decay_steps=100, lr_decay_style="cosine"), label="cosine, no warm-up")
    c.add(P(max_lr=6e-4, min_lr=6e-5, lr_warmup_steps=20, lr_decay_steps=200, lr_decay_style="cosine"),
          label="cosine with warm-up and min_lr")
    c.add(P(max_lr=1e-3, lr_warmup_steps=0, lr_decay_steps=100, lr_decay_style="inverse-square-root"),
          label="inverse-square-root, no warm-up")
    c.add(P(max_lr=1e-3, min_lr=1e-4, lr_warmup_steps=16, lr_decay_steps=200, lr_decay_style="inverse-square-root"),
          label="inverse-square-root with warm-up, min_lr floor")
    c.add(P(max_lr=1e-3, min_lr=2e-4, lr_warmup_steps=7, lr_decay_steps=60, lr_decay_style="inverse-square-root"),
          label="inverse-square-root, floor reached before decay end")
    c.add(P(max_lr=1e-3, lr_warmup_steps=0.5, lr_decay_steps=50, lr_decay_style="inverse-square-root"),
          label="inverse-square-root, warm-up below 1 (max(warmup, 1) is 1)")

    # --- WSD with every wsd decay style ----------------------------------------------------
    for style in WSD_STYLES:
        c.add(P(max_lr=1e-3, min_lr=1e-5, lr_warmup_steps=10, lr_decay_steps=100, lr_decay_style="WSD",
                wsd_decay_steps=30, lr_wsd_decay_style=style), label=f"WSD {style}")
        c.add(P(max_lr=2e-3, lr_decay_steps=4096 * 60, lr_decay_style="WSD", increment=4096,
                wsd_decay_steps=4096 * 20 + 1000, lr_wsd_decay_style=style),
              label=f"WSD {style}, samples, no warm-up, wsd decay not a multiple")
    c.add(P(max_lr=1e-3, min_lr=1e-4, lr_warmup_steps=10, lr_decay_steps=50, lr_decay_style="WSD",
            wsd_decay_steps=0, lr_wsd_decay_style="cosine"), label="WSD, zero wsd decay steps (stable to the end)")
    c.add(P(max_lr=1e-3, min_lr=1e-4, lr_warmup_steps=10, lr_decay_steps=50, lr_decay_style="WSD",
            wsd_decay_steps=50, lr_wsd_decay_style="linear"), label="WSD, wsd decay covers the whole decay")
    c.add(P(max_lr=1e-3, min_lr=1e-4, lr_warmup_steps=10, lr_decay_steps=50, lr_decay_style="WSD",
            wsd_decay_steps=80, lr_wsd_decay_style="exponential"), label="WSD, wsd decay longer than decay")
    c.add(P(max_lr=1e-3, min_lr=1e-4, lr_warmup_steps=5, lr_decay_steps=40, lr_decay_style="WSD",
            wsd_decay_steps=12.5, lr_wsd_decay_style="minus_sqrt"), label="WSD, float wsd decay steps")
    c.add(P(max_lr=1e-3, lr_decay_steps=30, lr_decay_style="WSD", wsd_decay_steps=-10, lr_wsd_decay_style="linear"),
          label="WSD, negative wsd decay steps (anneal start past decay end)")
    c.add(P(max_lr=1e-3, lr_warmup_steps=5, lr_decay_steps=30, lr_decay_style="WSD", wsd_decay_steps=10),
          epochs=21, label="WSD without lr_wsd_decay_style, stopped before the anneal")

    # --- init_lr > 0, min_lr == max_lr, integers in JSON -----------------------------------
    c.add(P(init_lr=1e-5, max_lr=1e-3, min_lr=1e-5, lr_warmup_steps=25, lr_decay_steps=100, lr_decay_style="cosine"),
          label="init_lr > 0")
    c.add(P(init_lr=0.001, max_lr=0.001, lr_warmup_steps=10, lr_decay_steps=40, lr_decay_style="linear"),
          label="init_lr == max_lr")
    c.add(P(init_lr=-0.01, max_lr=0.01, lr_warmup_steps=10, lr_decay_steps=30, lr_decay_style="linear"),
          label="negative init_lr (not checked)")
    c.add(P(max_lr=0.02, min_lr=0.02, lr_warmup_steps=5, lr_decay_steps=30, lr_decay_style="cosine"),
          label="min_lr == max_lr")
    c.add(P(init_lr=0, max_lr=1, min_lr=0, lr_warmup_steps=4, lr_decay_steps=20, lr_decay_style="linear"),
          label="integer lrs in JSON")
    c.add(P(max_lr=1e-3, lr_warmup_steps=-10, lr_decay_steps=30, lr_decay_style="linear"),
          label="negative warm-up (skipped; decay measured from -10)")

    # --- samples: increment = global batch size --------------------------------------------
    for inc, iters, warm_iters in [(8, 50, 5), (256, 60, 6), (512, 40, 4)]:
        for style in ["linear", "cosine", "inverse-square-root", "constant"]:
            c.add(P(max_lr=3e-4, min_lr=3e-5, lr_warmup_steps=warm_iters * inc, lr_decay_steps=iters * inc,
                    lr_decay_style=style, increment=inc),
                  label=f"{style}, samples, multiples of the increment")
    c.add(P(max_lr=1e-3, min_lr=1e-4, lr_warmup_steps=1000, lr_decay_steps=30000, lr_decay_style="cosine",
            increment=256), label="cosine, samples not multiples of the increment")
    c.add(P(max_lr=1e-3, min_lr=1e-4, lr_warmup_steps=1000, lr_decay_steps=20000, lr_decay_style="linear",
            increment=512), label="linear, samples not multiples of the increment")
    c.add(P(max_lr=1e-3, lr_warmup_steps=100, lr_decay_steps=3000, lr_decay_style="inverse-square-root",
            increment=8), label="inverse-square-root, samples not multiples of the increment")
    c.add(P(max_lr=1e-3, lr_warmup_steps=300, lr_decay_steps=1000, lr_decay_style="linear", increment=512),
          label="warm-up shorter than one increment")
    c.add(P(max_lr=1e-3, min_lr=1e-5, lr_warmup_steps=100, lr_decay_steps=1000, lr_decay_style="cosine",
            increment=1536), epochs=4, label="increment larger than the decay")
    c.add(P(max_lr=1.5e-4, min_lr=1e-5, lr_warmup_steps=2000 * 1024, lr_decay_steps=430000 * 1024,
            lr_decay_style="cosine", increment=1024), epochs=50, start=429970,
          label="GPT-3 style large horizon, start near the decay end")

    # --- Megatron's float warm-up: lr_warmup_fraction * lr_decay_steps -------------------------
    for frac, iters, gbs, style in [(0.01, 1000, 1, "cosine"), (0.03, 100, 256, "cosine"), (0.1, 50, 8, "linear"),
                                    (0.07, 70, 512, "inverse-square-root"), (0.3, 30, 1, "linear"),
                                    (0.015, 200, 32, "WSD")]:
        decay = iters * gbs
        extra = {"wsd_decay_steps": 40 * gbs, "lr_wsd_decay_style": "exponential"} if style == "WSD" else {}
        c.add(P(max_lr=2e-4, min_lr=2e-5, lr_warmup_steps=frac * decay, lr_decay_steps=decay, lr_decay_style=style,
                increment=gbs, **extra), epochs=iters + 5,
              label=f"float warm-up {frac} * {decay}")

    # --- start > 0, horizons ---------------------------------------------------------------
    c.add(P(max_lr=0.1, min_lr=0.001, lr_warmup_steps=10, lr_decay_steps=100, lr_decay_style="cosine"),
          epochs=60, start=55, label="start past the warm-up, past the decay end")
    c.add(P(max_lr=0.1, lr_warmup_steps=10, lr_decay_steps=100, lr_decay_style="linear", increment=8),
          epochs=20, start=3, label="start inside the warm-up")
    c.add(P(max_lr=0.1, min_lr=0.01, lr_decay_steps=50, lr_decay_style="cosine"), epochs=1, start=0,
          label="one value")
    c.add(P(max_lr=0.1, min_lr=0.01, lr_decay_steps=50, lr_decay_style="linear"), epochs=10, start=100,
          label="only past the decay end")

    # --- weight-decay options (do not change the lr) and checkpoint flags -------------------
    c.add(P(max_lr=1e-3, min_lr=1e-4, lr_warmup_steps=5, lr_decay_steps=50, lr_decay_style="cosine",
            start_wd=0.01, end_wd=0.1, wd_incr_steps=50, wd_incr_style="linear"), label="linear weight-decay increase")
    c.add(P(max_lr=1e-3, min_lr=1e-4, lr_warmup_steps=5, lr_decay_steps=50, lr_decay_style="linear",
            start_wd=0.0, end_wd=0.1, wd_incr_steps=40, wd_incr_style="cosine"), label="cosine weight-decay increase")
    c.add(P(max_lr=1e-3, lr_decay_steps=50, lr_decay_style="linear", start_wd=0.1, end_wd=0.1, wd_incr_steps=30),
          label="constant weight decay 0.1")
    c.add(P(max_lr=1e-3, lr_decay_steps=50, lr_decay_style="linear", start_wd=0.0, end_wd=0.1, wd_incr_steps=-1),
          epochs=10, label="constant weight-decay style with start != end, wd_incr_steps < 0 (never checked)")
    c.add(P(max_lr=1e-3, lr_decay_steps=50, lr_decay_style="cosine", use_checkpoint_opt_param_scheduler=False,
            override_opt_param_scheduler=True), label="override without use-checkpoint")
    c.add(P(max_lr=1e-3, lr_decay_steps=50, lr_decay_style="cosine", use_checkpoint_opt_param_scheduler=False,
            override_opt_param_scheduler=False), epochs=10, label="neither checkpoint flag")

    # --- quirks ----------------------------------------------------------------------------
    c.add(P(max_lr=1e-3, lr_warmup_steps=10, lr_decay_steps=20, lr_decay_style="no-such-style", increment=25),
          epochs=5, label="unknown style never evaluated (warm-up, then past the decay end)")
    c.add(P(max_lr=1e-3, lr_warmup_steps=5, lr_decay_steps=20.5, lr_decay_style="linear"),
          label="float decay steps")
    c.add(P(max_lr=1e-3, lr_warmup_steps=5, lr_decay_steps=20, lr_decay_style="linear", increment=0),
          epochs=5, label="increment 0")
    c.add(P(max_lr=1e308, lr_warmup_steps=1000, lr_decay_steps=2000, lr_decay_style="linear"),
          epochs=5, label="overflow in the warm-up")

    # --- fixed-seed random sweep -------------------------------------------------------------
    rng = random.Random(20260316)
    styles = ["constant", "linear", "cosine", "inverse-square-root", "WSD"]
    for i in range(40):
        style = styles[i % len(styles)]
        inc = rng.choice([1, 1, 2, 8, 16, 32, 64, 128, 256, 512, 768, 1024])
        iters = rng.randint(5, 250)
        decay = iters * inc + (rng.randint(1, inc - 1) if inc > 1 and rng.random() < 0.5 else 0)
        max_lr = 10 ** rng.uniform(-5, -1)
        min_lr = rng.choice([0.0, max_lr * 0.1, max_lr * rng.random()])
        init_lr = rng.choice([0.0, 0.0, min_lr, max_lr * rng.random()])
        r = rng.random()
        if r < 0.2:
            warmup = 0
        elif r < 0.6:
            warmup = rng.choice([0.01, 0.02, 0.05, 0.1, 0.25, rng.random() * 0.5]) * decay
        else:
            warmup = rng.randint(0, decay - 1)
        extra = {}
        if style == "WSD":
            extra = {"wsd_decay_steps": rng.choice([int(decay * rng.uniform(0, 0.5)), rng.randint(0, decay)]),
                     "lr_wsd_decay_style": WSD_STYLES[(i // len(styles)) % len(WSD_STYLES)]}
        params = P(init_lr=init_lr, max_lr=max_lr, min_lr=min_lr, lr_warmup_steps=warmup, lr_decay_steps=decay,
                   lr_decay_style=style, increment=inc, **extra)
        start = rng.choice([0, 0, 0, rng.randint(1, iters)])
        epochs = min(400, max(1, steps_past(params, extra=rng.randint(0, 10)) - start))
        c.add(params, epochs=epochs, start=start, label=f"random {i}")

    # --- refused configurations ----------------------------------------------------------------
    base = dict(max_lr=1e-3, lr_warmup_steps=10, lr_decay_steps=100, lr_decay_style="cosine")

    def bad(label, epochs=5, **changes):
        c.add(P(**{**base, **changes}), epochs=epochs, label=label)

    bad("min_lr < 0", min_lr=-1e-5)
    bad("max_lr < min_lr", max_lr=1e-4, min_lr=1e-3)
    bad("init_lr > max_lr", init_lr=2e-3)
    bad("lr_decay_steps 0", lr_warmup_steps=0, lr_decay_steps=0)
    bad("lr_decay_steps < 0", lr_warmup_steps=-5, lr_decay_steps=-1)
    bad("warm-up == decay", lr_warmup_steps=100)
    bad("warm-up > decay", lr_warmup_steps=150)
    bad("float warm-up == decay", lr_warmup_steps=1.0 * 100)
    bad("WSD without wsd_decay_steps", lr_decay_style="WSD", lr_wsd_decay_style="linear")
    bad("start_wd < 0", start_wd=-0.1, end_wd=0.0)
    bad("end_wd < start_wd", start_wd=0.1, end_wd=0.01, wd_incr_style="linear", wd_incr_steps=100)
    bad("override with use-checkpoint (default true)", override_opt_param_scheduler=True)
    bad("override with use-checkpoint true", use_checkpoint_opt_param_scheduler=True, override_opt_param_scheduler=True)
    bad("constant weight-decay style with start != end", start_wd=0.0, end_wd=0.1)
    bad("linear weight-decay style with wd_incr_steps 0", start_wd=0.0, end_wd=0.1, wd_incr_style="linear")
    bad("unknown weight-decay style", start_wd=0.0, end_wd=0.1, wd_incr_steps=100, wd_incr_style="exponential")
    bad("unknown decay style, no warm-up (raised by the constructor's step(0))",
        lr_warmup_steps=0, lr_decay_style="polynomial")
    bad("decay style is case-sensitive", lr_warmup_steps=0, lr_decay_style="wsd", wsd_decay_steps=10)
    # Raised by a later step():
    bad("unknown decay style, raised after the warm-up", epochs=20, lr_decay_style="exponential")
    bad("WSD without lr_wsd_decay_style, raised at the anneal", epochs=100, lr_decay_style="WSD",
        wsd_decay_steps=30)
    bad("WSD with an unknown lr_wsd_decay_style, raised at the anneal", epochs=100, lr_decay_style="WSD",
        wsd_decay_steps=30, lr_wsd_decay_style="step")
    bad("negative increment, decay ratio < 0", epochs=5, lr_warmup_steps=0, lr_decay_style="linear", increment=-1)
    return c


CASE_BUILDERS = {SCHEDULER: cases}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    args = parser.parse_args(argv)

    logging.disable(logging.WARNING)
    megatron_version = megatron.core.__version__.split("+")[0]
    torch_version = torch.__version__.split("+")[0]
    if megatron_version != EXPECTED_MEGATRON or torch_version != EXPECTED_TORCH:
        print(f"warning: megatron-core {megatron.core.__version__} / torch {torch.__version__} installed, "
              f"fixtures expect {EXPECTED_MEGATRON} / {EXPECTED_TORCH}", file=sys.stderr)

    t0 = time.perf_counter()
    total_bytes = write_fixture_files(
        args.out, [SCHEDULER], CASE_BUILDERS, run_spec,
        lambda scheduler: {"megatron": megatron_version, "package": "megatron-core", "torch": torch_version, "scheduler": scheduler},
    )
    print(f"total {total_bytes:,d} bytes in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
