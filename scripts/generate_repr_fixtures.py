#!/usr/bin/env python3
"""Write Tests/JSONTests/Fixtures/repr.json: doubles with Python's repr of each.

Every case is {"bits": "<16 hex digits of the IEEE 754 binary64 pattern>", "repr": repr(x)}.
The JSON writer must reproduce "repr" from the double with those bits, and the JSON
parser must read "repr" back to exactly those bits.

The set is deterministic (fixed seed) and covers: random bit patterns, powers of ten and
their neighbours, values around the layout switches (1e16, 1e-4, 1e-5), 2**53, subnormals,
the extremes, integers, and short decimal fractions.

Usage: python3 scripts/generate_repr_fixtures.py [output-path]
"""

import json
import math
import os
import random
import struct
import sys


def bits_of(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def float_of(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def neighbours(x: float, count: int = 2):
    """x and up to `count` doubles on each side of it."""
    out = [x]
    lo = hi = x
    for _ in range(count):
        lo = math.nextafter(lo, -math.inf)
        hi = math.nextafter(hi, math.inf)
        out += [lo, hi]
    return out


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    default = os.path.join(root, "Tests", "JSONTests", "Fixtures", "repr.json")
    path = sys.argv[1] if len(sys.argv) > 1 else default

    rng = random.Random(20240601)
    values = []

    # Hand-picked values, including every example the writer documents.
    values += [
        0.0, -0.0, 0.1, 0.2, 0.3, 0.1 + 0.2, 0.07290000000000002, 1e-05, 1e16, 100.0,
        1.5e-07, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 1.0, -1.0,
        0.5, 0.25, 1e-4, 1e-3, 1e15, 9999999999999998.0, 1234567890123456.0,
        12345678901234567.0, 2.0**53, 2.0**53 + 2, 2.0**54, 2.0**63, 2.0**64,
        math.pi, math.e, 1 / 3, 2 / 3, 123456.789, 0.001, 3e-05, 0.0001234,
    ]

    # Powers of ten across the whole range, with neighbours.
    for e in range(-324, 309):
        x = float(f"1e{e}")
        if x != 0.0 and math.isfinite(x):
            values += neighbours(x, 1)

    # Around the positional/scientific switch points.
    for centre in (1e16, 1e-4, 1e-5, 2.0**53, 1e17, 1e15):
        values += neighbours(centre, 12)
    for k in range(1, 100):
        values.append(k * 1e15)
        values.append(k * 1e-5)
        values.append(k * 1e-6)
        values.append(k * 1e14 + 0.5)

    # Powers of two (exact), including the subnormal ones.
    for e in range(-1074, 1024, 7):
        values.append(math.ldexp(1.0, e))

    # Subnormals: the smallest, the largest, the boundary, and random ones.
    values += [float_of(1), float_of(2), float_of(3), float_of(0x000FFFFFFFFFFFFF), float_of(0x0010000000000000)]
    for _ in range(150):
        values.append(float_of(rng.getrandbits(52) >> rng.randrange(0, 52)))

    # Integers, small and large.
    for _ in range(150):
        values.append(float(rng.randrange(-10**6, 10**6)))
        values.append(float(rng.getrandbits(rng.randrange(1, 64))))

    # Short decimal fractions, as a schedule might produce.
    for _ in range(200):
        digits = rng.randrange(1, 8)
        values.append(round(rng.uniform(-1000, 1000), digits))
        values.append(rng.uniform(0, 1) * 10.0 ** rng.randrange(-12, 12))

    # Random finite bit patterns.
    random_count = 0
    while random_count < 900:
        x = float_of(rng.getrandbits(64))
        if math.isfinite(x):
            values.append(x)
            random_count += 1

    seen = set()
    cases = []
    for x in values:
        if not math.isfinite(x):
            continue
        b = bits_of(x)
        if b in seen:
            continue
        seen.add(b)
        cases.append({"bits": f"{b:016x}", "repr": repr(x)})

    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        # One case per line keeps the file readable and its diffs small.
        f.write('{"generator": "scripts/generate_repr_fixtures.py", "count": %d, "cases": [\n' % len(cases))
        f.write(",\n".join(json.dumps(c) for c in cases))
        f.write("\n]}\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
