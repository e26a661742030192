"""Builders of the pipeline's labelled tables (xarray Datasets); stage adapters only write them.

- `intersection_dataset(n)`: log I over (d, dv), with log B(n, d) and log p(d);
- `beta_fit_dataset(table, d_min, d_max)`: every β fit for one n over the radii d_min..d_max;
- `combine_beta_fits(datasets)`: one (n, d) table across the sweep (NaN where a radius is not fitted).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ._beta import regress_log_intersection, softmax_fit_from_log_intersection
from ._binomial import LOG2
from ._intersection import binary_intersection_table


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
