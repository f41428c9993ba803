"""Code shared by the fixture generators: the lr_lambda namespace, building torch schedulers
from lrsched specs, and writing fixture files one case per line."""

from __future__ import annotations

import json
import math

# Names visible to an lr_lambda expression; nothing else (no builtins).
LAMBDA_NAMESPACE = {
    "min": min,
    "max": max,
    "abs": abs,
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
