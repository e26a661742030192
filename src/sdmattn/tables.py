"""Builders of the pipeline's labelled tables (xarray Datasets); stage adapters only write them.

- `intersection_dataset(n)`: log I over (d, dv), with log B(n, d) and log p(d);
- `beta_fit_dataset(table, d_min, d_max)`: every β fit for one n over the radii d_min..d_max;
- `combine_beta_fits(datasets)`: one (n, d) table across the sweep (NaN where a radius is not fitted);
- `optimal_radii_dataset`, `critical_distance_dataset`, `context_dataset`: optimal radii and β*
  for a list of memories, CD against r and d, and β* against context length.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ._beta import ESTIMATORS, regress_log_intersection, softmax_fit_from_log_intersection
from ._binomial import LOG2
from ._intersection import binary_intersection_table
from ._optimal import OBJECTIVES, betas_at, critical_distances, optimal_radii


def largest_fit_radius(n: int) -> int:
    """The largest radius d < n/2 (the β fits' default upper end)."""
    return (n - 1) // 2


def intersection_dataset(n: int) -> xr.Dataset:
    """The exact log intersection table of dimension n as a labelled Dataset."""
    log_i = binary_intersection_table(n)
    coords = {"d": np.arange(n + 1), "dv": np.arange(n + 1)}
    ds = xr.Dataset(
        {
            "log_intersection": (("d", "dv"), log_i, {"long_name": "natural log of I(d_v; d, n)"}),
            "log_ball_size": ("d", log_i[:, 0], {"long_name": "natural log of B(n, d) = I(0; d, n)"}),
            "log_space_fraction": ("d", log_i[:, 0] - n * LOG2, {"long_name": "natural log of p(d)"}),
        },
        coords=coords,
    )
    return ds.assign_attrs(n=n)


def beta_fit_dataset(table: xr.Dataset, d_min: int = 2, d_max: int | None = None) -> xr.Dataset:
    """β fits (published, OLS, softmax) and fit quality for radii d_min..d_max of one intersection table."""
    n = int(table.attrs["n"])
    d_max = largest_fit_radius(n) if d_max is None else min(int(d_max), largest_fit_radius(n))
    d = np.arange(int(d_min), d_max + 1)
    if d.size == 0:
        raise ValueError(f"no radius to fit for n={n}: need {d_min} <= d <= {d_max}")
    rows = table["log_intersection"].sel(d=d).values
    fit = regress_log_intersection(rows, d)
    log_p = table["log_space_fraction"].sel(d=d).values
    columns = {
        "beta_published": (fit.published, "β, Cov(ddof=1)/Var(ddof=0) (the paper's)"),
        "beta_ols": (fit.ols, "β, least-squares slope"),
        "beta_softmax": (softmax_fit_from_log_intersection(rows), "β minimising MSE of softmax(β cos) vs I/ΣI"),
        "intercept": (fit.intercept, "least-squares intercept (log counts)"),
        "r2": (fit.r2, "R² of the least-squares line"),
        "max_abs_log_residual": (fit.max_abs_log_residual, "max |log I - line| over the fitted points"),
        "log_space_fraction": (log_p, "natural log of p(d)"),
        "space_fraction": (np.exp(log_p), "p(d) = B(n, d) / 2^n"),
    }
    data = {k: ("d", np.asarray(v, dtype=np.float64), {"long_name": name}) for k, (v, name) in columns.items()}
    return xr.Dataset(data, coords={"d": d}).assign_attrs(n=n)


def combine_beta_fits(datasets: list[xr.Dataset]) -> xr.Dataset:
    """Stack per-n β fits into one (n, d) table; radii not fitted for an n are NaN."""
    if not datasets:
        raise ValueError("no β fit tables to combine")
    stacked = [ds.expand_dims(n=[int(ds.attrs["n"])]) for ds in datasets]
    out = xr.concat(stacked, dim="n", join="outer", combine_attrs="drop")
    return out.sortby("n")


def _optimum_row(n: int, m: int, r, log_table: np.ndarray) -> dict[str, float]:
    """One memory's optimum flattened to columns: n, m, log2_r, z, cd, then d_*, log10_p_*, beta_*_* per objective."""
    opt = optimal_radii(n, m, r, log_table=log_table)
    betas = betas_at(log_table, opt.d)
    row = {"n": opt.n, "m": opt.m, "log2_r": opt.log2_r, "z": opt.z, "cd": opt.cd}
    for obj in OBJECTIVES:
        row[f"d_{obj}"] = opt.d[obj]
        row[f"log10_p_{obj}"] = opt.log_p[obj] / np.log(10.0)
        for est in ESTIMATORS:
            row[f"beta_{est}_{obj}"] = betas[est][obj]
    return row


def optimal_radii_dataset(settings: list[dict], log_tables: dict[int, np.ndarray]) -> xr.Dataset:
    """d*, p* and β* (both estimators) per objective for each memory {name, n, m, r} (r None: 2^n)."""
    columns: dict[str, list] = {}
    for s in settings:
        for k, v in _optimum_row(s["n"], s["m"], s["r"], log_tables[int(s["n"])]).items():
            columns.setdefault(k, []).append(v)
    names = np.array([str(s["name"]) for s in settings], dtype=object)
    return xr.Dataset({k: ("setting", np.asarray(v)) for k, v in columns.items()}, coords={"setting": names})


def critical_distance_dataset(table: xr.Dataset, m: int, radii: list[int], log2_r: np.ndarray, reference_log2_r: float) -> xr.Dataset:
    """CD over a grid of log2 r at fixed radii, and CD(d) for every d at the reference r."""
    n = int(table.attrs["n"])
    log_i = table["log_intersection"].values
    radii = np.asarray(radii)
    by_r = np.stack([critical_distances(log_i[radii], radii, n, m, lr * LOG2) for lr in log2_r])
    all_d = np.arange(n + 1)
    ds = xr.Dataset(
        {
            "cd_vs_r": (("log2_r", "radius"), by_r, {"long_name": "critical distance CD(d) at r = 2^log2_r"}),
            "cd": ("d", critical_distances(log_i, all_d, n, m, reference_log2_r * LOG2), {"long_name": "CD(d) at the reference r"}),
        },
        coords={"log2_r": np.asarray(log2_r, dtype=np.float64), "radius": radii, "d": all_d},
    )
    return ds.assign_attrs(n=n, m=m, reference_log2_r=reference_log2_r)


def context_dataset(log_tables: dict[int, np.ndarray], m_values: np.ndarray) -> xr.Dataset:
    """d* and β* per objective against context length m, for each n in `log_tables` (r = 2^n)."""
    ns = sorted(log_tables)
    keep = [f"{k}_{obj}" for obj in OBJECTIVES for k in ("d", "beta_published", "beta_ols")]
    rows = [[_optimum_row(n, int(m), None, log_tables[n]) for m in m_values] for n in ns]
    out = {k: np.array([[row[k] for row in per_n] for per_n in rows], dtype=np.float64) for k in keep}
    return xr.Dataset({k: (("n", "m"), v) for k, v in out.items()}, coords={"n": ns, "m": np.asarray(m_values, dtype=np.int64)})


def log2_r_grid(log10_r_min: float, log2_r_max: float, points: int) -> np.ndarray:
    """Evenly spaced log2 r from 10^log10_r_min to 2^log2_r_max (the CD-against-r figure's axis)."""
    return np.linspace(log10_r_min * np.log2(10.0), log2_r_max, int(points))


def context_grid(log2_m_min: float, log2_m_max: float, points: int) -> np.ndarray:
    """Distinct integer context lengths m, log-spaced from 2^log2_m_min to 2^log2_m_max."""
    return np.unique(np.round(2.0 ** np.linspace(log2_m_min, log2_m_max, int(points))).astype(np.int64))
