"""Benchmark: the learned scale's grid scan (`sdmattn.learned.scale`), its competitors grouped by D against
one by one, in the same process.

At the paper's size (n = 64, m = 1024, k = 16) one batch of queries on their random memories is drawn
once; the weighted mean loss at `points` values of g is then taken with each query's 1023 competitors
summed into 129 groups of equal D (`group_competitors(..., by_d=True)`, what `scan_scales` does for
m - 1 > 2n + 1; grouping included in the time) and with the competitors one by one (the reference). Both
must give the same losses to rounding. Compilation is excluded (each is run once first).

    python benchmarks/bench_scale.py [--queries 2048] [--points 17] [--repeats 3]
"""

from __future__ import annotations

import argparse
import time

import jax
import jax.numpy as jnp
import numpy as np

import sdmattn
from sdmattn.learned import scale
from sdmattn.learned.random_memory import group_competitors, memory_law, sample_overlaps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=2048)
    parser.add_argument("--points", type=int, default=17)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sdmattn.setup_jax()
    n, m, k = 64, 1024, 16
    law = memory_law(n, m)
    overlaps = sample_overlaps(jax.random.PRNGKey(0), law, scale.noise_probabilities(n, k), args.queries)
    log_gs = jnp.linspace(np.log(0.5), np.log(1000.0), args.points)

    def scan(by_d: bool) -> np.ndarray:
        # the grid loss as scan_scales takes it (group_competitors and _random_grid_loss, both jitted)
        return np.asarray(scale._random_grid_loss(log_gs, group_competitors(overlaps, n, by_d=by_d), n))

    def best_time(by_d: bool) -> tuple[float, np.ndarray]:
        out = scan(by_d)  # compiles
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            out = scan(by_d)
            times.append(time.perf_counter() - start)
        return min(times), out

    grouped_s, grouped = best_time(True)
    single_s, single = best_time(False)
    np.testing.assert_allclose(grouped, single, rtol=1e-10)
    print(f"n={n} m={m} k={k}: {args.queries} queries x {args.points} g: one by one {single_s:.3f} s, "
          f"grouped by D {grouped_s:.3f} s: {single_s / grouped_s:.1f}x (losses agree to 1e-10)")


if __name__ == "__main__":
    main()
