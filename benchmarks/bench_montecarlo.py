"""Benchmark: explicit-neuron Monte Carlo (bit-packed popcount) against a plain unpacked 0/1 version,
and the continuous cap overlap on a 10,000-point cosine grid; all in the same process.

Throughput is address bits compared per second: neurons x addresses x n / time (each d_v has its own
pair of addresses). The reference draws the same job as 0/1 int8 arrays and counts differing
positions, jitted and chunked the same way. Targets (issue 4): >= 50 Gbit/s for n = 64 and n = 1000
on 2 cores; >= 30x the unpacked reference; the cap overlap for 10,000 cosines at n = 1000 in <= 1 s.

    python benchmarks/bench_montecarlo.py [--neurons 10000000] [--reference-neurons 262144] [--repeats 3]
"""

from __future__ import annotations

import argparse
import functools

import jax
import jax.numpy as jnp
import numpy as np

import sdmattn
from bench_intersection import best_time  # same folder: one timing helper for every benchmark

JOBS = {64: (11, np.arange(24)), 1000: (451, np.array([0, 1, 10, 50, 100, 150, 200, 300, 400, 500]))}
REFERENCE_CHUNK = 1024


@functools.partial(jax.jit, static_argnums=(0, 4))
def unpacked_counts(n: int, key, d, dv, steps: int):
    """The same job with one int8 per bit: random 0/1 neurons, a distance per neuron and address."""
    k_xi, k_perm, k_neurons = jax.random.split(key, 3)
    xi = jax.random.randint(k_xi, (dv.size, n), 0, 2, dtype=jnp.int8)
    rank = jax.vmap(lambda k: jax.random.permutation(k, n))(jax.random.split(k_perm, dv.size))
    partner = xi ^ (rank < dv[:, None]).astype(jnp.int8)
    addresses = jnp.concatenate([xi, partner])

    def chunk(i, total):
        neurons = jax.random.randint(jax.random.fold_in(k_neurons, i), (REFERENCE_CHUNK, n), 0, 2, dtype=jnp.int8)
        dist = jnp.sum(neurons[:, None, :] != addresses[None, :, :], axis=-1)
        near = dist <= d
        return total + jnp.sum(near[:, : dv.size] & near[:, dv.size :], axis=0, dtype=jnp.int64)

    return jax.lax.fori_loop(0, steps, chunk, jnp.zeros(dv.shape, jnp.int64))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neurons", type=int, default=10**7)
    parser.add_argument("--reference-neurons", type=int, default=1 << 18)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sdmattn.setup_jax()
    print(f"devices: {jax.devices()}")
    print(f"{'n':>5} {'pairs':>5} {'packed Gbit/s':>14} {'unpacked Gbit/s':>16} {'ratio':>7} {'packed s':>9}")
    for n, (d, dv) in JOBS.items():
        bits = 2 * dv.size * n  # address bits compared per neuron
        packed = best_time(lambda: sdmattn.simulate_binary_intersection(n, d, dv, args.neurons, 0), args.repeats)
        steps = args.reference_neurons // REFERENCE_CHUNK
        key, dvj = jax.random.key(0), jnp.asarray(dv)
        plain = best_time(lambda: unpacked_counts(n, key, d, dvj, steps).block_until_ready(), args.repeats)
        packed_rate = args.neurons * bits / packed
        plain_rate = steps * REFERENCE_CHUNK * bits / plain
        print(f"{n:>5} {dv.size:>5} {packed_rate / 1e9:>14.1f} {plain_rate / 1e9:>16.2f} "
              f"{packed_rate / plain_rate:>6.0f}x {packed:>9.3f}")
    cos = np.linspace(-1.0, 1.0, 10_000)
    cap = best_time(lambda: sdmattn.log_cap_intersection(1000, 451, cos), args.repeats)
    print(f"cap overlap, 10,000 cosines at n=1000, d=451: {cap:.3f} s")


if __name__ == "__main__":
    main()
