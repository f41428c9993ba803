#!/usr/bin/env python3
"""Generate golden learning-rate fixtures from real optax (jax, CPU, float32, jit).

What it does
------------
For every optax schedule lrsched supports, builds request specs (the JSON bodies the service
accepts with ``"framework": "optax"``), evaluates the schedule the way an optimizer does, inside
``jax.jit`` on int32 step counts, and writes

    Tests/SchedulesTests/Fixtures/optax/<NAME>.json

Each value is the float32 the jitted schedule returns, written as the exact double of that
float32 (``json.dumps(float(x))``). Long runs (over 10,000 steps) and the parameter values XLA's
simplifier treats specially (0, 1) are included, because the float32 expression XLA runs depends
on them. A spec optax refuses is recorded with its error.

How to run
----------
From the repository root::

    pip install jax==0.10.2 optax==0.2.8
    JAX_PLATFORMS=cpu python3 scripts/generate_optax_fixtures.py [--out DIR]

Deterministic; CPU only; a few minutes. Every value is the scalar ``jax.jit(schedule)(int32(k))``
that an update step evaluates: ``jax.jit(jax.vmap(schedule))`` over a vector of steps compiles
to a different expression for some schedules (``piecewise_interpolate_schedule``) and is not
the value the optimizer reads.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_support import dump_fixture, format_exception  # noqa: E402

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "SchedulesTests",
                           "Fixtures", "optax")
EXPECTED = {"jax": "0.10.2", "optax": "0.2.8"}


def build(name: str, params: dict):
    """The optax schedule a spec names: JSON object keys of ``boundaries_and_scales`` become the
    int steps optax wants, and ``join_schedules`` children are built the same way."""
    kwargs = dict(params)
    if isinstance(kwargs.get("boundaries_and_scales"), dict):
        kwargs["boundaries_and_scales"] = {int(k): v for k, v in kwargs["boundaries_and_scales"].items()}
    if name == "join_schedules":
        kwargs["schedules"] = [build(c["scheduler"], c.get("params", {})) for c in kwargs["schedules"]]
    return getattr(optax, name)(**kwargs)


def run_spec(spec: dict) -> dict:
    """The jitted schedule's values at steps start ... start + epochs - 1, or the error."""
    try:
        schedule = build(spec["scheduler"], spec.get("params", {}))
    except Exception as exc:  # noqa: BLE001 - optax's exception is the fixture
        return {"error": format_exception(exc), "error_step": None}
    start = spec.get("start", 0)
    scalar = jax.jit(schedule)
    values = np.array([np.float32(scalar(np.int32(start + i))) for i in range(spec["epochs"])], dtype=np.float32)
    if not np.all(np.isfinite(values)):
        first = int(np.argmin(np.isfinite(values)))
        return {"error": "non-finite", "error_step": start + first}
    return {"lrs": [float(v) for v in values]}


def spec(name: str, params: dict, epochs: int, start: int | None = None) -> dict:
    out = {"framework": "optax", "scheduler": name, "params": params, "epochs": epochs}
    if start is not None:
        out["start"] = start
    return out


def cases_constant() -> list:
    values = [0.1, 1e-3, 1.0, 0.0, 3e-4, -0.5, 1e-8, 2.5, 0.3, 7.0, 1e-5, 0.01, 0.123456789, 5e-2, 1e3,
              0.9, 0.75, 1.5e-4, 6e-6, 0.2, 0.05, 0.33, 2e-3, 8e-1, 4.2e-7]
    return [spec("constant_schedule", {"value": v}, 12, start=(i * 7) % 20) for i, v in enumerate(values)]


def cases_linear() -> list:
    out = []
    fixed = [
        (0.1, 0.001, 1000, 10), (0.1, 0.0, 1000, 0), (1.0, 0.0, 100, 0), (0.0, 1.0, 37, 3),
        (3e-4, 1e-6, 12000, 500), (0.5, 0.25, 7, 0), (1e-3, 1e-3, 50, 0), (0.2, 0.05, 3000, 250),
        (0.01, 0.1, 999, 1), (1.0, 0.0, 1, 0), (2.0, 1.0, 64, 0), (0.1, 0.0, 0, 0), (0.1, 0.0, -5, 0),
        (0.1, 0.01, 200, -10), (1e-4, 1e-2, 10000, 2000),
    ]
    for init, end, steps, begin in fixed:
        epochs = min(max(steps, 0) + max(begin, 0) + 50, 13000)
        out.append(spec("linear_schedule", {"init_value": init, "end_value": end, "transition_steps": steps,
                                            "transition_begin": begin}, epochs))
    rng = random.Random(11)
    for _ in range(12):
        steps = rng.choice([rng.randint(2, 300), rng.randint(300, 20000)])
        begin = rng.choice([0, rng.randint(0, 500)])
        init = round(10 ** rng.uniform(-5, 0), 6)
        end = rng.choice([0.0, round(init * rng.uniform(0, 1), 8)])
        start = rng.choice([0, rng.randint(0, steps)])
        out.append(spec("linear_schedule", {"init_value": init, "end_value": end, "transition_steps": steps,
                                            "transition_begin": begin}, min(steps + begin + 20, 12000), start=start))
    return out


def cases_cosine() -> list:
    out = []
    fixed = [
        (0.1, 1000, 0.0), (0.1, 1000, 0.1), (1.0, 100, 0.0), (3e-4, 12000, 0.0), (0.5, 37, 0.2),
        (1.0, 7, 0.5), (0.02, 5000, 0.01), (1.0, 1, 0.0), (0.1, 2, 0.0), (2.0, 300, 1.0),
        (0.1, 16000, 0.05), (1e-3, 999, 0.0),
    ]
    for init, steps, alpha in fixed:
        out.append(spec("cosine_decay_schedule", {"init_value": init, "decay_steps": steps, "alpha": alpha},
                        min(steps + 50, 16100)))
    out.append(spec("cosine_decay_schedule", {"init_value": 0.1, "decay_steps": 0}, 5))
    rng = random.Random(5)
    for _ in range(14):
        steps = rng.choice([rng.randint(2, 400), rng.randint(400, 15000)])
        init = round(10 ** rng.uniform(-5, 0.5), 6)
        alpha = rng.choice([0.0, round(rng.uniform(0, 0.5), 4)])
        start = rng.choice([0, rng.randint(0, steps)])
        out.append(spec("cosine_decay_schedule", {"init_value": init, "decay_steps": steps, "alpha": alpha},
                        min(steps + 30, 15000), start=start))
    return out


def cases_polynomial() -> list:
    out = []
    fixed = [
        (0.1, 0.001, 2, 1000, 0), (0.1, 0.001, 2.0, 1000, 0), (0.1, 0.0, 3, 500, 10), (1.0, 0.0, 3.0, 100, 0),
        (0.1, 0.001, 0.5, 1000, 0), (0.1, 0.001, 4, 300, 0), (0.1, 0.001, 4.0, 300, 0), (0.2, 0.01, 1.5, 999, 0),
        (0.2, 0.01, 1.5, 1000, 0), (1e-3, 1e-5, 0.9, 12000, 100), (0.1, 0.0, 1, 50, 0), (0.1, 0.0, 0, 50, 0),
        (0.3, 0.1, -1, 40, 0), (0.05, 0.5, 2, 64, 5), (0.1, 0.001, 5, 2000, 0), (0.1, 0.001, 0.25, 777, 0),
    ]
    for init, end, power, steps, begin in fixed:
        out.append(spec("polynomial_schedule", {"init_value": init, "end_value": end, "power": power,
                                                "transition_steps": steps, "transition_begin": begin},
                        min(steps + begin + 40, 12200)))
    rng = random.Random(3)
    for _ in range(16):
        steps = rng.choice([rng.randint(2, 300), rng.randint(300, 9000)])
        power = rng.choice([1, 2, 3, 4, 2.0, 3.0, 0.5, round(rng.uniform(0.2, 3), 3)])
        init = round(10 ** rng.uniform(-4, 0), 6)
        end = rng.choice([0.0, round(init * rng.uniform(0, 0.5), 8)])
        start = rng.choice([0, rng.randint(0, steps)])
        out.append(spec("polynomial_schedule", {"init_value": init, "end_value": end, "power": power,
                                                "transition_steps": steps, "transition_begin": 0},
                        min(steps + 20, 9000), start=start))
    return out


def cases_exponential() -> list:
    out = []
    fixed = [
        (0.1, 100, 0.9, 0, False, None), (0.1, 100, 0.9, 0, True, None), (1.0, 1000, 0.5, 100, False, None),
        (1.0, 1000, 0.5, 100, True, 0.01), (3e-4, 7, 0.96, 0, False, 1e-5), (0.1, 1, 0.99, 0, False, None),
        (0.1, 3, 1.01, 0, False, 0.2), (0.1, 3, 1.01, 0, True, 0.2), (0.1, 0, 0.9, 0, False, None),
        (0.1, 10, 0.0, 0, False, None), (0.1, 10, 0.5, -5, False, None), (2.0, 12000, 0.1, 0, False, None),
        (0.01, 250, 1.0, 10, False, None), (0.5, 33, 0.7, 2, True, 0.05),
    ]
    for init, steps, rate, begin, stair, end in fixed:
        params = {"init_value": init, "transition_steps": steps, "decay_rate": rate, "transition_begin": begin,
                  "staircase": stair}
        if end is not None:
            params["end_value"] = end
        out.append(spec("exponential_decay", params, 13000 if steps >= 1000 else 600))
    rng = random.Random(17)
    for _ in range(13):
        steps = rng.choice([rng.randint(1, 50), rng.randint(50, 5000)])
        params = {"init_value": round(10 ** rng.uniform(-5, 0.5), 6), "transition_steps": steps,
                  "decay_rate": round(rng.uniform(0.05, 1.2), 5), "transition_begin": rng.choice([0, rng.randint(0, 300)]),
                  "staircase": rng.random() < 0.4}
        if rng.random() < 0.4:
            params["end_value"] = round(params["init_value"] * rng.uniform(0.01, 1.5), 8)
        out.append(spec("exponential_decay", params, rng.randint(2000, 12000), start=rng.choice([0, rng.randint(0, 3000)])))
    return out


def random_boundaries(rng: random.Random, count: int, top: int) -> dict:
    keys = sorted(rng.sample(range(0, top), count))
    return {str(k): round(rng.choice([rng.uniform(0, 1), rng.uniform(0, 3), 0.1, 0.5, 2.0, 10.0]), 5) for k in keys}


def cases_piecewise_constant() -> list:
    out = [
        spec("piecewise_constant_schedule", {"init_value": 0.1}, 30),
        spec("piecewise_constant_schedule", {"init_value": 0.1, "boundaries_and_scales": {}}, 30),
        spec("piecewise_constant_schedule", {"init_value": 0.1, "boundaries_and_scales": {"10": 0.5, "20": 0.3, "30": 2.0}}, 50),
        spec("piecewise_constant_schedule", {"init_value": 1.0, "boundaries_and_scales": {"0": 0.5, "1": 0.5}}, 10),
        spec("piecewise_constant_schedule", {"init_value": 0.1, "boundaries_and_scales": {"-5": 0.5, "3": 0.0, "9": 4.0}}, 20),
        spec("piecewise_constant_schedule", {"init_value": 3e-4, "boundaries_and_scales": {"5000": 0.1, "10000": 0.1, "11000": 0.1}}, 12000),
        spec("piecewise_constant_schedule", {"init_value": 0.1, "boundaries_and_scales": {"2": -0.5}}, 10),
    ]
    rng = random.Random(23)
    for _ in range(22):
        init = round(10 ** rng.uniform(-5, 0.5), 6)
        out.append(spec("piecewise_constant_schedule",
                        {"init_value": init, "boundaries_and_scales": random_boundaries(rng, rng.randint(1, 6), 3000)},
                        rng.randint(100, 3500), start=rng.choice([0, rng.randint(0, 100)])))
    return out


def cases_piecewise_interpolate() -> list:
    out = [
        spec("piecewise_interpolate_schedule", {"interpolate_type": "linear", "init_value": 0.1}, 20),
        spec("piecewise_interpolate_schedule", {"interpolate_type": "linear", "init_value": 0.1,
                                                "boundaries_and_scales": {"10": 0.5, "25": 0.3, "30": 2.0}}, 50),
        spec("piecewise_interpolate_schedule", {"interpolate_type": "cosine", "init_value": 0.1,
                                                "boundaries_and_scales": {"10": 0.5, "25": 0.3}}, 50),
        spec("piecewise_interpolate_schedule", {"interpolate_type": "cosine", "init_value": 1.0,
                                                "boundaries_and_scales": {"0": 0.5, "1": 0.5, "2": 3.0}}, 10),
        spec("piecewise_interpolate_schedule", {"interpolate_type": "linear", "init_value": 1.0,
                                                "boundaries_and_scales": {"-3": 0.5, "4": 2.0}}, 12),
        spec("piecewise_interpolate_schedule", {"interpolate_type": "linear", "init_value": 0.1,
                                                "boundaries_and_scales": {"12000": 0.01}}, 12500),
        spec("piecewise_interpolate_schedule", {"interpolate_type": "cosine", "init_value": 0.1,
                                                "boundaries_and_scales": {"15000": 0.001}}, 15100),
        spec("piecewise_interpolate_schedule", {"interpolate_type": "quadratic", "init_value": 0.1}, 5),
        spec("piecewise_interpolate_schedule", {"interpolate_type": "linear", "init_value": 0.1,
                                                "boundaries_and_scales": {"3": -1.0}}, 5),
    ]
    rng = random.Random(29)
    for i in range(26):
        kind = "linear" if i % 2 == 0 else "cosine"
        init = round(10 ** rng.uniform(-5, 0.5), 6)
        out.append(spec("piecewise_interpolate_schedule",
                        {"interpolate_type": kind, "init_value": init,
                         "boundaries_and_scales": random_boundaries(rng, rng.randint(1, 5), 4000)},
                        rng.randint(100, 4500), start=rng.choice([0, rng.randint(0, 100)])))
    return out


def cases_warmup_constant() -> list:
    out = []
    fixed = [(0.0, 0.1, 100), (1e-5, 1e-3, 1000), (0.1, 0.1, 10), (0.0, 1.0, 1), (0.0, 1.0, 0), (0.5, 0.1, 37),
             (0.0, 3e-4, 12000)]
    for init, peak, warm in fixed:
        out.append(spec("warmup_constant_schedule", {"init_value": init, "peak_value": peak, "warmup_steps": warm},
                        min(warm + 40, 12100)))
    rng = random.Random(31)
    for _ in range(19):
        warm = rng.choice([rng.randint(1, 100), rng.randint(100, 5000)])
        peak = round(10 ** rng.uniform(-5, 0), 6)
        out.append(spec("warmup_constant_schedule",
                        {"init_value": rng.choice([0.0, round(peak * rng.uniform(0, 1), 8)]), "peak_value": peak,
                         "warmup_steps": warm}, warm + 20, start=rng.choice([0, rng.randint(0, warm)])))
    return out


def cases_warmup_cosine() -> list:
    out = []
    fixed = [
        (0.0, 0.1, 10, 100, 0.0, 1.0), (0.0, 0.1, 10, 100, 0.001, 1.0), (1e-6, 3e-4, 500, 12000, 1e-6, 1.0),
        (0.0, 1.0, 0, 50, 0.0, 1.0), (0.0, 1.0, 5, 50, 0.0, 2.0), (0.0, 1.0, 5, 50, 0.1, 1.5),
        (0.0, 0.5, 20, 300, 0.05, 0.5), (0.0, 0.5, 20, 300, 0.0, 3), (0.0, 0.0, 5, 30, 0.0, 1.0),
        (0.01, 0.1, 99, 100, 0.0, 1.0), (0.0, 0.1, 100, 16000, 0.0, 1.0), (0.0, 0.1, 10, 10, 0.0, 1.0),
    ]
    for init, peak, warm, decay, end, expo in fixed:
        out.append(spec("warmup_cosine_decay_schedule",
                        {"init_value": init, "peak_value": peak, "warmup_steps": warm, "decay_steps": decay,
                         "end_value": end, "exponent": expo}, min(decay + 30, 16100)))
    rng = random.Random(37)
    for _ in range(16):
        decay = rng.choice([rng.randint(20, 500), rng.randint(500, 12000)])
        warm = rng.randint(0, decay // 3)
        peak = round(10 ** rng.uniform(-5, 0), 6)
        expo = rng.choice([1.0, 1.0, 2.0, 0.5, 3, round(rng.uniform(0.3, 3), 3)])
        out.append(spec("warmup_cosine_decay_schedule",
                        {"init_value": rng.choice([0.0, round(peak * rng.uniform(0, 0.5), 8)]), "peak_value": peak,
                         "warmup_steps": warm, "decay_steps": decay,
                         "end_value": rng.choice([0.0, round(peak * rng.uniform(0, 0.2), 9)]), "exponent": expo},
                        decay + 20, start=rng.choice([0, rng.randint(0, decay)])))
    return out


def cases_warmup_exponential() -> list:
    out = []
    fixed = [
        (0.0, 0.1, 10, 100, 0.9, 0, False, None), (0.0, 1.0, 100, 1000, 0.5, 50, True, 0.01),
        (1e-5, 3e-4, 500, 2000, 0.96, 0, False, 1e-5), (0.0, 0.1, 0, 10, 0.8, 0, True, None),
        (0.0, 0.1, 5, 0, 0.9, 0, False, None), (0.0, 0.1, 5, 10, 1.05, 0, False, 0.3),
    ]
    for init, peak, warm, steps, rate, begin, stair, end in fixed:
        params = {"init_value": init, "peak_value": peak, "warmup_steps": warm, "transition_steps": steps,
                  "decay_rate": rate, "transition_begin": begin, "staircase": stair}
        if end is not None:
            params["end_value"] = end
        out.append(spec("warmup_exponential_decay_schedule", params, 12000 if steps >= 1000 else 800))
    rng = random.Random(41)
    for _ in range(20):
        steps = rng.choice([rng.randint(1, 50), rng.randint(50, 3000)])
        peak = round(10 ** rng.uniform(-5, 0), 6)
        params = {"init_value": rng.choice([0.0, round(peak * rng.uniform(0, 0.5), 8)]), "peak_value": peak,
                  "warmup_steps": rng.randint(0, 500), "transition_steps": steps,
                  "decay_rate": round(rng.uniform(0.05, 1.1), 5), "transition_begin": rng.choice([0, rng.randint(0, 200)]),
                  "staircase": rng.random() < 0.4}
        if rng.random() < 0.4:
            params["end_value"] = round(peak * rng.uniform(0.01, 1.2), 8)
        out.append(spec("warmup_exponential_decay_schedule", params, rng.randint(1000, 10000),
                        start=rng.choice([0, rng.randint(0, 1000)])))
    return out


def cases_sgdr() -> list:
    def kw(init, peak, warm, decay, end=0.0, expo=1.0):
        return {"init_value": init, "peak_value": peak, "warmup_steps": warm, "decay_steps": decay, "end_value": end,
                "exponent": expo}
    out = [
        spec("sgdr_schedule", {"cosine_kwargs": [kw(0.0, 0.1, 10, 100), kw(0.0, 0.05, 10, 200)]}, 320),
        spec("sgdr_schedule", {"cosine_kwargs": [kw(0.0, 0.1, 0, 50)]}, 60),
        spec("sgdr_schedule", {"cosine_kwargs": [kw(1e-5, 3e-4, 100, 5000, 1e-6)] * 3}, 15100),
        spec("sgdr_schedule", {"cosine_kwargs": [kw(0.0, 1.0, 5, 20, 0.0, 2.0), kw(0.0, 0.5, 5, 20, 0.1, 1.5)]}, 60),
    ]
    rng = random.Random(43)
    for _ in range(22):
        kws = []
        for _ in range(rng.randint(1, 4)):
            decay = rng.randint(5, 1500)
            peak = round(10 ** rng.uniform(-4, 0), 6)
            kws.append(kw(rng.choice([0.0, round(peak * 0.1, 8)]), peak, rng.randint(0, decay // 2), decay,
                          rng.choice([0.0, round(peak * 0.01, 9)]), rng.choice([1.0, 1.0, 2.0, 1.5])))
        total = sum(k["decay_steps"] for k in kws)
        out.append(spec("sgdr_schedule", {"cosine_kwargs": kws}, total + 20, start=rng.choice([0, rng.randint(0, total)])))
    return out


def cases_linear_onecycle() -> list:
    out = []
    fixed = [(1000, 0.1, 0.3, 0.85, 25.0, 1e4), (100, 1.0, 0.25, 0.75, 10.0, 100.0), (1, 0.1, 0.3, 0.85, 25.0, 1e4),
             (3, 0.1, 0.3, 0.85, 25.0, 1e4), (12000, 3e-4, 0.1, 0.9, 25.0, 1e4), (0, 0.1, 0.3, 0.85, 25.0, 1e4),
             (50, 0.1, 0.0, 1.0, 25.0, 1e4), (50, 0.1, 0.5, 0.5, 25.0, 1e4)]
    for steps, peak, ps, pf, div, fdiv in fixed:
        out.append(spec("linear_onecycle_schedule",
                        {"transition_steps": steps, "peak_value": peak, "pct_start": ps, "pct_final": pf,
                         "div_factor": div, "final_div_factor": fdiv}, min(steps + 30, 12100)))
    rng = random.Random(47)
    for _ in range(20):
        steps = rng.choice([rng.randint(2, 200), rng.randint(200, 8000)])
        ps = round(rng.uniform(0.05, 0.5), 3)
        out.append(spec("linear_onecycle_schedule",
                        {"transition_steps": steps, "peak_value": round(10 ** rng.uniform(-4, 0), 6), "pct_start": ps,
                         "pct_final": round(rng.uniform(ps, 0.99), 3), "div_factor": rng.choice([25.0, 10.0, 4.0]),
                         "final_div_factor": rng.choice([1e4, 100.0, 1e3])},
                        steps + 20, start=rng.choice([0, rng.randint(0, steps)])))
    return out


def cases_cosine_onecycle() -> list:
    out = []
    fixed = [(1000, 0.1, 0.3, 25.0, 1e4), (100, 1.0, 0.25, 10.0, 100.0), (1, 0.1, 0.3, 25.0, 1e4),
             (3, 0.1, 0.3, 25.0, 1e4), (12000, 3e-4, 0.1, 25.0, 1e4), (0, 0.1, 0.3, 25.0, 1e4), (50, 0.1, 0.0, 25.0, 1e4)]
    for steps, peak, ps, div, fdiv in fixed:
        out.append(spec("cosine_onecycle_schedule",
                        {"transition_steps": steps, "peak_value": peak, "pct_start": ps, "div_factor": div,
                         "final_div_factor": fdiv}, min(steps + 30, 12100)))
    rng = random.Random(53)
    for _ in range(20):
        steps = rng.choice([rng.randint(2, 200), rng.randint(200, 8000)])
        out.append(spec("cosine_onecycle_schedule",
                        {"transition_steps": steps, "peak_value": round(10 ** rng.uniform(-4, 0), 6),
                         "pct_start": round(rng.uniform(0.05, 0.6), 3), "div_factor": rng.choice([25.0, 10.0, 4.0]),
                         "final_div_factor": rng.choice([1e4, 100.0, 1e3])},
                        steps + 20, start=rng.choice([0, rng.randint(0, steps)])))
    return out


def child(name: str, params: dict) -> dict:
    return {"scheduler": name, "params": params}


def cases_join() -> list:
    lin = child("linear_schedule", {"init_value": 0.0, "end_value": 0.1, "transition_steps": 10})
    cos = child("cosine_decay_schedule", {"init_value": 0.1, "decay_steps": 90})
    const = child("constant_schedule", {"value": 0.01})
    exp = child("exponential_decay", {"init_value": 0.1, "transition_steps": 20, "decay_rate": 0.5})
    out = [
        spec("join_schedules", {"schedules": [lin, cos], "boundaries": [10]}, 120),
        spec("join_schedules", {"schedules": [const], "boundaries": []}, 5),
        spec("join_schedules", {"schedules": [lin, cos, const], "boundaries": [10, 100]}, 130),
        spec("join_schedules", {"schedules": [cos, lin], "boundaries": [0]}, 30),
        spec("join_schedules", {"schedules": [lin, exp], "boundaries": [-5]}, 40),
        spec("join_schedules", {"schedules": [exp, lin, cos], "boundaries": [50, 20]}, 140),
        spec("join_schedules", {"schedules": [lin, child("join_schedules", {"schedules": [cos, const], "boundaries": [90]})],
                                "boundaries": [10]}, 130),
        spec("join_schedules", {"schedules": [child("polynomial_schedule", {"init_value": 0.1, "end_value": 0.0, "power": 1.5,
                                                                         "transition_steps": 1000}), const],
                                "boundaries": [1000]}, 1100),
    ]
    rng = random.Random(59)
    pool = ["linear_schedule", "cosine_decay_schedule", "constant_schedule", "exponential_decay",
            "piecewise_constant_schedule", "warmup_cosine_decay_schedule", "polynomial_schedule"]
    for _ in range(20):
        kids = []
        for _ in range(rng.randint(2, 4)):
            name = rng.choice(pool)
            v = round(10 ** rng.uniform(-4, 0), 6)
            n = rng.randint(5, 3000)
            params = {
                "linear_schedule": {"init_value": v, "end_value": round(v * rng.random(), 8), "transition_steps": n},
                "cosine_decay_schedule": {"init_value": v, "decay_steps": n, "alpha": rng.choice([0.0, 0.1])},
                "constant_schedule": {"value": v},
                "exponential_decay": {"init_value": v, "transition_steps": n, "decay_rate": round(rng.uniform(0.1, 0.99), 4)},
                "piecewise_constant_schedule": {"init_value": v, "boundaries_and_scales": random_boundaries(rng, 2, n + 2)},
                "warmup_cosine_decay_schedule": {"init_value": 0.0, "peak_value": v, "warmup_steps": n // 10,
                                                 "decay_steps": n},
                "polynomial_schedule": {"init_value": v, "end_value": 0.0, "power": rng.choice([2, 3, 0.5]),
                                        "transition_steps": n},
            }[name]
            kids.append(child(name, params))
        bounds = sorted(rng.sample(range(1, 6000), len(kids) - 1))
        out.append(spec("join_schedules", {"schedules": kids, "boundaries": bounds}, rng.randint(500, 8000),
                        start=rng.choice([0, rng.randint(0, 500)])))
    return out


def cases_cosine_exponent() -> list:
    out = []
    rng = random.Random(61)
    for expo in [2.0, 2, 3, 3.0, 0.5, 1.5, 4, 4.0, -1.0, 0.0, 0.75, 2.5]:
        for alpha in [0.0, 0.1]:
            steps = rng.randint(10, 5000)
            out.append(spec("cosine_decay_schedule", {"init_value": round(10 ** rng.uniform(-4, 0), 6), "decay_steps": steps,
                                                      "alpha": alpha, "exponent": expo}, steps + 10))
    return out


def run_mode(spec: dict) -> dict:
    """The schedule outside jit: ``mode`` "eager" calls it on each step, "eager_vector" once on
    the vector of steps (each jnp op then runs on its own)."""
    try:
        schedule = build(spec["scheduler"], spec.get("params", {}))
    except Exception as exc:  # noqa: BLE001
        return {"error": format_exception(exc), "error_step": None}
    start = spec.get("start", 0)
    steps = range(start, start + spec["epochs"])
    try:
        if spec["mode"] == "eager":
            values = np.array([np.float32(schedule(jnp.int32(k))) for k in steps], dtype=np.float32)
        else:
            values = np.asarray(schedule(jnp.arange(start, start + spec["epochs"], dtype=jnp.int32)), dtype=np.float32)
            values = np.broadcast_to(values, (spec["epochs"],))
            # A schedule that is not elementwise (piecewise_interpolate_schedule sums its indicator
            # over the whole vector when it has one boundary) gives values that depend on the vector.
            longer = np.asarray(schedule(jnp.arange(start, start + spec["epochs"] + 1, dtype=jnp.int32)), dtype=np.float32)
            longer = np.broadcast_to(longer, (spec["epochs"] + 1,))[: spec["epochs"]]
            if not np.array_equal(values, longer, equal_nan=True):
                return {"error": "not elementwise: the values depend on the length of the vector of steps",
                        "error_step": None}
    except Exception as exc:  # noqa: BLE001
        return {"error": format_exception(exc), "error_step": None}
    if not np.all(np.isfinite(values)):
        return {"error": "non-finite", "error_step": start + int(np.argmin(np.isfinite(values)))}
    return {"lrs": [float(v) for v in values]}


def mode_cases(name: str, mode: str) -> list:
    """Cases of ``name`` in another mode: its fixed and random jit cases, shortened for eager."""
    out = []
    for case in SCHEDULERS[name]():
        case = dict(case, mode=mode)
        if mode == "eager":
            case["epochs"] = min(case["epochs"], 300)
            if case.get("start", 0) > 0:
                case["start"] = min(case["start"], 2000)
        elif len(out) % 4:
            # Long runs in every fourth case keep the float32 step counts covered.
            case["epochs"] = min(case["epochs"], 3000)
        out.append(case)
    return out


def run_plateau(spec: dict) -> dict:
    """``contrib.reduce_on_plateau``: value k is the jitted update's output for an update of
    ``lr`` after k updates with ``metrics[0 … k-1]``, i.e. ``f32(lr) * scale``; value 0 is
    ``f32(lr)``."""
    try:
        tx = optax.contrib.reduce_on_plateau(**spec.get("params", {}))
    except Exception as exc:  # noqa: BLE001 - optax's exception is the fixture
        return {"error": format_exception(exc), "error_step": None}
    params = jnp.zeros(1, jnp.float32)
    state = tx.init(params)
    update = jax.jit(tx.update)
    grads = jnp.full(1, spec["lr"], jnp.float32)
    values = [np.float32(spec["lr"])]
    for metric in spec["metrics"][: spec["epochs"] - 1]:
        out, state = update(grads, state, params, value=metric)
        values.append(np.float32(out[0]))
    return {"lrs": [float(v) for v in values]}


def cases_plateau() -> list:
    def plateau(params: dict, lr: float, metrics: list) -> dict:
        return {"framework": "optax", "scheduler": "contrib.reduce_on_plateau", "params": params, "lr": lr,
                "epochs": len(metrics) + 1, "metrics": metrics}
    flat = [1.0] * 40
    slow = [1.0 - 1e-8 * i for i in range(60)]
    out = [
        plateau({}, 0.1, flat),
        plateau({"patience": 0, "factor": 0.5}, 0.1, flat[:10]),
        plateau({"patience": 1, "factor": 0.5}, 0.1, flat[:20]),
        plateau({"patience": 2, "cooldown": 2, "factor": 0.5}, 0.1, flat),
        plateau({"patience": 1, "factor": 0.5, "rtol": 0.0, "atol": 1e-9}, 0.1, slow),
        plateau({"patience": 3, "factor": 0.3, "min_scale": 0.01}, 1.0, flat),
        plateau({"patience": 2, "accumulation_size": 3, "factor": 0.5}, 0.1, [1.0, 2.0, 3.0] * 20),
        plateau({"patience": 2, "accumulation_size": 5, "factor": 0.5, "rtol": 0.0, "atol": 0.01},
                3e-4, [0.5 + 0.01 * ((i * 7) % 5) for i in range(80)]),
        plateau({"factor": 0.0}, 0.1, flat[:3]),
        plateau({"factor": 1.0}, 0.1, flat[:3]),
        plateau({"rtol": 0.0, "atol": 0.0}, 0.1, flat[:3]),
        plateau({"rtol": -1e-4}, 0.1, flat[:3]),
        plateau({"rtol": 1.5}, 0.1, flat[:3]),
        plateau({"patience": 1, "rtol": 1.0, "factor": 0.5}, 0.1, flat[:10]),
        plateau({"patience": 2, "accumulation_size": 0}, 0.1, flat[:10]),
        plateau({"patience": -1}, 0.1, flat[:10]),
    ]
    rng = random.Random(67)
    for _ in range(20):
        n = rng.randint(30, 400)
        kind = rng.choice(["noisy", "decay", "steps"])
        if kind == "noisy":
            metrics = [round(1.0 + rng.gauss(0, 0.05), 6) for _ in range(n)]
        elif kind == "decay":
            metrics = [round(2.0 * 0.99 ** i + rng.uniform(0, 0.02), 7) for i in range(n)]
        else:
            metrics = [float(10 - min(i // 15, 9)) for i in range(n)]
        params = {"factor": rng.choice([0.1, 0.5, 0.3, 0.9]), "patience": rng.randint(0, 8),
                  "rtol": rng.choice([1e-4, 0.0, 1e-3, 0.05]), "atol": rng.choice([0.0, 1e-3, 0.01]),
                  "cooldown": rng.randint(0, 4), "accumulation_size": rng.choice([1, 1, 2, 4]),
                  "min_scale": rng.choice([0.0, 0.0, 1e-3, 0.05])}
        if params["rtol"] == 0 and params["atol"] == 0:
            params["atol"] = 1e-4
        out.append(plateau(params, round(10 ** rng.uniform(-5, 0), 6), metrics))
    return out


SCHEDULERS = {
    "constant_schedule": cases_constant,
    "linear_schedule": cases_linear,
    "polynomial_schedule": cases_polynomial,
    "cosine_decay_schedule": lambda: cases_cosine() + cases_cosine_exponent(),
    "exponential_decay": cases_exponential,
    "piecewise_constant_schedule": cases_piecewise_constant,
    "piecewise_interpolate_schedule": cases_piecewise_interpolate,
    "warmup_constant_schedule": cases_warmup_constant,
    "warmup_cosine_decay_schedule": cases_warmup_cosine,
    "warmup_exponential_decay_schedule": cases_warmup_exponential,
    "sgdr_schedule": cases_sgdr,
    "linear_onecycle_schedule": cases_linear_onecycle,
    "cosine_onecycle_schedule": cases_cosine_onecycle,
    "join_schedules": cases_join,
    "contrib.reduce_on_plateau": cases_plateau,
}


def describe(s: dict) -> str:
    params = " ".join(f"{k}={v}" for k, v in s["params"].items())
    return (f"{params} epochs={s['epochs']}" + (f" start={s['start']}" if "start" in s else "")
            + (f" mode={s['mode']}" if "mode" in s else ""))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--only", nargs="*", help="regenerate only these schedules")
    parser.add_argument("--jit-only", action="store_true", help="skip the eager and eager_vector fixtures")
    parser.add_argument("--modes", nargs="*", default=["eager", "eager_vector"], help="the modes besides jit")
    args = parser.parse_args(argv)
    versions = {"jax": jax.__version__, "optax": optax.__version__}
    for name, expected in EXPECTED.items():
        if versions[name] != expected:
            print(f"warning: {name} {versions[name]} installed, fixtures expect {expected}", file=sys.stderr)
    os.makedirs(args.out, exist_ok=True)
    for name, build in SCHEDULERS.items():
        if args.only is not None and name not in args.only:
            continue
        run = run_plateau if name == "contrib.reduce_on_plateau" else run_spec
        cases = [{"name": describe(s), "spec": s, **run(s)} for s in build()]
        dump_fixture(os.path.join(args.out, name + ".json"),
                     {"optax": versions["optax"], "jax": versions["jax"], "scheduler": name}, cases)
        valid = sum(1 for c in cases if "lrs" in c)
        print(f"{name}: {len(cases)} cases, {valid} valid, {sum(len(c.get('lrs', [])) for c in cases):,d} values")
    for mode in args.modes if not args.jit_only else []:
        os.makedirs(os.path.join(args.out, mode), exist_ok=True)
        for name in SCHEDULERS:
            if name == "contrib.reduce_on_plateau" or (args.only and name not in args.only):
                continue
            cases = [{"name": describe(s), "spec": s, **run_mode(s)} for s in mode_cases(name, mode)]
            dump_fixture(os.path.join(args.out, mode, name + ".json"),
                         {"optax": versions["optax"], "jax": versions["jax"], "scheduler": name, "mode": mode}, cases)
            valid = sum(1 for c in cases if "lrs" in c)
            print(f"{mode} {name}: {len(cases)} cases, {valid} valid, "
                  f"{sum(len(c.get('lrs', [])) for c in cases):,d} values", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
