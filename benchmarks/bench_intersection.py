"""Benchmark: the exact intersection table against the spec's double sum, in the same process.

Prints, for n in {1024, 4096}, the full table's time after compile and entries per second, and for
n = 256 the per-entry cost of the straightforward reference (the spec's double sum with exact
math.comb binomials, entry by entry) against the table's, as a ratio; and at n = 10^4 one row
(every d_v at one d) against the same row of the whole table. Targets (issue 2): n = 4096
in <= 0.5 s after compile on 2 CPU cores; >= 1000x the reference per entry.

    python benchmarks/bench_intersection.py [--reference-samples 200] [--repeats 5]
"""

from __future__ import annotations

import argparse
import math
import random
import time

import sdmattn


def reference_entry(n: int, d: int, dv: int) -> float:
    """The spec's double sum, term by term with exact binomials, then the log."""
    total = sum(
        math.comb(dv, i) * math.comb(n - dv, j)
        for i in range(dv + 1)
        for j in range(n - dv + 1)
        if i + j <= d and dv - i + j <= d
    )
    return math.log(total) if total else -math.inf


def best_time(fn, repeats: int) -> float:
    fn()  # compile / warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-samples", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sdmattn.setup_jax()

    print(f"{'n':>6} {'table s':>10} {'entries/s':>12}")
    for n in (1024, 4096):
        seconds = best_time(lambda: sdmattn.binary_intersection_table(n), args.repeats)
        print(f"{n:>6} {seconds:>10.4f} {(n + 1) ** 2 / seconds:>12.3e}")

    n = 256
    table_s = best_time(lambda: sdmattn.binary_intersection_table(n), args.repeats) / (n + 1) ** 2
    rng = random.Random(0)
    points = [(rng.randrange(n + 1), rng.randrange(n + 1)) for _ in range(args.reference_samples)]
    start = time.perf_counter()
    for d, dv in points:
        reference_entry(n, d, dv)
    reference_s = (time.perf_counter() - start) / len(points)
    print(f"n=256 per entry: table {table_s:.3e} s, reference double sum {reference_s:.3e} s "
          f"({len(points)} sampled entries); speed-up {reference_s / table_s:,.0f}x")

    # A row of log I (every d_v at one (n, d), as the β fits read) through log_binary_intersection's
    # O(n) row path, against the same row taken from the whole O(n^2) table.
    n, d = 10_000, 4_000
    dv = list(range(n + 1))
    row_s = best_time(lambda: sdmattn.log_binary_intersection(n, d, dv), args.repeats)
    table_s = best_time(lambda: sdmattn.binary_intersection_table(n)[d], 1)
    print(f"n={n} one row: row path {row_s:.4f} s, row of the whole table {table_s:.3f} s; "
          f"speed-up {table_s / row_s:,.0f}x")


if __name__ == "__main__":
    main()
