#!/usr/bin/env python3
"""Generate the fixtures of lrsched's XLA float32 elementary functions (``Sources/Float32Math``).

What it does
------------
For each function (``exp``, ``log``, ``cos``, ``pow``) it builds 1,000,000 float32 inputs with a deterministic
generator that the Swift test reimplements (xorshift64*, four kinds of input: raw bit patterns and
three ranges), evaluates ``jax.jit(jnp.<fn>)`` on them on the CPU, and writes

    Tests/Float32MathTests/Fixtures/xla_<fn>.json

holding the generator's parameters, one FNV-1a hash of the output bits per block of 10,000 inputs
(NaN counted as one pattern), and the bit patterns of the first 2,000 outputs, so that a failing test
names the block and, for early inputs, the input and both values.

How to run
----------
From the repository root::

    pip install jax==0.10.2
    JAX_PLATFORMS=cpu python3 scripts/generate_xla_math_fixtures.py

Deterministic; a few seconds.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Float32MathTests", "Fixtures")
COUNT = 1_000_000
BLOCK = 10_000
SAMPLES = 2_000
MASK = (1 << 64) - 1

# Per function: the seed and the four input kinds, chosen by (index % 4):
# 0: raw bit pattern (sign cleared for log), 1-3: lo + u * (hi - lo) in float64, rounded to float32,
# u a 24-bit uniform fraction.
FUNCTIONS = {
    "exp": {"seed": 0x9E3779B97F4A7C15, "ranges": [[-90.0, 90.0], [-1.0, 1.0], [-20.0, 0.5]], "positive_bits": False},
    "log": {"seed": 0xD1B54A32D192ED03, "ranges": [[0.0, 2.0], [0.75, 1.25], [0.0, 1.0e4]], "positive_bits": True},
    "cos": {"seed": 0x8CB92BA72F3D8DD7, "ranges": [[0.0, 3.14159265], [-1.0e4, 1.0e4], [-1.0, 1.0]], "positive_bits": False},
    # pow: the base from these inputs, the exponent from a second stream (seed + 1) over [-4, 4]
    # (kind 0: [0, 40]), as schedules call it (a rate to a step fraction, a fraction to a power).
    "pow": {"seed": 0x5851F42D4C957F2D, "ranges": [[0.0, 1.0], [0.0, 2.0], [0.9, 1.0]], "positive_bits": True},
}


def inputs(seed: int, ranges: list, positive_bits: bool) -> np.ndarray:
    state = seed
    out = np.empty(COUNT, dtype=np.float32)
    bits = out.view(np.uint32)
    for i in range(COUNT):
        state ^= state >> 12
        state ^= (state << 25) & MASK
        state ^= state >> 27
        word = (state * 0x2545F4914F6CDD1D) & MASK
        kind = i % 4
        if kind == 0:
            b = word >> 32
            bits[i] = b & 0x7FFFFFFF if positive_bits else b
        else:
            lo, hi = ranges[kind - 1]
            u = (word >> 40) / float(1 << 24)
            out[i] = np.float32(lo + u * (hi - lo))
    return out


def canonical_bits(values: np.ndarray) -> np.ndarray:
    bits = values.view(np.uint32).copy()
    bits[np.isnan(values)] = 0x7FC00000
    return bits


def fnv1a(words: np.ndarray) -> str:
    h = 0xCBF29CE484222325
    for w in words.tobytes():
        h ^= w
        h = (h * 0x100000001B3) & MASK
    return f"{h:016x}"


def main() -> int:
    os.makedirs(OUT, exist_ok=True)
    for name, params in FUNCTIONS.items():
        x = inputs(params["seed"], params["ranges"], params["positive_bits"])
        if name == "pow":
            # Subnormal bases are made normal (exponent bits set to 1): under the kernel's
            # denormals-are-zero glibc's powf mis-normalises them, which no schedule can reach.
            xb = x.view(np.uint32)
            xb[(xb & 0x7F800000) == 0] |= 0x00800000
            e = inputs(params["seed"] + 1, [[-4.0, 4.0], [-4.0, 4.0], [-4.0, 4.0]], False)
            e[0::4] = np.abs(np.nan_to_num(e[0::4], nan=0.0, posinf=0.0, neginf=0.0)) % np.float32(40)
            y = np.asarray(jax.jit(jnp.power)(x, e), dtype=np.float32)
        else:
            y = np.asarray(jax.jit(getattr(jnp, name))(x), dtype=np.float32)
        bits = canonical_bits(y)
        blocks = [fnv1a(bits[i:i + BLOCK]) for i in range(0, COUNT, BLOCK)]
        fixture = {
            "jax": jax.__version__, "function": name, "count": COUNT, "block": BLOCK, "seed": f"{params['seed']:016x}",
            "ranges": params["ranges"], "positive_bits": params["positive_bits"],
            "block_hashes": blocks,
            "samples": [f"{b:08x}" for b in bits[:SAMPLES]],
        }
        path = os.path.join(OUT, f"xla_{name}.json")
        with open(path, "w") as f:
            json.dump(fixture, f, separators=(",", ":"))
            f.write("\n")
        print(f"{name}: {COUNT:,d} inputs, {len(blocks)} blocks -> {os.path.relpath(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
