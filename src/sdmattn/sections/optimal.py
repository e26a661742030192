"""Section "Optimal radii and their β*": d* and β* for signal-to-noise, capacity and critical distance.

- datasets: `optimal_radii_dataset` (one row per memory), `critical_distance_dataset` (CD against r
  and d) and `context_dataset` (β* against context length), with their grids;
- figures: `plot_critical_distance`, `plot_beta_vs_context`, and `draw_beta_stars`, the β* lines that
  the learned-β and pre-trained figures draw;
- report: the optimal-radius tables and macros, and `in_range` / `share_between` /
  `beta_star_position`, which place a β among the β* for the later sections.
"""

from __future__ import annotations

import math

import matplotlib.lines
import matplotlib.ticker
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from .. import theory
from ..theory.constants import ESTIMATORS, LOG2, OBJECTIVES
from .latex import booktabs, fixed, sci, thousands
from .plotting import new_figure, readable_log_axis

OBJECTIVE_NAMES = {"snr": "SNR", "mem": "Mem", "cd": "CD"}  # as the report and figures name them


# Datasets -----------------------------------------------------------------------------------------


def _optimum_row(n: int, m: int, r, log_table: np.ndarray) -> dict[str, float]:
    """One memory's optimum flattened to columns: n, m, log2_r, z, cd, then d_*, log10_p_*, beta_*_* per objective."""
    opt = theory.optimal_radii(n, m, r, log_table=log_table)
    betas = theory.betas_at(log_table, opt.d)
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
    by_r = np.stack([theory.critical_distances(log_i[radii], radii, n, m, lr * LOG2) for lr in log2_r])
    all_d = np.arange(n + 1)
    ds = xr.Dataset(
        {
            "cd_vs_r": (("log2_r", "radius"), by_r, {"long_name": "critical distance CD(d) at r = 2^log2_r"}),
            "cd": ("d", theory.critical_distances(log_i, all_d, n, m, reference_log2_r * LOG2), {"long_name": "CD(d) at the reference r"}),
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


# Figures ------------------------------------------------------------------------------------------


def plot_critical_distance(curves: xr.Dataset, style, width_in: float) -> Figure:
    """CD against r for fixed radii (left, the paper's appendix figure) and CD(d) at the reference r (right)."""
    n, m, ref = int(curves.attrs["n"]), int(curves.attrs["m"]), float(curves.attrs["reference_log2_r"])
    fig, axes = new_figure(style, width_in, 0.42, ncols=2)
    left, right = axes[0]
    r = 2.0 ** curves["log2_r"].values
    for d in curves["radius"].values:
        left.plot(r, curves["cd_vs_r"].sel(radius=d), "-", label=f"$d={int(d)}$")
    left.set_xscale("log")
    left.set_xlabel("neurons $r$")
    left.set_ylabel("critical distance")
    left.set_title(rf"$n={n}$, $m={m}$")
    left.set_ylim(0, 1.45 * max(float(curves["cd_vs_r"].max()), 1))  # headroom: the legend sits above the curves
    left.legend(ncol=3, loc="upper left", fontsize=6)
    d = curves["d"].values
    cd = curves["cd"].values
    right.plot(d, np.minimum(2 * d + 1, n), ":", color="0.5", label=r"bound $\min(2d+1, n)$")
    right.plot(d, cd, "-", label=rf"CD$(d)$, $r=2^{{{ref:g}}}$")
    best = int(np.argmax(cd))
    right.plot([best], [cd[best]], "o", label=rf"$d^*_{{\rm CD}}={best}$")
    right.set_xlim(0, n // 2)
    right.set_ylim(0, max(cd.max() * 1.3, 1))
    right.set_xlabel("radius $d$")
    right.set_title(rf"$n={n}$, $m={m}$")
    right.legend(loc="lower right", bbox_to_anchor=(1.0, 0.08))
    return fig


def plot_beta_vs_context(context: xr.Dataset, style, width_in: float) -> Figure:
    """β* against context length m, one panel per n (r = 2^n): published (solid) and OLS (dashed) estimators."""
    ns = [int(n) for n in context["n"].values]
    fig, axes = new_figure(style, width_in, 0.38, ncols=len(ns), sharey=False)
    m = context["m"].values
    for ax, n in zip(axes[0], ns):
        for k, (obj, label) in enumerate(OBJECTIVE_NAMES.items()):
            colour = f"C{k}"
            ax.plot(m, context[f"beta_published_{obj}"].sel(n=n), "-", color=colour, label=rf"$\beta^*_{{\rm {label}}}$")
            ax.plot(m, context[f"beta_ols_{obj}"].sel(n=n), "--", color=colour, lw=0.8)
        ax.set_xscale("log")
        ax.set_xlabel("context length $m$")
        ax.set_title(rf"$n={n}$, $r=2^{{{n}}}$")
    axes[0, 0].set_ylabel(r"$\beta^*$")
    handles, _ = axes[0, 0].get_legend_handles_labels()
    handles += [matplotlib.lines.Line2D([], [], color="0.3", ls=ls, lw=lw, label=label)
                for ls, lw, label in (("-", 1.2, "published estimator"), ("--", 0.8, "least squares (OLS)"))]
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles))  # one legend, below the panels
    return fig


def draw_beta_stars(hist_ax, trace_ax, optimal: xr.Dataset) -> None:
    """Dashed lines at β*_CD, β*_SNR, β*_Mem (published estimator) of one optimal-radius row: vertical
    and labelled on a log-x histogram of heads, horizontal on a trace."""
    for k, (obj, label) in enumerate(OBJECTIVE_NAMES.items()):
        star = float(optimal[f"beta_published_{obj}"])
        hist_ax.axvline(star, ls="--", color=f"C{k + 3}", lw=1.0, label=rf"$\beta^*_{{\rm {label}}}$")
        trace_ax.axhline(star, ls="--", color=f"C{k + 3}", lw=1.0)
    hist_ax.set_xscale("log")
    readable_log_axis(hist_ax.xaxis)
    hist_ax.set_ylabel("heads")
    hist_ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))  # heads are counted


# Report values and tables -------------------------------------------------------------------------


def optimal_row(radii: xr.Dataset, setting: str) -> dict[str, int]:
    """{"snr": d*, "mem": d*, "cd": d*} of one row of the optimal-radius table."""
    row = radii.sel(setting=setting)
    return {k: int(row[f"d_{k}"]) for k in OBJECTIVE_NAMES}


def p_cell(log10_p: float) -> str:
    """p* as LaTeX math from its log10 (p* may be far below float64's range)."""
    exp = math.floor(log10_p)
    mant = 10 ** (log10_p - exp)
    if round(mant, 2) >= 10:
        mant, exp = mant / 10, exp + 1
    return rf"${mant:.3f}\times10^{{{exp}}}$"


def optimal_reference_table(radii: xr.Dataset, setting: str = "reference") -> str:
    """d*, p* and β* (both estimators) of one memory, a row per objective."""
    row = radii.sel(setting=setting)
    rows = [
        [OBJECTIVE_NAMES[k], str(int(row[f"d_{k}"])), p_cell(float(row[f"log10_p_{k}"])),
         fixed(float(row[f"beta_published_{k}"])), fixed(float(row[f"beta_ols_{k}"]))]
        for k in OBJECTIVE_NAMES
    ]
    return booktabs(["objective", "$d^*$", "$p^*$", r"$\beta^*$ published", r"$\beta^*$ OLS"], rows, "lrrrr")


def log2_r_cell(n: int, log2_r: float) -> str:
    if abs(log2_r - n) < 1e-9:
        return f"$2^{{{n}}}$"
    return f"${sci(2.0**log2_r, 2)}$" if log2_r < 1000 else f"$2^{{{log2_r:.1f}}}$"


def optimal_settings_table(radii: xr.Dataset) -> str:
    """d* and β* (published estimator) per objective for every memory of the table; "--" marks no fit
    (d* < 2) and, for CD, memories where no radius pulls queries in from beyond one bit (CD <= 1)."""
    rows = []
    for s in radii["setting"].values:
        row = radii.sel(setting=s)
        n, m = int(row["n"]), int(row["m"])
        cells = [str(n), thousands(m), log2_r_cell(n, float(row["log2_r"]))]
        shown = [k for k in OBJECTIVE_NAMES if k != "cd" or int(row["cd"]) > 1]
        cells += [str(int(row[f"d_{k}"])) if k in shown else "--" for k in OBJECTIVE_NAMES]
        betas = [float(row[f"beta_published_{k}"]) if k in shown else math.nan for k in OBJECTIVE_NAMES]
        cells += [fixed(b, 2) if math.isfinite(b) else "--" for b in betas]  # NaN: no fit (d* < 2)
        rows.append(cells)
    header = ["$n$", "$m$", "$r$"] + [rf"$d^*_{{\rm {v}}}$" for v in OBJECTIVE_NAMES.values()]
    header += [rf"$\beta^*_{{\rm {v}}}$" for v in OBJECTIVE_NAMES.values()]
    return booktabs(header, rows, "rrr" + "r" * 6)


def optimal_values(radii: xr.Dataset, setting: str = "reference") -> dict[str, str]:
    """Macros for the optimal-radius section: z, and d*, p*, β* per objective of one memory."""
    row = radii.sel(setting=setting)
    values = {
        "opt/z": fixed(float(row["z"]), 6),
        "opt/m": thousands(row["m"]),
        "opt/count": str(radii.sizes["setting"]),
        "opt/cd/value": str(int(row["cd"])),
    }
    for k in OBJECTIVE_NAMES:
        values[f"opt/{k}/d"] = str(int(row[f"d_{k}"]))
        values[f"opt/{k}/p"] = p_cell(float(row[f"log10_p_{k}"])).strip("$")
        values[f"opt/{k}/betapub"] = fixed(float(row[f"beta_published_{k}"]))
        values[f"opt/{k}/betaols"] = fixed(float(row[f"beta_ols_{k}"]))
    return values


def in_range(values, lo: float, hi: float) -> np.ndarray:
    """Which values lie in [lo, hi] (the β* range from CD to Mem)."""
    values = np.asarray(values)
    return (values >= lo) & (values <= hi)


def share_between(values: np.ndarray, lo: float, hi: float) -> float:
    return float(np.mean(in_range(values, lo, hi))) if np.size(values) else math.nan


def beta_star_position(x: float, cd: float, snr: float, mem: float) -> str:
    """Where a β lies among β*_CD < β*_SNR < β*_Mem, in words (LaTeX)."""
    if x < cd:
        return r"below $\beta^*_{\rm CD}$"
    if x <= mem:
        return r"between $\beta^*_{\rm CD}$ and $\beta^*_{\rm SNR}$" if x < snr else r"between $\beta^*_{\rm SNR}$ and $\beta^*_{\rm Mem}$"
    return r"above $\beta^*_{\rm Mem}$"
