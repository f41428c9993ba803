#!/usr/bin/env python3
"""Generate golden fixtures for integer parameters written as integral floats (``2.0``).

What it does
------------
JSON Schema counts ``5.0`` as an integer, and so do most schedulers:
``StepLR(step_size=2.0)`` runs, and computes exactly what ``step_size=2`` does.
Some refuse it (``CosineAnnealingWarmRestarts`` checks ``isinstance(T_0, int)``).
This script asks the libraries which, instead of assuming: it reads the golden
fixtures of every family, and for the first successful cases of each scheduler
rewrites one integer parameter at a time (or every element of one integer list,
or one parameter of a composite's child) as a float. Each rewritten spec is run
through the installed library with that family's own ``run_spec``, and the
results are written to

    Tests/SchedulesTests/Fixtures/<family>/integral_floats.json   (3 files)

in the same format as the other fixtures: ``lrs`` when the library accepts the
float (lrsched must then produce the same values, bit for bit), ``error`` when
it refuses it (lrsched must refuse it too).

How to run
----------
From the repository root, after the per-family fixtures exist::

    python3 scripts/generate_integral_float_fixtures.py [--out DIR] [--per-parameter N]

Deterministic; CPU only; a few seconds.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import logging
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "Tests", "SchedulesTests", "Fixtures")
sys.path.insert(0, HERE)

from fixture_support import dump_fixture  # noqa: E402

# Per family: the generator module that owns ``run_spec`` and the fixture files to read.
FAMILIES = {
    "torch": "generate_torch_fixtures",
    "transformers": "generate_transformers_fixtures",
    "timm": "generate_timm_fixtures",
}
# Files next to the per-scheduler ones that are not per-scheduler case lists.
SKIPPED_FILES = {"seed.json", "groups.json", "generator.json", "integral_floats.json"}


def load_module(name: str):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def integer_paths(params: dict, prefix=()):
    """Every place in ``params`` holding an integer (bools excluded): a path to a single
    integer, or to a list whose elements are all integers (rewritten together), including
    the params of a composite's children."""
    for key, value in params.items():
        path = prefix + (key,)
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            yield path
        elif isinstance(value, list) and value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            yield path
        elif key == "schedulers" and isinstance(value, list):
            for i, child in enumerate(value):
                yield from integer_paths(child.get("params", {}), path + (i, "params"))


def floated(spec: dict, path) -> dict:
    """``spec`` with the integer (or integer list) at ``params`` + ``path`` as floats."""
    out = copy.deepcopy(spec)
    node = out["params"]
    for key in path[:-1]:
        node = node[key]
    value = node[path[-1]]
    node[path[-1]] = [float(v) for v in value] if isinstance(value, list) else float(value)
    return out


def describe(path) -> str:
    return "/".join(str(p) for p in path)


def cases_for(family: str, directory: str, run_spec, per_parameter: int) -> list:
    cases = []
    for file in sorted(os.listdir(directory)):
        if not file.endswith(".json") or file in SKIPPED_FILES:
            continue
        with open(os.path.join(directory, file), encoding="utf-8") as fh:
            golden = json.load(fh)
        taken = {}
        for case in golden["cases"]:
            if "lrs" not in case:
                continue
            spec = case["spec"]
            for path in integer_paths(spec.get("params", {})):
                # Children of composites are identified by scheduler, not by index.
                key = describe(p for p in path if not isinstance(p, int))
                if taken.get(key, 0) >= per_parameter:
                    continue
                taken[key] = taken.get(key, 0) + 1
                new = floated(spec, path)
                result = run_spec(json.loads(json.dumps(new)))
                cases.append({"name": f"{spec['scheduler']} {describe(path)} as a float ({case['name']})",
                              "spec": new, **result})
    return cases


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="fixture root (default: %(default)s)")
    parser.add_argument("--per-parameter", type=int, default=3,
                        help="rewritten cases per scheduler and parameter (default: %(default)s)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    for family, module_name in FAMILIES.items():
        module = load_module(module_name)
        directory = os.path.join(args.out, family)
        cases = cases_for(family, directory, module.run_spec, args.per_parameter)
        import torch

        header = {"torch": torch.__version__.split("+")[0]}
        if family != "torch":
            library = __import__(family)
            header = {family: library.__version__.split("+")[0], **header}
        header["scheduler"] = "integral floats"
        path = os.path.join(directory, "integral_floats.json")
        dump_fixture(path, header, cases)
        refused = sorted({c["name"].split(" as a float")[0] for c in cases if "error" in c})
        print(f"{family}: {len(cases)} cases, {len(refused)} refused: {', '.join(refused)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
