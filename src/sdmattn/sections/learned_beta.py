"""Section "Learned β": the scales g that QK-norm Transformers learn, against the optimal β*.

- datasets: `combine_runs` (every training run in one table; a run's own table is
  `sdmattn.learned.training.run_dataset`, so restyling this section never retrains);
- figures: `plot_learned_beta` (histogram of g with the β* lines, and g during training);
- report: `learned_table` and `learned_values`, with the published scales when a file is given.
"""

from __future__ import annotations

import matplotlib.lines
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from .latex import booktabs, fixed
from .optimal import draw_beta_stars, in_range, share_between
from .plotting import new_figure, readable_log_axis

# Datasets -----------------------------------------------------------------------------------------


def combine_runs(runs: list[xr.Dataset]) -> xr.Dataset:
    """Stack runs along `run`, with task, seed, initial g and the scores as per-run variables."""
    if not runs:
        raise ValueError("no training runs to combine")
    per_run = ("task", "seed", "g_init", "loss", "accuracy", "chance", "settled", "steps")
    stacked = xr.concat([r.drop_attrs() for r in runs], dim="run")
    for name in per_run:
        stacked[name] = ("run", np.array([r.attrs[name] for r in runs], dtype=object if name == "task" else None))
    stacked["task"] = stacked["task"].astype(str)
    return stacked.assign_coords(run=np.arange(len(runs)))


# Figures ------------------------------------------------------------------------------------------


def plot_learned_beta(runs: xr.Dataset, optimal: xr.Dataset, published: dict | None, style, width_in: float) -> Figure:
    """Histogram of learned g (all runs, layers, heads; one colour per initial g) with dashed lines at
    β*_CD, β*_SNR, β*_Mem of the model's head dimension; published scales overlaid when given (left).
    g against training step for every head of the first task's runs (right): colour the initial g as on the
    left, line style the layer (the heads of a layer share its line style)."""
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
    inits = list(np.unique(runs["g_init"].values))
    styles = ["-", "--", ":", "-."]
    for run in runs["run"].values[runs["task"].values == first]:
        traj = runs["g_trajectory"].sel(run=run)  # (checkpoint, layer, head)
        colour = f"C{inits.index(float(runs['g_init'].sel(run=run)))}"  # the histogram's colour for this g_0
        for i, layer in enumerate(traj["layer"].values):
            for head in traj["head"].values:
                right.plot(runs["checkpoint"], traj.sel(layer=layer, head=head), styles[i % len(styles)], color=colour, lw=0.8)
    handles = [matplotlib.lines.Line2D([], [], color=f"C{k}", label=f"$g_0={g0:g}$") for k, g0 in enumerate(inits)]
    handles += [matplotlib.lines.Line2D([], [], color="0.3", ls=styles[i % len(styles)], label=f"layer {layer}")
                for i, layer in enumerate(runs["g_trajectory"]["layer"].values)]
    handles.append(matplotlib.lines.Line2D([], [], color="0.3", ls="--", lw=1.0, label=r"$\beta^*$ (colours as left)"))
    right.set_yscale("log")
    readable_log_axis(right.yaxis)
    right.legend(handles=handles, fontsize=6)
    right.set_xlabel("training step")
    right.set_ylabel("$g$")
    right.set_title(f"task: {first}")
    return fig


# Report values and tables -------------------------------------------------------------------------


def learned_table(runs: xr.Dataset, optimal: xr.Dataset) -> str:
    """Per task: runs, accuracy against chance, median learned g, share of g within [β*_CD, β*_Mem],
    share of runs whose g settled."""
    lo, hi = float(optimal["beta_published_cd"]), float(optimal["beta_published_mem"])
    rows = []
    for task in dict.fromkeys(str(t) for t in runs["task"].values):
        sel = runs["task"].values == task
        g = runs["g"].values[sel].ravel()
        rows.append([
            task, str(int(sel.sum())), fixed(float(runs["accuracy"].values[sel].mean()), 3),
            fixed(float(runs["chance"].values[sel].mean()), 3), fixed(float(np.median(g)), 2),
            fixed(100 * share_between(g, lo, hi), 0) + r"\%", fixed(100 * float(runs["settled"].values[sel].mean()), 0) + r"\%",
        ])
    header = ["task", "runs", "accuracy", "chance", "median $g$", r"$g \in [\beta^*_{\rm CD}, \beta^*_{\rm Mem}]$", "settled"]
    return booktabs(header, rows, "lrrrrrr")


TASK_DESCRIPTIONS = {
    "recall": "associative recall with noisy query keys (the SDM setting)",
    "induction": "induction (continuing a repeated sequence)",
    "completion": "pattern completion (continuing a motif repeated with a random period)",
}


def learned_values(runs: xr.Dataset, optimal: xr.Dataset, published: dict | None) -> dict[str, str]:
    """Macros for the learned-β section, including a sentence on the published overlay (or none)."""
    lo, hi = float(optimal["beta_published_cd"]), float(optimal["beta_published_mem"])
    g = runs["g"].values.ravel()
    layers, heads = runs["g"].shape[1:]
    values = {
        "lb/runs": str(runs.sizes["run"]),
        "lb/heads": str(g.size),
        "lb/layers": str(layers),
        "lb/perlayer": str(heads),
        "lb/steps": str(int(runs["steps"].values.max())),
        "lb/ginit": ", ".join(f"{x:g}" for x in np.unique(runs["g_init"].values)),
        "lb/n": str(int(optimal["n"])),
        "lb/tasks": "; ".join(TASK_DESCRIPTIONS[t] for t in dict.fromkeys(str(t) for t in runs["task"].values)),
        "lb/cd": fixed(lo, 2), "lb/snr": fixed(float(optimal["beta_published_snr"]), 2), "lb/mem": fixed(hi, 2),
        "lb/between": fixed(100 * share_between(g, lo, hi), 0) + r"\%",
        "lb/settled": str(int(runs["settled"].values.sum())),
        "lb/gmin": fixed(float(g.min()), 2), "lb/gmax": fixed(float(g.max()), 2),
    }
    if published:
        parts = [f"{name}: {int(in_range(v, lo, hi).sum())} of {len(v)}" for name, v in published.items()]
        values["lb/published"] = (
            "The published scales of the QK-Norm Transformers are overlaid; between "
            r"$\beta^*_{\rm CD}$ and $\beta^*_{\rm Mem}$ lie " + "; ".join(parts) + "."
        )
    else:
        values["lb/published"] = ""
    return values
