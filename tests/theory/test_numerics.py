"""No NaN or infinity leaks from the library for n up to 10^4, anywhere in each function's domain.

log I is -inf exactly where the intersection is empty (d_v > 2d) and finite elsewhere; everything
else is finite. Out-of-domain arguments are refused with a ValueError, never answered with a NaN.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sdmattn

N_MAX = 10**4
SIZES = [1, 2, 3, 4, 5, 8, 63, 64, 100, 1000, 4096, N_MAX]  # functions compiled per size draw n from these
points = st.integers(1, N_MAX).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n), st.integers(0, n)))
sized_points = st.sampled_from(SIZES).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n), st.integers(0, n)))


@settings(max_examples=60, deadline=None)
@given(points)
def test_log_intersection_is_finite_exactly_where_balls_meet(point):
    n, d, dv = point
    value = float(sdmattn.log_binary_intersection(n, d, dv))
    assert not np.isnan(value) and value != np.inf
    assert np.isfinite(value) == (dv <= 2 * d), (n, d, dv, value)
    assert value <= float(sdmattn.log_ball_size(n, d)) + 1e-9 * max(1.0, abs(value))


@settings(max_examples=60, deadline=None)
@given(points)
def test_ball_sizes_and_fractions_are_finite(point):
    n, d, _ = point
    log_b = float(sdmattn.log_ball_size(n, d))
    log_p = float(sdmattn.space_fraction(n, d, log=True))
    p = float(sdmattn.space_fraction(n, d))
    assert np.isfinite(log_b) and 0.0 <= log_b <= n * np.log(2) * (1 + 1e-12)
    assert np.isfinite(log_p) and log_p <= 1e-12 and 0.0 <= p <= 1.0


@settings(max_examples=30, deadline=None)
@given(n=st.sampled_from(SIZES), u=st.floats(0.0, 1.0))
def test_radius_for_fraction_is_a_radius_for_every_log_fraction(n, u):
    log_p = -u * n * np.log(2)  # from 2^-n (one address) to 1 (the whole space)
    d = int(sdmattn.radius_for_fraction(n, log_p=log_p))
    assert 0 <= d <= n


@settings(max_examples=30, deadline=None)
@given(sized_points)
def test_beta_fits_are_finite_or_refused(point):
    """Both estimators of the log-linear fit (one regression: fit_beta reads either from it) and the
    softmax fit."""
    n, d, _ = point
    for fit in (lambda: sdmattn.beta_regression(n, d), lambda: sdmattn.softmax_fit_beta(n, d)):
        try:
            result = fit()
        except ValueError as err:  # outside the fit's domain: refused with a message
            assert "must be" in str(err) or "need" in str(err), err
            continue
        values = [result.published, result.ols] if isinstance(result, sdmattn.BetaFit) else [result]
        assert all(np.isfinite(float(v)) for v in values), (n, d, values)


@settings(max_examples=30, deadline=None)
@given(sized_points)
def test_normalised_weights_are_a_distribution(point):
    n, d, _ = point
    weights = sdmattn.normalised_weights(sdmattn.log_binary_intersection(n, d, np.arange(n + 1)))
    assert np.all(np.isfinite(weights)) and np.all(weights >= 0) and abs(weights.sum() - 1) < 1e-9


@settings(max_examples=25, deadline=None)
@given(n=st.sampled_from([2, 3, 5, 16, 64, 100, 1000]), m=st.integers(1, 10**7), log2_r=st.one_of(st.none(), st.floats(0, 1.0)))
def test_optimal_radii_and_betas_are_finite(n, m, log2_r):
    """β* is NaN only where documented: no fit exists outside 2 <= d* < n."""
    r = None if log2_r is None else 2.0 ** (log2_r * n)
    opt = sdmattn.optimal_radii(n, m, r)
    assert all(0 <= d <= n for d in opt.d.values()) and 0 <= opt.cd <= n
    assert np.isfinite(opt.z) and all(np.isfinite(v) and v <= 1e-12 for v in opt.log_p.values())
    for estimator in ("published", "ols"):
        for obj, beta in sdmattn.optimal_betas(n, m, r, estimator=estimator).items():
            assert np.isfinite(beta) == (2 <= opt.d[obj] < n), (n, m, r, obj, beta)


@pytest.mark.parametrize("n", [N_MAX])
def test_whole_table_at_the_largest_n(n):
    table = sdmattn.binary_intersection_table(n)
    d, dv = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    assert not np.isnan(table).any() and not (table == np.inf).any()
    assert np.array_equal(np.isfinite(table), dv <= 2 * d)
