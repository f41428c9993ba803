#!/usr/bin/env python3
"""Checks that openapi.yaml describes the running service exactly.

1. The catalogue (`GET /v1/schedulers`, generated from the registry that decodes requests)
   and the `*Params` schemas agree on every parameter: JSON type, required, default.
2. schemathesis generates requests from openapi.yaml (valid ones and schema-violating ones) and
   checks every answer: no 5xx, documented status codes, content types, headers and response
   schemas, schema-violating requests refused, undocumented methods answered 405 with `Allow`.
   `positive_data_acceptance` is off: some rules are not expressible in JSON Schema (inline data
   shapes, the work limit, metrics counts) and are documented as 422s.

Starts its own server on a loopback port and stops it; bounded by --max-examples. One worker:
CPython 3.11's AST parsing, which hypothesis uses to describe strategies, is not thread-safe.

    python3 scripts/conformance.py --bin .build/debug/lrsched [--max-examples N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

# Catalogue type → the JSON Schema types a `*Params` property must allow (besides null).
SCHEMA_TYPES = {
    "int": {"integer"},
    "float": {"number"},
    "int | float": {"number"},
    "bool": {"boolean"},
    "string": {"string"},
    "float | list[float]": {"number", "array"},
    "string | list[string]": {"string", "array"},
    "list[int]": {"array"},
    "list[int | float]": {"array"},
    "list[number]": {"array"},
    "list[float]": {"array"},
    "list[scheduler]": {"array"},
    "list[object]": {"array"},
    "dict[int, float]": {"object"},
    "number | [number, number]": {"number", "array"},
    "null": set(),
    "any": set(),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def params_schema(family: str, scheduler: str) -> str:
    if family == "transformers":
        return "Transformers" + "".join(p[:1].upper() + p[1:] for p in scheduler.split("_")) + "Params"
    if family == "timm":
        return "Timm" + scheduler + "Params"
    if family == "optax":
        # `contrib.reduce_on_plateau` -> OptaxContribReduceOnPlateauParams.
        return "Optax" + "".join(p[:1].upper() + p[1:] for p in re.split(r"[._]", scheduler)) + "Params"
    if family == "keras":
        # Keras's names are already CamelCase: `CosineDecay` -> KerasCosineDecayParams.
        return "Keras" + scheduler + "Params"
    if family in ("deepspeed", "mmengine", "megatron"):
        # `WarmupLR` -> DeepSpeedWarmupLRParams.
        return {"deepspeed": "DeepSpeed", "mmengine": "MMEngine", "megatron": "Megatron"}[family] + scheduler + "Params"
    return scheduler + "Params"


def schema_types(prop: dict, schemas: dict) -> set:
    found = set()

    def walk(node):
        if "$ref" in node:
            walk(schemas[node["$ref"].rsplit("/", 1)[1]])
        kind = node.get("type")
        if isinstance(kind, str):
            found.add(kind)
        elif isinstance(kind, list):
            found.update(kind)
        for key in ("oneOf", "anyOf", "allOf"):
            for sub in node.get(key, []):
                walk(sub)

    walk(prop)
    found.discard("null")
    return found


def check_catalogue(base: str, schemas: dict) -> list:
    catalogue = json.load(urllib.request.urlopen(base + "/v1/schedulers", timeout=10))
    problems = []
    for family in catalogue["families"]:
        for scheduler in family["schedulers"]:
            where = f"{family['framework']}/{scheduler['name']}"
            name = params_schema(family["framework"], scheduler["name"])
            schema = schemas.get(name)
            if schema is None:
                problems.append(f"{where}: openapi.yaml has no {name}")
                continue
            required = set(schema.get("required", []))
            for p in scheduler["parameters"]:
                prop = schema.get("properties", {}).get(p["name"])
                if prop is None:
                    problems.append(f"{where}.{p['name']}: not in {name}")
                    continue
                expected = SCHEMA_TYPES.get(p["type"])
                actual = schema_types(prop, schemas)
                if expected is None:
                    problems.append(f"{where}.{p['name']}: unknown catalogue type {p['type']!r}")
                elif actual != expected:
                    problems.append(f"{where}.{p['name']}: catalogue {p['type']}, schema {sorted(actual)}")
                if p["required"] != (p["name"] in required):
                    problems.append(f"{where}.{p['name']}: catalogue required={p['required']}, schema "
                                    f"required={p['name'] in required}")
                default = p["default"]
                described = isinstance(default, str) and "string" not in p["type"]
                if not p["required"] and default is not None and not described:
                    if prop.get("default", "absent") != default:
                        problems.append(f"{where}.{p['name']}: catalogue default {default!r}, schema "
                                        f"{prop.get('default', 'absent')!r}")
    problems += check_trainers(catalogue, schemas)
    return problems


def check_trainers(catalogue: dict, schemas: dict) -> list:
    """Every member a trainer reads (`args/warmup_steps`) is a property of its
    `<Trainer>TrainerRequest` schema, following `$ref`s into nested objects."""

    def deref(node):
        while isinstance(node, dict) and "$ref" in node:
            node = schemas[node["$ref"].rsplit("/", 1)[1]]
        return node

    problems = []
    for trainer in catalogue.get("trainers", []):
        name = {"deepspeed": "DeepSpeed", "mmengine": "MMEngine"}.get(trainer["trainer"], trainer["trainer"].capitalize()) + "TrainerRequest"
        root = schemas.get(name)
        if root is None:
            problems.append(f"trainer {trainer['trainer']}: openapi.yaml has no {name}")
            continue
        for field in trainer["fields"]:
            node = root
            for part in field["name"].split("/"):
                node = deref(node).get("properties", {}).get(part) if isinstance(deref(node), dict) else None
                if node is None:
                    problems.append(f"trainer {trainer['trainer']}: {field['name']} is not in {name}")
                    break
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, help="the lrsched binary")
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    spec_path = os.path.join(ROOT, "openapi.yaml")
    with open(spec_path, encoding="utf-8") as fh:
        schemas = yaml.safe_load(fh)["components"]["schemas"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # A smaller training budget keeps generated training runs short under a debug build.
    server = subprocess.Popen([args.bin, "serve", "--port", str(port), "--log-level", "error", "--drain-delay", "0",
                               "--max-training-work", "200000000"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        else:
            print("conformance: the server did not start", file=sys.stderr)
            return 1
        problems = check_catalogue(base, schemas)
        for p in problems:
            print("catalogue/openapi:", p, file=sys.stderr)
        print(f"catalogue vs openapi.yaml: {len(problems)} disagreements")
        st = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "run", spec_path, "--url", base, "--checks", "all",
             "--exclude-checks", "positive_data_acceptance", "--max-examples", str(args.max_examples),
             "--seed", str(args.seed), "--workers", "1", "--request-timeout", "30", "--no-color"],
            cwd=ROOT,
        )
        alive = server.poll() is None
        if not alive:
            print("conformance: the server died during the run", file=sys.stderr)
        return 0 if not problems and st.returncode == 0 and alive else 1
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
