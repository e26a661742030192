"""Benchmark: the explicit-neuron SDM (`sdmattn.NeuronSDM`) at Kanerva's scale, and against a plain
unpacked implementation in the same process.

1. n = 1000, r = 10^6, d = 451 (p ~ 0.001): m writes of random patterns, then m reads of them;
   throughput is (writes + reads) per second, compilation excluded (a warm-up memory is built first).
2. n = 256, r = 20,000, d = d(0.001): the same job (writes, then reads of noisy queries; building the
   memories is not timed) by `NeuronSDM` and by the teaching-notebook memory: neuron addresses as a 0/1 integer array, one Hamming distance per hard
   location per operation (vectorised over locations with NumPy), integer counters. Both must give
   identical counters and reads; the target (issue 6) is a ratio >= 100x.

    python benchmarks/bench_memory.py [--writes 1000] [--small-ops 500] [--repeats 3]
"""

from __future__ import annotations

import argparse
import time

import jax
import numpy as np
import scipy.stats

import sdmattn
from sdmattn import NeuronSDM


class UnpackedSDM:
    """The plain reference: a 0/1 int8 address per hard location, a distance per location and operation."""

    def __init__(self, addresses: np.ndarray, d: int):
        self.addresses, self.d = addresses.astype(np.int8), d
        self.counters = np.zeros(addresses.shape, dtype=np.int32)

    def write(self, address: np.ndarray, data: np.ndarray) -> None:
        active = np.sum(self.addresses != address, axis=1) <= self.d
        self.counters[active] += 2 * data.astype(np.int32) - 1

    def read(self, query: np.ndarray) -> np.ndarray:
        total = self.counters[np.sum(self.addresses != query, axis=1) <= self.d].sum(axis=0)
        return np.where(total > 0, 1, np.where(total < 0, 0, query)).astype(np.int8)


def unpack(packed: np.ndarray, n: int) -> np.ndarray:
    bits = (packed[:, :, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)
    return bits.reshape(packed.shape[0], -1)[:, :n].astype(np.int8)


def kanerva_scale(writes: int, repeats: int) -> None:
    n, r, d = 1000, 10**6, 451
    rng = np.random.default_rng(0)
    patterns = rng.integers(0, 2, (writes, n)).astype(bool)
    warm = NeuronSDM(n, r, d, seed=1, max_writes=writes + 16)  # compiles write and read
    warm.write(patterns[:16])
    warm.read(patterns[:16]).block_until_ready()
    del warm
    def one_repeat(seed: int) -> tuple[float, float, float]:
        sdm = NeuronSDM(n, r, d, seed=seed, max_writes=writes)
        jax.block_until_ready(sdm.counters)
        start = time.perf_counter()
        sdm.write(patterns)
        jax.block_until_ready(sdm.counters)
        middle = time.perf_counter()
        reads = np.asarray(sdm.read(patterns))
        return middle - start, time.perf_counter() - middle, float((reads == patterns).mean())

    runs = [one_repeat(2 + rep) for rep in range(repeats)]
    best_write, best_read = min(w for w, _, _ in runs), min(rd for _, rd, _ in runs)
    exact = min(e for _, _, e in runs)
    print(f"n={n} r={r:,} d={d}: {writes} writes in {best_write:.2f} s ({writes / best_write:,.0f}/s), "
          f"{writes} reads in {best_read:.2f} s ({writes / best_read:,.0f}/s); "
          f"writes + reads: {2 * writes / (best_write + best_read):,.0f}/s; bits read back right: {exact:.5f}")


def against_unpacked(ops: int, repeats: int) -> None:
    n, r = 256, 20_000
    d = int(scipy.stats.binom.ppf(1e-3, n, 0.5))
    rng = np.random.default_rng(3)
    patterns = rng.integers(0, 2, (ops, n)).astype(bool)
    queries = patterns ^ (rng.random((ops, n)) < 0.05)

    def packed_job():  # the memory is built (neurons drawn, counters zeroed) before the clock starts
        sdm = NeuronSDM(n, r, d, seed=4, max_writes=ops)
        jax.block_until_ready(sdm.counters)
        start = time.perf_counter()
        sdm.write(patterns)
        reads = np.asarray(sdm.read(queries))
        return time.perf_counter() - start, sdm, reads

    packed_job()  # compile
    runs = [packed_job() for _ in range(repeats)]
    best_packed, sdm, packed_reads = min(runs, key=lambda run: run[0])

    ref = UnpackedSDM(unpack(np.asarray(sdm.addresses), n), d)
    start = time.perf_counter()
    for a in patterns.astype(np.int8):
        ref.write(a, a)
    plain_reads = np.stack([ref.read(q) for q in queries.astype(np.int8)])
    plain = time.perf_counter() - start
    assert np.array_equal(np.asarray(sdm.counters[:r]), ref.counters), "counters differ from the reference"
    assert np.array_equal(packed_reads, plain_reads.astype(bool)), "reads differ from the reference"
    print(f"n={n} r={r:,} d={d}, {ops} writes + {ops} reads: packed {best_packed:.3f} s "
          f"({2 * ops / best_packed:,.0f} ops/s), unpacked 0/1 {plain:.3f} s ({2 * ops / plain:,.0f} ops/s): "
          f"{plain / best_packed:.0f}x (identical counters and reads)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--small-ops", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sdmattn.setup_jax()
    print(f"devices: {jax.devices()}")
    kanerva_scale(args.writes, args.repeats)
    against_unpacked(args.small_ops, args.repeats)


if __name__ == "__main__":
    main()
