"""Binary SDM, continuous SDM and softmax side by side: the tables behind the comparison figures.

- `grid_radii(n, p)`: the radii d(p) of the paper's comparison grid (binomial quantile), kept when a
  β fit exists (2 <= d < n/2) and not already taken by a smaller p;
- `weightings_dataset(n, p)`: log weights of both SDMs over d_v = 0..n and their β fits per radius;
- `weighting_betas(datasets)`: one flat table of every (n, d) β of the grid;
- `kanerva_dataset`: Kanerva's book table beside the exact expectations;
- `approximation_dataset`: the exact log intersection with its dominant term, bounds and exponential law.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ._approximation import beta_approx, intersection_bounds, log_exponential_approximation
from ._beta import KINDS, log_weights, regress_log_intersection, softmax_fit_from_log_intersection
from ._binomial import LOG2, radius_for_fraction
from ._caps import log_cap_intersection
from ._intersection import log_binary_intersection

BETA_COLUMNS = [f"beta_{kind}_{est}" for kind in KINDS for est in ("published", "ols", "softmax")]


def grid_radii(n: int, p_values) -> tuple[np.ndarray, np.ndarray]:
    """(p, d) pairs of the grid for dimension n: d = d(p), kept when 2 <= d < n/2 and new."""
    keep_p, keep_d = [], []
    for p, d in zip(p_values, radius_for_fraction(n, np.asarray(p_values, dtype=np.float64))):
        if 2 <= d < n / 2 and d not in keep_d:
            keep_p.append(float(p))
            keep_d.append(int(d))
    return np.asarray(keep_p), np.asarray(keep_d, dtype=np.int64)


def weightings_dataset(n: int, p_values) -> xr.Dataset:
    """Log weights of binary SDM (log I) and continuous SDM (log cap overlap) over (d, dv) for the grid
    radii of dimension n, and per radius the published/OLS/softmax β fitted to each."""
    p, d = grid_radii(n, p_values)
    if d.size == 0:
        raise ValueError(f"no radius of the comparison grid exists for n={n}: every d(p) is < 2 or >= n/2")
    data = {}
    for kind in KINDS:
        log_w = log_weights(n, d, kind)
        fit = regress_log_intersection(log_w, d)
        data[f"log_{kind}"] = (("d", "dv"), log_w, {"long_name": f"natural log of the {kind} SDM weight"})
        for est, values in (("published", fit.published), ("ols", fit.ols), ("softmax", softmax_fit_from_log_intersection(log_w))):
            data[f"beta_{kind}_{est}"] = ("d", np.asarray(values, dtype=np.float64), {"long_name": f"β fitted to {kind} SDM ({est})"})
    data["p"] = ("d", p, {"long_name": "space fraction asked for (the radius is its binomial quantile)"})
    data["log_space_fraction"] = ("d", data["log_binary"][1][:, 0] - n * LOG2, {"long_name": "natural log of p(d)"})
    data["log_cap_fraction"] = ("d", data["log_continuous"][1][:, 0], {"long_name": "natural log of the cap's fraction of the sphere"})
    return xr.Dataset(data, coords={"d": d, "dv": np.arange(n + 1)}).assign_attrs(n=n)


def weighting_betas(datasets: list[xr.Dataset]) -> xr.Dataset:
    """Every (n, d) of the grid as one row: p, p(d) and the six β's (binary/continuous × published/OLS/softmax)."""
    if not datasets:
        raise ValueError("no weighting tables to combine")
    rows = []
    for ds in sorted(datasets, key=lambda ds: int(ds.attrs["n"])):
        keep = ["p", "log_space_fraction", "log_cap_fraction", *BETA_COLUMNS]
        part = ds[keep].assign_coords(n=("d", np.full(ds.sizes["d"], int(ds.attrs["n"])))).rename(d="row")
        rows.append(part.assign_coords(d=("row", ds["d"].values)))
    out = xr.concat(rows, dim="row", combine_attrs="drop")
    return out.assign_coords(row=np.arange(out.sizes["row"]))


def kanerva_dataset(n: int, d: int, r: float, dv, book) -> xr.Dataset:
    """Kanerva's book table (expected neurons in the intersection, n, d, r) beside the exact values:
    r I / 2^n; the book's convention 1000 I(d_v) / I(0) (the ball taken to hold exactly r p neurons
    with p rounded); and continuous SDM's r F."""
    dv = np.asarray(dv, dtype=np.int64)
    book = np.asarray(book, dtype=np.float64)
    if dv.shape != book.shape:
        raise ValueError(f"kanerva.dv and kanerva.book must have the same length, got {dv.size} and {book.size}")
    log_i = log_binary_intersection(n, d, dv)
    log_i0 = log_binary_intersection(n, d, 0)
    exact = r * np.exp(log_i - n * LOG2)
    data = {
        "book": ("dv", book, {"long_name": "Kanerva's book"}),
        "exact": ("dv", exact, {"long_name": "exact r I / 2^n"}),
        "ratio": ("dv", exact / book, {"long_name": "exact / book"}),
        "ball_normalised": ("dv", book[0] * np.exp(log_i - log_i0), {"long_name": "book[0] I(d_v) / I(0)"}),
        "continuous": ("dv", r * np.exp(log_cap_intersection(n, d, 1.0 - 2.0 * dv / n)), {"long_name": "continuous r F"}),
    }
    p = float(np.exp(log_i0 - n * LOG2))
    return xr.Dataset(data, coords={"dv": dv}).assign_attrs(n=n, d=d, r=float(r), space_fraction=p, expected_ball=r * p)


def approximation_dataset(n: int, radii) -> xr.Dataset:
    """The exact log I(d_v) for each radius with its dominant term T, the bounds T <= I <= (#terms) T,
    and the exponential law log I(0) - β_approx (1 - cos), over d_v = 0..n."""
    d = np.asarray(radii, dtype=np.int64)
    dv = np.arange(n + 1)
    exact = log_binary_intersection(n, d[:, None], dv[None, :])
    lower, upper = intersection_bounds(n, d[:, None], dv[None, :])
    fit = regress_log_intersection(exact, d)
    data = {
        "log_exact": (("d", "dv"), exact, {"long_name": "natural log of I(d_v; d, n)"}),
        "log_dominant": (("d", "dv"), lower, {"long_name": "natural log of the largest term (lower bound)"}),
        "log_upper": (("d", "dv"), upper, {"long_name": "natural log of #terms × the largest term (upper bound)"}),
        "log_exponential": (("d", "dv"), log_exponential_approximation(n, d[:, None], dv[None, :]), {"long_name": "log I(0) - β_approx (1 - cos)"}),
        "beta_approx": ("d", beta_approx(n, d), {"long_name": "(n - 2d)^2 / (4n)"}),
        "beta_ols": ("d", fit.ols, {"long_name": "least-squares β of the exact counts"}),
        "beta_published": ("d", fit.published, {"long_name": "β, the paper's estimator"}),
    }
    return xr.Dataset(data, coords={"d": d, "dv": dv}).assign_attrs(n=n)
