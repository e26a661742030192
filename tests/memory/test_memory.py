"""Associative memories: the neuron SDM against a brute-force NumPy memory, the pattern-view reads
against direct formulas, the noise models, iterated recall, the agreement of explicit neurons with
their pattern view, attention against SDM, bad inputs, and the recall tables' helpers."""
import math

import jax
import numpy as np
import pytest
import xarray as xr
from oracles import intersection_exact

from sdmattn import (
    ActiveOverflow,
    NeuronSDM,
    binary_attention,
    binary_sdm,
    continuous_attention,
    continuous_sdm,
    fit_beta,
    flip_bits,
    log_cap_intersection,
    recall,
    recall_cosine,
    rotate_to_cosine,
)
from sdmattn.memory.neuron_sdm import active_bound, counter_dtype
from sdmattn.pipeline.config import ConfigError, compose
from sdmattn.sections.memories import (
    PATTERN_MODELS,
    RecallSetting,
    load_patterns,
    noisy_queries,
    paired_agreement,
    recall_limit,
    recall_table,
)

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def unpack(packed: np.ndarray, n: int) -> np.ndarray:
    """Packed (rows, w) uint64 addresses as (rows, n) bools (bit i in word i // 64, position i % 64)."""
    bits = (packed[:, :, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)
    return bits.reshape(packed.shape[0], -1)[:, :n].astype(bool)


class BruteForceSDM:
    """The teaching-notebook memory: a 0/1 array of neuron addresses, a distance per neuron, int counters."""

    def __init__(self, neurons: np.ndarray, d: int):
        self.neurons, self.d = neurons, d
        self.counters = np.zeros(neurons.shape, dtype=np.int64)

    def active(self, x):
        return np.flatnonzero((self.neurons != x).sum(axis=1) <= self.d)

    def write(self, addresses, data):
        for a, x in zip(addresses, data):
            self.counters[self.active(a)] += np.where(x, 1, -1)

    def read(self, queries):
        out = []
        for q in queries:
            s = self.counters[self.active(q)].sum(axis=0)
            out.append(np.where(s > 0, True, np.where(s < 0, False, q)))
        return np.array(out)


@pytest.mark.parametrize("n,r,d,m,seed", [(32, 500, 12, 40, 0), (70, 777, 28, 30, 1), (32, 500, 32, 5, 2), (32, 500, 0, 5, 3)])
def test_neuron_sdm_matches_brute_force(n, r, d, m, seed):
    rng = np.random.default_rng(seed)
    sdm = NeuronSDM(n, r, d, seed=seed, max_writes=2 * m)
    ref = BruteForceSDM(unpack(np.asarray(sdm.addresses), n), d)
    for _ in range(2):  # two batches of writes: counters accumulate
        addresses, data = rng.integers(0, 2, (2, m, n)).astype(bool)
        sdm.write(addresses, data)
        ref.write(addresses, data)
    np.testing.assert_array_equal(np.asarray(sdm.counters[:r]), ref.counters)
    assert not np.asarray(sdm.counters[r]).any()  # the padding row stays empty
    queries = np.concatenate([addresses[:5], rng.integers(0, 2, (20, n)).astype(bool)])
    np.testing.assert_array_equal(np.asarray(sdm.read(queries)), ref.read(queries))
    assert sdm.counters.dtype == np.int8 and sdm.writes == 2 * m


def test_neuron_sdm_autoassociative_and_addresses_are_uniform():
    n, r = 64, 4000
    sdm = NeuronSDM(n, r, 20, seed=4)
    bits = unpack(np.asarray(sdm.addresses), n)
    assert bits.shape == (r, n) and abs(bits.mean() - 0.5) < 0.01  # 256,000 fair bits: 0.5 ± 0.001
    patterns = np.random.default_rng(5).integers(0, 2, (3, n)).astype(bool)
    sdm.write(patterns)  # data defaults to the addresses
    np.testing.assert_array_equal(np.asarray(sdm.read(patterns)), patterns)


def test_counter_type_and_active_bound():
    names = [np.dtype(counter_dtype(m)).name for m in (1, 127, 128, 32767, 32768, 2**31)]
    assert names == ["int8", "int8", "int16", "int16", "int32", "int64"]
    from scipy.stats import binom

    r, p = 10**6, 0.001
    k = active_bound(r, math.log(p))
    assert binom.sf(k, r, p) <= 1e-15 < binom.sf(k - 1, r, p)  # the smallest K with tail <= 1e-15
    assert active_bound(500, 0.0) == 500  # every neuron active: K = r
    tiny = active_bound(500, -32 * math.log(2))  # p = 2^-32: no quantile search needed to bracket it
    assert binom.sf(tiny, 500, 2.0**-32) <= 1e-15 < binom.sf(tiny - 1, 500, 2.0**-32)


def test_overflow_is_refused_not_truncated():
    n, r = 32, 500
    sdm = NeuronSDM(n, r, 16, seed=0)
    sdm.bound = 5  # far below the ~ 0.57 r neurons a radius of n/2 activates
    with pytest.raises(ActiveOverflow, match="bound=5"):
        sdm.write(np.zeros((3, n), bool))
    assert sdm.writes == 0 and not np.asarray(sdm.counters).any()  # nothing was written
    sdm.bound = r
    sdm.write(np.zeros((1, n), bool))
    sdm.bound = 5
    with pytest.raises(ActiveOverflow, match="bound=5"):
        sdm.read(np.zeros((1, n), bool))


def test_max_writes_and_large_memory_types():
    sdm = NeuronSDM(16, 100, 4, max_writes=3)
    sdm.write(np.ones((3, 16), bool))
    with pytest.raises(ValueError, match="max_writes=3 allows 0 more writes"):
        sdm.write(np.ones((1, 16), bool))
    assert NeuronSDM(1000, 10**6, 451).counters.dtype == np.int16  # 2 GB: the memory


@pytest.fixture(scope="module")
def kanerva_sdm():
    """Kanerva's memory, n = 1000, r = 10^6 neurons, d = 451, with m = 1024 random patterns written at
    once (2 GB of counters: built once for the tests below). Yields (sdm, patterns, donated): whether
    the write updated the counters in place (their old buffer donated, not copied)."""
    n, m, d, r = 1000, 1024, 451, 10**6
    patterns = np.random.default_rng(11).integers(0, 2, (m, n)).astype(bool)
    sdm = NeuronSDM(n, r, d, seed=12)
    before = sdm.counters
    sdm.write(patterns)
    yield sdm, patterns, before.is_deleted()
    del sdm


def test_neuron_sdm_at_kanerva_scale_recalls_and_writes_in_place(kanerva_sdm):
    """n = 1000, r = 10^6, m = 1024 writes: stored patterns read back exactly; counters stay one buffer."""
    sdm, patterns, donated = kanerva_sdm
    assert donated  # updated in place, not copied
    got = np.asarray(sdm.read(patterns[:32]))
    assert (got == patterns[:32]).mean() > 0.999


def weighted_vote(weights: np.ndarray, values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    vote = weights @ np.where(values, 1.0, -1.0)
    return np.where(vote > 0, True, np.where(vote < 0, False, queries))


def test_binary_pattern_reads_against_direct_formulas():
    n, m, d = 16, 25, 4
    rng = np.random.default_rng(7)
    keys, values = rng.integers(0, 2, (2, m, n)).astype(bool)
    queries = rng.integers(0, 2, (40, n)).astype(bool)
    dv = (queries[:, None, :] != keys[None, :, :]).sum(-1)
    exact = np.vectorize(lambda v: float(intersection_exact(n, d, int(v))))(dv)
    np.testing.assert_array_equal(np.asarray(binary_sdm(keys, values, d=d).read(queries)), weighted_vote(exact, values, queries))
    beta = 7.5
    soft = np.exp(beta * (1 - 2 * dv / n))
    np.testing.assert_array_equal(np.asarray(binary_attention(keys, values, beta=beta).read(queries)),
                                  weighted_vote(soft, values, queries))


def test_sampled_neurons_are_binomial_counts():
    """With r neurons sampled, one read of a query at distance d_v from a single pattern flips to it iff
    the Binomial(r, I/2^n) count is > 0: the empirical rate matches 1 - (1 - I/2^n)^r."""
    n, d, r, dv = 16, 4, 50, 3
    key = np.zeros((1, n), bool)
    value = np.ones((1, n), bool)
    query = np.zeros((2000, n), bool)
    query[:, :dv] = True  # distance dv from the key, its other bits 0: a positive count sets them to 1
    mem = binary_sdm(key, value, d=d, neurons=r, sample=True)
    rate = np.asarray(mem.read(query, jax.random.key(3)))[:, -1].mean()
    p = intersection_exact(n, d, dv) / 2**n
    expected = 1 - (1 - p) ** r
    assert abs(rate - expected) < 4 * math.sqrt(expected * (1 - expected) / 2000), (rate, expected)


def test_continuous_pattern_reads_against_direct_formulas():
    n, m, d = 64, 30, 11
    rng = np.random.default_rng(8)
    unit = lambda a: a / np.linalg.norm(a, axis=1, keepdims=True)  # noqa: E731
    keys, values = unit(rng.normal(size=(m, n))), unit(rng.normal(size=(m, n)))
    queries = unit(keys[:10] + 0.3 * rng.normal(size=(10, n)))
    cos = queries @ keys.T
    weights = np.exp(log_cap_intersection(n, d, cos))
    direct = unit(weights @ values)
    got = np.asarray(continuous_sdm(keys, values, d=d).read(queries))
    np.testing.assert_allclose(got, direct, atol=1e-5)  # the tabulated log F, interpolated
    beta = 12.0
    soft = unit(np.exp(beta * cos) @ values)
    np.testing.assert_allclose(np.asarray(continuous_attention(keys, values, beta=beta).read(queries)), soft, atol=1e-12)


def test_reads_that_reach_no_pattern_return_the_query():
    n = 64
    keys = np.zeros((1, n), bool)
    far = np.ones((3, n), bool)  # distance 64 > 2d: outside every intersection
    np.testing.assert_array_equal(np.asarray(binary_sdm(keys, d=5).read(far)), far)
    units = np.eye(n)[:1]
    opposite = -np.eye(n)[:1]
    np.testing.assert_array_equal(np.asarray(continuous_sdm(units, d=5).read(opposite)), opposite)


def test_flip_bits_flips_exactly_k_distinct_uniform_bits():
    n, rows = 50, 4000
    bits = np.zeros((rows, n), bool)
    k = np.arange(rows) % (n + 1)
    out = np.asarray(flip_bits(jax.random.key(0), bits, k))
    np.testing.assert_array_equal(out.sum(axis=1), k)
    freq = out[k == 10].mean(axis=0)  # each position flipped with probability 10/50
    rows_10 = int((k == 10).sum())
    assert np.all(np.abs(freq - 0.2) < 5 * math.sqrt(0.2 * 0.8 / rows_10))
    assert np.asarray(flip_bits(jax.random.key(0), np.zeros((2, n), np.uint8), 3)).dtype == np.uint8


def test_rotate_to_cosine_is_exact_and_unit():
    rng = np.random.default_rng(9)
    x = rng.normal(size=(100, 64))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    cos = np.linspace(-1, 1, 100)
    y = np.asarray(rotate_to_cosine(jax.random.key(1), x, cos))
    np.testing.assert_allclose(np.sum(x * y, axis=1), cos, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(y, axis=1), 1.0, atol=1e-12)
    z = np.asarray(rotate_to_cosine(jax.random.key(2), np.repeat(x[:1], 500, 0), 0.0))
    assert abs(z.mean(axis=0) @ x[0]) < 1e-9 and np.linalg.norm(z.mean(axis=0)) < 0.15  # orthogonal, no preferred direction


def low_load(n=64, m=20, seed=10):
    bits = np.random.default_rng(seed).integers(0, 2, (m, n)).astype(bool)
    return bits, np.where(bits, 1.0, -1.0) / math.sqrt(n)


@pytest.mark.parametrize("model", ["sdm", "sampled", "attention", "csdm", "cattention", "neuron"])
def test_noiseless_stored_pattern_is_recalled_exactly_at_low_load(model):
    bits, units = low_load()
    n, d = 64, 11
    build = {
        "sdm": lambda: binary_sdm(bits, d=d),
        "sampled": lambda: binary_sdm(bits, d=d, neurons=1e6, sample=True),
        "attention": lambda: binary_attention(bits, beta=float(fit_beta(n, d))),
        "csdm": lambda: continuous_sdm(units, d=d),
        "cattention": lambda: continuous_attention(units, beta=float(fit_beta(n, d, kind="continuous"))),
        "neuron": lambda: _neuron(bits, n, d),
    }
    memory = build[model]()
    target = bits if memory.kind == "binary" else units
    out = recall(memory, target, jax.random.key(0))
    np.testing.assert_allclose(recall_cosine(out.queries, target), 1.0, atol=1e-12)
    assert np.all(np.asarray(out.converged)) and np.all(np.asarray(out.steps) <= 2)


def _neuron(bits, n, d):
    sdm = NeuronSDM(n, 20000, 22, seed=0)  # p(22) ~ 0.0066: ~130 neurons per address
    sdm.write(bits)
    return sdm


def test_recall_degrades_with_k():
    setting = RecallSetting("t", "random", 64, 1024, None)
    ds = recall_table(setting, ["sdm_binary", "sdm_continuous"], {"snr": 11}, [0, 8, 16, 20, 24, 32], 48, 1)
    mean = ds["cosine"].mean(("repeat", "query")).sel(radius="snr")
    np.testing.assert_allclose(mean.isel(k=0), 1.0, atol=1e-12)  # noiseless queries come back exactly
    assert np.all(mean.diff("k") <= 0.02)  # never better with more noise (up to sampling noise)
    assert np.all(mean.isel(k=-1) < 0.2)  # half the bits flipped: nothing left to recall


def test_neuron_sdm_agrees_with_its_pattern_view_within_binomial_noise(kanerva_sdm):
    """r = 10^6, n = 1000, m = 1024: one read from queries 350 bits from their targets. The paired
    difference of the recall cosine between the neuron SDM and finite-neuron sampling is within
    4 standard errors (its spread over 256 queries); the same tolerance rejects the infinite-neuron
    expectation and a neighbouring radius (the check has power)."""
    sdm, patterns, _ = kanerva_sdm
    d, r, k, q = sdm.d, sdm.r, 350, 256
    target = patterns[:q]
    queries = np.asarray(flip_bits(jax.random.key(13), target, k))
    neuron = recall_cosine(sdm.read(queries), target)

    def z(memory):
        diff = neuron - recall_cosine(memory.read(queries, jax.random.key(14)), target)
        return diff.mean() / (diff.std(ddof=1) / math.sqrt(q))

    assert abs(z(binary_sdm(patterns, d=d, neurons=r, sample=True))) < 4
    assert abs(z(binary_sdm(patterns, d=d))) > 4  # r I / 2^n without binomial noise
    assert abs(z(binary_sdm(patterns, d=d - 4, neurons=r, sample=True))) > 4


def test_attention_tracks_sdm_at_n64():
    """n = 64, m = 1024 random patterns, d = d*_SNR = 11: attention with β fitted to SDM stays within a
    mean absolute distance of 0.05 (and 0.15 at every k) of SDM's recall curve, binary and continuous;
    attention with a third of that β does not."""
    setting = RecallSetting("t", "random", 64, 1024, None)
    k = [0, 4, 8, 12, 16, 20, 24, 28, 32]
    ds = recall_table(setting, PATTERN_MODELS, {"snr": 11}, k, 96, 2)
    mean = ds["cosine"].mean(("repeat", "query")).sel(radius="snr")
    for attention, sdm in (("attention_binary", "sdm_binary"), ("attention_continuous", "sdm_continuous")):
        gap = np.abs(mean.sel(model=attention) - mean.sel(model=sdm))
        assert float(gap.mean()) < 0.05 and float(gap.max()) < 0.15, (attention, gap.values)
    bits, _ = load_patterns(setting, jax.random.key(0))
    weak = binary_attention(bits, beta=float(ds["beta_binary"].sel(radius="snr")) / 3)
    curve = []
    for kk in k:
        target, queries, _ = noisy_queries(jax.random.key(kk), bits, bits.astype(float), kk, 96)
        curve.append(recall_cosine(recall(weak, queries).queries, bits[target]).mean())
    assert float(np.abs(np.array(curve) - mean.sel(model="sdm_binary").values).mean()) > 0.05


def test_paired_queries_do_not_depend_on_how_many():
    setting = RecallSetting("t", "random", 64, 100, None)
    bits, units = load_patterns(setting, jax.random.key(0))
    t8, b8, u8 = noisy_queries(jax.random.key(1), bits, units, 5, 8)
    t3, b3, u3 = noisy_queries(jax.random.key(1), bits, units, 5, 3)
    np.testing.assert_array_equal(t8[:3], t3)
    np.testing.assert_array_equal(b8[:3], b3)
    np.testing.assert_array_equal(u8[:3], u3)
    np.testing.assert_array_equal((b8 != bits[t8]).sum(1), 5)
    np.testing.assert_allclose(np.sum(u8 * units[t8], axis=1), 1 - 10 / 64, atol=1e-12)


def test_digits_are_binarised_and_normalised():
    setting = RecallSetting("d", "digits", 64, 300, None)
    bits, units = load_patterns(setting, jax.random.key(0))
    assert bits.shape == units.shape == (300, 64) and bits.dtype == bool
    np.testing.assert_allclose(np.linalg.norm(units, axis=1), 1.0)
    assert np.all(units >= 0) and np.all(units[bits] > 0)  # an inked bit is a pixel with intensity
    assert 0.2 < bits.mean() < 0.5  # strokes cover a minority of the 8x8 pixels
    with pytest.raises(ValueError, match="digits need n = 64"):
        RecallSetting("d", "digits", 100, 300, None)


def test_recall_limit_and_paired_agreement_on_known_tables():
    cos = np.array([[1.0, 0.99, 0.96, 0.9, 0.97]])  # mean per k over a single query
    ds = xr.Dataset({"cosine": (("model", "radius", "k", "repeat", "query"), cos[:, None, :, None, None].repeat(2, 3))},
                    coords={"model": ["a"], "radius": ["snr"], "k": [0, 1, 2, 3, 4]})
    assert int(recall_limit(ds, 0.95).sel(model="a", radius="snr")) == 2  # stops at the first failure
    assert int(recall_limit(ds, 1.5).sel(model="a", radius="snr")) == -1
    pair = np.stack([np.zeros((1, 1, 50)), np.r_[np.full(25, 0.1), np.full(25, -0.1)][None, None]])
    pair[0, 0, 0, :] += 0.5
    table = xr.Dataset({"cosine": (("model", "radius", "k", "repeat", "query"), pair[:, :, :, None, :])},
                       coords={"model": ["x", "y"], "radius": ["snr"], "k": [0]})
    agree = paired_agreement(table, "x", "y", z=4.0).squeeze()
    assert float(agree["difference"]) == pytest.approx(0.5) and not bool(agree["agree"])
    assert float(agree["se"]) == pytest.approx(np.std(0.5 - pair[1].ravel(), ddof=1) / math.sqrt(50))


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: NeuronSDM(32, 100, 33), "d must be <= n"),
        (lambda: binary_sdm(np.zeros((3, 8), bool), d=9), "d must be <= n"),
        (lambda: continuous_sdm(np.eye(8)[:2], d=9), "d must be <= n"),
        (lambda: NeuronSDM(32, 100, 5).write(np.zeros((2, 31), bool)), r"addresses must be a \(rows, n\) array with n = 32"),
        (lambda: NeuronSDM(32, 100, 5).write(np.zeros((2, 32), bool), np.zeros((2, 33), bool)), "data must be"),
        (lambda: NeuronSDM(32, 100, 5).write(np.zeros((2, 32), bool), np.zeros((3, 32), bool)), "one row per address"),
        (lambda: NeuronSDM(32, 100, 5).write(np.full((2, 32), 2)), "0/1 bits"),
        (lambda: NeuronSDM(32, 100, 5).read(np.zeros((2, 32), bool)), "read of an empty memory"),
        (lambda: recall(NeuronSDM(32, 100, 5), np.zeros((2, 32), bool)), "read of an empty memory"),
        (lambda: binary_sdm(np.zeros((0, 8), bool), d=2), "non-empty"),
        (lambda: binary_sdm(np.zeros((3, 8), bool), d=2).read(np.zeros((2, 9), bool)), "n = 8 bits"),
        (lambda: binary_sdm(np.zeros((3, 8), bool), np.zeros((3, 7), bool), d=2), "n = 8 bits"),
        (lambda: continuous_sdm(np.eye(8)[:2], d=2).read(np.ones((1, 8))), "unit rows"),
        (lambda: continuous_attention(np.eye(8)[:2], beta=-1.0), "beta must be >= 0"),
        (lambda: binary_sdm(np.zeros((3, 8), bool), d=2, sample=True), "neurons must be given"),
        (lambda: binary_sdm(np.zeros((3, 8), bool), d=2, neurons=1e6, sample=True), r"<= 2\^n"),
        (lambda: binary_sdm(np.zeros((3, 8), bool), d=2, neurons=10, sample=True).read(np.zeros((1, 8), bool)), "pass a key"),
        (lambda: recall(binary_sdm(np.zeros((3, 8), bool), d=2), np.zeros((1, 8), bool), max_steps=0), "max_steps must be >= 1"),
        (lambda: flip_bits(jax.random.key(0), np.zeros((2, 8), bool), 9), "k must be <= n"),
        (lambda: rotate_to_cosine(jax.random.key(0), np.eye(4)[:1], 1.5), r"cos must be finite and in \[-1, 1\]"),
        (lambda: RecallSetting("x", "images", 64, 10, None), "source must be one of"),
    ],
)
def test_bad_inputs_raise_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    "override,key",
    [
        ("memory.datasets.digits.n=100", "memory.datasets.digits.n"),
        ("memory.datasets.random64.k=[8,4]", "memory.datasets.random64.k"),
        ("memory.datasets.random64.k=[0,65]", "memory.datasets.random64.k"),
        ("memory.datasets.random64.queries=2000", "memory.datasets.random64.queries"),
        ("memory.datasets.random64.neuron_queries=4", "memory.datasets.random64.r"),
        ("memory.datasets.random1000.neuron_objectives=[best]", "memory.datasets.random1000.neuron_objectives"),
        ("memory.objectives=[snr,snr]", "memory.objectives"),
        ("memory.radii=[70]", "memory.radii"),
        ("memory.estimator=median", "memory.estimator"),
        ("memory.tolerance=0", "memory.tolerance"),
        ("memory.datasets.random64.source=faces", "memory.datasets.random64.source"),
    ],
)
def test_bad_memory_config_names_the_key(override, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        compose([override], ROOT / "config")


def test_memory_config_composes_and_smoke_is_small():
    cfg = compose(None, ROOT / "config")
    assert set(cfg.memory.datasets) == {"random64", "random1000", "digits"}
    assert cfg.memory.datasets.random1000.r == 1e6 and cfg.memory.datasets.random1000.neuron_queries > 0
    smoke = compose(["preset=smoke"], ROOT / "config").memory
    assert all(ds.queries <= 16 and len(ds.k) <= 3 for ds in smoke.datasets.values())
