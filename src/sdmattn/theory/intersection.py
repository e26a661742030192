"""Exact Hamming-ball intersections I(d_v; d, n) in log space.

I(d_v; d, n) counts the points of {0,1}^n within Hamming distance d of two addresses that are d_v
apart. The spec's double sum costs O(n) per entry; here every entry is a sum of positive terms only
(no subtraction, so no cancellation), in a form that makes the whole (d, d_v) table O(n^2):

    I(d_v) = A(d) + sum_{k >= ceil(d_v/2)} C(2k, k) C(n-2k-1, d-k),   k <= (n-1)/2,
    A(d)   = sum_{w = n-d}^{d} C(n, w)     (the intersection of two balls around antipodes).

It follows by telescoping Kanerva's lune identity I(2k) - I(2k+1) = C(2k, k) C(n-2k-1, d-k) (and
I(2k-1) = I(2k)) from d_v = n, where the balls are centred on antipodes. For a fixed d the k-sum is a
suffix log-sum-exp shared by every d_v, so a full table is one cumulative log-sum-exp over an (n/2, n+1) grid.
The tests check it against the double sum in big integers and against brute-force enumeration.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float, Int

from .._checks import as_int_array
from .._runtime import require_x64
from .binomial import bucket, cumlogsumexp, log_comb, log_factorials


def _log_lune_terms(lf, n, d, k):
    """log C(2k, k) C(n-2k-1, d-k): the count lost when d_v steps from 2k to 2k+1."""
    return log_comb(lf, 2 * k, k) + log_comb(lf, n - 2 * k - 1, d - k)


def _log_antipodal_increment(lf, n, d):
    """log of A(d) - A(d-1): the binomials C(n, d) and C(n, n-d) that enter A as d grows."""
    lo = n - d
    one = log_comb(lf, n, d)
    two = jnp.logaddexp(one, log_comb(lf, n, lo))
    return jnp.where(lo < d, two, jnp.where(lo == d, one, -jnp.inf))


@functools.partial(jax.jit, static_argnums=0)
def _table(n: int, lf: Float[Array, " n+2"]) -> Float[Array, "n+1 n+1"]:
    d = jnp.arange(n + 1)
    k = jnp.arange((n + 1) // 2)  # k = 0 .. (n-1)//2
    lune = _log_lune_terms(lf, n, d[None, :], k[:, None])  # (k, d)
    suffix = cumlogsumexp(lune, reverse=True)  # suffix[k, d] = log sum_{k' >= k}
    suffix = jnp.concatenate([suffix, jnp.full((1, n + 1), -jnp.inf)])  # k past the last: empty sum
    antipodal = cumlogsumexp(_log_antipodal_increment(lf, n, d))  # A(d), (d,)
    dv = jnp.arange(n + 1)
    return jnp.logaddexp(antipodal[:, None], suffix[(dv + 1) // 2, :].T)


def binary_intersection_table(n: int) -> Float[np.ndarray, "n+1 n+1"]:
    """log I(d_v; d, n) for every radius d (rows) and distance d_v (columns), in one jitted O(n^2) call.

    **Arguments:** `n`, the dimension (>= 1).
    **Returns:** a float64 (n+1, n+1) array indexed [d, d_v]; `-inf` where the balls do not meet.
    """
    require_x64()
    n = int(as_int_array("n", n, lo=1, scalar=True))
    return np.asarray(_table(n, jnp.asarray(log_factorials(n + 2))))


@functools.partial(jax.jit, static_argnames=("width",))
def _pointwise(lf, n, d, dv, width):
    k = jnp.arange(width // 2)
    lune = _log_lune_terms(lf, n[:, None], d[:, None], k)
    lune = jnp.where(k >= (dv[:, None] + 1) // 2, lune, -jnp.inf)
    w = jnp.arange(width)
    antipodal = jnp.where(
        (w >= n[:, None] - d[:, None]) & (w <= d[:, None]), log_comb(lf, n[:, None], w), -jnp.inf
    )
    return jax.scipy.special.logsumexp(jnp.concatenate([lune, antipodal], axis=1), axis=1)


@functools.partial(jax.jit, static_argnames=("width",))
def _rows(lf, n: Int[Array, " u"], d: Int[Array, " u"], width: int) -> Float[Array, "u width"]:
    """log I(d_v) for d_v = 0 .. width-1 at each (n, d): one suffix log-sum-exp per row, as in `_table`."""
    k = jnp.arange(width // 2)
    lune = _log_lune_terms(lf, n[:, None], d[:, None], k)  # (u, k)
    suffix = cumlogsumexp(lune.T, reverse=True).T  # suffix[:, k] = log sum_{k' >= k}
    suffix = jnp.concatenate([suffix, jnp.full((n.shape[0], 1), -jnp.inf)], axis=1)  # k past the last: empty
    w = jnp.arange(width)
    antipodal = jax.scipy.special.logsumexp(
        jnp.where((w >= n[:, None] - d[:, None]) & (w <= d[:, None]), log_comb(lf, n[:, None], w), -jnp.inf), axis=1
    )
    return jnp.logaddexp(antipodal[:, None], suffix[:, (jnp.arange(width) + 1) // 2])


def _chunked(fn, arrays, size: int, width: int) -> np.ndarray:
    """`fn` over slices of `arrays` (same length), bounding each (slice, width) work array to ~32 MB."""
    chunk = max(1, (1 << 22) // width)
    out = [fn(*(a[i : i + chunk] for a in arrays)) for i in range(0, size, chunk)]
    return np.concatenate([np.asarray(o) for o in out]) if out else np.zeros(0)


def log_binary_intersection(n, d, dv) -> np.ndarray:
    """Natural log of the exact intersection count I(d_v; d, n); `-inf` where it is 0.

    Broadcasts over array arguments. Where the entries share few (n, d) pairs (rows of distances, as
    the β fits read), each pair's whole row costs O(n); otherwise each entry costs O(n). Use
    `binary_intersection_table` for whole tables. Raises `ValueError` for n < 1, d or d_v outside
    0..n, or non-integers.
    """
    require_x64()
    n = as_int_array("n", n, lo=1)
    d = as_int_array("d", d, lo=0, hi=n, hi_name="n")
    dv = as_int_array("dv", dv, lo=0, hi=n, hi_name="n")
    n, d, dv = np.broadcast_arrays(n, d, dv)
    shape = n.shape
    width = bucket(int(n.max(initial=1)) + 2)
    lf = jnp.asarray(log_factorials(width))
    pairs, index = np.unique(np.stack([n.ravel(), d.ravel()], axis=1), axis=0, return_inverse=True)
    if 0 < 2 * len(pairs) <= n.size:  # rows: one O(n) pass per (n, d), then a gather
        rows = _chunked(functools.partial(_rows, lf, width=width), [jnp.asarray(pairs[:, 0]), jnp.asarray(pairs[:, 1])],
                        len(pairs), width)
        return rows[index.ravel(), dv.ravel()].reshape(shape)
    flat = [jnp.asarray(a.ravel()) for a in (n, d, dv)]
    return _chunked(functools.partial(_pointwise, lf, width=width), flat, n.size, width).reshape(shape)
