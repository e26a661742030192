"""Closed forms around the exact intersection: its dominant term, bounds, and the exponential law.

I(d_v) = sum over (i, j) of C(d_v, i) C(n - d_v, j), i + j <= d and d_v - i + j <= d (spec section 3).
Every term is positive, so the largest one T(d_v) bounds the sum below and T(d_v) times the number of
terms bounds it above. The largest term sits at i ≈ d_v / 2, j = d - i; expanding its log in d_v
with the Gaussian approximation of the binary entropy around 1/2 gives log I(d_v) ≈ log I(0) -
β_approx (1 - cos), cos = 1 - 2 d_v / n, β_approx = (n - 2d)² / (4n): the exponential law that makes
softmax(β cos) resemble SDM.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import as_int_array
from .._runtime import require_x64
from .binomial import bucket, log_ball_size, log_comb, log_factorials


@functools.partial(jax.jit, static_argnames="width")
def _dominant(lf, n, d, dv, width):
    i = jnp.arange(width)
    top = jnp.minimum(jnp.minimum(d[..., None] - i, d[..., None] - dv[..., None] + i), n[..., None] - dv[..., None])
    feasible = (i <= dv[..., None]) & (top >= 0)
    j = jnp.clip(jnp.minimum(top, (n[..., None] - dv[..., None]) // 2), 0)  # C(n-d_v, j) peaks at (n-d_v)/2
    term = log_comb(lf, dv[..., None], i) + log_comb(lf, n[..., None] - dv[..., None], j)
    log_max = jnp.max(jnp.where(feasible, term, -jnp.inf), axis=-1)
    count = jnp.sum(jnp.where(feasible, top + 1, 0), axis=-1)
    return log_max, count


def dominant_term(n, d, dv) -> tuple[np.ndarray, np.ndarray]:
    """The largest term of the double sum for I(d_v; d, n) (natural log; `-inf` where the balls do not
    meet) and the number of terms (int64). Broadcasts over arguments."""
    require_x64()
    n = as_int_array("n", n, lo=1)
    d = as_int_array("d", d, lo=0, hi=n, hi_name="n")
    dv = as_int_array("dv", dv, lo=0, hi=n, hi_name="n")
    n, d, dv = np.broadcast_arrays(n, d, dv)
    width = bucket(int(n.max(initial=1)) + 2)
    lf = jnp.asarray(log_factorials(width))
    log_max, count = _dominant(lf, jnp.asarray(n), jnp.asarray(d), jnp.asarray(dv), width=width)
    return np.asarray(log_max), np.asarray(count, dtype=np.int64)


def intersection_bounds(n, d, dv) -> tuple[np.ndarray, np.ndarray]:
    """log T(d_v) <= log I(d_v) <= log T(d_v) + log(number of terms): rigorous bounds from the dominant term."""
    log_max, count = dominant_term(n, d, dv)
    with np.errstate(divide="ignore"):
        return log_max, log_max + np.log(count.astype(np.float64))


def beta_approx(n, d) -> np.ndarray:
    """β_approx = (n - 2d)² / (4n), the slope of the exponential law (float64, broadcasts)."""
    n = as_int_array("n", n, lo=1)
    d = as_int_array("d", d, lo=0, hi=n, hi_name="n")
    return (n - 2.0 * d) ** 2 / (4.0 * n)


def log_exponential_approximation(n, d, dv) -> np.ndarray:
    """log I(0) - β_approx (1 - cos) with cos = 1 - 2 d_v / n: the exponential law anchored at the exact I(0)."""
    dv = as_int_array("dv", dv, lo=0, hi=n, hi_name="n")
    return log_ball_size(n, d) - beta_approx(n, d) * 2.0 * dv / np.asarray(n, dtype=np.float64)
