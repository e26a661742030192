"""Section "SDM and attention as associative memories": noisy recall on random and real data (spec section 8).

- datasets: `recall_table` (one dataset's recall by the pattern-view memories, or by the neuron SDM
  beside its pattern view), with the summaries `summary`, `recall_limit`, `mean_over_noise`,
  `attention_gap` and `paired_agreement` that the figures and the report share;
- figures: `plot_recall` (recall cosine against noise) and `plot_neuron_recall` (neurons against the
  pattern view);
- report: `recall_limit_table` and `memory_values`.

One dataset is m stored patterns of n bits (binary memories) and the same patterns as unit vectors
(continuous memories):

- `random`: uniformly random bits; the unit vectors are the bipolar patterns scaled by 1/√n;
- `digits`: the 8×8 images of scikit-learn's `load_digits` (shipped with the package, no download),
  n = 64: pixels above half the maximum ink (> 8 of 16) are the bits; the unit vectors are the
  L2-normalised intensities.

For each repeat (a seed) and noise level k, `queries` stored patterns become queries: k bits flipped
for binary memories, a rotation to cosine 1 - 2k/n for continuous ones. Each memory model recalls them
(`sdmattn.memory.recall`) at each radius d, and the table keeps the cosine between every converged query
and its target, with the reads it took. Every random draw comes from a key folded from
(seed, repeat, k), so a job that runs fewer queries or other k's (the neuron-SDM job) sees exactly
the same first queries: its results pair with the pattern-view ones query by query.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from .. import theory
from .._progress import progress
from ..pipeline.memory_config import DIGITS, SOURCES
from .latex import booktabs, fixed, sci, thousands
from .optimal import OBJECTIVE_NAMES
from .plotting import new_figure


# Datasets -----------------------------------------------------------------------------------------


MODELS = {  # name: (kind, label)
    "sdm_neuron": ("binary", "neuron SDM"),
    "sdm_sampled": ("binary", r"binary SDM, $r$ sampled neurons"),
    "sdm_binary": ("binary", "binary SDM"),
    "attention_binary": ("binary", r"attention, $\beta$ of binary SDM"),
    "sdm_continuous": ("continuous", "continuous SDM"),
    "attention_continuous": ("continuous", r"attention, $\beta$ of continuous SDM"),
}

PATTERN_MODELS = ("sdm_binary", "attention_binary", "sdm_continuous", "attention_continuous")

NEURON_MODELS = ("sdm_neuron", "sdm_sampled", "sdm_binary")

DIGIT_N, DIGIT_COUNT = DIGITS


@dataclass(frozen=True)
class RecallSetting:
    """One recall experiment: the data, the memories' size, the draws and the stopping rule."""

    name: str
    source: str
    n: int
    m: int
    r: float | None  # neurons (None: 2^n); the finite-neuron models need it
    seed: int = 0
    estimator: str = "published"
    max_steps: int = 100
    tolerance: float = 0.05

    def __post_init__(self):
        if self.source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, got {self.source!r}")
        if self.source == "digits" and (self.n != DIGIT_N or not 1 <= self.m <= DIGIT_COUNT):
            raise ValueError(f"digits need n = {DIGIT_N} and 1 <= m <= {DIGIT_COUNT}, got n={self.n}, m={self.m}")


def digit_images() -> np.ndarray:
    """scikit-learn's 1,797 handwritten digits as (1797, 64) intensities 0..16."""
    from sklearn.datasets import load_digits  # shipped inside scikit-learn: no download

    return np.asarray(load_digits().data, dtype=np.float64)


def load_patterns(setting: RecallSetting, key) -> tuple[np.ndarray, np.ndarray]:
    """The stored patterns of one repeat: (m, n) bits and the matching (m, n) unit vectors."""
    import jax  # the recall stage's builders load JAX where they run: figures and values do without

    n, m = setting.n, setting.m
    if setting.source == "random":
        bits = np.asarray(jax.random.bernoulli(key, 0.5, (m, n)))
        return bits, np.where(bits, 1.0, -1.0) / math.sqrt(n)
    images = digit_images()[np.asarray(jax.random.permutation(key, DIGIT_COUNT))[:m]]
    return images > 8.0, images / np.linalg.norm(images, axis=1, keepdims=True)


def noisy_queries(key, bits: np.ndarray, units: np.ndarray, k: int, count: int):
    """`count` distinct stored patterns (targets) and their noisy queries at noise k: bits with k
    flipped, unit vectors rotated to cosine 1 - 2k/n. The first rows do not depend on `count`."""
    m, n = bits.shape
    if not 0 <= k <= n:
        raise ValueError(f"k must be in 0..n = 0..{n}, got {k}")
    import jax

    k_target, k_noise = jax.random.split(key)
    targets = np.asarray(jax.random.permutation(k_target, m))[: min(count, m)]
    flipped, rotated = theory.noisy_rows(k_noise, bits[targets], units[targets], k)
    return targets, np.asarray(flipped), np.asarray(rotated)


def tail_excess(n: int, d: int) -> float:
    """log of (the exponential fitted to I over d_v < d, extrapolated to d_v = n/2) / I(n/2): how much
    more weight attention's fitted exponential gives an unrelated pattern than binary SDM does (+inf
    when n/2 lies beyond SDM's support 2d)."""
    fit = theory.beta_regression(n, d)
    return float(fit.intercept) - float(theory.log_binary_intersection(n, d, n // 2)) if n % 2 == 0 else math.nan


def fitted_betas(n: int, d: int, estimator: str) -> tuple[float, float]:
    """β of softmax attention fitted to binary SDM's and to continuous SDM's weights at radius d."""
    return (float(theory.fit_beta(n, d, estimator, "binary")), float(theory.fit_beta(n, d, estimator, "continuous")))


def make_memory(model: str, setting: RecallSetting, bits: np.ndarray, units: np.ndarray, d: int,
                betas: tuple[float, float], neuron_seed: int = 0):
    """The memory `model` (a key of MODELS) storing one repeat's patterns autoassociatively."""
    from ..memory import NeuronSDM, binary_attention, binary_sdm, continuous_attention, continuous_sdm

    if model not in MODELS:
        raise ValueError(f"model must be one of {tuple(MODELS)}, got {model!r}")
    if model in ("sdm_neuron", "sdm_sampled") and setting.r is None:
        raise ValueError(f"{model} needs a finite number of neurons r, got r = 2^n for '{setting.name}'")
    if model == "sdm_neuron":
        memory = NeuronSDM(setting.n, int(setting.r), d, seed=neuron_seed, max_writes=bits.shape[0])
        memory.write(bits)
        return memory
    build = {
        "sdm_binary": lambda: binary_sdm(bits, d=d),
        "sdm_sampled": lambda: binary_sdm(bits, d=d, neurons=setting.r, sample=True),
        "attention_binary": lambda: binary_attention(bits, beta=betas[0]),
        "sdm_continuous": lambda: continuous_sdm(units, d=d),
        "attention_continuous": lambda: continuous_attention(units, beta=betas[1]),
    }
    return build[model]()


def _key(seed: int, *path: int):
    import jax

    key = jax.random.key(seed)
    for i in path:
        key = jax.random.fold_in(key, i)
    return key


def recall_table(setting: RecallSetting, models, radii: dict[str, int], k_values, queries: int, repeats: int,
                 log=None) -> xr.Dataset:
    """Cosine between converged query and target (and after one read) for every (model, radius, k,
    repeat, query).

    **Arguments:** the `setting`; `models` (keys of MODELS); `radii` {label: d}; the noise levels
    `k_values`; `queries` per k and repeat; `repeats`; `log`, a callable for progress lines.
    **Returns:** a Dataset with `cosine`, `first_read`, `steps`, `converged` and the `target` indices,
    coordinates d and both fitted β per radius (wall times go to `log` only, so tables are reproducible).
    """
    import jax

    from ..memory import recall, recall_cosine

    models, labels, k_values = list(models), list(radii), [int(k) for k in k_values]
    for model in models:
        if model not in MODELS:
            raise ValueError(f"model must be one of {tuple(MODELS)}, got {model!r}")
    shape = (len(models), len(labels), len(k_values), repeats, queries)
    cosine, first = np.full(shape, np.nan), np.full(shape, np.nan)
    steps, converged = np.zeros(shape, np.int32), np.zeros(shape, bool)
    target = np.zeros(shape[2:], np.int64)
    betas = {label: fitted_betas(setting.n, d, setting.estimator) for label, d in radii.items()}
    bar = progress(None, desc=f"recall {setting.name}", total=repeats * len(radii) * len(models), unit="memory")
    for rep in range(repeats):
        bits, units = load_patterns(setting, _key(setting.seed, rep, 0))
        drawn = [noisy_queries(_key(setting.seed, rep, 1, k), bits, units, k, queries) for k in k_values]
        if drawn[0][0].size < queries:
            raise ValueError(f"queries={queries} exceeds the m={setting.m} stored patterns")
        target[:, rep] = np.stack([t for t, _, _ in drawn])
        query_bits = np.concatenate([b for _, b, _ in drawn])
        query_units = np.concatenate([u for _, _, u in drawn])
        neuron_seed = int(jax.random.randint(_key(setting.seed, rep, 3), (), 0, 2**31 - 1))
        for j, (label, d) in enumerate(radii.items()):
            for i, model in enumerate(models):
                start = time.perf_counter()
                memory = make_memory(model, setting, bits, units, d, betas[label], neuron_seed)
                binary = MODELS[model][0] == "binary"
                key = _key(setting.seed, rep, 2, list(MODELS).index(model), j)
                queries_in = query_bits if binary else query_units
                once = memory.read(queries_in, jax.random.fold_in(key, 0))  # = the recall loop's first read
                out = recall(memory, queries_in, key, max_steps=setting.max_steps, tolerance=setting.tolerance)
                del memory  # a neuron SDM's counters are large: free them before the next is built
                truth = (bits if binary else units)[target[:, rep].ravel()]
                first[i, j, :, rep] = recall_cosine(once, truth).reshape(len(k_values), queries)
                cosine[i, j, :, rep] = recall_cosine(out.queries, truth).reshape(len(k_values), queries)
                steps[i, j, :, rep] = np.asarray(out.steps).reshape(len(k_values), queries)
                converged[i, j, :, rep] = np.asarray(out.converged).reshape(len(k_values), queries)
                if log:
                    log(f"{setting.name} repeat {rep} {label} (d={d}) {model}: mean cosine "
                        f"{np.round(cosine[i, j, :, rep].mean(axis=-1), 3).tolist()} in {time.perf_counter() - start:.1f} s")
                bar.update()
    bar.close()
    dims = ("model", "radius", "k", "repeat", "query")
    ds = xr.Dataset(
        {
            "cosine": (dims, cosine, {"long_name": "cosine between converged query and target"}),
            "first_read": (dims, first, {"long_name": "cosine between the query after one read and target"}),
            "steps": (dims, steps, {"long_name": "reads until converged (or max_steps)"}),
            "converged": (dims, converged, {"long_name": "stopped before max_steps"}),
            "target": (dims[2:], target, {"long_name": "index of the stored target pattern"}),
        },
        coords={
            "model": models, "radius": labels, "k": k_values, "repeat": np.arange(repeats), "query": np.arange(queries),
            "d": ("radius", np.array([radii[label] for label in labels])),
            "beta_binary": ("radius", np.array([betas[label][0] for label in labels])),
            "beta_continuous": ("radius", np.array([betas[label][1] for label in labels])),
            "log_tail_excess": ("radius", np.array([tail_excess(setting.n, d) for d in radii.values()])),
        },
    )
    log2_r = float(setting.n) if setting.r is None else math.log2(setting.r)
    return ds.assign_attrs(name=setting.name, source=setting.source, n=setting.n, m=setting.m, log2_r=log2_r,
                           seed=setting.seed, estimator=setting.estimator, max_steps=setting.max_steps,
                           tolerance=setting.tolerance)


def recall_radii(row: xr.Dataset, objectives, extra=()) -> dict[str, int]:
    """{label: d}: the optimal radius of each objective from a row of the optimal-radius table, then
    the `extra` radii labelled "d=..."."""
    radii = {obj: int(row[f"d_{obj}"]) for obj in objectives}
    radii |= {f"d={int(d)}": int(d) for d in extra}
    return radii


def summary(ds: xr.Dataset) -> xr.Dataset:
    """Mean and standard deviation of the recall cosine over repeats and queries, per (model, radius, k)."""
    over = ("repeat", "query")
    return xr.Dataset({"mean": ds["cosine"].mean(over), "std": ds["cosine"].std(over)}).assign_attrs(ds.attrs)


def recall_limit(ds: xr.Dataset, threshold: float = 0.95) -> xr.DataArray:
    """The largest k of the grid up to which the mean recall cosine stays >= `threshold` at every k
    (-1 when it fails already at the smallest k), per (model, radius)."""
    good = (summary(ds)["mean"] >= threshold).transpose(..., "k").values
    upto = np.cumprod(good, axis=-1).sum(axis=-1)  # leading k's that pass
    k = ds["k"].values
    limit = np.where(upto > 0, k[np.maximum(upto - 1, 0)], -1)
    return xr.DataArray(limit, dims=("model", "radius"), coords={"model": ds["model"], "radius": ds["radius"]})


def mean_over_noise(ds: xr.Dataset) -> xr.DataArray:
    """The mean recall cosine averaged over the noise grid, per (model, radius): one number per recall
    curve (the area under it, over the k's of the grid), higher is better."""
    return summary(ds)["mean"].mean("k")


ATTENTION_PAIRS = {"binary": ("attention_binary", "sdm_binary"), "continuous": ("attention_continuous", "sdm_continuous")}


def attention_gap(ds: xr.Dataset) -> xr.Dataset:
    """|mean cosine of attention - mean cosine of the SDM it was fitted to| per (radius, k), for the
    binary and the continuous pair present in the table."""
    mean = summary(ds)["mean"]
    gaps = {kind: abs(mean.sel(model=a) - mean.sel(model=s)) for kind, (a, s) in ATTENTION_PAIRS.items()
            if a in ds["model"].values and s in ds["model"].values}
    return xr.Dataset(gaps)


def paired_agreement(ds: xr.Dataset, a: str, b: str, z: float = 4.0, variable: str = "cosine") -> xr.Dataset:
    """Model a against model b on the same queries: mean difference of `variable` (the converged
    cosine, or `first_read`) per (radius, k), its standard error (from the spread of the paired
    differences) and the tolerance z × se; `agree` where |difference| <= tolerance (so a point where
    every pair is equal agrees)."""
    diff = (ds[variable].sel(model=a) - ds[variable].sel(model=b)).stack(sample=("repeat", "query"))
    count = diff.sizes["sample"]
    mean = diff.mean("sample")
    se = diff.std("sample", ddof=1) / math.sqrt(count) if count > 1 else xr.zeros_like(mean) + np.inf
    tolerance = z * se
    return xr.Dataset({"difference": mean, "se": se, "tolerance": tolerance, "agree": abs(mean) <= tolerance},
                      attrs={"a": a, "b": b, "z": z, "pairs": count, "variable": variable})


# Figures ------------------------------------------------------------------------------------------


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


# Report values and tables -------------------------------------------------------------------------


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
