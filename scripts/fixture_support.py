"""Code shared by the fixture generators: the lr_lambda namespace, building torch schedulers
from lrsched specs, running a schedule on several parameter groups with error and non-finite
capture, deterministic metric series, and writing fixture files one case per line."""

from __future__ import annotations

import json
import math

# Names visible to an lr_lambda expression; nothing else (no builtins).
LAMBDA_NAMESPACE = {
    "min": min,
    "max": max,
    "abs": abs,
    "float": float,
    "int": int,
    "round": round,
    "floor": math.floor,
    "ceil": math.ceil,
    "sqrt": math.sqrt,
    "exp": math.exp,
    "log": math.log,
    "cos": math.cos,
    "sin": math.sin,
    "tan": math.tan,
    "tanh": math.tanh,
    "pi": math.pi,
    "e": math.e,
    "__builtins__": {},
}


def make_lambda(expr: str):
    """Turn an ``lr_lambda`` expression string into a callable of ``epoch``."""
    return eval("lambda epoch: " + expr, dict(LAMBDA_NAMESPACE))


def build_scheduler(optimizer, name: str, params: dict):
    """Construct torch scheduler ``name`` on ``optimizer`` the way Python code would:
    composite children first, in list order, then the composite itself."""
    from torch.optim import lr_scheduler as lrs

    kwargs = dict(params)
    if name in ("LambdaLR", "MultiplicativeLR") and "lr_lambda" in kwargs:
        kwargs["lr_lambda"] = make_lambda(kwargs["lr_lambda"])
    if name in ("SequentialLR", "ChainedScheduler") and "schedulers" in kwargs:
        kwargs["schedulers"] = [
            build_scheduler(optimizer, child["scheduler"], child.get("params", {}))
            for child in kwargs["schedulers"]
        ]
    cls = getattr(lrs, name)
    if name == "ChainedScheduler":
        return cls(**kwargs)
    return cls(optimizer, **kwargs)


def roundtrip(obj):
    """Pass through JSON so torch sees exactly what a JSON client would send."""
    return json.loads(json.dumps(obj, allow_nan=False))


def dump_fixture(path: str, header: dict, cases: list) -> None:
    """Write ``header`` members, then ``"cases"`` with one case per line (diff-friendly)."""
    lines = ["{"] + [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in header.items()] + ['  "cases": [']
    for i, case in enumerate(cases):
        sep = "," if i + 1 < len(cases) else ""
        lines.append("    " + json.dumps(case, allow_nan=False) + sep)
    lines.append("  ]")
    lines.append("}")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------
# Multi-group runs (transformers, timm and the torch param-group fixtures)
# ---------------------------------------------------------------------------


def format_exception(exc: BaseException) -> str:
    """``"<ExceptionClass>: <message>"``, or just the class name when the message is
    empty (as Python's traceback prints it)."""
    msg = str(exc)
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def group_lrs_of(lr) -> list:
    """The per-group learning rates of a spec's ``lr``: a number is one group, a list
    is one group per entry."""
    return list(lr) if isinstance(lr, list) else [lr]


def make_group_optimizer(lr, momentum=None):
    """``torch.optim.SGD`` with one parameter group per learning rate in ``lr``.

    Each group holds its own ``torch.nn.Parameter(torch.zeros(1))`` and ``"lr"``;
    the optimizer's default ``lr`` (``optimizer.defaults["lr"]``) is group 0's lr.
    ``momentum`` is passed to SGD when given (it never changes the learning rate).
    """
    import torch

    lrs = group_lrs_of(lr)
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": v} for v in lrs]
    kwargs = {} if momentum is None else {"momentum": momentum}
    return torch.optim.SGD(groups, lr=lrs[0], **kwargs)


def run_group_schedule(build, advance, read_lrs, start: int, epochs: int, extra_series=None) -> dict:
    """Run one schedule, recording every parameter group.

    ``build()`` constructs the scheduler (an exception there is reported with
    ``error_step`` null); ``advance(n)`` performs the n-th step, n = 1, 2, ...
    (an exception there is reported with ``error_step`` n); ``read_lrs()`` returns
    the current learning rate of every group. Values are read right after
    construction (step 0) and after every step up to ``start + epochs - 1``; the
    ones at steps >= ``start`` are reported. Every learning rate read, including
    the unreported ``start`` prefix, must be finite, otherwise the result is
    ``{"error": "non-finite", "error_step": first such step}``.

    ``extra_series`` maps a key (e.g. ``"momentums"``) to another per-group reader,
    recorded alongside the learning rates but not checked for finiteness.

    Returns ``{"lrs": group 0's values, "group_lrs": every group's values (only when
    there is more than one group), <key>: ..., "group_<key>": ...}`` or
    ``{"error": ..., "error_step": ...}``. Warnings are recorded and dropped.
    """
    import warnings

    extra_series = extra_series or {}
    series = {"lrs": []}
    series.update({key: [] for key in extra_series})
    n_groups = None

    def record(n):
        nonlocal n_groups
        lrs = [float(v) for v in read_lrs()]
        n_groups = len(lrs)
        if not all(math.isfinite(v) for v in lrs):
            return False
        if n >= start:
            series["lrs"].append(lrs)
            for key, reader in extra_series.items():
                series[key].append([float(v) for v in reader()])
        return True

    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        try:
            build()
        except Exception as exc:  # noqa: BLE001 - the library's exception is the fixture
            return {"error": format_exception(exc), "error_step": None}
        if not record(0):
            return {"error": "non-finite", "error_step": 0}
        for n in range(1, start + epochs):
            try:
                advance(n)
            except Exception as exc:  # noqa: BLE001
                return {"error": format_exception(exc), "error_step": n}
            if not record(n):
                return {"error": "non-finite", "error_step": n}

    assert len(series["lrs"]) == epochs, (len(series["lrs"]), epochs)
    out = {}
    for key, rows in series.items():
        out[key] = [row[0] for row in rows]
        if n_groups > 1:
            out["group_" + key] = [[row[g] for row in rows] for g in range(n_groups)]
    return out


def build_torch_scheduler(optimizer, name: str, params: dict):
    """Like ``build_scheduler``, but ``lr_lambda`` of LambdaLR / MultiplicativeLR may
    also be a list of expressions, one per parameter group (torch accepts a list of
    callables there); composite children are built the same way."""
    from torch.optim import lr_scheduler as lrs

    kwargs = dict(params)
    if name in ("LambdaLR", "MultiplicativeLR") and "lr_lambda" in kwargs:
        expr = kwargs["lr_lambda"]
        kwargs["lr_lambda"] = [make_lambda(e) for e in expr] if isinstance(expr, list) else make_lambda(expr)
    if name in ("SequentialLR", "ChainedScheduler") and "schedulers" in kwargs:
        kwargs["schedulers"] = [
            build_torch_scheduler(optimizer, child["scheduler"], child.get("params", {}))
            for child in kwargs["schedulers"]
        ]
    cls = getattr(lrs, name)
    if name == "ChainedScheduler":
        return cls(**kwargs)
    return cls(optimizer, **kwargs)


def metric_series(n: int, seed: int, base: float = 1.0, trend: float = -0.01, noise: float = 0.02,
                  flat_prob: float = 0.3, improve_prob: float = 0.3) -> list:
    """A deterministic metric series of length ``n`` from ``random.Random(seed)``: a mix
    of flat stretches (the same value repeated), runs of steady moves by ``trend``
    and noisy stretches around the current level. The level drifts by ``trend``, so
    long series cross zero when ``base`` is small (negative values are intended).
    Values are rounded to 6 decimals."""
    import random

    rng = random.Random(seed)
    out = []
    level = base
    while len(out) < n:
        r = rng.random()
        if r < flat_prob:
            out.extend([round(level, 6)] * rng.randint(3, 14))
        elif r < flat_prob + improve_prob:
            for _ in range(rng.randint(3, 12)):
                level += trend
                out.append(round(level, 6))
        else:
            for _ in range(rng.randint(3, 10)):
                out.append(round(level + rng.uniform(-noise, noise), 6))
    return out[:n]


def write_fixture_files(out: str, schedulers, builders, run_spec, header, check_spec=None) -> int:
    """Runs every case of every scheduler through ``run_spec`` and writes ``out/<scheduler>.json``.

    ``builders[scheduler]()`` returns the cases (``.items``: name, spec pairs); ``header(scheduler)``
    the file's header members; ``check_spec(name, spec)``, when given, asserts what a spec must
    satisfy before it runs. Prints one line per file; returns the bytes written."""
    import os

    os.makedirs(out, exist_ok=True)
    total_bytes = 0
    for scheduler in schedulers:
        case_list = builders[scheduler]()
        names = [name for name, _ in case_list.items]
        assert len(names) == len(set(names)), f"duplicate case names in {scheduler}"
        cases = []
        n_ok = n_err = 0
        for name, spec in case_list.items:
            spec = roundtrip(spec)
            if check_spec is not None:
                check_spec(name, spec)
            result = run_spec(spec)
            cases.append({"name": name, "spec": spec, **result})
            if "lrs" in result:
                n_ok += 1
            else:
                n_err += 1
                assert "0x" not in result["error"], result["error"]
        path = os.path.join(out, f"{scheduler}.json")
        dump_fixture(path, header(scheduler), cases)
        size = os.path.getsize(path)
        total_bytes += size
        print(f"{scheduler:30s} {len(cases):3d} cases ({n_ok:3d} valid, {n_err:2d} error)  {size:9,d} bytes")
    return total_bytes

