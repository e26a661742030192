"""The random memory as a query sees it (sdmattn.learned.random_memory) against exact oracles: every
memory of a small size enumerated bit by bit, the competitors' product law enumerated count by count,
and the sampler's weighted mean against that exact expectation."""

import itertools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from oracles import competitor_law, counted_memory_loss, enumerated_memory_loss, every_memory_loss
from sdmattn.learned import random_memory as rm
from sdmattn.learned.scale import noise_probabilities


@pytest.mark.parametrize("by_d", [False, True])
@pytest.mark.parametrize("k, g", [(0, 5.0), (2, 3.0), (2, 20.0), (5, 7.0), (8, 2.0)])
def test_expected_error_is_the_mean_over_every_memory(k, g, by_d):
    """Averaging over where the competitors' bits sit is exact: the closed form, per combination of counts
    as NumPy writes it out, and summed over the count law, equals the mean over all 2^16 memories of two
    8-bit competitors, to rounding; with the competitors one by one or grouped by D."""
    n = 8
    xs, ys, _ = competitor_law(n, k)
    combos = np.array(list(itertools.product(range(len(xs)), repeat=2)))
    ov = rm.Overlaps(jnp.full(len(combos), k), jnp.asarray(xs[combos]), jnp.asarray(ys[combos]), jnp.zeros(len(combos)))
    ours = np.exp(np.asarray(rm.log_expected_error(math.log(g), rm.group_competitors(ov, n, by_d), n)))
    np.testing.assert_allclose(ours, counted_memory_loss(n, k, g, xs[combos], ys[combos]), rtol=1e-12)
    assert enumerated_memory_loss(n, 3, k, g) == pytest.approx(every_memory_loss(n, 3, k, g), rel=1e-12)


def test_grouping_by_d_is_exact_at_the_papers_size():
    """The scan's shortcut: 1023 competitors summed into 129 groups of equal D give the same loss and slope
    at every g as the competitors one by one (to rounding), on sampled memories at every noise level."""
    n, m = 64, 1024
    ov = rm.sample_overlaps(jax.random.PRNGKey(2), rm.memory_law(n, m), noise_probabilities(n, 0, n), 64)
    for g in (0.5, 20.0, 70.0, 1000.0):
        one, grouped = (jax.value_and_grad(lambda lg, gr: jnp.sum(jnp.exp(rm.log_expected_error(lg, gr, n))))(math.log(g), gr)
                        for gr in (rm.group_competitors(ov, n), rm.group_competitors(ov, n, by_d=True)))
        # the slope to the loss's own rounding (at g = 0.5 it is 1e-12 of the loss)
        np.testing.assert_allclose(np.asarray(grouped), np.asarray(one), rtol=1e-10, atol=1e-10 * float(one[0]))


def test_strata_cover_the_nearest_competitor_law():
    """P(D_min = d) of the law, summed into its strata, against the enumerated product law of 3
    competitors; the proposal reaches every stratum of positive probability."""
    n, m = 12, 4
    law = rm.memory_law(n, m)
    for k in (0, 3, 7, 12):
        xs, ys, p = competitor_law(n, k)
        stratum = np.zeros(2 * n + 1)
        top = law.top[k]
        for combo in itertools.product(range(len(xs)), repeat=m - 1):
            d = min(xs[i] - ys[i] for i in combo)
            stratum[min(d + n, top)] += np.prod(p[list(combo)])
        proposal = np.diff(law.proposal_cdf[k], prepend=0.0)
        ours = np.where(proposal > 0, np.exp(law.log_weight[k]) * proposal, 0.0)
        np.testing.assert_allclose(ours, stratum, rtol=1e-10, atol=1e-300)
        assert np.all((proposal > 0) == (stratum > 0))


@pytest.mark.parametrize("k_min, k_max", [(4, 4), (0, 8)])
def test_sampler_is_unbiased(k_min, k_max):
    """The importance-weighted mean of the sampled losses is within 4 standard errors of the exact
    expectation (a mixture of k is the mean over its levels), and each query's competitors sit in its
    stratum: the nearest at d exactly (or at or above the top stratum's d)."""
    n, m, g = 16, 4, 12.0
    law = rm.memory_law(n, m)
    probs = noise_probabilities(n, k_min, k_max)
    ov = rm.sample_overlaps(jax.random.PRNGKey(0), law, probs, 100_000)
    f = np.exp(np.asarray(rm.log_expected_error(math.log(g), rm.group_competitors(ov, n), n)) + np.asarray(ov.log_weight))
    exact = np.mean([enumerated_memory_loss(n, m, k, g) for k in range(k_min, k_max + 1)])
    assert abs(f.mean() - exact) < 4 * f.std() / math.sqrt(len(f))
    k, x, y = (np.asarray(a) for a in (ov.k, ov.x, ov.y))
    assert set(np.unique(k)) == set(range(k_min, k_max + 1))
    assert np.all((x >= 0) & (x <= n - k[:, None]) & (y >= 0) & (y <= k[:, None]))


def test_rare_strata_are_drawn_and_weighted():
    """At the size of the paper's memory the nearest competitor is as close as the target (D_min <= 0)
    in about 4% of memories; the sampler draws that five times as often or more, and its weights give back its
    probability (1 - P(D >= 1)^1023, exact) to within 4 standard errors."""
    n, m, k = 64, 1024, 16
    law = rm.memory_law(n, m)
    ov = rm.sample_overlaps(jax.random.PRNGKey(1), law, noise_probabilities(n, k), 20_000)
    close = np.asarray((ov.x - ov.y).min(1) <= 0)
    w = np.exp(np.asarray(ov.log_weight))
    xs, ys, p = competitor_law(n, k)
    exact = 1 - (1 - p[xs - ys <= 0].sum()) ** (m - 1)
    assert close.mean() > 5 * exact
    est = w * close
    assert abs(est.mean() - exact) < 4 * est.std() / math.sqrt(len(est))
    assert abs(w.mean() - 1) < 4 * w.std() / math.sqrt(len(w))


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="m=1"):
        rm.memory_law(64, 1)
