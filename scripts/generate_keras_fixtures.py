#!/usr/bin/env python3
"""Generate golden learning-rate fixtures from real Keras 3 (jax or torch backend, CPU).

What it does
------------
For every Keras schedule lrsched supports, builds request specs (``"framework": "keras"``), runs
``model.fit`` with ``keras.optimizers.SGD(learning_rate=<schedule>)`` and records the float32
learning rate of every iteration, and writes

    Tests/SchedulesTests/Fixtures/keras/<NAME>.json          (--backend jax)
    Tests/SchedulesTests/Fixtures/keras/torch/<NAME>.json    (--backend torch)

How the learning rate is read: the model is one ``Embedding(n, 1)`` initialised to zeros, batch k
holds the single index k and the loss is ``-sum(output)``, so iteration k gives row k the gradient
-1 and plain SGD leaves exactly ``0 - (-1 * lr_k) = lr_k`` in it, while every other row stays
unchanged. This reads the value the optimizer applies inside the compiled train step, which is not
always the value of a separately jitted or eager call of the schedule (``CosineDecayRestarts``
under jax differs: XLA fuses its expression differently inside the train step).

``ReduceLROnPlateau`` is a callback: it is driven with the spec's ``metrics`` as ``val_loss`` (or
the spec's ``monitor``) through ``on_epoch_end`` on a real model and optimizer, one epoch per
metric, value k being the optimizer's float32 learning rate during epoch k.

How to run
----------
From the repository root::

    pip install keras==3.15.1 jax==0.10.2 torch==2.15.0
    python3 scripts/generate_keras_fixtures.py --backend jax
    python3 scripts/generate_keras_fixtures.py --backend torch

Deterministic; CPU only; several minutes per backend (one fit step per value).
"""

from __future__ import annotations

import argparse
import os
import random
import sys

BACKEND = "jax"
for i, arg in enumerate(sys.argv):
    if arg == "--backend" and i + 1 < len(sys.argv):
        BACKEND = sys.argv[i + 1]
    elif arg.startswith("--backend="):
        BACKEND = arg.split("=", 1)[1]
os.environ["KERAS_BACKEND"] = BACKEND
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.optimizers import schedules  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_support import dump_fixture, format_exception  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "SchedulesTests", "Fixtures", "keras")
EXPECTED = "3.15.1"


def fit_learning_rates(schedule, n: int, chunk: int = 500) -> list:
    """The float32 learning rate of fit iterations 0 … n-1 (see the module docstring). The
    iterations run as consecutive ``fit`` calls of ``chunk`` batches on the same optimizer (its
    iteration count carries on), the embedding zeroed and read between calls, so that each step
    touches ``chunk`` rows rather than ``n``."""
    keras.utils.set_random_seed(0)
    size = min(n, chunk)
    model = keras.Sequential([keras.Input((1,), dtype="int32"),
                              keras.layers.Embedding(size, 1, embeddings_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule),
                  loss=lambda y_true, y_pred: -keras.ops.sum(y_pred))
    table = model.layers[0].embeddings
    out = []
    for first in range(0, n, size):
        m = min(size, n - first)
        table.assign(np.zeros((size, 1), np.float32))
        x = np.arange(m, dtype=np.int32).reshape(m, 1)
        model.fit(x, np.zeros((m, 1, 1), np.float32), batch_size=1, epochs=1, verbose=0, shuffle=False)
        out.extend(np.float32(v) for v in np.asarray(keras.ops.convert_to_numpy(table)).reshape(-1)[:m])
    return out


def run_spec(spec: dict) -> dict:
    """The fit learning rates at iterations start … start + epochs - 1, or the error."""
    params = {k: v for k, v in spec.get("params", {}).items()}
    try:
        schedule = getattr(schedules, spec["scheduler"])(**params)
    except Exception as exc:  # noqa: BLE001 - Keras's exception is the fixture
        return {"error": format_exception(exc), "error_step": None}
    start = spec.get("start", 0)
    values = fit_learning_rates(schedule, start + spec["epochs"])[start:]
    finite = np.isfinite(np.array(values, dtype=np.float32))
    if not finite.all():
        # A NaN rate turns every row NaN (0 * NaN), so the first NaN step comes from calling the
        # schedule itself, compiled where the backend compiles it.
        call = schedule
        if BACKEND == "jax":
            import jax
            call = jax.jit(lambda k: schedule(k))
        first = next(k for k in range(start + spec["epochs"])
                     if not np.isfinite(np.float32(keras.ops.convert_to_numpy(call(np.int32(k))))))
        return {"error": "non-finite", "error_step": first}
    return {"lrs": [float(v) for v in values]}


def run_plateau(spec: dict) -> dict:
    """``ReduceLROnPlateau``: value k is the optimizer's learning rate during epoch k; after epoch
    k the callback sees ``metrics[k]``."""
    params = dict(spec.get("params", {}))
    monitor = params.get("monitor", "val_loss")
    try:
        callback = keras.callbacks.ReduceLROnPlateau(**params)
    except Exception as exc:  # noqa: BLE001
        return {"error": format_exception(exc), "error_step": None}
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=spec["lr"]), loss="mse")
    model.optimizer.build(model.trainable_variables)
    callback.set_model(model)
    try:
        callback.on_train_begin()
        values = [float(np.float32(keras.ops.convert_to_numpy(model.optimizer.learning_rate)))]
        for epoch, metric in enumerate(spec["metrics"][: spec["epochs"] - 1]):
            callback.on_epoch_end(epoch, {monitor: metric})
            values.append(float(np.float32(keras.ops.convert_to_numpy(model.optimizer.learning_rate))))
    except Exception as exc:  # noqa: BLE001
        return {"error": format_exception(exc), "error_step": None}
    return {"lrs": values}


def spec(name: str, params: dict, epochs: int, start: int | None = None) -> dict:
    out = {"framework": "keras", "scheduler": name, "params": params, "epochs": epochs}
    if BACKEND != "jax":
        out["backend"] = BACKEND
    if start is not None:
        out["start"] = start
    return out


def lr_value(rng: random.Random) -> float:
    return round(10 ** rng.uniform(-5, 0), 6)


def cases_exponential() -> list:
    out = [
        spec("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 100, "decay_rate": 0.9}, 400),
        spec("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 100, "decay_rate": 0.9,
                                  "staircase": True}, 400),
        spec("ExponentialDecay", {"initial_learning_rate": 1.0, "decay_steps": 1000, "decay_rate": 0.5}, 12000),
        spec("ExponentialDecay", {"initial_learning_rate": 0.01, "decay_steps": 7, "decay_rate": 0.96,
                                  "staircase": True}, 12000),
        spec("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 1, "decay_rate": 0.99}, 300),
        spec("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 1.05}, 200),
        spec("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 2.5, "decay_rate": 0.9}, 100),
        spec("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 0, "decay_rate": 0.9}, 10),
        spec("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.0}, 30),
    ]
    rng = random.Random(71)
    for _ in range(18):
        out.append(spec("ExponentialDecay", {
            "initial_learning_rate": lr_value(rng), "decay_steps": rng.choice([rng.randint(1, 50), rng.randint(50, 3000)]),
            "decay_rate": round(rng.uniform(0.05, 1.0), 5), "staircase": rng.random() < 0.4},
            rng.randint(200, 3000), start=rng.choice([0, rng.randint(0, 500)])))
    return out


def cases_piecewise() -> list:
    out = [
        spec("PiecewiseConstantDecay", {"boundaries": [100, 200], "values": [0.1, 0.01, 0.001]}, 300),
        spec("PiecewiseConstantDecay", {"boundaries": [0], "values": [1.0, 0.5]}, 5),
        spec("PiecewiseConstantDecay", {"boundaries": [10, 10, 20], "values": [0.3, 0.2, 0.1, 0.05]}, 30),
        spec("PiecewiseConstantDecay", {"boundaries": [5.7, 12.2], "values": [0.3, 0.2, 0.1]}, 20),
        spec("PiecewiseConstantDecay", {"boundaries": [5], "values": [0.3]}, 5),
        spec("PiecewiseConstantDecay", {"boundaries": [11000], "values": [3e-4, 3e-5]}, 12000),
    ]
    rng = random.Random(73)
    for _ in range(22):
        n = rng.randint(1, 6)
        bounds = sorted(rng.sample(range(0, 2000), n))
        out.append(spec("PiecewiseConstantDecay", {"boundaries": bounds, "values": [lr_value(rng) for _ in range(n + 1)]},
                        rng.randint(100, 2200), start=rng.choice([0, rng.randint(0, 100)])))
    return out


def cases_polynomial() -> list:
    out = [
        spec("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 100}, 150),
        spec("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 100, "end_learning_rate": 0.0,
                                 "power": 2.0}, 150),
        spec("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 100, "power": 0.5, "cycle": True}, 450),
        spec("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 37, "end_learning_rate": 0.001,
                                 "power": 1.5, "cycle": True}, 300),
        spec("PolynomialDecay", {"initial_learning_rate": 1.0, "decay_steps": 10000, "end_learning_rate": 0.0,
                                 "power": 3.0}, 12000),
        spec("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 999, "power": 1.5}, 1100),
        spec("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 1000, "power": 1.5}, 1100),
        spec("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 0}, 10),
        spec("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 64, "end_learning_rate": 0.2,
                                 "power": 1.0, "cycle": True}, 200),
    ]
    rng = random.Random(79)
    for _ in range(24):
        steps = rng.choice([rng.randint(2, 300), rng.randint(300, 4000)])
        out.append(spec("PolynomialDecay", {
            "initial_learning_rate": lr_value(rng), "decay_steps": steps,
            "end_learning_rate": rng.choice([0.0, 1e-4, 1e-6]), "power": rng.choice([1.0, 2.0, 0.5, 3.0, 4.0, round(rng.uniform(0.3, 3), 3)]),
            "cycle": rng.random() < 0.3}, steps + rng.randint(20, 400), start=rng.choice([0, rng.randint(0, steps)])))
    return out


def cases_inverse() -> list:
    out = [
        spec("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 1.0, "decay_rate": 0.5}, 300),
        spec("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 100, "decay_rate": 0.5,
                                  "staircase": True}, 400),
        spec("InverseTimeDecay", {"initial_learning_rate": 1.0, "decay_steps": 1000, "decay_rate": 2.0}, 12000),
        spec("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 0, "decay_rate": 0.5}, 10),
        spec("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.0}, 30),
    ]
    rng = random.Random(83)
    for _ in range(21):
        out.append(spec("InverseTimeDecay", {
            "initial_learning_rate": lr_value(rng), "decay_steps": rng.choice([rng.randint(1, 50), rng.randint(50, 3000)]),
            "decay_rate": round(rng.uniform(0.01, 3.0), 5), "staircase": rng.random() < 0.4},
            rng.randint(200, 3000), start=rng.choice([0, rng.randint(0, 500)])))
    return out


def cases_cosine() -> list:
    out = [
        spec("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 1000}, 1100),
        spec("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 1000, "alpha": 0.1}, 1100),
        spec("CosineDecay", {"initial_learning_rate": 0.0, "decay_steps": 1000, "warmup_target": 0.1,
                             "warmup_steps": 100}, 1200),
        spec("CosineDecay", {"initial_learning_rate": 1e-5, "decay_steps": 10000, "alpha": 0.01,
                             "warmup_target": 3e-4, "warmup_steps": 500}, 11000),
        spec("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 7}, 12),
        spec("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 50, "warmup_target": 0.5,
                             "warmup_steps": 0}, 60),
        spec("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 0}, 5),
        spec("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 2.5, "alpha": 0.2}, 6),
    ]
    rng = random.Random(89)
    for _ in range(19):
        steps = rng.choice([rng.randint(2, 300), rng.randint(300, 4000)])
        params = {"initial_learning_rate": lr_value(rng), "decay_steps": steps, "alpha": rng.choice([0.0, 0.0, 0.1, 0.01])}
        if rng.random() < 0.5:
            params["warmup_target"] = round(params["initial_learning_rate"] * rng.uniform(1, 20), 7)
            params["warmup_steps"] = rng.randint(1, steps // 2 + 1)
        out.append(spec("CosineDecay", params, steps + params.get("warmup_steps", 0) + 30,
                        start=rng.choice([0, rng.randint(0, steps)])))
    return out


def cases_restarts() -> list:
    out = [
        spec("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 13, "t_mul": 2.0,
                                     "m_mul": 0.9, "alpha": 0.01}, 400),
        spec("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 100}, 1600),
        spec("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 100, "t_mul": 1.0}, 500),
        spec("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 100, "t_mul": 1.0,
                                     "m_mul": 0.5}, 500),
        spec("CosineDecayRestarts", {"initial_learning_rate": 1.0, "first_decay_steps": 1000, "t_mul": 1.5,
                                     "m_mul": 0.8, "alpha": 0.1}, 12000),
        spec("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 0}, 5),
        spec("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 10, "t_mul": 0.5}, 40),
    ]
    rng = random.Random(97)
    for _ in range(20):
        first = rng.choice([rng.randint(1, 40), rng.randint(40, 1000)])
        out.append(spec("CosineDecayRestarts", {
            "initial_learning_rate": lr_value(rng), "first_decay_steps": first,
            "t_mul": rng.choice([1.0, 2.0, 2.0, 1.5, 3.0, round(rng.uniform(1.05, 3), 3)]),
            "m_mul": rng.choice([1.0, 1.0, 0.9, 0.5, round(rng.uniform(0.3, 1), 3)]),
            "alpha": rng.choice([0.0, 0.0, 0.01, 0.1])}, rng.randint(100, 4000), start=rng.choice([0, rng.randint(0, 300)])))
    return out


def cases_plateau() -> list:
    def plateau(params: dict, lr: float, metrics: list) -> dict:
        out = {"framework": "keras", "scheduler": "ReduceLROnPlateau", "params": params, "lr": lr,
               "epochs": len(metrics) + 1, "metrics": metrics}
        if BACKEND != "jax":
            out["backend"] = BACKEND
        return out
    flat = [1.0] * 40
    out = [
        plateau({}, 0.1, flat),
        plateau({"patience": 1, "factor": 0.5, "min_delta": 0.0}, 0.1, [1.0 - 1e-8 * i for i in range(20)]),
        plateau({"patience": 2, "cooldown": 2, "factor": 0.5}, 0.1, flat),
        plateau({"patience": 2, "cooldown": 1, "factor": 0.5}, 0.1, flat),
        plateau({"patience": 0, "factor": 0.5}, 0.1, flat[:10]),
        plateau({"patience": 1, "factor": 0.5, "min_lr": 0.02}, 0.1, flat[:12]),
        plateau({"patience": 1, "factor": 0.1, "min_lr": 1e-3}, 0.1, flat[:12]),
        plateau({"monitor": "val_accuracy", "patience": 2, "factor": 0.5}, 0.1, [0.5 + 0.01 * min(i, 5) for i in range(30)]),
        plateau({"mode": "max", "patience": 2, "factor": 0.5}, 0.1, [0.5 + 0.01 * min(i, 5) for i in range(30)]),
        plateau({"mode": "min", "patience": 3, "factor": 0.3, "min_delta": 0.01}, 3e-4, [1.0 - 0.005 * i for i in range(40)]),
        plateau({"factor": 1.0}, 0.1, flat[:3]),
        plateau({"mode": "sideways", "patience": 1}, 0.1, flat[:8]),
        plateau({"factor": -0.5, "patience": 1}, 0.1, flat[:8]),
    ]
    rng = random.Random(101)
    for _ in range(20):
        n = rng.randint(20, 300)
        kind = rng.choice(["noisy", "decay", "steps"])
        if kind == "noisy":
            metrics = [round(1.0 + rng.gauss(0, 0.05), 6) for _ in range(n)]
        elif kind == "decay":
            metrics = [round(2.0 * 0.99 ** i + rng.uniform(0, 0.02), 7) for i in range(n)]
        else:
            metrics = [float(10 - min(i // 15, 9)) for i in range(n)]
        params = {"factor": rng.choice([0.1, 0.5, 0.3, 0.9]), "patience": rng.randint(0, 8),
                  "min_delta": rng.choice([1e-4, 0.0, 1e-3, 0.05]), "cooldown": rng.randint(0, 4),
                  "min_lr": rng.choice([0.0, 0.0, 1e-4, 0.005])}
        out.append(plateau(params, lr_value(rng), metrics))
    return out


SCHEDULERS = {
    "ExponentialDecay": cases_exponential,
    "PiecewiseConstantDecay": cases_piecewise,
    "PolynomialDecay": cases_polynomial,
    "InverseTimeDecay": cases_inverse,
    "CosineDecay": cases_cosine,
    "CosineDecayRestarts": cases_restarts,
    "ReduceLROnPlateau": cases_plateau,
}


def describe(s: dict) -> str:
    params = " ".join(f"{k}={v}" for k, v in s["params"].items())
    return f"{params} epochs={s['epochs']}" + (f" start={s['start']}" if "start" in s else "")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["jax", "torch"], default="jax")
    parser.add_argument("--only", nargs="*", help="regenerate only these schedules")
    args = parser.parse_args(argv)
    if keras.__version__ != EXPECTED:
        print(f"warning: keras {keras.__version__} installed, fixtures expect {EXPECTED}", file=sys.stderr)
    out_dir = ROOT if BACKEND == "jax" else os.path.join(ROOT, BACKEND)
    os.makedirs(out_dir, exist_ok=True)
    for name, build in SCHEDULERS.items():
        if args.only and name not in args.only:
            continue
        run = run_plateau if name == "ReduceLROnPlateau" else run_spec
        cases = [{"name": describe(s), "spec": s, **run(s)} for s in build()]
        dump_fixture(os.path.join(out_dir, name + ".json"),
                     {"keras": keras.__version__, "backend": BACKEND, "scheduler": name}, cases)
        valid = sum(1 for c in cases if "lrs" in c)
        print(f"{BACKEND} {name}: {len(cases)} cases, {valid} valid, {sum(len(c.get('lrs', [])) for c in cases):,d} values",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
