"""The closed forms: the dominant term and term count against big integers, the bounds, and the
spec's β_approx values."""
import math

import numpy as np
import pytest
from oracles import dominant_term_brute_force, intersection_double_sum

from sdmattn import (
    beta_approx,
    dominant_term,
    intersection_bounds,
    log_binary_intersection,
    log_exponential_approximation,
)


@pytest.mark.parametrize("n", [1, 2, 7, 16, 33])
def test_dominant_term_and_count_against_big_integers(n):
    for d in range(n + 1):
        dv = np.arange(n + 1)
        log_max, count = dominant_term(n, d, dv)
        for v in range(n + 1):
            best, terms = dominant_term_brute_force(n, d, v)
            assert count[v] == terms
            assert log_max[v] == (pytest.approx(math.log(best), abs=1e-12) if best else -math.inf)


@pytest.mark.parametrize("n,d", [(64, 5), (64, 11), (64, 15), (64, 27), (1000, 451)])
def test_bounds_hold(n, d):
    dv = np.arange(n + 1)
    lower, upper = intersection_bounds(n, d, dv)
    exact = log_binary_intersection(n, d, dv)
    met = np.isfinite(exact)
    assert np.array_equal(met, np.isfinite(lower))
    assert np.all(lower[met] <= exact[met] + 1e-9) and np.all(exact[met] <= upper[met] + 1e-9)


def test_bounds_against_exact_integers_n64():
    for dv in (0, 3, 10, 21):
        lower, upper = intersection_bounds(64, 11, dv)
        exact = math.log(intersection_double_sum(64, 11, dv))
        assert lower <= exact <= upper


def test_beta_approx_spec_values():
    np.testing.assert_allclose(beta_approx(64, [5, 11, 15]), [11.39, 6.89, 4.52], atol=0.005)


def test_exponential_approximation_is_anchored_and_linear_in_cos():
    dv = np.arange(12)
    approx = log_exponential_approximation(64, 11, dv)
    assert approx[0] == pytest.approx(math.log(927_740_240_713), abs=1e-9)
    np.testing.assert_allclose(np.diff(approx), -2 * 6.890625 / 64)
