import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import ball_size

import sdmattn


@pytest.mark.parametrize(
    "d, ball, p",
    [(5, 8_303_633, 4.5014085e-13), (11, 927_740_240_713, 5.0292899e-8), (15, 224_723_513_577_529, 1.2182286e-5)],
)
def test_spec_ball_sizes_n64(d, ball, p):
    assert float(sdmattn.log_ball_size(64, d)) == pytest.approx(math.log(ball), abs=1e-12)
    assert float(sdmattn.space_fraction(64, d)) == pytest.approx(p, rel=1e-7)
    assert float(sdmattn.space_fraction(64, d, log=True)) == pytest.approx(math.log(ball) - 64 * math.log(2), abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_ball_size_against_big_integers(data):
    n = data.draw(st.integers(1, 2000))
    d = data.draw(st.integers(0, n))
    assert float(sdmattn.log_ball_size(n, d)) == pytest.approx(math.log(ball_size(n, d)), abs=1e-10)


def quantile_oracle(n: int, p: Fraction) -> int:
    """min{d : B(n, d) / 2^n >= p} in exact integers (p is capped at 1)."""
    p = min(p, Fraction(1))
    acc, scale = 0, 2**n
    for d in range(n + 1):
        acc += math.comb(n, d)
        if acc * p.denominator >= p.numerator * scale:
            return d
    raise AssertionError


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 300), u=st.floats(1e-12, 1.0))
def test_radius_for_fraction_against_exact_rationals(n, u):
    # the documented contract: the exact quantile of some p' within rtol = 16 eps (n+1) below p,
    # up to the table's own rounding (of the same size)
    got, rtol = int(sdmattn.radius_for_fraction(n, u)), Fraction(16 * (n + 1), 2**52)
    assert quantile_oracle(n, Fraction(u) * (1 - 2 * rtol)) <= got <= quantile_oracle(n, Fraction(u) * (1 + rtol))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 300), v=st.floats(1e-15, 0.5))
def test_radius_for_fraction_near_one_against_exact_rationals(n, v):
    u = 1.0 - v  # fractions near 1 go through the upper tail
    got, rtol = int(sdmattn.radius_for_fraction(n, u)), Fraction(16 * (n + 1), 2**52)
    tail = 1 - Fraction(u)  # the exact quantile with the tail 1 - p known to within rtol
    assert quantile_oracle(n, 1 - tail * (1 + 2 * rtol)) <= got <= quantile_oracle(n, 1 - tail * (1 - rtol))


@pytest.mark.parametrize("n, p, exact", [(64, 1.0, 64), (4096, 1.0, 4096), (100, 1.0, 100), (64, 1 - 1e-15, 61)])
def test_radius_for_fraction_at_one(n, p, exact):
    assert int(sdmattn.radius_for_fraction(n, p)) == exact == quantile_oracle(n, Fraction(p))
    assert int(sdmattn.radius_for_fraction(n, p, rtol=0.0)) == exact


def test_radius_for_fraction_paper_values():
    assert int(sdmattn.radius_for_fraction(64, 2.0**-25)) == 11  # p*_SNR
    assert int(sdmattn.radius_for_fraction(64, 1.97993e-13)) == 5  # p*_Mem
    # a computed p(d) maps back to d despite rounding
    for d in (5, 11, 15, 31):
        assert int(sdmattn.radius_for_fraction(64, float(sdmattn.space_fraction(64, d)))) == d


def test_radius_for_fraction_in_log_space():
    # p far below float64's range: n = 4096, log p = -2000
    d = int(sdmattn.radius_for_fraction(4096, log_p=-2000.0))
    logp = sdmattn.log_space_fraction_table(4096)
    assert logp[d] >= -2000.0 > logp[d - 1]
    np.testing.assert_array_equal(sdmattn.radius_for_fraction(64, [0.5, 1e-300]), [32, 0])
    assert int(sdmattn.radius_for_fraction(64, 0.5, rtol=0.0)) == 32


@pytest.mark.parametrize(
    "kwargs, match",
    [({"p": 0.0}, "p must be finite, > 0 and <= 1"), ({"p": 1.5}, "p must be finite, > 0 and <= 1"),
     ({"p": float("nan")}, "p must be finite"), ({"log_p": 0.5}, "log_p must be <= 0"),
     ({"log_p": float("nan")}, "log_p must be <= 0 and not NaN"), ({}, "exactly one")],
)
def test_radius_for_fraction_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sdmattn.radius_for_fraction(64, **kwargs)
