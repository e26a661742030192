"""Pattern-view memories: a read is a weighted vote of the stored patterns (spec section 2).

    ξ_new = g( Σ_μ w(ξ, p_a^μ) p_p^μ ),

with g the majority threshold (binary) or a re-normalisation to the unit sphere (continuous). The
weight w is what tells the memories apart:

- `binary_sdm`: the circle intersection I(d_v; d, n) at the Hamming distance d_v (an exact log-space
  table lookup), i.e. the expected neurons r I / 2^n up to a factor that cancels; with `neurons=r` and
  `sample=True`, a fresh Binomial(r, I / 2^n) count per pattern and read instead: r random neurons
  without simulating them (the finite-neuron SDM);
- `binary_attention`: exp(β cos) with cos = 1 - 2 d_v / n, the cosine of the bipolar vectors scaled
  to unit length; its output is thresholded back to bits like SDM's;
- `continuous_sdm`: the cap overlap F(cos) of spec section 4 at the query–pattern cosine. log F is
  tabulated once on a uniform grid of `GRID` cosines over [-1, 1] and interpolated linearly (in log
  space, so the exponential decay is followed closely); a grid cell with an end outside the support
  counts as outside, which trims the support by at most one cell (2 / (GRID - 1) in cosine);
- `continuous_attention`: softmax(β cos) on unit vectors, re-normalised like continuous SDM.

Every memory has `read(queries, key=None)`; `key` drives the finite-neuron sampling and is ignored
otherwise. Binary ties (a zero vote, including a query no stored pattern reaches) keep the query's
bit; the intersection counts are whole numbers that tie often (I(2k-1) = I(2k)), so a vote within
`TIE` (10^-12) of the total weight of zero, below floating-point rounding, is a tie. A continuous read
that no pattern reaches returns the query unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Bool, Float, UInt64

from .._checks import as_int_array, as_real
from .._runtime import require_x64
from ..theory.binomial import LOG2
from ..theory.caps import log_cap_intersection
from ..theory.intersection import log_binary_intersection
from ..theory.montecarlo import hamming_distances, pack_bits

GRID = 8193  # cosines tabulated for continuous SDM's weights
TIE = 1e-12  # a binary vote within this fraction of the total weight of 0 is a tie


def _shifted_weights(log_w):
    """exp(log w - max over patterns): the relative weights of each query's read, 0 where log w = -inf
    (and all 0 for a query that no pattern reaches)."""
    top = jnp.max(log_w, axis=-1, keepdims=True)
    return jnp.exp(log_w - jnp.where(jnp.isfinite(top), top, 0.0))


def binary_step(static, operands, x, key, active):
    """One read of every query of a binary pattern memory (the recall loop's step)."""
    del active
    sample = static
    keys, values, log_weight, neurons = operands
    log_w = log_weight[hamming_distances(pack_bits(x), keys)]  # (q, m)
    if sample:
        weights = jax.random.binomial(key, neurons, jnp.exp(log_w)).astype(values.dtype)
    else:
        weights = _shifted_weights(log_w)
    vote = weights @ values  # (q, n), values bipolar
    margin = TIE * jnp.sum(weights, axis=1, keepdims=True)  # below rounding: a tie (exact weights tie often)
    return jnp.where(vote > margin, True, jnp.where(vote < -margin, False, x)), jnp.bool_(True)


def _interpolate(table, cos):
    """Linear interpolation of `table` on the uniform grid over [-1, 1]; -inf if a cell end is -inf."""
    cells = table.shape[0] - 1
    t = (jnp.clip(cos, -1.0, 1.0) + 1.0) * (cells / 2.0)
    i = jnp.clip(jnp.floor(t).astype(jnp.int32), 0, cells - 1)
    a, b = table[i], table[i + 1]
    inside = jnp.isfinite(a) & jnp.isfinite(b)
    frac = t - i
    return jnp.where(inside, jnp.where(inside, a, 0.0) + frac * jnp.where(inside, b - a, 0.0), -jnp.inf)


def continuous_step(static, operands, x, key, active):
    """One read of every query of a continuous pattern memory (the recall loop's step)."""
    del static, key, active
    keys, values, table = operands
    weights = _shifted_weights(_interpolate(table, x @ keys.T))
    out = weights @ values
    norm = jnp.linalg.norm(out, axis=1, keepdims=True)
    return jnp.where(norm > 0, out / jnp.where(norm > 0, norm, 1.0), x), jnp.bool_(True)


class _PatternView:
    """What the pattern-view memories share: the dimension n and `read` through the recall loop's step."""

    sample = False

    @property
    def n(self) -> int:
        return self.values.shape[1]

    def read(self, queries, key=None):
        """One read of each query: bool rows of n bits for a binary memory, unit rows for a continuous
        one; `key` drives finite-neuron sampling (required then) and is ignored otherwise."""
        check = _check_bits if self.kind == "binary" else _check_units
        queries = check("queries", queries, self.n)
        if self.sample and key is None:
            raise ValueError(f"{self.label} samples its neurons at every read: pass a key")
        step, static, operands = self._reader()
        return _jit_step(step, static, operands, queries, jax.random.key(0) if key is None else key)


@dataclass(frozen=True)
class BinaryPatternMemory(_PatternView):
    """Stored bit patterns with a weight per Hamming distance (see the module docstring)."""

    keys: UInt64[Array, "m w"]  # the addresses, bit-packed
    values: Float[Array, "m n"]  # the data, bipolar
    log_weight: Float[Array, " n+1"]  # log weight at Hamming distance 0..n (a log probability if sampled)
    neurons: float  # r of the finite-neuron sampling (0 when not sampled)
    label: str
    sample: bool = False
    kind = "binary"

    def _reader(self):
        return binary_step, self.sample, (self.keys, self.values, self.log_weight, jnp.float64(self.neurons))


@dataclass(frozen=True)
class ContinuousPatternMemory(_PatternView):
    """Stored unit vectors with a log weight tabulated over cosine (see the module docstring)."""

    keys: Float[Array, "m n"]
    values: Float[Array, "m n"]
    log_table: Float[Array, " g"]  # log weight at GRID cosines from -1 to 1
    label: str
    kind = "continuous"

    def _reader(self):
        return continuous_step, None, (self.keys, self.values, self.log_table)


_jit_step = jax.jit(lambda step, static, operands, x, key: step(static, operands, x, key, None)[0],
                    static_argnums=(0, 1))


def _check_bits(name: str, x, n: int | None = None) -> Bool[Array, "b n"]:
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[0] == 0 or (n is not None and x.shape[1] != n):
        want = f"n = {n} bits" if n is not None else "at least one bit"
        raise ValueError(f"{name} must be a non-empty (rows, n) array with {want}, got shape {x.shape}")
    if x.dtype != bool and not np.isin(x, (0, 1)).all():
        raise ValueError(f"{name} must hold 0/1 bits, got a value {x[~np.isin(x, (0, 1))].ravel()[0]!r}")
    return jnp.asarray(x.astype(bool))


def _check_units(name: str, x, n: int | None = None) -> Float[Array, "b n"]:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] < 2 or (n is not None and x.shape[1] != n):
        want = f"n = {n} columns" if n is not None else "n >= 2 columns"
        raise ValueError(f"{name} must be a non-empty (rows, n) array with {want}, got shape {x.shape}")
    norms = np.linalg.norm(x, axis=1)
    if not (np.all(np.isfinite(norms)) and np.allclose(norms, 1.0, atol=1e-9)):
        raise ValueError(f"{name} must have unit rows, got a row of norm {norms[np.argmax(np.abs(norms - 1.0))]:.6g}")
    return jnp.asarray(x)


def _binary_pair(addresses, data):
    keys = _check_bits("addresses", addresses)
    values = keys if data is None else _check_bits("data", data, keys.shape[1])
    if values.shape[0] != keys.shape[0]:
        raise ValueError(f"data must have one row per address ({keys.shape[0]}), got {values.shape[0]}")
    return pack_bits(keys), jnp.where(values, 1.0, -1.0)


def _continuous_pair(addresses, data):
    keys = _check_units("addresses", addresses)
    values = keys if data is None else _check_units("data", data, keys.shape[1])
    if values.shape[0] != keys.shape[0]:
        raise ValueError(f"data must have one row per address ({keys.shape[0]}), got {values.shape[0]}")
    return keys, values


def binary_sdm(addresses: Bool[Array, "m n"], data: Bool[Array, "m n"] | None = None, *, d: int,
               neurons: float | None = None, sample: bool = False) -> BinaryPatternMemory:
    """Binary SDM in the pattern view: weights I(d_v; d, n), or with `sample=True` Binomial(neurons,
    I / 2^n) counts drawn at every read. `data` defaults to the addresses (autoassociative)."""
    require_x64()
    keys, values = _binary_pair(addresses, data)
    n = values.shape[1]
    d = int(as_int_array("d", d, lo=0, hi=n, hi_name="n", scalar=True))
    log_p = log_binary_intersection(n, d, np.arange(n + 1)) - n * LOG2
    if sample:
        if neurons is None:
            raise ValueError("neurons must be given (a number of neurons r >= 1) when sample=True")
        r = as_real("neurons", neurons, lo=1.0)
        if math.log2(r) > n:
            raise ValueError(f"neurons must be <= 2^n = 2^{n}, got {neurons!r}")
        label = f"binary SDM (d={d}, r={r:g} sampled)"
        return BinaryPatternMemory(keys, values, jnp.asarray(log_p), r, label, sample=True)
    return BinaryPatternMemory(keys, values, jnp.asarray(log_p), 0.0, f"binary SDM (d={d})")


def binary_attention(addresses: Bool[Array, "m n"], data: Bool[Array, "m n"] | None = None, *,
                     beta: float) -> BinaryPatternMemory:
    """Softmax attention on bits: weights exp(β cos) of the unit-scaled bipolar vectors, output thresholded."""
    require_x64()
    keys, values = _binary_pair(addresses, data)
    n = values.shape[1]
    beta = as_real("beta", beta, lo=0.0)
    log_w = beta * (1.0 - 2.0 * np.arange(n + 1) / n)
    return BinaryPatternMemory(keys, values, jnp.asarray(log_w), 0.0, f"attention (beta={beta:.4g})")


def cosine_grid(points: int = GRID) -> Float[np.ndarray, " g"]:
    """The uniform cosine grid over [-1, 1] on which continuous weights are tabulated."""
    return np.linspace(-1.0, 1.0, points)


def continuous_sdm(addresses: Float[Array, "m n"], data: Float[Array, "m n"] | None = None, *,
                   d: int) -> ContinuousPatternMemory:
    """Continuous SDM in the pattern view: weights F(cos), the overlap of two caps of radius
    arccos(1 - 2d/n) (tabulated, see the module docstring)."""
    require_x64()
    keys, values = _continuous_pair(addresses, data)
    n = values.shape[1]
    d = int(as_int_array("d", d, lo=0, hi=n, hi_name="n", scalar=True))
    table = log_cap_intersection(n, d, cosine_grid())
    return ContinuousPatternMemory(keys, values, jnp.asarray(table), f"continuous SDM (d={d})")


def continuous_attention(addresses: Float[Array, "m n"], data: Float[Array, "m n"] | None = None, *,
                         beta: float) -> ContinuousPatternMemory:
    """Softmax attention on unit vectors: weights exp(β cos), output re-normalised (exact: the table
    of β cos is linear, which the interpolation reproduces)."""
    require_x64()
    keys, values = _continuous_pair(addresses, data)
    beta = as_real("beta", beta, lo=0.0)
    return ContinuousPatternMemory(keys, values, jnp.asarray(beta * cosine_grid()), f"attention (beta={beta:.4g})")


__all__ = [
    "BinaryPatternMemory",
    "ContinuousPatternMemory",
    "binary_attention",
    "binary_sdm",
    "continuous_attention",
    "continuous_sdm",
]
