"""Explicit-neuron Monte Carlo: count random neurons inside two circles, to check the formulas.

Binary: r uniformly random neurons in {0,1}^n and, for each d_v, its own random pair of addresses
exactly d_v apart (d_v distinct random bits flipped). Addresses are bit-packed into 64-bit words, so
one XOR and one popcount compare 64 bits; neurons are drawn and counted in fixed-size chunks inside
one jitted loop, so memory stays bounded for any r. Each neuron lands in an intersection with
probability I / 2^n, hence each count is Binomial(r, I / 2^n). The neurons are shared by all pairs
(they are the expensive part), yet the counts of different pairs are uncorrelated: a uniform neuron
is in an independently placed lens with probability I / 2^n whatever the other lenses are.

Continuous: r uniformly random unit vectors (normalised Gaussians) and, per cosine, a random pair of
unit vectors at exactly that cosine; each count is Binomial(r, F) with F the cap overlap.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Bool, Float, Int, UInt64

from .._checks import as_int_array
from .._runtime import require_x64
from .noise import _flip, _rotate

WORD = 64
BINARY_CHUNK = 1 << 14  # neurons per step of the binary loop (fixed: counts depend on it via the key)
CONTINUOUS_CHUNK = 1 << 11


def pack_bits(bits: Bool[Array, "*b n"]) -> UInt64[Array, "*b w"]:
    """Pack 0/1 vectors into 64-bit words (bit i of the vector is bit i % 64 of word i // 64)."""
    n = bits.shape[-1]
    words = -(-n // WORD)
    padded = jnp.pad(bits.astype(jnp.uint64), [(0, 0)] * (bits.ndim - 1) + [(0, words * WORD - n)])
    shifted = padded.reshape(*bits.shape[:-1], words, WORD) << jnp.arange(WORD, dtype=jnp.uint64)
    return jnp.sum(shifted, axis=-1, dtype=jnp.uint64)  # distinct bits: the sum is a bitwise or


def hamming_distances(neurons: UInt64[Array, "c w"], addresses: UInt64[Array, "a w"]) -> Int[Array, "c a"]:
    """Hamming distance between every packed neuron and every packed address (XOR + popcount)."""
    diff = jax.lax.population_count(neurons[:, None, :] ^ addresses[None, :, :])
    return jnp.sum(diff.astype(jnp.int32), axis=-1)


def _word_mask(n: int) -> UInt64[Array, " w"]:
    """All-ones words, with the padding bits past n cleared in the last one."""
    return pack_bits(jnp.ones(n, dtype=bool))


def binary_addresses(key, n: int, dv: Int[Array, " a"]) -> UInt64[Array, "2a w"]:
    """Per d_v an independent random address ξ and ξ with d_v distinct random bits flipped, packed:
    rows 0..a-1 are the ξ's, rows a..2a-1 their partners."""
    k_xi, k_perm = jax.random.split(key)
    xi = jax.random.bits(k_xi, (dv.size, n), dtype=jnp.uint8) & 1
    return pack_bits(jnp.concatenate([xi, _flip(k_perm, xi, dv)]).astype(bool))


@functools.partial(jax.jit, static_argnums=0)
def _binary_counts(n: int, key, d, dv, r):
    k_addr, k_neurons = jax.random.split(key)
    addresses = binary_addresses(k_addr, n, dv)
    mask = _word_mask(n)
    offsets = jnp.arange(BINARY_CHUNK)

    def chunk(i, total):
        neurons = jax.random.bits(jax.random.fold_in(k_neurons, i), (BINARY_CHUNK, mask.size), jnp.uint64) & mask
        near = hamming_distances(neurons, addresses) <= d
        inside = near[:, : dv.size] & near[:, dv.size :] & (i * BINARY_CHUNK + offsets < r)[:, None]
        return total + jnp.sum(inside, axis=0, dtype=jnp.int64)

    steps = (r + BINARY_CHUNK - 1) // BINARY_CHUNK
    return jax.lax.fori_loop(0, steps, chunk, jnp.zeros(dv.shape, jnp.int64))


def simulate_binary_intersection(n: int, d: int, dv, r: int, seed: int) -> np.ndarray:
    """How many of r uniformly random binary neurons lie within d of both of two addresses d_v apart.

    **Arguments:** dimension `n`, radius `d`, distances `dv` (a 1-D array), neurons `r` (any size: drawn
    in chunks), `seed`. **Returns:** int64 counts, one per d_v; each is Binomial(r, I(d_v; d, n) / 2^n).
    """
    require_x64()
    n = int(as_int_array("n", n, lo=1, scalar=True))
    d = int(as_int_array("d", d, lo=0, hi=n, hi_name="n", scalar=True))
    dv = as_int_array("dv", np.atleast_1d(dv), lo=0, hi=n, hi_name="n")
    r = int(as_int_array("r", r, lo=1, hi=2**62, scalar=True))
    seed = int(as_int_array("seed", seed, lo=0, scalar=True))
    counts = _binary_counts(n, jax.random.key(seed), d, jnp.asarray(dv.ravel()), jnp.int64(r))
    return np.asarray(counts).reshape(dv.shape)


def continuous_addresses(key, n: int, cos: Float[Array, " a"]) -> Float[Array, "2a n"]:
    """Per cosine an independent random unit vector ξ and a unit vector at exactly that cosine from it:
    rows 0..a-1 are the ξ's, rows a..2a-1 their partners."""
    k_xi, k_perp = jax.random.split(key)
    xi = jax.random.normal(k_xi, (cos.size, n))
    xi = xi / jnp.linalg.norm(xi, axis=1, keepdims=True)
    return jnp.concatenate([xi, _rotate(k_perp, xi, cos)])


@functools.partial(jax.jit, static_argnums=0)
def _continuous_counts(n: int, key, d, cos, r):
    k_addr, k_neurons = jax.random.split(key)
    addresses = continuous_addresses(k_addr, n, cos)
    threshold = 1.0 - 2.0 * d / n
    offsets = jnp.arange(CONTINUOUS_CHUNK)

    def chunk(i, total):
        u = jax.random.normal(jax.random.fold_in(k_neurons, i), (CONTINUOUS_CHUNK, n))
        # compare u·a with threshold |u| instead of normalising u
        near = u @ addresses.T >= threshold * jnp.linalg.norm(u, axis=1, keepdims=True)
        inside = near[:, : cos.size] & near[:, cos.size :] & (i * CONTINUOUS_CHUNK + offsets < r)[:, None]
        return total + jnp.sum(inside, axis=0, dtype=jnp.int64)

    steps = (r + CONTINUOUS_CHUNK - 1) // CONTINUOUS_CHUNK
    return jax.lax.fori_loop(0, steps, chunk, jnp.zeros(cos.shape, jnp.int64))


def simulate_continuous_intersection(n: int, d: int, cos, r: int, seed: int) -> np.ndarray:
    """How many of r uniformly random unit-vector neurons lie in both caps of radius arccos(1 - 2d/n)
    around two unit vectors at cosine `cos` (a 1-D array). Each count is Binomial(r, F)."""
    require_x64()
    n = int(as_int_array("n", n, lo=2, scalar=True))
    d = int(as_int_array("d", d, lo=0, hi=n, hi_name="n", scalar=True))
    cos = np.atleast_1d(np.asarray(cos, dtype=np.float64))
    if not np.all(np.isfinite(cos) & (np.abs(cos) <= 1.0)):
        raise ValueError(f"cos must be finite and in [-1, 1], got {cos[~(np.abs(cos) <= 1.0)].ravel()[0]}")
    r = int(as_int_array("r", r, lo=1, hi=2**62, scalar=True))
    seed = int(as_int_array("seed", seed, lo=0, scalar=True))
    counts = _continuous_counts(n, jax.random.key(seed), d, jnp.asarray(cos.ravel()), jnp.int64(r))
    return np.asarray(counts).reshape(cos.shape)
