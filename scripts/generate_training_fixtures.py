#!/usr/bin/env python3
"""Generate golden fixtures for ``POST /v1/training-runs`` from real PyTorch.

What it does
------------
Builds a list of training-run requests (each one exactly a request body the
service accepts), runs every request through the installed torch on the CPU in
float64, and writes the per-epoch learning rates and losses to

    Tests/TrainingTests/Fixtures/training.json

Every float is written with Python's ``repr`` (via ``json.dumps``), which
round-trips exactly; NaN and infinities are never written (``allow_nan=False``).

How to run
----------
From the repository root::

    python3 scripts/generate_training_fixtures.py [--out FILE]

The output is deterministic: data and initial weights come from fixed seeds and
are written inline in each request, there are no timestamps. The file records
``torch.__version__`` without its local suffix; a warning is printed when it is
not 2.15.0. Runs in a few seconds.

The training loop (what the service simulates)
----------------------------------------------
::

    for epoch in range(epochs):
        lr_e = optimizer.param_groups[0]["lr"]
        for xb, yb in batches:                  # in order, last batch may be smaller
            lr_s = optimizer.param_groups[0]["lr"]
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            if not isfinite(loss.item()): diverged_at = epoch; stop   # no backward, no step
            loss.backward(); optimizer.step(); steps += 1
            if scheduler and interval == "step" and not plateau: scheduler.step()
        train = sum(batch_losses) / len(batch_losses)       # Python float sum, in order
        if validation:
            v = loss_fn(model(val_x), val_y).item()          # under no_grad
            if not isfinite(v): diverged_at = epoch; stop
        record lr_e, the epoch's lr_s values, train, v
        if plateau: scheduler.step(v if monitor == "val_loss" else train)
        elif scheduler and interval == "epoch": scheduler.step()

Divergence: the arrays ``lrs``, ``step_lrs``, ``train_loss`` and ``val_loss``
hold completed epochs only (an epoch that diverged contributes nothing to any
of them), while ``steps`` counts every optimizer step taken, including the
steps of the diverging epoch that ran before the non-finite loss.

Fixture format
--------------
``{"torch": "2.15.0", "cases": [{"name", "request", "expected"}]}`` where
``expected`` is ``{"lrs", "step_lrs", "train_loss", "val_loss" (only with
validation data), "steps", "diverged_at" (only when the run diverged),
"final": {"train_loss", "val_loss"}}``; ``final`` holds the last recorded
value of each loss array that is present and non-empty.

Checks made before writing
--------------------------
* Conditioning: every case is run a second time with each initial weight
  scaled by ``1 +- 1e-12``; the losses must agree to ``1e-9`` relative and the
  learning rates, ``steps`` and ``diverged_at`` exactly. An implementation whose
  arithmetic differs from torch's by a few ulps then stays far inside the
  tolerance the tests use.
* ReduceLROnPlateau: every comparison of a metric against the current best is
  at least ``1e-7`` (relative) away from its threshold, so a metric that differs
  in its last bits cannot flip a decision.
* Divergence (linear models with MSE): the non-finite loss is recomputed in
  ``numpy.longdouble`` (wider exponent range) and must exceed the float64
  maximum by at least 1%, and every finite loss times 64 (a bound on the sum
  of squares behind the mean) must stay below half of it, so the step at which
  the run diverges does not depend on rounding or summation order.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import torch

from fixture_support import build_scheduler, dump_fixture, roundtrip
from torch import nn
from torch.optim import lr_scheduler as lrs

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "TrainingTests", "Fixtures", "training.json")
EXPECTED_TORCH = "2.15.0"

DTYPE = torch.float64
PERTURBATION = 1e-12
LOSS_RTOL = 1e-9
PLATEAU_MARGIN = 1e-7
DBL_MAX = sys.float_info.max

ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,  # approximate="none": x * Phi(x) with erf
}

LOSSES = {
    "mse": nn.MSELoss,
    "l1": nn.L1Loss,
    "huber": nn.HuberLoss,  # delta = 1.0
    "cross_entropy": nn.CrossEntropyLoss,
}


# ---------------------------------------------------------------------------
# Building torch objects from a request
# ---------------------------------------------------------------------------


def layer_sizes(model_spec: dict) -> list[int]:
    hidden = model_spec.get("hidden", []) if model_spec["type"] == "mlp" else []
    return [model_spec["in_features"], *hidden, model_spec["out_features"]]


def build_model(model_spec: dict, init: list[dict]) -> nn.Sequential:
    """``nn.Sequential`` of ``nn.Linear`` layers (activations between them), in float64."""
    bias = model_spec.get("bias", True)
    sizes = layer_sizes(model_spec)
    layers: list[nn.Module] = []
    linears: list[nn.Linear] = []
    for i in range(len(sizes) - 1):
        linear = nn.Linear(sizes[i], sizes[i + 1], bias=bias)
        layers.append(linear)
        linears.append(linear)
        if i < len(sizes) - 2:
            layers.append(ACTIVATIONS[model_spec["activation"]]())
    model = nn.Sequential(*layers).to(DTYPE)
    assert len(init) == len(linears), "one init entry per Linear layer"
    with torch.no_grad():
        for linear, params in zip(linears, init):
            weight = torch.tensor(params["weight"], dtype=DTYPE)
            assert weight.shape == linear.weight.shape, (weight.shape, linear.weight.shape)
            linear.weight.copy_(weight)
            if bias:
                b = torch.tensor(params["bias"], dtype=DTYPE)
                assert b.shape == linear.bias.shape
                linear.bias.copy_(b)
            else:
                assert "bias" not in params
    return model


def build_optimizer(model: nn.Module, spec: dict) -> torch.optim.Optimizer:
    kwargs = {k: v for k, v in spec.items() if k != "type"}
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    cls = getattr(torch.optim, spec["type"])
    return cls(model.parameters(), foreach=False, **kwargs)


def targets(values, loss: str) -> torch.Tensor:
    if loss == "cross_entropy":
        return torch.tensor(values, dtype=torch.long)
    return torch.tensor(values, dtype=DTYPE)


# ---------------------------------------------------------------------------
# Running one request
# ---------------------------------------------------------------------------


def plateau_margin(scheduler, metric: float) -> float:
    """Relative distance of ``metric`` from the threshold ``_is_better`` compares it with."""
    best = scheduler.best
    if math.isinf(best):
        return math.inf
    if scheduler.mode == "min":
        bound = best * (1.0 - scheduler.threshold) if scheduler.threshold_mode == "rel" else best - scheduler.threshold
    else:
        bound = best * (1.0 + scheduler.threshold) if scheduler.threshold_mode == "rel" else best + scheduler.threshold
    return abs(metric - bound) / max(abs(metric), abs(bound), 1e-300)


def extended_mse(model: nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> np.longdouble:
    """MSE of a single-Linear model computed in ``numpy.longdouble`` (wider exponent range)."""
    (linear,) = list(model)
    w = linear.weight.detach().numpy().astype(np.longdouble)
    out = x.numpy().astype(np.longdouble) @ w.T
    if linear.bias is not None:
        out = out + linear.bias.detach().numpy().astype(np.longdouble)
    diff = out - y.numpy().astype(np.longdouble)
    return np.mean(diff * diff)


def run(request: dict, perturb_seed: int | None = None) -> tuple[dict, dict]:
    """Run ``request`` through torch; return ``(expected, diagnostics)``."""
    model_spec = request["model"]
    init = model_spec["init"]
    if perturb_seed is not None:
        rng = np.random.default_rng(perturb_seed)

        def nudge(rows):
            arr = np.asarray(rows, dtype=np.float64)
            signs = rng.choice([-1.0, 1.0], size=arr.shape)
            return (arr * (1.0 + PERTURBATION * signs)).tolist()

        init = [{k: nudge(v) for k, v in layer.items()} for layer in init]
    model = build_model(model_spec, init)

    loss_name = request["loss"]
    loss_fn = LOSSES[loss_name]()
    data = request["data"]
    assert data["type"] == "inline"
    x = torch.tensor(data["x"], dtype=DTYPE)
    y = targets(data["y"], loss_name)
    has_val = "val_x" in data
    if has_val:
        val_x = torch.tensor(data["val_x"], dtype=DTYPE)
        val_y = targets(data["val_y"], loss_name)

    optimizer = build_optimizer(model, request["optimizer"])
    sched_spec = request.get("scheduler")
    scheduler = None
    if sched_spec is not None:
        scheduler = build_scheduler(optimizer, sched_spec["scheduler"], sched_spec.get("params", {}))
    plateau = isinstance(scheduler, lrs.ReduceLROnPlateau)
    interval = request.get("scheduler_interval", "epoch")
    monitor = request.get("monitor", "val_loss" if has_val else "train_loss")
    assert monitor in ("val_loss", "train_loss") and (monitor == "train_loss" or has_val)

    n = x.shape[0]
    bs = request.get("batch_size", n)
    assert request.get("shuffle", False) is False
    batches = [(x[i:i + bs], y[i:i + bs]) for i in range(0, n, bs)]

    lrs_out, step_lrs, train_out, val_out = [], [], [], []
    steps = 0
    diverged_at = None
    diag = {"plateau_margin": math.inf, "max_finite_loss": 0.0, "lr_cut": False}

    def record_diverging_loss(xb, yb):
        """Keep the non-finite loss recomputed in extended precision (linear MSE only)."""
        if model_spec["type"] == "linear" and loss_name == "mse":
            diag["diverge_ext"] = extended_mse(model, xb, yb)

    for epoch in range(request["epochs"]):
        epoch_lr = float(optimizer.param_groups[0]["lr"])
        epoch_step_lrs = []
        batch_losses = []
        for xb, yb in batches:
            epoch_step_lrs.append(float(optimizer.param_groups[0]["lr"]))
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            value = loss.item()
            if not math.isfinite(value):
                diverged_at = epoch
                record_diverging_loss(xb, yb)
                break
            diag["max_finite_loss"] = max(diag["max_finite_loss"], value)
            loss.backward()
            optimizer.step()
            steps += 1
            batch_losses.append(value)
            if scheduler is not None and interval == "step" and not plateau:
                scheduler.step()
        if diverged_at is not None:
            break
        epoch_train = sum(batch_losses) / len(batch_losses)
        if has_val:
            with torch.no_grad():
                v = loss_fn(model(val_x), val_y).item()
            if not math.isfinite(v):
                diverged_at = epoch
                record_diverging_loss(val_x, val_y)
                break
            diag["max_finite_loss"] = max(diag["max_finite_loss"], v)
        lrs_out.append(epoch_lr)
        step_lrs.extend(epoch_step_lrs)
        train_out.append(epoch_train)
        if has_val:
            val_out.append(v)
        if plateau:
            metric = v if monitor == "val_loss" else epoch_train
            diag["plateau_margin"] = min(diag["plateau_margin"], plateau_margin(scheduler, metric))
            before = optimizer.param_groups[0]["lr"]
            scheduler.step(metric)
            if optimizer.param_groups[0]["lr"] < before:
                diag["lr_cut"] = True
        elif scheduler is not None and interval == "epoch":
            scheduler.step()

    expected: dict = {"lrs": lrs_out, "step_lrs": step_lrs, "train_loss": train_out}
    if has_val:
        expected["val_loss"] = val_out
    expected["steps"] = steps
    if diverged_at is not None:
        expected["diverged_at"] = diverged_at
    final = {}
    if train_out:
        final["train_loss"] = train_out[-1]
    if has_val and val_out:
        final["val_loss"] = val_out[-1]
    expected["final"] = final
    return expected, diag


def rel_diff(a: float, b: float) -> float:
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


def verify(name: str, request: dict, expected: dict, diag: dict, perturb_seed: int) -> float:
    """Run the conditioning, plateau-margin and divergence checks; return the worst loss drift."""
    other, _ = run(request, perturb_seed=perturb_seed)
    for key in ("lrs", "step_lrs", "steps", "diverged_at"):
        assert expected.get(key) == other.get(key), f"{name}: {key} changes under a 1e-12 nudge of the init"
    worst = 0.0
    for key in ("train_loss", "val_loss"):
        assert len(expected.get(key, [])) == len(other.get(key, []))
        for a, b in zip(expected.get(key, []), other.get(key, [])):
            worst = max(worst, rel_diff(a, b))
    assert worst < LOSS_RTOL, f"{name}: losses move by {worst:.3g} relative under a 1e-12 nudge of the init"
    assert diag["plateau_margin"] > PLATEAU_MARGIN, f"{name}: a plateau decision is {diag['plateau_margin']:.3g} from its threshold"
    if "diverged_at" in expected and "diverge_ext" in diag:
        ext = diag["diverge_ext"]
        shown = np.format_float_scientific(ext, precision=6)
        assert not np.isfinite(ext) or ext > np.longdouble(DBL_MAX) * np.longdouble(1.01), \
            f"{name}: diverging loss {shown} is near the float64 limit"
        assert diag["max_finite_loss"] * 64 < DBL_MAX / 2, f"{name}: a finite loss {diag['max_finite_loss']} is near the float64 limit"
    return worst


# ---------------------------------------------------------------------------
# Data and initial weights
# ---------------------------------------------------------------------------


def r6(a) -> list:
    """Round to 6 decimals (short JSON) and return nested Python floats."""
    return np.round(np.asarray(a, dtype=np.float64), 6).tolist()


def init_for(model_spec: dict, seed: int, scale: float = 1.0) -> list[dict]:
    """Uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) weights like nn.Linear's default, rounded."""
    rng = np.random.default_rng(seed)
    sizes = layer_sizes(model_spec)
    out = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = scale / math.sqrt(fan_in)
        layer = {"weight": r6(rng.uniform(-bound, bound, size=(fan_out, fan_in)))}
        if model_spec.get("bias", True):
            layer["bias"] = r6(rng.uniform(-bound, bound, size=(fan_out,)))
        out.append(layer)
    return out


def regression(seed: int, n: int, d: int, out: int = 1, n_val: int = 0, noise: float = 0.3,
               nonlinear: bool = False, scale: float = 1.0) -> dict:
    """Inline regression data: y = x W^T + b (optionally passed through sin) + noise."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(out, d)) / math.sqrt(d)
    b = rng.normal(size=(out,)) * 0.5

    def make(m):
        xs = rng.normal(size=(m, d))
        ys = xs @ w.T + b
        if nonlinear:
            ys = np.sin(2.0 * ys) + 0.5 * ys
        ys = scale * ys + noise * rng.normal(size=(m, out))
        return r6(xs), r6(ys)

    data = {"type": "inline"}
    data["x"], data["y"] = make(n)
    if n_val:
        data["val_x"], data["val_y"] = make(n_val)
    return data


def blobs(seed: int, n: int, d: int, classes: int, n_val: int = 0, spread: float = 1.0) -> dict:
    """Inline classification data: Gaussian blobs around random centres, labels as ints."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(classes, d)) * 2.0

    def make(m):
        labels = np.arange(m) % classes
        rng.shuffle(labels)
        xs = centres[labels] + spread * rng.normal(size=(m, d))
        return r6(xs), [int(k) for k in labels]

    data = {"type": "inline"}
    data["x"], data["y"] = make(n)
    if n_val:
        data["val_x"], data["val_y"] = make(n_val)
    return data


# ---------------------------------------------------------------------------
# Request helpers
# ---------------------------------------------------------------------------


def linear(in_features: int, out_features: int = 1, bias: bool | None = None) -> dict:
    m = {"type": "linear", "in_features": in_features, "out_features": out_features}
    if bias is not None:
        m["bias"] = bias
    return m


def mlp(in_features: int, hidden: list[int], activation: str, out_features: int = 1, bias: bool | None = None) -> dict:
    m = {"type": "mlp", "in_features": in_features, "hidden": hidden, "activation": activation, "out_features": out_features}
    if bias is not None:
        m["bias"] = bias
    return m


def sched(name: str, **params) -> dict:
    return {"scheduler": name, "params": params}


def request(model: dict, data: dict, loss: str, optimizer: dict, *, scheduler: dict | None = None,
            interval: str | None = None, monitor: str | None = None, epochs: int = 20,
            batch_size: int | None = None, seed: int = 0, init_seed: int | None = None,
            init_scale: float = 1.0, init: list | None = None) -> dict:
    """A request body with a stable key order; ``init`` is generated unless given."""
    model = dict(model)
    model["init"] = init if init is not None else init_for(model, seed if init_seed is None else init_seed, init_scale)
    body = {"model": model, "data": data, "loss": loss, "optimizer": optimizer}
    if scheduler is not None:
        body["scheduler"] = scheduler
    if interval is not None:
        body["scheduler_interval"] = interval
    if monitor is not None:
        body["monitor"] = monitor
    body["epochs"] = epochs
    if batch_size is not None:
        body["batch_size"] = batch_size
    body["shuffle"] = False
    body["seed"] = seed
    return body


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


def seed_request() -> dict:
    """Linear(10, 1) as torch.manual_seed(0) initialises it, then x, y = randn(32, 10), randn(32, 1)."""
    torch.manual_seed(0)
    layer = nn.Linear(10, 1)
    x = torch.randn(32, 10)
    y = torch.randn(32, 1)
    init = [{"weight": layer.weight.detach().double().tolist(), "bias": layer.bias.detach().double().tolist()}]
    data = {"type": "inline", "x": x.double().tolist(), "y": y.double().tolist()}
    return request(linear(10, 1), data, "mse", {"type": "SGD", "lr": 0.1},
                   scheduler=sched("StepLR", step_size=10, gamma=0.9), interval="epoch",
                   epochs=30, batch_size=32, seed=0, init=init)


def build_cases() -> list[tuple[str, dict, dict]]:
    """``(name, request, requirements)``; requirements are extra assertions on the result."""
    C = []

    def add(name, req, **require):
        C.append((name, req, require))

    # -- required named cases ------------------------------------------------
    add("seed: Linear(10,1) MSE SGD(lr=0.1) StepLR(step_size=10, gamma=0.9), 30 epochs, manual_seed(0) init and randn data",
        seed_request())

    add("Adam + ReduceLROnPlateau(patience=2, factor=0.5) on val_loss, regression with validation; LR is cut",
        request(linear(8, 1), regression(101, 48, 8, n_val=24, noise=0.6), "mse",
                {"type": "Adam", "lr": 0.2},
                scheduler=sched("ReduceLROnPlateau", patience=2, factor=0.5),
                epochs=30, batch_size=16, seed=101),
        lr_cut=True)

    add("MLP 10-16-16-1 relu, OneCycleLR(max_lr=0.1, total_steps=80) stepped per batch, SGD momentum 0.9 (momentum cycled)",
        request(mlp(10, [16, 16], "relu"), regression(102, 64, 10, n_val=16, nonlinear=True), "mse",
                {"type": "SGD", "lr": 0.01, "momentum": 0.9},
                scheduler=sched("OneCycleLR", max_lr=0.1, total_steps=80), interval="step",
                epochs=20, batch_size=16, seed=102))

    add("cross-entropy, 3 Gaussian blobs, MLP 2-8-3 tanh, SGD momentum 0.9 nesterov",
        request(mlp(2, [8], "tanh", out_features=3), blobs(103, 60, 2, 3, n_val=30), "cross_entropy",
                {"type": "SGD", "lr": 0.1, "momentum": 0.9, "nesterov": True},
                epochs=25, batch_size=20, seed=103))

    # -- SGD options -----------------------------------------------------------
    add("SGD momentum 0.9 dampening 0.5, linear MSE, partial last batch (40 = 16+16+8)",
        request(linear(6, 2), regression(201, 40, 6, out=2, n_val=12), "mse",
                {"type": "SGD", "lr": 0.05, "momentum": 0.9, "dampening": 0.5},
                epochs=20, batch_size=16, seed=201))
    add("SGD weight_decay 0.05, no momentum, L1 loss, linear",
        request(linear(5, 1), regression(202, 32, 5, n_val=16), "l1",
                {"type": "SGD", "lr": 0.05, "weight_decay": 0.05},
                epochs=25, batch_size=8, seed=202))
    add("SGD momentum 0.8 nesterov weight_decay 1e-3, Huber, MLP sigmoid, ExponentialLR(0.95)",
        request(mlp(4, [6], "sigmoid"), regression(203, 36, 4, n_val=12, scale=3.0), "huber",
                {"type": "SGD", "lr": 0.2, "momentum": 0.8, "nesterov": True, "weight_decay": 0.001},
                scheduler=sched("ExponentialLR", gamma=0.95), epochs=20, batch_size=12, seed=203))
    add("SGD momentum 0.9 dampening 0.1 weight_decay 0.01, MLP gelu, MultiStepLR([5, 12], gamma=0.3)",
        request(mlp(5, [8, 4], "gelu"), regression(204, 30, 5, nonlinear=True), "mse",
                {"type": "SGD", "lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01},
                scheduler=sched("MultiStepLR", milestones=[5, 12], gamma=0.3),
                epochs=18, batch_size=7, seed=204))

    # -- Adam / AdamW ----------------------------------------------------------
    add("Adam defaults (lr 0.01), MLP sigmoid, CosineAnnealingLR(T_max=20) per epoch",
        request(mlp(6, [10], "sigmoid"), regression(301, 48, 6, n_val=16, nonlinear=True), "mse",
                {"type": "Adam", "lr": 0.01},
                scheduler=sched("CosineAnnealingLR", T_max=20), interval="epoch",
                epochs=20, batch_size=16, seed=301))
    add("Adam amsgrad, betas (0.8, 0.99), eps 1e-6, MLP gelu, Huber",
        request(mlp(4, [8], "gelu"), regression(302, 40, 4, n_val=20, scale=2.5), "huber",
                {"type": "Adam", "lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-06, "amsgrad": True},
                epochs=25, batch_size=10, seed=302))
    add("Adam weight_decay 0.01 (L2 into the gradient), linear, L1 loss, LinearLR(start_factor=0.25, total_iters=8)",
        request(linear(7, 1), regression(303, 32, 7, n_val=16), "l1",
                {"type": "Adam", "lr": 0.05, "weight_decay": 0.01},
                scheduler=sched("LinearLR", start_factor=0.25, total_iters=8),
                epochs=20, batch_size=8, seed=303))
    add("AdamW defaults (decoupled weight_decay 0.01), MLP relu, StepLR(5, 0.5)",
        request(mlp(8, [12], "relu"), regression(304, 48, 8, n_val=16, nonlinear=True), "mse",
                {"type": "AdamW", "lr": 0.01},
                scheduler=sched("StepLR", step_size=5, gamma=0.5), epochs=20, batch_size=16, seed=304))
    add("AdamW amsgrad, weight_decay 0.1, betas (0.85, 0.995), eps 1e-7, MLP tanh, cross-entropy 4 classes",
        request(mlp(3, [10], "tanh", out_features=4), blobs(305, 48, 3, 4, n_val=24, spread=1.2), "cross_entropy",
                {"type": "AdamW", "lr": 0.03, "betas": [0.85, 0.995], "eps": 1e-07, "weight_decay": 0.1, "amsgrad": True},
                epochs=20, batch_size=16, seed=305))
    add("Adam, CyclicLR(triangular2) per step: cycle_momentum cycles Adam's beta1",
        request(linear(6, 1), regression(306, 48, 6, n_val=16), "mse",
                {"type": "Adam", "lr": 0.01},
                scheduler=sched("CyclicLR", base_lr=0.001, max_lr=0.05, step_size_up=6, mode="triangular2"),
                interval="step", epochs=15, batch_size=8, seed=306))

    # -- RMSprop ---------------------------------------------------------------
    add("RMSprop defaults (lr 0.01), linear MSE, no validation",
        request(linear(6, 1), regression(401, 32, 6), "mse",
                {"type": "RMSprop", "lr": 0.01}, epochs=20, batch_size=8, seed=401))
    add("RMSprop centered, momentum 0.9, alpha 0.95, MLP tanh, PolynomialLR(total_iters=15, power=2)",
        request(mlp(5, [8], "tanh"), regression(402, 40, 5, n_val=20, nonlinear=True), "mse",
                {"type": "RMSprop", "lr": 0.005, "alpha": 0.95, "momentum": 0.9, "centered": True},
                scheduler=sched("PolynomialLR", total_iters=15, power=2.0),
                epochs=20, batch_size=10, seed=402))
    add("RMSprop weight_decay 0.01, eps 1e-6, momentum 0.5, Huber, MLP relu, CosineAnnealingWarmRestarts per step",
        request(mlp(6, [8], "relu"), regression(403, 36, 6, n_val=12, scale=3.0), "huber",
                {"type": "RMSprop", "lr": 0.01, "eps": 1e-06, "weight_decay": 0.01, "momentum": 0.5},
                scheduler=sched("CosineAnnealingWarmRestarts", T_0=5, T_mult=2, eta_min=0.001),
                interval="step", epochs=12, batch_size=9, seed=403))
    add("RMSprop centered, cross-entropy, linear 4 -> 3 without bias",
        request(linear(4, 3, bias=False), blobs(404, 45, 4, 3, n_val=15), "cross_entropy",
                {"type": "RMSprop", "lr": 0.01, "centered": True},
                epochs=20, batch_size=15, seed=404))

    # -- losses, activations, shapes -------------------------------------------
    add("L1 loss, MLP tanh 2 hidden layers, two outputs",
        request(mlp(4, [6, 6], "tanh", out_features=2), regression(501, 40, 4, out=2, n_val=10, nonlinear=True), "l1",
                {"type": "SGD", "lr": 0.05, "momentum": 0.5}, epochs=20, batch_size=10, seed=501))
    add("Huber with targets in both regimes (|err| > 1 early), linear, Adam",
        request(linear(5, 1), regression(502, 40, 5, n_val=10, scale=4.0, noise=0.5), "huber",
                {"type": "Adam", "lr": 0.05}, epochs=25, batch_size=10, seed=502))
    add("cross-entropy, linear (multinomial logistic regression) 3 -> 4, Adam, no validation, batch_size omitted",
        request(linear(3, 4), blobs(503, 40, 3, 4), "cross_entropy",
                {"type": "Adam", "lr": 0.05}, epochs=25, seed=503))
    add("MLP gelu without bias, MSE, SGD",
        request(mlp(4, [8], "gelu", bias=False), regression(504, 32, 4, n_val=16, nonlinear=True), "mse",
                {"type": "SGD", "lr": 0.1}, epochs=20, batch_size=8, seed=504))
    add("linear without bias, bias: false, SGD momentum",
        request(linear(6, 1, bias=False), regression(505, 30, 6, n_val=10), "mse",
                {"type": "SGD", "lr": 0.05, "momentum": 0.9}, epochs=15, batch_size=8, seed=505))
    add("MLP sigmoid 3 hidden layers, partial last batch (50 = 16+16+16+2)",
        request(mlp(5, [8, 8, 4], "sigmoid"), regression(506, 50, 5, n_val=10, nonlinear=True), "mse",
                {"type": "Adam", "lr": 0.01}, epochs=15, batch_size=16, seed=506))
    add("batch_size omitted (full batch), MLP relu, SGD momentum, no scheduler",
        request(mlp(6, [12], "relu"), regression(507, 48, 6, n_val=16, nonlinear=True), "mse",
                {"type": "SGD", "lr": 0.05, "momentum": 0.9}, epochs=30, seed=507))
    add("batch_size larger than the data set (one batch of 20)",
        request(linear(4, 1), regression(508, 20, 4), "mse",
                {"type": "SGD", "lr": 0.1}, epochs=10, batch_size=64, seed=508))
    add("batch_size 1 (every sample its own step), linear, L1",
        request(linear(3, 1), regression(509, 12, 3, n_val=6), "l1",
                {"type": "SGD", "lr": 0.02}, epochs=8, batch_size=1, seed=509))

    # -- monitor / ReduceLROnPlateau -------------------------------------------
    add("ReduceLROnPlateau without validation data monitors train_loss (default), SGD, linear",
        request(linear(6, 1), regression(601, 32, 6, noise=0.8), "mse",
                {"type": "SGD", "lr": 0.3},
                scheduler=sched("ReduceLROnPlateau", patience=1, factor=0.5, threshold=0.01),
                epochs=25, batch_size=8, seed=601),
        lr_cut=True)
    add("monitor: train_loss with validation data present, ReduceLROnPlateau abs threshold, cooldown 2, min_lr",
        request(linear(6, 1), regression(602, 32, 6, n_val=16, noise=0.8), "mse",
                {"type": "Adam", "lr": 0.2},
                scheduler=sched("ReduceLROnPlateau", patience=1, factor=0.3, threshold=0.001,
                                threshold_mode="abs", cooldown=2, min_lr=0.01),
                monitor="train_loss", epochs=30, batch_size=8, seed=602),
        lr_cut=True)
    add("ReduceLROnPlateau with scheduler_interval step is still stepped once per epoch (on val_loss)",
        request(mlp(5, [8], "tanh"), regression(603, 40, 5, n_val=20, noise=0.7), "mse",
                {"type": "Adam", "lr": 0.1},
                scheduler=sched("ReduceLROnPlateau", patience=0, factor=0.7),
                interval="step", monitor="val_loss", epochs=20, batch_size=10, seed=603),
        lr_cut=True)

    # -- schedulers per interval -----------------------------------------------
    add("CosineAnnealingLR(T_max=40, eta_min=1e-4) per step, SGD momentum",
        request(linear(6, 1), regression(701, 32, 6, n_val=16), "mse",
                {"type": "SGD", "lr": 0.1, "momentum": 0.9},
                scheduler=sched("CosineAnnealingLR", T_max=40, eta_min=0.0001),
                interval="step", epochs=10, batch_size=8, seed=701))
    add("SequentialLR: LinearLR warmup (5 epochs from 0.1) then CosineAnnealingLR(T_max=15), per epoch, AdamW",
        request(mlp(6, [10], "relu"), regression(702, 48, 6, n_val=16, nonlinear=True), "mse",
                {"type": "AdamW", "lr": 0.02, "weight_decay": 0.05},
                scheduler=sched("SequentialLR",
                                schedulers=[sched("LinearLR", start_factor=0.1, total_iters=5),
                                            sched("CosineAnnealingLR", T_max=15)],
                                milestones=[5]),
                interval="epoch", epochs=20, batch_size=16, seed=702))
    add("SequentialLR: LinearLR warmup (12 steps) then ExponentialLR(0.97), per step, SGD",
        request(linear(5, 1), regression(703, 40, 5, n_val=10), "mse",
                {"type": "SGD", "lr": 0.1},
                scheduler=sched("SequentialLR",
                                schedulers=[sched("LinearLR", start_factor=0.01, end_factor=1.0, total_iters=12),
                                            sched("ExponentialLR", gamma=0.97)],
                                milestones=[12]),
                interval="step", epochs=12, batch_size=8, seed=703))
    add("CyclicLR(triangular) per step on SGD momentum 0.9: momentum cycled 0.9 -> 0.8 -> 0.9",
        request(mlp(4, [8], "tanh"), regression(704, 40, 4, n_val=10, nonlinear=True), "mse",
                {"type": "SGD", "lr": 0.01, "momentum": 0.9},
                scheduler=sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=5),
                interval="step", epochs=12, batch_size=8, seed=704))
    add("CyclicLR(exp_range, gamma 0.99) per step, cycle_momentum false, plain SGD",
        request(linear(6, 1), regression(705, 48, 6, n_val=16), "l1",
                {"type": "SGD", "lr": 0.01},
                scheduler=sched("CyclicLR", base_lr=0.005, max_lr=0.05, step_size_up=4, step_size_down=8,
                                mode="exp_range", gamma=0.99, cycle_momentum=False),
                interval="step", epochs=10, batch_size=8, seed=705))
    add("CyclicLR per step on plain SGD (momentum 0): default cycle_momentum turns SGD into momentum SGD",
        request(linear(6, 1), regression(706, 32, 6, n_val=8), "mse",
                {"type": "SGD", "lr": 0.01},
                scheduler=sched("CyclicLR", base_lr=0.001, max_lr=0.02, step_size_up=4),
                interval="step", epochs=10, batch_size=8, seed=706))
    add("CyclicLR per epoch on RMSprop momentum 0.5: RMSprop's momentum is cycled",
        request(linear(5, 1), regression(707, 30, 5, n_val=10), "mse",
                {"type": "RMSprop", "lr": 0.01, "momentum": 0.5},
                scheduler=sched("CyclicLR", base_lr=0.002, max_lr=0.02, step_size_up=3, base_momentum=0.5, max_momentum=0.7),
                interval="epoch", epochs=15, batch_size=10, seed=707))
    add("LambdaLR per epoch: 0.9 ** epoch, L1, MLP relu",
        request(mlp(5, [8], "relu"), regression(708, 40, 5, n_val=10, nonlinear=True), "l1",
                {"type": "SGD", "lr": 0.05, "momentum": 0.9},
                scheduler=sched("LambdaLR", lr_lambda="0.9 ** epoch"),
                interval="epoch", epochs=20, batch_size=10, seed=708))
    add("LambdaLR per step: linear warmup over 10 steps then 1/sqrt decay, Adam",
        request(linear(6, 1), regression(709, 40, 6, n_val=10), "mse",
                {"type": "Adam", "lr": 0.05},
                scheduler=sched("LambdaLR", lr_lambda="(epoch + 1) / 10 if epoch < 10 else sqrt(10 / (epoch + 1))"),
                interval="step", epochs=10, batch_size=8, seed=709))
    add("MultiplicativeLR(0.95) per epoch, ConstantLR inside ChainedScheduler, SGD",
        request(linear(4, 1), regression(710, 32, 4, n_val=8), "mse",
                {"type": "SGD", "lr": 0.1},
                scheduler=sched("ChainedScheduler",
                                schedulers=[sched("ConstantLR", factor=0.5, total_iters=4),
                                            sched("MultiplicativeLR", lr_lambda="0.95")]),
                epochs=15, batch_size=8, seed=710))
    add("ConstantLR(factor=0.2, total_iters=6) per step, Adam, MLP sigmoid",
        request(mlp(3, [5], "sigmoid"), regression(711, 24, 3, n_val=8, nonlinear=True), "mse",
                {"type": "Adam", "lr": 0.02},
                scheduler=sched("ConstantLR", factor=0.2, total_iters=6),
                interval="step", epochs=10, batch_size=8, seed=711))
    add("OneCycleLR on Adam per step, three_phase, linear anneal: beta1 cycled",
        request(mlp(4, [8], "gelu"), regression(712, 32, 4, n_val=8, nonlinear=True), "mse",
                {"type": "Adam", "lr": 0.001},
                scheduler=sched("OneCycleLR", max_lr=0.05, total_steps=60, three_phase=True, anneal_strategy="linear"),
                interval="step", epochs=15, batch_size=8, seed=712))
    add("OneCycleLR per step on plain SGD (momentum 0): default cycle_momentum sets momentum 0.95",
        request(linear(5, 1), regression(713, 32, 5, n_val=8), "mse",
                {"type": "SGD", "lr": 0.01},
                scheduler=sched("OneCycleLR", max_lr=0.05, epochs=10, steps_per_epoch=4),
                interval="step", epochs=10, batch_size=8, seed=713))
    add("OneCycleLR per epoch (total_steps = epochs), RMSprop, cycle_momentum false",
        request(linear(5, 1), regression(714, 32, 5, n_val=8), "mse",
                {"type": "RMSprop", "lr": 0.001},
                scheduler=sched("OneCycleLR", max_lr=0.02, total_steps=20, cycle_momentum=False),
                interval="epoch", epochs=20, batch_size=16, seed=714))

    # -- divergence --------------------------------------------------------------
    add("divergence mid-epoch without validation: SGD lr 1e3, linear MSE; steps counts the diverging epoch's steps",
        request(linear(8, 1), regression(801, 36, 8), "mse",
                {"type": "SGD", "lr": 1000.0},
                epochs=30, batch_size=8, seed=801),
        diverges=True, mid_epoch=True)
    add("divergence caught on val_loss: SGD lr 1e5 full batch, linear MSE with validation, StepLR",
        request(linear(8, 1), regression(802, 32, 8, n_val=16), "mse",
                {"type": "SGD", "lr": 100000.0},
                scheduler=sched("StepLR", step_size=3, gamma=0.9), epochs=30, seed=802),
        diverges=True, on_val=True)
    return C


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def check_requirements(name: str, req: dict, expected: dict, diag: dict, require: dict) -> None:
    if require.get("lr_cut"):
        assert diag["lr_cut"], f"{name}: ReduceLROnPlateau never cut the LR"
        assert len(set(expected["lrs"])) > 1, name
    if require.get("diverges"):
        assert "diverged_at" in expected, f"{name}: did not diverge"
        assert expected["diverged_at"] > 0, f"{name}: diverged before completing an epoch"
        n_batches = math.ceil(len(req["data"]["x"]) / req.get("batch_size", len(req["data"]["x"])))
        done = len(expected["train_loss"]) * n_batches
        assert len(expected["step_lrs"]) == done
        if require.get("mid_epoch"):
            assert done < expected["steps"] < done + n_batches, f"{name}: not mid-epoch ({done}, {expected['steps']})"
        if require.get("on_val"):
            assert expected["steps"] == done + n_batches, f"{name}: not caught on validation"
    else:
        assert "diverged_at" not in expected, f"{name}: diverged at {expected.get('diverged_at')}"
        assert len(expected["train_loss"]) == req["epochs"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output file (default: %(default)s)")
    args = parser.parse_args(argv)

    version = torch.__version__.split("+")[0]
    if version != EXPECTED_TORCH:
        print(f"warning: torch {torch.__version__} installed, fixtures expect {EXPECTED_TORCH}", file=sys.stderr)
    torch.set_num_threads(1)

    t0 = time.perf_counter()
    cases = []
    worst_drift = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        specs = build_cases()
        names = [name for name, _, _ in specs]
        assert len(names) == len(set(names)), "duplicate case names"
        for index, (name, req, require) in enumerate(specs):
            req = roundtrip(req)
            expected, diag = run(req)
            check_requirements(name, req, expected, diag, require)
            worst_drift = max(worst_drift, verify(name, req, expected, diag, perturb_seed=10_000 + index))
            expected = roundtrip(expected)
            cases.append({"name": name, "request": req, "expected": expected})
            tag = f"diverged_at={expected['diverged_at']}" if "diverged_at" in expected else ""
            print(f"{index + 1:3d} {name[:80]:80s} steps={expected['steps']:4d} "
                  f"final={expected['final'].get('train_loss', float('nan')):.6g} {tag}")

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    dump_fixture(args.out, {"torch": version}, cases)
    with open(args.out, encoding="utf-8") as fh:
        parsed = json.load(fh)
    assert parsed["cases"] == cases
    size = os.path.getsize(args.out)
    assert size < 2 * 1024 * 1024, size
    print(f"{len(cases)} cases, {size:,d} bytes, worst loss drift under a 1e-12 init nudge "
          f"{worst_drift:.3g}, {time.perf_counter() - t0:.1f}s -> {os.path.relpath(args.out, REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
