"""The published computations' forms (the errata), against exact big-integer oracles and the stated facts."""
import math

import numpy as np
import pytest
from oracles import intersection_double_sum, intersection_exact

from sdmattn.theory.published_forms import (
    ball_minus_lune_float64,
    exact_intersection,
    log_cap_count,
    teaching_intersection,
    teaching_table,
)

I64_5 = [8303633, 1274786, 1274786, 231076, 231076, 36022, 36022, 4102, 4102, 252, 252, 0]  # the spec's I(64, 5, d_v)


def test_exact_intersection_is_the_double_sum():
    for n in (7, 12):
        for d in range(n + 1):
            for dv in range(n + 1):
                assert exact_intersection(n, d, dv) == intersection_double_sum(n, d, dv), (n, d, dv)
    assert [exact_intersection(64, 5, dv) for dv in range(12)] == I64_5


def test_teaching_formula_differs_from_the_exact_count():
    # at the paper's d*_Mem it returns 0 wherever the exact count is positive
    assert [teaching_intersection(64, 5, dv) for dv in range(12)] == [0] * 12
    assert all(teaching_intersection(64, 5, dv) == 0 for dv in range(11, 65))  # and 0 beyond 2d, like I
    teaching, exact = teaching_table(10)
    oracle = np.array([[intersection_double_sum(10, d, dv) for dv in range(11)] for d in range(11)], dtype=object)
    assert (exact == oracle).all()
    differs = teaching != oracle
    assert 0 < differs.sum() < differs.size  # it is right somewhere and wrong somewhere
    assert teaching[10, 0] == oracle[10, 0] == 2**10  # the ball that is the whole space


def test_ball_minus_lune_in_float64():
    small = ball_minus_lune_float64(20, 7, np.arange(21))
    np.testing.assert_allclose(small, [float(intersection_double_sum(20, 7, dv)) for dv in range(21)], rtol=1e-12, atol=1e-3)
    n, d = 1000, 451
    dv = np.concatenate([np.arange(700, 720), np.arange(900, 1001, 5)])
    floated = ball_minus_lune_float64(n, d, dv)
    exact = np.array([float(intersection_exact(n, d, int(v))) for v in dv])
    rel = np.abs(floated - exact) / np.where(exact > 0, exact, np.inf)
    assert dv[np.argmax(rel > 1e-6)] == 711  # "garbage past d_v ≈ 711"
    assert (exact[dv > 2 * d] == 0).all() and (floated[dv > 2 * d] != 0).all()  # nonzero beyond 2d


def test_continuous_constant_is_e_squared_over_two():
    cos = np.array([1.0, 0.9, 0.75])
    ratio = np.exp(log_cap_count(64, 11, cos, 2.0**64, "published") - log_cap_count(64, 11, cos, 2.0**64))
    np.testing.assert_allclose(ratio, math.exp(2) / 2, rtol=1e-12)
    assert round(math.exp(2) / 2, 4) == 3.6945
    with pytest.raises(ValueError, match="constant must be one of"):
        log_cap_count(64, 11, cos, 1e6, "other")
