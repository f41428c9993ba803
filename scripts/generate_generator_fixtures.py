#!/usr/bin/env python3
"""Generate golden fixtures for torch's CPU random generator from real PyTorch.

What it does
------------
timm's schedulers draw their learning-rate noise from a fresh
``torch.Generator()`` seeded with ``manual_seed(noise_seed + t)``, calling
``torch.randn(1, generator=g)`` (repeatedly, while resampling) or
``torch.rand(1, generator=g)``. The Swift ``TorchGenerator`` reproduces those
draws; this script records what the installed torch returns, in

    Tests/SchedulesTests/Fixtures/timm/generator.json

as ``{"torch": VERSION, "cases": [{"seed": S, "randn": [4 floats],
"rand": [4 floats]}, ...]}``. For each seed, ``randn`` holds the first four
``torch.randn(1, generator=g).item()`` values of one generator and ``rand``
the first four ``torch.rand(1, generator=g).item()`` values of a second, fresh
generator with the same seed (default dtype float32, so every value is a
float32 widened to a Python float). Floats are written with ``repr`` (via
``json.dumps``), which round-trips exactly.

The seeds cover 0, 1, 42, 43, ..., small and mid-size values, the 2^31 and 2^32
boundaries (torch seeds MT19937 from the low 32 bits only), large seeds up to
2^63 - 1 and negative seeds down to -2^63 (torch reads them as 64-bit two's
complement). Seeds at or above 2^63 are left out because the Swift side reads
seeds as ``Int``.

How to run
----------
From the repository root::

    python3 scripts/generate_generator_fixtures.py

Optional: ``--out FILE`` writes somewhere else. The output is deterministic:
the pseudo-random seeds come from a fixed-seed ``random.Random`` and there are
no timestamps. The file records ``torch.__version__`` without its local suffix;
a warning is printed when it is not 2.15.0. CPU only; it runs in about a second.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

import torch

from fixture_support import dump_fixture

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "timm", "generator.json")
EXPECTED_TORCH = "2.15.0"
DRAWS = 4
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def seeds() -> list[int]:
    """About 300 distinct seeds: small ones, edge values, and fixed pseudo-random ones."""
    chosen: list[int] = []

    def add(seed: int) -> None:
        assert INT64_MIN <= seed <= INT64_MAX, seed
        if seed not in chosen:
            chosen.append(seed)

    for seed in range(0, 64):
        add(seed)
    for seed in (100, 123, 1000, 1234, 2024, 4242, 12345, 65535, 65536, 99999, 10**6, 10**9):
        add(seed)
    for base in (2**31, 2**32, 2**33, 2**48, 2**53, 2**62):
        for delta in (-1, 0, 1, 5, 42):
            add(base + delta)
    for seed in (INT64_MAX, INT64_MAX - 1, INT64_MAX - 42, 10**18, 1234567890123456789):
        add(seed)
    for seed in (-1, -2, -3, -42, -1000, -(2**31), -(2**31) - 1, -(2**32), -(2**32) + 5, -(2**32) - 5):
        add(seed)
    for seed in (-(10**18), INT64_MIN + 1, INT64_MIN):
        add(seed)
    rng = random.Random(20250101)
    while len(chosen) < 190:
        add(rng.randrange(0, 2**32))
    while len(chosen) < 250:
        add(rng.randrange(2**32, INT64_MAX + 1))
    while len(chosen) < 300:
        add(rng.randrange(INT64_MIN, 0))
    return chosen


def draws(seed: int, sampler) -> list[float]:
    """The first ``DRAWS`` values of ``sampler(1, generator=g).item()`` on a fresh generator."""
    g = torch.Generator()
    g.manual_seed(seed)
    values = []
    for _ in range(DRAWS):
        t = sampler(1, generator=g)
        assert t.dtype == torch.float32 and t.shape == (1,)
        values.append(t.item())
    return values


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output file (default: %(default)s)")
    args = parser.parse_args(argv)

    version = torch.__version__.split("+")[0]
    if version != EXPECTED_TORCH:
        print(f"warning: torch {torch.__version__} installed, fixtures expect {EXPECTED_TORCH}", file=sys.stderr)
    torch.set_default_dtype(torch.float32)

    cases = [{"seed": s, "randn": draws(s, torch.randn), "rand": draws(s, torch.rand)} for s in seeds()]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    dump_fixture(args.out, {"torch": version}, cases)
    print(f"{len(cases)} seeds, {os.path.getsize(args.out):,d} bytes -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
