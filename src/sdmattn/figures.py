"""The pipeline's figures, drawn from tables only (no recomputation), as deterministic vector PDFs.

Each `plot_*` function takes arrays or Datasets and returns a matplotlib Figure of the report's text
width; `save_pdf` writes it with no creation date, so the same data gives the same bytes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ._intersection import normalised_weights  # noqa: E402
from .io import atomic_path, current_provenance  # noqa: E402

LOG10 = np.log(10.0)


def new_figure(style: str | os.PathLike, width_in: float, height_ratio: float, **subplots) -> tuple[Figure, np.ndarray]:
    """A figure in the project style, `width_in` wide, with `plt.subplots(**subplots)` axes (always an array)."""
    plt.style.use(str(style))
    fig, axes = plt.subplots(figsize=(width_in, width_in * height_ratio), squeeze=False, **subplots)
    return fig, axes


def save_pdf(fig: Figure, path: str | os.PathLike) -> Path:
    """Save as a vector PDF with fixed metadata (no creation date): byte-identical for identical data.
    Inside a stage the provenance goes into the metadata (Subject: stage and commit; Keywords: the rest)."""
    meta = {"CreationDate": None, "ModDate": None, "Creator": "sdmattn"}
    attrs = current_provenance()
    if attrs:
        meta["Subject"] = f"sdmattn stage {attrs.get('stage')}, git commit {attrs.get('git_commit')}"
        meta["Keywords"] = json.dumps({"package_versions": json.loads(attrs.get("package_versions") or "{}"),
                                       "resolved_config": attrs.get("resolved_config", "")})
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="pdf", metadata=meta)
    plt.close(fig)
    return Path(path)


def softmax_weights(beta: float, n: int) -> np.ndarray:
    """softmax(β cos) over d_v = 0..n: the logits β cos normalised like intersection log counts."""
    return normalised_weights(beta * (1.0 - 2.0 * np.arange(n + 1) / n))


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


OBJECTIVE_LABELS = {"snr": "SNR", "mem": "Mem", "cd": "CD"}


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
    right.legend()
    return fig


def plot_beta_vs_context(context: xr.Dataset, style, width_in: float) -> Figure:
    """β* against context length m, one panel per n (r = 2^n): published (solid) and OLS (dashed) estimators."""
    ns = [int(n) for n in context["n"].values]
    fig, axes = new_figure(style, width_in, 0.38, ncols=len(ns), sharey=False)
    m = context["m"].values
    for ax, n in zip(axes[0], ns):
        for k, (obj, label) in enumerate(OBJECTIVE_LABELS.items()):
            colour = f"C{k}"
            ax.plot(m, context[f"beta_published_{obj}"].sel(n=n), "-", color=colour, label=rf"$\beta^*_{{\rm {label}}}$")
            ax.plot(m, context[f"beta_ols_{obj}"].sel(n=n), "--", color=colour, lw=0.8)
        ax.set_xscale("log")
        ax.set_xlabel("context length $m$")
        ax.set_title(rf"$n={n}$, $r=2^{{{n}}}$")
    axes[0, 0].set_ylabel(r"$\beta^*$ (solid: published, dashed: OLS)")
    axes[0, 0].legend()
    return fig


def draw_beta_stars(hist_ax, trace_ax, optimal: xr.Dataset) -> None:
    """Dashed lines at β*_CD, β*_SNR, β*_Mem (published estimator) of one optimal-radius row: vertical
    and labelled on a log-x histogram of heads, horizontal on a trace."""
    for k, (obj, label) in enumerate(OBJECTIVE_LABELS.items()):
        star = float(optimal[f"beta_published_{obj}"])
        hist_ax.axvline(star, ls="--", color=f"C{k + 3}", lw=1.0, label=rf"$\beta^*_{{\rm {label}}}$")
        trace_ax.axhline(star, ls="--", color=f"C{k + 3}", lw=1.0)
    hist_ax.set_xscale("log")
    hist_ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    hist_ax.set_ylabel("heads")


def plot_learned_beta(runs: xr.Dataset, optimal: xr.Dataset, published: dict | None, style, width_in: float) -> Figure:
    """Histogram of learned g (all runs, layers, heads; one colour per initial g) with dashed lines at
    β*_CD, β*_SNR, β*_Mem of the model's head dimension; published scales overlaid when given (left).
    g against training step for the heads of the first task (right)."""
    fig, axes = new_figure(style, width_in, 0.42, ncols=2)
    left, right = axes[0]
    g = runs["g"]
    values = [g.values[runs["g_init"].values == g0].ravel() for g0 in np.unique(runs["g_init"].values)]
    every = np.concatenate(values + ([np.concatenate(list(published.values()))] if published else []))
    bins = np.geomspace(max(every.min(), 1e-2) * 0.9, every.max() * 1.1, 51)
    labels = [f"ours, $g_0={g0:g}$" for g0 in np.unique(runs["g_init"].values)]
    left.hist(values, bins=bins, stacked=True, label=labels, alpha=0.8)
    if published:
        left.hist(np.concatenate(list(published.values())), bins=bins, histtype="step", color="k", lw=1.0,
                  label="published (QK-Norm)")
    draw_beta_stars(left, right, optimal)
    left.set_xlabel(r"learned scale $g$ ($\beta$)")
    left.set_title(rf"head dimension $n={int(optimal['n'])}$")
    left.legend(fontsize=6)
    first = runs["task"].values[0]
    for run in runs["run"].values[runs["task"].values == first]:
        traj = runs["g_trajectory"].sel(run=run)
        flat = traj.values.reshape(traj.shape[0], -1)
        for j in range(flat.shape[1]):
            right.plot(runs["checkpoint"], flat[:, j], "-", lw=0.8)
    right.set_yscale("log")
    right.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    right.set_xlabel("training step")
    right.set_ylabel("$g$")
    right.set_title(f"task: {first}")
    return fig


def plot_weightings(datasets: list[xr.Dataset], style, width_in: float) -> Figure:
    """The comparison grid: normalised weights of binary SDM (solid), continuous SDM (dashed) and
    softmax(β cos) with the β fitted to binary SDM (dotted) against d_v, one colour per radius;
    one row per dimension, linear (left) and log (right) weights."""
    datasets = sorted(datasets, key=lambda ds: int(ds.attrs["n"]))
    fig, axes = new_figure(style, width_in, 0.3 * len(datasets), nrows=len(datasets), ncols=2)
    for row, ds in zip(axes, datasets):
        n = int(ds.attrs["n"])
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
            for ax in row:
                for w, ls in curves:
                    ax.plot(dv, w, ls, color=colour, lw=0.9)
            last = max(last, int(np.flatnonzero(np.isfinite(f["log_continuous"].values))[-1]))
        row[0].set_xlim(0, max(4, last // 3))
        row[1].set_xlim(0, last + 1)
        row[1].set_yscale("log")
        row[1].set_ylim(1e-12, 1.0)
        row[0].set_ylabel(rf"$n={n}$" + "\nweight")
        for d, colour in zip(ds["d"].values, colours):
            row[0].plot([], [], "-", color=colour, label=f"$d={int(d)}$")
        row[0].legend(fontsize=5.5, ncol=2)
    for ax in axes[-1]:
        ax.set_xlabel(r"Hamming distance $d_v$ (cos $= 1 - 2d_v/n$)")
    kinds = [axes[0, 1].plot([], [], ls, color="0.3", label=label)[0] for ls, label in
             (("-", "binary SDM"), ("--", "continuous SDM"), (":", r"softmax, $\beta$ fitted to binary SDM"))]
    fig.legend(handles=kinds, loc="outside upper center", ncol=3)
    axes[0, 0].set_title("weights")
    axes[0, 1].set_title("weights (log scale)")
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


QUERY_LABELS = {"last": "last token ([SEP]) query", "content": "last word token query"}


def plot_effective_beta(tables: list[xr.Dataset], optimal: list[xr.Dataset], labels: list[str], style, width_in: float) -> Figure:
    """Per pre-trained model (a row): histogram of each head's effective β (median over texts) for the
    two queries, with dashed lines at β*_CD, β*_SNR, β*_Mem of the model's head dimension (left); the
    per-layer medians over texts and heads against depth, with the content query's interquartile band
    and the cosine form β_cos (right)."""
    fig, axes = new_figure(style, width_in, 0.42 * len(tables), nrows=len(tables), ncols=2)
    for (left, right), ds, row, label in zip(axes, tables, optimal, labels):
        per_head = {q: ds["beta"].sel(query=q).median("text").values.ravel() for q in QUERY_LABELS}
        every = np.concatenate(list(per_head.values()))
        low = max(every.min(), 0.1)  # log bins: a head with β below 0.1 (even negative) is counted in the first
        per_head = {q: np.clip(v, low, None) for q, v in per_head.items()}
        bins = np.geomspace(low * 0.9, every.max() * 1.1, 41)
        left.hist(per_head["content"], bins=bins, alpha=0.7, label=QUERY_LABELS["content"])
        left.hist(per_head["last"], bins=bins, histtype="step", color="k", lw=1.0, label=QUERY_LABELS["last"])
        layer = ds["layer"].values
        for q in QUERY_LABELS:
            right.plot(layer, ds["beta"].sel(query=q).median(("text", "head")), "o-", color="k" if q == "last" else "C0",
                       ms=3, label=rf"$\beta$, {QUERY_LABELS[q]}")
        content = ds["beta"].sel(query="content")
        right.fill_between(layer, content.quantile(0.25, ("text", "head")), content.quantile(0.75, ("text", "head")),
                           color="C0", alpha=0.2, lw=0)
        right.plot(layer, ds["beta_cos"].sel(query="content").median(("text", "head")), "s--", color="C1", ms=3,
                   label=r"$\beta_{\cos}$, word query")
        draw_beta_stars(left, right, row)
        left.set_xlabel(r"effective $\beta$ of a head (median over texts)")
        left.set_title(rf"{label}: $n={int(ds.attrs['head_dim'])}$, $m={int(row['m'])}$")
        left.legend(fontsize=6)
        right.set_yscale("log")
        right.yaxis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        right.yaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        right.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        right.set_xticks(layer)
        right.set_xlabel("layer")
        right.set_ylabel(r"median $\beta$ over texts and heads")
        right.legend(fontsize=6)
    return fig
