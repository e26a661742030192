"""Section "The circle intersection, exactly": the exact tables and their exponential decay.

- datasets: `intersection_dataset(n)`: log I over (d, dv), with log B(n, d) and log p(d);
- figures: `plot_intersection_decay` (the expected intersection r I / 2^n with its fitted exponential);
- report: its numbers are the β section's (`sections.beta.reference_values`).
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from .. import theory
from ..theory.constants import LOG2
from .plotting import LOG10, new_figure


# Datasets -----------------------------------------------------------------------------------------


def intersection_dataset(n: int) -> xr.Dataset:
    """The exact log intersection table of dimension n as a labelled Dataset."""
    log_i = theory.binary_intersection_table(n)
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


# Figures ------------------------------------------------------------------------------------------


def plot_intersection_decay(table: xr.Dataset, fits: xr.Dataset, d: int, log2_r: float, style, width_in: float) -> Figure:
    """log10 of the expected intersection r I / 2^n against d_v, with the fitted exponential."""
    n = int(table.attrs["n"])
    log_i = table["log_intersection"].sel(d=d).values
    dv = np.arange(n + 1)
    support = np.isfinite(log_i)
    shift = (log2_r - n) * np.log(2.0)  # log(r / 2^n)
    fit = fits.sel(d=d)
    cos = 1.0 - 2.0 * dv / n
    fig, axes = new_figure(style, width_in, 0.42)
    ax = axes[0, 0]
    ax.plot(dv[support], (log_i[support] + shift) / LOG10, "o", label=r"exact $\log_{10} E(d_v)$, $E = rI/2^n$")
    line = float(fit["intercept"]) + float(fit["beta_ols"]) * cos + shift
    ax.plot(dv[support], line[support] / LOG10, "-", label=rf"fit $e^{{\beta\cos}}$, $\beta_{{\rm OLS}}={float(fit['beta_ols']):.2f}$")
    ax.axvspan(-0.5, d - 0.5, color="0.85", alpha=0.5, lw=0, label=rf"fitted range $d_v < d = {d}$")
    ax.set_xlabel(r"Hamming distance $d_v$ between query and pattern")
    ax.set_ylabel(r"$\log_{10}$ expected neurons")
    ax.set_title(rf"$n={n}$, $d={d}$, $r=2^{{{log2_r:g}}}$")
    ax.legend()
    return fig
