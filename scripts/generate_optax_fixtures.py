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

Deterministic; CPU only; a few seconds. ``jax.jit(jax.vmap(schedule))`` over ``arange`` equals
the scalar ``jax.jit(schedule)(int32(k))`` that an update step evaluates (checked on a sample
of every case).
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


def run_spec(spec: dict) -> dict:
    """The jitted schedule's values at steps start ... start + epochs - 1, or the error."""
    try:
        schedule = getattr(optax, spec["scheduler"])(**spec.get("params", {}))
    except Exception as exc:  # noqa: BLE001 - optax's exception is the fixture
        return {"error": format_exception(exc), "error_step": None}
    start = spec.get("start", 0)
    counts = jnp.arange(start, start + spec["epochs"], dtype=jnp.int32)
    values = np.asarray(jax.jit(jax.vmap(schedule))(counts), dtype=np.float32)
    scalar = jax.jit(schedule)
    for i in range(0, len(values), max(1, len(values) // 7)):
        one = np.float32(scalar(jnp.int32(start + i)))
        assert one == values[i] or (np.isnan(one) and np.isnan(values[i])), (spec, i)
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


SCHEDULERS = {
    "constant_schedule": cases_constant,
    "linear_schedule": cases_linear,
    "polynomial_schedule": cases_polynomial,
    "cosine_decay_schedule": cases_cosine,
}


def describe(s: dict) -> str:
    params = " ".join(f"{k}={v}" for k, v in s["params"].items())
    return f"{params} epochs={s['epochs']}" + (f" start={s['start']}" if "start" in s else "")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    versions = {"jax": jax.__version__, "optax": optax.__version__}
    for name, expected in EXPECTED.items():
        if versions[name] != expected:
            print(f"warning: {name} {versions[name]} installed, fixtures expect {expected}", file=sys.stderr)
    os.makedirs(args.out, exist_ok=True)
    for name, build in SCHEDULERS.items():
        cases = [{"name": describe(s), "spec": s, **run_spec(s)} for s in build()]
        dump_fixture(os.path.join(args.out, name + ".json"),
                     {"optax": versions["optax"], "jax": versions["jax"], "scheduler": name}, cases)
        valid = sum(1 for c in cases if "lrs" in c)
        print(f"{name}: {len(cases)} cases, {valid} valid, {sum(len(c.get('lrs', [])) for c in cases):,d} values")
    return 0


if __name__ == "__main__":
    sys.exit(main())
