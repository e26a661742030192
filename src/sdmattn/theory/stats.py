"""Binomial checks for simulated counts: central intervals and how often chance puts points outside them."""

from __future__ import annotations

import numpy as np


def binomial_interval(r: int, log_p, level: float = 0.99) -> tuple[np.ndarray, np.ndarray]:
    """The central `level` interval [lo, hi] of Binomial(r, p), p = exp(log_p) (coverage >= level)."""
    import scipy.stats  # imported where used: it takes a second, and most stages never call this module

    p = np.exp(np.asarray(log_p, dtype=np.float64))
    lo, hi = scipy.stats.binom.interval(level, int(r), p)
    return lo.astype(np.int64), hi.astype(np.int64)


def outside_interval_pvalue(outside: int, points: int, level: float = 0.99) -> float:
    """P(at least `outside` of `points` independent counts fall outside their `level` intervals) when
    the model is right: each falls outside with probability at most 1 - level."""
    import scipy.stats

    return float(scipy.stats.binom.sf(outside - 1, points, 1.0 - level)) if outside > 0 else 1.0


