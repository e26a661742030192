import math

import numpy as np
import pytest
import scipy.optimize
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import intersection_exact

import sdmattn

SPEC = [  # n = 64: d, published, least squares
    (5, 35.4848, 28.3878),
    (11, 15.8528, 14.4116),
    (15, 10.1104, 9.4364),
]


@pytest.mark.parametrize("d, published, ols", SPEC)
def test_spec_betas(d, published, ols):
    assert round(float(sdmattn.fit_beta(64, d)), 4) == published
    assert round(float(sdmattn.fit_beta(64, d, estimator="published")), 4) == published
    assert round(float(sdmattn.fit_beta(64, d, estimator="ols")), 4) == ols


def test_vectorised_over_radii():
    betas = sdmattn.fit_beta(64, [5, 11, 15])
    np.testing.assert_allclose(betas, [p for _, p, _ in SPEC], atol=5e-5)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_regression_against_numpy_polyfit_on_exact_counts(data):
    n = data.draw(st.integers(8, 300))
    d = data.draw(st.integers(2, (n - 1) // 2))
    x = 1.0 - 2.0 * np.arange(d) / n
    y = np.array([math.log(intersection_exact(n, d, dv)) for dv in range(d)])
    slope, intercept = np.polyfit(x, y, 1)
    fit = sdmattn.beta_regression(n, d)
    assert float(fit.ols) == pytest.approx(slope, rel=1e-9)
    assert float(fit.intercept) == pytest.approx(intercept, rel=1e-9, abs=1e-9)
    # the paper's estimator: Cov with ddof=1 over Var with ddof=0
    assert float(fit.published) == pytest.approx(np.cov(x, y, ddof=1)[0, 1] / np.var(x), rel=1e-9)
    assert float(fit.published) / float(fit.ols) == pytest.approx(d / (d - 1), rel=1e-12)
    resid = y - (intercept + slope * x)
    assert float(fit.max_abs_log_residual) == pytest.approx(np.abs(resid).max(), abs=1e-8)
    assert float(fit.r2) == pytest.approx(1 - resid @ resid / np.sum((y - y.mean()) ** 2), abs=1e-9)
    assert 0.0 <= float(fit.r2) <= 1.0


@pytest.mark.parametrize("n, d", [(64, 5), (64, 11), (64, 15), (100, 20), (1000, 451)])
def test_softmax_fit_against_scipy_bounded_minimisation(n, d):
    counts = [intersection_exact(n, d, dv) for dv in range(n + 1)]
    total = sum(counts)
    w = np.array([c / total for c in counts])  # exact division of big ints, then float
    x = 1.0 - 2.0 * np.arange(n + 1) / n

    def mse(b):
        z = b * x
        p = np.exp(z - z.max())
        return np.mean((p / p.sum() - w) ** 2)

    ref = scipy.optimize.minimize_scalar(mse, bounds=(1e-3, 10 * n), method="bounded", options={"xatol": 1e-10})
    got = float(sdmattn.softmax_fit_beta(n, d))
    assert got == pytest.approx(ref.x, rel=1e-6)
    assert mse(got) <= mse(ref.x) * (1 + 1e-9)


def test_spec_softmax_fit_reasonable():
    # the softmax fit is an independent estimate: same order as the regression, above it for n = 64
    for d, published, ols in SPEC:
        s = float(sdmattn.softmax_fit_beta(64, d))
        assert ols < s < 2 * published


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: sdmattn.fit_beta(64, 11, estimator="median"), "estimator must be one of"),
        (lambda: sdmattn.fit_beta(64, 1), "d must be >= 2"),
        (lambda: sdmattn.fit_beta(64, 64), "d must be <= 63"),
        (lambda: sdmattn.fit_beta(2, 1), "n must be >= 3"),
        (lambda: sdmattn.softmax_fit_beta(64, 0), "d must be >= 1"),
        (lambda: sdmattn.fit_beta(64, 5.5), "d must be an integer"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_the_two_fit_ranges_of_the_paper():
    """Its figures fit over d_v = 0..d-1, its β-against-d table over 1..d (published estimator, both)."""
    from sdmattn.theory.beta import log_weights, regress_log_intersection

    radii = np.array([5, 11, 15])
    rows = log_weights(64, radii)
    assert [round(float(b), 3) for b in regress_log_intersection(rows, radii).published] == [35.485, 15.853, 10.110]
    assert [round(float(b), 3) for b in regress_log_intersection(rows, radii, first=1).published] == [35.362, 15.868, 10.123]
