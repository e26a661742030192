"""Continuous SDM: the cap overlap against the spec's own formula in 40-digit arithmetic, the spec's
test value, the whole-cap identity, a sum rule, monotonicity and the continuous β fit."""
import math

import numpy as np
import pytest
import scipy.integrate
import scipy.special
from oracles import cap_overlap_spec

from sdmattn import fit_beta, log_cap_fraction, log_cap_intersection, log_continuous_table

# (n, d, cos): interior points, near-disjoint caps, tiny and half-space caps, n up to 1000
SPEC_POINTS = [
    (64, 11, 0.9),
    (64, 11, 0.5),
    (64, 11, -0.1),  # θ_v / 2 within 0.02 rad of θ: the caps barely meet
    (64, 5, 0.8),
    (3, 1, 0.3),
    (100, 30, 0.17),
    (784, 200, 0.7),
    (1000, 451, 0.95),
    (1000, 100, 0.8),  # a fraction of e^-627
    (1000, 451, -0.8),  # near-disjoint at n = 1000
]


@pytest.mark.parametrize("n,d,cos", SPEC_POINTS)
def test_against_spec_formula_in_high_precision(n, d, cos):
    assert log_cap_intersection(n, d, cos) == pytest.approx(cap_overlap_spec(n, d, cos), abs=1e-8)


def test_near_disjoint_caps_against_spec_formula():
    n, d = 1000, 451
    theta = math.acos(1 - 2 * d / n)
    for gap in (1e-2, 1e-3):  # θ_v = 2θ(1 - gap)
        cos = math.cos(2 * theta * (1 - gap))
        assert log_cap_intersection(n, d, cos) == pytest.approx(cap_overlap_spec(n, d, cos), abs=1e-8)


def test_spec_full_cap_value():
    assert math.exp(log_cap_intersection(64, 11, 1.0)) == pytest.approx(1.472727e-9, rel=1e-6)


@pytest.mark.parametrize("n", [2, 3, 7, 64, 100, 1000])
def test_whole_cap_identity(n):
    """At cos = 1 the overlap is the whole cap: ½ I_{sin²θ}((n-1)/2, ½) (scipy), for every radius d <= n/2
    whose cap scipy can represent (mpmath checks a tinier one)."""
    d = np.arange(1, n // 2 + 1)
    c = 1 - 2 * d / n
    whole = 0.5 * scipy.special.betainc((n - 1) / 2, 0.5, 1 - c * c)
    ok = whole > 1e-290
    np.testing.assert_allclose(log_cap_fraction(n, d[ok]), np.log(whole[ok]), rtol=0, atol=1e-10)
    if not ok.all():
        assert log_cap_fraction(n, 1) == pytest.approx(cap_overlap_spec(n, 1, 1.0), abs=1e-8)
    np.testing.assert_array_equal(log_cap_intersection(n, d, 1.0), log_cap_fraction(n, d))


def test_disjoint_and_degenerate_caps():
    n, d = 64, 11
    theta = math.acos(1 - 2 * d / n)
    assert log_cap_intersection(n, d, math.cos(2 * theta + 1e-9)) == -math.inf
    assert log_cap_intersection(n, d, -1.0) == -math.inf
    assert log_cap_intersection(n, 0, 1.0) == -math.inf  # a point has no area
    assert log_cap_intersection(n, n, -1.0) == 0.0  # the whole sphere
    assert log_cap_intersection(2, 1, 0.0) == pytest.approx(math.log(0.25))  # two half-circles at 90°


@pytest.mark.parametrize("n,d", [(7, 2), (7, 5), (64, 11), (64, 40), (1000, 451), (1000, 700)])
def test_sum_rule(n, d):
    """Averaged over the cosine of two independent uniform vectors, the overlap is the cap fraction
    squared: ∫ F(t) (1-t²)^{(n-3)/2} dt / B(½, (n-1)/2) = F_cap² (wide caps d > n/2 included)."""
    log_norm = math.log(scipy.special.beta(0.5, (n - 1) / 2))

    def density(t):
        return math.exp(float(log_cap_intersection(n, d, t)) + (n - 3) / 2 * math.log1p(-t * t) - log_norm)

    c = 1 - 2 * d / n
    edge = math.cos(2 * math.acos(c)) if c > 0 else -1.0  # the support's end, a kink
    total, _ = scipy.integrate.quad(density, max(edge, -1.0), 1.0, points=[0.0], limit=400, epsabs=0, epsrel=1e-11)
    assert math.log(total) == pytest.approx(2 * float(log_cap_fraction(n, d)), abs=1e-8)


def test_monotone_in_cos_and_radius():
    n = 100
    cos = np.linspace(-1, 1, 401)
    table = log_cap_intersection(n, np.arange(n + 1)[:, None], cos[None, :])
    finite = np.isfinite(table)
    assert np.all(np.diff(np.where(finite, table, -1e300), axis=1) >= -1e-12)  # wider apart: less overlap
    assert np.all(np.diff(np.where(finite, table, -1e300), axis=0) >= -1e-12)  # bigger caps: more overlap
    assert not np.any(np.isnan(table)) and np.all(table <= 1e-15)


def test_wider_support_than_binary():
    """The spec: at n = 64, d = 11 the continuous overlap reaches d_v = 36, the binary one d_v = 22."""
    row = log_continuous_table(64, 11)
    assert np.isfinite(row[36]) and not np.isfinite(row[37])


def test_continuous_beta_fit_is_a_steeper_exponential():
    """Caps decay faster in cos than balls at the same radius (and both fits are positive and finite)."""
    for d in (5, 11, 15):
        binary, continuous = fit_beta(64, d, "ols"), fit_beta(64, d, "ols", kind="continuous")
        assert 0 < binary < continuous < np.inf
    with pytest.raises(ValueError, match="kind"):
        fit_beta(64, 11, kind="spherical")


@pytest.mark.parametrize(
    "args,match",
    [((1, 0, 1.0), "n must be >= 2"), ((64, 65, 1.0), "d must be <= n"), ((64, 11, 1.5), "cos"),
     ((64, 11, float("nan")), "cos"), ((64, 2.5, 1.0), "d must be")],
)
def test_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        log_cap_intersection(*args)
