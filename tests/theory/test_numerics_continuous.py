"""No NaN or inf leaks from the continuous-SDM, closed-form and Monte Carlo functions for n up to 10^4
over their whole domain (property tests; the binary functions are covered in test_numerics.py)."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmattn import (
    dominant_term,
    fit_beta,
    intersection_bounds,
    log_cap_intersection,
    log_exponential_approximation,
    simulate_binary_intersection,
    simulate_continuous_intersection,
)

SIZES = st.one_of(st.integers(2, 70), st.sampled_from([100, 784, 999, 1000, 4096, 9999, 10_000]))


@st.composite
def caps(draw):
    n = draw(SIZES)
    d = draw(st.one_of(st.integers(0, n), st.sampled_from([0, 1, n // 2, (n + 1) // 2, n - 1, n])))
    cos = draw(st.one_of(st.floats(-1.0, 1.0), st.sampled_from([-1.0, 0.0, 1.0, 1 - 2 / n, np.nextafter(1.0, 0.0)])))
    return n, min(d, n), cos


@settings(max_examples=80, deadline=None)
@given(caps())
def test_cap_overlap_is_a_log_fraction(point):
    n, d, cos = point
    v = float(log_cap_intersection(n, d, cos))
    assert not np.isnan(v) and v <= 1e-12
    theta, half = 2 * np.arcsin(np.sqrt(d / n)), np.arcsin(np.sqrt((1 - cos) / 2))  # cap radius, θ_v / 2
    if 2 * d > n or abs(half - theta) > 1e-9:  # away from the tangent point, -inf exactly where caps miss
        assert (v == -np.inf) == (d == 0 or (2 * d <= n and half >= theta))


@settings(max_examples=40, deadline=None)
@given(caps())
def test_closed_forms_are_finite_where_the_balls_meet(point):
    n, d, _ = point
    dv = np.unique(np.linspace(0, n, 41).astype(int))
    lower, upper = intersection_bounds(n, d, dv)
    log_max, count = dominant_term(n, d, dv)
    meet = dv <= 2 * d
    assert np.all(np.isfinite(lower[meet]) & np.isfinite(upper[meet])) and np.all(lower[~meet] == -np.inf)
    assert np.all(count[meet] >= 1) and np.all(upper >= lower)
    assert np.all(np.isfinite(log_exponential_approximation(n, d, dv)))


@settings(max_examples=20, deadline=None)
@given(n=st.sampled_from([5, 64, 1000, 10_000]), frac=st.floats(0.0, 1.0))
def test_continuous_beta_is_finite(n, frac):
    d = 2 + int(frac * (n - 3))
    assert np.isfinite(fit_beta(n, d, kind="continuous"))


@settings(max_examples=10, deadline=None)
@given(n=st.sampled_from([2, 63, 64, 65, 10_000]), frac=st.floats(0.0, 1.0))
def test_simulated_counts_are_counts(n, frac):
    d = int(frac * n)
    counts = simulate_binary_intersection(n, d, [0, n // 2, n], 1000, 0)
    assert counts.dtype == np.int64 and np.all((counts >= 0) & (counts <= 1000))
    counts = simulate_continuous_intersection(n, d, [1.0, 0.0, -1.0], 200, 0)
    assert np.all((counts >= 0) & (counts <= 200))
