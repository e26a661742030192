"""β: the softmax inverse temperature that makes softmax(β cos) mimic SDM's intersection weights.

Two fits, both from log intersection counts over the grid d_v = 0..n (x = cos = 1 - 2 d_v / n):

- the log-linear regression of the spec: y = log I(d_v) on x over d_v = 0..d-1. The paper's
  published β's used Cov(ddof=1) / Var(ddof=0), which is d/(d-1) times the least-squares slope;
  `BetaFit` carries both, clearly named, with the fit quality of the least-squares line;
- the softmax fit: the β minimising the mean squared error between softmax(β cos) and the normalised
  weights I / sum I over all d_v, by a coarse log-grid scan then golden-section refinement, vectorised
  over rows so one jitted call fits every radius of a table.
"""

from __future__ import annotations

import functools
import math
from typing import Literal, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float, Int

from .._checks import as_int_array
from .._runtime import require_x64
from .binomial import bucket
from .caps import log_continuous_table
from .constants import ESTIMATORS, KINDS
from .intersection import log_binary_intersection

SOFTMAX_BETA_BOUNDS = (1e-6, 100.0)  # times n for the upper bound
_GRID, _GOLDEN_STEPS = 64, 48
_INV_PHI = (math.sqrt(5.0) - 1.0) / 2.0


class BetaFit(NamedTuple):
    """Log-linear fit of log I(d_v) on cos over d_v = 0..d-1 (arrays broadcast over the radii given)."""

    published: np.ndarray  # Cov(x, y; ddof=1) / Var(x; ddof=0): the paper's numbers
    ols: np.ndarray  # the least-squares slope
    intercept: np.ndarray  # of the least-squares line, in log counts
    r2: np.ndarray  # coefficient of determination of the least-squares line
    max_abs_log_residual: np.ndarray  # largest |log I - line| over the fitted points


def cosines(n: int) -> Float[Array, " n+1"]:
    """cos = 1 - 2 d_v / n for d_v = 0..n: bipolar cosine at each Hamming distance."""
    return 1.0 - 2.0 * jnp.arange(n + 1) / n


@jax.jit
def _regress(log_i: Float[Array, "b w"], n: Float[Array, ""], d: Int[Array, " b"]):
    """The fits of `regress_log_intersection` on rows padded to a width w > n (n traced: one compile
    per bucket of shapes, not one per n)."""
    dv = jnp.arange(log_i.shape[1])[None, :]
    x = 1.0 - 2.0 * dv / n
    mask = dv < d[:, None]
    count = d.astype(log_i.dtype)
    y = jnp.where(mask, log_i, 0.0)
    mean_x = jnp.sum(jnp.where(mask, x, 0.0), axis=1) / count
    mean_y = jnp.sum(y, axis=1) / count
    dx = jnp.where(mask, x - mean_x[:, None], 0.0)
    dy = jnp.where(mask, y - mean_y[:, None], 0.0)
    ols = jnp.sum(dx * dy, axis=1) / jnp.sum(dx * dx, axis=1)
    intercept = mean_y - ols * mean_x
    resid = jnp.where(mask, y - intercept[:, None] - ols[:, None] * x, 0.0)
    r2 = 1.0 - jnp.sum(resid**2, axis=1) / jnp.sum(dy**2, axis=1)
    published = ols * count / (count - 1.0)
    return published, ols, intercept, r2, jnp.max(jnp.abs(resid), axis=1)


def regress_log_intersection(log_i: Float[np.ndarray, "*b n+1"], d, first: int = 0) -> BetaFit:
    """The log-linear β fit on rows of log counts over d_v = 0..n (e.g. rows of an intersection table).

    **Arguments:** `log_i` of shape (..., n+1); `d`, the radius of each row (2 <= d <= n); `first`, the
    first fitted distance: the fit covers the d points d_v = first..first+d-1 (the paper's figures fit
    from 0, its β-against-d table from 1).
    **Returns:** a `BetaFit` of arrays shaped like the leading axes (the intercept is at d_v = first).
    """
    require_x64()
    log_i = np.asarray(log_i, dtype=np.float64)
    n = log_i.shape[-1] - 1
    first = int(as_int_array("first", first, lo=0, hi=n - 2, scalar=True))
    d = as_int_array("d", d, lo=2, hi=n - first)
    if first:  # cos is linear in d_v: shifting the rows by `first` leaves every slope unchanged
        log_i = np.concatenate([log_i[..., first:], np.repeat(log_i[..., -1:], first, axis=-1)], axis=-1)
    lead = np.broadcast_shapes(log_i.shape[:-1], d.shape)
    rows = np.broadcast_to(log_i, lead + (n + 1,)).reshape(-1, n + 1)
    fitted = np.arange(n + 1) < np.broadcast_to(d, lead).reshape(-1, 1)
    if not np.all(np.isfinite(rows) | ~fitted):
        raise ValueError("log_i must be finite at the fitted distances d_v < d (is d <= 2 * the ball radius?)")
    b, width = rows.shape[0], bucket(n + 1)
    padded = np.zeros((bucket(b), width))
    padded[:b, : n + 1] = rows
    radii = np.full(bucket(b), 2, dtype=np.int64)
    radii[:b] = np.broadcast_to(d, lead).ravel()
    out = _regress(jnp.asarray(padded), jnp.float64(n), jnp.asarray(radii))
    return BetaFit(*(np.asarray(a)[:b].reshape(lead) for a in out))


def log_weights(n: int, d, kind: Literal["binary", "continuous"] = "binary") -> Float[np.ndarray, "*d n+1"]:
    """SDM's log weights over d_v = 0..n for each radius d: the exact binary count log I(d_v; d, n), or
    the continuous cap overlap log F at cos = 1 - 2 d_v / n (a log fraction; the scale only moves the
    intercept of a fit)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    d = np.asarray(d)
    if kind == "continuous":
        return log_continuous_table(n, d)
    return log_binary_intersection(n, d[..., None], np.arange(n + 1))


def beta_regression(n, d, kind: Literal["binary", "continuous"] = "binary") -> BetaFit:
    """`BetaFit` for radius d in dimension n, from the exact binary counts or the continuous cap overlap."""
    n = int(as_int_array("n", n, lo=3, scalar=True))
    d = as_int_array("d", d, lo=2, hi=n - 1)
    return regress_log_intersection(log_weights(n, d, kind), d)


def fit_beta(n, d, estimator: Literal["published", "ols"] = "published", kind: Literal["binary", "continuous"] = "binary") -> np.ndarray:
    """β from the log-linear regression of the spec; "published" is the paper's convention, "ols" the
    least-squares slope (the two differ by the factor d/(d-1)); `kind` picks binary SDM's intersection
    counts or continuous SDM's cap overlaps as the weights fitted."""
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    return getattr(beta_regression(n, d, kind), estimator)


def _softmax_mse(beta, x, target):
    """Mean squared error between softmax(β x) and the target weights, per row; beta (b,)."""
    return jnp.mean((jax.nn.softmax(beta[:, None] * x[None, :], axis=1) - target) ** 2, axis=1)


@functools.partial(jax.jit, static_argnums=1)
def _softmax_fit(log_i: Float[Array, "b n+1"], n: int) -> Float[Array, " b"]:
    x = cosines(n)
    target = jax.nn.softmax(log_i, axis=1)  # I / sum I, stably
    lo, hi = math.log(SOFTMAX_BETA_BOUNDS[0]), math.log(SOFTMAX_BETA_BOUNDS[1] * n)
    grid = jnp.linspace(lo, hi, _GRID)
    losses = jax.lax.map(lambda g: _softmax_mse(jnp.full(log_i.shape[0], jnp.exp(g)), x, target), grid)
    best = jnp.argmin(losses, axis=0)
    a = grid[jnp.clip(best - 1, 0, _GRID - 1)]
    b = grid[jnp.clip(best + 1, 0, _GRID - 1)]
    f = lambda t: _softmax_mse(jnp.exp(t), x, target)  # noqa: E731

    def golden(_, state):
        a, b, c, e, fc, fe = state  # a < c < e < b, fc = f(c), fe = f(e)
        left = fc < fe  # the minimum lies in [a, e]
        a, b = jnp.where(left, a, c), jnp.where(left, e, b)
        c_new = jnp.where(left, b - _INV_PHI * (b - a), e)
        e_new = jnp.where(left, c, a + _INV_PHI * (b - a))
        f_new = f(jnp.where(left, c_new, e_new))
        return a, b, c_new, e_new, jnp.where(left, f_new, fe), jnp.where(left, fc, f_new)

    c, e = b - _INV_PHI * (b - a), a + _INV_PHI * (b - a)
    a, b, *_ = jax.lax.fori_loop(0, _GOLDEN_STEPS, golden, (a, b, c, e, f(c), f(e)))
    return jnp.exp((a + b) / 2.0)


def softmax_fit_from_log_intersection(log_i: Float[np.ndarray, "*b n+1"]) -> np.ndarray:
    """The softmax-fit β for each row of log counts over d_v = 0..n (see the module docstring)."""
    require_x64()
    log_i = np.asarray(log_i, dtype=np.float64)
    n = log_i.shape[-1] - 1
    rows = log_i.reshape(-1, n + 1)
    return np.asarray(_softmax_fit(jnp.asarray(rows), n)).reshape(log_i.shape[:-1])


def softmax_fit_beta(n, d) -> np.ndarray:
    """The β minimising the MSE between softmax(β cos) and the normalised binary weights, d_v = 0..n."""
    n = int(as_int_array("n", n, lo=2, scalar=True))
    d = as_int_array("d", d, lo=1, hi=n - 1)
    return softmax_fit_from_log_intersection(log_binary_intersection(n, d[..., None], np.arange(n + 1)))
