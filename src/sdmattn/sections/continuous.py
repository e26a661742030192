"""Section "Continuous SDM and simulated neurons": caps beside Hamming balls, explicit neurons,
Kanerva's table and the closed forms.

- datasets: `weightings_dataset` / `weighting_betas` (binary SDM, continuous SDM and softmax at radii
  d(p)), `monte_carlo_dataset` with `check_monte_carlo` (random neurons against the exact counts),
  `kanerva_dataset` and `approximation_dataset`;
- figures: `plot_weightings`, `plot_monte_carlo`, `plot_approximation`;
- report: `continuous_values` and the β-grid, Kanerva and Monte Carlo tables.

For one memory (n, r) and each radius d, the Monte Carlo counts of random neurons in both circles at a
spread of distances d_v (binary: Hamming balls; continuous: caps at cos = 1 - 2 d_v / n) are compared
with their expectations r I / 2^n and r F and with the central binomial interval at the configured
level. Every (kind, d) simulation has its own seed and every point its own address pair, so the points
are uncorrelated; `check_monte_carlo` fails when more fall outside than chance allows.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from .. import theory
from .._progress import progress
from ..theory.constants import KINDS, LOG2
from ..theory.stats import binomial_interval, outside_interval_pvalue
from ..theory.weights import normalised_weights, softmax_weights
from .latex import booktabs, fixed, sci, thousands
from .plotting import LOG10, new_figure


# Datasets -----------------------------------------------------------------------------------------


BETA_COLUMNS = [f"beta_{kind}_{est}" for kind in KINDS for est in ("published", "ols", "softmax")]


def grid_radii(n: int, p_values) -> tuple[np.ndarray, np.ndarray]:
    """(p, d) pairs of the grid for dimension n: d = d(p), kept when 2 <= d < n/2 and new."""
    keep_p, keep_d = [], []
    for p, d in zip(p_values, theory.radius_for_fraction(n, np.asarray(p_values, dtype=np.float64))):
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
        log_w = theory.log_weights(n, d, kind)
        fit = theory.regress_log_intersection(log_w, d)
        data[f"log_{kind}"] = (("d", "dv"), log_w, {"long_name": f"natural log of the {kind} SDM weight"})
        for est, values in (("published", fit.published), ("ols", fit.ols), ("softmax", theory.softmax_fit_from_log_intersection(log_w))):
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


class MonteCarloMismatch(RuntimeError):
    """Simulated neuron counts disagree with the exact expectations more often than chance allows."""


def spread_distances(last: int, points: int) -> np.ndarray:
    """At most `points` distinct distances spread evenly over 0..last (both ends included)."""
    return np.unique(np.round(np.linspace(0, last, min(points, last + 1))).astype(np.int64))


def _log_probability(kind: str, n: int, d: int, dv: np.ndarray) -> np.ndarray:
    if kind == "binary":
        return theory.log_binary_intersection(n, d, dv) - n * LOG2
    return theory.log_cap_intersection(n, d, 1.0 - 2.0 * dv / n)


def _support_end(kind: str, n: int, d: int) -> int:
    """One past the last d_v with a nonzero probability (a point that must count 0), capped at n."""
    met = np.isfinite(_log_probability(kind, n, d, np.arange(n + 1)))
    return int(min(np.flatnonzero(met)[-1] + 1, n))


def monte_carlo_dataset(n: int, r: int, radii, points: int, seed: int, level: float = 0.99) -> xr.Dataset:
    """Simulated counts, expectations and `level` binomial intervals along one 'point' axis with
    coordinates kind, d and dv; attrs hold the number outside and its chance probability."""
    parts = []
    runs = [(k, kind, j, int(d)) for k, kind in enumerate(KINDS) for j, d in enumerate(radii)]
    for k, kind, j, d in progress(runs, desc=f"Monte Carlo n={n} r={r:g}", unit="radius"):
        simulate = theory.simulate_binary_intersection if kind == "binary" else theory.simulate_continuous_intersection
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


def kanerva_dataset(n: int, d: int, r: float, dv, book) -> xr.Dataset:
    """Kanerva's book table (expected neurons in the intersection, n, d, r) beside the exact values:
    r I / 2^n; the book's convention 1000 I(d_v) / I(0) (the ball taken to hold exactly r p neurons
    with p rounded); and continuous SDM's r F."""
    dv = np.asarray(dv, dtype=np.int64)
    book = np.asarray(book, dtype=np.float64)
    if dv.shape != book.shape:
        raise ValueError(f"kanerva.dv and kanerva.book must have the same length, got {dv.size} and {book.size}")
    log_i = theory.log_binary_intersection(n, d, dv)
    log_i0 = theory.log_binary_intersection(n, d, 0)
    exact = r * np.exp(log_i - n * LOG2)
    data = {
        "book": ("dv", book, {"long_name": "Kanerva's book"}),
        "exact": ("dv", exact, {"long_name": "exact r I / 2^n"}),
        "ratio": ("dv", exact / book, {"long_name": "exact / book"}),
        "ball_normalised": ("dv", book[0] * np.exp(log_i - log_i0), {"long_name": "book[0] I(d_v) / I(0)"}),
        "continuous": ("dv", r * np.exp(theory.log_cap_intersection(n, d, 1.0 - 2.0 * dv / n)), {"long_name": "continuous r F"}),
    }
    p = float(np.exp(log_i0 - n * LOG2))
    return xr.Dataset(data, coords={"dv": dv}).assign_attrs(n=n, d=d, r=float(r), space_fraction=p, expected_ball=r * p)


def approximation_dataset(n: int, radii) -> xr.Dataset:
    """The exact log I(d_v) for each radius with its dominant term T, the bounds T <= I <= (#terms) T,
    and the exponential law log I(0) - β_approx (1 - cos), over d_v = 0..n."""
    d = np.asarray(radii, dtype=np.int64)
    dv = np.arange(n + 1)
    exact = theory.log_binary_intersection(n, d[:, None], dv[None, :])
    lower, upper = theory.intersection_bounds(n, d[:, None], dv[None, :])
    fit = theory.regress_log_intersection(exact, d)
    data = {
        "log_exact": (("d", "dv"), exact, {"long_name": "natural log of I(d_v; d, n)"}),
        "log_dominant": (("d", "dv"), lower, {"long_name": "natural log of the largest term (lower bound)"}),
        "log_upper": (("d", "dv"), upper, {"long_name": "natural log of #terms × the largest term (upper bound)"}),
        "log_exponential": (("d", "dv"), theory.log_exponential_approximation(n, d[:, None], dv[None, :]), {"long_name": "log I(0) - β_approx (1 - cos)"}),
        "beta_approx": ("d", theory.beta_approx(n, d), {"long_name": "(n - 2d)^2 / (4n)"}),
        "beta_ols": ("d", fit.ols, {"long_name": "least-squares β of the exact counts"}),
        "beta_published": ("d", fit.published, {"long_name": "β, the paper's estimator"}),
    }
    return xr.Dataset(data, coords={"d": d, "dv": dv}).assign_attrs(n=n)


# Figures ------------------------------------------------------------------------------------------


def plot_weightings(datasets: list[xr.Dataset], style, width_in: float) -> Figure:
    """The comparison grid: normalised weights of binary SDM (solid), continuous SDM (dashed) and
    softmax(β cos) with the β fitted to binary SDM (dotted) against d_v, one colour per radius; each
    dimension a pair of panels, linear and log weights, two dimensions a row (it fits a page with the
    section's other floats)."""
    datasets = sorted(datasets, key=lambda ds: int(ds.attrs["n"]))
    rows = math.ceil(len(datasets) / 2)
    fig, axes = new_figure(style, width_in, 0.27 * rows, nrows=rows, ncols=4)
    for k, ds in enumerate(datasets):
        n = int(ds.attrs["n"])
        pair = axes[k // 2, 2 * (k % 2):2 * (k % 2) + 2]
        dv = np.arange(n + 1)
        colours = plt.get_cmap("viridis")(np.linspace(0.0, 0.9, ds.sizes["d"]))
        last = 0
        for d, colour in zip(ds["d"].values, colours):
            f = ds.sel(d=d)
            curves = [
                (normalised_weights(f["log_binary"].values), "-"),
                (normalised_weights(f["log_continuous"].values), "--"),
                (softmax_weights(float(f["beta_binary_published"]), n), ":"),
            ]
            for ax in pair:
                for w, ls in curves:
                    ax.plot(dv, w, ls, color=colour, lw=0.9)
            last = max(last, int(np.flatnonzero(np.isfinite(f["log_continuous"].values))[-1]))
        pair[0].set_xlim(0, max(4, last // 3))
        pair[1].set_xlim(0, last + 1)
        pair[1].set_yscale("log")
        pair[1].set_ylim(1e-12, 1.0)
        pair[0].set_title(f"$n={n}$, weight", fontsize="small")
        pair[1].set_title(f"$n={n}$, log scale", fontsize="small")
        for d, colour in zip(ds["d"].values, colours):
            pair[0].plot([], [], "-", color=colour, label=f"$d={int(d)}$")
        pair[0].legend(fontsize=5, ncol=1, handlelength=1.2, labelspacing=0.2)
    for ax in axes.flat[len(datasets) * 2:]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel(r"$d_v$ (cos $= 1 - 2d_v/n$)")
    kinds = [axes[0, 1].plot([], [], ls, color="0.3", label=label)[0] for ls, label in
             (("-", "binary SDM"), ("--", "continuous SDM"), (":", r"softmax, $\beta$ fitted to binary SDM"))]
    fig.legend(handles=kinds, loc="outside upper center", ncol=3)
    return fig


def plot_monte_carlo(runs: dict[str, xr.Dataset], style, width_in: float) -> Figure:
    """Simulated neuron counts (markers) against the exact expectation (lines) and its binomial interval
    (vertical bars) over d_v; one panel per simulation run, binary (circles) and continuous (crosses)."""
    fig, axes = new_figure(style, width_in, 0.4, ncols=len(runs))
    for ax, (name, ds) in zip(axes[0], runs.items()):
        radii = np.unique(ds["d"].values)
        for k, d in enumerate(radii):
            for kind, marker, ls in (("binary", "o", "-"), ("continuous", "x", "--")):
                sel = (ds["d"].values == d) & (ds["kind"].values == kind)
                dv, count, expected = ds["dv"].values[sel], ds["count"].values[sel], ds["expected"].values[sel]
                lo, hi = ds["lo"].values[sel], ds["hi"].values[sel]
                shown = count > 0
                ax.plot(dv, expected, ls, color=f"C{k}", lw=0.8)
                ax.vlines(dv[shown], np.maximum(lo[shown], 0.5), hi[shown], color=f"C{k}", lw=0.5, alpha=0.5)
                ax.plot(dv[shown], count[shown], marker, color=f"C{k}", ms=2.5)
            ax.plot([], [], "-", color=f"C{k}", label=f"$d={int(d)}$")
        ax.set_yscale("log")
        ax.set_ylim(0.5, None)
        ax.set_xlabel(r"$d_v$")
        ax.set_title(rf"{name}: $n={ds.attrs['n']}$, $r={thousands_plain(ds.attrs['r'])}$")
        ax.legend(fontsize=6)
    axes[0, 0].set_ylabel("neurons in both circles")
    axes[0, 0].plot([], [], "o", color="0.3", label="binary (simulated)")
    axes[0, 0].plot([], [], "x", color="0.3", label="continuous (simulated)")
    axes[0, 0].legend(fontsize=6)
    return fig


def thousands_plain(x: float) -> str:
    """An integer with thin-space-free comma separators for figure text: 1,000,000."""
    return f"{int(x):,}"


def plot_approximation(ds: xr.Dataset, style, width_in: float) -> Figure:
    """log10 I(d_v) with its dominant term, the upper bound (#terms × dominant term) and the
    exponential law log I(0) - β_approx (1 - cos); one panel per radius."""
    n = int(ds.attrs["n"])
    radii = [int(d) for d in ds["d"].values]
    fig, axes = new_figure(style, width_in, 0.32, ncols=len(radii))
    for ax, d in zip(axes[0], radii):
        f = ds.sel(d=d)
        dv = f["dv"].values
        met = np.isfinite(f["log_exact"].values)
        ax.fill_between(dv[met], f["log_dominant"].values[met] / LOG10, f["log_upper"].values[met] / LOG10,
                        color="0.85", lw=0, label="bounds")
        ax.plot(dv[met], f["log_exact"].values[met] / LOG10, "-", label="exact $I$")
        ax.plot(dv[met], f["log_dominant"].values[met] / LOG10, "--", label="dominant term")
        ax.plot(dv[met], f["log_exponential"].values[met] / LOG10, ":", color="k",
                label=r"$I(0)e^{-\beta_{\rm approx}(1-\cos)}$")
        ax.set_title(rf"$d={d}$, $\beta_{{\rm approx}}={float(f['beta_approx']):.2f}$")
        ax.set_xlabel(r"$d_v$")
    axes[0, 0].set_ylabel(rf"$\log_{{10}} I(d_v)$, $n={n}$")
    axes[0, 0].legend(fontsize=5.5)
    return fig


# Report values and tables -------------------------------------------------------------------------


def weighting_betas_table(betas: xr.Dataset) -> str:
    """Every (n, d) of the comparison grid: p asked, p(d), and β fitted to binary and continuous SDM."""
    rows = []
    for i in range(betas.sizes["row"]):
        b = betas.isel(row=i)
        rows.append([
            str(int(b["n"])), str(int(b["d"])), f"${sci(float(b['p']))}$", f"${sci(math.exp(float(b['log_space_fraction'])))}$",
            fixed(float(b["beta_binary_published"]), 2), fixed(float(b["beta_binary_ols"]), 2),
            fixed(float(b["beta_continuous_published"]), 2), fixed(float(b["beta_continuous_ols"]), 2),
            fixed(float(b["beta_binary_softmax"]), 2),
        ])
    header = ["$n$", "$d$", "$p$", "$p(d)$", r"$\beta_{\rm bin}$ publ.", r"$\beta_{\rm bin}$ OLS",
              r"$\beta_{\rm cont}$ publ.", r"$\beta_{\rm cont}$ OLS", r"$\beta_{\rm bin}$ softmax"]
    return booktabs(header, rows, "rrrrrrrrr")


def kanerva_table(kan: xr.Dataset) -> str:
    """Kanerva's book values beside 1000 I/I(0) (his convention), the exact r I / 2^n and continuous r F."""
    rows = [[str(int(v)), f"{float(kan['book'].sel(dv=v)):g}", fixed(float(kan["ball_normalised"].sel(dv=v)), 2),
             fixed(float(kan["exact"].sel(dv=v)), 2), fixed(float(kan["continuous"].sel(dv=v)), 2)] for v in kan["dv"].values]
    header = ["$d_v$", "book", r"$E_0\, I(d_v)/I(0)$", r"exact $rI/2^n$", r"continuous $rF$"]
    return booktabs(header, rows, "rrrrr")


def monte_carlo_table(runs: dict[str, xr.Dataset]) -> str:
    """One row per (run, kind): n, r, radii, points, points outside their intervals, and chance's p-value."""
    rows = []
    for name, ds in runs.items():
        for kind in dict.fromkeys(str(k) for k in ds["kind"].values):
            sel = ds["kind"].values == kind
            outside = int(ds["outside"].values[sel].sum())
            rows.append([name, kind, str(ds.attrs["n"]), thousands(ds.attrs["r"]),
                         ", ".join(str(int(d)) for d in np.unique(ds["d"].values[sel])), str(int(sel.sum())),
                         str(outside), fixed(outside_interval_pvalue(outside, int(sel.sum()), ds.attrs["level"]), 3)])
    header = ["run", "neurons", "$n$", "$r$", "radii $d$", "points", "outside", "chance $P$"]
    return booktabs(header, rows, "llrrlrrr")


def continuous_values(betas: xr.Dataset, kan: xr.Dataset, runs: dict[str, xr.Dataset], approx: xr.Dataset, ref_n: int, ref_d: int) -> dict[str, str]:
    """Macros for the continuous-SDM section: β ratios over the grid, Kanerva's table, the simulations
    and the closed forms."""
    ratio = betas["beta_continuous_ols"] / betas["beta_binary_ols"]
    ns = np.unique(betas["n"].values)
    at = (betas["n"] == ref_n) & (betas["d"] == ref_d)
    values = {
        "cont/gridn": ", ".join(str(int(n)) for n in ns),
        "cont/gridcount": str(betas.sizes["row"]),
        "cont/nmin": str(int(ns.min())), "cont/nmax": str(int(ns.max())),
        "cont/ratio/nmin": fixed(float(ratio.where(betas["n"] == ns.min()).max()), 2),
        "cont/ratio/nmax": fixed(float(ratio.where(betas["n"] == ns.max()).max()), 2),
        "cont/ratio/min": fixed(float(ratio.min()), 2),
    }
    if bool(at.any()):
        row = betas.where(at, drop=True).isel(row=0)
        values |= {"cont/ref/n": str(ref_n), "cont/ref/d": str(ref_d),
                   "cont/ref/binary": fixed(float(row["beta_binary_published"]), 2),
                   "cont/ref/continuous": fixed(float(row["beta_continuous_published"]), 2)}
    book, rounded = kan["book"].values, np.round(kan["ball_normalised"].values)
    values |= {
        "kan/n": str(kan.attrs["n"]), "kan/d": str(kan.attrs["d"]), "kan/r": thousands(kan.attrs["r"]),
        "kan/p": fixed(kan.attrs["space_fraction"], 6), "kan/e0": fixed(kan.attrs["expected_ball"], 1),
        "kan/book0": f"{book[0]:g}", "kan/points": str(book.size), "kan/pbook": f"{book[0] / kan.attrs['r']:g}",
        "kan/agree": str(int(np.sum(rounded == book))),
        "kan/maxdiff": f"{float(np.max(np.abs(rounded - book))):g}",
        "kan/ratiomin": fixed(float(kan["ratio"].min()), 3), "kan/ratiomax": fixed(float(kan["ratio"].max()), 3),
        "kan/excess": fixed(100 * (kan.attrs["expected_ball"] / book[0] - 1), 1) + r"\%",
    }
    points = sum(ds.sizes["point"] for ds in runs.values())
    outside = sum(int(ds.attrs["n_outside"]) for ds in runs.values())
    values |= {"mc/runs": str(len(runs)), "mc/points": str(points), "mc/outside": str(outside),
               "mc/level": f"{100 * next(iter(runs.values())).attrs['level']:g}\\%",
               "mc/expected": fixed((1 - next(iter(runs.values())).attrs["level"]) * points, 1)}
    fit_gap = approx["beta_ols"] / approx["beta_approx"]
    width = (approx["log_upper"] - approx["log_dominant"]).where(np.isfinite(approx["log_exact"]))
    gap = (approx["log_exact"] - approx["log_dominant"]).where(np.isfinite(approx["log_exact"]))
    values |= {
        "approx/n": str(approx.attrs["n"]), "approx/radii": ", ".join(str(int(d)) for d in approx["d"].values),
        "approx/betas": ", ".join(fixed(float(b), 2) for b in approx["beta_approx"].values),
        "approx/ratiomin": fixed(float(fit_gap.min()), 2), "approx/ratiomax": fixed(float(fit_gap.max()), 2),
        "approx/widthmax": fixed(float(width.max() / math.log(10.0)), 1),
        "approx/gapmax": fixed(float(gap.max() / math.log(10.0)), 2),
    }
    return values
