"""Variants per second of pure generation (sample + solve + worked values), per type.

Run:  .venv/bin/python benchmarks/generation_speed.py [--seeds N]
Prints one line per type and the median; no TeX, no templates.
"""

from __future__ import annotations

import argparse
import statistics
import time

from qbank.registry import all_types


def variants_per_second(qtype, seeds: int) -> float:
    start = time.perf_counter()
    for seed in range(seeds):
        qtype.draw(seed)
    return seeds / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2000, help="variants per type")
    seeds = parser.parse_args().seeds
    rates = {}
    for type_id, qtype in all_types().items():
        rates[type_id] = variants_per_second(qtype, seeds)
        print(f"{type_id:32s} {rates[type_id]:10,.0f} variants/s")
    print(f"{'median':32s} {statistics.median(rates.values()):10,.0f} variants/s")


if __name__ == "__main__":
    main()
