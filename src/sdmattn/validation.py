"""Monte Carlo validation: explicit random neurons against the exact expectations, as a table and a check.

For one memory (n, r) and each radius d, the counts of random neurons in both circles at a spread of
distances d_v (binary: Hamming balls; continuous: caps at cos = 1 - 2 d_v / n) are compared with
their expectations r I / 2^n and r F and with the central binomial interval at the configured level.
Every (kind, d) simulation has its own seed and every point its own address pair, so the points are
uncorrelated; `check_monte_carlo` fails when more fall outside than chance allows.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ._beta import KINDS
from ._binomial import LOG2
from ._caps import log_cap_intersection
from ._intersection import log_binary_intersection
from ._montecarlo import simulate_binary_intersection, simulate_continuous_intersection
from ._stats import binomial_interval, outside_interval_pvalue


class MonteCarloMismatch(RuntimeError):
    """Simulated neuron counts disagree with the exact expectations more often than chance allows."""


def spread_distances(last: int, points: int) -> np.ndarray:
    """At most `points` distinct distances spread evenly over 0..last (both ends included)."""
    return np.unique(np.round(np.linspace(0, last, min(points, last + 1))).astype(np.int64))


def _log_probability(kind: str, n: int, d: int, dv: np.ndarray) -> np.ndarray:
    if kind == "binary":
        return log_binary_intersection(n, d, dv) - n * LOG2
    return log_cap_intersection(n, d, 1.0 - 2.0 * dv / n)


def _support_end(kind: str, n: int, d: int) -> int:
    """One past the last d_v with a nonzero probability (a point that must count 0), capped at n."""
    met = np.isfinite(_log_probability(kind, n, d, np.arange(n + 1)))
    return int(min(np.flatnonzero(met)[-1] + 1, n))


def monte_carlo_dataset(n: int, r: int, radii, points: int, seed: int, level: float = 0.99) -> xr.Dataset:
    """Simulated counts, expectations and `level` binomial intervals along one 'point' axis with
    coordinates kind, d and dv; attrs hold the number outside and its chance probability."""
    parts = []
    for k, kind in enumerate(KINDS):
        simulate = simulate_binary_intersection if kind == "binary" else simulate_continuous_intersection
        for j, d in enumerate(int(d) for d in radii):
            dv = spread_distances(_support_end(kind, n, d), points)
            where = dv if kind == "binary" else 1.0 - 2.0 * dv / n
            counts = simulate(n, d, where, int(r), seed + 1000 * k + j)
            log_p = _log_probability(kind, n, d, dv)
            lo, hi = binomial_interval(int(r), log_p, level)
            parts.append({"kind": [kind] * dv.size, "d": np.full(dv.size, d), "dv": dv,
                          "count": counts, "expected": int(r) * np.exp(log_p), "lo": lo, "hi": hi})
    cols = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    outside = (cols["count"] < cols["lo"]) | (cols["count"] > cols["hi"])
    ds = xr.Dataset(
        {
            "count": ("point", cols["count"], {"long_name": "neurons in both circles (simulated)"}),
            "expected": ("point", cols["expected"], {"long_name": "exact expectation r I / 2^n or r F"}),
            "lo": ("point", cols["lo"], {"long_name": f"lower end of the central {level:g} binomial interval"}),
            "hi": ("point", cols["hi"], {"long_name": f"upper end of the central {level:g} binomial interval"}),
            "outside": ("point", outside, {"long_name": "count outside its interval"}),
        },
        coords={"kind": ("point", cols["kind"]), "d": ("point", cols["d"]), "dv": ("point", cols["dv"])},
    )
    return ds.assign_attrs(n=n, r=int(r), level=level, seed=seed, n_outside=int(outside.sum()),
                           pvalue=outside_interval_pvalue(int(outside.sum()), outside.size, level))


def check_monte_carlo(ds: xr.Dataset, alpha: float, name: str) -> None:
    """Raise `MonteCarloMismatch` when P(at least this many points outside | the formulas are right) < alpha."""
    if ds.attrs["pvalue"] < alpha:
        bad = ds.where(ds["outside"], drop=True)
        worst = ", ".join(f"{k} d={d} dv={v}: {c} vs {e:.4g}" for k, d, v, c, e in zip(
            bad["kind"].values[:5], bad["d"].values[:5], bad["dv"].values[:5], bad["count"].values[:5], bad["expected"].values[:5]))
        raise MonteCarloMismatch(
            f"Monte Carlo run '{name}' (n={ds.attrs['n']}, r={ds.attrs['r']}): {ds.attrs['n_outside']} of "
            f"{ds.sizes['point']} counts fall outside their {ds.attrs['level']:g} binomial intervals; chance "
            f"gives that with probability {ds.attrs['pvalue']:.3g} < {alpha:g}. First: {worst}"
        )
