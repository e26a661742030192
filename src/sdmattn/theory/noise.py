"""The noise models of the recall experiments (spec section 8): how a stored pattern becomes a query.

- binary: flip exactly k distinct, uniformly chosen bits, so the query is exactly k from its target in
  Hamming distance;
- continuous: rotate a unit vector to exactly cosine c from its target, towards a uniformly random
  direction orthogonal to it. With c = 1 - 2k/n this is the cosine that k flipped bits give a bipolar
  vector, so the two noise models share one axis.

Both take one key for the whole batch and one noise level per row, so a sweep over k is one call.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float, Int, Shaped

from .._checks import as_int_array


def _flip(key, bits: Shaped[Array, "b n"], k: Int[Array, " b"]) -> Shaped[Array, "b n"]:
    """Traceable core of `flip_bits`: bit i of row j flips iff its rank in a random permutation is < k_j."""
    rank = jax.vmap(lambda kk: jax.random.permutation(kk, bits.shape[-1]))(jax.random.split(key, bits.shape[0]))
    return bits ^ (rank < k[:, None]).astype(bits.dtype)


def _rotate(key, x: Float[Array, "b n"], cos: Float[Array, " b"]) -> Float[Array, "b n"]:
    """Traceable core of `rotate_to_cosine` (rows of x unit vectors)."""
    perp = jax.random.normal(key, x.shape, dtype=x.dtype)
    perp = perp - jnp.sum(perp * x, axis=1, keepdims=True) * x
    perp = perp / jnp.linalg.norm(perp, axis=1, keepdims=True)
    sin = jnp.sqrt(jnp.clip(1.0 - cos * cos, 0.0, 1.0))
    return cos[:, None] * x + sin[:, None] * perp


def flip_bits(key, bits: Shaped[Array, "b n"], k) -> Shaped[Array, "b n"]:
    """Each row of 0/1 `bits` with exactly k distinct random bits flipped (`k` a scalar or one per row,
    0 <= k <= n); bool or integer 0/1 arrays keep their dtype."""
    bits = jnp.asarray(bits)
    if bits.ndim != 2:
        raise ValueError(f"bits must be a 2-D (rows, n) array, got shape {bits.shape}")
    k = as_int_array("k", np.broadcast_to(np.asarray(k), bits.shape[:1]), lo=0, hi=bits.shape[1], hi_name="n")
    return _flip(key, bits, jnp.asarray(k))


def rotate_to_cosine(key, x: Float[Array, "b n"], cos) -> Float[Array, "b n"]:
    """Each unit row of `x` rotated to exactly cosine `cos` (a scalar or one per row, in [-1, 1]) from
    itself, towards a uniformly random orthogonal direction; the result has unit rows."""
    x = jnp.asarray(x)
    if x.ndim != 2 or x.shape[1] < 2:
        raise ValueError(f"x must be a 2-D (rows, n) array with n >= 2, got shape {x.shape}")
    cos = np.broadcast_to(np.asarray(cos, dtype=np.float64), x.shape[:1])
    if not np.all(np.isfinite(cos) & (np.abs(cos) <= 1.0)):
        raise ValueError(f"cos must be finite and in [-1, 1], got {cos[~(np.abs(cos) <= 1.0)].ravel()[0]}")
    norms = np.linalg.norm(np.asarray(x), axis=1)
    if not np.allclose(norms, 1.0, atol=1e-9):
        raise ValueError(f"x must have unit rows, got a row of norm {norms[np.argmax(np.abs(norms - 1.0))]:.6g}")
    return _rotate(key, x, jnp.asarray(cos, dtype=x.dtype))


@jax.jit
def _noisy_rows(key, bits: Shaped[Array, "b n"], units: Float[Array, "b n"], k: Int[Array, ""]):
    fold = lambda base: jax.vmap(lambda i: jax.random.fold_in(base, i))(jnp.arange(bits.shape[0]))  # noqa: E731
    k_flip, k_rotate = jax.random.split(key)
    flipped = jax.vmap(lambda kk, b: _flip(kk, b[None], k[None])[0])(fold(k_flip), bits)
    cos = jnp.full((1,), 1.0 - 2.0 * k / bits.shape[1])
    rotated = jax.vmap(lambda kk, u: _rotate(kk, u[None], cos)[0])(fold(k_rotate), units)
    return flipped, rotated


def noisy_rows(key, bits: Shaped[Array, "b n"], units: Float[Array, "b n"], k: int):
    """Both noise models at one level k for a batch of patterns: the 0/1 rows of `bits` with k bits
    flipped and the unit rows of `units` rotated to cosine 1 - 2k/n. Row i's noise comes from its own
    key fold_in(key, i), so the first rows do not depend on how many there are (the recall experiments
    pair runs of different sizes query by query)."""
    return _noisy_rows(key, jnp.asarray(bits), jnp.asarray(units), jnp.int32(k))


__all__ = ["flip_bits", "noisy_rows", "rotate_to_cosine"]
