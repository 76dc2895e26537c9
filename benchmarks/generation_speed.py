"""Variants per second of pure generation (sample + solve + worked values), per type,
and the start-up time of the command line.

Run:  .venv/bin/python benchmarks/generation_speed.py [--seeds N]
Prints one line per type, the medians (numeric types, all types), and the
best of five wall times of `qbank --help` and `qbank generate`; no TeX, no templates.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from qbank.registry import all_types


def variants_per_second(qtype, seeds: int) -> float:
    start = time.perf_counter()
    for seed in range(seeds):
        qtype.draw(seed)
    return seeds / (time.perf_counter() - start)


def startup_seconds(arguments: list[str], repeats: int = 5) -> float:
    """Best wall time of a fresh `qbank` process (the first run also warms the disk cache)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "qbank", *arguments], check=True,
                       stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2000, help="variants per type")
    seeds = parser.parse_args().seeds
    rates, numeric = {}, []
    for type_id, qtype in all_types().items():
        rates[type_id] = variants_per_second(qtype, seeds)
        if qtype.kind == "numeric":
            numeric.append(rates[type_id])
        print(f"{type_id:40s} {rates[type_id]:10,.0f} variants/s")
    print(f"{'median of the numeric types':40s} {statistics.median(numeric):10,.0f} variants/s")
    print(f"{'median of all types':40s} {statistics.median(rates.values()):10,.0f} variants/s")
    print(f"{'qbank --help':40s} {startup_seconds(['--help']):10.2f} s")
    print(f"{'qbank generate params.mlp --count 1':40s} "
          f"{startup_seconds(['generate', 'params.mlp', '--count', '1']):10.2f} s")


if __name__ == "__main__":
    main()
