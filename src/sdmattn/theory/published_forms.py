"""The published computations' own forms, beside the exact ones: what the errata of the report measure.

Each function reproduces one form that circulates with the paper, so the report can show what it gives
next to the exact value:

- `exact_intersection`: I(d_v; d, n) as an exact Python integer (the positive-terms identity of
  `intersection`, in big integers), the yardstick of the two forms below;
- `teaching_intersection`: the double sum of a teaching formula that circulates with the paper's
  lectures, exact in big integers (its bounds, not its arithmetic, are what differ);
- `ball_minus_lune_float64`: Kanerva's "ball minus lune" form evaluated in float64, which cancels
  catastrophically for large n and d_v near 2d;
- `log_cap_count`: the expected continuous count r A_cap∩ / A_n with the published constant
  (2 + log J, a factor e^2/2 too large) or the intended one (log 2 + log J).
"""

from __future__ import annotations

import math
from math import comb
from typing import Literal

import numpy as np
from jaxtyping import Float, Int
from scipy.special import comb as float_comb

from .._checks import as_int_array
from .caps import log_cap_intersection

CONTINUOUS_CONSTANTS = ("published", "intended")


def _check(n, d, dv) -> tuple[int, int, int]:
    n = int(as_int_array("n", n, lo=1, scalar=True))
    d = int(as_int_array("d", d, lo=0, hi=n, scalar=True))
    dv = int(as_int_array("dv", dv, lo=0, hi=n, scalar=True))
    return n, d, dv


def exact_intersection(n, d, dv) -> int:
    """I(d_v; d, n) in exact integers: sum_{w=n-d}^{d} C(n, w) + sum_{k>=ceil(d_v/2)} C(2k, k) C(n-2k-1, d-k)."""
    n, d, dv = _check(n, d, dv)
    total = sum(comb(n, w) for w in range(n - d, d + 1))
    return total + sum(comb(2 * k, k) * comb(n - 2 * k - 1, d - k) for k in range((dv + 1) // 2, (n - 1) // 2 + 1) if k <= d)


def teaching_intersection(n, d, dv) -> int:
    """The teaching formula, exactly: sum_{a=a_min}^{n-d_v} sum_{c=c_min}^{c_max} C(n-d_v, a) C(d_v, c) with
    a_min = max(0, n-d-(d_v-(n-d))), c_min = max(0, n-d-a), c_max = min(d_v, d_v-(n-d-a)); 0 when d_v > 2d."""
    n, d, dv = _check(n, d, dv)
    if dv > 2 * d:
        return 0
    a_min = max(0, n - d - (dv - (n - d)))
    total = 0
    for a in range(a_min, n - dv + 1):
        c_min, c_max = max(0, n - d - a), min(dv, dv - (n - d - a))
        total += comb(n - dv, a) * sum(comb(dv, c) for c in range(c_min, c_max + 1))
    return total


def teaching_table(n) -> tuple[Int[np.ndarray, "n+1 n+1"], Int[np.ndarray, "n+1 n+1"]]:
    """The teaching formula and the exact count over the whole table (d, d_v) = 0..n, as object arrays
    of Python integers (both exact, so any difference is the formula's)."""
    n = int(as_int_array("n", n, lo=1, scalar=True))
    teaching, exact = np.empty((n + 1, n + 1), dtype=object), np.empty((n + 1, n + 1), dtype=object)
    for d in range(n + 1):
        for dv in range(n + 1):
            teaching[d, dv], exact[d, dv] = teaching_intersection(n, d, dv), exact_intersection(n, d, dv)
    return teaching, exact


def ball_minus_lune_float64(n, d, dv) -> Float[np.ndarray, " dv"]:
    """Kanerva's form I = B(n, d) - sum_{j odd <= d_v} C(j-1, (j-1)/2) C(n-j, d-(j-1)/2) in float64
    binomials: equal to I in exact arithmetic, garbage where the difference is far below B(n, d)."""
    n = int(as_int_array("n", n, lo=1, scalar=True))
    d = int(as_int_array("d", d, lo=0, hi=n, scalar=True))
    dv = as_int_array("dv", dv, lo=0, hi=n)
    ball = float(np.sum(float_comb(n, np.arange(d + 1))))
    j = np.arange(1, n + 1, 2)
    lune = float_comb(j - 1, (j - 1) // 2) * float_comb(n - j, d - (j - 1) // 2)  # comb is 0 outside 0 <= k <= N
    cumulative = np.concatenate([[0.0], np.cumsum(lune)])  # lune sum over j <= 2i-1, i = 0..len(j)
    return ball - cumulative[(dv + 1) // 2]


def log_cap_count(n, d, cos, r: float, constant: Literal["published", "intended"] = "intended") -> np.ndarray:
    """log of the expected continuous count r A_cap∩ / A_n. The published code adds 2 + log J to the
    log area where 2 J (log 2 + log J) is meant: e^2/2 times the intended count (β does not move)."""
    if constant not in CONTINUOUS_CONSTANTS:
        raise ValueError(f"constant must be one of {CONTINUOUS_CONSTANTS}, got {constant!r}")
    shift = 2.0 - math.log(2.0) if constant == "published" else 0.0
    return math.log(r) + log_cap_intersection(n, d, cos) + shift


__all__ = ["ball_minus_lune_float64", "exact_intersection", "log_cap_count", "teaching_intersection", "teaching_table"]
