import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import intersection_brute_force, intersection_double_sum, intersection_exact, log_exact

import sdmattn

RTOL = 1e-10  # relative error on the count = absolute error on its log


def assert_log_close(got, exact: int):
    if exact == 0:
        assert got == -np.inf
    else:
        assert abs(got - math.log(exact)) <= RTOL, (got, exact)


@pytest.mark.parametrize("n", range(1, 13))
def test_table_matches_brute_force_enumeration(n):
    brute = intersection_brute_force(n)
    table = sdmattn.binary_intersection_table(n)
    assert table.shape == (n + 1, n + 1)
    for d in range(n + 1):
        for dv in range(n + 1):
            assert_log_close(table[d, dv], brute[d][dv])


def test_every_entry_for_n64_matches_big_integers():
    table = sdmattn.binary_intersection_table(64)
    for d in range(65):
        for dv in range(65):
            assert_log_close(table[d, dv], intersection_double_sum(64, d, dv))


def test_spec_values_n64():
    t = np.exp(sdmattn.binary_intersection_table(64))
    d5 = [8303633, 1274786, 1274786, 231076, 231076, 36022, 36022, 4102, 4102, 252, 252, 0]
    np.testing.assert_allclose(t[5, :12], d5, rtol=1e-12)
    d11 = [927740240713, 311949983890, 311949983890, 131595643438, 131595643438, 56201615872, 56201615872,
           23153386372, 23153386372, 8948445622, 8948445622, 3163160662, 3163160662, 992629222, 992629222,
           265470790, 265470790, 56783740, 56783740, 8649940, 8649940, 705432, 705432, 0]
    np.testing.assert_allclose(t[11, :24], d11, rtol=1e-12)
    w = sdmattn.normalised_weights(sdmattn.binary_intersection_table(64)[11])
    np.testing.assert_allclose(w[:6], [0.4638, 0.1559, 0.1559, 0.0658, 0.0658, 0.0281], atol=5e-5)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_pointwise_matches_double_sum_random(data):
    n = data.draw(st.integers(1, 300))
    d = data.draw(st.integers(0, n))
    dv = data.draw(st.integers(0, n))
    assert_log_close(float(sdmattn.log_binary_intersection(n, d, dv)), intersection_exact(n, d, dv))


@pytest.mark.parametrize("n", [1024, 4096])
def test_large_tables_sampled_against_big_integers(n):
    rng = np.random.default_rng(n)
    table = sdmattn.binary_intersection_table(n)
    d = rng.integers(0, n + 1, 12)
    dv = np.minimum(rng.integers(0, n + 1, 12), 2 * d + 1)
    samples = list(zip(d, dv)) + [(n // 2, n // 2), (n // 4, n // 2), (n // 8, n // 4 - 1), (n - 1, n)]
    for di, dvi in samples:
        assert_log_close(table[di, dvi], intersection_exact(n, int(di), int(dvi)))


def test_broadcasting_and_shape():
    out = sdmattn.log_binary_intersection(64, np.array([[5], [11]]), np.arange(4))
    assert out.shape == (2, 4) and out.dtype == np.float64
    np.testing.assert_allclose(out, sdmattn.binary_intersection_table(64)[[5, 11]][:, :4], atol=1e-12)
    assert sdmattn.log_binary_intersection(64, 11, np.zeros((0, 3), int)).shape == (0, 3)  # nothing asked, nothing given
    rows = sdmattn.log_binary_intersection([[64], [100]], [[11], [40]], np.arange(65))  # two (n, d) rows: the row path
    assert rows.shape == (2, 65)
    for (n, d), row in zip([(64, 11), (100, 40)], rows):
        for dv in (0, 1, 22, 23, 64):
            assert_log_close(row[dv], intersection_exact(n, d, dv))
    mixed = sdmattn.log_binary_intersection([16, 100, 1000], [3, 40, 451], [0, 10, 500])
    for got, (n, d, dv) in zip(mixed, [(16, 3, 0), (100, 40, 10), (1000, 451, 500)]):
        assert_log_close(got, intersection_exact(n, d, dv))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 200), data=st.data())
def test_properties(n, data):
    table = sdmattn.binary_intersection_table(n)
    d = data.draw(st.integers(0, n))
    row = table[d]
    assert abs(row[0] - log_exact(sum(math.comb(n, k) for k in range(d + 1)))) <= RTOL  # I(0) = B(n, d)
    for k in range(1, n // 2 + 1):  # the staircase I(2k-1) = I(2k)
        assert np.exp(row[2 * k - 1] - row[0]) == pytest.approx(np.exp(row[2 * k] - row[0]), rel=1e-10, abs=0)
    if 2 * d < n:  # zero exactly beyond 2d, positive at 2d
        assert np.all(row[2 * d + 1 :] == -np.inf) and np.isfinite(row[2 * d])
    scaled = np.exp(row - row[0])
    assert np.all(np.diff(scaled) <= 1e-12)  # non-increasing in d_v
    column = table[:, data.draw(st.integers(0, n))]
    assert np.all(np.diff(np.exp(column - column[-1])) >= -1e-12)  # non-decreasing in d


@pytest.mark.parametrize(
    "args, match",
    [
        ((0, 0, 0), "n must be >= 1"),
        ((10, 11, 0), "d must be <= n"),
        ((10, -1, 0), "d must be >= 0"),
        ((10, 3, 11), "dv must be <= n"),
        ((10, 3, -2), "dv must be >= 0"),
        ((10.5, 3, 1), "n must be an integer"),
        ((10, 2.5, 1), "d must be an integer"),
        ((10, 3, np.nan), "dv must be an integer"),
        ((10, "3", 1), "d must be an integer"),
    ],
)
def test_bad_arguments_raise(args, match):
    with pytest.raises(ValueError, match=match):
        sdmattn.log_binary_intersection(*args)


@pytest.mark.parametrize("n, match", [(0, "n must be >= 1"), ([4, 5], "n must be a single integer"),
                                      (1e20, "n must be a single integer"), (2**70, "n must be a single integer")])
def test_table_bad_n(n, match):
    with pytest.raises(ValueError, match=match):
        sdmattn.binary_intersection_table(n)


def test_float32_refused():
    import jax

    jax.config.update("jax_enable_x64", False)
    try:
        with pytest.raises(RuntimeError, match="float64"):
            sdmattn.binary_intersection_table(8)
    finally:
        jax.config.update("jax_enable_x64", True)
