"""Section "The softmax approximation" and "β across dimensions": β fitted to SDM's weights.

- datasets: `beta_fit_dataset(table, d_min, d_max)`: every β fit (published, OLS, softmax) for one n;
  `combine_beta_fits(datasets)`: one (n, d) table across the sweep (NaN where a radius is not fitted);
- figures: `plot_weight_comparison` (SDM's weights against softmax) and `plot_beta_sweep` (β against d/n);
- report: `reference_values` (the macros of the reference memory and the sweep) and `reference_beta_table`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from .. import theory
from ..theory.weights import normalised_weights, softmax_weights
from .latex import booktabs, fixed, sci
from .optimal import OBJECTIVE_NAMES
from .plotting import new_figure


# Datasets -----------------------------------------------------------------------------------------


def largest_fit_radius(n: int) -> int:
    """The largest radius d < n/2 (the β fits' default upper end)."""
    return (n - 1) // 2


def beta_fit_dataset(table: xr.Dataset, d_min: int = 2, d_max: int | None = None) -> xr.Dataset:
    """β fits (published, OLS, softmax) and fit quality for radii d_min..d_max of one intersection table."""
    n = int(table.attrs["n"])
    d_max = largest_fit_radius(n) if d_max is None else min(int(d_max), largest_fit_radius(n))
    d = np.arange(int(d_min), d_max + 1)
    if d.size == 0:
        raise ValueError(f"no radius to fit for n={n}: need {d_min} <= d <= {d_max}")
    rows = table["log_intersection"].sel(d=d).values
    fit = theory.regress_log_intersection(rows, d)
    log_p = table["log_space_fraction"].sel(d=d).values
    columns = {
        "beta_published": (fit.published, "β, Cov(ddof=1)/Var(ddof=0) (the paper's)"),
        "beta_ols": (fit.ols, "β, least-squares slope"),
        "beta_softmax": (theory.softmax_fit_from_log_intersection(rows), "β minimising MSE of softmax(β cos) vs I/ΣI"),
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


# Figures ------------------------------------------------------------------------------------------


def plot_weight_comparison(table: xr.Dataset, fits: xr.Dataset, radii: list[int], style, width_in: float) -> Figure:
    """Normalised binary SDM weights vs softmax(β cos) for each radius: linear (top) and log (bottom)."""
    n = int(table.attrs["n"])
    dv = np.arange(n + 1)
    fig, axes = new_figure(style, width_in, 0.62, nrows=2, ncols=len(radii), sharex="col")
    for col, d in enumerate(radii):
        sdm = normalised_weights(table["log_intersection"].sel(d=d).values)
        fit = fits.sel(d=d)
        curves = [
            (sdm, "o", "binary SDM  $I/\\sum I$"),
            (softmax_weights(float(fit["beta_published"]), n), "-", rf"softmax, $\beta={float(fit['beta_published']):.2f}$ (published)"),
            (softmax_weights(float(fit["beta_ols"]), n), "--", rf"softmax, $\beta={float(fit['beta_ols']):.2f}$ (OLS)"),
        ]
        top = 2 * d + 2
        for row, ax in enumerate(axes[:, col]):
            for w, fmt, label in curves:
                keep = (dv <= top) & (w > 0)
                ax.plot(dv[keep], w[keep], fmt, label=label, markersize=2.5)
            if row == 1:
                ax.set_yscale("log")
                ax.set_xlabel(r"$d_v$")
            else:
                ax.set_title(rf"$n={n}$, $d={d}$")
                ax.legend(fontsize=6)
        axes[0, 0].set_ylabel("weight")
        axes[1, 0].set_ylabel("weight (log)")
    return fig


def plot_beta_sweep(fits: xr.Dataset, style, width_in: float) -> Figure:
    """β against d/n across the sweep, one line per n: least-squares fit (left), softmax fit (right)."""
    fig, axes = new_figure(style, width_in, 0.42, ncols=2, sharey=True)
    ns = [int(n) for n in fits["n"].values]
    colours = plt.get_cmap("viridis")(np.linspace(0.0, 0.9, len(ns)))
    for ax, var, title in zip(axes[0], ("beta_ols", "beta_softmax"), ("log-linear fit (OLS)", "softmax fit")):
        for n, colour in zip(ns, colours):
            row = fits.sel(n=n).dropna("d", subset=[var])
            ax.plot(row["d"] / n, row[var], "-", color=colour, label=f"$n={n}$", lw=1.0)
        ax.set_yscale("log")
        ax.set_xlim(0.0, 0.5)
        ax.set_xlabel(r"radius as a fraction of the dimension, $d/n$")
        ax.set_title(title)
    axes[0, 0].set_ylabel(r"$\beta$")
    axes[0, 1].legend(ncol=2, fontsize=6)
    return fig


# Report values and tables -------------------------------------------------------------------------


def reference_values(
    ref: xr.Dataset, sweep: xr.Dataset, radii: list[int], decay_radius: int, log2_r: float, text_width_in: float,
    fit_range: tuple[int, int | None] = (2, None),
) -> dict[str, str]:
    """Every number the report's prose quotes, computed from the β tables (`fit_range`: fit.d_min, fit.d_max)."""
    n = int(ref.attrs["n"])
    fit = ref.sel(d=decay_radius)
    pub, ols = float(fit["beta_published"]), float(fit["beta_ols"])
    ns = [int(v) for v in sweep["n"].values]
    fitted = np.isfinite(sweep["beta_ols"].values)
    ratio = sweep["beta_published"] / sweep["beta_ols"]
    return {
        "textwidth": f"{text_width_in:g}in",
        "ref/n": str(n),
        "ref/log2r": f"{log2_r:g}",
        "ref/radii": ", ".join(str(int(d)) for d in radii),
        "decay/d": str(decay_radius),
        "decay/betapub": fixed(pub),
        "decay/betaols": fixed(ols),
        "decay/betasoftmax": fixed(float(fit["beta_softmax"])),
        "decay/ratio": fixed(pub / ols),
        "decay/dratio": fixed(decay_radius / (decay_radius - 1)),
        "decay/r2": fixed(float(fit["r2"])),
        "decay/maxres": fixed(float(fit["max_abs_log_residual"]), 3),
        "decay/p": sci(float(fit["space_fraction"])),
        "sweep/count": str(len(ns)),
        "sweep/list": ", ".join(map(str, ns)),
        "sweep/nmin": str(min(ns)),
        "sweep/nmax": str(max(ns)),
        "sweep/fits": str(int(fitted.sum())),
        "sweep/drange": rf"{fit_range[0]} \le d < n/2"
        + (rf",\ d \le {fit_range[1]}" if fit_range[1] is not None else ""),
        "sweep/r2min": fixed(float(sweep["r2"].min()), 3),
        "sweep/ratiomax": fixed(float(ratio.max()), 2),
        "sweep/softmaxoverols/min": fixed(float((sweep["beta_softmax"] / sweep["beta_ols"]).min()), 2),
        "sweep/softmaxoverols/max": fixed(float((sweep["beta_softmax"] / sweep["beta_ols"]).max()), 2),
    }


def reference_beta_table(ref: xr.Dataset, radii: list[int], optimal: dict[str, int]) -> str:
    """β at the reference radii: p(d), both regression estimators, the softmax fit and fit quality;
    each radius that is optimal for an objective (`optimal`: {"snr": d*, ...}) is marked."""
    rows = []
    fitted = set(int(d) for d in ref["d"].values)
    for d in sorted(set(radii) | {d for d in optimal.values() if d in fitted}):  # the stage's d* always get a row
        f = ref.sel(d=d)
        marks = ", ".join(rf"$d^*_{{\rm {OBJECTIVE_NAMES[k]}}}$" for k, v in optimal.items() if v == d)
        rows.append([
            str(d),
            marks or "--",
            f"${sci(float(f['space_fraction']))}$",
            fixed(float(f["beta_published"])),
            fixed(float(f["beta_ols"])),
            fixed(float(f["beta_softmax"])),
            fixed(float(f["r2"])),
        ])
    header = ["$d$", "optimal for", "$p(d)$", r"$\beta$ published", r"$\beta$ OLS", r"$\beta$ softmax fit", "$R^2$"]
    return booktabs(header, rows, "rlrrrrr")
