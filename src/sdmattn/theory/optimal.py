"""Optimal SDM radii d* for a memory of r neurons storing m patterns in {0,1}^n, and their β*.

Three objectives (spec section 6), all in log space so that r = 2^n with n in the thousands works:

- signal-to-noise: p*_SNR = (2 m r)^(-1/3);
- memory capacity: the positive root of 2 r² p³ - 3 r z² p² - z² = 0 with z = Φ⁻¹(0.5^(1/n)),
  solved as 2 s³ - 3 z² ε s² - z² = 0 for s = p r^(2/3), ε = r^(-1/3) (no r^8 anywhere);
- critical distance: the radius whose one-step read pulls in queries from furthest away.

d* = d(p*) is the binomial quantile; β* = `fit_beta` at d*. The critical distance needs I(x; d, n)
at every (d, x): it reads one exact table per n instead of recomputing per point.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import scipy.special
from jaxtyping import Float, Int

from .._checks import as_int_array, as_real
from .beta import regress_log_intersection
from .binomial import radius_for_fraction
from .constants import ESTIMATORS, LOG2
from .intersection import binary_intersection_table


def log_neurons(n: int, r=None) -> float:
    """Natural log of r (r = None means 2^n); r may be a Python int of any size or a float in [1, 2^n]."""
    if r is None:
        return n * LOG2
    log_r = _log_r(r)
    if log_r > n * LOG2 * (1 + 1e-12):
        raise ValueError(f"r must be <= 2^n = 2^{n} (at most one neuron per address), got {r!r}")
    return log_r


def _log_r(r) -> float:
    """log r for r >= 1 given as a Python int (any size) or a float."""
    if isinstance(r, bool) or not isinstance(r, (int, float, np.integer, np.floating)):
        raise ValueError(f"r must be a number of neurons >= 1 (int, float or None for 2^n), got {r!r}")
    if isinstance(r, (int, np.integer)):
        if r < 1:
            raise ValueError(f"r must be >= 1, got {r}")
        return math.log(int(r))
    return math.log(as_real("r", r, lo=1.0))


def _check(n, m) -> tuple[int, int]:
    n = int(as_int_array("n", n, lo=2, scalar=True))
    m = int(as_int_array("m", m, lo=1, scalar=True))
    return n, m


def capacity_z(n: int) -> float:
    """z = Φ⁻¹(0.5^(1/n)): every bit of an n-bit pattern right with probability 0.5."""
    return float(-scipy.special.ndtri(-math.expm1(-LOG2 / n)))  # Φ⁻¹(1 - q) = -Φ⁻¹(q)


def log_p_snr(m: int, log_r: float) -> float:
    """log p*_SNR = -log(2 m r) / 3."""
    return -(LOG2 + math.log(m) + log_r) / 3.0


def log_p_mem(n: int, log_r: float) -> float:
    """log p*_Mem from the capacity cubic in the scaled variable s = p r^(2/3); independent of m."""
    z2 = capacity_z(n) ** 2
    eps = math.exp(-log_r / 3.0)  # r^(-1/3) in (0, 1]; underflow to 0 is the large-r limit
    roots = np.roots([2.0, -3.0 * z2 * eps, 0.0, -z2])
    s = max(float(x.real) for x in roots if abs(x.imag) < 1e-9 * max(1.0, abs(x)) and x.real > 0)
    return math.log(s) - 2.0 * log_r / 3.0


class CriticalDistance(NamedTuple):
    """CD(d) and the expected distance after one read, x'(x), for x = 0..n."""

    cd: int
    x_new: Float[np.ndarray, " n+1"]


def expected_new_distance(log_table: Float[np.ndarray, "d n+1"], n: int, m: int, log_r: float) -> Float[np.ndarray, "d n+1"]:
    """x'(x) = n Φ(-μ/σ) for every row (radius) of a log intersection table and every x = 0..n.

    μ(x) = (r/2^n) I(x), σ² = μ + (m-1)(μ⊥ + μ⊥²), μ⊥ = (r/2^n) I(⌊n/2⌋); all in logs. Where μ = σ = 0
    the ratio is taken as +inf, so x' = 0: such points count as converging.
    """
    m = int(as_int_array("m", m, lo=1, scalar=True))
    shift = log_r - n * LOG2
    log_mu = log_table + shift
    log_perp = log_table[:, n // 2 : n // 2 + 1] + shift
    log_noise = np.log(m - 1) + np.logaddexp(log_perp, 2.0 * log_perp) if m > 1 else np.full_like(log_perp, -np.inf)
    with np.errstate(invalid="ignore"):
        log_sigma = 0.5 * np.logaddexp(log_mu, log_noise)
        log_ratio = np.where(np.isneginf(log_sigma), np.inf, log_mu - log_sigma)
    return n * scipy.special.ndtr(-np.exp(np.minimum(log_ratio, 700.0)))  # Φ(-e^700) is 0 already


def critical_distances(log_table: Float[np.ndarray, "d n+1"], d: Int[np.ndarray, " d"], n: int, m: int, log_r: float) -> Int[np.ndarray, " d"]:
    """CD(d) for each row: the largest x in 1..min(2d+1, n) with x'(x'') < x'' for every x'' <= x."""
    return _critical_from_x_new(expected_new_distance(log_table, n, m, log_r), d, n)


def _critical_from_x_new(x_new: Float[np.ndarray, "d n+1"], d, n: int) -> Int[np.ndarray, " d"]:
    x = np.arange(n + 1)
    top = np.minimum(2 * np.asarray(d) + 1, n)
    fails = (x_new >= x) & (x >= 1) & (x <= top[:, None])
    first_fail = np.where(fails.any(axis=1), fails.argmax(axis=1), top + 1)
    return first_fail - 1


def critical_distance(n, d, m, r=None) -> CriticalDistance:
    """CD(d) of an SDM (n, r neurons, m patterns) and its x'(x) curve over x = 0..n."""
    n, m = _check(n, m)
    d = int(as_int_array("d", d, lo=0, hi=n, hi_name="n", scalar=True))
    log_r = log_neurons(n, r)
    x_new = expected_new_distance(binary_intersection_table(n)[d : d + 1], n, m, log_r)
    return CriticalDistance(int(_critical_from_x_new(x_new, np.array([d]), n)[0]), x_new[0])


class OptimalRadii(NamedTuple):
    """d* and log p* per objective, with the inputs that produced them."""

    n: int
    m: int
    log2_r: float
    d: dict[str, int]  # {"snr": d, "mem": d, "cd": d}
    log_p: dict[str, float]  # natural log of p* (for "cd": of p(d*_CD))
    z: float
    cd: int  # the critical distance reached at d*_CD (1 or less: no radius pulls queries in)

    @property
    def p(self) -> dict[str, float]:
        """p* as floats (0.0 where it underflows float64: use `log_p`)."""
        return {k: math.exp(v) for k, v in self.log_p.items()}


def optimal_radii(n, m, r=None, *, log_table: np.ndarray | None = None) -> OptimalRadii:
    """The SNR-, capacity- and critical-distance-optimal radii (spec section 6).

    `r` is a Python int (any size), a float, or None for 2^n. `log_table` may pass the exact table of
    n (from `binary_intersection_table`) to skip recomputing it.
    """
    n, m = _check(n, m)
    log_r = log_neurons(n, r)
    table = _table_for(n, log_table)
    log_p = {"snr": log_p_snr(m, log_r), "mem": min(log_p_mem(n, log_r), 0.0)}  # p* > 1 (tiny r): the whole space
    d = {k: int(radius_for_fraction(n, log_p=v)) for k, v in log_p.items()}
    radii = np.arange(n + 1)
    cds = critical_distances(table, radii, n, m, log_r)
    d["cd"] = int(np.argmax(cds))
    log_p["cd"] = float(table[d["cd"], 0] - n * LOG2)
    return OptimalRadii(n, m, log_r / LOG2, d, log_p, capacity_z(n), int(cds[d["cd"]]))


def _table_for(n: int, log_table) -> np.ndarray:
    """The exact log table of n: computed, or the one given after a shape check."""
    if log_table is None:
        return binary_intersection_table(n)
    table = np.asarray(log_table)
    if table.shape != (n + 1, n + 1):
        raise ValueError(f"log_table must be the ({n + 1}, {n + 1}) table of n={n}, got shape {table.shape}")
    return table


def betas_at(log_table: Float[np.ndarray, "n+1 n+1"], radii: dict[str, int]) -> dict[str, dict[str, float]]:
    """β (both estimators) at each named radius of a log table: {"published": {...}, "ols": {...}}.

    NaN outside 2 <= d < n (a regression needs two distances, and d = n has nothing to fit).
    """
    out: dict[str, dict[str, float]] = {e: {} for e in ESTIMATORS}
    n = log_table.shape[-1] - 1
    for key, d in radii.items():
        fit = regress_log_intersection(log_table[d], d) if 2 <= d < n else None
        for e in ESTIMATORS:
            out[e][key] = float(getattr(fit, e)) if fit is not None else math.nan
    return out


def optimal_betas(n, m, r=None, estimator: str = "published", *, log_table: np.ndarray | None = None) -> dict[str, float]:
    """β* = `fit_beta` at each optimal radius ({"snr", "mem", "cd"}); NaN outside 2 <= d* < n (no fit)."""
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    n, m = _check(n, m)
    table = _table_for(n, log_table)
    return betas_at(table, optimal_radii(n, m, r, log_table=table).d)[estimator]
