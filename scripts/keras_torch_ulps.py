#!/usr/bin/env python3
"""How far lrsched's Keras-on-torch `CosineDecay` and `CosineDecayRestarts` are from Keras's.

On Keras's torch backend these two schedules call `torch.cos` (and `torch.log`), which torch
computes with Intel MKL; lrsched uses glibc's `cosf` and `logf` instead and marks the answers
`"exact": false`. This script measures the difference: it evaluates every case of the torch
fixtures (Tests/SchedulesTests/Fixtures/keras/torch/<Name>.json, written from `model.fit` by
scripts/generate_keras_fixtures.py --backend torch) with `lrsched eval`, compares each value
with Keras's as float32 bit patterns, and prints the distribution in ulps as a Markdown table
(the one in README.md's "Exactness on the torch backend").

    swift build --product lrsched
    python3 scripts/keras_torch_ulps.py [--bin .build/debug/lrsched] [--fixtures DIR]

Needs only the Python standard library. Exits 1 when a fixture is missing or lrsched fails a case
Keras answered (or the other way round).
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SCHEDULERS = ["CosineDecay", "CosineDecayRestarts"]


def ordered(value: float) -> int:
    """The float32 nearest `value` (an exact float32 here) as an integer that counts ulps:
    consecutive floats are consecutive integers, across zero too."""
    bits = struct.unpack("<I", struct.pack("<f", value))[0]
    return bits if bits < 0x8000_0000 else 0x8000_0000 - bits


def ulps(a: float, b: float) -> int:
    return abs(ordered(a) - ordered(b))


def evaluate(binary: str, spec: dict) -> dict:
    out = subprocess.run([binary, "eval", "-"], input=json.dumps(spec), capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1) or not out.stdout.strip():
        raise RuntimeError(f"lrsched eval failed ({out.returncode}): {out.stderr.strip()[-500:]}")
    return json.loads(out.stdout)


def measure(binary: str, path: str) -> tuple[dict, list[float], list[str]]:
    """The ulp histogram of every value of the fixture file at `path`; for each value more than
    2 ulps off, its difference as a fraction of its case's largest learning rate; and the
    disagreements."""
    with open(path, encoding="utf-8") as fh:
        fixture = json.load(fh)
    histogram: dict[int, int] = {}
    far: list[float] = []
    problems: list[str] = []
    for case in fixture["cases"]:
        answer = evaluate(binary, case["spec"])
        if "lrs" not in case:
            if "lrs" in answer:
                problems.append(f"{case['name']}: Keras fails ({case.get('error')}), lrsched answers")
            continue
        if "lrs" not in answer:
            problems.append(f"{case['name']}: Keras answers, lrsched fails: {answer.get('detail')}")
            continue
        if len(answer["lrs"]) != len(case["lrs"]):
            problems.append(f"{case['name']}: {len(answer['lrs'])} values, Keras {len(case['lrs'])}")
            continue
        peak = max(abs(v) for v in case["lrs"]) or 1.0
        for mine, theirs in zip(answer["lrs"], case["lrs"]):
            d = ulps(mine, theirs)
            histogram[d] = histogram.get(d, 0) + 1
            if d > 2:
                far.append(abs(mine - theirs) / peak)
    return histogram, far, problems


def cell(count: int, total: int) -> str:
    """`count` values, with their share of `total`."""
    return f"{count:,} ({100 * count / total:.2f} %)" if count else "0"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "debug", "lrsched"), help="the lrsched binary")
    parser.add_argument("--fixtures", default=os.path.join(ROOT, "Tests", "SchedulesTests", "Fixtures", "keras", "torch"))
    args = parser.parse_args(argv)

    rows = ["| scheduler | values compared | exact | 1 ulp | 2 ulp | max ulp |", "|---|---|---|---|---|---|"]
    notes: list[str] = []
    failed = False
    for name in SCHEDULERS:
        path = os.path.join(args.fixtures, name + ".json")
        if not os.path.exists(path):
            print(f"missing fixture {path} (scripts/generate_keras_fixtures.py --backend torch)", file=sys.stderr)
            failed = True
            continue
        histogram, far, problems = measure(args.bin, path)
        for p in problems:
            print(f"{name}: {p}", file=sys.stderr)
        failed = failed or bool(problems)
        total = sum(histogram.values())
        worst = max(histogram) if histogram else 0
        rows.append(f"| `{name}` | {total:,} | {cell(histogram.get(0, 0), total)} | {cell(histogram.get(1, 0), total)} | "
                    f"{cell(histogram.get(2, 0), total)} | {worst:,} |")
        if far:
            # Many ulps can be a tiny difference: near the end of a decay the value is small and
            # `1 + cos(...)` cancels; or a whole step: a restart one step early or late.
            jumps = [f for f in far if f > 1e-3]
            small = max((f for f in far if f <= 1e-3), default=0.0)
            share = "all" if not jumps else f"{len(far) - len(jumps):,}"
            note = (f"`{name}`: {len(far):,} values differ by more than 2 ulps; "
                    f"{share} of them by at most {small:.1e} of their schedule's largest rate")
            if jumps:
                note += (f", {len(jumps):,} by more than 0.1 % of it (up to {max(jumps):.0%}"
                         f"{': a restart one step early or late' if name == 'CosineDecayRestarts' else ''})")
            notes.append(note + ".")
    print("\n".join(rows))
    for note in notes:
        print("\n" + note)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
