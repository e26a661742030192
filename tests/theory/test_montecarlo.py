"""Explicit-neuron Monte Carlo: the packed kernel against brute force, and the counts against the exact
expectations within binomial intervals, with a negative control showing the check has power."""
import numpy as np
import pytest

from sdmattn import (
    binomial_interval,
    log_binary_intersection,
    log_cap_intersection,
    outside_interval_pvalue,
    simulate_binary_intersection,
    simulate_continuous_intersection,
)
from sdmattn.theory.montecarlo import hamming_distances, pack_bits

LOG2 = np.log(2.0)


@pytest.mark.parametrize("n", [1, 63, 64, 65, 130, 1000])
def test_packed_distances_against_brute_force(n):
    rng = np.random.default_rng(n)
    a, b = rng.integers(0, 2, (37, n)).astype(bool), rng.integers(0, 2, (5, n)).astype(bool)
    packed = pack_bits(a)
    little = np.packbits(a, axis=1, bitorder="little")  # numpy's own packing, bytes of 8 bits
    np.testing.assert_array_equal(np.asarray(packed).view(np.uint8)[:, : little.shape[1]], little)
    expected = (a[:, None, :] != b[None, :, :]).sum(-1)
    np.testing.assert_array_equal(hamming_distances(packed, pack_bits(b)), expected)


def check_counts(counts, r, log_p, level=0.99):
    lo, hi = binomial_interval(r, log_p, level)
    outside = int(np.sum((counts < lo) | (counts > hi)))
    return outside, outside_interval_pvalue(outside, counts.size, level)


@pytest.mark.parametrize("n,d,seed", [(16, 5, 0), (64, 27, 1), (64, 22, 2), (1000, 451, 3)])
def test_binary_counts_match_exact_expectation(n, d, seed):
    r = 200_000
    dv = np.arange(0, min(2 * d + 2, n + 1))
    counts = simulate_binary_intersection(n, d, dv, r, seed)
    log_p = log_binary_intersection(n, d, dv) - n * LOG2
    outside, pvalue = check_counts(counts, r, log_p)
    assert pvalue > 1e-3, (outside, dv.size)
    assert np.all(counts[dv > 2 * d] == 0)
    # negative control: the same counts are far outside the intervals of the neighbouring radius
    outside_wrong, pvalue_wrong = check_counts(counts, r, log_binary_intersection(n, d + 1, dv) - n * LOG2)
    assert pvalue_wrong < 1e-6, outside_wrong


def test_binary_total_matches_over_many_neurons():
    """r = 10^7 at n = 1000 (chunked): the pooled count over d_v agrees with sum r I / 2^n within 4 sigma."""
    n, d, r = 1000, 451, 10**7
    dv = np.array([0, 1, 10, 50, 100, 150, 200, 300, 400, 500])
    counts = simulate_binary_intersection(n, d, dv, r, 7)
    expected = r * np.exp(log_binary_intersection(n, d, dv) - n * LOG2)
    assert abs(counts.sum() - expected.sum()) < 4 * np.sqrt(expected.sum())
    assert counts.shape == dv.shape and counts.dtype == np.int64


@pytest.mark.parametrize("n,d,seed", [(64, 27, 4), (64, 22, 5), (200, 80, 6)])
def test_continuous_counts_match_cap_overlap(n, d, seed):
    r = 100_000
    cos = np.linspace(1.0, -0.2, 25)
    counts = simulate_continuous_intersection(n, d, cos, r, seed)
    outside, pvalue = check_counts(counts, r, log_cap_intersection(n, d, cos))
    assert pvalue > 1e-3, outside
    _, pvalue_wrong = check_counts(counts, r, log_cap_intersection(n, d + 2, cos))
    assert pvalue_wrong < 1e-6


def test_reproducible_and_seeded():
    a = simulate_binary_intersection(64, 27, [0, 5, 9], 50_000, 11)
    np.testing.assert_array_equal(a, simulate_binary_intersection(64, 27, [0, 5, 9], 50_000, 11))
    assert not np.array_equal(a, simulate_binary_intersection(64, 27, [0, 5, 9], 50_000, 12))


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: simulate_binary_intersection(64, 65, [0], 10, 0), "d must be <= n"),
        (lambda: simulate_binary_intersection(64, 11, [70], 10, 0), "dv must be <= n"),
        (lambda: simulate_binary_intersection(64, 11, [0], 0, 0), "r must be >= 1"),
        (lambda: simulate_binary_intersection(64, 11, [0], 10, -1), "seed must be >= 0"),
        (lambda: simulate_continuous_intersection(64, 11, [1.2], 10, 0), "cos"),
        (lambda: simulate_continuous_intersection(1, 0, [1.0], 10, 0), "n must be >= 2"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_stage_check_passes_on_the_formulas_and_fails_on_a_wrong_radius(monkeypatch):
    from sdmattn.sections import continuous as validation

    ds = validation.monte_carlo_dataset(64, 50_000, [23, 27], 12, seed=3)
    assert ds.sizes["point"] == 48 and set(ds["kind"].values) == {"binary", "continuous"}
    validation.check_monte_carlo(ds, 1e-3, "ok")  # no exception
    right = validation._log_probability
    monkeypatch.setattr(validation, "_log_probability", lambda kind, n, d, dv: right(kind, n, d + 1, dv))
    wrong = validation.monte_carlo_dataset(64, 50_000, [23, 27], 12, seed=3)
    with pytest.raises(validation.MonteCarloMismatch, match=r"run 'bad' \(n=64, r=50000\): \d+ of 48 counts fall outside"):
        validation.check_monte_carlo(wrong, 1e-3, "bad")
