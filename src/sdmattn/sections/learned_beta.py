"""Section "Learned β": the scales g that QK-norm Transformers learn, against the optimal β*.

- datasets: `combine_runs` (every training run in one table; a run's own table is
  `sdmattn.learned.training.run_dataset`, so restyling this section never retrains);
- figures: `plot_learned_beta` (histogram of g with the β* lines, settled heads filled and unsettled
  heads hatched, and g during training);
- report: `learned_table` and `learned_values` (per task: accuracy, heads settled, whether the runs from
  different initial g end at the same g), with the published scales when a file is given.
"""

from __future__ import annotations

import matplotlib.lines
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from ..learned.settle import agree
from .latex import booktabs, fixed
from .optimal import draw_beta_stars, in_range, share_between
from .plotting import new_figure, readable_log_axis

# Datasets -----------------------------------------------------------------------------------------


def combine_runs(runs: list[xr.Dataset]) -> xr.Dataset:
    """Stack runs along `run`, with task, seed, initial g, the scores and the settling settings as per-run
    variables (runs that settled early have shorter trajectories, padded with NaN)."""
    if not runs:
        raise ValueError("no training runs to combine")
    per_run = ("task", "seed", "g_init", "loss", "accuracy", "chance", "steps", "steps_trained", "corrupt", "window", "tol")
    stacked = xr.concat([r.drop_attrs() for r in runs], dim="run")
    for name in per_run:
        stacked[name] = ("run", np.array([r.attrs[name] for r in runs], dtype=object if name == "task" else None))
    stacked["task"] = stacked["task"].astype(str)
    return stacked.assign_coords(run=np.arange(len(runs)))


# Figures ------------------------------------------------------------------------------------------


def plot_learned_beta(runs: xr.Dataset, optimal: xr.Dataset, published: dict | None, style, width_in: float) -> Figure:
    """Histogram of learned g (all runs, layers, heads; one colour per initial g; settled heads filled,
    unsettled heads hatched) with dashed lines at β*_CD, β*_SNR, β*_Mem of the model's head dimension;
    published scales overlaid when given (left).
    g against training step for every head of the first task's runs (right): colour the initial g as on the
    left, line style the layer (the heads of a layer share its line style)."""
    fig, axes = new_figure(style, width_in, 0.42, ncols=2)
    left, right = axes[0]
    g = runs["g"]
    inits = list(np.unique(runs["g_init"].values))
    sets, labels, hatched = [], [], []
    for g0 in inits:
        for settled in (True, False):
            sets.append(head_values(runs, runs["g_init"].values == g0, settled))
            labels.append(rf"$g_0={g0:g}$, " + ("settled" if settled else "not settled"))
            hatched.append(not settled)
    every = np.concatenate([g.values.ravel()] + ([np.concatenate(list(published.values()))] if published else []))
    bins = np.geomspace(max(every.min(), 1e-2) * 0.9, every.max() * 1.1, 51)
    colours = [f"C{k}" for k in range(len(inits)) for _ in (0, 1)]
    _, _, containers = left.hist(sets, bins=bins, stacked=True, label=labels, color=colours)
    for bars, hatch, colour in zip(containers, hatched, colours):
        for bar in bars:
            if hatch:  # unsettled heads: hatched outline, no fill
                bar.set(facecolor="none", edgecolor=colour, hatch="////", lw=0.6)
    if published:
        left.hist(np.concatenate(list(published.values())), bins=bins, histtype="step", color="k", lw=1.0,
                  label="published (QK-Norm)")
    draw_beta_stars(left, right, optimal)
    left.set_xlabel(r"learned scale $g$ ($\beta$)")
    left.set_title(rf"head dimension $n={int(optimal['n'])}$")
    left.legend(fontsize=6)
    first = runs["task"].values[0]
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


def head_values(runs: xr.Dataset, sel: np.ndarray, settled: bool | None = None) -> np.ndarray:
    """The learned g of every head of the selected runs, only the settled (or unsettled) ones when asked."""
    g = runs["g"].values[sel]
    if settled is None:
        return g.ravel()
    return g[(runs["settled"].values[sel] != 0) == settled]


def g0_agreement(runs: xr.Dataset, task: str, rel: float) -> dict:
    """Per (seed, layer, head) of a task: does the run from the lowest initial g end at the same g as the
    run from the highest one (within `rel`), and did both settle? Counts, and each side's median g."""
    sel = runs["task"].values == task
    inits = np.unique(runs["g_init"].values[sel])
    lo_g, hi_g, both, same = [], [], 0, 0
    for seed in np.unique(runs["seed"].values[sel]):
        pick = lambda g0: int(np.flatnonzero(sel & (runs["seed"].values == seed) & (runs["g_init"].values == g0))[0])  # noqa: E731
        a, b = pick(inits[0]), pick(inits[-1])
        ga, gb = runs["g"].values[a], runs["g"].values[b]
        settled = (runs["settled"].values[a] != 0) & (runs["settled"].values[b] != 0)
        lo_g.append(ga.ravel())
        hi_g.append(gb.ravel())
        both += int(settled.sum())
        same += int(agree(ga, gb, rel).sum())
    lo_g, hi_g = np.concatenate(lo_g), np.concatenate(hi_g)
    return {"pairs": lo_g.size, "same": same, "both_settled": both, "inits": (float(inits[0]), float(inits[-1])),
            "median": (float(np.median(lo_g)), float(np.median(hi_g))), "comparable": len(inits) > 1}


def _tasks(runs: xr.Dataset) -> list[str]:
    return list(dict.fromkeys(str(t) for t in runs["task"].values))


def _task_numbers(runs: xr.Dataset, task: str, rel: float) -> dict:
    """What the table and the prose both say of a task: its runs (a mask), mean accuracy, chance and loss,
    every head's g, how many heads settled, and the agreement of the starts (`g0_agreement`)."""
    sel = runs["task"].values == task
    return {"sel": sel, "accuracy": float(runs["accuracy"].values[sel].mean()), "chance": float(runs["chance"].values[sel].mean()),
            "loss": float(runs["loss"].values[sel].mean()), "g": head_values(runs, sel),
            "settled": int((runs["settled"].values[sel] != 0).sum()), "match": g0_agreement(runs, task, rel)}


def learned_table(runs: xr.Dataset, optimal: xr.Dataset, rel: float) -> str:
    """Per task: runs, steps trained (most), accuracy against chance, median learned g, share of g within
    [β*_CD, β*_Mem], heads settled, and heads at which the runs from the lowest and highest initial g end
    within `rel` of each other."""
    lo, hi = float(optimal["beta_published_cd"]), float(optimal["beta_published_mem"])
    rows = []
    for task in _tasks(runs):
        t = _task_numbers(runs, task, rel)
        g, match = t["g"], t["match"]
        rows.append([
            task, str(int(t["sel"].sum())), str(int(runs["steps_trained"].values[t["sel"]].max())),
            fixed(t["accuracy"], 3), fixed(t["chance"], 3),
            fixed(float(np.median(g)), 2), fixed(100 * share_between(g, lo, hi), 0) + r"\%",
            f"{t['settled']}/{g.size}",
            f"{match['same']}/{match['pairs']}" if match["comparable"] else "--",
        ])
    header = ["task", "runs", "steps", "accuracy", "chance", "median $g$",
              r"$g \in [\beta^*_{\rm CD}, \beta^*_{\rm Mem}]$", "settled", rf"same $g$ ($\pm{100 * rel:g}\%$)"]
    return booktabs(header, rows, "lrrrrrrrr")


TASK_DESCRIPTIONS = {
    "recall": "associative recall with noisy query keys (the SDM setting)",
    "induction": "induction (continuing a repeated sequence)",
    "completion": "pattern completion (continuing a motif repeated with a random period)",
}


def _task_sentence(runs: xr.Dataset, task: str, rel: float) -> str:
    """One sentence of numbers on a task: accuracy, heads settled, and whether the starts agree."""
    t = _task_numbers(runs, task, rel)
    text = (f"{task}: accuracy {fixed(t['accuracy'], 3)} (chance {fixed(t['chance'], 3)}), "
            f"training loss {fixed(t['loss'], 3)}, {t['settled']} of {t['g'].size} heads settled")
    match = t["match"]
    if match["comparable"]:
        (a, b), (ma, mb) = match["inits"], match["median"]
        text += (f"; from $g_0={a:g}$ and ${b:g}$, $g$ ends within {100 * rel:g}\\% at "
                 f"{match['same']} of {match['pairs']} heads (median {fixed(ma, 2)} against {fixed(mb, 2)})")
    return text


def _steps_run(steps) -> str:
    """'2000 steps each' when every run went to the same step, else '2200 to 2500 steps'."""
    lo, hi = int(min(steps)), int(max(steps))
    return f"{lo} steps each" if lo == hi else f"{lo} to {hi} steps"


def learned_values(runs: xr.Dataset, optimal: xr.Dataset, published: dict | None, rel: float) -> dict[str, str]:
    """Macros for the learned-β section, including a sentence per task and one on the published overlay (or none)."""
    lo, hi = float(optimal["beta_published_cd"]), float(optimal["beta_published_mem"])
    g = runs["g"].values.ravel()
    settled = runs["settled"].values.ravel() != 0
    layers, heads = runs["g"].shape[1:]
    tasks = _tasks(runs)
    values = {
        "lb/runs": str(runs.sizes["run"]),
        "lb/heads": str(g.size),
        "lb/layers": str(layers),
        "lb/perlayer": str(heads),
        "lb/steps": str(int(runs["steps"].values.max())),
        "lb/stepsrun": _steps_run(runs["steps_trained"].values),
        "lb/window": str(int(runs["window"].values.max())),
        "lb/tol": fixed(float(runs["tol"].values.max()), 3),
        "lb/agree": rf"{100 * rel:g}\%",
        "lb/corrupt": fixed(float(runs["corrupt"].values.max()), 2),
        "lb/ginit": ", ".join(f"{x:g}" for x in np.unique(runs["g_init"].values)),
        "lb/n": str(int(optimal["n"])),
        "lb/tasks": "; ".join(TASK_DESCRIPTIONS[t] for t in tasks),
        "lb/pertask": "; ".join(_task_sentence(runs, t, rel) for t in tasks) + ".",
        "lb/cd": fixed(lo, 2), "lb/snr": fixed(float(optimal["beta_published_snr"]), 2), "lb/mem": fixed(hi, 2),
        "lb/between": fixed(100 * share_between(g, lo, hi), 0) + r"\%",
        "lb/settled": str(int(settled.sum())),
        "lb/gmin": fixed(float(g.min()), 2), "lb/gmax": fixed(float(g.max()), 2),
        "lb/median": fixed(float(np.median(g)), 2),
        "lb/mediansettled": fixed(float(np.median(g[settled])), 2) if settled.any() else "none",
        "lb/betweensettled": (fixed(100 * share_between(g[settled], lo, hi), 0) + r"\%") if settled.any() else "none",
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
