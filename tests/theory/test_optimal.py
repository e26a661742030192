import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sdmattn
from sdmattn.sections import intersection, optimal


@pytest.fixture(scope="module")
def paper():
    return sdmattn.optimal_radii(64, 1024)


def test_paper_setting(paper):
    assert paper.d == {"snr": 11, "mem": 5, "cd": 15}
    assert paper.p["snr"] == pytest.approx(2.0**-25, rel=1e-12)
    assert f"{paper.p['mem']:.5e}" == "1.97993e-13"
    assert round(paper.z, 6) == 2.298313
    assert paper.log2_r == 64.0


def test_paper_betas():
    pub = sdmattn.optimal_betas(64, 1024)
    assert {k: round(v, 4) for k, v in pub.items()} == {"snr": 15.8528, "mem": 35.4848, "cd": 10.1104}
    ols = sdmattn.optimal_betas(64, 1024, estimator="ols")
    assert {k: round(v, 4) for k, v in ols.items()} == {"snr": 14.4116, "mem": 28.3878, "cd": 9.4364}


def test_capacity_root_solves_the_unscaled_cubic():
    # check the scaled solution against the cubic itself in exact-ish arithmetic (moderate r)
    for n, r in [(64, 10**6), (100, 10**9), (64, 2**40)]:
        opt = sdmattn.optimal_radii(n, 10, r)
        p, z = math.exp(opt.log_p["mem"]), opt.z
        cubic = 2 * r**2 * p**3 - 3 * r * z**2 * p**2 - z**2
        assert abs(cubic) <= 1e-9 * max(2 * r**2 * p**3, z**2)
        # and it maximises the capacity m_max(p) = (p r / z^2 - 1) / (p (1 + p^2 r))
        cap = lambda q: (q * r / z**2 - 1) / (q * (1 + q**2 * r))  # noqa: E731
        assert cap(p) >= max(cap(p * 0.99), cap(p * 1.01))


def test_snr_maximises_rho():
    n, m, r = 64, 1024, 2.0**64
    p = sdmattn.optimal_radii(n, m).p["snr"]
    rho2 = lambda q: q * r / (1 + q * m * (1 + q**2 * r))  # noqa: E731
    assert rho2(p) >= max(rho2(p * 0.98), rho2(p * 1.02))


def brute_force_cd(n, d, m, log_r):
    """CD from the spec's definition, point by point with math.comb counts (moderate n)."""
    from oracles import intersection_exact

    scale = math.exp(log_r - n * math.log(2))
    perp = scale * intersection_exact(n, d, n // 2)
    cd = 0
    for x in range(1, min(2 * d + 1, n) + 1):
        mu = scale * intersection_exact(n, d, x)
        sigma = math.sqrt(mu + (m - 1) * (perp + perp**2))
        x_new = 0.0 if mu == sigma == 0 else n * 0.5 * math.erfc(mu / sigma / math.sqrt(2))
        if x_new >= x:
            break
        cd = x
    return cd


@pytest.mark.parametrize("n, d, m, r", [(64, 5, 1024, None), (64, 15, 1024, None), (64, 11, 1024, 10**9),
                                        (64, 27, 1024, None), (100, 30, 100, 10**6), (64, 3, 1, None)])
def test_critical_distance_against_definition(n, d, m, r):
    got = sdmattn.critical_distance(n, d, m, r)
    log_r = n * math.log(2) if r is None else math.log(r)
    assert got.cd == brute_force_cd(n, d, m, log_r)
    assert got.cd <= 2 * d + 1 and got.x_new.shape == (n + 1,)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(8, 200), m=st.integers(1, 10**6), log2_r=st.floats(10, 200))
def test_properties(n, m, log2_r):
    log2_r = min(log2_r, n)
    r = 2.0**log2_r
    opt = sdmattn.optimal_radii(n, m, r)
    assert sdmattn.optimal_radii(n, 7 * m + 3, r).log_p["mem"] == opt.log_p["mem"]  # p*_Mem ignores m
    assert sdmattn.optimal_radii(n, 10 * m, r).d["snr"] <= opt.d["snr"]  # more patterns: no larger d*_SNR
    table = sdmattn.binary_intersection_table(n)
    cds = sdmattn.critical_distances(table, np.arange(n + 1), n, m, math.log(r))
    assert np.all(cds <= 2 * np.arange(n + 1) + 1) and np.all(cds >= 0)


def test_tiny_memory_clamps_p_and_flags_no_critical_radius():
    opt = sdmattn.optimal_radii(64, 10, 1)  # one neuron: p*_Mem would exceed 1
    assert opt.log_p["mem"] == 0.0 and opt.d["mem"] == 64
    assert math.isnan(sdmattn.optimal_betas(64, 10, 1)["mem"])  # d = n: nothing to fit
    crowded = sdmattn.optimal_radii(128, 10**6, 10**6)
    assert crowded.cd <= 1  # no radius pulls queries in from further than one bit


def test_r_as_int_float_or_none_agree():
    a = sdmattn.optimal_radii(64, 1024, None)
    b = sdmattn.optimal_radii(64, 1024, 2**64)
    c = sdmattn.optimal_radii(64, 1024, float(2**64))
    assert a.d == b.d == c.d
    for k in a.log_p:
        assert a.log_p[k] == pytest.approx(b.log_p[k], abs=1e-12) == pytest.approx(c.log_p[k], abs=1e-12)
    big = sdmattn.optimal_radii(2048, 1024, 2**2048)
    assert big.d == sdmattn.optimal_radii(2048, 1024).d


@pytest.mark.parametrize("n", [2048, 4096])
def test_huge_r_is_finite_without_warnings(n):
    table = sdmattn.binary_intersection_table(n)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt = sdmattn.optimal_radii(n, 1024, log_table=table)
        betas = sdmattn.optimal_betas(n, 1024, log_table=table)
    assert all(math.isfinite(v) for v in opt.log_p.values())
    assert all(0 <= d <= n for d in opt.d.values())
    assert all(math.isfinite(v) for v in betas.values())
    assert opt.log_p["mem"] < -700  # far below float64's range, carried in logs


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: sdmattn.optimal_radii(1, 10), "n must be >= 2"),
        (lambda: sdmattn.optimal_radii(64, 0), "m must be >= 1"),
        (lambda: sdmattn.optimal_radii(64, float("nan")), "m must be a single integer"),
        (lambda: sdmattn.optimal_radii(64, 10, 10**40), "r must be <= 2\\^n"),
        (lambda: sdmattn.optimal_radii(64, 10, log_table=np.zeros((3, 3))), "log_table must be the \\(65, 65\\)"),
        (lambda: sdmattn.expected_new_distance(np.zeros((1, 65)), 64, 0, 1.0), "m must be >= 1"),
        (lambda: sdmattn.optimal_radii(64, 10, 0), "r must be >= 1"),
        (lambda: sdmattn.optimal_radii(64, 10, 0.5), "r must be >= 1"),
        (lambda: sdmattn.optimal_radii(64, 10, float("nan")), "r must be finite"),
        (lambda: sdmattn.optimal_radii(64, 10, "many"), "r must be a number"),
        (lambda: sdmattn.critical_distance(64, 65, 10), "d must be <= n"),
        (lambda: sdmattn.optimal_betas(64, 10, estimator="mean"), "estimator must be one of"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_stage_tables():
    t = {64: sdmattn.binary_intersection_table(64)}
    ds = optimal.optimal_radii_dataset([{"name": "reference", "n": 64, "m": 1024, "r": 2**64}], t)
    row = ds.sel(setting="reference")
    assert int(row["d_snr"]) == 11 and round(float(row["beta_published_cd"]), 4) == 10.1104
    cd = optimal.critical_distance_dataset(intersection.intersection_dataset(64), 1024, [5, 15], optimal.log2_r_grid(4, 64, 5), 64)
    assert int(cd["cd"].values.argmax()) == 15 and int(cd["cd_vs_r"].sel(radius=15, log2_r=64.0)) == 31
    ctx = optimal.context_dataset(t, optimal.context_grid(4, 10, 7))
    assert list(ctx["m"].values) == [16, 32, 64, 128, 256, 512, 1024]
    assert int(ctx["d_snr"].sel(n=64, m=1024)) == 11
