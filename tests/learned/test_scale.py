"""The scale-only associative memory (sdmattn.learned.scale) against plain-NumPy oracles: the read and its
loss on a given memory, the exact expected loss over random memories (enumerated, see
oracles), the asymptotics at k = 0, settling, the scan's resolution and the verdicts."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from oracles import enumerated_memory_loss
from sdmattn.learned import scale
from sdmattn.learned.random_memory import memory_law, sample_overlaps

N, M, K = 16, 32, 4  # a given memory for the read's tests
SMALL_M = 3  # random memories small enough to enumerate: two competitors, C(16, k) placements summed exactly
SCHEDULE = scale.ScaleSchedule(steps=300, batch=256, lr=0.3, lr_end=1e-2, window=150, tol=0.05)  # the default schedule


def numpy_loss(P: np.ndarray, targets: np.ndarray, queries: np.ndarray, g: float, W=None) -> np.ndarray:
    """Relative squared error of softmax(g cos(Wq, Wp)) @ P against P[t], written out in NumPy."""
    keys, qs = (P, queries) if W is None else (P @ W.T, queries @ W.T)
    cos = (qs / np.linalg.norm(qs, axis=1, keepdims=True)) @ (keys / np.linalg.norm(keys, axis=1, keepdims=True)).T
    z = g * cos
    w = np.exp(z - z.max(1, keepdims=True))
    w /= w.sum(1, keepdims=True)
    err = w @ P - P[targets]
    return np.sum(err**2, 1) / np.sum(P[targets] ** 2, 1)


@pytest.fixture(scope="module")
def memory() -> np.ndarray:
    return np.where(np.random.default_rng(0).random((M, N)) < 0.5, -1.0, 1.0)


@pytest.fixture(scope="module")
def exact_minimiser() -> float:
    """argmin over g of the exact expected loss at k = K on random memories of SMALL_M patterns: a log
    grid (10% apart), then Brent's method inside the grid cell pair around its minimum (to 1e-6 in log g)."""
    from scipy.optimize import minimize_scalar

    loss = lambda lg: enumerated_memory_loss(N, SMALL_M, K, math.exp(lg))  # noqa: E731
    grid = np.linspace(math.log(2.0), math.log(200.0), 49)
    i = int(np.argmin([loss(lg) for lg in grid]))
    assert 0 < i < len(grid) - 1, "the small memory's optimum must be finite for this test"
    return math.exp(minimize_scalar(loss, bounds=(grid[i - 1], grid[i + 1]), method="bounded", options={"xatol": 1e-6}).x)


def test_read_error_matches_numpy(memory):
    rng = np.random.default_rng(1)
    targets = rng.integers(0, M, 200)
    queries = memory[targets] * np.where(rng.random((200, N)) < 0.2, -1.0, 1.0)
    W = np.asarray(jax.random.normal(jax.random.PRNGKey(2), (N, N)))
    for g in (0.7, 9.0, 60.0):
        ours = np.asarray(scale.read_error(math.log(g), memory, memory, targets, queries))
        np.testing.assert_allclose(ours, numpy_loss(memory, targets, queries, g), rtol=1e-9, atol=1e-12)
        ours = np.asarray(scale.read_error(math.log(g), memory, memory, targets, queries, W))
        np.testing.assert_allclose(ours, numpy_loss(memory, targets, queries, g, W), rtol=1e-9, atol=1e-12)


def test_noise_levels_are_drawn_as_configured():
    """One k, or k uniform over k_min..k_max: the sampled queries' noise levels, within 5 standard deviations."""
    law = memory_law(N, SMALL_M)
    assert set(np.unique(np.asarray(sample_overlaps(jax.random.PRNGKey(3), law, scale.noise_probabilities(N, 5), 500).k))) == {5}
    counts = np.bincount(np.asarray(sample_overlaps(jax.random.PRNGKey(4), law, scale.noise_probabilities(N, 2, 6), 5000).k), minlength=N + 1)
    assert counts[:2].sum() == 0 and counts[7:].sum() == 0
    expected = 5000 / 5
    assert np.all(np.abs(counts[2:7] - expected) < 5 * math.sqrt(expected * 0.8))
    with pytest.raises(ValueError, match="k_min <= k_max"):
        scale.noise_probabilities(N, 6, 2)


def test_k0_loss_keeps_its_slope_where_the_target_weight_rounds_to_one(memory):
    """At k = 0 and large g the read's error is w_ν (p_ν - p_t) for the nearest other pattern ν, so
    log L = -2 g (1 - c) + log(2 (1 - c)) + log(its multiplicity): no underflow, no rounding to 0."""
    target = 0
    cos = memory[1:] @ memory[target] / N
    c = cos.max()
    mult = int(np.sum(cos == c))
    for g in (200.0, 800.0):
        log_loss = float(scale.log_read_error(math.log(g), memory, memory, np.array([target]), memory[[target]])[0])
        expected = -2 * g * (1 - c) + math.log(2 * (1 - c)) + math.log(mult)
        assert abs(log_loss - expected) < 1e-6 * abs(expected)


def test_training_and_scan_find_the_exact_minimiser(exact_minimiser):
    """The done-when check at a small size: g trained alone from below and from above settles within 5%
    of the exact expected loss's minimiser (every memory and noise enumerated), and so does the scan's."""
    probs = np.stack([scale.noise_probabilities(N, K)] * 2)
    sched, law = SCHEDULE, memory_law(N, SMALL_M)
    traj, _ = scale.train_scales(jax.random.PRNGKey(5), law, probs, np.array([2.0, 150.0]), sched)
    st = scale.settle_summary(traj, sched.window, sched.tol)
    assert np.all(st.settled)
    np.testing.assert_allclose(st.g, exact_minimiser, rtol=0.05)
    scan = scale.scan_scales(jax.random.PRNGKey(6), law, probs[:1], 4096, 0.5, 1000.0, 17)
    assert scan.edge[0] == 0
    assert abs(scan.g[0] / exact_minimiser - 1) < 0.05
    assert scale.scale_verdict(st.g, st.drift, st.settled, scan.g[0], 0, 1000.0, 0.05) == "agrees", (st.g, scan.g, exact_minimiser)


def test_noiseless_queries_diverge():
    """k = 0: the loss falls for ever as g grows; the scan's minimum sits at its top, the runs climb out
    of the scanned range from both sides, and the point is reported as diverging, not as a learned g."""
    probs = np.stack([scale.noise_probabilities(N, 0)] * 2)
    sched, law = SCHEDULE, memory_law(N, SMALL_M)
    traj, _ = scale.train_scales(jax.random.PRNGKey(7), law, probs, np.array([2.0, 150.0]), sched)
    st = scale.settle_summary(traj, sched.window, sched.tol)
    scan = scale.scan_scales(jax.random.PRNGKey(8), law, probs[:1], 4096, 0.5, 1000.0, 17)
    assert scan.edge[0] == 1 and np.all(np.diff(scan.loss[0]) < 0)
    assert np.all(traj[:, -1] > traj[:, 0])
    assert scale.scale_verdict(st.g, st.drift, st.settled, scan.g[0], int(scan.edge[0]), 1000.0, 0.05) == "diverges"


def test_refined_scan_on_known_curves():
    """A parabola in log g with its vertex between grid points is found to 1e-6; monotone losses are
    reported at the grid's ends, ties on a flat tail toward the largest g."""
    bowl = lambda lgs: (lgs - math.log(7.3)) ** 2  # noqa: E731
    assert abs(scale.refined_scan(bowl, 0.5, 1000.0, 17)[4] / 7.3 - 1) < 1e-6
    assert scale.refined_scan(lambda lgs: -lgs, 0.5, 1000.0, 17)[5] == 1
    assert scale.refined_scan(lambda lgs: lgs, 0.5, 1000.0, 17)[5] == -1
    assert scale.refined_scan(lambda lgs: jnp.maximum(-lgs, -1.0), 0.5, 1000.0, 17)[5] == 1


def test_resolution_of_a_known_noisy_bowl():
    """Batches whose losses are a parabola a·δ² plus a batch-specific slope ε_b·δ (ε summing to 0): the
    paired excess has mean a·δ² and standard error sd(ε)/√B·|δ|, so the span the sample cannot resolve
    is exactly |δ| <= 2 sd(ε) / (√B a) around the minimiser; it is open where it reaches the grid's end."""
    x = np.linspace(math.log(0.5), math.log(1000.0), 41)
    x0, a = x[20], 0.8
    eps = np.array([-0.3, -0.1, 0.0, 0.1, 0.3, -0.2, 0.2, 0.0])
    batch = a * (x[:, None] - x0) ** 2 + eps[None, :] * (x[:, None] - x0)
    reach = 2 * eps.std(ddof=1) / math.sqrt(len(eps)) / a
    low, high = scale.resolution(x, batch, 20)
    assert math.log(low) == pytest.approx(x0 - reach, abs=1e-12) and math.log(high) == pytest.approx(x0 + reach, abs=1e-12)
    shallow = a / 1e4 * (x[:, None] - x0) ** 2 + eps[None, :] * (x[:, None] - x0)  # the same noise: nothing resolved
    assert scale.resolution(x, shallow, 20) == (0.0, math.inf)


def test_scan_resolution_narrows_with_the_sample():
    """The scan's span contains its minimiser, and a sample 16 times larger resolves it at least twice as
    closely (the standard error falls as 1/sqrt(samples))."""
    probs = scale.noise_probabilities(N, K)[None]
    law = memory_law(N, SMALL_M)
    small = scale.scan_scales(jax.random.PRNGKey(11), law, probs, 512, 0.5, 1000.0, 17)
    large = scale.scan_scales(jax.random.PRNGKey(11), law, probs, 8192, 0.5, 1000.0, 17)
    for scan in (small, large):
        assert scan.low[0] < scan.g[0] < scan.high[0]
    assert math.log(large.high[0] / large.low[0]) < 0.5 * math.log(small.high[0] / small.low[0])


def test_settling_is_measured():
    steps = np.arange(400)
    flat = np.log(20.0) + 0.005 * np.sin(steps)  # jitter around a constant
    ramp = np.log(20.0) + 0.002 * steps  # still climbing: 0.1 over 50 steps
    st = scale.settle_summary(np.stack([flat, ramp]), 100, 0.02)
    assert st.settled.tolist() == [True, False]
    assert abs(st.g[0] / 20.0 - 1) < 0.01 and st.drift[1] == pytest.approx(0.1)


def test_verdicts():
    v = scale.scale_verdict
    assert v(np.array([10.0, 10.2]), np.zeros(2), np.ones(2, bool), 10.1, 0, 1e3, 0.05) == "agrees"
    assert v(np.array([10.0, 12.0]), np.zeros(2), np.ones(2, bool), 10.1, 0, 1e3, 0.05) == "disagrees"
    assert v(np.array([10.0, 10.2]), np.array([0.0, 0.1]), np.array([True, False]), 10.1, 0, 1e3, 0.05) == "disagrees"
    assert v(np.array([5e3, 900.0]), np.array([0.0, 0.3]), np.array([True, False]), 1e3, 1, 1e3, 0.05) == "diverges"
    assert v(np.array([5e3, 900.0]), np.array([0.0, 0.0]), np.array([True, True]), 1e3, 1, 1e3, 0.05) == "disagrees"
    assert v(np.array([0.6, 0.7]), np.array([-0.2, -0.3]), np.zeros(2, bool), 0.5, -1, 1e3, 0.05) == "vanishes"
    # a flat optimum: the scan cannot tell 8 from 13 apart, both runs end in that span (settled or not)
    assert v(np.array([9.0, 12.0]), np.array([0.0, 0.1]), np.array([True, False]), 10.1, 0, 1e3, 0.05, 8.0, 13.0) == "flat"
    assert v(np.array([45.0, 5e4]), np.zeros(2), np.ones(2, bool), 60.0, 0, 1e3, 0.05, 40.0, math.inf) == "flat"
    assert v(np.array([9.0, 14.0]), np.zeros(2), np.ones(2, bool), 10.1, 0, 1e3, 0.05, 8.0, 13.0) == "disagrees"
    # a resolved scan (its span within the agreement) never makes a disagreement flat
    assert v(np.array([9.0, 10.2]), np.zeros(2), np.ones(2, bool), 10.1, 0, 1e3, 0.05, 9.8, 10.4) == "disagrees"


def test_digits_variant():
    """Centred unit digit images; g alone keeps W the identity, with the projection W moves, and the
    loss at the learned W is what NumPy computes from it."""
    from sdmattn.sections.memories import digit_images

    patterns = scale.digit_patterns(digit_images()[:32])
    np.testing.assert_allclose(np.linalg.norm(patterns, axis=1), 1.0)
    sched = scale.ScaleSchedule(steps=12, batch=8, lr=0.1, lr_end=1e-2, window=4, tol=0.02)
    traj, _, W = scale.train_projected_scale(jax.random.PRNGKey(9), patterns, 0.75, np.array([5.0, 5.0]), np.array([False, True]), sched)
    np.testing.assert_array_equal(W[0], np.eye(64))
    assert np.abs(W[1] - np.eye(64)).max() > 1e-3 and np.all(np.isfinite(traj))
    targets, queries = scale.sample_rotated_queries(jax.random.PRNGKey(10), jnp.asarray(patterns), 0.75, 50)
    targets, queries = np.asarray(targets), np.asarray(queries)
    np.testing.assert_allclose(np.sum(queries * patterns[targets], 1), 0.75, atol=1e-12)
    ours = np.asarray(scale.read_error(math.log(20.0), patterns, patterns, targets, queries, W[1]))
    np.testing.assert_allclose(ours, numpy_loss(patterns, targets, queries, 20.0, W[1]), rtol=1e-9)
