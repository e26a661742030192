"""Generated LaTeX of the recall section: value macros and the recall-limit table (see `sdmattn.report`).

The recall limit of a memory is the largest noise level k of the grid up to which the mean recall
cosine stays at or above the threshold; attention tracks SDM when the gap between their mean curves
is small; the neuron SDM agrees with its pattern view at a (radius, k) point when the mean of the
paired differences lies within z standard errors of zero.
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from .recall import MODELS, attention_gap, mean_over_noise, paired_agreement, recall_limit, summary
from .report import OBJECTIVE_NAMES, booktabs, fixed, sci, thousands

ROWS = ("sdm_neuron", "sdm_sampled", "sdm_binary", "attention_binary", "sdm_continuous", "attention_continuous")


def _radius_name(label: str) -> str:
    return rf"$d^*_{{\rm {OBJECTIVE_NAMES[label]}}}$" if label in OBJECTIVE_NAMES else f"${label}$"


def _limit_cell(k: int) -> str:
    return "--" if k < 0 else str(int(k))


def recall_limit_table(tables: dict[str, xr.Dataset], neuron: dict[str, xr.Dataset], threshold: float) -> str:
    """Per dataset and memory (rows) and radius (columns): the mean recall cosine over the noise grid
    and, in brackets, the recall limit k ('--': below the threshold already at the smallest k). The
    neuron-SDM job's rows use its own noise levels and queries."""
    labels = list(dict.fromkeys(str(lab) for ds in tables.values() for lab in ds["radius"].values))
    rows = []
    for name, ds in tables.items():
        jobs = [(ds, ds["model"].values)]
        if name in neuron:  # only the models the pattern-view job lacks
            jobs.append((neuron[name], [m for m in neuron[name]["model"].values if m not in ds["model"].values]))
        cells = {}
        for job, models in jobs:
            area, limit = mean_over_noise(job), recall_limit(job, threshold)
            for model in models:
                for lab in job["radius"].values:
                    cells.setdefault(str(model), {})[str(lab)] = (
                        f"{fixed(float(area.sel(model=model, radius=lab)), 3)} "
                        f"({_limit_cell(int(limit.sel(model=model, radius=lab)))})")
        radii = ", ".join(f"{int(d)}" for d in ds["d"].values)
        for i, model in enumerate(m for m in ROWS if m in cells):
            head = rf"{name} ($n={ds.attrs['n']}$; $d = {radii}$)" if i == 0 else ""
            rows.append([head, MODELS[model][1]] + [cells[model].get(lab, "") for lab in labels])
    header = ["dataset", "memory"] + [_radius_name(lab) for lab in labels]
    return booktabs(header, rows, "ll" + "r" * len(labels))


def memory_values(tables: dict[str, xr.Dataset], neuron: dict[str, xr.Dataset], threshold: float, z: float) -> dict[str, str]:
    """Macros for the recall section: the set-up, the best memory per dataset and radius, how far
    attention's curve lies from SDM's, and the neuron SDM's agreement with its pattern view."""
    first = next(iter(tables.values())).attrs
    values = {
        "mem/datasets": ", ".join(tables), "mem/count": str(len(tables)),
        "mem/repeats": str(next(iter(tables.values())).sizes["repeat"]),
        "mem/maxsteps": str(first["max_steps"]), "mem/tolerance": f"{first['tolerance']:g}",
        "mem/threshold": f"{threshold:g}", "mem/z": f"{z:g}", "mem/estimator": str(first["estimator"]),
    }
    for name, ds in tables.items():
        key = f"mem/{name}"
        values |= {
            f"{key}/n": str(ds.attrs["n"]), f"{key}/m": thousands(ds.attrs["m"]),
            f"{key}/r": rf"2^{{{ds.attrs['n']}}}" if ds.attrs["log2_r"] == ds.attrs["n"] else sci(2.0 ** ds.attrs["log2_r"]),
            f"{key}/queries": str(ds.sizes["query"]), f"{key}/kmax": str(int(ds["k"].max())),
            f"{key}/radii": ", ".join(str(int(d)) for d in ds["d"].values),
        }
        limit, area = recall_limit(ds, threshold), mean_over_noise(ds)
        for label in ds["radius"].values:
            lim, auc = limit.sel(radius=label), area.sel(radius=label)
            best = str(auc.idxmax("model").values)
            values[f"{key}/{label}/d"] = str(int(ds["d"].sel(radius=label)))
            values[f"{key}/{label}/best"] = MODELS[best][1]
            values[f"{key}/{label}/bestarea"] = fixed(float(auc.max()), 3)
            for model in ds["model"].values:
                values[f"{key}/{label}/{model}/limit"] = _limit_cell(int(lim.sel(model=model)))
                values[f"{key}/{label}/{model}/area"] = fixed(float(auc.sel(model=model)), 3)
            excess = float(ds["log_tail_excess"].sel(radius=label))
            values[f"{key}/{label}/tailratio"] = fixed(math.exp(excess), 2) if math.isfinite(excess) else r"\infty"
            values[f"{key}/{label}/betabinary"] = fixed(float(ds["beta_binary"].sel(radius=label)), 2)
            values[f"{key}/{label}/betacontinuous"] = fixed(float(ds["beta_continuous"].sel(radius=label)), 2)
        for kind, gap in attention_gap(ds).items():
            values[f"{key}/gap/{kind}/mean"] = fixed(float(gap.mean()), 3)
            values[f"{key}/gap/{kind}/max"] = fixed(float(gap.max()), 3)
            worst = gap.where(gap == gap.max(), drop=True)
            values[f"{key}/gap/{kind}/maxk"] = str(int(worst["k"].values[0]))
            values[f"{key}/gap/{kind}/maxradius"] = _radius_name(str(worst["radius"].values[0])).strip("$")
            for label in ds["radius"].values:
                values[f"{key}/gap/{kind}/{label}/mean"] = fixed(float(gap.sel(radius=label).mean()), 3)
        zero = summary(ds)["mean"].isel(k=0)
        values[f"{key}/k0/min"] = fixed(float(zero.min()), 3)
        values[f"{key}/k0/max"] = fixed(float(zero.max()), 3)
    for name, ds in neuron.items():
        key = f"mem/neuron/{name}"
        sampled = paired_agreement(ds, "sdm_neuron", "sdm_sampled", z)
        once = paired_agreement(ds, "sdm_neuron", "sdm_sampled", z, "first_read")
        expected = paired_agreement(ds, "sdm_neuron", "sdm_binary", z)
        zs = np.abs(sampled["difference"] / sampled["se"]).fillna(0.0)  # 0/0: identical pairs
        values |= {
            f"{key}/r": thousands(round(2.0 ** ds.attrs["log2_r"])), f"{key}/n": str(ds.attrs["n"]),
            f"{key}/m": thousands(ds.attrs["m"]), f"{key}/radii": ", ".join(str(int(d)) for d in ds["d"].values),
            f"{key}/k": ", ".join(str(int(k)) for k in ds["k"].values), f"{key}/pairs": str(sampled.attrs["pairs"]),
            f"{key}/points": str(int(sampled["agree"].size)), f"{key}/agree": str(int(sampled["agree"].sum())),
            f"{key}/maxz": fixed(float(zs.max()), 2),
            f"{key}/maxdiff": fixed(float(np.abs(sampled["difference"]).max()), 3),
            f"{key}/once/agree": str(int(once["agree"].sum())),
            f"{key}/once/maxdiff": fixed(float(np.abs(once["difference"]).max()), 3),
            f"{key}/once/maxz": fixed(float(np.abs(once["difference"] / once["se"]).fillna(0.0).max()), 2),
            f"{key}/expected/agree": str(int(expected["agree"].sum())),
            f"{key}/expected/maxdiff": fixed(float(np.abs(expected["difference"]).max()), 3),
        }
    return values
