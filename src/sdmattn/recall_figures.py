"""Figures of the recall experiments, drawn from the recall tables only (see `sdmattn.recall`).

- `plot_recall`: recall cosine against the noise k, a row per dataset and a column per radius, a
  line per pattern-view memory (mean, with a band of ± one standard deviation over queries and
  repeats) and the neuron-SDM job's models as markers;
- `plot_neuron_recall`: the explicit-neuron SDM against its pattern view (finite-neuron sampling and
  the r I / 2^n expectation) on the same queries, with the paired difference and its tolerance.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from .figures import new_figure
from .recall import MODELS, paired_agreement, summary

STYLE = {  # model: (colour, line style, marker): an SDM and the attention fitted to it share a colour
    "sdm_binary": ("C0", "-", None),
    "attention_binary": ("C0", "--", None),
    "sdm_continuous": ("C1", "-", None),
    "attention_continuous": ("C1", "--", None),
    "sdm_neuron": ("C2", "none", "o"),
    "sdm_sampled": ("C3", "none", "x"),
}


def _label(model: str) -> str:
    return MODELS[model][1]


def _curve(ax, s: xr.Dataset, model: str, *, band: bool):
    colour, ls, marker = STYLE[model]
    k = s["k"].values
    mean, std = s["mean"].sel(model=model).values, s["std"].sel(model=model).values
    if band:
        ax.plot(k, mean, ls, color=colour, marker=marker, ms=2.5, lw=1.0, label=_label(model))
        ax.fill_between(k, mean - std, mean + std, color=colour, alpha=0.12, lw=0)
    else:  # the neuron-SDM job's fewer queries: means only (their spread is in the neuron figure)
        ax.plot(k, mean, marker, color=colour, ms=3.5, mfc="none" if marker == "o" else None, label=_label(model))


def plot_recall(tables: dict[str, xr.Dataset], neuron: dict[str, xr.Dataset], style, width_in: float) -> Figure:
    """Recall cosine against k: a row per dataset, a column per radius (see the module docstring)."""
    columns = max(ds.sizes["radius"] for ds in tables.values())
    fig, axes = new_figure(style, width_in, 0.3 * len(tables) + 0.08, nrows=len(tables), ncols=columns,
                           sharey=True)
    for row, (name, ds) in enumerate(tables.items()):
        s = summary(ds)
        extra = neuron.get(name)
        for col in range(columns):
            ax = axes[row, col]
            if col >= ds.sizes["radius"]:
                ax.set_visible(False)
                continue
            label, d = str(ds["radius"].values[col]), int(ds["d"].values[col])
            for model in ds["model"].values:
                _curve(ax, s.sel(radius=label), str(model), band=True)
            if extra is not None and label in extra["radius"].values:
                se = summary(extra).sel(radius=label)
                for model in ("sdm_neuron", "sdm_sampled"):
                    _curve(ax, se, model, band=False)
            ax.set_title(rf"{name} ($n={ds.attrs['n']}$): $d={d}$ ({label})", fontsize=7)
            ax.set_ylim(-0.15, 1.05)
            ax.axhline(0.0, color="0.8", lw=0.5, zorder=0)
            if row == len(tables) - 1:
                ax.set_xlabel("noise $k$ (bits flipped; cosine $1 - 2k/n$)")
        axes[row, 0].set_ylabel("recall cosine")
    handles = {}
    for ax in axes.ravel():
        for h, lab in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(lab, h)
    fig.legend(handles.values(), handles.keys(), loc="outside upper center", ncol=3, fontsize=6.5)
    return fig


def plot_neuron_recall(neuron: dict[str, xr.Dataset], z: float, style, width_in: float) -> Figure:
    """Neuron SDM against its pattern view: mean recall cosine ± standard error (top) and the paired
    differences neuron - sampled after one read and converged, with the tolerance ± z standard errors
    (bottom), a column per (dataset, radius)."""
    panels = [(name, str(label)) for name, ds in neuron.items() for label in ds["radius"].values]
    fig, axes = new_figure(style, width_in, 0.55, nrows=2, ncols=max(1, len(panels)), sharex="col")
    if not panels:
        axes[0, 0].text(0.5, 0.5, "no dataset runs the neuron SDM", ha="center", transform=axes[0, 0].transAxes)
        axes[1, 0].set_visible(False)
        return fig
    for col, (name, label) in enumerate(panels):
        ds = neuron[name].sel(radius=label)
        count = ds.sizes["repeat"] * ds.sizes["query"]
        k = ds["k"].values
        top, bottom = axes[0, col], axes[1, col]
        for i, model in enumerate(ds["model"].values):
            colour, _, marker = STYLE.get(str(model), ("C0", "-", "s"))
            cos = ds["cosine"].sel(model=model).stack(sample=("repeat", "query"))
            legend = r"binary SDM, expectation $rI/2^n$" if model == "sdm_binary" else _label(str(model))
            top.errorbar(k + (i - 1) * 0.004 * ds.attrs["n"], cos.mean("sample"), yerr=cos.std("sample") / np.sqrt(count),
                         fmt=(marker or "s") + "-", color=colour, ms=3, lw=0.8, capsize=1.5, label=legend)
        for i, (variable, marker, what) in enumerate((("first_read", "o", "after one read"), ("cosine", "s", "converged"))):
            agree = paired_agreement(neuron[name].sel(radius=[label]), "sdm_neuron", "sdm_sampled", z, variable).isel(radius=0)
            bottom.errorbar(k + (i - 0.5) * 0.004 * ds.attrs["n"], agree["difference"], yerr=agree["tolerance"], fmt=marker,
                            color=f"C{i}", ms=3, lw=0.8, capsize=2, label=f"{what} (± {z:g} s.e.)")
        bottom.axhline(0.0, color="0.5", lw=0.6)
        r = f"{2 ** ds.attrs['log2_r']:,.0f}".replace(",", "{,}")
        top.set_title(rf"{name}: $n={ds.attrs['n']}$, $m={ds.attrs['m']}$, $r={r}$, $d={int(ds['d'])}$", fontsize=8)
        top.set_ylim(-0.1, 1.05)
        bottom.set_xlabel("noise $k$")
    axes[0, 0].set_ylabel("recall cosine")
    axes[1, 0].set_ylabel("neuron $-$ sampled")
    axes[0, 0].legend(fontsize=6)
    axes[1, 0].legend(fontsize=6)
    return fig
